"""The audit log: who did what, when and from where — every change, every login, failure and logout.

Entries are only ever inserted: this module has no update or delete, and no page offers one. Admins read
the log on the dashboard, a page at a time and filtered by user or action. Each entry carries the SHA-256
of the entry before it and a SHA-256 of its own content with that one (a hash chain), so an entry changed
or deleted in the store file afterwards breaks the chain at that point, and ``maaltal audit verify`` names
it. Entries are chained in one step under a lock, so two writers never both chain to the same entry.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from maaltal import privacy

# The Danish name of each action, as the log page shows it.
ACTIONS = {
    "import": "Import",
    "import_failed": "Import fejlede",
    "import_held": "Import holdt tilbage (usandsynlige tal)",
    "import_confirmed": "Usandsynlige tal bekræftet",
    "catalogue": "Målkatalog ændret",
    "comment": "Kommentar",
    "publish": "Rapport offentliggjort",
    "withdraw": "Rapport trukket tilbage",
    "user_add": "Bruger oprettet",
    "user_change": "Bruger ændret",
    "password_change": "Adgangskode skiftet",
    "password_reset": "Adgangskode nulstillet",
    "login": "Logget ind",
    "login_failed": "Mislykket login",
    "logout": "Logget ud",
}
PAGE_SIZE = 50
GENESIS = "0" * 64  # what the first entry chains to

# Held while an entry is chained and until its transaction commits (a publication holds it around its own).
LOCK = threading.RLock()


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    username: str
    action: str
    object: str
    detail: str
    client: str = ""

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class Page:
    """One page of the log, newest first, and what the pager needs."""

    entries: list[Entry]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def record(cur: duckdb.DuckDBPyConnection, username: str, action: str, obj: str, detail: str = "",
           client: str = "") -> None:
    """Add one entry, chained to the newest; ``action`` is a key of :data:`ACTIONS`.

    Whatever the entry says is passed through the CPR mask first: a number typed as a user name or pasted
    into a detail never reaches the log in clear.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    values = [_now(), privacy.mask(username), action, privacy.mask(obj), privacy.mask(detail), client]
    with LOCK:
        previous = cur.execute("SELECT hash FROM web_audit ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash = previous[0] if previous and previous[0] else GENESIS
        entry_id = cur.execute("SELECT nextval('web_audit_seq')").fetchone()[0]
        entry_hash = _hash(prev_hash, entry_id, *values)
        cur.execute("INSERT INTO web_audit (id, created_at, username, action, object, detail, client, prev_hash, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [entry_id, *values, prev_hash, entry_hash])


def entries(cur: duckdb.DuckDBPyConnection, limit: int = 500) -> list[Entry]:
    """The newest entries first."""
    return page(cur, 1, page_size=limit).entries


def page(cur: duckdb.DuckDBPyConnection, number: int = 1, *, username: str = "", action: str = "",
         page_size: int = PAGE_SIZE) -> Page:
    """Page ``number`` (from 1) of the entries by ``username`` and of ``action`` (empty: all), newest first."""
    where, params = ["true"], []
    if username:
        where.append("username = ?")
        params.append(username)
    if action:
        where.append("action = ?")
        params.append(action)
    condition = " AND ".join(where)
    total = cur.execute(f"SELECT count(*) FROM web_audit WHERE {condition}", params).fetchone()[0]
    number = max(1, min(number, max(1, -(-total // page_size))))
    rows = cur.execute(f"SELECT id, created_at, username, action, object, detail, client FROM web_audit"
                       f" WHERE {condition} ORDER BY id DESC LIMIT ? OFFSET ?",
                       [*params, page_size, (number - 1) * page_size]).fetchall()
    return Page([Entry(*row) for row in rows], number, total)


def usernames(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The user names the log holds, for the filter."""
    return [u for (u,) in cur.execute("SELECT DISTINCT username FROM web_audit ORDER BY username").fetchall()]


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found: how many entries were checked, and the first one that breaks the chain."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(cur: duckdb.DuckDBPyConnection) -> Verification:
    """Walk the chain from the oldest entry; the first entry whose content or link does not match."""
    prev_hash = GENESIS
    checked = 0
    rows = cur.execute("SELECT id, created_at, username, action, object, detail, client, prev_hash, hash"
                       " FROM web_audit ORDER BY id")
    while batch := rows.fetchmany(10_000):
        for entry_id, at, username, action, obj, detail, client, linked, stored in batch:
            if linked != prev_hash:
                return Verification(checked, entry_id, "posten før den er ændret eller slettet")
            if _hash(prev_hash, entry_id, at, username, action, obj, detail, client) != stored:
                return Verification(checked, entry_id, "posten er ændret")
            prev_hash = stored
            checked += 1
    return Verification(checked)


def seal_unchained(cur: duckdb.DuckDBPyConnection) -> None:
    """Chain the entries of a store written before the log had a chain, once, when it is first opened."""
    with LOCK:
        if cur.execute("SELECT count(*) FROM web_audit WHERE hash <> ''").fetchone()[0]:
            return
        prev_hash = GENESIS
        for entry_id, *content in cur.execute("SELECT id, created_at, username, action, object, detail, client"
                                              " FROM web_audit ORDER BY id").fetchall():
            entry_hash = _hash(prev_hash, entry_id, *content)
            cur.execute("UPDATE web_audit SET prev_hash = ?, hash = ? WHERE id = ?", [prev_hash, entry_hash, entry_id])
            prev_hash = entry_hash


def _hash(prev_hash: str, entry_id: int, at: datetime, username: str, action: str, obj: str, detail: str,
          client: str) -> str:
    fields = [prev_hash, str(entry_id), at.isoformat(), username, action, obj, detail, client]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
