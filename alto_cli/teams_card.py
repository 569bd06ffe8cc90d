"""A Microsoft Teams Adaptive Card for a run's answer (the plan's Teams integration).

Header: the assistant's name (ALTO_ASSISTANT_NAME, default "alto") and the mode from CMD;
then the answer; then a sources section. Pure: returns the card as a dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alto_cli.config import ENV_ASSISTANT_NAME, env

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MODES = {
    "FA": "Answer",
    "EX": "Explain",
    "GC": "Generate code",
    "PL": "Plan",
    "DI": "Diagnose",
}


def assistant_name(flag: str | None = None) -> str:
    return flag or env(ENV_ASSISTANT_NAME, "alto") or "alto"


def _strip_sources(answer: str) -> str:
    """The answer without its trailing plain-text sources block (the card has its own)."""
    head, sep, _tail = answer.rpartition("\nSources:\n")
    return head.rstrip() if sep else answer


def adaptive_card(
    *,
    answer: str,
    command: str,
    sources: Sequence[dict[str, Any]],
    name: str | None = None,
    cached: bool = False,
) -> dict[str, Any]:
    mode = MODES.get(command, command)
    header = {
        "type": "Container",
        "style": "emphasis",
        "items": [
            {
                "type": "ColumnSet",
                "columns": [
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [
                            {
                                "type": "TextBlock",
                                "text": assistant_name(name),
                                "weight": "Bolder",
                                "color": "Good",
                            },
                            {
                                "type": "TextBlock",
                                "text": f"Mode: {mode}" + (" (cached)" if cached else ""),
                                "size": "Small",
                                "isSubtle": True,
                                "spacing": "None",
                            },
                        ],
                    }
                ],
            }
        ],
    }
    body: list[dict[str, Any]] = [
        header,
        {"type": "TextBlock", "text": _strip_sources(answer), "wrap": True},
    ]
    if sources:
        facts = []
        for source in sources:
            title = source.get("title") or source.get("doc_path", "")
            section = source.get("section")
            facts.append(
                {
                    "title": f"[{source.get('tag', len(facts) + 1)}]",
                    "value": f"{title} - {section}" if section else str(title),
                }
            )
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    {"type": "TextBlock", "text": "Sources", "weight": "Bolder", "size": "Small"},
                    {"type": "FactSet", "facts": facts},
                ],
            }
        )
    return {"$schema": CARD_SCHEMA, "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
