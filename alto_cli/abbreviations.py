"""The fixed verb abbreviations of ALTO's Q field, both ways (rst <-> reset).

Retrieval expands Q back to words before searching; migrate-embeddings abbreviates section
headings when it derives the patterns a chunk can answer.
"""

from __future__ import annotations

import re

ABBREVIATIONS: dict[str, str] = {
    "rst": "reset",
    "del": "delete",
    "crt": "create",
    "upd": "update",
    "cfg": "configure",
    "rot": "rotate",
    "gen": "generate",
    "inst": "install",
    "rm": "remove",
    "req": "request",
    "rstrt": "restart",
    "chk": "check",
    "acc": "access",
    "ls": "list",
    "expl": "explain",
    "dpl": "deploy",
    "trbl": "troubleshoot",
    "rbk": "rollback",
    "esc": "escalate",
    "onb": "onboard",
    "apr": "approve",
    "rvk": "revoke",
    "mig": "migrate",
    "bkp": "backup",
    "rstr": "restore",
    "mon": "monitor",
    "rnw": "renew",
    "enbl": "enable",
    "dsbl": "disable",
}
# Extra words a token stands for in a search (kept beside the token itself).
SYNONYMS: dict[str, str] = {
    "k8s": "kubernetes",
    "py": "python",
    "js": "javascript",
    "pto": "leave",
}
# Word forms that abbreviate (reset, resetting, resets -> rst).
_WORD_TO_ABBR = {word: abbr for abbr, word in ABBREVIATIONS.items()}
_WORD_TO_ABBR |= {
    "deployment": "dpl",
    "deployments": "dpl",
    "access": "acc",
    "listing": "ls",
    "troubleshooting": "trbl",
    "onboarding": "onb",
    "offboard": "offboard",
    "escalation": "esc",
    "migration": "mig",
    "approval": "apr",
    "installation": "inst",
    "configuration": "cfg",
    "backups": "bkp",
    "rotation": "rot",
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
        if lower in ABBREVIATIONS:
            words.append(ABBREVIATIONS[lower])
            continue
        words.append(token)
        if lower in SYNONYMS:
            words.append(SYNONYMS[lower])
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
