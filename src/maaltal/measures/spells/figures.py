"""From spells to observations: full-time persons, persons, ended-spell durations, month-end duration bands.

Runs the shared queries on an engine and turns their integer results into observations in the store's
series conventions, the same as the demo data: ``fuldtidspersoner`` and ``personer`` per municipality and
month with the dimensions ``ydelse`` (``i alt`` for all benefits together), ``alder`` and ``køn`` (left
out for their total), written for every combination so the key-figure engine finds any of them. Counts
of persons below the threshold are marked suppressed, and so are the full-time persons they make up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from maaltal import privacy
from maaltal.measures.spells import sql
from maaltal.measures.spells.engines import Engine
from maaltal.periods import Freq, Period
from maaltal.store import Observation

TOTAL = "i alt"
FTP, PERSONS = "fuldtidspersoner", "personer"
ENDED_DURATION, ENDED = "varighed_afsluttede_forloeb", "afsluttede_forloeb"
MONTH_END = "personer_ultimo"
# Cumulative duration bands at the month's end (Herning item 19: 13 and 26 weeks), limits in days.
DURATION_BANDS = (91, 182)
BAND_LABELS = ("højst 13 uger", "over 13 og højst 26 uger", "over 26 uger")
# The dimension names in the store for the spell columns.
DIMENSION_NAMES = {"ydelse": "ydelse", "alder": "alder", "koen": "køn"}


@dataclass(frozen=True)
class SpellFigures:
    """What a computation produced, and how many of its person counts were suppressed."""

    observations: list[Observation]
    suppressed: int


def grouping_sets(dimensions: Sequence[str]) -> list[tuple[str, ...]]:
    """Every combination of the dimensions the spells have, from all of them to none (the totals)."""
    return [combo for size in range(len(dimensions), -1, -1) for combo in combinations(dimensions, size)]


def _dims(keys: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    dims = {DIMENSION_NAMES[k]: v for k, v in zip(keys, values, strict=True)}
    dims.setdefault("ydelse", TOTAL)
    return dims


def compute(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, regions: Mapping[str, str] | None = None) -> SpellFigures:
    """Every spell figure of the months, for the dimensions the spells have (a subset of ``alder``, ``koen``).

    With ``regions`` (municipality code → region id) the full-time persons and persons are also written for
    the regions and the nation, each person counted once however many municipalities they were in: for an
    extract that covers the whole country.
    """
    aggregates = [] if regions is None else [sql.regrouped(engine.source, regions), sql.regrouped(engine.source, None)]
    observations = [*monthly(engine, months, ("ydelse", *dimensions), threshold),
                    *(obs for source in aggregates
                      for obs in monthly(engine, months, ("ydelse", *dimensions), threshold, source)),
                    *ended_durations(engine, months, threshold),
                    *month_end_bands(engine, months, threshold)]
    hidden = sum(1 for o in observations if o.suppressed and o.unit != FTP)
    return SpellFigures(observations, hidden)


def monthly(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, source: str | None = None) -> Iterator[Observation]:
    """Full-time persons and persons per municipality (or the area ``source`` puts in its place), month and
    every combination of ``dimensions``."""
    for combo in grouping_sets(dimensions):
        for kommune, *values, m, days_in_month, person_days, persons in engine.query(
                sql.monthly(source or engine.source, ("kommune", *combo), months)):
            period = Period.from_ordinal(Freq.MONTH, m)
            dims = _dims(combo, values)
            hidden = privacy.is_suppressed(persons, threshold)
            yield Observation(FTP, kommune, period, person_days / days_in_month, FTP, dims, hidden)
            yield Observation(PERSONS, kommune, period, persons, PERSONS, dims, hidden)


def ended_durations(engine: Engine, months: sql.Months,
                    threshold: int = privacy.DEFAULT_THRESHOLD) -> Iterator[Observation]:
    """The average duration in weeks of the spells that ended in each year (Hvidovre item 8), and their number.

    A year is only part of the output when all its months are; a duration built on fewer spells than the
    threshold is suppressed.
    """
    years = {m.year for m in months if m.index == 12 and Period(Freq.MONTH, m.year, 1) >= months.first}
    for combo in (("ydelse",), ()):
        for kommune, *values, year, count, days in engine.query(
                sql.ended(engine.source, ("kommune", *combo), months)):
            if year not in years:
                continue
            period, dims = Period(Freq.YEAR, year), _dims(combo, values)
            hidden = privacy.is_suppressed(count, threshold)
            yield Observation(ENDED_DURATION, kommune, period, days / count / 7, "uger", dims, hidden)
            yield Observation(ENDED, kommune, period, count, "forløb", dims, hidden)


def month_end_bands(engine: Engine, months: sql.Months,
                    threshold: int = privacy.DEFAULT_THRESHOLD) -> Iterator[Observation]:
    """Persons on each benefit at the month's end by cumulative duration (Herning item 19: 13 / 26 weeks)."""
    for kommune, ydelse, band, m, persons in engine.query(
            sql.month_end_durations(engine.source, ("kommune", "ydelse"), months, DURATION_BANDS)):
        dims = {"ydelse": ydelse, "varighed": BAND_LABELS[band]}
        yield Observation(MONTH_END, kommune, Period.from_ordinal(Freq.MONTH, m), persons, "personer", dims,
                          privacy.is_suppressed(persons, threshold))
