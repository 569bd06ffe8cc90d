"""The everyday lexicon (``translate.everyday``) and the out-of-scope features it feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.everyday import (
    DEFAULT_PATH,
    EverydayWords,
    base_forms,
    read_lexicon,
    shared_lexicon,
)
from alto_cli.translate.intent_model import EverydaySignal, oos_features

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> LocalTranslator:
    return LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"), intent_model=None)


def test_the_shipped_lexicon_loads_with_its_topics():
    lexicon = read_lexicon()
    assert 1500 <= len(lexicon.words) <= 3000
    assert {"migraine", "gecko", "allotment", "referendum", "saxophone"} <= lexicon.words
    # heading lines are topics, not words
    assert "#" not in lexicon.words and "topic" not in lexicon.words
    assert lexicon.topic("gecko") == "animals and nature"
    assert lexicon.topic("referendum").startswith("personal finance")
    assert lexicon.topic("kubernetes") == ""
    assert shared_lexicon() is shared_lexicon(DEFAULT_PATH)


def test_words_with_an_it_sense_are_left_out_of_the_file():
    words = read_lexicon().words
    for word in ("virus", "mouse", "tablet", "patch", "window", "branch", "cluster", "token"):
        assert word not in words


def test_a_lexicon_file_of_ones_own(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# intro text\n\n# pets\ngerbil budgie\n# food\nflapjack\n", encoding="utf-8")
    lexicon = read_lexicon(path)
    assert lexicon.words == {"gerbil", "budgie", "flapjack"}
    assert lexicon.topic("budgie") == "pets"
    assert lexicon.topic("flapjack") == "food"
    assert lexicon.topic("intro") == ""  # a heading's words are no entries


def test_base_forms_join_plurals_and_verb_forms():
    assert "geckos" in base_forms("geckos") and "gecko" in base_forms("geckos")
    assert "puppy" in base_forms("puppies")
    assert "knit" in base_forms("knitting")
    assert "bake" in base_forms("baking")


def test_words_the_registry_or_its_documents_use_are_dropped(rules):
    everyday = EverydayWords.for_matcher(rules.matcher)
    kept = everyday.words()
    assert kept < everyday.lexicon.words
    dropped = everyday.lexicon.words - kept
    assert all(everyday.is_used(w) for w in dropped)
    assert "gecko" in everyday and "geckos" in everyday


def test_a_registry_word_is_never_everyday(tmp_path, rules):
    path = tmp_path / "words.txt"
    written = sorted(w for w in rules.matcher.written if w.isalpha())[0]
    keyword = sorted(rules.matcher.keyword_words)[0]
    path.write_text(f"# mixed\n{written} {keyword} gerbil\n", encoding="utf-8")
    everyday = EverydayWords.for_matcher(rules.matcher, path)
    assert everyday.words() == {"gerbil"}
    assert written not in everyday and keyword not in everyday
    assert everyday.topic("gerbils") == "mixed"


def test_features_fire_for_an_it_word_used_in_an_everyday_sense(rules):
    found = rules.rule_features("where can I buy a heat lamp for my pet gecko's terrarium monitor")
    assert "EVERYDAY" in found["oos_features"]
    assert "EVERYDAY_2" in found["oos_features"]
    plain = rules.rule_features("how do I rotate an expired api token")
    assert not any(f.startswith("EVERYDAY") for f in plain["oos_features"])


def test_an_everyday_word_beside_the_only_it_word(rules):
    found = rules.rule_features("my grandmother has cluster migraines")
    assert found["has_ctx"]
    assert "EVERYDAY_BESIDE_ANCHOR" in found["oos_features"]


def test_oos_features_from_a_signal():
    none = oos_features(["K8S"], False, False)
    assert none == ["CTX=K8S"]
    some = oos_features(["K8S"], False, False, EverydaySignal(2, 4, True, 1))
    assert {
        "EVERYDAY",
        "EVERYDAY_2",
        "EVERYDAY_THIRD",
        "EVERYDAY_BESIDE_ANCHOR",
        "EVERYDAY_OUTWEIGHS",
    } <= set(some)
    one_in_many = oos_features([], False, False, EverydaySignal(1, 8, False, 3))
    assert one_in_many == ["NO_CTX", "EVERYDAY"]


def test_the_strong_anchor_guard_still_holds():
    # the shipped model: an acronym and a registry word outweigh an everyday word
    translator = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))
    result = translator.translate("how do I rotate an expired api token before my honeymoon")
    assert not result.out_of_scope
    assert result.fields.ctx
    result = translator.translate("the VPN drops every time I work from the allotment")
    assert not result.out_of_scope


def test_an_everyday_question_with_no_registry_word_is_out_of_scope(rules):
    result = rules.translate("are geckos or tortoises easier pets for a small garden")
    assert result.out_of_scope and result.fields.ctx == ()


def test_an_everyday_word_is_never_respelt_into_an_it_word(rules):
    everyday = EverydayWords.for_matcher(rules.matcher)
    assert "sourdough" not in everyday  # not in the lexicon: the test below needs one that is
    assert "tortoises" in everyday
    assert rules._spelling_fix("tortoises") is None
    result = rules.translate("which lettuce do tortoises like best")
    assert not any(c.startswith("spelling:") for c in result.evidence["Q"]["evidence"])


def test_everyday_words_count_against_a_weak_it_anchor_in_the_rules(rules):
    # one registry word among two everyday ones: the rules call it out of scope
    result = rules.translate("my grandmother has cluster migraines")
    assert result.out_of_scope
    assert "everyday topic" in result.reason
    assert "migraines" in result.reason or "grandmother" in result.reason
