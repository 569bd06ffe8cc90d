"""A small learned intent model next to the local translator's rules. Pure Python, stdlib only.

Four linear models share one feature table, trained by ``intent_training`` on the labelled
question sets and shipped as ``data/intent_model.json``:

- CMD: a multinomial logistic regression over the question's words plus the
  rules' own CMD as one more token (``RULE_CMD=DI``), TF-IDF weighted and L2-normalised
  together: a rule token outside the norm outweighed the words, and the model only copied
  rules that were written looking at its training questions;
- out of scope: a binary logistic regression over the same words plus the rules' CTX codes
  and out-of-scope verdict (``CTX=AG3``, ``RULE_OOS``);
- CTX: one binary logistic regression per code the training questions need, over the same
  words: how likely the question needs the code's documents. The CTX re-ranker
  (``ctx_ranker``) reads these logits as a feature and as extra candidates: they know the
  wording of questions whose documents the registry's words do not name;
- steps: a binary logistic regression over the same words plus the rules' FMT (outside the
  norm): whether an FA question without a format cue wants steps (a how-to) or a summary.

The words are the translator's normalised ones (after its spelling corrections, synonym
rewrites and phrase merges), so training and translation see the same tokens. The file is
read lazily, once per process; a missing or unreadable file leaves the rules alone.
"""

from __future__ import annotations

import base64
import binascii
import math
import sys
from array import array
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import add, mul, sub
from pathlib import Path
from typing import Any

from alto_cli.translate.model_file import ModelFileError, read_model, shared

FORMAT_VERSION = 4
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "intent_model.json"
# The feature table: "features", the n-grams, sorted; "weights", base64 of little-endian
# float32 rows [idf, idf * CMD weights (one per label)..., idf * out-of-scope weight,
# idf * CTX weights (one per code)..., idf * steps weight], one per n-gram (pre-multiplied: a
# question's scores are then column sums).
# Parsing ~9,000 decimal numbers from JSON took 2.6 ms; decoding the packed rows takes ~0.1 ms.


class IntentModelError(ModelFileError):
    """The model file is missing, unreadable or not a model of this format."""


def rule_token(command: str) -> str:
    """The rules' CMD as the token the model reads next to the words."""
    return "RULE_CMD=" + command


def ngrams(words: Sequence[str]) -> list[str]:
    """The model's n-grams: the normalised words themselves. Word bigrams were tried: grouped
    CV gave CMD 94.4 % with them and 94.6 % without, and they took a third of the model's time."""
    return list(words)


class IntentModel:
    """The loaded model; ``text_scores`` once per question, then the two heads."""

    def __init__(self, data: dict[str, Any]) -> None:
        try:
            if data.get("format") != FORMAT_VERSION:
                raise IntentModelError(f"format {data.get('format')!r}, expected {FORMAT_VERSION}")
            cmd, oos, ctx, fmt = data["cmd"], data["oos"], data["ctx"], data["fmt"]
            self.labels: tuple[str, ...] = tuple(cmd["labels"])
            self.ctx_codes: tuple[str, ...] = tuple(ctx["codes"])
            self.ctx_bias: tuple[float, ...] = tuple(float(b) for b in ctx["bias"])
            # each code's registry name at training: a registry that renamed a code (or
            # reuses its letters for another document) gets no logit for it
            self.ctx_names: tuple[str, ...] = tuple(ctx.get("names") or [""] * len(self.ctx_codes))
            if not len(self.ctx_bias) == len(self.ctx_names) == len(self.ctx_codes):
                raise IntentModelError("ctx codes, names and bias differ in length")
            width = len(self.labels) + 3 + len(self.ctx_codes)
            self.fmt_bias = float(fmt["bias"])
            # the rules' FMT (STP or SUM) -> its weight
            self.fmt_rules: dict[str, float] = {k: float(v) for k, v in fmt["rules"].items()}
            self.fmt_enabled = bool(fmt["enabled"])
            self.cmd_bias: tuple[float, ...] = tuple(float(b) for b in cmd["bias"])
            self.cmd_threshold = float(cmd["threshold"])
            self.oos_bias = float(oos["bias"])
            self.oos_threshold = float(oos["threshold"])
            self.oos_enabled = bool(oos["enabled"])
            # a question the rules found no code for is in scope when the head is below this
            # (0: never; such questions are then out of scope by the rules alone)
            self.oos_open_threshold = float(oos.get("open_threshold", 0.0))
            names = data["features"]
            weights = array("f")
            weights.frombytes(base64.b64decode(data["weights"], validate=True))
            if sys.byteorder != "little":
                weights.byteswap()
            if len(weights) != width * len(names):
                raise IntentModelError(
                    f"{len(weights)} weights for {len(names)} features of {width} values"
                )
            # n-gram -> its row
            # held as (idf squared, the rest): one column sum then gives the L2 norm too
            self.rows: dict[str, tuple[float, ...]] = {
                name: (weights[o] * weights[o], *weights[o + 1 : o + width])
                for name, o in zip(names, range(0, len(weights), width), strict=True)
            }
            # the out-of-scope head's rule features: value 1, outside the TF-IDF norm;
            # [CMD weights (unused, 0)..., oos weight]
            self.rules: dict[str, tuple[float, ...]] = {
                name: tuple(float(v) for v in row) for name, row in data["rules"].items()
            }
            if len(self.cmd_bias) != len(self.labels):
                raise IntentModelError("cmd bias and labels differ in length")
        except (KeyError, TypeError, ValueError, AttributeError, binascii.Error) as err:
            raise IntentModelError(f"malformed model: {err!r}") from None
        self.training_hash = str(data.get("training_hash", ""))
        self.training_files = tuple(data.get("training_files", ()))
        self._zero = (0.0,) * (width - 1)

    # -- scoring
    def text_scores(
        self, words: Sequence[str], extra: Sequence[str] = (), *, distinct: bool = False
    ) -> tuple[float, ...]:
        """The words' (and ``extra`` tokens') contribution to each CMD label and to out of
        scope: TF-IDF over the known n-grams, L2-normalised, times the weights.

        ``distinct``: the caller knows that no word or token repeats, so it is not checked
        again here."""
        get = self.rows.get
        # map(get) looks the words up in C, filter drops the unknown ones (None; a row is
        # never empty); the extra tokens follow, in the same order
        found = list(filter(None, map(get, words)))
        found += filter(None, map(get, extra))
        return self.row_scores(found, distinct=distinct)

    def row_scores(
        self, found: list[tuple[float, ...]], *, distinct: bool = False
    ) -> tuple[float, ...]:
        """``text_scores`` from the rows (``rows``' values) of the known words and tokens,
        in their order: for a caller that looked them up already. ``distinct``: the caller
        knows no row is there twice (else it is checked)."""
        if not found:
            return self._zero
        # rows hold (idf squared, idf * weights...): the column sums are the unnormalised dot
        # products, and the first one the squared norm
        # not strict: every row has the width checked on loading (the check costs ~0.3 us,
        # and a ``strict`` keyword sends zip through the slow call path, ~0.2 us more)
        # each sum from 0.0 (as from 0, the same floats), skipping sum's integer start
        sums = list(map(sum, zip(*found), repeat(0.0)))  # noqa: B905
        norm = sums[0]
        if not distinct and len(set(map(id, found))) != len(found):
            # a repeated word: tf counts it twice in one value, not in two squares (a repeated
            # unknown word has no row: every count stays at 1, which gives the column sum's
            # norm)
            counts: dict[int, list[Any]] = {}
            for row in found:
                counts.setdefault(id(row), [0, row[0]])[0] += 1
            norm = sum(c * c * idf2 for c, idf2 in counts.values())
        scale = 1.0 / math.sqrt(norm)
        return tuple(map(mul, sums[1:], repeat(scale)))

    def command_probs(self, text: Sequence[float]) -> dict[str, float]:
        """P(label) for CMD, best first (``text``: ``text_scores`` with the rule token)."""
        # the same operations as a comprehension, taken in C (map stops at the labels' end:
        # text has OOS last)
        logits = list(map(add, text, self.cmd_bias))
        top = max(logits)
        exps = list(map(math.exp, map(sub, logits, repeat(top))))
        total = sum(exps)
        ranked = sorted(zip(exps, self.labels), reverse=True)  # noqa: B905 (one per label)
        return {label: e / total for e, label in ranked}

    def code_logits(self, text: Sequence[float]) -> dict[str, float]:
        """{code: logit of P(the question needs it)} from ``text_scores``, for the codes the
        training questions needed (a code registered later has none)."""
        first = len(self.labels) + 1
        # map stops at the codes' end: text holds exactly one logit per code past ``first``
        return dict(zip(self.ctx_codes, map(add, self.ctx_bias, text[first:])))  # noqa: B905

    def steps_prob(self, text: Sequence[float], rule_fmt: str) -> float:
        """P(FMT is STP) for an FA question without a format cue, from ``text_scores`` and
        the rules' FMT."""
        return _sigmoid(text[-1] + self.fmt_bias + self.fmt_rules.get(rule_fmt, 0.0))

    def head_codes(self, names: dict[str, str]) -> frozenset[str] | None:
        """The codes whose CTX logits hold for a registry of ``names`` (code -> name): those
        it registers under the name they were trained with (a name left empty in the file
        matches any). None when that is every code the head knows."""
        kept = frozenset(
            code
            for code, name in zip(self.ctx_codes, self.ctx_names, strict=True)
            if code in names and (not name or names[code] == name)
        )
        return None if len(kept) == len(self.ctx_codes) else kept

    def out_of_scope_prob(self, text: Sequence[float], rule_features: Iterable[str]) -> float:
        """P(out of scope) from the words and the rules' features (``oos_features``)."""
        k = len(self.labels)
        logit = text[k] + self.oos_bias
        rules = self.rules
        for name in rule_features:
            row = rules.get(name)
            if row is not None:
                logit += row[k]
        return _sigmoid(logit)

    def predict(
        self, words: Sequence[str], rule_command: str, rule_features: Iterable[str] = ()
    ) -> dict[str, float]:
        """{label: probability} for CMD, plus "OOS" for out of scope."""
        text = self.text_scores(words, (rule_token(rule_command),))
        probs = self.command_probs(text)
        probs["OOS"] = self.out_of_scope_prob(text, rule_features)
        return probs


def _sigmoid(logit: float) -> float:
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    e = math.exp(logit)  # no overflow for a very negative logit
    return e / (1.0 + e)


class EverydaySignal:
    """The question's words of the everyday lexicon (``everyday``), as the head reads them.

    A plain class: a NamedTuple or dataclass costs ~1.5 ms of start-up on every run."""

    __slots__ = ("anchor_weight", "beside_anchor", "content", "words")

    def __init__(
        self, words: int = 0, content: int = 0, beside_anchor: bool = False, anchor_weight: int = 0
    ) -> None:
        self.words = words  # everyday words
        self.content = content  # content (non-stop) words
        self.beside_anchor = beside_anchor  # one next to the question's only IT word
        self.anchor_weight = anchor_weight  # the translator's ``_anchor_weight``


NO_EVERYDAY_WORDS = EverydaySignal()


class DocSignal:
    """What the section index (``section_index``) says of the question's content stems, as
    the head reads it: the documents use words the registry and salient terms do not."""

    __slots__ = ("agrees", "content", "rare_unmatched", "top", "used")

    def __init__(
        self,
        top: float = 0.0,
        used: int = 0,
        content: int = 0,
        rare_unmatched: bool = False,
        agrees: bool = False,
    ) -> None:
        self.top = top  # the best section's BM25 score
        self.used = used  # content stems some document uses
        self.content = content  # content stems looked up
        self.rare_unmatched = rare_unmatched  # a rare document stem the matcher did not use
        self.agrees = agrees  # the best section's code is one of the rules' codes


# the best section's score, binned (cumulative: a low score sets every bin above it)
DOC_TOP_BINS = tuple((bound, f"DOC_TOP<{bound:g}") for bound in (3.0, 6.0, 12.0))


def doc_features(doc: DocSignal) -> list[str]:
    """The section index's features for the out-of-scope head."""
    if not doc.content:
        return []
    top = doc.top
    found = [name for bound, name in DOC_TOP_BINS if top < bound]
    if not doc.used:
        found.append("DOC_NONE_USED")
    elif doc.used == doc.content:
        found.append("DOC_ALL_USED")
    elif doc.used * 2 <= doc.content:
        found.append("DOC_HALF_UNUSED")
    if doc.rare_unmatched:
        found.append("DOC_RARE_UNMATCHED")
    if doc.agrees:
        found.append("DOC_AGREES")
    return found


def oos_features(
    codes: Iterable[str],
    rule_out_of_scope: bool,
    off_topic: bool,
    everyday: EverydaySignal = NO_EVERYDAY_WORDS,
    doc: DocSignal | None = None,
) -> list[str]:
    """The rule features the out-of-scope head reads (training builds them the same way)."""
    found = [f"CTX={code}" for code in codes]
    if not found:
        found.append("NO_CTX")  # the rules found no code (the head asked only when trained so)
    if rule_out_of_scope:
        found.append("RULE_OOS")
    if off_topic:
        found.append("OFF_TOPIC")
    if everyday.words:
        found.append("EVERYDAY")
        if everyday.words >= 2:
            found.append("EVERYDAY_2")
        if everyday.words * 3 >= everyday.content:
            found.append("EVERYDAY_THIRD")  # a third of the content words or more
        if everyday.beside_anchor:
            found.append("EVERYDAY_BESIDE_ANCHOR")
        if everyday.words >= everyday.anchor_weight:
            found.append("EVERYDAY_OUTWEIGHS")
    if doc is not None:
        found += doc_features(doc)
    return found


def load_model(path: Path | str | None = None) -> IntentModel:
    """Read a model file; IntentModelError when it is missing or not a model."""
    return read_model(path or DEFAULT_PATH, IntentModel, kind="model", error=IntentModelError)


def shared_model(path: Path | str | None = None) -> tuple[IntentModel | None, str]:
    """The model for ``path`` (default: the shipped one), read once per process.

    Returns (model, "") or (None, warning): the translator then uses its rules alone.
    """
    return shared(path or DEFAULT_PATH, IntentModel, kind="intent model", error=IntentModelError)
