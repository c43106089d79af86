"""The analyst's own files: the one registry of analysis kinds (budget follow-up, bridges, forecasts and the
operational benchmarks).

Each kind is declared once, here: the name ``--attach KIND=FILE`` uses, the command that shows it alone
(``maaltal budget …``, ``maaltal benchmark …``), what its file holds in Danish, how the file is read and
which report section it becomes. The commands, the report's attachments and the dashboard all dispatch
through this registry, so a command and the report never disagree about a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from maaltal.areas import AreaRegistry
from maaltal.budget import forecast as budget_forecast
from maaltal.document import Section
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period


@dataclass(frozen=True)
class AnalysisRequest:
    """A file of some kind and what its reader may need: the command's options, or the report's area and
    period. ``engine`` is there only for a kind that reads the store (:attr:`AnalysisKind.needs_engine`)."""

    file: Path
    registry: AreaRegistry
    engine: KeyFigureEngine | None = None
    area: str | None = None
    year: int | None = None
    through: Period | None = None
    method: budget_forecast.Method = budget_forecast.Method.AVERAGE3
    ranges: Path | None = None


@dataclass(frozen=True)
class AnalysisKind:
    """One kind of analyst's file.

    ``report_year``: attached to a report, the file is read for the report's year (a budget); otherwise its
    own latest year is shown (the Ankestyrelsen statistics are published a year behind)."""

    name: str
    group: str
    command: str
    label: str
    load: Callable[[AnalysisRequest], Any]
    section: Callable[[Any], Section]
    needs_engine: bool = False
    report_year: bool = False

    def build_section(self, request: AnalysisRequest) -> Section:
        return self.section(self.load(request))


def _forecast(request: AnalysisRequest) -> budget_forecast.Forecast:
    prices = budget_forecast.read_prices(request.file)
    if request.engine is None or request.area is None or request.year is None:
        raise MaaltalError("en prognose kræver datalageret, en kommune og et budgetår")
    return budget_forecast.forecast(request.engine, prices, request.area, request.year, method=request.method,
                                    source=str(request.file), through=request.through)


def _reader(module: str, read: Callable[[ModuleType, AnalysisRequest], Any]) -> Callable[[AnalysisRequest], Any]:
    """A kind's reader that imports its module when a file is read: listing the kinds (the command line's
    help, ``--attach``'s choices) loads none of the readers."""
    return lambda request: read(import_module(module), request)


def _section(module: str) -> Callable[[Any], Section]:
    """The ``report_section`` of ``module``, imported when a section is built."""
    return lambda result: import_module(module).report_section(result)


_BUDGET = _section("maaltal.report.sections.budget")
_BENCHMARK = _section("maaltal.report.sections.benchmarks")

KINDS: dict[str, AnalysisKind] = {kind.name: kind for kind in (
    AnalysisKind("budget", "budget", "followup", "budgetopfølgning pr. ramme (CSV)",
                 _reader("maaltal.budget.followup", lambda m, r: m.load(r.file, r.year)), _BUDGET, report_year=True),
    AnalysisKind("bridge", "budget", "bridge", "budgetbro (YAML)",
                 _reader("maaltal.budget.bridge", lambda m, r: m.load(r.file)), _BUDGET),
    AnalysisKind("forecast", "budget", "forecast", "enhedspriser til prognose for overførsler (CSV)",
                 _forecast, _BUDGET, needs_engine=True, report_year=True),
    AnalysisKind("caseload", "benchmark", "caseload", "sagsantal pr. årsværk (CSV)",
                 _reader("maaltal.benchmarks.caseload",
                         lambda m, r: m.load(r.file, r.registry, m.load_ranges(r.ranges), r.area)), _BENCHMARK),
    AnalysisKind("unitcost", "benchmark", "unitcost", "enhedsomkostninger (CSV)",
                 _reader("maaltal.benchmarks.unit_cost", lambda m, r: m.load(r.file, r.registry, r.area)), _BENCHMARK),
    AnalysisKind("reversals", "benchmark", "reversals", "omgørelser i Ankestyrelsen (CSV)",
                 _reader("maaltal.benchmarks.reversals", lambda m, r: m.load(r.file, r.year)), _BENCHMARK),
    AnalysisKind("pool", "benchmark", "pool", "puljeprojekt (YAML)",
                 _reader("maaltal.benchmarks.pool_projects", lambda m, r: m.load(r.file)), _BENCHMARK),
    AnalysisKind("survey", "benchmark", "survey", "brugerundersøgelse (YAML)",
                 _reader("maaltal.benchmarks.surveys", lambda m, r: m.load(r.file)), _BENCHMARK),
)}
