"""The ``maaltal`` command line: a thin layer that parses options, calls the library and prints.

Each group of commands lives in its own module and registers itself on :data:`app`. Errors meant for
the user (:class:`maaltal.errors.MaaltalError`) are printed in Danish without a traceback and give exit
code 2.
"""

from __future__ import annotations

import sys

from maaltal.cli import areas, demo, figures, imports, store  # noqa: F401  (they register commands)
from maaltal.cli import spells as _spells  # noqa: F401  (registers import spells, compute ftp)
from maaltal.cli.app import app, run


def main() -> None:
    sys.exit(run(app))


__all__ = ["app", "main"]
