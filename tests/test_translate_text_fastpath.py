"""The translator's fast paths give exactly what the plain functions give."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from alto_cli.translate.text import surface_words, words, words_and_surface

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text",
    [
        "How do I reset my MFA?",
        "what's the VPN for, and can't I use `ssh`?",
        "it`s broken",  # a backtick is an apostrophe too
        "What’s the policy on café's naïve İ'x?",  # non-ASCII: the plain path
        "",
    ],
)
def test_words_and_surface_match_the_plain_tokenisers(text):
    assert words_and_surface(text) == (words(text), surface_words(text))


def test_words_and_surface_match_on_random_ascii():
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " '`_-.?!,"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert words_and_surface(text) == (words(text), surface_words(text)), text


_QUESTIONS = [
    "How do I reset my MFA?",
    "vpn vpn keeps dropping lol, who do I call?",
    "as a manager, how do I approve the expense claim in the portal",
    "write a python script that finds stuck pods",
    "my football team lost again",
]


def _translate_all(translator):
    import json

    from alto_cli.language import to_compact

    found = []
    for question in _QUESTIONS:
        t = translator.translate(question)
        evidence = json.dumps(t.evidence, sort_keys=True, default=str)
        found.append((to_compact(t.instruction), t.confidence, t.out_of_scope, t.reason, evidence))
    return found


def test_word_facts_looked_up_before_the_models_load_are_not_reused(local):
    """The word facts hold the models' rows and lifts: facts read with the models not loaded
    yet (``rule_features``) must not stand in for them once they are."""
    from alto_cli.registry import load_registry
    from alto_cli.translate import LocalTranslator

    early = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))
    for question in _QUESTIONS:
        early.rule_features(question)  # facts read while the models are still pending
    assert _translate_all(early) == _translate_all(local)


def test_row_scores_are_text_scores(local):
    model = local.intent_model
    for words_ in (["reset", "mfa"], ["vpn", "vpn", "zork", "zork", "the"], ["zork"], []):
        found = [model.rows[w] for w in words_ if w in model.rows]
        found.append(model.rows["RULE_CMD=FA"])
        expected = model.text_scores(words_, ("RULE_CMD=FA",))
        assert model.row_scores(found) == expected
        if len(set(words_)) == len(words_):
            assert model.row_scores(found, distinct=True) == expected


def test_section_scores_from_entries_are_the_scores(local):
    sections = local.matcher.sections
    stems = ["vpn", "reset", "mfa", "vpn", "zork"]
    entries = [sections.entry(s) for s in stems]
    by_stems, by_entries = sections.score(stems), sections.score_entries(stems, entries)
    assert (by_entries.top, by_entries.top_code, by_entries.found, by_entries.terms) == (
        by_stems.top,
        by_stems.top_code,
        by_stems.found,
        by_stems.terms,
    )
    assert by_entries.ranked() == by_stems.ranked()
