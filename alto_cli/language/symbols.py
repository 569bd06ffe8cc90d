"""The ALTO v1 symbol tables, defaults and limits (see docs/alto-spec.md)."""

from __future__ import annotations

import re
from enum import Enum

VERSION = 1
SUPPORTED_VERSIONS = (1,)


class Command(str, Enum):
    FA = "FA"
    EX = "EX"
    GC = "GC"
    PL = "PL"
    DI = "DI"


class Format(str, Enum):
    STP = "STP"
    SUM = "SUM"
    LIS = "LIS"
    FLW = "FLW"
    PY = "PY"


class Role(str, Enum):
    SU = "SU"
    EN = "EN"
    HR = "HR"
    MG = "MG"


class Language(str, Enum):
    EN = "EN"
    PY = "PY"
    JS = "JS"
    MD = "MD"


COMMAND_NAMES = {
    Command.FA: "fetch_answer",
    Command.EX: "explain",
    Command.GC: "generate_code",
    Command.PL: "plan",
    Command.DI: "diagnose",
}
FORMAT_NAMES = {
    Format.STP: "steps",
    Format.SUM: "summary",
    Format.LIS: "list",
    Format.FLW: "flow",
    Format.PY: "code",
}
ROLE_NAMES = {Role.SU: "support", Role.EN: "engineer", Role.HR: "hr", Role.MG: "manager"}
LANGUAGE_NAMES = {
    Language.EN: "English",
    Language.PY: "Python",
    Language.JS: "JavaScript",
    Language.MD: "Markdown",
}

# Field keys in canonical order; the block and compact forms write them in this order.
FIELD_ORDER = ("CMD", "Q", "CTX", "FMT", "U", "L")
REQUIRED_FIELDS = ("CMD", "Q")
SYMBOL_FIELDS: dict[str, type[Enum]] = {"CMD": Command, "FMT": Format, "U": Role, "L": Language}

DEFAULT_FORMAT = {
    Command.FA: Format.SUM,
    Command.EX: Format.SUM,
    Command.GC: Format.PY,
    Command.PL: Format.STP,
    Command.DI: Format.STP,
}
DEFAULT_ROLE = Role.SU
DEFAULT_LANGUAGE = {Command.GC: Language.PY}  # every other command: Language.EN

Q_MAX_LENGTH = 64
Q_RE = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*")
Q_CHAR_RE = re.compile(r"[A-Za-z0-9_]")
CTX_CODE_RE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
CTX_MAX_CODES = 8


def default_format(command: Command) -> Format:
    return DEFAULT_FORMAT[command]


def default_language(command: Command) -> Language:
    return DEFAULT_LANGUAGE.get(command, Language.EN)
