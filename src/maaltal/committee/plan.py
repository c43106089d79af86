"""The committee's yearly plan (årsplan): its meetings and the fixed items each meeting must treat.

Horsens puts an updated "Årsplan" before every meeting (item 7), Slagelse its "Punkter til kommende møder"
(item 11). The fixed part of such a plan is a rule, not a list: the key figures every month, the goal
follow-up every quarter, the budget follow-ups, the target figures every half year. The plan is a plain
YAML file the municipality keeps; :func:`due` says what is due at a meeting and for which data period,
:func:`create_agenda` turns that into agenda items with their reports attached, built by the report
builder the caller passes for each kind (see :mod:`maaltal.report.plan_builders`), and, when the plan says
so, an item with the plan itself: the fixed items of the coming meetings (:func:`coming`), written by the
writer the caller passes. The committee holds the facts; how a report or the plan is written is not its
business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.committee import storage
from maaltal.committee.model import AgendaItem, ItemKind, Meeting, Recommendation
from maaltal.errors import MaaltalError, UnknownAreaError
from maaltal.fields import Fields
from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Store

PERIOD_KINDS = ("month", "quarter", "halfyear", "year")
# The report kinds a yearly plan can name, with their Danish names for messages.
REPORT_KINDS = {
    "monthly_keyfigures": "månedlige nøgletal",
    "goal_followup": "målopfølgning",
    "budget_followup": "budgetopfølgning",
    "target_figures": "måltal",
}


@dataclass(frozen=True)
class PlannedMeeting:
    date: date
    time: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class FixedItem:
    """An item the committee treats by rule: which report, at which meetings, for which data period."""

    report: str  # a key of REPORT_KINDS
    title: str
    kind: ItemKind
    months: tuple[int, ...]  # the months whose meetings treat it (all twelve: every meeting)
    period: str  # one of PERIOD_KINDS
    lag_months: int  # how many months the data lag behind the meeting
    resume: str = ""
    recommendation: Recommendation | None = None


@dataclass(frozen=True)
class PlanItem:
    """The plan itself as an item at every meeting, with the coming meetings attached."""

    title: str
    kind: ItemKind = ItemKind.ORIENTERING
    recommendation: Recommendation | None = None


@dataclass(frozen=True)
class DueItem:
    fixed: FixedItem
    period: Period | PeriodRange


@dataclass(frozen=True)
class YearPlan:
    committee: str
    area: str
    meetings: tuple[PlannedMeeting, ...]
    items: tuple[FixedItem, ...]
    plan_item: PlanItem | None = None

    def meeting(self, on: date) -> PlannedMeeting:
        for meeting in self.meetings:
            if meeting.date == on:
                return meeting
        dates = ", ".join(fmt.short_date(m.date) for m in self.meetings)
        raise MaaltalError(f"Årsplanen har intet møde den {fmt.short_date(on)}; møderne er: {dates}")


# Builds the report of a kind for (area, data period, kind) into a folder and returns the files it wrote.
ReportBuilder = Callable[[str, Period | PeriodRange, str, Path], list[Path]]
# Writes the plan's coming meetings (:func:`coming`) as of a meeting into a folder and returns the files.
PlanWriter = Callable[[YearPlan, date, Path], list[Path]]


def due(plan: YearPlan, on: date) -> list[DueItem]:
    """The fixed items due at the meeting on ``on``, each with the data period its report covers."""
    return [DueItem(item, data_period(item.period, on, item.lag_months)) for item in plan.items
            if on.month in item.months]


def schedule(plan: YearPlan) -> list[tuple[PlannedMeeting, list[DueItem]]]:
    """Every meeting of the plan with what is due at it."""
    return [(meeting, due(plan, meeting.date)) for meeting in plan.meetings]


def data_period(kind: str, on: date, lag_months: int) -> Period | PeriodRange:
    """The newest complete period whose last month is at least ``lag_months`` before the meeting's month."""
    last = Period(Freq.MONTH, on.year, on.month) - lag_months
    if kind == "month":
        return last
    if kind == "quarter":
        quarter = last.quarter()
        return quarter if last.index % 3 == 0 else quarter - 1
    if kind == "year":
        return Period(Freq.YEAR, last.year if last.index == 12 else last.year - 1)
    year, half = (last.year, 2) if last.index == 12 else (last.year, 1) if last.index >= 6 else (last.year - 1, 2)
    return PeriodRange(Period(Freq.QUARTER, year, 2 * half - 1), Period(Freq.QUARTER, year, 2 * half))


def period_label(period: Period | PeriodRange) -> str:
    """``september 2026``, ``3. kvartal 2026``, ``1. halvår 2026``, ``2026``: for titles of items."""
    if isinstance(period, PeriodRange) and period.start.freq is Freq.QUARTER and len(period) == 2:
        return f"{(period.start.index + 1) // 2}. halvår {period.start.year}"
    return fmt.period(period)


def coming(plan: YearPlan, on: date) -> list[tuple[date, str, str]]:
    """The fixed items of the meetings after ``on``: meeting date, item title, data period as text."""
    return [(meeting.date, entry.fixed.title, period_label(entry.period))
            for meeting, entries in schedule(plan) if meeting.date > on for entry in entries]


def create_agenda(store: Store, plan: YearPlan, on: date, builders: Mapping[str, ReportBuilder],
                  out_dir: Path, write_plan: PlanWriter | None = None) -> tuple[int, list[AgendaItem], list[str]]:
    """Create the meeting's fixed items, with their reports built into ``out_dir``.

    The meeting is added to the store as planned (an agenda without minutes) if it is not there yet; the
    items follow the ones it already has. Returns the meeting id, the new items and notes for the user
    (a kind without a builder in ``builders`` gets its item without an attachment, and a note says so; so
    does the plan's own item without ``write_plan``). Nothing is written to the store before every report
    is built, so a failing builder leaves it as it was.
    """
    planned = plan.meeting(on)
    meeting_id = storage.find_meeting(store, plan.committee, on)
    existing = storage.load_meeting(store, meeting_id) if meeting_id is not None else \
        Meeting(plan.committee, on, planned.time, planned.place, held=False)
    if existing.held:
        raise MaaltalError(f"Mødet den {fmt.short_date(on)} er holdt (referatet er indlæst); der oprettes ikke punkter")
    titles = {item.title for item in existing.items}
    number = max((item.number for item in existing.items), default=0)
    folder = out_dir / f"{on:%Y-%m-%d}"
    items, notes = [], []
    for entry in due(plan, on):
        title = f"{entry.fixed.title} – {period_label(entry.period)}"
        if title in titles:
            notes.append(f"'{title}' findes allerede på mødet; ikke oprettet igen")
            continue
        builder = builders.get(entry.fixed.report)
        files: list[Path] = []
        if builder is None:
            notes.append(f"'{title}': ingen rapportbygger for {REPORT_KINDS[entry.fixed.report]} endnu; "
                         "punktet er oprettet uden bilag")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            files = builder(plan.area, entry.period, entry.fixed.report, folder)
        number += 1
        items.append(AgendaItem(
            number=number, title=title, kind=entry.fixed.kind, resume=entry.fixed.resume,
            recommendation=entry.fixed.recommendation, attachments=tuple(f.name for f in files),
            attachment_files=tuple(str(f) for f in files),
        ))
    if plan.plan_item and plan.plan_item.title not in titles:
        files = []
        if write_plan is None:
            notes.append(f"'{plan.plan_item.title}': ingen skriver til årsplanen; punktet er oprettet uden bilag")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            files = write_plan(plan, on, folder)
        items.append(AgendaItem(
            number=number + 1, title=plan.plan_item.title, kind=plan.plan_item.kind,
            recommendation=plan.plan_item.recommendation, attachments=tuple(f.name for f in files),
            attachment_files=tuple(str(f) for f in files),
        ))
    if meeting_id is None:
        meeting_id = storage.save_meeting(store, replace(existing, items=tuple(items)))
    else:
        storage.add_items(store, meeting_id, items)
    return meeting_id, items, notes


# Reading the file -----------------------------------------------------------------------------------

def load(path: str | Path, registry: AreaRegistry) -> YearPlan:
    """Read and check a yearly plan; every problem names the file, line and field."""
    f = Fields(yamlfile.load(path))
    if f.mapping((), "årsplanen skal være en tabel med committee, area, meetings og fixed_items") is None:
        f.check(alone=True)
    committee, area = f.text(("committee",)), _area(f, registry)
    meetings = tuple(_meeting(f, i) for i in range(len(f.items(("meetings",), "feltet 'meetings' mangler"))))
    fixed = [_fixed(f, i) for i in range(len(f.items(("fixed_items",), "feltet 'fixed_items' mangler")))]
    items = tuple(item for item in fixed if item is not None)
    plan_item = _plan_item(f)
    f.check(alone=True)
    return YearPlan(committee, area, tuple(sorted(meetings, key=lambda m: m.date)), items, plan_item)


def _area(f: Fields, registry: AreaRegistry) -> str:
    ref = f.text(("area",))
    if ref is None:
        return ""
    try:
        return registry.get(ref).id
    except UnknownAreaError as exc:
        f.fail(("area",), str(exc))
        return ""


def _plan_item(f: Fields) -> PlanItem | None:
    where = ("plan_item",)
    if f.get(where) is None:
        return None
    if not isinstance(f.get(where), dict) or not f.get(where + ("title",)):
        f.fail(where + ("title",), "'plan_item' skal have en titel, fx 'Punkter til kommende møder'")
        return None
    return PlanItem(str(f.get(where + ("title",))), _kind(f, where), _recommendation(f, where))


def _kind(f: Fields, where: tuple) -> ItemKind:
    return ItemKind(f.choice(where + ("item_kind",), [k.value for k in ItemKind], default="O") or "O")


def _meeting(f: Fields, index: int) -> PlannedMeeting:
    where = ("meetings", index)
    on = f.date(where + ("date",), "hvert møde skal have en dato skrevet som ÅÅÅÅ-MM-DD") or date.min
    time = f.get(where + ("time",))
    if isinstance(time, int) and not isinstance(time, bool):  # YAML 1.1 reads an unquoted 16:00 as 960
        time = f"{time // 60}:{time % 60:02d}"
    return PlannedMeeting(on, _optional_text(time), _optional_text(f.get(where + ("place",))))


def _fixed(f: Fields, index: int) -> FixedItem | None:
    where = ("fixed_items", index)
    if f.mapping(where, "hvert fast punkt skal være en tabel med report, title og at") is None:
        return None
    report, title = f.text(where + ("report",)), f.text(where + ("title",))
    if report is not None and report not in REPORT_KINDS:
        f.fail(where + ("report",), f"ukendt rapport '{report}'; brug en af " + ", ".join(REPORT_KINDS))
    kind = _kind(f, where)
    months = _months(f, where)
    period = f.choice(where + ("period",), PERIOD_KINDS, default="month")
    lag = f.integer(where + ("lag_months",), low=0, high=24, default=1)
    return FixedItem(report or "", title or "", kind, months, period or "month", lag or 0,
                     str(f.get(where + ("resume",)) or "").strip(), _recommendation(f, where))


def _months(f: Fields, where: tuple) -> tuple[int, ...]:
    value = f.get(where + ("at",))
    if value == "alle":
        return tuple(range(1, 13))
    if isinstance(value, list) and value and all(isinstance(v, int) and 1 <= v <= 12 for v in value):
        return tuple(sorted(set(value)))
    f.fail(where + ("at",), "'at' skal være 'alle' eller en liste af måneder (1-12), fx [3, 6, 9, 12]")
    return ()


def _recommendation(f: Fields, where: tuple) -> Recommendation | None:
    path = where + ("recommendation",)
    value = f.get(path)
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("points"), list):
        f.fail(path, "'recommendation' skal have 'intro' og en liste 'points'")
        return None
    return Recommendation(str(value.get("intro", "")), tuple(str(p) for p in value["points"]))


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)
