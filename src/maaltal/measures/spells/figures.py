"""From spells to observations: full-time persons, persons, ended-spell durations, month-end duration bands.

Runs the shared queries on an engine and turns their integer results into observations in the store's
series conventions, the same as the demo data: ``fuldtidspersoner`` and ``personer`` per municipality and
month with the dimensions ``ydelse`` (``i alt`` for all benefits together), ``alder`` and ``køn`` (left
out for their total), written for every combination so the key-figure engine finds any of them. Counts
of persons below the threshold are marked suppressed, and so are the full-time persons they make up; and
so is the smallest other part of a breakdown whose total would otherwise give a hidden part away
(secondary suppression, :func:`with_secondary_suppression`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
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
    observations = with_secondary_suppression(observations)
    hidden = sum(1 for o in observations if o.suppressed and o.unit != FTP)
    return SpellFigures(observations, hidden)


# The counts whose breakdowns add up to their totals, and the figures that rest on each (hidden with it).
_COUNTS = (PERSONS, ENDED)
_RESTS_ON = {FTP: PERSONS, ENDED_DURATION: ENDED}

Key = tuple[str, str, Period, tuple[tuple[str, str], ...]]


def _key(obs: Observation, series: str | None = None) -> Key:
    return series or obs.series, obs.area, obs.period, tuple(sorted(obs.dims.items()))


def _total_of(dims: tuple[tuple[str, str], ...], name: str) -> tuple[tuple[str, str], ...]:
    """The dimension values of the total a cell is a part of along ``name``: the benefit groups add up to
    ``ydelse: i alt``; age bands and sexes to the cell without them."""
    if name == "ydelse":
        return tuple(sorted({**dict(dims), "ydelse": TOTAL}.items()))
    return tuple(item for item in dims if item[0] != name)


def with_secondary_suppression(observations: list[Observation]) -> list[Observation]:
    """The observations with secondary suppression (:func:`maaltal.privacy.secondary`) applied: the benefit
    groups, age bands and sexes of a municipality's month add up to their totals, so one hidden part beside
    a shown total and shown other parts would be given away by a subtraction. The full-time persons and
    durations resting on a count are hidden with it."""
    counts = {_key(o): o.value for o in observations if o.series in _COUNTS}
    parts: dict[tuple[Key, str], list[Key]] = {}
    for key in counts:
        series, area, period, dims = key
        for name, value in dims:
            if (name, value) == ("ydelse", TOTAL):
                continue
            total = (series, area, period, _total_of(dims, name))
            if total in counts:
                parts.setdefault((total, name), []).append(key)
    primary = {_key(o) for o in observations if o.series in _COUNTS and o.suppressed}
    hidden = privacy.secondary(((total, cells) for (total, _), cells in parts.items()), counts, primary) - primary
    if not hidden:
        return observations
    return [replace(o, suppressed=True) if not o.suppressed and _key(o, _RESTS_ON.get(o.series)) in hidden else o
            for o in observations]


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
