"""The local translator's confidence: P(the instruction is right), as its models see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.local import _calibrated, _ranker_odds
from alto_cli.translate.scoring import Tally, rank_auc

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local():
    return LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))


def test_ranker_odds_multiply_each_calls_chance():
    ranked = {"AG3": 0.9, "MP": 0.6, "SEC1": 0.2}
    assert _ranker_odds(ranked, ("AG3", "MP")) == pytest.approx(0.9 * 0.6 * 0.8)
    assert _ranker_odds(ranked, ("AG3",)) == pytest.approx(0.9 * 0.4 * 0.8)
    assert _ranker_odds({}, ("AG3",)) == 1.0  # no call made: nothing to doubt


def test_calibrated_is_command_times_codes_times_in_scope():
    assert _calibrated(0.8, {"TK2": 0.9}, ("TK2",), 0.25) == pytest.approx(0.8 * 0.9 * 0.75)


def test_a_clear_question_is_sure_and_a_close_call_is_not(local):
    sure = local.translate("How do I reset MFA?")
    assert sure.confidence > 0.9
    close = local.translate("who approves prod deploy + what's required before")
    assert not close.out_of_scope and close.confidence < 0.5
    # the CTX field's confidence is the re-ranker's odds on its calls
    assert close.evidence["CTX"]["confidence"] < sure.evidence["CTX"]["confidence"]


def test_out_of_scope_stays_low(local):
    result = local.translate("can you order a pizza")
    assert result.out_of_scope and result.confidence < 0.2


def test_rank_auc_counts_pairs_and_halves_ties():
    assert rank_auc([0.1, 0.2], [0.8, 0.9]) == 1.0
    assert rank_auc([0.8, 0.9], [0.1, 0.2]) == 0.0
    assert rank_auc([0.5], [0.5, 0.5]) == 0.5
    assert rank_auc([0.3, 0.6], [0.5, 0.6, 0.9]) == pytest.approx((3 + 0.5 + 1) / 6)
    assert rank_auc([], [0.5]) == 0.0


def test_tally_reports_what_auto_would_route():
    tally = Tally(auto_threshold=0.5)
    right = {"CMD": "FA", "Q": "x", "CTX": ["AG3"], "FMT": "STP", "U": "SU", "L": "EN"}
    wrong_ctx = {**right, "CTX": ["MP"]}
    tally.add(right, right, out_of_scope=False, confidence=0.9)
    tally.add(right, right, out_of_scope=False, confidence=0.4)
    tally.add(wrong_ctx, right, out_of_scope=False, confidence=0.3)
    tally.add(right, None, out_of_scope=False, confidence=0.95)  # out of scope, answered
    tally.add(right, None, out_of_scope=True, confidence=0.1)  # not answered: not counted
    summary = tally.summary()
    assert summary["answered_below_threshold"] == pytest.approx(2 / 4)
    assert summary["wrong_below_threshold"] == pytest.approx(1 / 2)
    assert summary["confidence_auc"] == pytest.approx((2 + 0 + 0.0) / 4)
