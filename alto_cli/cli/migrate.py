"""``alto migrate-embeddings``: load documents into the store, or tag a collection in place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from alto_cli.cli.options import CollectionOpt, JsonOpt, QuietOpt, RegistryOpt
from alto_cli.cli.output import Output


def register(app: typer.Typer) -> None:
    app.command("migrate-embeddings")(migrate_embeddings)


def migrate_embeddings(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            help="Markdown (.md) and text (.txt) files or folders to load.", show_default=False
        ),
    ] = None,
    collection: CollectionOpt = None,
    embedder: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--embedder",
            help="sparse (BM25, no model), minilm or openai (dense + sparse, fused) "
            "[env: ALTO_EMBEDDER; default: sparse].",
            show_default=False,
        ),
    ] = None,
    default_ctx: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--default-ctx", help="CTX code for documents that match no code."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove chunks of documents deleted from PATH.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change nothing.")
    ] = False,
    max_file_mb: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--max-file-mb",
            help="Skip files larger than this [env: ALTO_MAX_FILE_MB; default: 10].",
            show_default=False,
        ),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place",
            help="Add ALTO metadata to the points of an existing collection (no re-embedding).",
        ),
    ] = False,
    registry: RegistryOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Load documents into the vector store (idempotent; safe to interrupt and re-run)."""
    from alto_cli.config import registry_path
    from alto_cli.errors import InvalidInputError
    from alto_cli.registry import load_registry

    out = Output(json_mode=json_out, quiet=quiet)
    reg = load_registry(registry_path(registry))
    if in_place:
        if paths:
            raise InvalidInputError("--in-place takes no PATH: it tags the points of --collection")
        _in_place(out, reg, collection, default_ctx, dry_run)
        return
    if not paths:
        raise InvalidInputError(
            "give at least one PATH (a file or folder), or --in-place --collection NAME"
        )
    from alto_cli.migrate import migrate

    summary = migrate(
        paths,
        registry=reg,
        collection=collection,
        embedder=embedder,
        default_ctx=default_ctx,
        prune=prune,
        dry_run=dry_run,
        max_mb=max_file_mb,
        notify=out.info,
        progress=lambda total: _Progress(out, "embedding", total),
    )
    _report(out, summary)


class _Progress:
    """Output.progress as a callable ``advance(n)``, closed when the total is reached."""

    def __init__(self, out: Output, label: str, total: int) -> None:
        self.total = total
        self.done = 0
        self._ctx = out.progress(label, total)
        self._advance = self._ctx.__enter__()

    def __call__(self, n: int = 1) -> None:
        self._advance(n)
        self.done += n
        if self.done >= self.total:
            self._ctx.__exit__(None, None, None)


def _report(out: Output, summary: Any) -> None:
    for item in summary.skipped:
        out.warn(f"skipped {item['path']}: {item['reason']}")
    if summary.unmatched:
        out.warn(
            f"{len(summary.unmatched)} document(s) match no CTX code and were not loaded "
            f"(add ctx: [CODE] front matter, a registry 'sources' glob, or --default-ctx): "
            + ", ".join(summary.unmatched)
        )
    if summary.gone:
        out.warn(
            f"{len(summary.gone)} document(s) in the store are no longer on disk "
            "(--prune removes them): " + ", ".join(summary.gone)
        )
    if out.json_mode:
        out.json(summary.to_dict())
        return
    counts = summary.counts()
    if summary.dry_run:
        rows = [
            (
                d.action,
                d.doc_path,
                ",".join(d.ctx_codes),
                d.ctx_source,
                d.chunks_to_embed,
                d.chunks_to_delete,
            )
            for d in summary.documents
        ]
        rows += [("prune", path, "", "", 0, "all") for path in summary.pruned]
        out.table(
            ["action", "document", "ctx", "from", "embed", "delete"], rows, title="plan (dry run)"
        )
        out.text(
            f"dry run: would embed {summary.chunks_embedded} chunk(s) and delete "
            f"{summary.chunks_deleted} in {summary.collection!r}; nothing was changed"
        )
        return
    docs = len(summary.documents)
    if summary.nothing_to_do:
        out.text(
            f"nothing to do: all {docs} document(s) are up to date in {summary.collection!r} "
            f"(0 chunks embedded, {summary.points_in_collection} points)"
        )
        return
    rate = summary.chunks_embedded / summary.elapsed_s if summary.elapsed_s else 0.0
    out.text(
        f"{docs} document(s): {counts['add']} added, {counts['update']} updated, "
        f"{counts['unchanged']} unchanged"
        + (f", {len(summary.pruned)} pruned" if summary.pruned else "")
        + f"; embedded {summary.chunks_embedded} chunk(s), deleted {summary.chunks_deleted}; "
        f"{summary.points_in_collection} points in {summary.collection!r} "
        f"({summary.elapsed_s:.2f} s, {rate:,.0f} chunks/s)"
    )


def _in_place(
    out: Output, reg: Any, collection: str | None, default_ctx: str | None, dry_run: bool
) -> None:
    from alto_cli.inplace import migrate_in_place
    from alto_cli.store import open_store

    store = open_store(collection)
    try:
        summary = migrate_in_place(
            store,
            registry=reg,
            default_ctx=default_ctx,
            dry_run=dry_run,
            progress=lambda total: _Progress(out, "tagging", total),
        )
    finally:
        store.close()
    if summary.untagged:
        out.warn(f"{len(summary.untagged)} point(s) match no CTX code (try --default-ctx)")
    if out.json_mode:
        out.json(summary.to_dict())
        return
    if dry_run:
        for diff in summary.diffs:
            out.text(f"~ {diff['id']} {diff['doc_path']}")
            for key, change in diff["changes"].items():
                out.text(f"    {key}: {change['from']!r} -> {change['to']!r}")
    verb = "would change" if dry_run else "changed"
    out.text(
        f"{summary.points} point(s) in {summary.collection!r}: {verb} {summary.changed}, "
        f"{summary.unchanged} already up to date" + ("; nothing was written" if dry_run else "")
    )
