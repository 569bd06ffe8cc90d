"""The one exception tree of the alto core.

    AltoError                      exit 1: the operation failed
    ├── InvalidInputError          exit 2: the user's input is wrong
    │   ├── AltoSyntaxError        an instruction does not parse (carries line and column)
    │   ├── RegistryFileError      the CTX registry file does not parse or validate
    │   ├── UnknownCodeError       a CTX code that is not registered
    │   └── ConfigError            a setting or flag has a bad value
    ├── ConflictError              the thing exists already (e.g. a CTX code)
    ├── NotFoundError              the thing named does not exist
    ├── StoreError                 the vector store failed
    │   ├── StoreLockedError       another process holds the embedded store
    │   └── StoreUnavailableError  a Qdrant server cannot be reached
    └── ProviderError              an LLM or embedding provider failed after retries

The core raises these and never prints or exits; the CLI maps them to a one-line
message and ``exit_code`` in one place (``alto_cli.cli.guard``).
"""

from __future__ import annotations


class AltoError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InvalidInputError(AltoError):
    exit_code = 2


class AltoSyntaxError(InvalidInputError):
    """An instruction that does not parse; ``line`` and ``col`` are 1-based."""

    def __init__(
        self,
        message: str,
        *,
        line: int = 1,
        col: int = 1,
        text: str = "",
        expected: str | None = None,
        source: str | None = None,
    ) -> None:
        self.reason = message
        self.line = line
        self.col = col
        self.text = text
        self.expected = expected
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.source}:" if self.source else ""
        where += f"{self.line}:{self.col}"
        detail = f"{where}: {self.reason}"
        if self.expected:
            detail += f"; expected {self.expected}"
        return detail

    def located(self, source: str | None, line_offset: int = 0) -> AltoSyntaxError:
        """The same error, attributed to a file and shifted to its position in that file."""
        return AltoSyntaxError(
            self.reason,
            line=self.line + line_offset,
            col=self.col,
            text=self.text,
            expected=self.expected,
            source=source,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "line": self.line,
            "col": self.col,
            "message": self.reason,
            "text": self.text,
            "expected": self.expected,
        }


class RegistryFileError(InvalidInputError):
    pass


class UnknownCodeError(InvalidInputError):
    pass


class ConfigError(InvalidInputError):
    pass


class ConflictError(AltoError):
    pass


class NotFoundError(AltoError):
    pass


class StoreError(AltoError):
    pass


class StoreLockedError(StoreError):
    pass


class StoreUnavailableError(StoreError):
    pass


class ProviderError(AltoError):
    pass
