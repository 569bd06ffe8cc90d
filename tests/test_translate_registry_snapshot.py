"""The cached, pydantic-free registry snapshot that ``alto translate`` starts from."""

from __future__ import annotations

import pytest

from alto_cli.errors import RegistryFileError
from alto_cli.registry import load_registry
from alto_cli.registry_snapshot import load_registry_snapshot


def test_snapshot_matches_the_registry(registry_file, isolated_env):
    full = load_registry(registry_file)
    first = load_registry_snapshot(registry_file)
    cached = load_registry_snapshot(registry_file)
    assert cached == first
    assert cached.codes == full.codes
    assert cached.fingerprint() == full.fingerprint()
    assert cached.get("AG3").keywords == full.get("AG3").keywords
    assert len(list((isolated_env / "cache" / "registry").glob("*.json"))) == 1


def test_an_edit_is_seen_at_once(registry_file):
    load_registry_snapshot(registry_file)
    registry_file.write_text(
        registry_file.read_text() + "  NEW1:\n    name: new_doc\n    keywords: [widgets]\n"
    )
    assert "NEW1" in load_registry_snapshot(registry_file)


def test_invalid_registry_is_reported_not_cached(registry_file, isolated_env):
    registry_file.write_text("version: 1\ncodes:\n  bad:\n    name: x\n")
    with pytest.raises(RegistryFileError, match="code must be"):
        load_registry_snapshot(registry_file)
    assert not list((isolated_env / "cache" / "registry").glob("*.json"))


def test_corrupt_cache_file_is_rebuilt(registry_file, isolated_env):
    load_registry_snapshot(registry_file)
    (cache_file,) = (isolated_env / "cache" / "registry").glob("*.json")
    cache_file.write_text("{broken")
    assert "AG3" in load_registry_snapshot(registry_file)


def test_abbreviations_are_validated(registry_file):
    registry_file.write_text(registry_file.read_text() + "abbreviations:\n  provision: pr-v\n")
    with pytest.raises(RegistryFileError, match=r"abbreviations\.provision"):
        load_registry(registry_file)


def test_abbreviations_change_the_fingerprint(registry_file):
    before = load_registry(registry_file).fingerprint()
    registry_file.write_text(registry_file.read_text() + "abbreviations:\n  provision: prov\n")
    after = load_registry(registry_file)
    assert after.fingerprint() != before
    assert after.snapshot().fingerprint() == after.fingerprint()
