"""Committees, meetings, items, decisions and requests in the DuckDB store, beside the observations.

The tables are the store's (:mod:`maaltal.store.schema`); they are not snapshots, because minutes are not
revised statistics: a meeting is imported once, and requests change state when they are answered. Every
write is one transaction, so a failed minutes import leaves the store as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

import duckdb

from maaltal import formatting as fmt
from maaltal.committee.minutes import mask_cpr
from maaltal.committee.model import (
    AgendaItem,
    AnswerForm,
    Decision,
    ItemKind,
    Meeting,
    Recommendation,
    Request,
    UnplacedText,
    Vote,
    to_json,
)
from maaltal.errors import MaaltalError
from maaltal.store import Store


def _dump(value: object) -> str:
    return json.dumps(to_json(value), ensure_ascii=False)


# Meetings -----------------------------------------------------------------------------------------

def save_meeting(store: Store, meeting: Meeting, requests: Sequence[Request] = (), *,
                 source_file: str | None = None) -> int:
    """Write a meeting with its items, decisions and requests, all or nothing; returns the meeting id.

    A meeting already in the store (same committee and date) is refused, so that a second import cannot
    double the requests the first one found; a planned meeting (an agenda without minutes) is replaced by
    its minutes, keeping its id.
    """
    con = store.connection
    existing = find_meeting(store, meeting.committee, meeting.date)
    if existing is not None and load_meeting(store, existing).held:
        raise MaaltalError(f"Mødet i {meeting.committee} den {fmt.short_date(meeting.date)} er allerede indlæst "
                           f"(møde {existing}); intet er ændret")
    with store.transaction():
        if existing is not None:
            _delete_meeting(con, existing)
            meeting_id = existing
        else:
            meeting_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM committee_meetings").fetchone()[0]
        con.execute("INSERT INTO committees VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "municipality = coalesce(excluded.municipality, committees.municipality)",
                    [meeting.committee, meeting.municipality])
        con.execute(
            "INSERT INTO committee_meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [meeting_id, meeting.committee, meeting.date, meeting.time, meeting.place, _dump(meeting.participants),
             _dump(meeting.absentees), meeting.held, _dump(meeting.unplaced), source_file,
             datetime.now(UTC).replace(tzinfo=None, microsecond=0)],
        )
        for item in meeting.items:
            _insert_item(con, meeting_id, item)
        for request in requests:
            if not _known(con, request):
                _insert_request(con, request)
    return meeting_id


def _known(con: duckdb.DuckDBPyConnection, request: Request) -> bool:
    """Whether the request is stored already: an earlier meeting's request that a later meeting's minutes
    (imported first) recorded as answered is not added again when the earlier minutes come in."""
    return con.execute("SELECT 1 FROM committee_requests WHERE committee = ? AND meeting_date = ? AND text = ?",
                       [request.committee, request.meeting_date, request.text]).fetchone() is not None


def add_items(store: Store, meeting_id: int, items: Sequence[AgendaItem]) -> None:
    """Add items to a planned meeting (the yearly plan's fixed items), all or nothing."""
    con = store.connection
    taken = {row[0] for row in con.execute("SELECT number FROM committee_items WHERE meeting_id = ?",
                                           [meeting_id]).fetchall()}
    clash = sorted(taken & {item.number for item in items})
    if clash:
        raise MaaltalError(f"Møde {meeting_id} har allerede punkt {', '.join(map(str, clash))}; intet er ændret")
    with store.transaction():
        for item in items:
            _insert_item(con, meeting_id, item)


def _delete_meeting(con: duckdb.DuckDBPyConnection, meeting_id: int) -> None:
    for table in ("committee_decisions", "committee_items"):
        con.execute(f"DELETE FROM {table} WHERE meeting_id = ?", [meeting_id])
    con.execute("DELETE FROM committee_meetings WHERE id = ?", [meeting_id])


def _insert_item(con: duckdb.DuckDBPyConnection, meeting_id: int, item: AgendaItem) -> None:
    con.execute(
        "INSERT INTO committee_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [meeting_id, item.number, item.title, item.case_number, item.kind.value if item.kind else None,
         item.closed, item.resume, item.sagsfremstilling,
         _dump(item.recommendation) if item.recommendation else None, _dump(item.attachments),
         _dump(item.related), _dump(item.next_bodies), _dump(item.sections), _dump(item.absentees),
         _dump(item.unplaced), _dump(item.attachment_files)],
    )
    for seq, decision in enumerate(item.decisions, start=1):
        con.execute(
            "INSERT INTO committee_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [meeting_id, item.number, seq, decision.meeting_date, decision.body, decision.text,
             decision.postponed, _dump(decision.votes), _dump(decision.absentees)],
        )


def find_meeting(store: Store, committee: str, on: date) -> int | None:
    row = store.connection.execute("SELECT id FROM committee_meetings WHERE committee = ? AND date = ?",
                              [committee, on]).fetchone()
    return row[0] if row else None


def meetings(store: Store, committee: str | None = None) -> list[tuple[int, str, date, bool]]:
    """(id, committee, date, held) of every meeting, oldest first."""
    sql = "SELECT id, committee, date, held FROM committee_meetings"
    params: list[object] = []
    if committee:
        sql += " WHERE committee = ?"
        params.append(committee)
    return [tuple(row) for row in store.connection.execute(sql + " ORDER BY date, id", params).fetchall()]


def load_meeting(store: Store, meeting_id: int) -> Meeting:
    con = store.connection
    row = con.execute(
        "SELECT m.committee, m.date, m.time, m.place, c.municipality, m.participants, m.absentees, m.unplaced, "
        "m.held FROM committee_meetings m LEFT JOIN committees c ON c.name = m.committee WHERE m.id = ?",
        [meeting_id],
    ).fetchone()
    if row is None:
        raise MaaltalError(f"Møde {meeting_id} findes ikke i datalageret (se maaltal minutes show)")
    committee, on, time, place, municipality, participants, absentees, unplaced, held = row
    decisions: dict[int, list[Decision]] = {}
    for number, meeting_date, body, text, postponed, votes, d_absentees in con.execute(
            "SELECT item_number, meeting_date, body, text, postponed, votes, absentees FROM committee_decisions "
            "WHERE meeting_id = ? ORDER BY item_number, seq", [meeting_id]).fetchall():
        decisions.setdefault(number, []).append(Decision(
            text, meeting_date, body, postponed, tuple(Vote(v["point"], tuple(v["voted_for"]),
                                                              tuple(v["voted_against"]), tuple(v["abstained"]),
                                                              v["outcome"]) for v in json.loads(votes)),
            tuple(json.loads(d_absentees))))
    items = [_item(row, decisions.get(row[0], [])) for row in con.execute(
        "SELECT number, title, case_number, kind, closed, resume, sagsfremstilling, recommendation, attachments, "
        "related, next_bodies, sections, absentees, unplaced, attachment_files FROM committee_items "
        "WHERE meeting_id = ? ORDER BY number", [meeting_id]).fetchall()]
    return Meeting(committee, on, time, place, municipality, tuple(json.loads(participants)),
                   tuple(json.loads(absentees)), tuple(items), _unplaced(unplaced), held)


def _item(row: tuple, decisions: list[Decision]) -> AgendaItem:
    (number, title, case_number, kind, closed, resume, sagsfremstilling, recommendation, attachments, related,
     next_bodies, sections, absentees, unplaced, files) = row
    rec = json.loads(recommendation) if recommendation else None
    return AgendaItem(
        number, title, case_number, ItemKind(kind) if kind else None, closed, resume, sagsfremstilling,
        Recommendation(rec["intro"], tuple(rec["points"])) if rec else None, tuple(decisions),
        tuple(json.loads(attachments)), tuple(json.loads(related)), tuple(json.loads(next_bodies)),
        tuple((name, text) for name, text in json.loads(sections)), tuple(json.loads(absentees)),
        _unplaced(unplaced), tuple(json.loads(files)),
    )


def _unplaced(text: str) -> tuple[UnplacedText, ...]:
    return tuple(UnplacedText(u["line"], u["text"]) for u in json.loads(text))


# Requests -----------------------------------------------------------------------------------------

def _insert_request(con: duckdb.DuckDBPyConnection, request: Request) -> int:
    request_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM committee_requests").fetchone()[0]
    con.execute(
        "INSERT INTO committee_requests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request_id, request.committee, request.meeting_date, request.item_number, request.asked_by,
         mask_cpr(request.text)[0],
         request.owner, request.form.value, request.due, request.answered_on,
         request.answer_form.value if request.answer_form else None, request.answer_ref],
    )
    return request_id


def add_request(store: Store, request: Request) -> int:
    """Record a request made at a meeting (by hand, when the minutes did not say it in a known way)."""
    con = store.connection
    with store.transaction():
        return _insert_request(con, request)


def answer_request(store: Store, request_id: int, *, on: date, form: AnswerForm, ref: str) -> Request:
    """Link the answer to a request: it is closed from ``on`` and no longer listed as open."""
    con = store.connection
    current = request(store, request_id)
    if not current.is_open:
        raise MaaltalError(f"Anmodning {request_id} er allerede besvaret den {fmt.short_date(current.answered_on)} "
                           f"({current.answer_form.label if current.answer_form else ''}: {current.answer_ref})")
    if on < current.meeting_date:
        raise MaaltalError(f"Svaret ({fmt.short_date(on)}) kan ikke ligge før mødet, hvor anmodningen blev stillet "
                           f"({fmt.short_date(current.meeting_date)})")
    con.execute("UPDATE committee_requests SET answered_on = ?, answer_form = ?, answer_ref = ? WHERE id = ?",
                [on, form.value, ref, request_id])
    return request(store, request_id)


def request(store: Store, request_id: int) -> Request:
    found = requests(store, request_id=request_id)
    if not found:
        raise MaaltalError(f"Anmodning {request_id} findes ikke (se maaltal requests list)")
    return found[0]


def requests(store: Store, *, committee: str | None = None, open_at: date | None = None, open_only: bool = False,
             request_id: int | None = None, raised_on: date | None = None) -> list[Request]:
    """Requests, oldest first. ``open_at``: those made before that date and not answered by then (what an
    agenda lists); ``open_only``: those not answered at all; ``raised_on``: those made at the meeting of that
    date (what its minutes record)."""
    sql = ("SELECT id, committee, meeting_date, item_number, asked_by, text, owner, form, due, answered_on, "
           "answer_form, answer_ref FROM committee_requests WHERE true")
    params: list[object] = []
    if committee:
        sql += " AND committee = ?"
        params.append(committee)
    if open_at is not None:
        sql += " AND meeting_date < ? AND (answered_on IS NULL OR answered_on > ?)"
        params += [open_at, open_at]
    if open_only:
        sql += " AND answered_on IS NULL"
    if request_id is not None:
        sql += " AND id = ?"
        params.append(request_id)
    if raised_on is not None:
        sql += " AND meeting_date = ?"
        params.append(raised_on)
    rows = store.connection.execute(sql + " ORDER BY meeting_date, id", params).fetchall()
    return [Request(committee=c, meeting_date=d, item_number=n, asked_by=a, text=t, owner=o, form=AnswerForm(f),
                    due=due, id=i, answered_on=on, answer_form=AnswerForm(af) if af else None, answer_ref=ref)
            for i, c, d, n, a, t, o, f, due, on, af, ref in rows]
