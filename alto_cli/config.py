"""Where settings come from: flags > environment variables > defaults.

Every variable the tool reads is named here, and listed in the README's table.
Secrets (API keys) are read when a client is made and are never stored or printed.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "ALTO_HOME"
ENV_REGISTRY = "ALTO_REGISTRY"
ENV_DEBUG = "ALTO_DEBUG"
ENV_ROLE = "ALTO_ROLE"
ENV_PROVIDER = "ALTO_PROVIDER"
ENV_TRANSLATE_MODEL = "ALTO_TRANSLATE_MODEL"
# The local translator's intent model: another model file, or "off" for the rules alone.
ENV_INTENT_MODEL = "ALTO_INTENT_MODEL"
ENV_CTX_RANKER = "ALTO_CTX_RANKER"  # the local translator's CTX re-ranker file, or "off"
ENV_AUTO_THRESHOLD = "ALTO_AUTO_THRESHOLD"  # below this local confidence, auto asks the LLM
ENV_MODEL = "ALTO_MODEL"
ENV_EMBEDDER = "ALTO_EMBEDDER"
ENV_COLLECTION = "ALTO_COLLECTION"
ENV_EMBED_MODEL = "ALTO_EMBED_MODEL"
ENV_MAX_FILE_MB = "ALTO_MAX_FILE_MB"
ENV_INGEST_WORKERS = "ALTO_INGEST_WORKERS"
# Test hook only: migrate-embeddings sleeps after this many batches (a kill -9 test).
ENV_OPENAI_KEY = "OPENAI_API_KEY"
ENV_OPENAI_BASE_URL = "OPENAI_BASE_URL"
ENV_QDRANT_URL = "QDRANT_URL"
ENV_QDRANT_API_KEY = "QDRANT_API_KEY"
# alto run: answers, response cache, sessions
ENV_CACHE_TTL = "ALTO_CACHE_TTL"  # seconds
ENV_CACHE_SIZE_MB = "ALTO_CACHE_SIZE_MB"
ENV_CONTEXT_BUDGET = "ALTO_CONTEXT_BUDGET"  # tokens of compressed passages in a prompt
ENV_SESSION_BUDGET = "ALTO_SESSION_BUDGET"  # tokens of session history in a prompt
ENV_LLM_TIMEOUT = "ALTO_LLM_TIMEOUT"  # seconds per answer request
ENV_LLM_RETRIES = "ALTO_LLM_RETRIES"
ENV_MAX_TOKENS = "ALTO_MAX_TOKENS"  # completion tokens per answer
ENV_ASSISTANT_NAME = "ALTO_ASSISTANT_NAME"  # the name on Teams cards

DEFAULT_REGISTRY_FILE = "ctx_registry.yaml"


def env(name: str, default: str | None = None) -> str | None:
    """An environment variable, with empty strings treated as unset."""
    value = os.environ.get(name)
    return value if value else default


def pick(flag: str | None, name: str, default: str | None = None) -> str | None:
    """flag > environment variable > default."""
    return flag if flag not in (None, "") else env(name, default)


def env_number(name: str, default: float, *, minimum: float = 0.0) -> float:
    """A numeric variable; a bad value is a ConfigError naming the variable."""
    raw = env(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value >= minimum:  # also rejects NaN
        from alto_cli.errors import ConfigError

        raise ConfigError(f"{name}={raw!r}: expected a number >= {minimum:g}")
    return value


def data_dir() -> Path:
    """State (store, cache, logs): ALTO_HOME, else the platform's user data dir (XDG-aware)."""
    home = env(ENV_HOME)
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("alto", appauthor=False))


def debug_enabled() -> bool:
    return env(ENV_DEBUG, "0") not in ("0", "false", "no")


def llm_configured() -> bool:
    """An LLM is usable when a key or an OpenAI-compatible base URL is set."""
    return bool(env(ENV_OPENAI_KEY) or env(ENV_OPENAI_BASE_URL))


def registry_path(flag: str | os.PathLike[str] | None = None) -> Path:
    """--registry, then ALTO_REGISTRY, then ./ctx_registry.yaml."""
    chosen = pick(str(flag) if flag else None, ENV_REGISTRY, DEFAULT_REGISTRY_FILE)
    return Path(str(chosen)).expanduser()
