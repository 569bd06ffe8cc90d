"""The verb abbreviations of ALTO's Q field, both ways (reset <-> rst): one table for all.

The translator writes Q with ``VERB_ABBREVIATIONS``; retrieval expands Q back to words before
searching, compression scores passages with the same expansions, and migrate-embeddings
abbreviates section headings when it derives the patterns a chunk can answer.
"""

from __future__ import annotations

import re

# Verbs (and their nouns) written as short keywords in Q. The order is the priority when a
# question names several actions: Q keeps one, the first of this table it names.
VERB_ABBREVIATIONS: dict[str, str] = {
    "reset": "rst",
    "revoke": "rvk",
    "rotate": "rot",
    "delete": "del",
    "create": "crt",
    "request": "req",
    "approve": "apr",
    "escalate": "esc",
    "rollback": "rbk",
    "restore": "rstr",
    "backup": "bkp",
    "renew": "rnw",
    "migrate": "mig",
    "restart": "rstrt",
    "enable": "enbl",
    "disable": "dsbl",
    "onboard": "onb",
    "setup": "setup",
    "configure": "cfg",
    "update": "upd",
    "deploy": "dpl",
    "install": "setup",
    "remove": "del",
    "check": "chk",
    "monitor": "mon",
    "troubleshoot": "trbl",
    "explain": "expl",
    "generate": "gen",
    "access": "acc",
}

# Noun and -ing forms of those verbs, for headings and passages ("configuration" -> cfg).
VERB_FORMS: dict[str, str] = {
    "deletion": "delete",
    "removal": "remove",
    "creation": "create",
    "configuration": "configure",
    "rotation": "rotate",
    "installation": "install",
    "deployment": "deploy",
    "deployments": "deploy",
    "escalation": "escalate",
    "onboarding": "onboard",
    "approval": "approve",
    "migration": "migrate",
    "monitoring": "monitor",
    "renewal": "renew",
    "backups": "backup",
    "troubleshooting": "troubleshoot",
}
# Keywords older instructions or people may still write; read, never written.
DECODE_ONLY: dict[str, tuple[str, ...]] = {
    "inst": ("install", "installation"),
    "rm": ("remove",),
    "ls": ("list", "listing"),
    "rbk": ("roll",),
    "setup": ("set",),
}
# Extra words a non-verb token stands for in a search or in passage scoring.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "k8s": ("kubernetes", "kubectl"),
    "py": ("python",),
    "js": ("javascript", "node"),
    "pto": ("leave", "vacation"),
}


def _expansions() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for word, abbr in VERB_ABBREVIATIONS.items():
        table.setdefault(abbr, []).append(word)
    for form, verb in VERB_FORMS.items():
        abbr = VERB_ABBREVIATIONS.get(verb)
        if abbr:
            table.setdefault(abbr, []).append(form)
    for abbr, words in DECODE_ONLY.items():
        table.setdefault(abbr, []).extend(words)
    return {abbr: tuple(dict.fromkeys(words)) for abbr, words in table.items()}


# Q keyword -> the words it stands for, the verb first (rst -> reset; del -> delete, remove, ...).
EXPANSIONS: dict[str, tuple[str, ...]] = _expansions()
# Word -> the keyword it is written as in Q (reset -> rst, configuration -> cfg).
_WORD_TO_ABBR = dict(VERB_ABBREVIATIONS)
_WORD_TO_ABBR |= {
    form: VERB_ABBREVIATIONS[verb]
    for form, verb in VERB_FORMS.items()
    if verb in VERB_ABBREVIATIONS
}
ACRONYMS = frozenset(
    [
        "MFA",
        "SSO",
        "API",
        "VPN",
        "AWS",
        "K8S",
        "SRE",
        "PR",
        "CI",
        "CD",
        "IAM",
        "S3",
        "EC2",
        "DNS",
        "TLS",
        "SLA",
        "RCA",
        "HR",
        "PTO",
    ]
)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "and",
        "or",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "how",
        "do",
        "does",
        "i",
        "my",
        "me",
        "we",
        "our",
        "you",
        "your",
        "is",
        "are",
        "be",
        "can",
        "what",
        "when",
        "where",
        "who",
        "why",
        "which",
        "this",
        "that",
        "it",
        "its",
        "as",
        "into",
        "about",
    ]
)


def expand_query(query: str) -> str:
    """``rst_MFA`` -> ``reset MFA``; ``ls_pods_K8S`` -> ``list pods K8S kubernetes``."""
    words: list[str] = []
    for token in re.split(r"[_\s]+", query):
        if not token:
            continue
        lower = token.lower()
        if lower in EXPANSIONS:
            words.append(EXPANSIONS[lower][0])
            continue
        words.append(token)
        words.extend(SYNONYMS.get(lower, ()))
    return " ".join(words)


def abbreviate(word: str) -> str:
    """One word as it appears in a Q: abbreviated verb, upper-case acronym, else lower-case."""
    if word.upper() in ACRONYMS:
        return word.upper()
    lower = word.lower()
    if lower == "kubernetes":
        return "K8S"
    return _WORD_TO_ABBR.get(lower, lower)


def to_query(text: str, max_length: int = 64) -> str:
    """A heading or phrase as Q keywords: stop words dropped, verbs abbreviated, joined by _."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", text) if w.lower() not in STOP_WORDS]
    out: list[str] = []
    for word in words:
        token = abbreviate(word)
        if len("_".join([*out, token])) > max_length:
            break
        out.append(token)
    return "_".join(out)
