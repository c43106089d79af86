"""Sections from the analyst's own files: budget, bridges, forecasts and operational benchmarks.

``maaltal report --attach KIND=FILE`` names each file with its kind; every kind reads its file with the
same loader and builds the same section as its own command (``maaltal budget …``, ``maaltal benchmark
…``), so the report and the command never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from maaltal.benchmarks import caseload, pool_projects, reversals, surveys, unit_cost
from maaltal.budget import bridge, followup
from maaltal.budget import forecast as budget_forecast
from maaltal.document import Section
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.benchmarks import report_section as benchmark_section
from maaltal.report.sections.budget import report_section as budget_section

Loader = Callable[[Path, KeyFigureEngine, str, Period], Section]

KINDS: dict[str, tuple[str, Loader]] = {
    "budget": ("budgetopfølgning pr. ramme (CSV)",
               lambda p, engine, a, per: budget_section(followup.load(p, per.year))),
    "bridge": ("budgetbro (YAML)", lambda p, engine, a, per: budget_section(bridge.load(p))),
    "forecast": ("enhedspriser til prognose for overførsler (CSV)",
                 lambda p, engine, a, per: budget_section(budget_forecast.forecast(
                     engine, budget_forecast.read_prices(p), a, per.year, through=per.last_month(), source=str(p)))),
    "caseload": ("sagsantal pr. årsværk (CSV)",
                 lambda p, eng, a, per: benchmark_section(caseload.load(p, eng.registry, caseload.load_ranges(), a))),
    "unitcost": ("enhedsomkostninger (CSV)",
                 lambda p, engine, a, per: benchmark_section(unit_cost.load(p, engine.registry, a))),
    "reversals": ("omgørelser i Ankestyrelsen (CSV)",
                  lambda p, engine, a, per: benchmark_section(reversals.load(p))),
    "pool": ("puljeprojekt (YAML)", lambda p, engine, a, per: benchmark_section(pool_projects.load(p))),
    "survey": ("brugerundersøgelse (YAML)", lambda p, engine, a, per: benchmark_section(surveys.load(p))),
}


def parse(specs: Sequence[str]) -> list[tuple[str, Path]]:
    """``["budget=fil.csv", …]`` → kinds and paths; an unknown kind lists the known ones."""
    result = []
    for spec in specs:
        kind, sep, path = spec.partition("=")
        if not sep or kind.strip() not in KINDS or not path.strip():
            known = ", ".join(f"{k} ({d})" for k, (d, _) in KINDS.items())
            raise MaaltalError(f"--attach '{spec}' skal være TYPE=FIL med en af typerne: {known}")
        result.append((kind.strip(), Path(path.strip())))
    return result


def sections(attachments: Sequence[tuple[str, Path]], engine: KeyFigureEngine, area: str, period: Period
             ) -> tuple[Section, ...]:
    return tuple(KINDS[kind][1](path, engine, area, period) for kind, path in attachments)
