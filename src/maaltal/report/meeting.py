"""A meeting's agenda (dagsorden) and minutes (referat) as documents, built from the committee's facts.

Both have the layout of the seeds: a heading with committee and date, the meeting's date, time, place and
participants, a table of contents, then every item with its case number, resume, indstilling, (in the
minutes) the decision, the sagsfremstilling and the attachments. The agenda also lists the committee's open
requests, so that a question asked at one meeting is in front of the next one until it is answered. The
renderers lay these documents out like any other; they decide nothing about content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from maaltal import formatting as fmt
from maaltal.committee.model import AgendaItem, Decision, Meeting, Request, Vote
from maaltal.committee.requests import due_date
from maaltal.document import Bullet, BulletList, Column, Document, KeyValueList, Paragraph, Section, Table


class MeetingDocumentKind(StrEnum):
    AGENDA = "dagsorden"
    MINUTES = "referat"


REQUEST_HEADER = ("Nr.", "Stillet", "Punkt", "Spurgt af", "Anmodning", "Svar som", "Ansvarlig", "Frist")
VOTE_HEADER = ("Afstemning", "For", "Imod", "Undlod", "Resultat")
# The table of contents and the open requests sit at the level of an item's parts: the items alone are
# the top headings.
_FRONT_LEVEL = 2


def build(meeting: Meeting, kind: MeetingDocumentKind, open_requests: Sequence[Request] = (),
          meeting_dates: Sequence[date] = ()) -> Document:
    """The document of ``meeting``; ``open_requests`` are listed in an agenda before the items, each with
    its due date, reckoned from the committee's ``meeting_dates`` when the request names none."""
    title = f"{kind.value.upper()} {meeting.committee} d. {fmt.short_date(meeting.date)}"
    facts = [("Mødedato", fmt.meeting_date(meeting.date) + (f" kl. {meeting.time}" if meeting.time else ""))]
    if meeting.place:
        facts.append(("Mødested", meeting.place))
    if meeting.participants:
        names = [f"{n} (Afbud)" if n in meeting.absentees else n for n in meeting.participants]
        facts.append(("Mødedeltagere", ", ".join(names)))
    elif kind is MeetingDocumentKind.MINUTES and meeting.absentees:
        facts.append(("Fraværende", ", ".join(meeting.absentees)))
    sections = [Section("indhold", "Indholdsfortegnelse", (BulletList(tuple(Bullet(_toc_line(i))
                                                                            for i in meeting.items)),),
                        level=_FRONT_LEVEL)]
    if kind is MeetingDocumentKind.AGENDA:
        sections.append(_requests(open_requests, meeting, meeting_dates))
    sections += [_item(item, meeting, kind) for item in meeting.items]
    head = f"{kind.value.capitalize()} – {meeting.committee} – {fmt.short_date(meeting.date)}"
    return Document(f"{kind.value}-{meeting.date:%Y-%m-%d}", title, _facts(facts), tuple(sections), head)


def _toc_line(item: AgendaItem) -> str:
    prefix = "Lukket: " if item.closed else ""
    suffix = f" ({item.kind.value})" if item.kind else ""
    return f"Punkt {item.number}: {prefix}{item.title}{suffix}"


def _text_table(id_: str, header: Sequence[str], rows: Sequence[tuple[str, ...]]) -> Table:
    return Table(id_, "", tuple(Column(f"c{i}", label) for i, label in enumerate(header)), tuple(rows))


def _requests(requests: Sequence[Request], meeting: Meeting, meeting_dates: Sequence[date]) -> Section:
    title = "Udvalgets udestående anmodninger"
    if not requests:
        return Section("anmodninger", title, (Paragraph("Der er ingen ubesvarede anmodninger fra tidligere møder."),),
                       level=_FRONT_LEVEL)
    rows = [(str(r.id), fmt.short_date(r.meeting_date), str(r.item_number or ""), r.asked_by, r.text,
             r.form.label, r.owner, _due(due_date(r, meeting_dates), meeting.date)) for r in requests]
    return Section("anmodninger", title, (_text_table("anmodninger-tabel", REQUEST_HEADER, rows),), level=_FRONT_LEVEL)


def _due(due: date | None, meeting_date: date) -> str:
    if due is None:
        return "næste møde"
    if due == meeting_date:
        return "dette møde"
    return fmt.short_date(due) + (" (overskredet)" if due < meeting_date else "")


def _item(item: AgendaItem, meeting: Meeting, kind: MeetingDocumentKind) -> Section:
    id_ = f"punkt-{item.number}"
    facts = [("Sagsnr.", item.case_number)] if item.case_number else []
    if item.closed:
        return Section(id_, _toc_line(item), (*_facts(facts), Paragraph("Lukket punkt.")))
    if kind is MeetingDocumentKind.MINUTES and item.absentees:
        facts.append(("Afbud", ", ".join(item.absentees)))
    parts = [*_text_section("Resume", item.resume)]
    if item.recommendation:
        blocks = [Paragraph(item.recommendation.intro)] if item.recommendation.intro else []
        if item.recommendation.points:
            blocks.append(BulletList(tuple(Bullet(p) for p in item.recommendation.points), numbered=True))
        parts.append(("Indstilling", tuple(blocks)))
    if kind is MeetingDocumentKind.MINUTES:
        parts += [_decision(d, meeting, f"{id_}-afstemning-{n}") for n, d in enumerate(item.decisions, start=1)]
    parts += _text_section("Sagsfremstilling", item.sagsfremstilling)
    for name, text in item.sections:
        parts += _text_section(name, text)
    for label, lines in (("Relateret behandling", item.related), ("Kommende behandlingsforløb", item.next_bodies),
                         ("Bilag", item.attachments)):
        if lines:
            parts.append((label, (BulletList(tuple(Bullet(line) for line in lines)),)))
    subsections = tuple(Section(f"{id_}-{n}", title, blocks) for n, (title, blocks) in enumerate(parts, start=1))
    return Section(id_, _toc_line(item), _facts(facts), subsections)


def _facts(facts: list[tuple[str, str]]) -> tuple[KeyValueList, ...]:
    return (KeyValueList(tuple(facts)),) if facts else ()


def _text_section(name: str, text: str) -> list[tuple[str, tuple[Paragraph, ...]]]:
    if not text:
        return []
    return [(name, tuple(Paragraph(p) for p in text.split("\n\n")))]


def _decision(decision: Decision, meeting: Meeting, table_id: str) -> tuple[str, tuple]:
    on = decision.meeting_date or meeting.date
    heading = f"Beslutning i {decision.body or meeting.committee} den {fmt.short_date(on)}"
    blocks: list = []
    if decision.absentees:
        blocks.append(Paragraph("Fraværende: " + ", ".join(decision.absentees)))
    blocks += [Paragraph(p) for p in decision.text.split("\n\n") if p]
    if decision.votes:
        blocks.append(_text_table(table_id, VOTE_HEADER, [_vote_row(v) for v in decision.votes]))
    return heading, tuple(blocks)


def _vote_row(vote: Vote) -> tuple[str, ...]:
    return (f"Ad {vote.point}." if vote.point else "Punktet", ", ".join(vote.voted_for) or "–",
            ", ".join(vote.voted_against) or "–", ", ".join(vote.abstained) or "–", vote.outcome or "")
