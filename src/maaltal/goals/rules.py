"""The target rules as decisions on figures already computed, and the facts an evaluation leaves behind.

Nothing here reads the store or writes text: :mod:`maaltal.goals.evaluate` fetches the figures from the
key-figure engine, these functions decide, :mod:`maaltal.goals.texts` explains. Comparisons use the
unrounded figures, as the statistics do.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from maaltal.document import Status
from maaltal.goals.catalogue import Cumulative, Goal, Graduated, Threshold, VersusBenchmark, VersusReference
from maaltal.periods import Period

_EPSILON = 1e-9  # a difference of exactly the tolerance must not fail on a float's last bits
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class Reason(StrEnum):
    """Why a goal cannot be assessed (yet)."""

    NO_DATA = "no_data"                # the store has no value for the area up to the period
    LAGGING = "lagging"                # the data end more than max_lag_months before the period
    YEAR_NOT_OVER = "year_not_over"    # a count over the year, and the year is not over
    INCOMPLETE = "incomplete"          # some periods of the window lack a value
    NO_REFERENCE = "no_reference"      # no value for the reference period
    NO_BENCHMARK = "no_benchmark"      # no value for the benchmark area
    NO_TARGET = "no_target"            # a graduated goal without a target for the year
    NO_CHILDREN = "no_children"        # a bearing that no goal serves
    NOT_DUE = "not_due"                # the goal is about a period that has not ended yet


@dataclass(frozen=True)
class Development:
    """From one period's value to another's: over the year (January → now) or since last year."""

    start: Period
    start_value: float
    end: Period
    end_value: float
    change: float
    change_pct: float | None


@dataclass(frozen=True)
class Facts:
    """Everything an evaluation found for one goal, before it is put into words."""

    goal: Goal
    period: Period                       # the period asked for
    status: Status
    reason: Reason | None = None
    asked: Period | None = None          # the period asked for, in the series' own frequency
    data_until: Period | None = None     # the newest period with a value
    carried: bool = False                # data_until stands in for a lagging period (within max_lag_months)
    value: float | None = None
    target: float | None = None
    unit: str = ""                       # the unit of value and target
    level_unit: str = ""                 # the unit of the indicator's own values
    decimals: int = 0
    development: Development | None = None
    projection: float | None = None      # a cumulative count projected to the year's end
    projected_met: bool | None = None    # whether that projection reaches the target
    benchmark: str | None = None         # the benchmark area's name (versus_benchmark)
    compare_start: Period | None = None
    compare_end: Period | None = None
    history: tuple[tuple[Period, float | None], ...] = ()
    history_target: float | None = None
    children: tuple[Status, ...] = ()
    missing_reason: str | None = None    # why a figure the goal needs is missing, in Danish (from the engine)
    benchmark_history: tuple[tuple[Period, float | None], ...] = ()  # the benchmark's values beside history


def holds(op: str, value: float, target: float) -> bool:
    return _OPS[op](value, target)


def threshold(rule: Threshold | Cumulative, value: float) -> Status:
    return Status.MET if holds(rule.op, value, rule.value) else Status.NOT_MET


def versus_reference(rule: VersusReference, value: float, reference: float) -> Status:
    """The value must have fallen (or risen) below (above) the reference; staying level is not enough."""
    met = value < reference if rule.direction == "decrease" else value > reference
    return Status.MET if met else Status.NOT_MET


def versus_benchmark(rule: VersusBenchmark, value: float, benchmark: float) -> Status:
    """Better than the benchmark, or within ``tolerance`` of it ("på niveau med")."""
    gap = value - benchmark if rule.better == "lower" else benchmark - value
    return Status.MET if gap <= rule.tolerance + _EPSILON else Status.NOT_MET


def projection(count_so_far: float, periods_done: int, periods_per_year: int) -> float:
    """A count so far this year carried to the year's end at the same pace."""
    return count_so_far / periods_done * periods_per_year


def graduated(rule: Graduated, value: float, year: int) -> tuple[Status | None, float | None]:
    """The year's own target decides; ``(None, None)`` when the catalogue sets none for that year."""
    target = rule.target(year)
    if target is None:
        return None, None
    return (Status.MET if holds(rule.op, value, target) else Status.NOT_MET), target


def bearing(children: Iterable[Status]) -> Status:
    """A bearing is met when all goals serving it are, not met when one is not, else not assessable."""
    statuses = list(children)
    if statuses and all(s is Status.MET for s in statuses):
        return Status.MET
    if Status.NOT_MET in statuses:
        return Status.NOT_MET
    return Status.NOT_ASSESSABLE
