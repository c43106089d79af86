"""Udviklingstendenser: the main developments in short, with what changed notably since the last report.

Slagelse (item 3) writes this list by hand and puts in bold what changed since the previous follow-up.
Here each key figure's development over the last year is classed as a rise, a fall or stagnation, and is
marked notable (bold) when, compared with the same reading at the previous report's period:

- its direction changed (rise, fall and stagnation are three directions), or
- the development itself moved by at least :data:`SHARE_SHIFT` percentage points (shares) or
  :data:`COUNT_SHIFT` percentage points of yearly growth (counts).

Stagnation is a yearly change below :data:`SHARE_STAGNATION` percentage points for a share, and below
:data:`COUNT_STAGNATION` per cent for a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from maaltal import formatting as fmt
from maaltal.document import Bullet, BulletList, Paragraph, Section
from maaltal.kinds import Kind
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.keyfigures import KeyFigureResult

SHARE_STAGNATION = 0.1
COUNT_STAGNATION = 1.0
SHARE_SHIFT = 0.3
COUNT_SHIFT = 5.0


class Direction(StrEnum):
    RISE = "stigning"
    FALL = "fald"
    FLAT = "stagnation"


@dataclass(frozen=True)
class Trend:
    label: str
    direction: Direction
    change: float  # percentage points for shares, per cent for counts
    is_share: bool
    national: float | None
    previous_direction: Direction | None
    previous_change: float | None
    groups: tuple[tuple[str, float], ...] = ()  # the comparable municipalities' change, by group name

    @property
    def notable(self) -> bool:
        if self.previous_direction is None or self.previous_change is None:
            return False
        shift = SHARE_SHIFT if self.is_share else COUNT_SHIFT
        return self.direction is not self.previous_direction or abs(self.change - self.previous_change) >= shift


def classify(change: float, is_share: bool) -> Direction:
    if abs(change) < (SHARE_STAGNATION if is_share else COUNT_STAGNATION):
        return Direction.FLAT
    return Direction.RISE if change > 0 else Direction.FALL


def compute(engine: KeyFigureEngine, results: Sequence[KeyFigureResult], area: str,
            previous: Period | None) -> list[Trend]:
    trends = []
    for result in results:
        ind = result.table.indicator
        focus = result.table.focus
        in_points = result.table.kind in (Kind.SHARE, Kind.POINTS)  # a rate moves in points, a count in per cent
        change = focus.change if in_points else focus.change_pct
        if change is None:
            continue
        national_row = next((r for r in result.table.rows if r.area == "000"), None)
        national = (national_row.change if in_points else national_row.change_pct) if national_row else None
        groups = tuple((r.name, r.change if in_points else r.change_pct) for r in result.table.rows
                       if r.role == "benchmark" and r.kind == "group"
                       and (r.change if in_points else r.change_pct) is not None)
        previous_change = None
        if previous is not None:
            before = engine.change(ind, area, previous, previous.year_ago())
            previous_change = before.change if in_points else before.change_pct
        trends.append(Trend(result.definition.label, classify(change, in_points), change, in_points,
                            national, classify(previous_change, in_points) if previous_change is not None
                            else None, previous_change, groups))
    return trends


def section(trends: Sequence[Trend], period: Period, previous: Period | None) -> Section:
    if not trends:
        return Section("udviklingstendenser", "Udviklingstendenser",
                       (Paragraph("Der er ikke data nok til at beskrive udviklingen.", "note"),))
    bullets = tuple(Bullet(_sentence(t, previous), bold=t.notable) for t in trends)
    intro = (f"Udviklingen det seneste år, frem til {fmt.period(period)}."
             + (f" Fed skrift markerer, hvad der har ændret sig markant siden forrige opfølgning "
                f"({fmt.period(previous)})." if previous else ""))
    rule = (f"En ændring under {fmt.number(SHARE_STAGNATION, 1)} procentpoint (andele) eller "
            f"{fmt.number(COUNT_STAGNATION, 0)} pct. (antal) regnes som stagnation. Markant: udviklingen har "
            f"skiftet retning, eller den har flyttet sig mindst {fmt.number(SHARE_SHIFT, 1)} procentpoint "
            f"(andele) eller {fmt.number(COUNT_SHIFT, 0)} procentpoint i årlig vækst (antal).")
    return Section("udviklingstendenser", "Udviklingstendenser",
                   (Paragraph(intro), BulletList(bullets), Paragraph(rule, "note")))


def _amount(change: float, is_share: bool) -> str:
    """A year's development in words: a share's in procentpoint, a count's in per cent."""
    return fmt.development(change, "pct." if is_share else "%", 1)


def _sentence(trend: Trend, previous: Period | None) -> str:
    """ "A-dagpenge: en stigning på 6,8 pct. på et år (hele landet: en stigning på 8,3 pct.; Vestegnens
    kommuner: en stigning på 7,1 pct.)." and, when notable, what changed since the previous report."""
    text = f"{trend.label}: {_amount(trend.change, trend.is_share)} på et år"
    others = ([("hele landet", trend.national)] if trend.national is not None else []) + list(trend.groups)
    if others:
        text += " (" + "; ".join(f"{name}: {_amount(change, trend.is_share)}" for name, change in others) + ")"
    text += "."
    if trend.notable and previous is not None:
        if trend.direction is not trend.previous_direction:
            text += (f" Udviklingen er vendt fra {trend.previous_direction.value} til {trend.direction.value} "
                     f"siden {fmt.period(previous)}.")
        else:
            text += (f" I {fmt.period(previous)} var det {_amount(trend.previous_change, trend.is_share)}.")
    return text
