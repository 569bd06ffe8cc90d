"""A suite's own registry whose ``sources`` resolve against the corpus (registry_sources)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alto_cli.benchmark.harness import suite_registry
from alto_cli.benchmark.suite import load_suite, parse_suite
from alto_cli.cli.app import app
from alto_cli.errors import InvalidInputError
from alto_cli.registry import load_registry
from alto_cli.tagging import codes_from_sources

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

REGISTRY = """\
version: 1
codes:
  DB:
    name: database
    title: Database
    description: The relational database, its replicas and slow queries.
    keywords: [database, postgres, replica, replication, slow query, index]
    sources:
      - runbooks/db/*.md
  WEB:
    name: web_server
    title: Web server
    description: The web front end, its TLS certificates and HTTP error rates.
    keywords: [web server, nginx, http, tls, certificate, 5xx]
    sources:
      - runbooks/web/*.md
"""

DOCS = {
    "runbooks/db/ReplicaLag.md": "# Replica lag\n\nThe postgres replica falls behind the "
    "primary. Check replication slots and the network between them.\n",
    "runbooks/db/SlowQueries.md": "# Slow queries\n\nQueries take seconds. Look for a missing "
    "index with EXPLAIN and vacuum bloated tables.\n",
    "runbooks/web/CertExpiry.md": "# Certificate expiry\n\nThe TLS certificate of the nginx "
    "front end expires soon. Renew it and reload nginx.\n",
    "runbooks/web/HighErrorRate.md": "# High error rate\n\nnginx answers many HTTP 5xx. Check "
    "the upstream pool and recent deploys.\n",
}

QUERIES = [
    ("ReplicaLag", "The postgres replica is lagging behind", "runbooks/db/ReplicaLag.md"),
    ("SlowQueries", "Database queries are slow, maybe an index", "runbooks/db/SlowQueries.md"),
    ("CertExpiry", "The nginx TLS certificate expires soon", "runbooks/web/CertExpiry.md"),
    ("HighErrorRate", "nginx returns many http 5xx errors", "runbooks/web/HighErrorRate.md"),
]


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus and, in a separate folder, a suite and its registry written for it."""
    corpus = tmp_path / "corpus"
    for rel, text in DOCS.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text)
    rows = [{"alert": a, "summary": s, "runbook_path": p} for a, s, p in QUERIES]
    (corpus / "q.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "registry.yaml").write_text(REGISTRY)
    return corpus, suites


def _suite(suites: Path, *, relative_to: str | None) -> Path:
    path = suites / "suite.yaml"
    line = f"registry_sources: {relative_to}\n" if relative_to else ""
    path.write_text(
        "name: corpus-registry\nregistry: registry.yaml\n"
        + line
        + "corpus: ../corpus\n"
        + "queries: {file: q.jsonl, query_fields: [summary], answer_field: runbook_path,"
        + " id_field: alert}\nsections: [retrieval]\nk: 1\n"
    )
    return path


def test_registry_sources_needs_the_suites_registry() -> None:
    text = "name: x\nregistry_sources: corpus\nqueries: {file: q.jsonl, query_fields: [q]}\n"
    with pytest.raises(InvalidInputError, match=r"^s.yaml:2: registry_sources: 'corpus'"):
        parse_suite(text, source="s.yaml")
    with pytest.raises(InvalidInputError, match=r"^s.yaml:3: registry_sources: expected"):
        parse_suite(
            "registry: r.yaml\nquestions: q.jsonl\nregistry_sources: elsewhere\n",
            source="s.yaml",
        )
    assert parse_suite("questions: q.jsonl\n").registry_sources == "registry"


def test_sources_resolve_against_the_corpus(layout: tuple[Path, Path]) -> None:
    corpus, suites = layout
    registry = suite_registry(load_suite(_suite(suites, relative_to="corpus")), None)
    db = registry.get("DB")
    assert db is not None and db.sources == (f"{corpus.resolve().as_posix()}/runbooks/db/*.md",)
    assert codes_from_sources(str((corpus / "runbooks/web/CertExpiry.md").resolve()), registry) == [
        "WEB"
    ]
    # the registry file as written still tags nothing outside its own folder
    plain = load_registry(suites / "registry.yaml")
    assert codes_from_sources(str((corpus / "runbooks/web/CertExpiry.md").resolve()), plain) == []


def test_absolute_sources_match_documents_stored_relative(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    registry = load_registry(tmp_path / "registry.yaml").with_sources_under(tmp_path / "docs")
    # a document inside the registry's folder is stored under its relative path
    assert codes_from_sources("docs/runbooks/db/ReplicaLag.md", registry) == ["DB"]
    assert codes_from_sources("runbooks/db/ReplicaLag.md", registry) == []


def test_corpus_needed_at_run_time(layout: tuple[Path, Path]) -> None:
    _, suites = layout
    suite = load_suite(_suite(suites, relative_to="corpus")).model_copy(update={"corpus": None})
    with pytest.raises(InvalidInputError, match="needs a corpus"):
        suite_registry(suite, None)


def test_benchmark_filters_by_the_corpus_tagged_codes(
    layout: tuple[Path, Path], tmp_path: Path
) -> None:
    _, suites = layout
    out = tmp_path / "r.json"
    args = ["benchmark", "--suite", str(_suite(suites, relative_to="corpus")), "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    retrieval = json.loads(out.read_text())["sections"]["retrieval"]
    assert retrieval["status"] == "ok", retrieval
    assert retrieval["n"] == 4
    assert retrieval["filtered"] == 4 and retrieval["fell_back"] == 0
    assert retrieval["recall_at_k"] == 1.0

    # the same suite without the key: the globs miss the corpus, nothing can be loaded
    result = runner.invoke(
        app, ["benchmark", "--suite", str(_suite(suites, relative_to=None)), "--json", str(out)]
    )
    assert result.exit_code == 1
    assert json.loads(out.read_text())["sections"]["retrieval"]["status"] == "failed"
