from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local():
    """The shipped local translator (the repository's registry and models), one per module.
    A module that needs another translator defines its own ``local``."""
    from alto_cli.registry import load_registry
    from alto_cli.translate import LocalTranslator

    return LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))


# Variables that would let a test reach a real service or read the user's state.
_ISOLATED = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "QDRANT_URL",
    "QDRANT_API_KEY",
    "ALTO_REGISTRY",
    "ALTO_ROLE",
    "ALTO_PROVIDER",
    "ALTO_MODEL",
    "ALTO_TRANSLATE_MODEL",
    "ALTO_INTENT_MODEL",
    "ALTO_EMBEDDER",
    "ALTO_COLLECTION",
    "ALTO_DEBUG",
)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own ALTO_HOME and no credentials from the caller's shell."""
    for name in _ISOLATED:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "alto-home"
    monkeypatch.setenv("ALTO_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return home


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    """A copy of the shipped registry that a test may edit."""
    target = tmp_path / "ctx_registry.yaml"
    target.write_text((ROOT / "ctx_registry.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def openai_server():
    """A local OpenAI-compatible server (see tests/local_openai_server.py)."""
    from local_openai_server import LocalOpenAIServer

    server = LocalOpenAIServer().start()
    yield server
    server.stop()
