"""The LLM translator: the real ``openai`` client, structured output, one repair, then local.

The request carries a JSON schema derived from the instruction's fields, with CTX items limited
to the registry's codes, a system prompt listing those codes, and few-shot examples built from
the registry (by the local translator, so they only name registered codes). Temperature 0.
An answer that still breaks a rule after one repair request falls back to the local translator
with a warning. Timeouts, 429 and 5xx are retried by the client (``max_retries``, with backoff)
and end in a ProviderError. Answers are cached on disk (``cache``).
"""

from __future__ import annotations

import dataclasses
import json
import typing
from enum import Enum
from typing import Any

from alto_cli.config import ENV_TRANSLATE_MODEL, env
from alto_cli.language.model import FIELD_KEYS, Instruction
from alto_cli.language.symbols import (
    COMMAND_NAMES,
    CTX_MAX_CODES,
    FORMAT_NAMES,
    LANGUAGE_NAMES,
    Q_MAX_LENGTH,
    Q_RE,
    ROLE_NAMES,
    Command,
    Format,
    Language,
    Role,
)
from alto_cli.translate.local import LocalTranslator
from alto_cli.translate.result import Fields, Translation

DEFAULT_MODEL = "gpt-4o-mini"
LLM_CONFIDENCE = 0.9
EXAMPLE_QUESTIONS = (
    "How do I reset my MFA?",
    "Generate a Python script to delete old tokens.",
    "Who is on the SRE team?",
    "Why does the deploy pipeline keep failing?",
)
OUT_OF_SCOPE_EXAMPLE = "Can you order a pizza for the team?"


def translate_model(model: str | None = None) -> str:
    """--model, else ALTO_TRANSLATE_MODEL, else the default."""
    return model or env(ENV_TRANSLATE_MODEL, DEFAULT_MODEL) or DEFAULT_MODEL


def response_schema(codes: list[str]) -> dict[str, Any]:
    """The JSON schema of an answer: the instruction model's fields under their ALTO keys
    (CTX limited to ``codes``), and ``out_of_scope``; every property required (strict mode)."""
    hints = typing.get_type_hints(Instruction)
    properties: dict[str, Any] = {}
    for item in dataclasses.fields(Instruction):
        key = FIELD_KEYS.get(item.name)
        if key is not None:  # the version is fixed, not the model's to choose
            properties[key] = _field_schema(hints[item.name], codes)
    properties["out_of_scope"] = {"type": "boolean"}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _field_schema(kind: Any, codes: list[str]) -> dict[str, Any]:
    if isinstance(kind, type) and issubclass(kind, Enum):  # CMD, FMT, U, L
        return {"type": "string", "enum": [member.value for member in kind]}
    if kind is str:  # Q, the one free-text field
        return {"type": "string", "pattern": Q_RE.pattern}
    if typing.get_origin(kind) is tuple:  # CTX
        items: dict[str, Any] = {"type": "string"}
        if codes:
            items["enum"] = sorted(codes)
        return {"type": "array", "items": items}
    raise TypeError(f"no JSON schema for an instruction field of type {kind!r}")


def system_prompt(registry: Any) -> str:
    def table(names: dict[Any, str]) -> str:
        return ", ".join(f"{k.value} = {v}" for k, v in names.items())

    lines = [
        "You convert questions from staff into ALTO instructions, as JSON.",
        f"CMD (command): {table(COMMAND_NAMES)}.",
        "Q: the question as 1-5 keywords joined by '_', only [A-Za-z0-9_], at most "
        f"{Q_MAX_LENGTH} characters; verbs abbreviated (reset=rst, delete=del, create=crt, "
        "update=upd, configure=cfg, rotate=rot, request=req, access=acc, deploy=dpl); acronyms "
        "upper-case (MFA, API, SSO); for generate_code end with the language: py or js.",
        f"FMT (format): {table(FORMAT_NAMES)}. how-to -> STP, what/who -> SUM, code -> PY.",
        f"U (role of the asker): {table(ROLE_NAMES)}. Default SU; code requests EN.",
        f"L (output language): {table(LANGUAGE_NAMES)}. Default EN; code: PY or JS.",
        f"CTX: 0 to {CTX_MAX_CODES} document codes, only from this list, the fewest that answer:",
    ]
    for entry in registry:
        detail = entry.title or entry.name
        if entry.description:
            detail += f": {entry.description}"
        lines.append(f"- {entry.code} ({entry.name}) {detail}")
    lines.append("A question outside these documents' domain gets CTX [] and out_of_scope true.")
    return "\n".join(lines)


def example_messages(local: LocalTranslator) -> list[dict[str, str]]:
    """Few-shot turns: fixed questions, translated against this registry."""
    messages: list[dict[str, str]] = []
    for question in EXAMPLE_QUESTIONS:
        result = local.translate(question)
        if result.out_of_scope:
            continue  # this registry has no such topic
        messages.append({"role": "user", "content": question})
        messages.append({"role": "assistant", "content": json.dumps(_answer(result))})
    result = local.translate(OUT_OF_SCOPE_EXAMPLE)
    messages.append({"role": "user", "content": OUT_OF_SCOPE_EXAMPLE})
    messages.append({"role": "assistant", "content": json.dumps(_answer(result))})
    return messages


def _answer(result: Translation) -> dict[str, Any]:
    f = result.fields
    return {
        "CMD": f.command.value,
        "Q": f.query,
        "CTX": list(f.ctx),
        "FMT": f.fmt.value,
        "U": f.role.value,
        "L": f.language.value,
        "out_of_scope": result.out_of_scope,
    }


def check_answer(content: str | None, codes: set[str]) -> tuple[dict[str, Any] | None, list[str]]:
    """The answer's fields when valid, else None and what is wrong (for the repair request)."""
    try:
        data = json.loads(content or "")
    except json.JSONDecodeError as err:
        return None, [f"the answer is not JSON ({err.msg})"]
    if not isinstance(data, dict):
        return None, ["the answer must be a JSON object"]
    problems: list[str] = []
    for key, enum in (("CMD", Command), ("FMT", Format), ("U", Role), ("L", Language)):
        value = data.get(key)
        allowed = [m.value for m in enum]
        if value not in allowed:
            problems.append(f"{key} {value!r} is not one of {', '.join(allowed)}")
    query = data.get("Q")
    if not isinstance(query, str) or not Q_RE.fullmatch(query) or len(query) > Q_MAX_LENGTH:
        problems.append(
            f"Q {query!r} must be keywords of [A-Za-z0-9] joined by single '_', "
            f"at most {Q_MAX_LENGTH} characters"
        )
    ctx = data.get("CTX", [])
    if not isinstance(ctx, list) or not all(isinstance(c, str) for c in ctx):
        problems.append("CTX must be a list of code strings")
    else:
        unknown = [c for c in ctx if c not in codes]
        if unknown:
            problems.append(
                f"CTX codes {', '.join(map(repr, unknown))} are not registered; "
                f"use only: {', '.join(sorted(codes))}"
            )
        if len(set(ctx)) > CTX_MAX_CODES:
            problems.append(f"CTX has more than {CTX_MAX_CODES} codes")
    if "out_of_scope" in data and not isinstance(data["out_of_scope"], bool):
        problems.append("out_of_scope must be true or false")
    return (None, problems) if problems else (data, [])


class LlmTranslator:
    """Translate with an OpenAI-compatible chat model; reuse one instance for a batch."""

    def __init__(
        self,
        registry: Any,
        *,
        model: str | None = None,
        client: Any = None,
        use_cache: bool = True,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> None:
        self.registry = registry
        self.model = translate_model(model)
        self.codes = set(registry.codes)
        self._client = client
        self._client_options: dict[str, Any] = {}
        if timeout is not None:
            self._client_options["timeout"] = timeout
        if max_retries is not None:
            self._client_options["max_retries"] = max_retries
        self.use_cache = use_cache
        self._prompt: list[dict[str, str]] | None = None
        self._cache: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from alto_cli.openai_client import make_client

            self._client = make_client(**self._client_options)
        return self._client

    def _messages(self, local: LocalTranslator) -> list[dict[str, str]]:
        if self._prompt is None:
            self._prompt = [
                {"role": "system", "content": system_prompt(self.registry)},
                *example_messages(local),
            ]
        return list(self._prompt)

    def translate(
        self, question: str, role: Role | None = None, local: LocalTranslator | None = None
    ) -> Translation:
        local = local or LocalTranslator(self.registry)
        key = None
        if self.use_cache:
            from alto_cli.translate.cache import TranslationCache

            if self._cache is None:
                self._cache = TranslationCache()
            key = self._cache.key(question, self.registry.fingerprint(), self.model, role)
            hit = self._cache.get(key)
            if hit is not None:
                return self._build(hit, role, reason=f"cache hit ({self.model})")
        messages = self._messages(local)
        user = question if role is None else f"{question}\n(The asker's role U is {role.value}.)"
        messages.append({"role": "user", "content": user})
        content = self._ask(messages)
        data, problems = check_answer(content, self.codes)
        repaired = False
        if data is None:
            messages.append({"role": "assistant", "content": content or ""})
            messages.append(
                {
                    "role": "user",
                    "content": "That answer is invalid: "
                    + "; ".join(problems)
                    + ". Reply with the corrected JSON only.",
                }
            )
            content = self._ask(messages)
            data, second = check_answer(content, self.codes)
            repaired = True
            if data is None:
                fallback = local.translate(question, role=role)
                warning = (
                    f"the LLM ({self.model}) gave an invalid answer twice "
                    f"({'; '.join(second)}); used the local translator"
                )
                return fallback.replace(
                    reason=f"local fallback: {warning}",
                    warnings=(*fallback.warnings, warning),
                )
        if key is not None:
            self._cache.set(key, data)
        reason = f"{self.model}" + (" (answer repaired once)" if repaired else "")
        return self._build(data, role, reason=reason)

    def _ask(self, messages: list[dict[str, str]]) -> str | None:
        import openai

        from alto_cli.openai_client import provider_error

        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=0,
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": "alto_instruction",
                        "schema": response_schema(sorted(self.codes)),
                        "strict": True,
                    },
                },
            )
        except openai.OpenAIError as err:
            raise provider_error(err, what="translation request") from None
        try:
            return response.choices[0].message.content
        except (AttributeError, IndexError, TypeError):
            return None

    def _build(self, data: dict[str, Any], role: Role | None, *, reason: str) -> Translation:
        ctx = tuple(dict.fromkeys(data["CTX"]))
        out_of_scope = bool(data.get("out_of_scope")) or not ctx
        fields = Fields(
            command=Command(data["CMD"]),
            query=data["Q"],
            ctx=() if out_of_scope else ctx,
            fmt=Format(data["FMT"]),
            role=role or Role(data["U"]),
            language=Language(data["L"]),
        )
        why = [f"model {self.model}"]
        conf = 0.2 if out_of_scope else LLM_CONFIDENCE
        evidence = {
            "CMD": {"value": fields.command.value, "confidence": conf, "evidence": why},
            "Q": {"value": fields.query, "confidence": conf, "evidence": why},
            "CTX": {"value": list(fields.ctx), "confidence": conf, "evidence": why},
            "FMT": {"value": fields.fmt.value, "confidence": conf, "evidence": why},
            "U": {
                "value": fields.role.value,
                "confidence": 1.0 if role else conf,
                "evidence": ["given with --role / ALTO_ROLE"] if role else why,
            },
            "L": {"value": fields.language.value, "confidence": conf, "evidence": why},
        }
        return Translation(
            fields=fields,
            confidence=conf,
            out_of_scope=out_of_scope,
            provider="openai",
            reason=reason,
            evidence=evidence,
        )
