"""The CTX registry: the YAML file of document codes that instructions point at.

People edit ``ctx_registry.yaml`` by hand and through ``alto ctx``; it is versioned in
git. Reading validates it and reports ``file:line: message``. Editing keeps comments,
key order and the formatting of untouched entries (ruamel round-trip), and writes
atomically under a lock (see ``alto_cli.fsutil``).
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from alto_cli.errors import RegistryFileError
from alto_cli.language.symbols import CTX_CODE_RE
from alto_cli.registry_snapshot import CtxRecord, RegistrySnapshot, fingerprint_of

NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
REGISTRY_VERSION = 1
TOP_LEVEL_KEYS = ("version", "codes", "abbreviations")
# ``abbreviations:`` maps a word (or a phrase) to the keyword the translator writes in Q.
ABBREV_WORD_RE = re.compile(r"[a-z0-9]+(?:[ -][a-z0-9]+)*")
ABBREV_VALUE_RE = re.compile(r"[A-Za-z0-9]+")


class CtxEntry(BaseModel):
    """One registered document code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not CTX_CODE_RE.fullmatch(value):
            raise ValueError("code must be 2-8 characters, A-Z then A-Z or 0-9 (e.g. AG3)")
        return value

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not NAME_RE.fullmatch(value):
            raise ValueError("name must be snake_case: a-z, 0-9 and '_', starting with a letter")
        return value


@dataclass(frozen=True)
class Registry:
    """A loaded, validated registry. ``path`` is where it came from (None when built in memory)."""

    entries: Mapping[str, CtxEntry]
    path: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # code -> 1-based line in the file
    abbreviations: Mapping[str, str] = field(default_factory=dict)  # word -> Q keyword

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[CtxEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> CtxEntry | None:
        return self.entries.get(code)

    @property
    def codes(self) -> list[str]:
        return list(self.entries)

    def by_name(self, name: str) -> CtxEntry | None:
        return next((entry for entry in self if entry.name == name), None)

    @property
    def base_dir(self) -> Path:
        """``sources`` globs are relative to the registry file's folder."""
        return self.path.parent if self.path else Path.cwd()

    def with_sources_under(self, folder: Path) -> Registry:
        """The same registry with its relative ``sources`` globs resolved against ``folder``.

        For a registry written for a corpus kept elsewhere (a benchmark suite's): the globs
        become absolute, so tagging and the translator's document terms read the same files
        wherever the registry file itself lives.
        """
        root = glob.escape(Path(folder).resolve().as_posix())
        entries = {
            code: entry.model_copy(
                update={"sources": tuple(_under_root(root, s) for s in entry.sources)}
            )
            for code, entry in self.entries.items()
        }
        return Registry(
            entries=entries, path=self.path, lines=self.lines, abbreviations=self.abbreviations
        )

    def fingerprint(self) -> str:
        """A short hash of the registry's content (for cache keys)."""
        return fingerprint_of([e.model_dump(mode="json") for e in self], self.abbreviations)

    def snapshot(self) -> RegistrySnapshot:
        """The same content as plain dataclasses (no pydantic), for fast start-up paths."""
        records = tuple(CtxRecord(**e.model_dump(mode="python")) for e in self)
        return RegistrySnapshot(
            records=records,
            path=self.path,
            abbreviations=dict(self.abbreviations),
            lines=dict(self.lines),
        )


def load_registry(path: Path) -> Registry:
    """Read and validate a registry file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegistryFileError(
            f"{path}: registry not found",
            hint="pass --registry, set ALTO_REGISTRY, or run from a folder with ctx_registry.yaml",
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise RegistryFileError(f"{path}: cannot read registry: {err}") from None
    return parse_registry(text, path)


def parse_registry(text: str, path: Path | None = None) -> Registry:
    data = load_yaml(text, path)
    return registry_from_data(data, path)


def load_yaml(text: str, path: Path | None) -> Any:
    """Round-trip YAML (comments and order kept), with syntax errors as file:line."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return make_yaml().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = err.problem or err.context or "invalid YAML"
        raise RegistryFileError(f"{_name(path)}:{line}:{col}: {problem}") from None
    except YAMLError as err:
        raise RegistryFileError(f"{_name(path)}:1: {err}") from None


def make_yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Wide enough never to re-wrap a hand-written line (long keyword lists stay on one line).
    yaml.width = 4096
    return yaml


def registry_from_data(data: Any, path: Path | None) -> Registry:
    name = _name(path)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise RegistryFileError(f"{name}:1: the registry must be a mapping with a 'codes' key")
    unknown = [key for key in data if key not in TOP_LEVEL_KEYS]
    if unknown:
        raise RegistryFileError(
            f"{name}:{_key_line(data, unknown[0])}: unknown top-level key {unknown[0]!r}; "
            "expected 'version', 'codes' and optionally 'abbreviations'"
        )
    version = data.get("version", REGISTRY_VERSION)
    if version != REGISTRY_VERSION:
        raise RegistryFileError(
            f"{name}:{_key_line(data, 'version')}: "
            f"unsupported registry version {version!r}; expected 1"
        )
    codes = data.get("codes") or {}
    if not isinstance(codes, Mapping):
        raise RegistryFileError(f"{name}:{_key_line(data, 'codes')}: 'codes' must be a mapping")
    entries: dict[str, CtxEntry] = {}
    lines: dict[str, int] = {}
    names: dict[str, str] = {}
    for code, body in codes.items():
        line = _key_line(codes, code)
        if not isinstance(body, Mapping):
            raise RegistryFileError(f"{name}:{line}: {code}: entry must be a mapping with a 'name'")
        try:
            entry = CtxEntry(code=str(code), **_plain(body))
        except ValidationError as err:
            first = err.errors()[0]
            loc = first["loc"][0] if first["loc"] else "code"
            where = _value_line(body, loc) if loc in body else line  # missing: the entry
            message = str(first["msg"]).removeprefix("Value error, ")
            raise RegistryFileError(f"{name}:{where}: {code}.{loc}: {message}") from None
        except TypeError as err:
            raise RegistryFileError(f"{name}:{line}: {code}: {err}") from None
        if entry.name in names:
            raise RegistryFileError(
                f"{name}:{_value_line(body, 'name')}: {code}: name {entry.name!r} "
                f"is already used by {names[entry.name]}"
            )
        names[entry.name] = entry.code
        entries[entry.code] = entry
        lines[entry.code] = line
    abbreviations = _abbreviations(data, name)
    return Registry(entries=entries, path=path, lines=lines, abbreviations=abbreviations)


def _abbreviations(data: Mapping[str, Any], name: str) -> dict[str, str]:
    """The optional ``abbreviations:`` mapping: word or phrase -> keyword written in Q."""
    table = data.get("abbreviations")
    if table is None:
        return {}
    if not isinstance(table, Mapping):
        raise RegistryFileError(
            f"{name}:{_key_line(data, 'abbreviations')}: 'abbreviations' must be a mapping "
            "of word: abbreviation"
        )
    result: dict[str, str] = {}
    for word, short in table.items():
        line = _key_line(table, word)
        key = str(word).strip().lower()
        if not ABBREV_WORD_RE.fullmatch(key):
            raise RegistryFileError(
                f"{name}:{line}: abbreviations: {word!r} must be a word or phrase of a-z and 0-9"
            )
        if not isinstance(short, str) or not ABBREV_VALUE_RE.fullmatch(short):
            raise RegistryFileError(
                f"{name}:{_value_line(table, word)}: abbreviations.{key}: {short!r} must be "
                "letters and digits only (it is written into Q)"
            )
        result[key] = short
    return result


def _under_root(root: str, source: str) -> str:
    if Path(source).is_absolute():
        return source
    return f"{root}/{source.removeprefix('./')}"


def _plain(body: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in body.items():
        if isinstance(value, list | tuple):
            value = tuple(str(item) for item in value)
        elif value is None:
            continue
        elif not isinstance(value, str):
            value = str(value)
        result[str(key)] = value
    return result


def _key_line(mapping: Any, key: Any) -> int:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return 1


def _value_line(mapping: Any, key: Any) -> int:
    try:
        return int(mapping.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return _key_line(mapping, key)


def _name(path: Path | None) -> str:
    return str(path) if path else "<registry>"
