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
from functools import partial
from itertools import combinations, product

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from maaltal import privacy
from maaltal.measures.spells import running, sql
from maaltal.measures.spells.engines import Computation, Engine, run_ahead
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
    """What a computation produced — the observations as a table in the store's layout (its text columns
    dictionary-encoded), written as they are (a million observations as Python objects took longer than
    the computation) — and how many of them are hidden (suppressed, by the threshold or the secondary
    suppression)."""

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
    sources = [engine.source] if regions is None else [
        engine.source, sql.regrouped(engine.source, regions), sql.regrouped(engine.source, None)]
    counting = [*(computation for source in sources
                  for computation in monthly(source, months, ("ydelse", *dimensions), threshold)),
                *ended_durations(engine.source, months, threshold)]
    with run_ahead(_Labelled(engine, labels or {}), [*counting, month_end_bands(engine.source, months, threshold)]
                   ) as results:
        counted = [next(results) for _ in counting]
        # the rule runs over the counts (while the month-end query runs); what rests on a count was made from
        # the same rows, and is hidden with it
        counts = with_secondary_suppression(pa.concat_tables([count for count, _ in counted]))
        parts, start = [next(results)], 0
    for count, resting in counted:
        shown = counts.slice(start, count.num_rows)
        start += count.num_rows
        parts += [shown, _hidden_as(resting, shown.column("suppressed"))]
    # one series after the other, as the store keeps them (its reads skip the row groups of other series)
    parts.sort(key=_series_of)
    hidden = sum(pc.sum(part.column("suppressed")).as_py() or 0 for part in parts)
    return SpellFigures(pa.concat_tables(parts), hidden)


def _series_of(part: pa.Table) -> str:
    """The series of a part of the figures (each part is one series)."""
    return part.column("series")[0].as_py() if part.num_rows else ""


def _hidden_as(table: pa.Table, suppressed: pa.ChunkedArray) -> pa.Table:
    """``table`` with the rows hidden that are hidden in ``suppressed`` (a count's, row for row)."""
    values = pc.if_else(suppressed, pa.scalar(None, pa.float64()), table.column("value"))
    table = table.set_column(table.schema.get_field_index("value"), "value", values)
    return table.set_column(table.schema.get_field_index("suppressed"), "suppressed", suppressed)


# The counts whose breakdowns add up to their totals, and the figures that rest on each (hidden with it).
_COUNTS = (PERSONS, ENDED)
_RESTS_ON = {FTP: PERSONS, ENDED_DURATION: ENDED}


def with_secondary_suppression(table: pa.Table) -> pa.Table:
    """The observations with secondary suppression (:func:`maaltal.privacy.secondary`) applied: the benefit
    groups, age bands and sexes of a municipality's month add up to their totals, so one hidden part beside
    a shown total and shown other parts would be given away by a subtraction. The full-time persons and
    durations resting on a count are hidden with it.

    Each count series' cells are laid out as blocks (one per area and period) of a lattice of its dimension
    values (:class:`_Lattice`), and the rule runs over all blocks at once; no row becomes a Python object.
    A resting figure is found by its count's key; :func:`compute`, which makes each count beside what rests
    on it row for row, passes the counts alone and hides the rest by position (the faster way, compared
    with this one on every observation by ``tests/test_spells_reader.py``).
    """
    if not pc.any(pc.and_(table.column("suppressed"), pc.is_in(table.column("series"), pa.array(_COUNTS)))).as_py():
        return table
    series = _Encoded.of(table.column("series"))
    # each row's block: the count its figure rests on (0, 1 …; -1 for none), its area and its period
    resting = np.array([_COUNTS.index(_RESTS_ON.get(name, name)) if _RESTS_ON.get(name, name) in _COUNTS else -1
                        for name in series.values])[series.codes]
    area, period, dims = (_Encoded.of(table.column(name)) for name in ("area", "period", "dims"))
    block = area.codes * len(period.values) + period.codes
    blocks = len(area.values) * len(period.values)
    values = table.column("value").to_numpy()
    suppressed = table.column("suppressed").to_numpy()
    newly = np.zeros(table.num_rows, dtype=bool)
    for index, count in enumerate(_COUNTS):
        rows = resting == index
        is_count = series.codes == series.values.index(count) if count in series.values else np.zeros_like(rows)
        if not is_count.any():
            continue
        lattice = _Lattice.of([dims.values[code] for code in
                               np.flatnonzero(np.bincount(dims.codes[is_count], minlength=len(dims.values)))])
        position = lattice.positions(dims.values)[dims.codes]
        rows &= position >= 0
        flat = block * lattice.groups.cells + position
        counts, present, hidden = (np.zeros(blocks * lattice.groups.cells, dtype=kind) for kind in (float, bool, bool))
        mine = is_count & rows
        counts[flat[mine]] = np.nan_to_num(values[mine])
        present[flat[mine]] = True
        hidden[flat[mine]] = suppressed[mine]
        shape = (blocks, lattice.groups.cells)
        result = privacy.secondary(lattice.groups, counts.reshape(shape), present.reshape(shape),
                                   hidden.reshape(shape)).reshape(-1)
        newly[rows] = result[flat[rows]] & ~suppressed[rows]
    if not newly.any():
        return table
    newly_hidden = pa.array(newly)
    values = pc.if_else(newly_hidden, pa.scalar(None, pa.float64()), table.column("value"))
    table = table.set_column(table.schema.get_field_index("value"), "value", values)
    return table.set_column(table.schema.get_field_index("suppressed"), "suppressed",
                            pc.or_(table.column("suppressed"), newly_hidden))


@dataclass(frozen=True)
class _Encoded:
    """A text column as the index of each row's value (numpy) and the distinct values (Python)."""

    codes: np.ndarray
    values: list[str]

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> _Encoded:
        if pa.types.is_dictionary(column.type):  # as the figures are built: the labels made one per chunk
            column = column.unify_dictionaries()
            dictionary = column.chunks[0].dictionary if column.num_chunks else pa.array([], pa.string())
            codes = [chunk.indices.to_numpy(zero_copy_only=False) for chunk in column.chunks]
            return cls(np.concatenate(codes) if codes else np.zeros(0, np.int32), dictionary.to_pylist())
        encoded = pc.dictionary_encode(column).combine_chunks()
        return cls(encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist())


@dataclass(frozen=True)
class _Lattice:
    """The cells of one count series' breakdowns: every combination of its dimensions' values, each with
    its total (``ydelse: i alt``, or the dimension left out) at place 0, and the additive groups along each
    dimension. The groups are visited, and ties broken, in the order of the cells' sorted dimension values."""

    axes: tuple[tuple[str, tuple[str | None, ...]], ...]  # (name, values with the total first)
    groups: privacy.AdditiveGroups

    @classmethod
    def of(cls, dims_keys: Sequence[str]) -> _Lattice:
        parsed = [json.loads(key) for key in dims_keys]
        names = sorted({name for dims in parsed for name in dims})
        axes = tuple((name, (_total(name), *sorted({d[name] for d in parsed if d.get(name, _total(name))
                                                     != _total(name)}))) for name in names)
        sizes = [len(values) for _, values in axes]
        cells = list(product(*(range(size) for size in sizes)))
        items = [_items(axes, cell) for cell in cells]
        rank = {index: place for place, index in enumerate(sorted(range(len(cells)), key=lambda i: str(items[i])))}
        lines: dict[tuple[int, int], list[int]] = {}
        for index in sorted(range(len(cells)), key=lambda i: items[i]):
            for axis, coordinate in enumerate(cells[index]):
                if coordinate:
                    total = cells[index][:axis] + (0,) + cells[index][axis + 1:]
                    lines.setdefault((_index(total, sizes), axis), [])
        for index, cell in enumerate(cells):
            for axis, coordinate in enumerate(cell):
                if coordinate:
                    lines[(_index(cell[:axis] + (0,) + cell[axis + 1:], sizes), axis)].append(index)
        groups = privacy.AdditiveGroups(tuple(total for total, _ in lines), tuple(tuple(p) for p in lines.values()),
                                        tuple(rank[i] for i in range(len(cells))))
        return cls(axes, groups)

    def positions(self, dims_keys: Sequence[str]) -> np.ndarray:
        """The cell of each dimension key, or -1 for one outside the lattice."""
        sizes = [len(values) for _, values in self.axes]
        places = [{value: place for place, value in enumerate(values)} for _, values in self.axes]
        found = []
        for key in dims_keys:
            dims = json.loads(key)
            if set(dims) - {name for name, _ in self.axes}:
                found.append(-1)
                continue
            cell = [place.get(dims.get(name, _total(name)), -1) for (name, _), place in zip(self.axes, places,
                                                                                          strict=True)]
            found.append(-1 if -1 in cell else _index(tuple(cell), sizes))
        return np.array(found, dtype=np.int64)


def _total(name: str) -> str | None:
    """The value a dimension has in its total: "i alt" for the benefit groups, none (left out) for the others."""
    return TOTAL if name == "ydelse" else None


def _items(axes: Sequence[tuple[str, Sequence[str | None]]], cell: Sequence[int]) -> tuple[tuple[str, str], ...]:
    """A cell's dimension values as sorted (name, value) pairs, as its dimension key holds them."""
    return tuple((name, values[c]) for (name, values), c in zip(axes, cell, strict=True) if values[c] is not None)


def _index(cell: Sequence[int], sizes: Sequence[int]) -> int:
    index = 0
    for coordinate, size in zip(cell, sizes, strict=True):
        index = index * size + coordinate
    return index


def monthly(source: str, months: sql.Months, dimensions: Sequence[str], threshold: int = privacy.DEFAULT_THRESHOLD,
            ) -> list[Computation[tuple[pa.Table, pa.Table]]]:
    """Persons and full-time persons per municipality (or the area ``source`` puts in its place), month and
    every combination of ``dimensions``: a (count, resting on it) pair per combination, row for row."""
    def pair(combo: tuple[str, ...], rows: pa.Table) -> tuple[pa.Table, pa.Table]:
        kommune, values, m = rows.column(0), rows.columns[1:1 + len(combo)], rows.column(1 + len(combo))
        days_in_month, person_days, persons = rows.columns[2 + len(combo):]
        dims = _dims_column(combo, values, rows.num_rows)
        hidden = _suppressed(persons, threshold)
        ftp = pc.divide(person_days.cast(pa.float64()), days_in_month.cast(pa.float64()))
        return (_observations(PERSONS, kommune, Freq.MONTH, m, persons.cast(pa.float64()), PERSONS, dims, hidden),
                _observations(FTP, kommune, Freq.MONTH, m, ftp, FTP, dims, hidden))
    return [running.monthly(source, ("kommune", *combo), months).then(partial(pair, combo))
            for combo in grouping_sets(dimensions)]


def ended_durations(source: str, months: sql.Months, threshold: int = privacy.DEFAULT_THRESHOLD,
                    ) -> list[Computation[tuple[pa.Table, pa.Table]]]:
    """The number of spells that ended in each year and their average duration in weeks (Hvidovre item 8): a
    (count, resting on it) pair per combination, row for row.

    A year is only part of the output when all its months are; a duration built on fewer spells than the
    threshold is suppressed.
    """
    years = sorted({m.year for m in months if m.index == 12 and m.year * 12 >= months.first.ordinal})

    def pair(combo: tuple[str, ...], rows: pa.Table) -> tuple[pa.Table, pa.Table]:
        rows = rows.filter(pc.is_in(rows.column(1 + len(combo)), pa.array(years, rows.schema[1 + len(combo)].type)))
        kommune, values, year = rows.column(0), rows.columns[1:1 + len(combo)], rows.column(1 + len(combo))
        count, days = rows.columns[2 + len(combo):]
        dims = _dims_column(combo, values, rows.num_rows)
        hidden = _suppressed(count, threshold)
        weeks = pc.divide(pc.divide(days.cast(pa.float64()), count.cast(pa.float64())), 7.0)
        return (_observations(ENDED, kommune, Freq.YEAR, year, count.cast(pa.float64()), "forløb", dims, hidden),
                _observations(ENDED_DURATION, kommune, Freq.YEAR, year, weeks, "uger", dims, hidden))
    return [Computation(sql.ended(source, ("kommune", *combo), months), partial(pair, combo))
            for combo in (("ydelse",), ())]


def month_end_bands(source: str, months: sql.Months, threshold: int = privacy.DEFAULT_THRESHOLD,
                    ) -> Computation[pa.Table]:
    """Persons on each benefit at the month's end by cumulative duration (Herning item 19: 13 / 26 weeks)."""
    def observations(rows: pa.Table) -> pa.Table:
        kommune, ydelse, band, m, persons = rows.columns
        labels = pc.take(pa.array(BAND_LABELS), band.cast(pa.int32()))
        dims = _dims_column(("ydelse", "varighed"), [ydelse, labels], rows.num_rows)
        return _observations(MONTH_END, kommune, Freq.MONTH, m, persons.cast(pa.float64()), "personer", dims,
                             _suppressed(persons, threshold))
    return running.month_end(source, ("kommune", "ydelse"), months, DURATION_BANDS).then(observations)


class _Labelled:
    """An engine whose results have the labels back on the columns it computed as integer codes: as
    dictionary arrays (the codes and their labels), which the dimension keys are made from without
    looking at a text per row."""

    def __init__(self, engine: Engine, labels: Mapping[str, pa.Array]) -> None:
        self.source, self._engine, self._labels = engine.source, engine, labels

    def table(self, query: str) -> pa.Table:
        result = self._engine.table(query)
        for index, name in enumerate(result.column_names):
            if name in self._labels and pa.types.is_integer(result.schema[index].type):
                codes = result.column(index).combine_chunks().cast(pa.int32())
                result = result.set_column(index, name, pa.DictionaryArray.from_arrays(codes, self._labels[name]))
        return result

    def interrupt(self) -> None:
        self._engine.interrupt()


def _suppressed(persons: pa.ChunkedArray, threshold: int) -> pa.ChunkedArray:
    """:func:`maaltal.privacy.is_suppressed` over a column: more than none, fewer than the threshold."""
    return pc.and_(pc.greater(persons, 0), pc.less(persons, threshold))


def _dims_column(keys: Sequence[str], values: Sequence[pa.ChunkedArray], n: int) -> pa.DictionaryArray:
    """The store's dimension key of every row (``ydelse`` is ``i alt`` when it is not among ``keys``), made
    once per distinct combination of values by :func:`maaltal.store.dims_key`."""
    names = [DIMENSION_NAMES.get(k, k) for k in keys]
    if not values:
        return _constant(dims_key({"ydelse": TOTAL}), n)
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
    return pa.DictionaryArray.from_arrays(pc.index_in(codes, value_set=distinct), pa.array(keys_of_codes, pa.string()))


def _observations(series: str, area: pa.ChunkedArray, freq: Freq, ordinal: pa.ChunkedArray, value: pa.ChunkedArray,
                  unit: str, dims: pa.DictionaryArray, suppressed: pa.ChunkedArray) -> pa.Table:
    """Rows in the store's observation layout (:data:`_LAYOUT`); a suppressed value is left out (null)."""
    n = len(ordinal)
    ordinal = (ordinal.combine_chunks() if isinstance(ordinal, pa.ChunkedArray) else ordinal).cast(pa.int32())
    distinct = pc.unique(ordinal)
    labels = pa.array([str(Period.from_ordinal(freq, o)) for o in distinct.to_pylist()], pa.string())
    period = pa.DictionaryArray.from_arrays(pc.index_in(ordinal, value_set=distinct), labels)
    area = area.combine_chunks() if isinstance(area, pa.ChunkedArray) else area
    if not pa.types.is_dictionary(area.type):
        area = pc.dictionary_encode(area)
    suppressed = suppressed.combine_chunks() if isinstance(suppressed, pa.ChunkedArray) else suppressed
    return pa.table([
        _constant(series, n), area.cast(_TEXT), period, _constant(freq.value, n), ordinal, dims,
        pc.if_else(suppressed, pa.scalar(None, pa.float64()), value), _constant(unit, n), suppressed,
    ], schema=_LAYOUT)


# The figures as they are built and written: the store's observation schema with each text column a
# dictionary (the labels once, a small integer per row). DuckDB takes such a column at half the cost of
# plain text, and the secondary suppression finds its blocks from the integers.
_TEXT = pa.dictionary(pa.int32(), pa.string())
_LAYOUT = pa.schema([field.with_type(_TEXT) if field.type == pa.string() else field for field in observation_schema()])


def _constant(text: str, n: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(np.zeros(n, dtype=np.int32), pa.array([text]))
