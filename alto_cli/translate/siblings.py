"""Choosing between a guide and its policy that the same keyword matched ("mfa").

The minimal cover (``ctx_cover``) keeps every code that lists a matched keyword, since the
words alone cannot tell which one the question needs. Between a policy and a guide whose
evidence is the same words, the question's cues decide: policy cues ("allowed", "required",
"exempt") keep the policy, a how-to keeps both (a procedure needs the steps and the
identity checks the policy sets: the documented MFA reset/enrolment case), anything else (a
failure, code, a look-up) keeps the guide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alto_cli.translate.lexicon import words_of
from alto_cli.translate.matcher import CtxResult

POLICY_CUES = frozenset(
    words_of(
        """policy policies rule rules required require requires requirement requirements must
        mandatory allowed allow allows permitted approved exempt exemption exemptions exception
        exceptions compliance compliant why purpose"""
    )
)
_POLICY_TITLE_WORDS = ("polic", "standard")


class SiblingRule:
    def __init__(self, registry: Iterable[Any]) -> None:
        self.policies = frozenset(
            entry.code
            for entry in registry
            if any(w in f"{entry.name} {entry.title}".lower() for w in _POLICY_TITLE_WORDS)
        )

    def settle(self, ctx: CtxResult, words: Iterable[str], *, procedure: bool) -> CtxResult:
        policy_cue = not POLICY_CUES.isdisjoint(words)
        picked = [m for m in ctx.matches if m.code in ctx.codes]
        dropped: set[str] = set()
        for weak in picked:
            for strong in picked:
                if strong is weak or strong.code in dropped or weak.code in dropped:
                    continue
                if not weak.positions <= strong.positions or weak.score > strong.score:
                    continue
                tie = weak.positions == strong.positions and weak.score == strong.score
                weak_policy = weak.code in self.policies
                strong_policy = strong.code in self.policies
                if weak_policy == strong_policy:
                    continue  # the minimal cover (ctx_cover) already chose between these
                policy, guide = (weak, strong) if weak_policy else (strong, weak)
                if policy_cue:
                    if guide.positions <= policy.positions:
                        dropped.add(guide.code)
                elif not procedure and (tie or policy is weak):
                    dropped.add(policy.code)
        if not dropped:
            return ctx
        for m in picked:
            if m.code in dropped:
                m.verdict = "dropped: the same words as its guide or policy, and the cues say so"
        codes = tuple(c for c in ctx.codes if c not in dropped)
        return CtxResult(codes, ctx.matches, ctx.confidence, ctx.evidence_words)
