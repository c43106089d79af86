"""The document vocabulary: what a report, an agenda item, a meeting's minutes or a section says, as plain
frozen data, before any medium is chosen. It is the ground floor every layer may build on: domain packages
describe their results with it, the report assembles it and the renderers only lay it out.

Numbers stay numbers here (a :class:`Column` says how to show them); the sentences are already Danish
text, written by the modules that know what the numbers mean. A renderer only lays this out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    """How a table cell or a chart value is shown."""

    TEXT = "text"
    NUMBER = "number"          # 3.603 (decimals from the column)
    SHARE = "share"            # 2,6 (a share in per cent, unit in the header)
    POINTS = "points"          # +0,3 (change in percentage points)
    CHANGE = "change"          # +24 / −1.200 (signed change)
    CHANGE_PCT = "change_pct"  # −8,7 % (relative change)
    MIO_KR = "mio_kr"          # 131,7 (amount in mio. kr.)
    KR = "kr"                  # 22.953 (amount in kr.)
    RANK = "rank"              # 83 af 98, the cell holds (rank, of)


class Status(StrEnum):
    """A goal's status; its smiley is what the committee sees."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_ASSESSABLE = "not_assessable"

    @property
    def smiley(self) -> str:
        return {"met": "glad", "not_met": "sur", "not_assessable": "neutral"}[self.value]

    @property
    def label(self) -> str:
        return {"met": "Opfyldt", "not_met": "Ikke opfyldt", "not_assessable": "Kan ikke vurderes"}[self.value]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    format: Format = Format.TEXT
    decimals: int = 0


@dataclass(frozen=True)
class Table:
    """Rows of raw values under typed columns. ``emphasis`` lists rows shown in bold (totals, the focus)."""

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    emphasis: tuple[int, ...] = ()
    note: str | None = None
    source: str | None = None
    appendix: bool = False  # detail for the data workbook (XLSX) only: the printed report leaves it out


@dataclass(frozen=True)
class Series:
    """One line or set of bars of a chart; ``highlight`` marks the municipality against its benchmarks."""

    name: str
    points: tuple[tuple[str, float | None], ...]
    highlight: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart over labelled points (periods as their Danish label, or categories); ``description`` is the
    text alternative for readers who cannot see it."""

    id: str
    title: str
    kind: str  # "line", "bar" or "waterfall"
    unit: str
    series: tuple[Series, ...]
    description: str
    format: Format = Format.NUMBER
    decimals: int = 0
    source: str | None = None
    # "full" (the page's width), "half" (beside its text) or "small" (one of a grid of small multiples);
    # a medium without columns shows every chart at full width
    layout: str = "full"
    note: str | None = None  # a remark on the measurement shown beside the figure (a break in the series)


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "normal"  # "normal", "note", "comment", "warning"


@dataclass(frozen=True)
class Bullet:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class BulletList:
    """A list; ``numbered`` counts its items from 1 (an indstilling's points), each list on its own."""

    items: tuple[Bullet, ...]
    numbered: bool = False


@dataclass(frozen=True)
class KeyValueList:
    """Labels with their values, such as a meeting's date and place or an item's case number."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SmileyItem:
    goal_id: str
    title: str
    status: Status
    parent: str | None = None
    target: str | None = None       # the target as the committee reads it ("under 3,0 pct.")
    result: str | None = None       # the measured result ("2,5 pct.", "+1,6 %")
    explanation: str | None = None  # the analyst's explanation; "Forklaring mangler" for an unmet goal without
    # the target and result as a sentence says them, where that differs from the cells: a development in
    # words ("en stigning på 1,6 pct."), never a sign
    target_phrase: str | None = None
    result_phrase: str | None = None


@dataclass(frozen=True)
class SmileyOverview:
    items: tuple[SmileyItem, ...]

    @property
    def counts(self) -> dict[Status, int]:
        return {s: sum(1 for i in self.items if i.status is s) for s in Status}


Block = Paragraph | BulletList | KeyValueList | Table | Chart | SmileyOverview


@dataclass(frozen=True)
class Section:
    """A titled part of a document. Its heading level is its depth (1 for a top section) unless ``level``
    says otherwise: a meeting's table of contents sits at the level of an item's own parts, so that the
    items alone are the top headings, as in the municipalities' agendas."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    level: int | None = None
    summary: str | None = None  # the section's bottom line in one sentence, for a front page


@dataclass(frozen=True)
class Report:
    """A whole report. ``built_from`` names the snapshot and catalogue hash so it can be rebuilt."""

    title: str
    municipality: str
    committee: str | None
    period_label: str
    snapshot_id: int
    data_vintage: str
    catalogue_hash: str | None
    synthetic: bool
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = ("Kilde: Jobindsats.dk / Danmarks Statistik",)
    metadata: dict[str, str] = field(default_factory=dict)
    footer: str = "maaltal"  # printed at the foot of every page ("… · syntetiske demodata")


@dataclass(frozen=True)
class Document:
    """Any other document the committee receives: the agenda item's text, a meeting's agenda or minutes,
    the yearly plan's coming meetings, the monthly key-figure overview.

    ``name`` is the stem its files are written under (``noegletal-167-2024M12``); ``blocks`` come under the
    title before the first section; ``running_head`` is printed at the top of every page where a medium
    has pages.
    """

    name: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    running_head: str | None = None
