"""Shared helpers for the store tests: a small corpus and ways to read a whole store."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

DOCS: dict[str, str] = {
    "security/auth.md": """\
        ---
        title: Auth Guide
        ctx: [AG3]
        ---
        # Auth Guide

        Everything about signing in.

        ## How to reset your MFA device

        1. Open the portal.
        2. Click reset MFA.
        3. Enrol the new authenticator.

        ## Troubleshooting sign-in errors

        If the login page shows an error, clear cookies and try again.
        """,
    "security/tokens.md": """\
        ---
        title: Tokens
        ctx: [TK2]
        ---
        # Tokens

        Tokens give scripts access to the API.

        ## Cleaning up old tokens

        Delete tokens older than 90 days with this script.

        ```python
        for token in list_tokens():
            delete(token)
        ```

        ## Token expiry

        Tokens expire after one year and must be rotated.
        """,
    "infra/k8s.md": """\
        # Kubernetes

        Clusters and pods.

        ## Troubleshooting CrashLoopBackOff

        A pod in CrashLoopBackOff keeps restarting. Check kubectl logs for the error.
        """,
}


def write_corpus(root: Path, docs: dict[str, str] | None = None) -> Path:
    for rel, text in (docs or DOCS).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def registry_text(k8s_source: str = "docs/infra/*.md") -> str:
    return textwrap.dedent(
        f"""\
        version: 1
        codes:
          AG3:
            name: auth_guide_v3
            title: Authentication Guide v3
            keywords: [mfa, login, sso, password]
          TK2:
            name: token_management_v2
            title: Token Management v2
            keywords: [token, tokens, api token]
          K8S:
            name: kubernetes_docs
            title: Kubernetes Documentation
            keywords: [kubernetes, kubectl, pod, pods, crashloopbackoff]
            sources:
              - {k8s_source}
          MP:
            name: mfa_policy
            keywords: [mfa policy]
        """
    )


def make_project(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with ctx_registry.yaml and docs/; returns (registry file, docs folder)."""
    project = tmp_path / "project"
    docs = write_corpus(project / "docs")
    registry = project / "ctx_registry.yaml"
    registry.write_text(registry_text(), encoding="utf-8")
    return registry, docs


def dump(store: Any) -> dict[str, dict[str, Any]]:
    """Every point's payload by id."""
    return dict(store.scroll())


def dump_edge(collection: str = "alto") -> dict[str, dict[str, Any]]:
    from alto_cli.store import open_store

    store = open_store(collection)
    try:
        return dump(store) if store.exists() else {}
    finally:
        store.close()


# Points as another tool loads them: its own unnamed vectors, its own payload names.
FOREIGN = [
    {"path": "docs/infra/k8s.md", "title": "Pods", "content": "Restart a pod with kubectl."},
    {"source": "wiki/login.md", "title": "Login help", "content": "Reset MFA: open the SSO page."},
    {"file": "misc/menu.txt", "content": "Today's canteen menu."},
]


def foreign_vectors(i: int, size: int = 4) -> list[float]:
    return [1.0, float(i), 0.0, 0.5] + [0.25] * (size - 4)


def foreign_edge_collection(home: Path, name: str, payloads: list[dict] | None = None) -> None:
    """A shard written with qdrant-edge directly, the way another tool would."""
    import uuid

    import qdrant_edge as qe

    config = qe.EdgeConfig(vectors=qe.EdgeVectorParams(size=4, distance=qe.Distance.Cosine))
    shard = qe.EdgeShard.create(str(home / "store" / name), config)
    points = [
        qe.Point(str(uuid.uuid5(uuid.NAMESPACE_URL, str(i))), foreign_vectors(i), payload)
        for i, payload in enumerate(payloads or FOREIGN)
    ]
    shard.update(qe.UpdateOperation.upsert_points(points))
    shard.flush()
    shard.close()
