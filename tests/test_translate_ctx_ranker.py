"""The CTX re-ranker: section index, features, decision, training, the shipped file."""

from __future__ import annotations

import json
import sys
from array import array
from pathlib import Path
from types import SimpleNamespace

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.ctx_ranker import (
    DEFAULT_PATH,
    FEATURES,
    LEARNED,
    CtxRanker,
    CtxRankerError,
    load_ranker,
    settled,
    text_candidates,
)
from alto_cli.translate.ctx_ranker_training import dumps, fit_ranker, lift_tables, train
from alto_cli.translate.intent_training import (
    Example,
    Settings,
    ranker_training_files,
    training_hash,
)
from alto_cli.translate.section_index import SectionIndex, _first_field, build, split_sections

ROOT = Path(__file__).resolve().parent.parent


# -- the section index
def test_documents_split_at_their_headings(tmp_path: Path):
    text = "---\ntitle: X\n---\n# Guide\nintro\n## Reset\nsteps here\n## Fido2 keys\nkeys\n"
    sections = split_sections(text)
    assert [s[0] for s in sections] == ["# Guide", "## Reset", "## Fido2 keys"]


def _index(tmp_path: Path) -> SectionIndex:
    a = tmp_path / "a.md"
    a.write_text("# Keys\nhardware keys and fido2 tokens\n# Other\nholiday rota\n")
    b = tmp_path / "b.md"
    b.write_text("# Rota\nthe on-call rota and the rota handover\n")
    data = json.loads(json.dumps(build({"A": [a], "B": [b]})))  # what the snapshot stores
    return SectionIndex(data)


def test_every_word_of_every_section_is_indexed(tmp_path: Path):
    index = _index(tmp_path)
    assert index.code_of == ["A", "A", "B"]
    scores = index.score(["fido2"])
    assert set(scores.best) == {"A"} and scores.ranked() == ["A"]
    scores = index.score(["rota", "handover"])
    assert scores.ranked()[0] == "B"  # two rota sections' words, B's holds both
    assert scores.uses["B"] == {"rota", "handover"} and scores.uses["A"] == {"rota"}
    assert scores.idf["handover"] > scores.idf["rota"]  # rarer over sections


def test_an_unknown_word_scores_nothing(tmp_path: Path):
    scores = _index(tmp_path).score(["zzzq"])
    assert scores.best == {} and scores.top == 0.0


def test_a_field_is_found_by_value_never_across_two_fields():
    # 1's bytes first appear across the first two fields: 0x01000000's and 0's
    first = [0x0100_0000, 0] if sys.byteorder == "little" else [0, 0x0100_0000]
    sections = array("I", [*first, 1, 256])
    assert sections.tobytes().find((1).to_bytes(4, sys.byteorder)) % 4  # the trap is there
    for value in (1, 256, 0x0100_0000, 0):
        assert _first_field(sections, value) == sections.index(value)
    with pytest.raises(ValueError):
        _first_field(sections, 7)  # not held: an error, never an endless search


def test_a_code_registered_with_sources_is_indexed_at_once(tmp_path: Path):
    from alto_cli.registry_snapshot import load_registry_snapshot

    (tmp_path / "keys.md").write_text("# Hardware keys\nfido2 keys are allowed\n")
    path = tmp_path / "ctx_registry.yaml"
    path.write_text(
        "version: 1\ncodes:\n  KEYS:\n    name: keys\n    title: Keys\n"
        "    description: Hardware keys.\n    keywords: [yubikey]\n    sources: [keys.md]\n"
    )
    translator = LocalTranslator(load_registry_snapshot(path), intent_model=None, ctx_ranker=None)
    assert translator.matcher.sections.score(["fido2"]).ranked() == ["KEYS"]
    # the snapshot stored the index: a second process reads it without the documents
    again = load_registry_snapshot(path)
    assert again.doc_terms is not None and "*sections" in again.doc_terms


# -- features and decision
@pytest.fixture(scope="module")
def rules() -> LocalTranslator:
    return LocalTranslator(
        load_registry(ROOT / "ctx_registry.yaml"), intent_model=None, ctx_ranker=None
    )


def test_every_candidate_gets_a_full_row(rules):
    found = rules.rule_features("fido2 keys allowed?")
    rows = dict(found["ctx_rows"])
    assert "MP" in rows  # "fido2" is only in the MFA policy's documents
    assert all(len(row) == len(FEATURES) for row in rows.values())
    assert found["ctx_stems"] and found["ctx_anchor"]
    # training records every code (the CTX head's candidates are known only after fitting)
    assert set(rows) == set(rules.registry.entries)
    assert found["ctx_base"] and set(found["ctx_base"]) < set(rows)


def test_the_ctx_head_adds_candidates_past_the_rules():
    head = {"A": 1.0, "B": -3.0, "C": -1.0, "D": 0.5}
    assert text_candidates(head, ["A"], -1.7) == ["C", "D"]
    assert text_candidates(None, ["A"], -1.7) == []


def test_a_settled_question_needs_the_ctx_heads_agreement():
    match = SimpleNamespace(code="TEST", score=5.0)
    ctx = SimpleNamespace(codes=("TEST",), matches=[match, SimpleNamespace(code="CI2", score=1.0)])
    scores = SimpleNamespace(top_code="TEST")
    assert settled(ctx, scores)  # the rules alone
    assert settled(ctx, scores, {"TEST": 2.0, "CI2": -3.0}, -1.7)
    assert not settled(ctx, scores, {"TEST": 2.0, "CI2": -1.0}, -1.7)  # another is likely
    assert not settled(ctx, scores, {"TEST": -0.5}, -1.7)  # the head doubts the code
    assert settled(ctx, scores, {"CI2": -3.0}, -1.7)  # a code the head never saw


def _ranker(weights: dict[str, float], bias: float = 0.0, threshold: float = 0.5) -> CtxRanker:
    names = FEATURES + LEARNED
    return CtxRanker(
        {
            "format": 2,
            "features": list(names),
            "weights": [weights.get(n, 0.0) for n in names],
            "bias": bias,
            "threshold": threshold,
            "expand": -1.7,
            "max_codes": 3,
        }
    )


def test_decision_keeps_codes_over_the_threshold_best_first_at_most_three():
    ranker = _ranker({})
    assert ranker.decide({"A": 0.9, "B": 0.7, "C": 0.2}) == ("A", "B")
    assert ranker.decide({"A": 0.3, "B": 0.4}) == ("B",)  # the best always
    assert ranker.decide({c: 0.9 for c in "ABCD"}) == ("A", "B", "C")
    assert ranker.decide({}) == ()


class _RecordingRanker(CtxRanker):
    """Keeps the logits translation computed without the rows (``CtxRanker.logits``)."""

    def lifted(self, logits, stems, anchor, text=None, word_lifts=None):
        self.seen.append(list(logits))
        return super().lifted(logits, stems, anchor, text, word_lifts)


def test_direct_logits_are_the_rows_weighted_sums_to_the_last_bit(rules):
    import random
    from operator import mul

    names = FEATURES + LEARNED
    rng = random.Random(7)  # every feature weighted, so a feature left out would show
    data = {"format": 2, "features": list(names), "bias": -0.3, "threshold": 0.5, "expand": 0}
    data["weights"] = [rng.uniform(-3, 3) for _ in names]
    ranker = _RecordingRanker(data)
    ranker.seen = []
    direct = LocalTranslator(rules.registry, intent_model=None, ctx_ranker=ranker)
    path = ROOT / "benchmarks" / "translation" / "questions.jsonl"
    compared = 0
    for line in path.read_text().splitlines():
        question = json.loads(line)["question"]
        ranker.seen.clear()
        direct.translate(question)
        if not ranker.seen:
            continue  # out of scope, or settled without the ranker
        found = rules.rule_features(question)
        # training records every code's row; without the CTX head the rules' are scored
        rows = [r for r in found["ctx_rows"] if r[0] in found["ctx_base"]]
        expected = [(code, ranker.bias + sum(map(mul, ranker.weights, row))) for code, row in rows]
        assert ranker.seen[0] == expected, question
        compared += 1
    assert compared >= 50


def test_the_ranker_decides_the_translations_ctx(rules):
    registry = rules.registry
    # a ranker that wants exactly what the rules chose gives the rules' CTX
    follow = LocalTranslator(
        registry, intent_model=None, ctx_ranker=_ranker({"chosen": 20.0}, bias=-10.0)
    )
    for question in ("How do I reset my MFA?", "Generate a Python script to delete old tokens."):
        assert follow.translate(question).fields.ctx == rules.translate(question).fields.ctx
    # one that trusts the best section alone picks MP for a word only its documents hold
    sections = LocalTranslator(
        registry, intent_model=None, ctx_ranker=_ranker({"section_top": 20.0}, bias=-10.0)
    )
    assert rules.translate("my mfa fido2 key").fields.ctx == ("AG3",)
    result = sections.translate("my mfa fido2 key")
    assert not result.out_of_scope and result.fields.ctx == ("MP",)
    shown = [e for e in result.evidence["CTX"]["evidence"] if "ranker" in e]
    assert shown and "MP 1.00" in shown[-1]["ranker"]


def test_settings_turn_the_ranker_off(rules, monkeypatch):
    monkeypatch.setenv("ALTO_CTX_RANKER", "off")
    assert LocalTranslator(rules.registry).ctx_ranker is None
    monkeypatch.delenv("ALTO_CTX_RANKER")
    monkeypatch.setenv("ALTO_INTENT_MODEL", "off")  # the rules alone
    assert LocalTranslator(rules.registry).ctx_ranker is None
    monkeypatch.delenv("ALTO_INTENT_MODEL")
    assert LocalTranslator(rules.registry).ctx_ranker is not None


def test_a_bad_ranker_file_warns_and_keeps_the_rules(rules, tmp_path, monkeypatch):
    bad = tmp_path / "ranker.json"
    bad.write_text('{"format": 99}')
    with pytest.raises(CtxRankerError):
        load_ranker(bad)
    monkeypatch.setenv("ALTO_CTX_RANKER", str(bad))
    result = LocalTranslator(rules.registry, intent_model=None).translate("How do I reset MFA?")
    assert result.fields.ctx == ("AG3", "MP")
    assert any("CTX ranker not used" in w for w in result.warnings)


# -- training
def _synthetic() -> list[Example]:
    """The gold code is always the one with the best section; the rules chose another."""
    examples = []
    for n in range(12):
        rows = []
        for code, best in (("A", n % 2 == 0), ("B", n % 2 == 1)):
            row = [0.0] * len(FEATURES)
            row[FEATURES.index("section_top")] = float(best)
            row[FEATURES.index("chosen")] = float(not best)
            rows.append((code, tuple(row)))
        examples.append(
            Example(
                grams=(),
                rule_cmd="FA",
                has_ctx=True,
                oos_features=(),
                cmd="FA",
                out_of_scope=False,
                ctx_rows=tuple(rows),
                ctx=("A",) if n % 2 == 0 else ("B",),
                ctx_stems=("w",),
                ctx_anchor="A",
                group=f"g{n}",
            )
        )
    return examples


def test_a_tiny_set_is_learnt_and_training_is_deterministic():
    settings = Settings(ranker_c=100.0, steps=300)
    ranker = fit_ranker(_synthetic(), settings)
    weight = dict(zip(FEATURES + LEARNED, ranker.weights, strict=True))
    assert weight["section_top"] > 0 > weight["chosen"]
    assert dumps(train(_synthetic(), settings)) == dumps(train(_synthetic(), settings))


def test_lift_tables_count_intents_not_phrasings():
    examples = _synthetic()
    tables = lift_tables([*examples, *examples])  # every phrasing twice
    assert tables["intents"] == 12 and tables["codes"] == {"A": 6, "B": 6}
    assert tables["words"]["w"] == [12, {"A": 6, "B": 6}]


# -- the shipped file
def test_shipped_ranker_loads_and_is_current():
    ranker = load_ranker()
    assert len(ranker.weights) == len(FEATURES + LEARNED)
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    files = ranker_training_files(ROOT)
    assert tuple(data["training_files"]) == files
    assert any(f.startswith("examples/docs/") for f in files)
    assert data["training_hash"] == training_hash([ROOT / f for f in files], ROOT), (
        f"{DEFAULT_PATH.name} is stale: its training files changed since it was trained; "
        "run `make model` and commit the new file"
    )


def test_a_settled_question_keeps_the_rules_code_without_the_ranker(rules):
    # the rules' one code is the matcher's best and the best section's, far ahead of the
    # next: a ranker that would want every candidate is not asked
    greedy = LocalTranslator(rules.registry, intent_model=None, ctx_ranker=_ranker({}, bias=10.0))
    question = "What's the minimum test coverage required for merging?"
    assert rules.translate(question).fields.ctx == ("TEST",)
    result = greedy.translate(question)
    assert result.fields.ctx == ("TEST",)
    shown = [e["ranker"] for e in result.evidence["CTX"]["evidence"] if "ranker" in e]
    assert shown == ["TEST (settled without the ranker)"]
    # an unsettled one is the ranker's: it keeps every candidate it is sure of
    assert len(greedy.translate("How do I reset my MFA?").fields.ctx) > 1


def test_the_ctx_head_never_proposes_a_code_the_registry_lacks_or_renamed():
    # the runbook suite's registry reuses K8S for another document and lacks MP, TK2, CI2
    registry = load_registry(ROOT / "benchmarks" / "prom-runbooks-registry.yaml")
    translator = LocalTranslator(registry)
    assert translator.intent_model.head_codes({e.code: e.name for e in registry}) == frozenset()
    for question in (
        "kubernetes node not ready after I reset my mfa",
        "my kubernetes api token expired",
        "deploy pipeline to k8s cluster failing",
    ):
        assert set(translator.translate(question).fields.ctx) <= set(registry.codes)


def test_the_ctx_head_knows_the_shipped_registry():
    registry = load_registry(ROOT / "ctx_registry.yaml")
    model = LocalTranslator(registry).intent_model
    assert set(model.ctx_codes) == set(registry.codes)
    assert model.head_codes({e.code: e.name for e in registry}) is None  # all of them
    text = model.text_scores(["my", "laptop", "got", "stolen"])
    assert model.code_logits(text)["SEC1"] > 0
