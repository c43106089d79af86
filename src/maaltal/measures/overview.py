"""The key-figure overview of one area: each standard key figure beside the areas it is compared with (its
region, its RAR area where that differs from the region, and the nation: :meth:`AreaRegistry.benchmarks`)."""

from __future__ import annotations

from dataclasses import dataclass

from maaltal.measures.definitions import KeyFigureDef
from maaltal.measures.keyfigures import KeyFigureEngine, KeyFigureTable, Window
from maaltal.periods import Period


@dataclass(frozen=True)
class OverviewLine:
    keyfigure: KeyFigureDef
    table: KeyFigureTable


@dataclass(frozen=True)
class Overview:
    """Key figures for ``area`` at ``period`` against the same period a year before."""

    area: str
    period: Period
    compare_period: Period
    benchmarks: tuple[str, ...]
    lines: tuple[OverviewLine, ...]
    skipped: tuple[KeyFigureDef, ...]  # key figures whose series the store does not hold
    synthetic: bool
    snapshot_id: int

    def to_dict(self) -> dict:
        return {
            "area": self.area, "period": str(self.period), "compare_period": str(self.compare_period),
            "snapshot": self.snapshot_id, "synthetic": self.synthetic,
            "keyfigures": [{"id": line.keyfigure.id, "label": line.keyfigure.label, **line.table.to_dict()}
                           for line in self.lines],
            "skipped": [k.id for k in self.skipped],
        }


def build(engine: KeyFigureEngine, keyfigures: list[KeyFigureDef], area: str, period: Period, *,
          benchmarks: list[str] | None = None, compare_period: Period | None = None) -> Overview:
    """One line per key figure the store has data for; the others are listed as skipped."""
    focus = engine.registry.get(area)
    bench = benchmarks if benchmarks is not None else engine.registry.benchmarks(focus.id)
    compare = compare_period or period.year_ago()
    lines, skipped = [], []
    for definition in keyfigures:
        ind = definition.indicator
        needed = [ind.series] + ([ind.denominator] if ind.denominator else [])
        if not all(engine.has_series(s) for s in needed):
            skipped.append(definition)
            continue
        table = engine.table(ind, focus.id, period, compare_period=compare, benchmarks=bench,
                         window=Window.PERIOD, descending=definition.descending)
        lines.append(OverviewLine(definition, table))
    return Overview(focus.id, period, compare, tuple(bench), tuple(lines), tuple(skipped), engine.synthetic,
                    engine.snapshot.id)

