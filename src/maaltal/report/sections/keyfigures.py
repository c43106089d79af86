"""The key-figure sections of the report: each key figure against the region, the nation and groups.

The printed report keeps what a committee reads: an overview with ranks (within the chosen groups and
among all 98 municipalities, always by a share, never by head-count), one chart per share with the
sentence an analyst would write, and the benefit groups as small multiples (one index chart each: the
municipality against the nation and the group). The detail tables (every area's figures, the group's
ranking, the ten best and worst of the 98) are appendix tables: they go to the XLSX.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maaltal import formatting as fmt
from maaltal import kinds, narrative
from maaltal.areas import ALL_ID
from maaltal.document import Chart, Column, Format, Paragraph, Section, Series, Table
from maaltal.kinds import Kind
from maaltal.measures import KeyFigureEngine, KeyFigureTable
from maaltal.measures.definitions import KeyFigureDef
from maaltal.measures.keyfigures import TOP, FigureRow
from maaltal.periods import Period
from maaltal.privacy import DEFAULT_THRESHOLD
from maaltal.report.sections import provenance

HISTORY_PERIODS = 24
DISCRETION_NOTE = f"Tal bygget på færre end {DEFAULT_THRESHOLD} personer vises ikke (–) af hensyn til diskretion."
PER_POPULATION = "andel af de 16-66-årige"


@dataclass(frozen=True)
class KeyFigureResult:
    """A key figure computed for the report: the table of figures, the series behind its chart, and the
    ranking (by the share itself, or by the count per population) within each group and among all 98."""

    definition: KeyFigureDef
    table: KeyFigureTable
    history: dict[str, tuple[tuple[Period, float | None], ...]]  # area id → values over time
    source: str = "Kilde: datalageret."
    ranking: KeyFigureTable | None = None
    rank_basis: str | None = None  # what the ranks are by, when not the figure itself ("andel af …")
    unranked: str | None = None  # why there is no ranking, in Danish, when there is none

    def rank(self, group: str) -> FigureRow | None:
        """The municipality's row in the ranking of ``group`` (``alle``: all 98), ``None`` when not ranked."""
        if self.ranking is None:
            return None
        focus = self.ranking.focus.area
        return next((r for r in self.ranking.rows if r.role == "member" and r.group == group and r.area == focus
                     and r.rank is not None), None)

    def members(self, group: str) -> list[FigureRow]:
        if self.ranking is None:
            return []
        return [r for r in self.ranking.rows if r.role == "member" and r.group == group]

    @property
    def is_share(self) -> bool:
        return _is_share(self.table)


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
    shown_benchmarks = [b for b in benchmarks if engine.registry.get(b).id != ALL_ID]
    groups = [b for b in shown_benchmarks if engine.registry.get(b).is_aggregate
              and engine.registry.get(b).kind.value == "group"]
    for definition in definitions:
        ind = definition.indicator
        needed = [ind.series] + ([ind.denominator] if ind.denominator else [])
        if not all(engine.has_series(s) for s in needed):
            missing.append(definition)
            continue
        table = engine.table(ind, area, period, compare_period=period.year_ago(), benchmarks=shown_benchmarks,
                             descending=definition.descending)
        shown = [r.area for r in table.rows if r.role != "member"]
        periods = list(period.last_n(HISTORY_PERIODS))
        values = engine.values(ind, shown, periods)
        history = {a: tuple((p, engine.shown(ind, values[a, p])) for p in periods) for a in shown}
        rank_by = engine.ranking_indicator(ind)
        ranking = None
        if rank_by is not None:
            ranking = engine.table(rank_by, area, period, benchmarks=[*groups, ALL_ID],
                                   descending=definition.descending)
        basis = PER_POPULATION if rank_by is not None and rank_by != ind else None
        source = provenance.line(engine, needed + ([rank_by.denominator] if basis and rank_by.denominator else []))
        results.append(KeyFigureResult(definition, table, history, source, ranking, basis,
                                       engine.unranked_reason(ind) if ranking is None else None))
    return results, missing


def _groups(result: KeyFigureResult) -> list[FigureRow]:
    """The chosen groups (benchmark rows that are groups), in the order asked."""
    return [r for r in result.table.rows if r.role == "benchmark" and r.kind == "group"]


def overview_section(results: Sequence[KeyFigureResult], period: Period) -> Section:
    """All key figures in two tables: shares by level, benefit groups by development; each with its rank
    in the chosen groups and among all 98, by share."""
    if not results:
        return Section("noegletal-oversigt", "Nøgletal i overblik",
                       (Paragraph("Datalageret har ingen af standardnøgletallene.", "warning"),))
    first = results[0].table
    areas = [r for r in first.rows if r.role != "member"]
    focus, others = areas[0], areas[1:]
    groups = [g for g in _groups(results[0])]
    since = fmt.period(period.year_ago())
    sources = "; ".join(dict.fromkeys(r.source.removeprefix("Kilde: ").rstrip(".") for r in results))
    blocks: list = []
    shares = [r for r in results if r.is_share]
    rank_columns = (*(Column(f"rank:{g.area}", f"Nr. i {g.name}", Format.RANK) for g in groups),
                    Column("rank:alle", "Nr. blandt alle", Format.RANK))
    if shares:
        columns = (Column("label", "Andel (pct.)"), Column("value", focus.name, Format.SHARE, 1),
                   Column("change", "Ændring (procentpoint)", Format.POINTS, 1),
                   *(Column(a.area, a.name, Format.SHARE, 1) for a in others), *rank_columns)
        rows = tuple((r.definition.label, r.table.focus.value, r.table.focus.change,
                      *(r.table.row(a.area).value for a in others), *_ranks(r, groups)) for r in shares)
        blocks.append(Table("noegletal-andele", f"Andele – {fmt.period(period)}", columns, rows,
                            note=f"Ændring siden {since}. Nr. 1 har den laveste andel.",
                            source=f"Kilde: {sources}."))
    counts = [r for r in results if not r.is_share]
    if counts:
        columns = (Column("label", "Ydelse (fuldtidspersoner)"), Column("value", f"{focus.name}, antal", Format.NUMBER),
                   Column("change_pct", focus.name, Format.CHANGE_PCT, 1),
                   *(Column(a.area, a.name, Format.CHANGE_PCT, 1) for a in others), *rank_columns)
        rows = tuple((r.definition.label, r.table.focus.value, r.table.focus.change_pct,
                      *(r.table.row(a.area).change_pct for a in others), *_ranks(r, groups)) for r in counts)
        basis = next((r.rank_basis for r in counts if r.rank_basis), None)
        rank_note = (f" Placeringen er efter {basis} (nr. 1 = laveste andel), ikke efter antal." if basis
                     else "")
        unranked = next((r.unranked for r in counts if r.unranked), None)
        if unranked and not basis:
            rank_note = f" Ikke rangeret (–): {unranked}."
        blocks.append(Table("noegletal-antal", f"Ydelsesgrupper – {fmt.period(period)}", columns, rows,
                            note=f"Antal i {fmt.period(period)}; ændring i pct. siden {since} for hvert område."
                                 + rank_note, source=f"Kilde: {sources}."))
    return Section("noegletal-oversigt", "Nøgletal i overblik", tuple(blocks))


def _ranks(result: KeyFigureResult, groups: Sequence[FigureRow]) -> tuple:
    cells = []
    for group in (*(g.area for g in groups), ALL_ID):
        row = result.rank(group)
        cells.append((row.rank, row.rank_of) if row is not None else None)
    return tuple(cells)


def keyfigure_section(result: KeyFigureResult) -> Section:
    """A share's section: the sentence, its chart (with a title that states the finding) and, for the XLSX,
    the table of every area and the rankings."""
    table = result.table
    definition = result.definition
    blocks: list = [Paragraph(narrative.keyfigure(table, definition.label, ranks=_rank_phrases(result)))]
    blocks += [Paragraph(text, "note") for text in break_notes(result)]
    blocks.append(_chart(result))
    blocks += detail_tables(result)
    return Section(f"noegletal-{definition.id}", f"Nøgletal: {definition.label}", tuple(blocks))


def break_notes(result: KeyFigureResult) -> list[str]:
    """ "Databrud i juli 2025: …" for every break in the series that the development shown spans."""
    table = result.table
    start = table.compare_period or table.period.last_n(HISTORY_PERIODS).start
    return [f"Databrud i {fmt.period(b.period)}: {b.text}"
            for b in result.definition.breaks_between(start, table.period)]


def _rank_phrases(result: KeyFigureResult) -> list[str]:
    """ "nr. 3 af 8 i Vestegnens kommuner", "nr. 41 af 98 blandt alle kommuner" (by share)."""
    phrases = []
    for group in (*(g.area for g in _groups(result)), ALL_ID):
        row = result.rank(group)
        if row is None:
            continue
        where = "blandt alle kommuner" if group == ALL_ID else f"i {result.table.row(group).name}"
        phrases.append(f"nr. {row.rank} af {row.rank_of} {where}")
    if phrases and result.rank_basis:
        phrases[-1] += f" (efter {result.rank_basis})"
    return phrases


def detail_tables(result: KeyFigureResult) -> list[Table]:
    """The XLSX's detail: every area's level and development, each group's ranking, the ten best and the
    ten worst of the 98."""
    table = result.table
    definition = result.definition
    level_format, decimals = _level_format(table)
    is_share = table.indicator.is_share
    columns = [Column("area", "Område"), Column("value", f"Niveau ({table.unit})", level_format, decimals)]
    if is_share:
        columns.append(Column("numerator", f"Antal ({table.numerator_unit})", Format.NUMBER))
    in_points = table.kind in (Kind.SHARE, Kind.POINTS)
    columns += [Column("change", "Ændring" + (" (procentpoint)" if in_points else ""),
                       Format.POINTS if in_points else Format.CHANGE, decimals),
                Column("change_pct", "Ændring i pct.", Format.CHANGE_PCT, 1)]
    rows = []
    for row in (r for r in table.rows if r.role != "member"):
        rows.append(tuple([row.name, row.value] + ([row.numerator] if is_share else []) + [row.change, row.change_pct]))
    since = fmt.period(table.compare_period)
    tables = [Table(f"tabel-{definition.id}", f"{definition.label} – {fmt.period(table.period)}", tuple(columns),
                    tuple(rows), emphasis=(0,), note=f"Ændring siden {since}. {DISCRETION_NOTE}",
                    source=result.source, appendix=True)]
    for group in _groups(result):
        tables.append(_ranking(result, group.area, f"placering blandt {group.name}", result.members(group.area)))
    everyone = result.members(ALL_ID)
    ranked = [m for m in everyone if m.rank is not None]
    if ranked:
        shown = ranked[:TOP] + ranked[-TOP:] if len(ranked) > 2 * TOP else ranked
        focus = result.rank(ALL_ID)
        if focus is not None and focus not in shown:
            shown = ranked[:TOP] + [focus] + ranked[-TOP:]
        tables.append(_ranking(result, ALL_ID, f"de {TOP} bedste og de {TOP} dårligste af alle kommuner", shown))
    return tables


def _ranking(result: KeyFigureResult, group: str, title: str, members: Sequence[FigureRow]) -> Table:
    ranking = result.ranking
    if ranking is None:
        return _unranked(result, group, title)
    level_format, decimals = _level_format(ranking)
    unit = result.rank_basis or ranking.unit
    columns = (Column("rank", "Nr.", Format.NUMBER), Column("area", "Kommune"),
               Column("value", f"Niveau ({unit}, pct.)" if result.rank_basis else f"Niveau ({unit})",
                      level_format, decimals))
    rows = tuple((m.rank, m.name, m.value) for m in members)
    focus_index = tuple(i for i, m in enumerate(members) if m.area == ranking.focus.area)
    order = "højeste" if result.definition.descending else "laveste"
    return Table(f"placering-{result.definition.id}-{group.replace(':', '-')}", f"{result.definition.label}: {title}",
                 columns, rows, emphasis=focus_index, note=f"Nr. 1 har den {order} værdi.", source=result.source,
                 appendix=True)


def _unranked(result: KeyFigureResult, group: str, title: str) -> Table:
    """The ranking that could not be made: the municipality without a rank or level ("–"), and why."""
    columns = (Column("rank", "Nr.", Format.NUMBER), Column("area", "Kommune"),
               Column("value", f"Niveau ({result.table.unit})", Format.NUMBER, fmt.decimals(result.table.unit)))
    return Table(f"placering-{result.definition.id}-{group.replace(':', '-')}", f"{result.definition.label}: {title}",
                 columns, ((None, result.table.focus.name, None),), emphasis=(0,),
                 note=f"Ikke rangeret: {result.unranked}.", source=result.source, appendix=True)


def details_section(results: Sequence[KeyFigureResult]) -> Section:
    """The benefit groups' detail tables, for the XLSX only (the printed report shows them as small
    multiples and in the overview)."""
    tables = [t for r in results if not r.is_share for t in detail_tables(r)]
    return Section("noegletal-detaljer", "Ydelsesgrupper i detaljer", tuple(tables))


def multiples_section(results: Sequence[KeyFigureResult], period: Period) -> Section | None:
    """One small index chart per benefit group: the municipality against the nation and the groups, each
    at 100 in the first month, so that a large and a small area's developments can be read side by side."""
    charts = [c for c in (_index_chart(r) for r in results if not r.is_share) if c is not None]
    if not charts:
        return None
    start = fmt.period(period.last_n(HISTORY_PERIODS).start)
    intro = Paragraph(f"Udviklingen i fuldtidspersoner pr. ydelsesgruppe som indeks ({start} = 100). "
                      "Den sorte linje er kommunen, de grå er hele landet og sammenligningsgrupperne.", "note")
    return Section("ydelsesgrupper", "Ydelsesgrupperne i små figurer", (intro, *charts))


def _index_chart(result: KeyFigureResult) -> Chart | None:
    table = result.table
    focus = table.focus
    keep = [focus.area, *(r.area for r in table.rows
                          if r.role == "benchmark" and (r.area == "000" or r.kind == "group"))]
    names = {r.area: r.name for r in table.rows}
    series = []
    for area in keep:
        points = result.history.get(area, ())
        base = next((v for _, v in points if v), None)
        if base is None:
            continue
        series.append(Series(names[area], tuple((fmt.period_compact(p), None if v is None else v / base * 100)
                                                for p, v in points), highlight=area == focus.area))
    if not series:
        return None
    label = result.definition.label
    title = f"{label}: {fmt.in_text(focus.name)} {_moved(focus.change_pct)}"
    nation = next((r for r in table.rows if r.area == "000"), None)
    if nation is not None and nation.change_pct is not None:
        title += f", hele landet {_moved(nation.change_pct)}"
    description = (f"Indeksfigur over fuldtidspersoner på {label.lower()} for "
                   + ", ".join(fmt.in_text(s.name) for s in series) + " over de seneste to år.")
    return Chart(f"indeks-{result.definition.id}", title, "line", "indeks", tuple(series), description,
                 Format.NUMBER, 0, source=result.source, layout="small",
                 note=" ".join(break_notes(result)) or None)


def _moved(change_pct: float | None) -> str:
    """ "op 6,8 pct." / "ned 0,4 pct." / "uændret": a development in a chart title, over the last year."""
    if change_pct is None:
        return "uden tal"
    if fmt.round_half_up(change_pct, 1) == 0:
        return "stort set uændret"
    return f"{'op' if change_pct > 0 else 'ned'} {fmt.number(abs(change_pct), 1)} pct."


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
    label = result.definition.label
    if _is_share(table):
        description = (f"Linjefigur over {label.lower()} i pct. fra {start} til {end} for "
                       f"{focus_name} (fremhævet) og " + ", ".join(fmt.in_text(n) for a, n in names.items()
                                                                  if a in result.history and a != table.focus.area))
    else:
        measured = f"antal {table.unit}" if kinds.is_count(table.kind) else f"{label.lower()} ({table.unit})"
        description = f"Linjefigur over {measured} fra {start} til {end} for {focus_name}."
    level_format, decimals = _level_format(table)
    return Chart(f"figur-{result.definition.id}", _finding(result), "line", table.unit, series, description,
                 level_format, decimals, source=result.source, layout="half")


def _finding(result: KeyFigureResult) -> str:
    """A chart title that states its finding: "Bruttoledighed: 2,8 pct. i Hvidovre, 0,6 procentpoint under
    hele landet"."""
    table = result.table
    focus = table.focus
    label = result.definition.label
    if focus.value is None:
        return f"{label}: ingen tal for {focus.name}"
    value = fmt.value_with_unit(focus.value, table.unit, of=table.ranked_of)
    title = f"{label}: {value} i {focus.name}"
    nation = next((r for r in table.rows if r.area == "000" and r.value is not None), None)
    if nation is not None and table.kind in (Kind.SHARE, Kind.POINTS):
        gap = fmt.gap(focus.value, nation.value, table.unit)
        title += f", {gap} hele landet" if gap else ", på niveau med hele landet"
    return title
