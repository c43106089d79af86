"""The analyst's comments on goals: "Den manglende målopfyldelse skyldes …", kept with author and time.

Comments are not observations: they live in their own table of the store (``goal_comments``), create no
snapshot, and a newer comment on the same goal and period replaces the older one in the follow-up while
both are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from maaltal import privacy
from maaltal.errors import MaaltalError
from maaltal.periods import Period
from maaltal.store import Store


@dataclass(frozen=True)
class Comment:
    goal_id: str
    period: Period
    text: str
    author: str
    created_at: datetime

    def to_dict(self) -> dict:
        return {"text": self.text, "author": self.author, "time": self.created_at.isoformat(sep=" ")}


def add(store: Store, area: str, goal_id: str, period: Period | str, text: str, author: str,
        now: datetime | None = None) -> Comment:
    """Store a comment on a goal for a period (UTC time, to the second).

    A CPR number typed or pasted into the text or the author's name is masked here, below every path that
    writes a comment (the command line and the dashboard), so it never reaches the store file.
    """
    period = Period.parse(period)
    text, author = privacy.mask(text.strip(), whole=True), privacy.mask(author.strip(), whole=True)
    if not text:
        raise MaaltalError("Kommentaren er tom; skriv den med --text")
    if not author:
        raise MaaltalError("Kommentaren skal have en forfatter (--author)")
    created = (now or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
    store.connection.execute("INSERT INTO goal_comments VALUES (?, ?, ?, ?, ?, ?)",
                             [area, goal_id, str(period), text, author, created])
    return Comment(goal_id, period, text, author, created)


def for_period(store: Store, area: str, period: Period | str) -> dict[str, Comment]:
    """The newest comment per goal for an area and period (none if no comment was ever written)."""
    period = Period.parse(period)
    rows = store.connection.execute(
        """
        SELECT goal_id, text, author, created_at FROM goal_comments WHERE area = ? AND period = ?
        QUALIFY row_number() OVER (PARTITION BY goal_id ORDER BY created_at DESC, rowid DESC) = 1
        """, [area, str(period)]).fetchall()
    return {goal_id: Comment(goal_id, period, text, author, created) for goal_id, text, author, created in rows}
