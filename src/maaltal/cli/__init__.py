"""The ``maaltal`` command line: a thin layer that parses options, calls the library and prints.

Each group of commands lives in its own module and registers itself on :data:`app`. Errors meant for
the user (:class:`maaltal.errors.MaaltalError`) are printed in Danish without a traceback and give exit
code 2.
"""

from __future__ import annotations

import sys

import maaltal.cli.serve  # noqa: F401  (registers `maaltal serve` and `maaltal users`)
from maaltal.cli import (  # noqa: F401  (each module registers its commands on the app)
    areas,
    audit,
    benchmarks,
    budget,
    committee,
    demo,
    fetch,
    figures,
    goals,
    imports,
    report,
    sources,
    spells,
    store,
)
from maaltal.cli.app import app, run


def main() -> None:
    sys.exit(run(app))


__all__ = ["app", "main"]
