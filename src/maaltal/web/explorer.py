"""The key-figure explorer: any key figure or stored series, for any area, period and benchmarks.

It builds the same report section as the committee report does for a key figure (text, table, chart,
ranks), so what an analyst explores is what the report would print; and it gives the figures behind it
as a CSV file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from maaltal.document import Section
from maaltal.errors import MaaltalError, NoDataError
from maaltal.measures import KeyFigureEngine
from maaltal.measures.definitions import KeyFigureDef
from maaltal.measures.indicator import Indicator
from maaltal.periods import Period
from maaltal.report.sections import keyfigures as report_keyfigures


@dataclass(frozen=True)
class Choice:
    """One entry of the explorer's list: a key figure of the catalogue, or a series as it is stored."""

    key: str
    label: str
    definition: KeyFigureDef


@dataclass(frozen=True)
class Exploration:
    choice: Choice
    area: str
    period: Period
    periods: tuple[Period, ...]
    benchmarks: tuple[str, ...]
    result: report_keyfigures.KeyFigureResult

    @property
    def section(self) -> Section:
        return report_keyfigures.keyfigure_section(self.result)


def choices(engine: KeyFigureEngine, catalogue: Sequence[KeyFigureDef]) -> list[Choice]:
    """The catalogue's key figures the store can compute, then every stored series and dimension set."""
    stored = engine.store.series(snapshot=engine.snapshot.id)
    names = {info.series for info in stored}
    result = [Choice(d.id, d.label, d) for d in catalogue
              if d.indicator.series in names and (d.indicator.denominator is None or d.indicator.denominator in names)]
    for info in stored:
        dims = ", ".join(f"{k}: {v}" for k, v in sorted(info.dims.items()))
        key = "serie:" + info.series + "".join(f";{k}={v}" for k, v in sorted(info.dims.items()))
        label = f"Serie: {info.series}" + (f" ({dims})" if dims else "") + f" – {info.unit}"
        definition = KeyFigureDef(key, info.series + (f" ({dims})" if dims else ""),
                                  Indicator.of(info.series, dims=info.dims), "lower")
        result.append(Choice(key, label, definition))
    return result


def periods(engine: KeyFigureEngine, indicator: Indicator) -> list[Period]:
    """Every period of the indicator's series, of all its frequencies, oldest first."""
    freqs = {info.freq for info in engine.store.series(snapshot=engine.snapshot.id) if info.series == indicator.series}
    snapshot = engine.snapshot.id
    found = [p for freq in sorted(freqs) for p in engine.store.periods(indicator.series, freq, snapshot=snapshot)]
    return sorted(found, key=lambda p: (p.freq.value, p.ordinal))


def explore(engine: KeyFigureEngine, options: Sequence[Choice], key: str | None, area: str, period: str | None,
            benchmarks: Sequence[str]) -> Exploration:
    """The exploration the form asks for; an unknown choice, area or period is a clear Danish error."""
    if not options:
        raise NoDataError("Datalageret har ingen serier endnu; indlæs data først")
    choice = next((c for c in options if c.key == key), None) if key else options[0]
    if choice is None:
        raise MaaltalError(f"Nøgletallet '{key}' findes ikke; vælg et fra listen")
    focus = engine.registry.get(area).id
    extra = tuple(engine.registry.get(b).id for b in benchmarks if b)
    available = periods(engine, choice.definition.indicator)
    if not available:
        raise NoDataError(f"Der er ingen perioder for {choice.definition.label}")
    chosen = Period.parse(period) if period else available[-1]
    if chosen not in available:
        raise MaaltalError(f"Perioden {period} findes ikke for {choice.definition.label}")
    bench = engine.registry.benchmarks(focus, extra)
    results, _ = report_keyfigures.compute(engine, [choice.definition], focus, chosen, bench)
    if not results:
        raise NoDataError(f"Der er ingen data for {choice.definition.label}")
    return Exploration(choice, focus, chosen, tuple(available), extra, results[0])


CSV_COLUMNS = ("omraade_kode", "omraade", "rolle", "gruppe", "periode", "vaerdi", "taeller", "naevner",
               "sammenligningsperiode", "sammenligningsvaerdi", "aendring", "aendring_pct", "placering", "ud_af")


def to_csv(exploration: Exploration) -> str:
    """The figures behind the page: the table's rows, then the chart's series (role ``historik``).

    Numbers are written as the generic observation file writes them (comma-separated, decimal point), so
    the file opens in any tool and can be read back by maaltal.
    """
    table = exploration.result.table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    compare = str(table.compare_period) if table.compare_period else ""
    for r in table.rows:
        writer.writerow([r.area, r.name, r.role, r.group or "", str(table.period), _num(r.value), _num(r.numerator),
                         _num(r.denominator), compare, _num(r.compare_value), _num(r.change), _num(r.change_pct),
                         _num(r.rank), _num(r.rank_of)])
    names = {r.area: r.name for r in table.rows}
    for area, points in exploration.result.history.items():
        for p, value in points:
            writer.writerow([area, names.get(area, area), "historik", "", str(p), _num(value)] + [""] * 8)
    return out.getvalue()


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    return repr(round(value, 10)) if isinstance(value, float) else str(value)
