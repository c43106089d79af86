"""The ``maaltal`` command line: a thin layer that parses options, calls the library and prints.

Each group of commands lives in its own module and registers itself on :data:`app`; the module is imported
when one of its commands runs (:mod:`maaltal.cli.commands`), so that ``maaltal --help`` loads none of them.
Errors meant for the user (:class:`maaltal.errors.MaaltalError`) are printed in Danish without a traceback
and give exit code 2.
"""

from __future__ import annotations

import sys

from maaltal.cli.app import app, run


def main() -> None:
    sys.exit(run(app))


__all__ = ["app", "main", "run"]
