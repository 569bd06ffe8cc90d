from __future__ import annotations

from alto_cli.teams_card import adaptive_card


def _texts(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        for value in node.values():
            found += _texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value)
    return found


def test_card_has_header_answer_and_sources(monkeypatch) -> None:
    sources = [{"tag": 1, "title": "Authentication Guide v3", "section": "Reset", "doc_path": "x"}]
    card = adaptive_card(
        answer="1. Do it [1]\n\nSources:\n[1] Authentication Guide v3 - Reset (x)",
        command="FA",
        sources=sources,
    )
    assert card["type"] == "AdaptiveCard" and card["version"]
    texts = _texts(card)
    assert texts[0] == "alto" and texts[1] == "Mode: Answer"
    assert "1. Do it [1]" in texts and not any("Sources:\n" in t for t in texts)
    facts = card["body"][-1]["items"][1]["facts"]
    assert facts == [{"title": "[1]", "value": "Authentication Guide v3 - Reset"}]
    monkeypatch.setenv("ALTO_ASSISTANT_NAME", "Flash AI")
    named = adaptive_card(answer="x", command="DI", sources=[])
    assert _texts(named)[:2] == ["Flash AI", "Mode: Diagnose"]
    assert len(named["body"]) == 2  # no sources section without sources
