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
from pathlib import Path
from typing import Any

from maaltal.areas import AreaRegistry
from maaltal.benchmarks import caseload, pool_projects, reversals, surveys, unit_cost
from maaltal.budget import bridge, followup
from maaltal.budget import forecast as budget_forecast
from maaltal.document import Section
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.benchmarks import report_section as benchmark_section
from maaltal.report.sections.budget import report_section as budget_section


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


KINDS: dict[str, AnalysisKind] = {kind.name: kind for kind in (
    AnalysisKind("budget", "budget", "followup", "budgetopfølgning pr. ramme (CSV)",
                 lambda r: followup.load(r.file, r.year), budget_section, report_year=True),
    AnalysisKind("bridge", "budget", "bridge", "budgetbro (YAML)", lambda r: bridge.load(r.file), budget_section),
    AnalysisKind("forecast", "budget", "forecast", "enhedspriser til prognose for overførsler (CSV)",
                 _forecast, budget_section, needs_engine=True, report_year=True),
    AnalysisKind("caseload", "benchmark", "caseload", "sagsantal pr. årsværk (CSV)",
                 lambda r: caseload.load(r.file, r.registry, caseload.load_ranges(r.ranges), r.area),
                 benchmark_section),
    AnalysisKind("unitcost", "benchmark", "unitcost", "enhedsomkostninger (CSV)",
                 lambda r: unit_cost.load(r.file, r.registry, r.area), benchmark_section),
    AnalysisKind("reversals", "benchmark", "reversals", "omgørelser i Ankestyrelsen (CSV)",
                 lambda r: reversals.load(r.file, r.year), benchmark_section),
    AnalysisKind("pool", "benchmark", "pool", "puljeprojekt (YAML)", lambda r: pool_projects.load(r.file),
                 benchmark_section),
    AnalysisKind("survey", "benchmark", "survey", "brugerundersøgelse (YAML)", lambda r: surveys.load(r.file),
                 benchmark_section),
)}
