"""Official statistics tables: from a parsed answer (columns and rows) to validated observations.

jobindsats and StatBank answer in different shapes (JSON with variables, `;`-separated CSV, codes or
labels), but once parsed every answer is a :class:`RawTable`: column labels and rows of cells. A
:class:`TableMapping`, read from YAML kept as data (``maaltal/data/jobindsats.yaml``,
``maaltal/data/statbank.yaml``), says which column holds the area, the period, which columns are
measures (and so which maaltal series) and how each dimension column's values are named in maaltal
(:mod:`maaltal.sources.table_mapping`).

:func:`convert` checks the whole table before anything is written and collects every problem with
file, row and column; :func:`write` then writes the observations as one snapshot.
"""

from __future__ import annotations

import csv
import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from maaltal import inputfile
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError, UnknownAreaError
from maaltal.periods import Period
from maaltal.sources.cells import is_suppressed, is_total, parse_number
from maaltal.sources.header import check_unique
from maaltal.sources.progress import Progress, counted
from maaltal.sources.table_mapping import (
    TOTAL,
    AgeRange,
    DerivedSpec,
    DimensionSpec,
    MeasureSpec,
    TableMapping,
    age_interval,
    norm,
)
from maaltal.store import Observation, Snapshot, Store

_MAX_ERRORS = 50


@dataclass(frozen=True)
class RawTable:
    """A parsed answer: column labels and rows of cells (text, numbers or ``None``).

    ``row_numbers`` gives each row's number as the user finds it: the line in a CSV file, the
    position in a JSON answer's data list.
    """

    file: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    row_numbers: Sequence[int]
    header_row: int | None = None  # the header's line in a CSV file; JSON answers have none


@dataclass(frozen=True)
class Converted:
    """The observations of a checked table and what was left out on purpose."""

    observations: list[Observation]
    rows: int
    skipped_areas: Counter[str]
    skipped_columns: tuple[str, ...]
    derived: tuple[str, ...] = ()  # how derived series were made ("arbejdsstyrke afledt af Y25I01: …")
    incomplete_ranges: int = 0  # age ranges left out because the table lacks some of their ages

    @property
    def suppressed(self) -> int:
        return sum(1 for o in self.observations if o.suppressed)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, for the command line's summary."""

    snapshot: Snapshot
    table: str
    title: str
    rows: int
    observations: int
    suppressed: int
    skipped_areas: dict[str, int]
    skipped_columns: tuple[str, ...]


# Reading answers -----------------------------------------------------------------------------------


def decode(data: bytes | str, file: str) -> str:
    """The answer as text: UTF-8 with or without a BOM, or Danish Windows-1252 (:func:`inputfile.decode`)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    return inputfile.decode(data, file).text


def parse_csv(text: str, file: str, delimiter: str = ";") -> RawTable:
    """A ``;``-separated answer: jobindsats v2 CSV, StatBank BULK/CSV, or either as users save them.

    Title lines above the header (a jobindsats export's table name, StatBank's "Enhed: …") are skipped:
    the header is the first row with at least two cells that is as wide as the row after it
    (:func:`_header_index`). StatBank's matrix download, with the periods across (``;;2024M01;2024M02``
    or ``OMRÅDE;KØN;2024M01;…``) and the areas down, is read as long rows with the columns ``TID`` and
    ``INDHOLD`` (:func:`_from_matrix`).
    """
    lines = text.removeprefix("\ufeff").splitlines()
    if not any(line.strip() for line in lines):
        raise InputError("filen er tom; første række skal være overskrifterne", file=file, row=1)
    try:
        parsed = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"CSV kan ikke læses: {exc}", file=file) from None
    start = _header_index(parsed)
    header = [h.strip() for h in parsed[start]]
    stubs = _matrix_stubs(header)
    if stubs is not None and _width(parsed[start]) >= _width(_next_row(parsed, start)):
        return _from_matrix(parsed, start, stubs, file)
    if "" in header:
        raise InputError(f"kolonne nr. {header.index('') + 1} har ingen overskrift", file=file, row=start + 1)
    numbered = [(n, row) for n, row in enumerate(parsed[start + 1:], start=start + 2) if any(c.strip() for c in row)]
    return RawTable(file, tuple(header), [row for _, row in numbered], [n for n, _ in numbered],
                    header_row=start + 1)


_TITLE_LINES = 20  # how far down a header is looked for


def _width(row: Sequence[str]) -> int:
    """The number of cells up to the last one that is not empty (Excel pads every row with ``;``)."""
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return len(cells)


def _next_row(parsed: list[list[str]], index: int) -> list[str]:
    return next((row for row in parsed[index + 1:] if any(c.strip() for c in row)), [])


def _header_index(parsed: list[list[str]]) -> int:
    """The header's index: the first row with two or more cells and no narrower than the row after it.

    A title line has one cell ("Y01A02: A-dagpenge", "Enhed: Fuldtidspersoner") or is narrower than the
    table below ("Kilde:;Jobindsats.dk"); a matrix header may have empty cells over the label columns.
    Without such a row the first line is the header, so that its errors point at line 1.
    """
    first = next(i for i, row in enumerate(parsed) if any(c.strip() for c in row))
    for index in range(first, min(len(parsed), first + _TITLE_LINES)):
        row = parsed[index]
        filled = sum(1 for c in row if c.strip())
        if filled == 0:
            continue
        below = _next_row(parsed, index)
        if _matrix_stubs([c.strip() for c in row]) is not None and _width(row) >= _width(below):
            return index
        if filled >= 2 and (not below or _width(row) >= _width(below)):
            return index
    return first


def _period_label(cell: str) -> bool:
    return bool(cell) and not isinstance(_period(cell), str)


def _matrix_stubs(header: Sequence[str]) -> int | None:
    """How many label columns a matrix header has before its periods, or ``None`` if it is not one."""
    cells = list(header)
    while cells and not cells[-1]:
        cells.pop()
    stubs = next((i for i, c in enumerate(cells) if _period_label(c)), None)
    if not stubs or not all(_period_label(c) for c in cells[stubs:]):
        return None
    return stubs


MATRIX_PERIOD = "TID"
MATRIX_VALUE = "INDHOLD"


def _from_matrix(parsed: list[list[str]], start: int, stubs: int, file: str) -> RawTable:
    """StatBank's matrix (label columns down, periods across) as long rows: labels, ``TID``, ``INDHOLD``.

    A label cell left empty repeats the one above (the matrix writes a label once for the rows under
    it); a row with no values (a note below the table) gives no observations. Label columns without a
    heading are named from their values when the table is converted (:func:`name_by_content`).
    """
    header = [h.strip() for h in parsed[start]]
    periods = [h for h in header[stubs:] if h]
    width = stubs + len(periods)
    names = header[:stubs]  # "" for a label column without a heading, named by content on conversion
    rows: list[list[str]] = []
    numbers: list[int] = []
    labels = [""] * stubs
    for number, row in enumerate(parsed[start + 1:], start=start + 2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if _width(cells) > width:  # left as it is, so that conversion reports its width
            rows.append(row)
            numbers.append(number)
            continue
        cells += [""] * (width - len(cells))
        labels = [cells[i] or labels[i] for i in range(stubs)]
        values = cells[stubs:width]
        if not any(values):
            continue
        for period, value in zip(periods, values, strict=True):
            rows.append([*labels, period, value])
            numbers.append(number)
    return RawTable(file, (*names, MATRIX_PERIOD, MATRIX_VALUE), rows, numbers, header_row=start + 1)


def name_by_content(raw: RawTable, mapping: TableMapping, registry: AreaRegistry) -> RawTable:
    """The table with its label columns without a heading named by what their values are.

    StatBank's matrix download often leaves the label columns without a heading. A column whose values
    are mostly areas maaltal knows is the area column; any other is the dimension of the mapping whose
    values, totals or label endings all its values match, preferring the one that names them itself
    over one that only sees "in total". A column that fits none is an error asking for its heading.
    """
    unnamed = [i for i, c in enumerate(raw.columns) if not c.strip()]
    if not unnamed:
        return raw
    columns = list(raw.columns)
    used = {norm(c) for c in columns if c.strip()}
    for i in unnamed:
        values = sorted({_text(row[i]) for row in raw.rows if i < len(row) and _text(row[i])})
        name = _content_name(values, mapping, registry, used)
        if name is None:
            shown = ", ".join(f"'{v}'" for v in values[:3])
            raise InputError(f"kolonnen har ingen overskrift, og dens værdier ({shown}) passer ikke til nogen af "
                             f"tabel {mapping.table}s variable; skriv variablens navn (fx OMRÅDE eller KØN) "
                             "øverst i kolonnen", file=raw.file, row=raw.header_row, column=f"nr. {i + 1}")
        columns[i] = name
        used.add(norm(name))
    return RawTable(raw.file, tuple(columns), raw.rows, raw.row_numbers, raw.header_row)


def _content_name(values: list[str], mapping: TableMapping, registry: AreaRegistry, used: set[str]) -> str | None:
    if not values:
        return None
    if not used & set(mapping.area_columns):
        areas = sum(1 for v in values if _area(v, registry) is not None)
        if areas * 2 >= len(values):
            return mapping.area_columns[0]
    best: tuple[int, str] | None = None
    for key, spec in mapping.dimensions.items():
        if key in used:
            continue
        scores = [_fit(value, spec) for value in values]
        if all(score is not None for score in scores):
            score = min(scores)
            if best is None or score > best[0]:
                best = (score, key)
    return best[1] if best else None


def _fit(value: str, spec: DimensionSpec) -> int | None:
    """How surely a value belongs to a dimension: 2 named by it, 1 its own total, 0 any total, else None."""
    key = norm(value)
    if key in spec.values or key in spec.series or any(key.endswith(e) and key != e for e in spec.strip):
        return 2
    if key in spec.totals:
        return 1
    return 0 if is_total(key) else None


# Conversion ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    area: int
    period: int
    measures: list[tuple[int, MeasureSpec]]
    dimensions: list[tuple[int, str, DimensionSpec]]
    skipped: tuple[str, ...]
    derived: list[tuple[DerivedSpec, int, int]]  # spec, count column, rate column


def _layout(raw: RawTable, mapping: TableMapping) -> _Layout:
    """Which column is which; an unknown or missing column is an error on the header."""
    keys = [norm(c) for c in raw.columns]
    header_row = raw.header_row

    def find(candidates: tuple[str, ...], what: str) -> int:
        for i, key in enumerate(keys):
            if key in candidates:
                return i
        raise InputError(f"tabellen har ingen {what}-kolonne (ventede en af: {', '.join(candidates)})",
                         file=raw.file, row=header_row)

    check_unique(keys, file=raw.file, row=header_row)
    area, period = find(mapping.area_columns, "område"), find(mapping.period_columns, "periode")
    measures, dimensions, skipped = [], [], []
    for i, label in enumerate(raw.columns):
        if i in (area, period):
            continue
        known, measure = mapping.measure_for(label)
        if known:
            if measure is None:
                skipped.append(label)
            else:
                measures.append((i, measure))
        elif keys[i] in mapping.dimensions:
            dimensions.append((i, label, mapping.dimensions[keys[i]]))
        else:
            raise InputError(
                f"kolonnen er hverken måling eller kendt dimension i tabel {mapping.table}; tilføj den i en "
                "kortlægningsfil (--mapping)", file=raw.file, row=header_row, column=label)
    if not measures:
        raise InputError(f"tabellen har ingen af tabel {mapping.table}s målinger", file=raw.file, row=header_row)
    by_measure = {}
    for i, key in enumerate(keys):
        by_measure.setdefault(key, i)
        by_measure.setdefault(key.rsplit(": ", 1)[-1], i)
    derived = [(spec, by_measure[spec.count], by_measure[spec.rate]) for spec in mapping.derived
               if spec.count in by_measure and spec.rate in by_measure]
    return _Layout(area, period, measures, dimensions, tuple(skipped), derived)


def convert(raw: RawTable, mapping: TableMapping, registry: AreaRegistry, progress: Progress | None = None
            ) -> Converted:
    """Check every row of ``raw`` and turn it into observations; raise :class:`InputErrors` on problems.

    Areas that are not ours (StatBank's "Abroad", a province) are skipped and counted, not errors; a
    suppressed cell becomes a suppressed observation, never a zero.
    """
    raw = name_by_content(raw, mapping, registry)
    layout = _layout(raw, mapping)
    width = len(raw.columns)
    errors: list[InputError] = []
    observations: list[Observation] = []
    seen: dict[tuple, tuple[int, float | None]] = {}
    ranged: dict[tuple, _RangeSum] = {}
    skipped_areas: Counter[str] = Counter()
    areas: dict[str, str | None] = {}
    for cells, number in counted(zip(raw.rows, raw.row_numbers, strict=True), len(raw.rows), progress):

        def fail(message: str, column: str | None = None, n: int = number) -> None:
            errors.append(InputError(message, file=raw.file, row=n, column=column))

        if len(cells) != width:
            fail(f"rækken har {len(cells)} felter, overskriften {width}")
        else:
            area_cell = _text(cells[layout.area])
            if not area_cell:
                fail("området mangler", raw.columns[layout.area])
                continue
            if area_cell not in areas:
                areas[area_cell] = _area(area_cell, registry)
            area = areas[area_cell]
            if area is None:
                skipped_areas[area_cell] += 1
                continue
            for obs, ranges in _row(raw, layout, mapping, cells, area, lambda m, c: fail(m, c)):
                if ranges:
                    for name, value, age_range in ranges:
                        _RangeSum.add(ranged, obs, name, value, age_range)
                    continue
                key = (obs.series, obs.area, obs.period, tuple(sorted(obs.dims.items())))
                if key in seen:
                    if seen[key][1] == obs.value:
                        continue  # the same value twice: a hierarchy that lists a value at two levels
                    fail(f"samme observation ({obs.series}) står også i række {seen[key][0]}")
                seen.setdefault(key, (number, obs.value))
                observations.append(obs)
        if len(errors) >= _MAX_ERRORS:
            break
    sums = [s.observation() for s in ranged.values()]
    for obs in (o for o in sums if o is not None):
        key = (obs.series, obs.area, obs.period, tuple(sorted(obs.dims.items())))
        if key in seen:
            fail(f"aldersintervallet {dict(obs.dims)} står også som egen række i række {seen[key][0]}",
                 n=seen[key][0])
        observations.append(obs)
    if errors:
        raise InputErrors(errors)
    if not observations:
        raise InputError("tabellen har ingen observationer for områder, som maaltal kender", file=raw.file)
    return Converted(observations, len(raw.rows), skipped_areas, layout.skipped,
                     tuple(spec.note(mapping.table) for spec, _, _ in layout.derived),
                     sum(1 for o in sums if o is None))


@dataclass
class _RangeSum:
    """An age range being summed: its parts' values and the ages they cover, so an incomplete range (a
    table without some of its ages) is left out instead of being too small."""

    first: Observation
    low: int
    high: int
    covered: list[tuple[int, int]]
    total: float = 0.0
    suppressed: bool = False

    @classmethod
    def add(cls, sums: dict[tuple, _RangeSum], obs: Observation, name: str, value: str,
            age_range: AgeRange) -> None:
        dims = {**obs.dims, name: age_range.label}
        key = (obs.series, obs.area, obs.period, tuple(sorted(dims.items())))
        if key not in sums:
            sums[key] = cls(Observation(obs.series, obs.area, obs.period, None, obs.unit, dims), age_range.low,
                            age_range.high, [])
        part = sums[key]
        part.covered.append(age_interval(value))  # type: ignore[arg-type]
        part.suppressed = part.suppressed or obs.suppressed
        part.total += obs.value or 0.0

    def observation(self) -> Observation | None:
        """The range's sum, suppressed when a part is; ``None`` when the parts do not cover it exactly."""
        expected = self.low
        for low, high in sorted(self.covered):
            if low != expected:
                return None
            expected = high + 1
        if expected != self.high + 1:
            return None
        first = self.first
        return Observation(first.series, first.area, first.period, None if self.suppressed else self.total,
                           first.unit, first.dims, self.suppressed)


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _area(name: str, registry: AreaRegistry) -> str | None:
    try:
        return registry.get(name).id
    except UnknownAreaError:
        return None


RangePart = tuple[str, str, AgeRange]  # dimension, value, the range the value is part of


def _row(raw: RawTable, layout: _Layout, mapping: TableMapping, cells: Sequence[Any], area: str,
         fail) -> list[tuple[Observation, list[RangePart]]]:
    """The observations of one row, and the parts it gives to age ranges; [] after an error.

    An entry with ranges is a part to be summed (:func:`convert` adds the parts up); an entry without is
    an observation to store. A value summed into ranges is stored itself too unless ``keep: false``.
    """
    period = _period(_text(cells[layout.period]))
    if isinstance(period, str):
        fail(period, raw.columns[layout.period])
        return []
    dims = dict(mapping.dims)
    series_override = None
    all_totals = True
    ranges: list[RangePart] = []
    keep = True
    for i, label, spec in layout.dimensions:
        cell = _text(cells[i])
        if not cell:
            fail("dimensionens værdi mangler", label)
            return []
        key = norm(cell)
        if key in spec.series:
            series_override = spec.series[key]
            continue
        value = spec.value(cell)
        if value is TOTAL:
            if spec.total is not None:
                dims[spec.name] = spec.total
        else:
            all_totals = False
            dims[spec.name] = str(value)
            parts = spec.ranges_of(str(value))
            ranges += [(spec.name, str(value), r) for r in parts]
            keep = keep and (spec.keep or not parts)
    result: list[tuple[Observation, list[RangePart]]] = []
    for i, measure in layout.measures:
        parsed = _value(cells[i])
        if isinstance(parsed, str):
            fail(parsed, raw.columns[i])
            continue
        value, suppressed = parsed
        obs = Observation(series_override or measure.series, area, period, value, measure.unit, dims, suppressed)
        if ranges:
            without = {k: v for k, v in dims.items() if k not in {name for name, _, _ in ranges}}
            result.append((replace(obs, dims=without), ranges))
        if keep:
            result.append((obs, []))
    if all_totals:
        result += [(obs, []) for obs in _derived(layout, cells, area, period)]
    return result


def _derived(layout: _Layout, cells: Sequence[Any], area: str, period: Period) -> list[Observation]:
    """The row's derived series (count ÷ rate × 100); none where the rate is 0, suppressed where a part is."""
    result = []
    for spec, count_column, rate_column in layout.derived:
        count, rate = _value(cells[count_column]), _value(cells[rate_column])
        if isinstance(count, str) or isinstance(rate, str):
            continue  # the measure columns report their own errors
        if count[1] or rate[1]:
            result.append(Observation(spec.series, area, period, None, spec.unit, dict(spec.dims), True))
        elif rate[0]:
            result.append(Observation(spec.series, area, period, round(count[0] / rate[0] * 100), spec.unit,
                                      dict(spec.dims)))
    return result


@functools.lru_cache(maxsize=4096)
def _period(text: str) -> Period | str:
    """The period of a cell, or the Danish message; cached, as a table repeats few periods many times."""
    try:
        return Period.parse(text)
    except MaaltalError as exc:
        return str(exc)


def _value(cell: Any) -> tuple[float | None, bool] | str:
    """(value, suppressed), or a Danish message. Numbers come native (JSON) or as Danish text."""
    if cell is None or (isinstance(cell, str) and (not cell.strip() or is_suppressed(cell))):
        return None, True
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return f"'{cell}' er ikke et tal"
    if isinstance(cell, str):
        try:
            cell = parse_number(cell, decimal_comma=True)
        except ValueError as exc:
            return str(exc)
    try:
        value = float(cell)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        return f"'{cell}' er ikke et endeligt tal"
    return value, False


# Writing ---------------------------------------------------------------------------------------------


def source_of(mapping: TableMapping) -> str:
    """The snapshot source of a table's answers: ``jobindsats:Y30R21``, ``statbank:AUK01``."""
    return f"{mapping.source}:{mapping.table}"


def write(store: Store, converted: Converted, mapping: TableMapping, *, file: str | None, sha256: str | None,
          note: str | None = None) -> ImportResult:
    """Write checked observations as one snapshot (one transaction) with source ``<source>:<TABLE>``; the
    note says how derived series were made."""
    note = "; ".join(part for part in (note, *converted.derived) if part) or None
    snapshot = store.write_snapshot(converted.observations, source=source_of(mapping), file=file,
                                    sha256=sha256, note=note)
    return ImportResult(snapshot, mapping.table, mapping.name, converted.rows, len(converted.observations),
                        converted.suppressed, dict(converted.skipped_areas), converted.skipped_columns)
