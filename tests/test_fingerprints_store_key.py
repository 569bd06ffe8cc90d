"""Fingerprints are kept per store: the embedded one and each Qdrant server apart."""

from __future__ import annotations

import pytest

from alto_cli.fingerprints import ctx_fingerprints, save_fingerprints, state_key


def test_embedded_store_keeps_the_bare_collection_name() -> None:
    assert state_key(None) == "alto"
    assert state_key("docs") == "docs"


def test_a_server_is_keyed_by_its_address_without_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QDRANT_URL", "https://user:secret@qdrant.example:6333/base/?x=1")
    key = state_key("docs")
    assert key == "https://qdrant.example:6333/base#docs"
    assert "secret" not in key and "user" not in key


def test_fingerprints_of_one_store_are_not_read_for_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_fingerprints("alto", {"MP": "aaa"})
    monkeypatch.setenv("QDRANT_URL", "http://127.0.0.1:6333")
    assert ctx_fingerprints(["MP"]) == {"MP": ""}
    save_fingerprints("alto", {"MP": "bbb"})
    assert ctx_fingerprints(["MP"]) == {"MP": "bbb"}
    monkeypatch.delenv("QDRANT_URL")
    assert ctx_fingerprints(["MP"]) == {"MP": "aaa"}
