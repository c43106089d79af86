"""The key-figure sections of the report: each key figure against the region, the nation and groups.

Per key figure a table (level, development over the year, rank in each group), a chart of the last two
years with the municipality highlighted, and the sentence an analyst would write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maaltal import formatting as fmt
from maaltal import kinds, narrative
from maaltal.document import Chart, Column, Format, Paragraph, Section, Series, Table
from maaltal.kinds import Kind
from maaltal.measures import KeyFigureEngine, KeyFigureTable
from maaltal.measures.definitions import KeyFigureDef
from maaltal.periods import Period
from maaltal.privacy import DEFAULT_THRESHOLD

HISTORY_PERIODS = 24
DISCRETION_NOTE = f"Tal bygget på færre end {DEFAULT_THRESHOLD} personer vises ikke (–) af hensyn til diskretion."
SOURCE = "Kilde: Jobindsats.dk / Danmarks Statistik"


@dataclass(frozen=True)
class KeyFigureResult:
    """A key figure computed for the report: the table of figures and the series behind its chart."""

    definition: KeyFigureDef
    table: KeyFigureTable
    history: dict[str, tuple[tuple[Period, float | None], ...]]  # area id → values over time


def _is_share(table: KeyFigureTable) -> bool:
    """Shown as a share (level in pct., change in points): a share of two series or a stored rate."""
    return table.kind is Kind.SHARE


def _level_format(table: KeyFigureTable) -> tuple[Format, int]:
    """How the level of the key figure is shown: its kind decides format and decimals."""
    if _is_share(table):
        return Format.SHARE, 1
    if table.kind is Kind.AMOUNT and fmt.decimals(table.unit):
        return Format.MIO_KR, fmt.decimals(table.unit)
    return Format.NUMBER, fmt.decimals(table.unit)


def compute(engine: KeyFigureEngine, definitions: Sequence[KeyFigureDef], area: str, period: Period,
            benchmarks: Sequence[str]) -> tuple[list[KeyFigureResult], list[KeyFigureDef]]:
    """Every key figure the store has data for, and the ones it has not."""
    results, missing = [], []
    for definition in definitions:
        ind = definition.indicator
        needed = [ind.series] + ([ind.denominator] if ind.denominator else [])
        if not all(engine.has_series(s) for s in needed):
            missing.append(definition)
            continue
        table = engine.table(ind, area, period, compare_period=period.year_ago(), benchmarks=benchmarks,
                         descending=definition.descending)
        shown = [r.area for r in table.rows if r.role != "member"] if _is_share(table) else [table.focus.area]
        periods = list(period.last_n(HISTORY_PERIODS))
        values = engine.values(ind, shown, periods)
        history = {a: tuple((p, engine.shown(ind, values[a, p])) for p in periods) for a in shown}
        results.append(KeyFigureResult(definition, table, history))
    return results, missing


def overview_section(results: Sequence[KeyFigureResult], period: Period) -> Section:
    """All key figures in two tables: shares by level, counts by development (a region's count is not
    comparable with a municipality's, its development is)."""
    if not results:
        return Section("noegletal-oversigt", "Nøgletal i overblik",
                       (Paragraph("Datalageret har ingen af standardnøgletallene.", "warning"),))
    areas = [r for r in results[0].table.rows if r.role != "member"]
    focus, others = areas[0], areas[1:]
    since = fmt.period(period.year_ago())
    blocks = []
    shares = [r for r in results if _is_share(r.table)]
    if shares:
        columns = (Column("label", "Andel (pct.)"), Column("value", focus.name, Format.SHARE, 1),
                   Column("change", "Ændring (pct.-point)", Format.POINTS, 1),
                   *(Column(a.area, a.name, Format.SHARE, 1) for a in others))
        rows = tuple((r.definition.label, r.table.focus.value, r.table.focus.change,
                      *(r.table.row(a.area).value for a in others)) for r in shares)
        blocks.append(Table("noegletal-andele", f"Andele – {fmt.period(period)}", columns, rows,
                            note=f"Ændring siden {since}.", source=SOURCE))
    counts = [r for r in results if not _is_share(r.table)]
    if counts:
        columns = (Column("label", "Fuldtidspersoner"), Column("value", f"{focus.name}, antal", Format.NUMBER),
                   Column("change_pct", focus.name, Format.CHANGE_PCT, 1),
                   *(Column(a.area, a.name, Format.CHANGE_PCT, 1) for a in others))
        rows = tuple((r.definition.label, r.table.focus.value, r.table.focus.change_pct,
                      *(r.table.row(a.area).change_pct for a in others)) for r in counts)
        blocks.append(Table("noegletal-antal", f"Fuldtidspersoner – {fmt.period(period)}", columns, rows,
                            note=f"Antal i {fmt.period(period)}; ændring i pct. siden {since} for hvert område.",
                            source=SOURCE))
    return Section("noegletal-oversigt", "Nøgletal i overblik", tuple(blocks))


def keyfigure_section(result: KeyFigureResult) -> Section:
    table = result.table
    definition = result.definition
    is_share = table.indicator.is_share
    level_format, decimals = _level_format(table)
    columns = [Column("area", "Område"), Column("value", f"Niveau ({table.unit})", level_format, decimals)]
    if is_share:
        columns.append(Column("numerator", f"Antal ({table.numerator_unit})", Format.NUMBER))
    since = fmt.period(table.compare_period)
    in_points = table.kind in (Kind.SHARE, Kind.POINTS)
    columns += [
        Column("change", "Ændring" + (" (pct.-point)" if in_points else ""),
               Format.POINTS if in_points else Format.CHANGE, decimals),
        Column("change_pct", "Ændring i pct.", Format.CHANGE_PCT, 1),
    ]
    groups = [r for r in table.rows if r.role == "member" and r.area == table.focus.area]
    for member in groups:
        columns.append(Column(f"rank:{member.group}", "Placering", Format.RANK))
    rows = []
    for row in (r for r in table.rows if r.role != "member"):
        cells: list = [row.name, row.value] + ([row.numerator] if is_share else []) + [row.change, row.change_pct]
        cells += [(m.rank, m.rank_of) if row.role == "focus" else None for m in groups]
        rows.append(tuple(cells))
    blocks: list = [Paragraph(narrative.keyfigure(table, definition.label))]
    if table.compare_period is not None:  # a break the development spans is noted beside the figure
        blocks += [Paragraph(f"Databrud i {fmt.period(b.period)}: {b.text}", "note")
                   for b in definition.breaks_between(table.compare_period, table.period)]
    blocks.append(Table(f"tabel-{definition.id}", f"{definition.label} – {fmt.period(table.period)}",
                        tuple(columns), tuple(rows), emphasis=(0,), note=f"Ændring siden {since}. {DISCRETION_NOTE}",
                        source=SOURCE))
    blocks.append(_chart(result))
    for member_row in groups:
        blocks.append(_ranking(table, member_row.group, definition))
    return Section(f"noegletal-{definition.id}", definition.label, tuple(blocks))


def _chart(result: KeyFigureResult) -> Chart:
    table = result.table
    names = {r.area: r.name for r in table.rows}
    series = tuple(
        Series(names[area], tuple((fmt.period_compact(p), v) for p, v in points),
               highlight=area == table.focus.area)
        for area, points in result.history.items()
    )
    periods = next(iter(result.history.values()))
    start, end = fmt.period(periods[0][0]), fmt.period(periods[-1][0])
    focus_name = table.focus.name
    if _is_share(table):
        description = (f"Linjefigur over {result.definition.label.lower()} i pct. fra {start} til {end} for "
                       f"{focus_name} (fremhævet) og " + ", ".join(n for a, n in names.items()
                                                                  if a in result.history and a != table.focus.area))
    else:
        label = result.definition.label.lower()
        measured = f"antal {table.unit}" if kinds.is_count(table.kind) else f"{label} ({table.unit})"
        description = f"Linjefigur over {measured} fra {start} til {end} for {focus_name}."
    level_format, decimals = _level_format(table)
    return Chart(f"figur-{result.definition.id}", f"{result.definition.label}, {start} – {end}", "line",
                 table.unit, series, description, level_format, decimals, source=SOURCE)


def _ranking(table: KeyFigureTable, group: str, definition: KeyFigureDef) -> Table:
    members = [r for r in table.rows if r.role == "member" and r.group == group]
    level_format, decimals = _level_format(table)
    columns = (Column("rank", "Nr.", Format.NUMBER), Column("area", "Kommune"),
               Column("value", f"Niveau ({table.unit})", level_format, decimals))
    rows = tuple((m.rank, m.name, m.value) for m in members)
    focus_index = tuple(i for i, m in enumerate(members) if m.area == table.focus.area)
    order = "højeste" if definition.descending else "laveste"
    return Table(f"placering-{definition.id}-{group}", f"Placering blandt {table.row(group).name}",
                 columns, rows, emphasis=focus_index, note=f"Nr. 1 har den {order} værdi.")
