"""``alto run`` and ``alto cache warm`` read the collection named by --collection, then
ALTO_COLLECTION, then "alto": retrieval, fingerprints and the cache key all follow it.

Real embedded stores (sparse embedder, no model) and the real response cache on disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import registry_text, write_corpus
from typer.testing import CliRunner

from alto_cli import runner as runner_module
from alto_cli.cli.app import app

MFA = "CMD:FA|Q:rst_MFA|CTX:AG3|FMT:STP|U:SU|L:EN"

# The same CTX code, different documents in each collection.
ALPHA = {
    "alpha/mfa.md": """\
        ---
        title: Alpha MFA reset
        ctx: [AG3]
        ---
        # Alpha MFA reset

        ## How to reset MFA

        1. Open the Alpha portal.
        2. Press the amber reset button.
        3. Scan the new alpha code.
        """,
}
BETA = {
    "beta/mfa.md": """\
        ---
        title: Beta MFA reset
        ctx: [AG3]
        ---
        # Beta MFA reset

        ## How to reset MFA

        1. Call the Beta service desk.
        2. Confirm your badge number.
        3. Wait for the beta reset email.
        """,
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A registry and three collections: alpha, beta and the default one (alpha's docs)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALTO_COLLECTION", raising=False)
    (tmp_path / "ctx_registry.yaml").write_text(registry_text(), encoding="utf-8")
    write_corpus(tmp_path / "docs_alpha", ALPHA)
    write_corpus(tmp_path / "docs_beta", BETA)
    for folder, name in (("docs_alpha", "alpha"), ("docs_beta", "beta"), ("docs_alpha", None)):
        extra = ["--collection", name] if name else []
        result = CliRunner().invoke(app, ["migrate-embeddings", folder, *extra, "-q"])
        assert result.exit_code == 0, result.stderr
    yield tmp_path
    runner_module.close_handles()


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, ["run", MFA, *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _docs(result: dict) -> set[str]:
    return {source["title"] for source in result["sources"]}


def test_each_collection_answers_from_its_own_documents_and_caches_apart(project: Path) -> None:
    alpha = _run("--collection", "alpha")
    assert _docs(alpha) == {"Alpha MFA reset"} and "amber" in alpha["answer"]
    assert alpha["cache_hit"] is False

    beta = _run("--collection", "beta")
    assert _docs(beta) == {"Beta MFA reset"} and "badge" in beta["answer"]
    assert beta["cache_hit"] is False  # not alpha's cached answer

    again = _run("--collection", "alpha")
    assert again["cache_hit"] is True and again["answer"] == alpha["answer"]
    assert _run("--collection", "beta")["answer"] == beta["answer"]


def test_the_flag_beats_alto_collection(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTO_COLLECTION", "beta")
    flagged = _run("--collection", "alpha", "--no-cache")
    assert _docs(flagged) == {"Alpha MFA reset"}
    from_env = _run()
    assert _docs(from_env) == {"Beta MFA reset"} and from_env["cache_hit"] is False
    # The variable and the flag naming the same collection share one entry.
    assert _run("--collection", "beta")["cache_hit"] is True


def test_cache_warm_with_a_collection_warms_what_run_then_hits(project: Path) -> None:
    inputs = project / "warm.txt"
    inputs.write_text(MFA + "\n", encoding="utf-8")
    warmed = CliRunner().invoke(app, ["cache", "warm", str(inputs), "--collection", "beta"])
    assert warmed.exit_code == 0, warmed.stderr
    assert "warmed 1" in warmed.stdout

    hit = _run("--collection", "beta")
    assert hit["cache_hit"] is True and _docs(hit) == {"Beta MFA reset"}
    other = _run("--collection", "alpha")
    assert other["cache_hit"] is False and _docs(other) == {"Alpha MFA reset"}


def test_the_library_call_takes_a_collection(project: Path) -> None:
    from alto_cli.registry import load_registry

    registry = load_registry(project / "ctx_registry.yaml")
    result = runner_module.run(MFA, registry=registry, collection="beta", use_cache=False)
    assert {source["title"] for source in result.sources} == {"Beta MFA reset"}
    default = runner_module.run(MFA, registry=registry, use_cache=False)
    assert {source["title"] for source in default.sources} == {"Alpha MFA reset"}


def _old_key(extra: str) -> str:
    """The response key as run() wrote it before --collection: extra was ALTO_COLLECTION."""
    from alto_cli.fingerprints import ctx_fingerprints
    from alto_cli.language import canonical, parse
    from alto_cli.prompting import PROMPT_VERSION
    from alto_cli.response_cache import make_key

    instruction = parse(MFA)
    return make_key(
        canonical(instruction),
        role="SU",
        language="EN",
        model="extractive",
        prompt_version=PROMPT_VERSION,
        fingerprints=ctx_fingerprints(["AG3"]),
        k=5,
        extra=extra,
    )


def test_a_run_naming_no_collection_keeps_the_old_key(project: Path) -> None:
    from alto_cli.response_cache import ResponseCache

    old = _old_key("")
    entry = {"answer": "from the old cache", "sources": [], "prompt": "", "deps": {}}
    with ResponseCache() as cache:  # an entry written under the old key, before this change
        cache.put(old, {**entry, "plain_prompt_tokens": 0})
    found = _run()
    assert found["cache_hit"] is True and found["answer"] == "from the old cache"


def test_alto_collection_alone_keeps_the_old_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alto_cli.response_cache import ResponseCache

    monkeypatch.setenv("ALTO_COLLECTION", "beta")
    assert _run()["cache_hit"] is False
    runner_module.close_handles()
    with ResponseCache() as cache:
        assert _old_key("beta") in cache


def test_naming_the_default_collection_shares_the_unnamed_entries(project: Path) -> None:
    first = _run()
    assert first["cache_hit"] is False and _docs(first) == {"Alpha MFA reset"}
    assert _run("--collection", "alto")["cache_hit"] is True


def test_a_bad_collection_name_is_a_clear_error(project: Path) -> None:
    result = CliRunner().invoke(app, ["run", MFA, "--collection", "../x"])
    assert result.exit_code != 0
    assert "bad collection name" in result.stderr and "Traceback" not in result.stderr
