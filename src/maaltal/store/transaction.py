"""The one transaction block of the store: BEGIN, then COMMIT, or ROLLBACK on any exception.

Every write that must stand or fall whole (a snapshot, a meeting, a publication, a migration) goes
through it, usually as :meth:`maaltal.store.Store.transaction`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction on ``con``: all of its writes, or (on any exception) none."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
