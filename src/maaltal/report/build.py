"""Build the committee report model from one snapshot: front matter, goals, key figures, trends, data.

Everything here is computed from the snapshot (and the catalogue, when given) and nothing from the
clock, so building again from the same snapshot and catalogue gives the same report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from maaltal import formatting as fmt
from maaltal.document import Paragraph, Report, Section, SmileyOverview, Table
from maaltal.errors import MaaltalError, NoDataError
from maaltal.goals import comments as goal_comments
from maaltal.goals import evaluate, load_catalogue
from maaltal.goals.evaluate import GoalFollowUp, Reason
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures.definitions import KeyFigureDef
from maaltal.measures.keyfigures import Missing
from maaltal.periods import Freq, Period
from maaltal.report.sections import expected, keyfigures, lags, provenance, summary, trends
from maaltal.report.sections.goals import OVERVIEW_ID, goal_sections
from maaltal.sources.status import availability

SYNTHETIC_NOTE = ("Rapporten er bygget på syntetiske demodata. Tallene er opdigtede og må ikke bruges som "
                  "officielle tal.")


@dataclass(frozen=True)
class ReportRequest:
    """What to report on: the municipality, the period and the choices of the analyst."""

    area: str
    period: Period
    committee: str | None = None
    benchmarks: tuple[str, ...] = ()  # groups etc. beside the region and the nation
    previous: Period | None = None    # the period of the previous report, for what changed since
    keyfigures: tuple[KeyFigureDef, ...] = field(default_factory=lambda: tuple(keyfigure_definitions.load()))
    extra_sections: tuple[Section, ...] = ()  # goals, budget, benchmarks: built by their own modules
    catalogue_hash: str | None = None
    title: str | None = None


def build(engine: KeyFigureEngine, request: ReportRequest) -> Report:
    """The report: the first page (findings, goal table, budget's bottom line), the goals, the attached
    analyses, the trends, the key figures (overview, small multiples of the benefit groups, one section
    per share), expected vs actual where imported, and the data's notes and sources. Detail tables are
    appendix tables: they go to the XLSX only, so the printed report stays within 8-12 pages."""
    area = engine.registry.get(request.area)
    period = request.period
    benchmarks = engine.registry.benchmarks(area.id, request.benchmarks)
    results, missing = keyfigures.compute(engine, request.keyfigures, area.id, period, benchmarks)
    trend_list = trends.compute(engine, results, area.id, request.previous)
    lag_list = lags.compute(engine, [(d.label, d.indicator) for d in request.keyfigures], area.id, period)
    extra = list(request.extra_sections)
    goal_overview = next((s for s in extra if s.id == OVERVIEW_ID), None)
    extra = [s for s in extra if s is not goal_overview]
    benchmarking = expected.compute(engine, area.id, period)
    bottom_lines = [s.summary for s in extra if s.summary]
    goal_table = next((b for b in goal_overview.blocks if isinstance(b, SmileyOverview)), None) \
        if goal_overview else None
    extra_findings = [goal_overview.summary] if goal_overview and goal_overview.summary else []
    if benchmarking is not None:
        extra_findings.append(benchmarking.sentence(area.name))
    first_page = summary.section(summary.findings(results, period, extra_findings), goal_table, bottom_lines)
    # the goal table's plain rows travel with it, for the agenda item and the workbook's goal sheet
    status = tuple(b for b in goal_overview.blocks if isinstance(b, Table)) if goal_overview else ()
    sections: list[Section] = [replace(first_page, blocks=(*first_page.blocks, *status))]
    sections += extra
    sections.append(trends.section(trend_list, period, request.previous))
    sections.append(keyfigures.overview_section(results, period))
    multiples = keyfigures.multiples_section(results, period)
    if multiples is not None:
        sections.append(multiples)
    sections += [keyfigures.keyfigure_section(r) for r in results if r.is_share]
    if benchmarking is not None:
        sections.append(expected.section(benchmarking, area.name))
    if any(not r.is_share for r in results):
        sections.append(keyfigures.details_section(results))
    sources = engine.memo("availability", lambda: availability(engine.store, snapshot=engine.snapshot.id)).lagging
    sections.append(lags.section(lag_list, period, sources))
    sections.append(_sources_section(engine, missing))
    title = request.title or f"Nøgletal og opfølgning – {area.name} Kommune – {fmt.period(period)}"
    return Report(
        title=title,
        municipality=area.name,
        committee=request.committee,
        period_label=fmt.period(period),
        snapshot_id=engine.snapshot.id,
        data_vintage=_vintage(engine, results, period),
        catalogue_hash=request.catalogue_hash,
        synthetic=engine.synthetic,
        sections=tuple(sections),
        sources=(_source_note(engine),),
        metadata={"area": area.id, "period": str(period),
                  "previous": str(request.previous) if request.previous else ""},
        footer="maaltal · syntetiske demodata – ikke officielle tal" if engine.synthetic else "maaltal",
    )


class EmptyReportError(NoDataError):
    """A report or overview was asked for an area and period the store has no figures for."""


_FREQ_WORDS = {Freq.MONTH: "måned", Freq.QUARTER: "kvartal", Freq.YEAR: "år", Freq.QMAT: "løbende år"}


def check_previous(period: Period, previous: Period | None) -> None:
    """Refuse a previous report's period that ends after this report's: the changes would run backwards."""
    if previous is not None and previous.end > period.end:
        raise MaaltalError(f"Forrige rapports periode {previous} ligger efter rapportens periode {period}; "
                           "--previous skal være en tidligere periode")


def require_data(engine: KeyFigureEngine, area: str, period: Period, indicators: Sequence[Indicator],
                 followup: GoalFollowUp | None = None) -> None:
    """Raise :class:`EmptyReportError` naming what is missing when none of ``indicators`` (and no goal of
    ``followup``) has a figure for ``area`` in ``period``, so that no report of dashes goes out silently.

    A hidden (suppressed) figure counts as a figure: the data are there, only not shown.
    """
    focus = engine.registry.get(area)
    for ind in indicators:
        needed = [ind.series] + ([ind.denominator] if ind.denominator else [])
        if all(engine.has_series(s) for s in needed) and \
                engine.value(ind, focus.id, period).missing is not Missing.NO_DATA:
            return
    if followup is not None and any(g.reason is not Reason.NO_DATA for g in followup.goals if not g.is_bearing):
        return
    there = _broken_down(engine, indicators) or _what_there_is(engine, focus.name, period)
    raise EmptyReportError(f"Der er ingen tal for {focus.name} i {period}: {there}")


def _broken_down(engine: KeyFigureEngine, indicators: Sequence[Indicator]) -> str | None:
    """What to ask for instead when a series asked for as a whole is only in the store broken down (the
    spell figures: ``ydelse=i alt`` is their total), or ``None``."""
    for ind in indicators:
        if ind.dims or not engine.has_series(ind.series):
            continue
        sets = engine.store.dimension_sets(ind.series, snapshot=engine.snapshot.id)
        if sets and {} not in sets:
            simplest = min(sets, key=lambda dims: (len(dims), sum(v != "i alt" for v in dims.values()), str(dims)))
            example = ", ".join(f"{name}={value}" for name, value in simplest.items())
            return f"{ind.series} findes kun opdelt; vælg en opdeling, fx {example}"
    return None


def _what_there_is(engine: KeyFigureEngine, name: str, period: Period) -> str:
    """What the store has instead: its newest period of the kind asked, or that it has that period."""
    newest: dict[str, Period] = {}
    for coverage in engine.memo("coverage", lambda: engine.store.coverage(snapshot=engine.snapshot.id)):
        if coverage.freq not in newest or newest[coverage.freq] < coverage.last:
            newest[coverage.freq] = coverage.last
    if not newest:
        return "datalageret er tomt"
    same = newest.get(period.freq.value)
    if same is None:
        finest = next(newest[f.value] for f in Freq if f.value in newest)
        return (f"datalageret har ingen tal pr. {_FREQ_WORDS[period.freq]}; nyeste {_FREQ_WORDS[finest.freq]} i "
                f"datalageret er {finest}")
    if period > same:
        return f"nyeste {_FREQ_WORDS[period.freq]} i datalageret er {same}"
    return f"datalageret har tal for {period}, men ikke for {name}"


def committee_report(engine: KeyFigureEngine, area: str, period: Period, *, catalogue: Path | None = None,
                     previous: Period | None = None, committee: str | None = None,
                     benchmarks: Sequence[str] = (), keyfigures: Sequence[KeyFigureDef] | None = None,
                     extra_sections: Sequence[Section] = (), allow_empty: bool = True) -> Report:
    """The whole committee report: the goal follow-up of ``catalogue`` (with the analysts' comments for
    the period) first, then ``extra_sections`` (budget, benchmarks), then the key figures.

    Unless ``allow_empty``, a report without any figure for the area and period is refused
    (:func:`require_data`); a ``previous`` period after ``period`` always is.
    """
    check_previous(period, previous)
    definitions = tuple(keyfigures) if keyfigures is not None else tuple(keyfigure_definitions.load())
    sections: list[Section] = []
    catalogue_hash = None
    followup = None
    if catalogue is not None:
        goals = load_catalogue(catalogue, engine.registry)
        if engine.registry.get(goals.area).id != engine.registry.get(area).id:
            raise MaaltalError(f"Målkataloget {catalogue} gælder {engine.registry.get(goals.area).name}, "
                               f"ikke {engine.registry.get(area).name}")
        followup = evaluate(goals, engine, period, goal_comments.for_period(engine.store, goals.area, period))
        sections += goal_sections(followup, {g.id: provenance.line(engine, _series(g)) for g in goals.goals
                                             if g.indicator is not None})
        catalogue_hash = goals.sha256
    if not allow_empty:
        require_data(engine, area, period, [d.indicator for d in definitions], followup)
    sections += extra_sections
    title_kind = "Målopfølgning og nøgletal" if catalogue is not None else "Nøgletal og opfølgning"
    request = ReportRequest(
        area=area, period=period, committee=committee, benchmarks=tuple(benchmarks), previous=previous,
        keyfigures=definitions, extra_sections=tuple(sections), catalogue_hash=catalogue_hash,
        title=f"{title_kind} – {engine.registry.get(area).name} Kommune – {fmt.period(period)}",
    )
    return build(engine, request)


def _vintage(engine: KeyFigureEngine, results: Sequence[keyfigures.KeyFigureResult], period: Period) -> str:
    created = fmt.long_date(engine.snapshot.created_at.date())
    return f"Data fra øjebliksbillede {engine.snapshot.id} af {created}; rapportperiode {fmt.period(period)}"


def _series(goal) -> list[str]:
    ind = goal.indicator
    return [ind.series] + ([ind.denominator] if ind.denominator else [])


def _source_note(engine: KeyFigureEngine) -> str:
    """Every source the snapshot's series came from, with its tables and dates."""
    found: dict = {}
    for per_source in provenance.series_sources(engine).values():
        for source, imported in per_source.items():
            found[source] = max(found.get(source, imported), imported)
    return "Kilde: " + (provenance.describe(found) if found else "datalageret") + "."


def _sources_section(engine: KeyFigureEngine, missing: Sequence[KeyFigureDef]) -> Section:
    blocks = [Paragraph(f"{_source_note(engine)} Tallene er beregnet af maaltal fra datalagerets øjebliksbillede "
                        f"{engine.snapshot.id}; grupper og regioner er summen af deres kommuners tællere over summen "
                        "af deres nævnere.")]
    if missing:
        blocks.append(Paragraph("Nøgletal uden data i datalageret: " + ", ".join(d.label for d in missing) + ".",
                                "note"))
    if engine.synthetic:
        blocks.append(Paragraph(SYNTHETIC_NOTE, "warning"))
    return Section("kilder", "Kilder og metode", tuple(blocks))
