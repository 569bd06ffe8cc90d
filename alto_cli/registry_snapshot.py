"""A pydantic-free, cached view of the CTX registry for commands that must start fast.

``load_registry_snapshot`` keeps a JSON copy of the validated registry under
``data_dir()/cache/registry/``, named by the hash of the YAML file's bytes: an unchanged file
is read without ruamel or pydantic; an edited file (or one changed by ``alto ctx register``)
has a new hash and is parsed and validated again by ``alto_cli.registry`` on first use.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alto_cli.errors import RegistryFileError

# Bump when the JSON snapshot layout changes, so old cache files are ignored.
SNAPSHOT_FORMAT = 6


def fingerprint_of(entries: list[dict[str, Any]], abbreviations: Mapping[str, str]) -> str:
    content: Any = entries
    if abbreviations:  # registries without abbreviations keep their earlier fingerprint
        content = {"codes": entries, "abbreviations": dict(sorted(abbreviations.items()))}
    payload = json.dumps(content, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CtxRecord:
    """A validated CtxEntry as a plain dataclass: same fields, no pydantic import."""

    code: str
    name: str
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "keywords": list(self.keywords),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class RegistrySnapshot:
    """A read-only view of a validated registry, cheap to load (see load_registry_snapshot).

    It reads like a Registry (iteration, ``in``, ``get``, ``codes``, ``fingerprint``) and
    gives the same fingerprint, so readers that only look codes up can take either.
    """

    records: tuple[CtxRecord, ...]
    path: Path | None = None
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    # the translator's terms from the codes' documents, with the sources' [path, mtime, size]
    # they came from (alto_cli.translate.doc_terms); None until first computed
    doc_terms: Mapping[str, Mapping[str, float]] | None = None
    doc_state: tuple[tuple[str, int, int], ...] = ()
    cache_file: Path | None = field(default=None, compare=False)

    def __contains__(self, code: object) -> bool:
        return any(record.code == code for record in self.records)

    def __iter__(self) -> Iterator[CtxRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def get(self, code: str) -> CtxRecord | None:
        return next((record for record in self.records if record.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [record.code for record in self.records]

    def fingerprint(self) -> str:
        return fingerprint_of([r.as_dict() for r in self.records], self.abbreviations)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": SNAPSHOT_FORMAT,
                "codes": [r.as_dict() for r in self.records],
                "abbreviations": dict(self.abbreviations),
                "lines": dict(self.lines),
                "doc_terms": None if self.doc_terms is None else dict(self.doc_terms),
                "doc_state": [list(item) for item in self.doc_state],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(
        cls, text: str, path: Path | None, cache_file: Path | None = None
    ) -> RegistrySnapshot:
        data = json.loads(text)
        if data.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("snapshot format changed")
        records = tuple(
            CtxRecord(
                code=item["code"],
                name=item["name"],
                title=item["title"],
                description=item["description"],
                keywords=tuple(item["keywords"]),
                sources=tuple(item["sources"]),
            )
            for item in data["codes"]
        )
        return cls(
            records=records,
            path=path,
            abbreviations=dict(data["abbreviations"]),
            lines={k: int(v) for k, v in data["lines"].items()},
            doc_terms=data.get("doc_terms"),
            doc_state=tuple((str(p), int(m), int(z)) for p, m, z in data.get("doc_state") or ()),
            cache_file=cache_file,
        )

    def with_doc_terms(
        self, terms: Mapping[str, Mapping[str, float]], state: list[list[Any]]
    ) -> RegistrySnapshot:
        """This snapshot with fresh document terms, stored in its cache file (best effort)."""
        import dataclasses

        updated = dataclasses.replace(
            self, doc_terms=terms, doc_state=tuple((str(p), int(m), int(z)) for p, m, z in state)
        )
        if self.cache_file is not None:
            _write_cache(self.cache_file, updated.to_json())
        return updated


def load_registry_snapshot(path: Path) -> RegistrySnapshot:
    """Read a registry fast: a JSON copy under data_dir()/cache/registry, keyed on the file's bytes.

    Editing the file changes its hash, so an edit (or ``alto ctx register``) is seen at once;
    only a changed file pays for the YAML parse and validation. The cache is best effort:
    when it cannot be written the registry is still returned.
    """
    from alto_cli.config import data_dir

    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        from alto_cli.registry import load_registry

        return load_registry(path).snapshot()  # raises the usual "registry not found"
    except OSError as err:
        raise RegistryFileError(f"{path}: cannot read registry: {err}") from None
    digest = hashlib.sha256(raw).hexdigest()[:32]
    cache_file = data_dir() / "cache" / "registry" / f"{digest}.json"
    try:
        return RegistrySnapshot.from_json(cache_file.read_text(encoding="utf-8"), path, cache_file)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # missing or unreadable: parse the YAML below
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RegistryFileError(f"{path}: cannot read registry: {err}") from None
    import dataclasses

    from alto_cli.registry import parse_registry

    snapshot = dataclasses.replace(parse_registry(text, path).snapshot(), cache_file=cache_file)
    _write_cache(cache_file, snapshot.to_json())
    return snapshot


def _write_cache(cache_file: Path, text: str) -> None:
    try:
        from alto_cli.fsutil import atomic_write_text, locked

        cache_file.parent.mkdir(parents=True, exist_ok=True)
        with locked(cache_file, timeout=2.0):
            atomic_write_text(cache_file, text)
    except Exception:  # a cache that cannot be written only makes the next start slower
        pass
