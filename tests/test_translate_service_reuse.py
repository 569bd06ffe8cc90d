"""translate() reuses one local translator per registry object, and only per object."""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import translate
from alto_cli.translate.service import local_translator

ROOT = Path(__file__).resolve().parent.parent


def test_one_translator_per_registry_object() -> None:
    registry = load_registry(ROOT / "ctx_registry.yaml")
    first = local_translator(registry)
    assert local_translator(registry) is first
    reloaded = load_registry(ROOT / "ctx_registry.yaml")
    assert local_translator(reloaded) is not first
    result = translate("How do I reset MFA?", registry=registry, provider="local")
    assert result.instruction.ctx == ("AG3", "MP")


def test_a_code_registered_since_is_used_by_the_reloaded_registry(
    registry_file: Path,
) -> None:
    from alto_cli.registry_edit import register_code

    before = load_registry(registry_file)
    assert translate("how do I renew a zorblax licence", registry=before).out_of_scope
    register_code(registry_file, "ZX1", "zorblax_licences", keywords=["zorblax"])
    after = load_registry(registry_file)
    assert translate("how do I renew a zorblax licence", registry=after).instruction.ctx == ("ZX1",)


@pytest.mark.parametrize("setting", ["off"])
def test_the_intent_model_setting_is_part_of_the_key(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    registry = load_registry(ROOT / "ctx_registry.yaml")
    with_model = local_translator(registry)
    monkeypatch.setenv("ALTO_INTENT_MODEL", setting)
    without = local_translator(registry)
    assert without is not with_model and without.intent_model is None
