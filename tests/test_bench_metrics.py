"""The benchmark's arithmetic on small hand-made inputs with known answers."""

from __future__ import annotations

import pytest

from alto_cli.benchmark.metrics import (
    Scored,
    confusion,
    percentile,
    recall_at_k,
    reciprocal_rank,
    translation_scores,
)
from alto_cli.benchmark.questions import Question
from alto_cli.benchmark.replay import (
    CacheLedger,
    exact_string_replay,
    make_stream,
    oracle_hit_rate,
)
from alto_cli.language import parse


def ins(text: str):
    return parse(text).canonical()


MFA = ins("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP")
TOKENS = ins("CMD:GC|Q:del_tokens_py|CTX:TK2|FMT:PY|U:EN|L:PY")
OOS = ins("CMD:FA|Q:weather")


def test_translation_scores_known_counts() -> None:
    items = [
        Scored(MFA, MFA, False),  # all right
        Scored(MFA, ins("CMD:FA|Q:reset_MFA|CTX:AG3,MP|FMT:STP"), False),  # Q wrong only
        Scored(MFA, ins("CMD:EX|Q:rst_MFA|CTX:AG3|FMT:SUM"), False),  # CMD, CTX, FMT wrong
        Scored(TOKENS, OOS, True),  # in scope, called out of scope
        Scored(None, OOS, True),  # out of scope, detected
        Scored(None, MFA, False),  # out of scope, missed
    ]
    scores = translation_scores(items)
    assert scores["n"] == 6 and scores["in_scope"] == 4
    assert scores["accuracy"] == pytest.approx(3 / 6)  # items 1, 2 and 5
    assert scores["exact_match"] == pytest.approx(2 / 6)  # items 1 and 5
    assert scores["fields"]["CMD"] == pytest.approx(2 / 4)
    assert scores["fields"]["Q"] == pytest.approx(2 / 4)
    assert scores["fields"]["U"] == pytest.approx(3 / 4)
    # CTX codes: predicted 2+2+1+0 = 5, expected 2+2+2+1 = 7, right 2+2+1 = 5
    assert scores["ctx"]["precision"] == pytest.approx(5 / 5)
    assert scores["ctx"]["recall"] == pytest.approx(5 / 7)
    oos = scores["out_of_scope"]
    assert (oos["tp"], oos["fp"], oos["fn"], oos["tn"]) == (1, 1, 1, 3)
    assert oos["precision"] == pytest.approx(0.5) and oos["recall"] == pytest.approx(0.5)


def test_confusion_counts_rows_expected_columns_predicted() -> None:
    items = [
        Scored(MFA, MFA, False),
        Scored(MFA, ins("CMD:EX|Q:a"), False),
        Scored(MFA, ins("CMD:EX|Q:b"), False),
        Scored(TOKENS, OOS, True),
        Scored(None, OOS, True),  # out of scope rows are not in the table
    ]
    table = confusion(items, "CMD")
    assert table["labels"] == ["EX", "FA", "GC", "OOS"]
    assert table["counts"] == {"FA": {"FA": 1, "EX": 2}, "GC": {"OOS": 1}}
    fmt = confusion(items, "FMT")
    assert fmt["counts"]["STP"] == {"STP": 1, "SUM": 2}


def test_recall_at_k_and_mrr() -> None:
    ranked = ["d3", "d1", "d9", "d2"]
    assert recall_at_k(["d1", "d2"], ranked, 2) == pytest.approx(0.5)
    assert recall_at_k(["d1", "d2"], ranked, 4) == pytest.approx(1.0)
    assert recall_at_k(["d7"], ranked, 4) == 0.0
    assert recall_at_k([], ranked, 4) is None
    assert reciprocal_rank(["d1", "d2"], ranked) == pytest.approx(0.5)
    assert reciprocal_rank(["d3"], ranked) == 1.0
    assert reciprocal_rank(["d7"], ranked) == 0.0


def test_percentile_interpolates() -> None:
    samples = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(samples, 50) == 30.0
    assert percentile(samples, 95) == pytest.approx(48.0)
    assert percentile([], 50) is None


def q(qid: str, text: str, intent: str, expected=MFA) -> Question:
    return Question(id=qid, text=text, intent=intent, expected=expected, labelled=True)


def test_ledger_counts_hits_and_wrong_hits() -> None:
    a1 = q("a1", "reset mfa", "mfa")
    a2 = q("a2", "how to reset my MFA", "mfa")
    b1 = q("b1", "delete old tokens", "tokens", TOKENS)
    ledger = CacheLedger()
    assert ledger.record("K1", a1, hit=False) is False  # miss: stored for a1
    assert ledger.record("K1", a2, hit=True) is False  # paraphrase hit: right
    assert ledger.record("K1", b1, hit=True) is True  # another intent served a1's entry
    assert ledger.record("K2", b1, hit=False) is False
    summary = ledger.summary()
    assert (summary["lookups"], summary["hits"], summary["wrong_hits"]) == (4, 2, 1)
    assert summary["hit_rate"] == 0.5 and summary["wrong_hit_rate"] == 0.25
    assert summary["wrong_examples"][0]["served_for"] == "reset mfa"


def test_same_expected_instruction_is_not_a_wrong_hit_across_intents() -> None:
    ledger = CacheLedger()
    ledger.record("K", q("a", "x", "one"), hit=False)
    assert ledger.record("K", q("b", "y", "two"), hit=True) is False  # same expected: same answer


def test_exact_string_replay_and_oracle() -> None:
    a1, a2 = q("a1", "reset mfa", "mfa"), q("a2", "reset MFA please", "mfa")
    b1 = q("b1", "delete old tokens", "tokens", TOKENS)
    stream = [a1, a2, a1, b1, a2, b1]
    exact = exact_string_replay(stream).summary()
    assert exact["hits"] == 3 and exact["wrong_hits"] == 0  # a1, b1, a2 repeated once each
    assert oracle_hit_rate(stream) == pytest.approx(4 / 6)  # one miss per intent


def test_stream_is_seeded_and_skips_out_of_scope() -> None:
    pool = [q(f"q{i}", f"text {i}", f"i{i % 3}") for i in range(10)]
    pool.append(Question(id="oos", text="weather", labelled=True, expected=None))
    one, two = make_stream(pool, 50, seed=3), make_stream(pool, 50, seed=3)
    assert [x.id for x in one] == [x.id for x in two]
    assert [x.id for x in make_stream(pool, 50, seed=4)] != [x.id for x in one]
    assert all(x.id != "oos" for x in one) and len(one) == 50


def test_replay_classes_lookups_as_repeat_paraphrase_or_first() -> None:
    from alto_cli.benchmark.replay import CacheLedger, exact_string_replay

    a1 = q("a1", "reset mfa", "mfa")
    a2 = q("a2", "mfa reset please", "mfa")
    b1 = q("b1", "vpn down", "vpn", expected=None)
    stream = [a1, a1, a2, b1, a2]
    exact = exact_string_replay(stream).summary()
    assert exact["lookups_by_kind"] == {"repeat": 2, "paraphrase": 1, "first": 2}
    assert exact["hit_rate_by_kind"]["paraphrase"] == 0.0
    assert exact["share_of_possible_hits"] == 2 / 3

    meaning = CacheLedger()
    for question, hit in zip(stream, [False, True, True, False, True], strict=True):
        meaning.record(question.group, question, hit)
    summary = meaning.summary()
    assert summary["hit_rate_by_kind"]["paraphrase"] == 1.0
    assert summary["share_of_possible_hits"] == 1.0
    assert summary["wrong_hits"] == 0
