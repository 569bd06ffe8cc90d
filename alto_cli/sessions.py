"""Conversation sessions: history kept in compact ALTO form, within a fixed token budget.

A session is one JSON file under data_dir()/sessions, rewritten atomically under a lock.
Each exchange keeps its instruction (compact ALTO), the question and a short answer. Past
MAX_VERBATIM_HISTORY exchanges the session compresses: the last KEEP_RECENT stay verbatim,
earlier ones are folded into the facts they established (key sentences and entities of the
answers, or an LLM summary when one is configured) and the command patterns used. The
context handed to the prompt is trimmed to ``budget_tokens`` however long the session runs:
recent answers shrink first, then facts are cut to their entities, then the facts referred
to least are dropped (the oldest survive ties: early facts are what later turns build on).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alto_cli.config import ENV_SESSION_BUDGET, data_dir, env_number
from alto_cli.errors import InvalidInputError, NotFoundError
from alto_cli.fsutil import atomic_write_text, locked

MAX_VERBATIM_HISTORY = 15
KEEP_RECENT = 5
DEFAULT_BUDGET_TOKENS = 360
FACT_MAX_WORDS = 28
RECENT_ANSWER_WORDS = 40
SESSION_FORMAT = 1
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_SOURCE_LINE_RE = re.compile(r"^\[\d+\] .*\(.*\)$")
_ENTITY_RE = re.compile(
    r"`[^`]+`|https?://\S+|\b\d[\d:.,/%-]*\s*(?:minutes?|hours?|days?|business days|%)?"
    r"|\b[A-Z][A-Za-z0-9]*(?:[ -][A-Z][A-Za-z0-9]*)*\b"
)


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def check_name(name: str) -> str:
    if not _NAME_RE.fullmatch(name):
        raise InvalidInputError(
            f"bad session name {name!r}: use 1-64 letters, digits, '_', '-' or '.', "
            "starting with a letter or digit"
        )
    return name


def session_path(name: str) -> Path:
    return sessions_dir() / f"{check_name(name)}.json"


@dataclass
class Session:
    name: str
    exchanges: list[dict[str, Any]] = field(default_factory=list)  # the recent, verbatim ones
    facts: list[dict[str, Any]] = field(default_factory=list)  # folded: {"n","q","text","refs"}
    patterns: dict[str, int] = field(default_factory=dict)  # CMD/Q/CTX pattern -> count
    total: int = 0  # exchanges ever appended
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SESSION_FORMAT,
            "name": self.name,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "patterns": self.patterns,
            "facts": self.facts,
            "exchanges": self.exchanges,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(
            name=str(data["name"]),
            exchanges=list(data.get("exchanges", [])),
            facts=list(data.get("facts", [])),
            patterns=dict(data.get("patterns", {})),
            total=int(data.get("total", 0)),
            created=float(data.get("created", time.time())),
            updated=float(data.get("updated", time.time())),
        )


def load(name: str, *, create: bool = False) -> Session:
    path = session_path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if create:
            return Session(name=name)
        raise NotFoundError(f"no session named {name!r}", hint="see `alto session list`") from None
    except (OSError, ValueError) as err:
        raise InvalidInputError(f"{path}: unreadable session file: {err}") from None
    return Session.from_dict(data)


def save(session: Session) -> None:
    session.updated = time.time()
    atomic_write_text(session_path(session.name), json.dumps(session.to_dict(), indent=1) + "\n")


def list_sessions() -> list[dict[str, Any]]:
    folder = sessions_dir()
    rows = []
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        try:
            session = Session.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError):
            continue
        rows.append(
            {
                "name": session.name,
                "exchanges": session.total,
                "facts": len(session.facts),
                "updated": session.updated,
            }
        )
    return rows


def clear(name: str) -> bool:
    path = session_path(name)
    with locked(path):
        if not path.exists():
            return False
        path.unlink()
        return True


def answer_gist(answer: str) -> str:
    """The answer without its sources block, on one line."""
    kept = []
    for line in answer.splitlines():
        if line.strip() == "Sources:" or _SOURCE_LINE_RE.match(line.strip()):
            continue
        kept.append(line.strip())
    return re.sub(r"\s+", " ", " ".join(kept)).strip()


def _clip_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" ..." if len(words) > limit else "")


def extract_fact(question: str | None, query: str, answer: str) -> str:
    """The fact an exchange established: the answer's first key sentence, clipped."""
    gist = answer_gist(answer)
    sentences = re.split(r"(?<=[.!?])\s+|\s(?=\d+\.\s)", gist)
    key = next((s for s in sentences if len(s.split()) >= 4), gist)
    return _clip_words(key, FACT_MAX_WORDS)


def entities(text: str) -> str:
    """The names, numbers, codes and URLs in a fact: its shortest faithful form."""
    found = [m.group(0).strip() for m in _ENTITY_RE.finditer(text) if m.group(0).strip()]
    return ", ".join(dict.fromkeys(found))


def _pattern(alto: str) -> str:
    """The command pattern of an exchange: its command and the documents it drew on."""
    fields = dict(part.split(":", 1) for part in alto.split("|") if ":" in part)
    return f"{fields.get('CMD', '?')}[{fields.get('CTX', '')}]"


Summarizer = Callable[[list[dict[str, Any]]], list[str]]


def append(
    name: str,
    *,
    alto: str,
    question: str | None,
    answer: str,
    summarizer: Summarizer | None = None,
) -> Session:
    """Record one exchange (under the session's lock) and compress when it grows past 15."""
    path = session_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        session = load(name, create=True)
        session.total += 1
        session.exchanges.append(
            {
                "n": session.total,
                "alto": alto,
                "question": question,
                "answer": _clip_words(answer_gist(answer), 120),
                "ts": time.time(),
            }
        )
        pattern = _pattern(alto)
        session.patterns[pattern] = session.patterns.get(pattern, 0) + 1
        _mark_references(session, alto, question)
        if len(session.exchanges) > MAX_VERBATIM_HISTORY:
            fold(session, summarizer)
        save(session)
        return session


def _mark_references(session: Session, alto: str, question: str | None) -> None:
    """A fact gains importance each time a later exchange comes back to its subject."""
    query = next((p[2:] for p in alto.split("|") if p.startswith("Q:")), "")
    text = f"{query} {question or ''}".lower()
    for fact in session.facts:
        subject = str(fact.get("q", "")).lower()
        if subject and (subject == query.lower() or subject in text):
            fact["refs"] = int(fact.get("refs", 0)) + 1


def fold(session: Session, summarizer: Summarizer | None = None) -> None:
    """Keep the last KEEP_RECENT exchanges; fold the earlier ones into facts."""
    older, session.exchanges = session.exchanges[:-KEEP_RECENT], session.exchanges[-KEEP_RECENT:]
    summaries: list[str] | None = None
    if summarizer is not None:
        try:
            summaries = summarizer(older)
        except Exception:  # an LLM summary is a bonus; the extractive facts always work
            summaries = None
        if summaries is not None and len(summaries) != len(older):
            summaries = None
    for i, exchange in enumerate(older):
        fact = _fact_of(exchange)
        if summaries:
            fact["text"] = _clip_words(summaries[i], FACT_MAX_WORDS)
        session.facts.append(fact)


def _fact_of(exchange: dict[str, Any]) -> dict[str, Any]:
    query = next((p[2:] for p in exchange["alto"].split("|") if p.startswith("Q:")), "")
    text = extract_fact(exchange.get("question"), query, exchange.get("answer", ""))
    return {"n": exchange["n"], "q": query, "text": text, "refs": 0}


def render_context(session: Session, budget_tokens: int | None = None) -> str:
    """The history for the prompt, never over ``budget_tokens`` (counted with tiktoken)."""
    from alto_cli.tokens import count_tokens, truncate_to_tokens

    budget = int(budget_tokens or env_number(ENV_SESSION_BUDGET, DEFAULT_BUDGET_TOKENS, minimum=16))
    # Exchanges not folded yet but older than the last KEEP_RECENT count as facts already.
    pending = session.exchanges[:-KEEP_RECENT] if len(session.exchanges) > KEEP_RECENT else []
    recent = session.exchanges[len(pending) :]
    facts = sorted(
        [*session.facts, *(_fact_of(e) for e in pending)],
        key=lambda f: f["n"],
    )
    patterns = sorted(session.patterns.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    detail = 0  # recent answers: 0 the gist, 1 its key sentence, 2 its entities
    short_facts: set[int] = set()
    dropped: set[int] = set()

    def render() -> str:
        lines: list[str] = []
        kept = [f for f in facts if f["n"] not in dropped]
        if kept:
            lines.append("facts:")
            for fact in kept:
                body = entities(fact["text"]) if fact["n"] in short_facts else fact["text"]
                lines.append(f"#{fact['n']} {fact['q']}: {body}")
        if patterns and facts:
            lines.append("patterns: " + " ".join(f"{p}x{n}" for p, n in patterns))
        for exchange in recent:
            answer = _recent_answer(exchange, detail)
            lines.append(f"#{exchange['n']} {exchange['alto']} => {answer}".rstrip(" =>"))
        return "\n".join(lines)

    text = render()
    # Shrink step by step until the context fits.
    while count_tokens(text) > budget and detail < 2:
        detail += 1
        text = render()
    for fact in sorted(facts, key=lambda f: (f.get("refs", 0), -f["n"])):
        if count_tokens(text) <= budget:
            break
        short_facts.add(fact["n"])
        text = render()
    for fact in sorted(facts, key=lambda f: (f.get("refs", 0), -f["n"])):
        if count_tokens(text) <= budget:
            break
        dropped.add(fact["n"])
        text = render()
    if count_tokens(text) > budget:
        text = truncate_to_tokens(text, budget)
    return text


def _recent_answer(exchange: dict[str, Any], detail: int) -> str:
    answer = exchange.get("answer", "")
    if detail == 0:
        return _clip_words(answer, RECENT_ANSWER_WORDS)
    fact = extract_fact(exchange.get("question"), "", answer)
    return fact if detail == 1 else _clip_words(entities(fact), 12)


def llm_summarizer(model: str, timeout: float, max_retries: int) -> Summarizer:
    """One fact per exchange from the configured LLM (used only when one is configured)."""

    def summarize(exchanges: list[dict[str, Any]]) -> list[str]:
        from alto_cli.answering import llm_answer

        listing = "\n".join(
            f"{i + 1}. {e['alto']} => {_clip_words(e.get('answer', ''), 80)}"
            for i, e in enumerate(exchanges)
        )
        prompt = (
            "For each numbered exchange, write the one fact it established (<=25 words), "
            f"one line each, numbered the same.\n{listing}"
        )
        answer = llm_answer(prompt, model=model, timeout=timeout, max_retries=max_retries)
        lines = [re.sub(r"^\s*\d+[.)]\s*", "", ln).strip() for ln in answer.text.splitlines()]
        return [ln for ln in lines if ln]

    return summarize
