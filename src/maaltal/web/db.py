"""The dashboard's hold on the store: one DuckDB connection per process, a cursor per request, one writer.

DuckDB's MVCC lets every request read from its own cursor while an import writes a new snapshot in one
transaction: a reader sees the snapshots committed when its query began and never waits for the writer.
Writers that change the store's content (imports, publications) run on the one worker thread of
:mod:`maaltal.web.jobs`, so that there is only ever one of them. The dashboard's own tables (users,
sessions, login attempts, the audit log, publications) live in the same file, beside the observation
snapshots and apart from them; like every table they are made by the store's schema
(:mod:`maaltal.store.schema`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from maaltal.store import Store
from maaltal.web import audit


class Database:
    """The store file opened once for the whole process; hand out cursors, not the connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._store = Store.open(self.path)  # creates the file and migrates every table, the dashboard's too
        self._con = self._store.connection
        with self.cursor() as cur:
            audit.seal_unchained(cur)  # entries written before the audit log was chained

    @property
    def reports_dir(self) -> Path:
        """Where published report files live: a folder beside the store, ``<store>.reports/``."""
        return self.path.with_name(self.path.name + ".reports")

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request or job (a DuckDB connection is not shared across threads)."""
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The observation store seen through a fresh cursor."""
        with self.cursor() as cur:
            yield Store(cur, self.path)

    def close(self) -> None:
        self._store.close()
