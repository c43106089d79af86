"""The committee cycle as data: meetings, agenda items, decisions, votes and the committee's requests.

The model follows what Danish municipal minutes record (see the seeds): an agenda item has a case number
as the municipality writes it, a kind (B/D/O: beslutning, drøftelse, orientering), a resume, a
sagsfremstilling, an indstilling with numbered points, bilag, earlier treatment and the bodies it goes on
to; each meeting that treats an item records a decision, which may postpone it ("Udsat") or carry a vote
per party group. The classes are frozen so that a parsed meeting can be compared, stored and rendered
without anyone changing it on the way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class ItemKind(StrEnum):
    """What the committee is asked to do with an item (Slagelse writes it as "(B)", Hvidovre as a prefix)."""

    BESLUTNING = "B"
    DROEFTELSE = "D"
    ORIENTERING = "O"

    @property
    def label(self) -> str:
        return {"B": "Beslutning", "D": "Drøftelse", "O": "Orientering"}[self.value]


class AnswerForm(StrEnum):
    """How the administration answers a request: a later agenda item, a note or a mail."""

    PUNKT = "punkt"
    NOTAT = "notat"
    MAIL = "mail"

    @property
    def label(self) -> str:
        return {"punkt": "dagsordenspunkt", "notat": "notat", "mail": "mail"}[self.value]


@dataclass(frozen=True)
class Recommendation:
    """The indstilling: who recommends (the intro line) and the numbered points ("1. at …")."""

    intro: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vote:
    """A vote on one point of the recommendation, per party group, and its outcome as recorded."""

    point: str | None  # "2" for "Ad 2."; None when the vote concerns the whole item
    voted_for: tuple[str, ...] = ()
    voted_against: tuple[str, ...] = ()
    abstained: tuple[str, ...] = ()
    outcome: str | None = None  # e.g. "Bortfaldet pga. stemmelighed."


@dataclass(frozen=True)
class Decision:
    """What one meeting decided on an item; an earlier meeting's decision may have postponed it."""

    text: str
    meeting_date: date | None = None
    body: str | None = None  # the committee named in "Beslutning i … den …"
    postponed: bool = False
    votes: tuple[Vote, ...] = ()
    absentees: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnplacedText:
    """A line the parser could not put into a section: kept with its line number, and reported."""

    line: int
    text: str


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str
    case_number: str | None = None
    kind: ItemKind | None = None
    closed: bool = False
    resume: str = ""
    sagsfremstilling: str = ""
    recommendation: Recommendation | None = None
    decisions: tuple[Decision, ...] = ()
    attachments: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # earlier treatment: "Byrådet 27.05.2020, punkt 11"
    next_bodies: tuple[str, ...] = ()  # "Økonomiudvalget 12.12.2023"
    sections: tuple[tuple[str, str], ...] = ()  # further named sections in their order (Baggrund, Høring …)
    absentees: tuple[str, ...] = ()
    unplaced: tuple[UnplacedText, ...] = ()
    attachment_files: tuple[str, ...] = ()  # files written for the item (a report built by the plan)

    def decision_at(self, meeting_date: date | None) -> Decision | None:
        """The decision of the meeting held on ``meeting_date`` (an undated decision is this meeting's)."""
        for decision in reversed(self.decisions):
            if decision.meeting_date is None or decision.meeting_date == meeting_date:
                return decision
        return None


@dataclass(frozen=True)
class Meeting:
    committee: str
    date: date
    time: str | None = None
    place: str | None = None
    municipality: str | None = None
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    items: tuple[AgendaItem, ...] = ()
    unplaced: tuple[UnplacedText, ...] = ()
    held: bool = True  # False: an agenda only (dagsorden), no minutes yet

    def item(self, number: int) -> AgendaItem:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def all_unplaced(self) -> list[tuple[int | None, UnplacedText]]:
        """Every kept but unplaced line, with the item number it was found in (None: before the items)."""
        found: list[tuple[int | None, UnplacedText]] = [(None, u) for u in self.unplaced]
        for item in self.items:
            found += [(item.number, u) for u in item.unplaced]
        return found


@dataclass(frozen=True)
class Request:
    """Something the committee asked the administration for, followed until it is answered."""

    committee: str
    meeting_date: date
    item_number: int | None
    asked_by: str
    text: str
    owner: str = "Administrationen"
    form: AnswerForm = AnswerForm.NOTAT
    due: date | None = None  # None: by the next meeting
    id: int | None = None
    answered_on: date | None = None
    answer_form: AnswerForm | None = None
    answer_ref: str | None = None

    @property
    def is_open(self) -> bool:
        return self.answered_on is None


def to_json(value: Any) -> Any:
    """Plain JSON-ready data of a model object (dates as ISO text), for storage and ``--format json``."""
    if hasattr(value, "__dataclass_fields__"):
        return to_json(asdict(value))
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


__all__ = ["AgendaItem", "AnswerForm", "Decision", "ItemKind", "Meeting", "Recommendation", "Request",
           "UnplacedText", "Vote", "to_json"]
