"""The benchmark suite file: what to measure, on which questions and corpus, and the gate.

A suite is YAML, validated strictly (unknown keys are errors) and reported as ``file:line``.
The schema is documented in docs/benchmark.md. Relative paths in a suite resolve against the
suite file's folder, except ``queries.file``, which belongs to the corpus and resolves
against the corpus folder, and, with ``registry_sources: corpus``, the registry's ``sources``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from alto_cli.errors import InvalidInputError
from alto_cli.language.symbols import CTX_CODE_RE

SUITE_VERSION = 1
SECTIONS = ("translation", "tokens", "cache", "retrieval", "latency")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InlineQuestion(_Strict):
    """One labelled question written in the suite itself (same keys as the JSONL format)."""

    id: str | None = None
    question: str = Field(min_length=1)
    role: str | None = None
    intent: str | None = None
    expected: dict[str, Any] | None = None
    expected_doc: str | list[str] | None = None
    tags: list[str] = []


class QueryAdapter(_Strict):
    """Read questions from a corpus's own query file (JSONL), e.g. alert_to_runbook.jsonl."""

    file: str
    query_fields: list[str] = Field(min_length=1)
    answer_field: str | None = None
    id_field: str | None = None
    intent_field: str | None = None
    # Drop template placeholders such as ``{{ $labels.pod }}`` from the query text.
    strip_templates: bool = True


class CacheSettings(_Strict):
    stream_length: int = Field(default=600, ge=1, le=100_000)
    seed: int = 7


class Thresholds(_Strict):
    """The CI gate. Any left out is not checked."""

    min_accuracy: float | None = Field(default=None, ge=0, le=1)
    min_exact_match: float | None = Field(default=None, ge=0, le=1)
    min_token_reduction: float | None = Field(default=None, le=1)
    min_hit_rate: float | None = Field(default=None, ge=0, le=1)
    max_wrong_hit_rate: float | None = Field(default=None, ge=0, le=1)
    min_recall_at_k: float | None = Field(default=None, ge=0, le=1)
    min_mrr: float | None = Field(default=None, ge=0, le=1)
    max_p95_ms: float | None = Field(default=None, gt=0)


class Suite(_Strict):
    version: Literal[1] = 1
    name: str = "benchmark"
    registry: str | None = None
    # What the registry's relative ``sources`` globs resolve against: its own folder (as
    # everywhere in alto) or the corpus (a registry written for a corpus kept elsewhere).
    registry_sources: Literal["registry", "corpus"] = "registry"
    corpus: str | None = None
    default_ctx: str | None = None
    questions: str | list[InlineQuestion] | None = None
    queries: QueryAdapter | None = None
    expected_docs: Literal["field", "registry"] = "field"
    sections: list[Literal["translation", "tokens", "cache", "retrieval", "latency"]] = list(
        SECTIONS
    )
    providers: list[Literal["local", "openai", "auto"]] = ["local"]
    k: int = Field(default=5, ge=1, le=100)
    price_per_1k: float = Field(default=0.0005, ge=0)
    cache: CacheSettings = CacheSettings()
    thresholds: Thresholds = Thresholds()

    # Where the suite came from; set by load_suite, not read from the file.
    base_dir: Path = Field(default_factory=Path.cwd, exclude=True)
    source: str = Field(default="<suite>", exclude=True)

    @field_validator("default_ctx")
    @classmethod
    def _check_ctx(cls, value: str | None) -> str | None:
        if value is not None and not CTX_CODE_RE.fullmatch(value):
            raise ValueError("default_ctx must be a CTX code such as MON")
        return value

    def resolve(self, value: str | None) -> Path | None:
        """A path from the suite, relative to the suite file's folder."""
        if value is None:
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.base_dir / path)

    def corpus_dir(self) -> Path | None:
        return self.resolve(self.corpus)

    def query_file(self) -> Path | None:
        if self.queries is None:
            return None
        path = Path(self.queries.file).expanduser()
        if path.is_absolute():
            return path
        corpus = self.corpus_dir()
        return (corpus / path) if corpus else self.resolve(self.queries.file)


def load_suite(path: Path) -> Suite:
    """Read and validate a suite file; every error names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: suite file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInputError(f"{path}: cannot read suite file: {err}") from None
    return parse_suite(text, source=str(path), base_dir=path.resolve().parent)


def parse_suite(text: str, *, source: str = "<suite>", base_dir: Path | None = None) -> Suite:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = YAML().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise InvalidInputError(f"{source}:{line}: {err.problem or 'invalid YAML'}") from None
    except YAMLError as err:
        raise InvalidInputError(f"{source}:1: {err}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInputError(f"{source}:1: a suite must be a mapping of keys (see docs)")
    if (data.get("questions") is None) == (data.get("queries") is None):
        raise InvalidInputError(
            f"{source}:1: a suite needs exactly one of 'questions' (labelled set) "
            "or 'queries' (a corpus query file)"
        )
    try:
        suite = Suite.model_validate(_plain(data))
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(first["loc"])
        raise InvalidInputError(
            f"{source}:{_line_of(data, loc)}: {_dotted(loc)}: {_message(first)}"
        ) from None
    if suite.registry_sources == "corpus" and not suite.registry:
        raise InvalidInputError(
            f"{source}:{_line_of(data, ('registry_sources',))}: registry_sources: 'corpus' "
            "applies to the suite's own registry; add 'registry: FILE'"
        )
    return suite.model_copy(update={"base_dir": base_dir or Path.cwd(), "source": source})


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest part of ``loc`` that exists in the YAML."""
    line = 1
    node = data
    for part in loc:
        try:
            if isinstance(node, dict) and part in node:
                line = (
                    int(node.lc.value(part)[0]) + 1
                    if _is_scalar(node[part])
                    else (int(node.lc.key(part)[0]) + 1)
                )
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = int(node.lc.item(part)[0]) + 1
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError, IndexError):
            break
    return line


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _dotted(loc: tuple[Any, ...]) -> str:
    # pydantic names union branches in the location ("str", "list[InlineQuestion]"): drop them
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p == "str"))]
    return ".".join(parts) or "suite"


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "literal_error":
        return error["msg"].replace("Input should be", "expected")
    return error["msg"]
