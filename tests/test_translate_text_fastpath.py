"""The translator's fast paths give exactly what the plain functions give."""

from __future__ import annotations

import random
import string

import pytest

from alto_cli.translate.text import surface_words, words, words_and_surface


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
