"""Sections from the analyst's own files: budget, bridges, forecasts and operational benchmarks.

``maaltal report --attach KIND=FILE`` names each file with its kind; every kind reads its file with the
same loader and builds the same section as its own command (``maaltal budget …``, ``maaltal benchmark
…``), so the report and the command never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from maaltal.benchmarks import caseload, pool_projects, reversals, surveys, unit_cost
from maaltal.benchmarks.report import report_section as benchmark_section
from maaltal.budget import bridge, followup
from maaltal.budget import forecast as budget_forecast
from maaltal.budget.report import report_section as budget_section
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigures
from maaltal.periods import Period
from maaltal.report.model import Section

Loader = Callable[[Path, KeyFigures, str, Period], Section]

KINDS: dict[str, tuple[str, Loader]] = {
    "budget": ("budgetopfølgning pr. ramme (CSV)",
               lambda p, kf, a, per: budget_section(followup.load(p, per.year))),
    "bridge": ("budgetbro (YAML)", lambda p, kf, a, per: budget_section(bridge.load(p))),
    "forecast": ("enhedspriser til prognose for overførsler (CSV)",
                 lambda p, kf, a, per: budget_section(budget_forecast.forecast(
                     kf, budget_forecast.read_prices(p), a, per.year, through=per.last_month(), source=str(p)))),
    "caseload": ("sagsantal pr. årsværk (CSV)",
                 lambda p, kf, a, per: benchmark_section(caseload.load(p, kf.registry, caseload.load_ranges(), a))),
    "unitcost": ("enhedsomkostninger (CSV)",
                 lambda p, kf, a, per: benchmark_section(unit_cost.load(p, kf.registry, a))),
    "reversals": ("omgørelser i Ankestyrelsen (CSV)",
                  lambda p, kf, a, per: benchmark_section(reversals.load(p))),
    "pool": ("puljeprojekt (YAML)", lambda p, kf, a, per: benchmark_section(pool_projects.load(p))),
    "survey": ("brugerundersøgelse (YAML)", lambda p, kf, a, per: benchmark_section(surveys.load(p))),
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


def sections(attachments: Sequence[tuple[str, Path]], kf: KeyFigures, area: str, period: Period
             ) -> tuple[Section, ...]:
    return tuple(KINDS[kind][1](path, kf, area, period) for kind, path in attachments)
