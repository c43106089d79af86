"""The agenda (dagsorden) and the minutes (referat) of a meeting as a document model of blocks.

Both documents have the layout of the seeds: a heading with committee and date, the meeting's date, time,
place and participants, a table of contents, then every item with its case number, resume, indstilling,
(in the minutes) the decision, the sagsfremstilling and the attachments. The agenda also lists the
committee's open requests, so that a question asked at one meeting is in front of the next one until it is
answered. The DOCX and PDF renderers draw these blocks; they decide nothing about content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from maaltal import formatting as fmt
from maaltal.committee.model import AgendaItem, Decision, Meeting, Request, Vote
from maaltal.committee.requests import due_date


class BlockKind(StrEnum):
    TITLE = "title"  # the document's heading
    META = "meta"  # a label and its value: "Mødedato", "Mandag d. 5. september 2022 kl. 12:00"
    HEADING = "heading"  # an item's "Punkt N: Titel"
    SECTION = "section"  # a section heading in an item: "Resume", "Beslutning i … den …"
    PARAGRAPH = "paragraph"
    NUMBERED = "numbered"  # the indstilling's points
    BULLETS = "bullets"
    TABLE = "table"  # header row + rows


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


class DocumentKind(StrEnum):
    AGENDA = "dagsorden"
    MINUTES = "referat"


@dataclass(frozen=True)
class AgendaDocument:
    kind: DocumentKind
    title: str
    running_head: str
    blocks: tuple[Block, ...]


REQUEST_HEADER = ("Nr.", "Stillet", "Punkt", "Spurgt af", "Anmodning", "Svar som", "Ansvarlig", "Frist")


def build(meeting: Meeting, kind: DocumentKind, open_requests: list[Request] | None = None,
          meeting_dates: Sequence[date] = ()) -> AgendaDocument:
    """The document of ``meeting``; ``open_requests`` are listed in an agenda before the items, each with
    its due date, reckoned from the committee's ``meeting_dates`` when the request names none."""
    title = f"{kind.value.upper()} {meeting.committee} d. {fmt.short_date(meeting.date)}"
    blocks = [Block(BlockKind.TITLE, title)]
    when = fmt.meeting_date(meeting.date) + (f" kl. {meeting.time}" if meeting.time else "")
    blocks.append(Block(BlockKind.META, when, "Mødedato"))
    if meeting.place:
        blocks.append(Block(BlockKind.META, meeting.place, "Mødested"))
    if meeting.participants:
        names = [f"{n} (Afbud)" if n in meeting.absentees else n for n in meeting.participants]
        blocks.append(Block(BlockKind.META, ", ".join(names), "Mødedeltagere"))
    elif kind is DocumentKind.MINUTES and meeting.absentees:
        blocks.append(Block(BlockKind.META, ", ".join(meeting.absentees), "Fraværende"))
    blocks.append(Block(BlockKind.SECTION, "Indholdsfortegnelse"))
    blocks.append(Block(BlockKind.BULLETS, "\n".join(_toc_line(i) for i in meeting.items)))
    if kind is DocumentKind.AGENDA:
        blocks += _requests(open_requests or [], meeting, meeting_dates)
    for item in meeting.items:
        blocks += _item(item, meeting, kind)
    head = f"{kind.value.capitalize()} – {meeting.committee} – {fmt.short_date(meeting.date)}"
    return AgendaDocument(kind, title, head, tuple(blocks))


def _toc_line(item: AgendaItem) -> str:
    prefix = "Lukket: " if item.closed else ""
    suffix = f" ({item.kind.value})" if item.kind else ""
    return f"Punkt {item.number}: {prefix}{item.title}{suffix}"


def _requests(requests: list[Request], meeting: Meeting, meeting_dates: Sequence[date]) -> list[Block]:
    blocks = [Block(BlockKind.SECTION, "Udvalgets udestående anmodninger")]
    if not requests:
        return [*blocks, Block(BlockKind.PARAGRAPH, "Der er ingen ubesvarede anmodninger fra tidligere møder.")]
    rows = tuple((str(r.id), fmt.short_date(r.meeting_date), str(r.item_number or ""), r.asked_by, r.text,
                  r.form.label, r.owner, _due(due_date(r, meeting_dates), meeting.date)) for r in requests)
    return [*blocks, Block(BlockKind.TABLE, rows=(REQUEST_HEADER, *rows))]


def _due(due: date | None, meeting_date: date) -> str:
    if due is None:
        return "næste møde"
    if due == meeting_date:
        return "dette møde"
    return fmt.short_date(due) + (" (overskredet)" if due < meeting_date else "")


def _item(item: AgendaItem, meeting: Meeting, kind: DocumentKind) -> list[Block]:
    blocks = [Block(BlockKind.HEADING, _toc_line(item))]
    if item.case_number:
        blocks.append(Block(BlockKind.META, item.case_number, "Sagsnr."))
    if item.closed:
        return [*blocks, Block(BlockKind.PARAGRAPH, "Lukket punkt.")]
    blocks += _text_section("Resume", item.resume)
    if item.recommendation:
        blocks.append(Block(BlockKind.SECTION, "Indstilling"))
        if item.recommendation.intro:
            blocks.append(Block(BlockKind.PARAGRAPH, item.recommendation.intro))
        if item.recommendation.points:
            blocks.append(Block(BlockKind.NUMBERED, "\n".join(item.recommendation.points)))
    if kind is DocumentKind.MINUTES:
        for decision in item.decisions:
            blocks += _decision(decision, meeting)
    blocks += _text_section("Sagsfremstilling", item.sagsfremstilling)
    for name, text in item.sections:
        blocks += _text_section(name, text)
    for label, lines in (("Relateret behandling", item.related), ("Kommende behandlingsforløb", item.next_bodies),
                         ("Bilag", item.attachments)):
        if lines:
            blocks += [Block(BlockKind.SECTION, label), Block(BlockKind.BULLETS, "\n".join(lines))]
    if kind is DocumentKind.MINUTES and item.absentees:
        blocks.append(Block(BlockKind.PARAGRAPH, "Afbud: " + ", ".join(item.absentees)))
    return blocks


def _text_section(name: str, text: str) -> list[Block]:
    if not text:
        return []
    return [Block(BlockKind.SECTION, name), *(Block(BlockKind.PARAGRAPH, p) for p in text.split("\n\n"))]


def _decision(decision: Decision, meeting: Meeting) -> list[Block]:
    on = decision.meeting_date or meeting.date
    heading = f"Beslutning i {decision.body or meeting.committee} den {fmt.short_date(on)}"
    blocks = [Block(BlockKind.SECTION, heading)]
    if decision.absentees:
        blocks.append(Block(BlockKind.PARAGRAPH, "Fraværende: " + ", ".join(decision.absentees)))
    blocks += [Block(BlockKind.PARAGRAPH, p) for p in decision.text.split("\n\n") if p]
    if decision.votes:
        blocks.append(Block(BlockKind.TABLE, rows=(("Afstemning", "For", "Imod", "Undlod", "Resultat"),
                                                   *(_vote_row(v) for v in decision.votes))))
    return blocks


def _vote_row(vote: Vote) -> tuple[str, ...]:
    return (f"Ad {vote.point}." if vote.point else "Punktet", ", ".join(vote.voted_for) or "–",
            ", ".join(vote.voted_against) or "–", ", ".join(vote.abstained) or "–", vote.outcome or "")
