"""Translate natural-language questions into ALTO instructions.

``LocalTranslator`` (rules, offline, fast) and the LLM translator (``llm``) behind one entry
point, ``translate``, which picks the provider (``auto``: local first, the LLM when the local
answer is unsure and an LLM is configured).
"""

from alto_cli.translate.local import LocalTranslator
from alto_cli.translate.result import Fields, Translation
from alto_cli.translate.service import translate

__all__ = ["Fields", "LocalTranslator", "Translation", "translate"]
