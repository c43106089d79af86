"""The audit log: who did what, when — every import, catalogue change, comment, publication and user change.

Entries are only ever inserted: this module has no update or delete, and no page offers one. Admins read
the log on the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

# The Danish name of each action, as the log page shows it.
ACTIONS = {
    "import": "Import",
    "catalogue": "Målkatalog ændret",
    "comment": "Kommentar",
    "publish": "Rapport offentliggjort",
    "user_add": "Bruger oprettet",
    "user_change": "Bruger ændret",
}


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    username: str
    action: str
    object: str
    detail: str

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


def record(cur: duckdb.DuckDBPyConnection, username: str, action: str, obj: str, detail: str = "") -> None:
    """Add one entry; ``action`` is a key of :data:`ACTIONS`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    cur.execute("INSERT INTO web_audit (created_at, username, action, object, detail) VALUES (?, ?, ?, ?, ?)",
                [_now(), username, action, obj, detail])


def entries(cur: duckdb.DuckDBPyConnection, limit: int = 500) -> list[Entry]:
    """The newest entries first."""
    rows = cur.execute("SELECT id, created_at, username, action, object, detail FROM web_audit"
                       " ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    return [Entry(*row) for row in rows]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
