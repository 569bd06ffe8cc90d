"""The one entry point: ``translate`` picks the provider and returns a Translation."""

from __future__ import annotations

from typing import Any

from alto_cli.config import (
    ENV_AUTO_THRESHOLD,
    ENV_CTX_RANKER,
    ENV_INTENT_MODEL,
    ENV_ROLE,
    env,
    env_number,
)
from alto_cli.errors import ConfigError
from alto_cli.language.symbols import Role
from alto_cli.translate.local import LocalTranslator
from alto_cli.translate.result import Translation

PROVIDERS = ("auto", "local", "openai")
# Below this local confidence, ``auto`` asks the LLM (when one is configured). The confidence
# is P(the instruction is right) as the local models see it (``local._calibrated``).
AUTO_THRESHOLD = 0.5


def resolve_role(role: Role | str | None) -> Role | None:
    """--role, else ALTO_ROLE, else None (the translator infers it)."""
    value = role if role not in (None, "") else env(ENV_ROLE)
    if value is None:
        return None
    try:
        return Role(str(value.value if isinstance(value, Role) else value).upper())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ConfigError(f"unknown role {value!r}; expected one of {names}") from None


def auto_threshold() -> float:
    """ALTO_AUTO_THRESHOLD, else ``AUTO_THRESHOLD``: a number from 0 (never ask the LLM) to
    1 (ask it about every question)."""
    value = env_number(ENV_AUTO_THRESHOLD, AUTO_THRESHOLD)
    if value > 1:
        raise ConfigError(f"{ENV_AUTO_THRESHOLD}={value:g}: expected a number from 0 to 1")
    return value


def check_provider(provider: str) -> str:
    name = (provider or "auto").lower()
    if name not in PROVIDERS:
        raise ConfigError(f"unknown provider {provider!r}; expected one of {', '.join(PROVIDERS)}")
    return name


def translate(
    question: str,
    *,
    registry: Any,
    role: Role | str | None = None,
    provider: str = "auto",
    model: str | None = None,
    local: LocalTranslator | None = None,
    llm: Any = None,
) -> Translation:
    """Translate one question. ``local``/``llm``: translators to reuse across a batch."""
    from alto_cli.config import llm_configured

    name = check_provider(provider)
    chosen_role = resolve_role(role)
    local = local or local_translator(registry)
    if name == "openai":
        return _llm(llm, registry, model).translate(question, role=chosen_role, local=local)
    result = local.translate(question, role=chosen_role)
    if name == "local":
        return result.replace(reason=f"{result.reason} (provider local)")
    threshold = auto_threshold()
    if result.confidence >= threshold:
        return result.replace(
            reason=f"{result.reason}; local confidence {result.confidence:.2f} >= "
            f"{threshold:g}, no LLM needed"
        )
    if not llm_configured():
        return result.replace(
            reason=f"{result.reason}; local confidence {result.confidence:.2f} < "
            f"{threshold:g}, but no LLM is configured"
        )
    answer = _llm(llm, registry, model).translate(question, role=chosen_role, local=local)
    return answer.replace(
        reason=f"local confidence {result.confidence:.2f} < {threshold:g}; {answer.reason}"
    )


_LOCAL: dict[tuple[int, str | None, str | None], LocalTranslator] = {}


def local_translator(registry: Any) -> LocalTranslator:
    """The local translator for this registry object, built once per process: building one
    costs milliseconds (and checks every source document's state), and its per-word memos
    only pay off when it is kept. A registry loaded again (a new object) gets a new one."""
    key = (id(registry), env(ENV_INTENT_MODEL), env(ENV_CTX_RANKER))
    found = _LOCAL.get(key)
    if found is None or found.registry is not registry:
        found = LocalTranslator(registry)  # it holds the registry, which keeps the id unique
        if len(_LOCAL) >= 8:
            _LOCAL.pop(next(iter(_LOCAL)))
        _LOCAL[key] = found
    return found


def _llm(llm: Any, registry: Any, model: str | None) -> Any:
    if llm is not None:
        return llm
    from alto_cli.translate.llm import LlmTranslator

    return LlmTranslator(registry, model=model)
