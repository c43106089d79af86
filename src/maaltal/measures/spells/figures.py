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

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import pyarrow as pa
import pyarrow.compute as pc

from maaltal import privacy
from maaltal.measures.spells import sql
from maaltal.measures.spells.engines import Engine
from maaltal.periods import Freq, Period
from maaltal.store import Observation, dims_key, observation_schema

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
    """What a computation produced — the observations as a table in the store's layout, written as they
    are (a million observations as Python objects took longer than the computation) — and how many of its
    person counts were suppressed."""

    table: pa.Table
    suppressed: int

    @property
    def observations(self) -> list[Observation]:
        """The observations as objects, for reading a few in tests and tools."""
        return [Observation(r["series"], r["area"], Period.from_ordinal(Freq(r["freq"]), r["ordinal"]), r["value"],
                            r["unit"], json.loads(r["dims"]), r["suppressed"]) for r in self.table.to_pylist()]


def grouping_sets(dimensions: Sequence[str]) -> list[tuple[str, ...]]:
    """Every combination of the dimensions the spells have, from all of them to none (the totals)."""
    return [combo for size in range(len(dimensions), -1, -1) for combo in combinations(dimensions, size)]


def compute(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, regions: Mapping[str, str] | None = None,
            labels: Mapping[str, pa.Array] | None = None) -> SpellFigures:
    """Every spell figure of the months, for the dimensions the spells have (a subset of ``alder``, ``koen``).

    With ``regions`` (municipality code → region id) the full-time persons and persons are also written for
    the regions and the nation, each person counted once however many municipalities they were in: for an
    extract that covers the whole country. ``labels`` are the texts of columns the engine sees as integer
    codes (an integer column ``c`` in a result means ``labels[c][code]``).
    """
    aggregates = [] if regions is None else [sql.regrouped(engine.source, regions), sql.regrouped(engine.source, None)]
    engine = _Labelled(engine, labels or {})
    parts = [*monthly(engine, months, ("ydelse", *dimensions), threshold),
             *(part for source in aggregates
               for part in monthly(engine, months, ("ydelse", *dimensions), threshold, source)),
             *ended_durations(engine, months, threshold),
             month_end_bands(engine, months, threshold)]
    table = with_secondary_suppression(pa.concat_tables(parts))
    hidden = pc.sum(pc.and_(table.column("suppressed"), pc.not_equal(table.column("unit"), FTP))).as_py() or 0
    return SpellFigures(table, hidden)


# The counts whose breakdowns add up to their totals, and the figures that rest on each (hidden with it).
_COUNTS = (PERSONS, ENDED)
_RESTS_ON = {FTP: PERSONS, ENDED_DURATION: ENDED}

Key = tuple[str, str, str, tuple[tuple[str, str], ...]]  # series, area, period, dimension values
_SEP = "\x1f"


def _total_of(dims: tuple[tuple[str, str], ...], name: str) -> tuple[tuple[str, str], ...]:
    """The dimension values of the total a cell is a part of along ``name``: the benefit groups add up to
    ``ydelse: i alt``; age bands and sexes to the cell without them."""
    if name == "ydelse":
        return tuple(sorted({**dict(dims), "ydelse": TOTAL}.items()))
    return tuple(item for item in dims if item[0] != name)


def with_secondary_suppression(table: pa.Table) -> pa.Table:
    """The observations with secondary suppression (:func:`maaltal.privacy.secondary`) applied: the benefit
    groups, age bands and sexes of a municipality's month add up to their totals, so one hidden part beside
    a shown total and shown other parts would be given away by a subtraction. The full-time persons and
    durations resting on a count are hidden with it. The groups are found over the counts in Python; the
    hiding is one vectorised pass over the whole table."""
    counted = table.filter(pc.is_in(table.column("series"), pa.array(list(_COUNTS))))
    parsed: dict[str, tuple[tuple[str, str], ...]] = {}
    keys: list[Key] = []
    for series, area, period, dims in zip(*(counted.column(c).to_pylist()
                                           for c in ("series", "area", "period", "dims")), strict=True):
        if dims not in parsed:
            parsed[dims] = tuple(sorted(json.loads(dims).items()))
        keys.append((series, area, period, parsed[dims]))
    counts = dict(zip(keys, counted.column("value").to_pylist(), strict=True))
    primary = {k for k, hidden in zip(keys, counted.column("suppressed").to_pylist(), strict=True) if hidden}
    if not primary:
        return table
    parts: dict[tuple[Key, str], list[Key]] = {}
    for key in sorted(keys):  # the groups in one order, whatever order the engine gave the rows in
        series, area, period, dims = key
        for name, value in dims:
            if (name, value) == ("ydelse", TOTAL):
                continue
            total = (series, area, period, _total_of(dims, name))
            if total in counts:
                parts.setdefault((total, name), []).append(key)
    hidden = privacy.secondary(((total, cells) for (total, _), cells in parts.items()), counts, primary) - primary
    if not hidden:
        return table
    text = {tuple_: dims for dims, tuple_ in parsed.items()}
    wanted = pa.array([_SEP.join((s, a, p, text[d])) for s, a, p, d in hidden])
    resting = table.column("series")  # a figure is found by the count it rests on
    for series, count in _RESTS_ON.items():
        resting = pc.if_else(pc.equal(table.column("series"), series), count, resting)
    joined = pc.binary_join_element_wise(resting, table.column("area"), table.column("period"),
                                         table.column("dims"), _SEP)
    newly = pc.and_(pc.is_in(joined, wanted), pc.invert(table.column("suppressed")))
    values = pc.if_else(newly, pa.scalar(None, pa.float64()), table.column("value"))
    table = table.set_column(table.schema.get_field_index("value"), "value", values)
    return table.set_column(table.schema.get_field_index("suppressed"), "suppressed",
                            pc.or_(table.column("suppressed"), newly))

def monthly(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, source: str | None = None) -> list[pa.Table]:
    """Full-time persons and persons per municipality (or the area ``source`` puts in its place), month and
    every combination of ``dimensions``."""
    parts = []
    for combo in grouping_sets(dimensions):
        rows = engine.table(sql.monthly(source or engine.source, ("kommune", *combo), months))
        kommune, values, m = rows.column(0), rows.columns[1:1 + len(combo)], rows.column(1 + len(combo))
        days_in_month, person_days, persons = rows.columns[2 + len(combo):]
        dims = _dims_column(combo, values, rows.num_rows)
        hidden = _suppressed(persons, threshold)
        ftp = pc.divide(person_days.cast(pa.float64()), days_in_month.cast(pa.float64()))
        parts += [_observations(FTP, kommune, Freq.MONTH, m, ftp, FTP, dims, hidden),
                  _observations(PERSONS, kommune, Freq.MONTH, m, persons.cast(pa.float64()), PERSONS, dims, hidden)]
    return parts


def ended_durations(engine: Engine, months: sql.Months,
                    threshold: int = privacy.DEFAULT_THRESHOLD) -> list[pa.Table]:
    """The average duration in weeks of the spells that ended in each year (Hvidovre item 8), and their number.

    A year is only part of the output when all its months are; a duration built on fewer spells than the
    threshold is suppressed.
    """
    years = sorted({m.year for m in months if m.index == 12 and m.year * 12 >= months.first.ordinal})
    parts = []
    for combo in (("ydelse",), ()):
        rows = engine.table(sql.ended(engine.source, ("kommune", *combo), months))
        rows = rows.filter(pc.is_in(rows.column(1 + len(combo)), pa.array(years, rows.schema[1 + len(combo)].type)))
        kommune, values, year = rows.column(0), rows.columns[1:1 + len(combo)], rows.column(1 + len(combo))
        count, days = rows.columns[2 + len(combo):]
        dims = _dims_column(combo, values, rows.num_rows)
        hidden = _suppressed(count, threshold)
        weeks = pc.divide(pc.divide(days.cast(pa.float64()), count.cast(pa.float64())), 7.0)
        parts += [_observations(ENDED_DURATION, kommune, Freq.YEAR, year, weeks, "uger", dims, hidden),
                  _observations(ENDED, kommune, Freq.YEAR, year, count.cast(pa.float64()), "forløb", dims, hidden)]
    return parts


def month_end_bands(engine: Engine, months: sql.Months,
                    threshold: int = privacy.DEFAULT_THRESHOLD) -> pa.Table:
    """Persons on each benefit at the month's end by cumulative duration (Herning item 19: 13 / 26 weeks)."""
    rows = engine.table(sql.month_end_durations(engine.source, ("kommune", "ydelse"), months, DURATION_BANDS))
    kommune, ydelse, band, m, persons = rows.columns
    labels = pc.take(pa.array(BAND_LABELS), band.cast(pa.int32()))
    dims = _dims_column(("ydelse", "varighed"), [ydelse, labels], rows.num_rows)
    return _observations(MONTH_END, kommune, Freq.MONTH, m, persons.cast(pa.float64()), "personer", dims,
                         _suppressed(persons, threshold))


class _Labelled:
    """An engine whose results have the labels back on the columns it computed as integer codes."""

    def __init__(self, engine: Engine, labels: Mapping[str, pa.Array]) -> None:
        self.source, self._engine, self._labels = engine.source, engine, labels

    def table(self, query: str) -> pa.Table:
        result = self._engine.table(query)
        for index, name in enumerate(result.column_names):
            if name in self._labels and pa.types.is_integer(result.schema[index].type):
                result = result.set_column(index, name, pc.take(self._labels[name], result.column(index)))
        return result


def _suppressed(persons: pa.ChunkedArray, threshold: int) -> pa.ChunkedArray:
    """:func:`maaltal.privacy.is_suppressed` over a column: more than none, fewer than the threshold."""
    return pc.and_(pc.greater(persons, 0), pc.less(persons, threshold))


def _dims_column(keys: Sequence[str], values: Sequence[pa.ChunkedArray], n: int) -> pa.Array:
    """The store's dimension key of every row (``ydelse`` is ``i alt`` when it is not among ``keys``), made
    once per distinct combination of values by :func:`maaltal.store.dims_key`."""
    names = [DIMENSION_NAMES.get(k, k) for k in keys]
    if not values:
        return pa.array([dims_key({"ydelse": TOTAL})] * n, pa.string())
    encoded = [pc.dictionary_encode(v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v) for v in values]
    codes = encoded[0].indices.cast(pa.int64())
    for column in encoded[1:]:
        codes = pc.add(pc.multiply(codes, len(column.dictionary)), column.indices.cast(pa.int64()))
    distinct = pc.unique(codes)
    keys_of_codes = []
    for code in distinct.to_pylist():
        parts = []
        for column in reversed(encoded):
            code, index = divmod(code, len(column.dictionary))
            parts.append(column.dictionary[index].as_py())
        dims = dict(zip(names, reversed(parts), strict=True))
        dims.setdefault("ydelse", TOTAL)
        keys_of_codes.append(dims_key(dims))
    return pc.take(pa.array(keys_of_codes, pa.string()), pc.index_in(codes, value_set=distinct))


def _observations(series: str, area: pa.ChunkedArray, freq: Freq, ordinal: pa.ChunkedArray, value: pa.ChunkedArray,
                  unit: str, dims: pa.Array, suppressed: pa.ChunkedArray) -> pa.Table:
    """Rows in the store's observation layout; a suppressed value is left out (null)."""
    n = len(ordinal)
    ordinal = (ordinal.combine_chunks() if isinstance(ordinal, pa.ChunkedArray) else ordinal).cast(pa.int32())
    distinct = pc.unique(ordinal)
    labels = pa.array([str(Period.from_ordinal(freq, o)) for o in distinct.to_pylist()], pa.string())
    period = pc.take(labels, pc.index_in(ordinal, value_set=distinct))
    suppressed = suppressed.combine_chunks() if isinstance(suppressed, pa.ChunkedArray) else suppressed
    return pa.table([
        pa.repeat(series, n), area.cast(pa.string()), period, pa.repeat(freq.value, n), ordinal, dims,
        pc.if_else(suppressed, pa.scalar(None, pa.float64()), value), pa.repeat(unit, n), suppressed,
    ], schema=observation_schema())


