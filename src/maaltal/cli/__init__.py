"""The ``maaltal`` command line: a thin layer that parses options, calls the library and prints.

Each group of commands lives in its own module and registers itself on :data:`app`; the module is imported
when one of its commands runs (:mod:`maaltal.cli.commands`), so that ``maaltal --help`` loads none of them.
Errors meant for the user (:class:`maaltal.errors.MaaltalError`) are printed in Danish without a traceback
and give exit code 2.
"""

from __future__ import annotations

import gc
import sys

from maaltal.cli.app import app, run


def main() -> None:
    code = run(app)
    # The process ends here. Without this, the interpreter's last collections walk every object the command
    # loaded (DuckDB, pyarrow, numpy …) only to find that all of it goes: 0,08 s after a spell import.
    # Frozen, the objects are left to the operating system, and no finalizer (__del__) runs at exit: what
    # must be closed is closed before this by its ``with`` block (the store, files, the query worker); the
    # standard streams are flushed and the atexit handlers (logging) run as ever.
    gc.freeze()
    sys.exit(code)


__all__ = ["app", "main", "run"]
