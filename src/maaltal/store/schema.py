"""The store's schema: every table of the store file, as one ordered list of versioned migrations.

The store owns the database: the importers, the goal comments, the committee records and the dashboard
keep their queries but create no tables. A store file records the version it was migrated to in
``meta``; opening it for writing applies the migrations it lacks, each in one transaction with its version,
so an older file is brought forward and a failed migration leaves it at the version before. A file newer
than this code is refused, since its tables may mean something this code does not know.

Migrations are only ever appended: a released one is never edited, as files already carry its version.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from maaltal.errors import MaaltalError
from maaltal.store.transaction import transaction

log = logging.getLogger(__name__)

# Version 1: the observation snapshots (the schema every store file has had since the first release).
_SNAPSHOTS = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    file VARCHAR,
    sha256 VARCHAR,
    row_count BIGINT NOT NULL,
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS observations (
    snapshot_id INTEGER NOT NULL,
    series VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    freq VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    dims VARCHAR NOT NULL,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    suppressed BOOLEAN NOT NULL
);
"""

# Version 2: the tables the importers, goals, committee and dashboard used to create on first use. A file
# of version 1 may already have any of them (made lazily by older code), hence IF NOT EXISTS.
_OWN_TABLES = """
CREATE TABLE IF NOT EXISTS spells (
    snapshot_id INTEGER NOT NULL,
    person VARCHAR NOT NULL,
    kommune VARCHAR NOT NULL,
    ydelse VARCHAR NOT NULL,
    alder VARCHAR NOT NULL,
    koen VARCHAR,
    visitation VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE
);
CREATE TABLE IF NOT EXISTS goal_comments (
    area VARCHAR NOT NULL,
    goal_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS committees (name VARCHAR PRIMARY KEY, municipality VARCHAR);
CREATE TABLE IF NOT EXISTS committee_meetings (
    id INTEGER PRIMARY KEY,
    committee VARCHAR NOT NULL,
    date DATE NOT NULL,
    time VARCHAR,
    place VARCHAR,
    participants VARCHAR NOT NULL,
    absentees VARCHAR NOT NULL,
    held BOOLEAN NOT NULL,
    unplaced VARCHAR NOT NULL,
    source_file VARCHAR,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (committee, date)
);
CREATE TABLE IF NOT EXISTS committee_items (
    meeting_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    case_number VARCHAR,
    kind VARCHAR,
    closed BOOLEAN NOT NULL,
    resume VARCHAR NOT NULL,
    sagsfremstilling VARCHAR NOT NULL,
    recommendation VARCHAR,
    attachments VARCHAR NOT NULL,
    related VARCHAR NOT NULL,
    next_bodies VARCHAR NOT NULL,
    sections VARCHAR NOT NULL,
    absentees VARCHAR NOT NULL,
    unplaced VARCHAR NOT NULL,
    attachment_files VARCHAR NOT NULL,
    PRIMARY KEY (meeting_id, number)
);
CREATE TABLE IF NOT EXISTS committee_decisions (
    meeting_id INTEGER NOT NULL,
    item_number INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    meeting_date DATE,
    body VARCHAR,
    text VARCHAR NOT NULL,
    postponed BOOLEAN NOT NULL,
    votes VARCHAR NOT NULL,
    absentees VARCHAR NOT NULL,
    PRIMARY KEY (meeting_id, item_number, seq)
);
CREATE TABLE IF NOT EXISTS committee_requests (
    id INTEGER PRIMARY KEY,
    committee VARCHAR NOT NULL,
    meeting_date DATE NOT NULL,
    item_number INTEGER,
    asked_by VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    form VARCHAR NOT NULL,
    due DATE,
    answered_on DATE,
    answer_form VARCHAR,
    answer_ref VARCHAR
);
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

# Version 3: the dashboard's trust (issue 14): the audit log's client address and hash chain, and a
# publication's catalogue hash (one publication per snapshot and catalogue) and withdrawal.
_TRUST = """
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS client VARCHAR DEFAULT '';
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS prev_hash VARCHAR DEFAULT '';
ALTER TABLE web_audit ADD COLUMN IF NOT EXISTS hash VARCHAR DEFAULT '';
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS catalogue_hash VARCHAR DEFAULT '';
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP;
ALTER TABLE web_publications ADD COLUMN IF NOT EXISTS withdrawn_by VARCHAR;
"""

# Version 4: an analyst's scope (issue 14): the municipalities a user may import figures for; a user without
# rows here may import for every area.
_SCOPE = """
CREATE TABLE IF NOT EXISTS web_user_areas (
    username VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    PRIMARY KEY (username, area)
);
"""

# Version 5: the observations' text columns compressed by dictionary alone, in a file of DuckDB's storage
# format v1.0–v1.2 (every store made before this version). They hold codes and labels with few distinct
# values each (series, areas, periods, dimension keys, units); left to choose, DuckDB also tried FSST on
# every row group and column, a fifth of the time of writing a spell import's 2,2 million figures, to
# choose it for one segment in twenty. Rebuilt, as DuckDB cannot change a column's compression in place:
# once, 1,7 s for 5 million observations. A file of format v1.3 or later (every store made since,
# :data:`STORAGE_VERSION`) chooses as fast by itself, and there DuckDB only reads the old dictionary
# compression, so nothing is rebuilt.
_COLUMNS = "snapshot_id, series, area, period, freq, ordinal, dims, value, unit, suppressed"
_DICTIONARY_TEXT = f"""
ALTER TABLE observations RENAME TO observations_v4;
CREATE TABLE observations (
    snapshot_id INTEGER NOT NULL,
    series VARCHAR USING COMPRESSION dictionary NOT NULL,
    area VARCHAR USING COMPRESSION dictionary NOT NULL,
    period VARCHAR USING COMPRESSION dictionary NOT NULL,
    freq VARCHAR USING COMPRESSION dictionary NOT NULL,
    ordinal INTEGER NOT NULL,
    dims VARCHAR USING COMPRESSION dictionary NOT NULL,
    value DOUBLE,
    unit VARCHAR USING COMPRESSION dictionary NOT NULL,
    suppressed BOOLEAN NOT NULL
);
INSERT INTO observations ({_COLUMNS}) SELECT {_COLUMNS} FROM observations_v4;
DROP TABLE observations_v4;
"""


def _dictionary_text(con: duckdb.DuckDBPyConnection) -> str:
    version = storage_version(con)
    return _DICTIONARY_TEXT if version is not None and version < (1, 3) else ""


# The storage format of a new store file: DuckDB's v1.3 (read by DuckDB 1.3 and later; maaltal pins 1.5).
# Its string compression (dictionary with FSST labels) writes the observations in three quarters of the
# time of the v1.0 format DuckDB uses by default for compatibility with older readers.
STORAGE_VERSION = "v1.3.0"


def storage_version(con: duckdb.DuckDBPyConnection) -> tuple[int, ...] | None:
    """The storage format of the connection's database file, as numbers (``v1.0.0+`` → ``(1, 0, 0)``), or
    ``None`` for a database in memory."""
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    text = (tags or {}).get("storage_version")
    return tuple(int(part) for part in re.findall(r"\d+", text)) if text else None


# (version, SQL or the SQL for the file at hand), oldest first; the version of a store file is the last one
# applied to it.
MIGRATIONS: tuple[tuple[int, str | Callable[[duckdb.DuckDBPyConnection], str]], ...] = (
    (1, _SNAPSHOTS),
    (2, _OWN_TABLES),
    (3, _TRUST),
    (4, _SCOPE),
    (5, _dictionary_text),
)
VERSION = MIGRATIONS[-1][0]
_KEY = "schema_version"


def version_of(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version a store file records; 0 for a file without one (new and empty)."""
    has_meta = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND database_name = current_database()"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = ?", [_KEY]).fetchone()
    return int(row[0]) if row else 0


def check(con: duckdb.DuckDBPyConnection, path: Path | None, *, read_only: bool) -> int:
    """The file's version, after refusing one this code cannot use as it is opened."""
    found = version_of(con)
    where = f"Datalageret {path}" if path is not None else "Datalageret"
    if found > VERSION:
        raise MaaltalError(f"{where} har skemaversion {found}, men denne udgave af maaltal kender kun op til "
                           f"version {VERSION}; opdatér maaltal for at bruge det")
    if read_only and found < VERSION:
        raise MaaltalError(f"{where} har skemaversion {found} fra en ældre udgave af maaltal (denne bruger "
                           f"version {VERSION}); kør en kommando, der skriver i det (fx maaltal import …), "
                           "så opdateres det, og prøv igen")
    return found


def migrate(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> int:
    """Apply the migrations the file lacks, with the version they reach, in one transaction: a file is
    brought all the way forward or not at all. (A new store in one commit, not one per version: 0,005 s
    instead of 0,25 s, which every import into a new file paid.) Returns the version after."""
    found = check(con, path, read_only=False)
    pending = [sql for version, sql in MIGRATIONS if version > found]
    if not pending:
        return found
    with transaction(con):
        for sql in pending:
            statements = sql if isinstance(sql, str) else sql(con)
            if statements.strip():
                con.execute(statements)
        con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [_KEY, str(VERSION)])
    if found:  # a file in use, not a new one: say so, as an older maaltal now refuses it
        log.warning("%s er opdateret fra skemaversion %d til %d; ældre udgaver af maaltal kan ikke længere "
                    "bruge det", f"Datalageret {path}" if path is not None else "Datalageret", found, VERSION)
    return VERSION
