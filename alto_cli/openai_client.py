"""The one place an ``openai`` client is made, and its errors turned into ProviderError.

Works against OpenAI or any OpenAI-compatible server (``OPENAI_BASE_URL``: vLLM, Ollama,
llama.cpp, LM Studio). Retries with exponential backoff on timeouts, 429 and 5xx are the
client's own (``max_retries``). The key is read here and never logged or returned.
"""

from __future__ import annotations

from typing import Any

from alto_cli.config import ENV_OPENAI_BASE_URL, ENV_OPENAI_KEY, env
from alto_cli.errors import ProviderError

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RETRIES = 3
# Local OpenAI-compatible servers accept any key, but the client insists on one.
_PLACEHOLDER_KEY = "sk-no-key-needed"


def make_client(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_retries: int = DEFAULT_MAX_RETRIES,
) -> Any:
    """An ``openai.OpenAI`` client: flags > OPENAI_BASE_URL / OPENAI_API_KEY."""
    from openai import OpenAI

    url = base_url or env(ENV_OPENAI_BASE_URL)
    key = api_key or env(ENV_OPENAI_KEY)
    if not key and not url:
        raise ProviderError(
            "no LLM is configured",
            hint="set OPENAI_API_KEY, or OPENAI_BASE_URL for an OpenAI-compatible server",
        )
    return OpenAI(
        api_key=key or _PLACEHOLDER_KEY,
        base_url=url,
        timeout=timeout,
        max_retries=max_retries,
    )


def describe_endpoint(base_url: str | None = None) -> str:
    """Where requests go, for messages: the host only, never a key."""
    url = base_url or env(ENV_OPENAI_BASE_URL) or "https://api.openai.com/v1"
    return url.split("?", 1)[0]


def provider_error(err: Exception, *, what: str = "LLM request") -> ProviderError:
    """Map an ``openai`` exception to a ProviderError with a one-line message."""
    import openai

    endpoint = describe_endpoint()
    if isinstance(err, openai.APITimeoutError):
        return ProviderError(f"{what} timed out after retries ({endpoint})")
    if isinstance(err, openai.APIConnectionError):
        return ProviderError(
            f"{what} failed: cannot connect to {endpoint}",
            hint="check OPENAI_BASE_URL and that the server is running",
        )
    if isinstance(err, openai.AuthenticationError):
        return ProviderError(f"{what} was refused: authentication failed (check OPENAI_API_KEY)")
    if isinstance(err, openai.RateLimitError):
        return ProviderError(f"{what} was rate-limited (429) after retries ({endpoint})")
    if isinstance(err, openai.APIStatusError):
        return ProviderError(
            f"{what} failed with HTTP {err.status_code} after retries ({endpoint})"
        )
    return ProviderError(f"{what} failed: {type(err).__name__}")
