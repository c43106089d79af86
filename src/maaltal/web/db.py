"""The dashboard's hold on the store: one DuckDB connection per process, a cursor per request, one writer.

DuckDB's MVCC lets every request read from its own cursor while an import writes a new snapshot in one
transaction: a reader sees the snapshots committed when its query began and never waits for the writer.
Writers that change the store's content (imports, publications) run on the one worker thread of
:mod:`maaltal.web.jobs`, so that there is only ever one of them. The dashboard's own tables (users,
sessions, login attempts, the audit log, publications) live in the same file, beside the observation
snapshots and apart from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from maaltal.store import Store
from maaltal.web import audit

_SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS web_audit_seq;
CREATE SEQUENCE IF NOT EXISTS web_publication_seq;
CREATE TABLE IF NOT EXISTS web_users (
    username VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    csrf VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS web_login_attempts (
    created_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS web_audit (
    id BIGINT PRIMARY KEY DEFAULT nextval('web_audit_seq'),
    created_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    object VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS web_publications (
    id BIGINT PRIMARY KEY DEFAULT nextval('web_publication_seq'),
    created_at TIMESTAMP NOT NULL,
    username VARCHAR NOT NULL,
    snapshot_id INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    folder VARCHAR NOT NULL,
    files VARCHAR NOT NULL
);
"""

# Added for issue 14 (trust): the audit log's client address and hash chain, and a publication's catalogue
# hash (one publication per snapshot and catalogue) and withdrawal. To be folded into the store's migrations.
_SCHEMA_TRUST = """
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS client VARCHAR DEFAULT '';
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS prev_hash VARCHAR DEFAULT '';
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS hash VARCHAR DEFAULT '';
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS catalogue_hash VARCHAR DEFAULT '';
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP;
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS withdrawn_by VARCHAR;
"""


class Database:
    """The store file opened once for the whole process; hand out cursors, not the connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._store = Store.open(self.path)  # creates and migrates the observation tables
        self._con = self._store.connection
        self._con.execute(_SCHEMA)
        self._con.execute(_SCHEMA_TRUST)
        with self.cursor() as cur:
            audit.seal_unchained(cur)

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
