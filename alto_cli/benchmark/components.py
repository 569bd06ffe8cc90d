"""The parts of alto the benchmark drives, imported on demand.

A section whose part is not in this build fails with a message naming the missing module;
it never reports numbers it did not measure.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from alto_cli.errors import NotFoundError

# module -> what it is (the issue that builds it)
_PARTS = {
    "alto_cli.translate": "translation: translate(), LocalTranslator (issue 3)",
    "alto_cli.retrieval": "retrieval: retrieve() (issue 4)",
    "alto_cli.migrate": "corpus loading: migrate-embeddings (issue 4)",
    "alto_cli.runner": "the ALTO pipeline: run() (issue 5)",
}


def require(module: str, *, section: str) -> ModuleType:
    """Import ``module`` or fail with a message naming it and the section that needs it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and (module == err.name or module.startswith(err.name + ".")):
            what = _PARTS.get(module, module)
            raise NotFoundError(
                f"the {section} section needs {module} ({what}), which is not in this build"
            ) from None
        raise


def available(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError:
        return False
    return True
