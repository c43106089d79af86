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
from dataclasses import dataclass
from typing import Any

from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError, UnknownAreaError
from maaltal.periods import Period
from maaltal.sources.cells import is_suppressed, parse_number
from maaltal.sources.header import check_unique
from maaltal.sources.progress import Progress, counted
from maaltal.sources.table_mapping import TOTAL, DimensionSpec, MeasureSpec, TableMapping, norm
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
    """The answer as text: UTF-8 with or without a BOM."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"svaret er ikke UTF-8 (byte {exc.start})", file=file) from None


def parse_csv(text: str, file: str, delimiter: str = ";") -> RawTable:
    """A ``;``-separated answer with one header row (jobindsats v2 CSV, StatBank BULK/CSV)."""
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise InputError("filen er tom; første række skal være overskrifterne", file=file, row=1)
    try:
        parsed = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"CSV kan ikke læses: {exc}", file=file) from None
    header = [h.strip() for h in parsed[0]]
    if "" in header:
        raise InputError(f"kolonne nr. {header.index('') + 1} har ingen overskrift", file=file, row=1)
    numbered = [(n, row) for n, row in enumerate(parsed[1:], start=2) if any(c.strip() for c in row)]
    return RawTable(file, tuple(header), [row for _, row in numbered], [n for n, _ in numbered], header_row=1)


# Conversion ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    area: int
    period: int
    measures: list[tuple[int, MeasureSpec]]
    dimensions: list[tuple[int, str, DimensionSpec]]
    skipped: tuple[str, ...]


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
    return _Layout(area, period, measures, dimensions, tuple(skipped))


def convert(raw: RawTable, mapping: TableMapping, registry: AreaRegistry, progress: Progress | None = None
            ) -> Converted:
    """Check every row of ``raw`` and turn it into observations; raise :class:`InputErrors` on problems.

    Areas that are not ours (StatBank's "Abroad", a province) are skipped and counted, not errors; a
    suppressed cell becomes a suppressed observation, never a zero.
    """
    layout = _layout(raw, mapping)
    width = len(raw.columns)
    errors: list[InputError] = []
    observations: list[Observation] = []
    seen: dict[tuple, int] = {}
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
            for obs in _row(raw, layout, mapping, cells, area, lambda m, c: fail(m, c)):
                key = (obs.series, obs.area, obs.period, tuple(sorted(obs.dims.items())))
                if key in seen:
                    fail(f"samme observation ({obs.series}) står også i række {seen[key]}")
                seen.setdefault(key, number)
                observations.append(obs)
        if len(errors) >= _MAX_ERRORS:
            break
    if errors:
        raise InputErrors(errors)
    if not observations:
        raise InputError("tabellen har ingen observationer for områder, som maaltal kender", file=raw.file)
    return Converted(observations, len(raw.rows), skipped_areas, layout.skipped)


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _area(name: str, registry: AreaRegistry) -> str | None:
    try:
        return registry.get(name).id
    except UnknownAreaError:
        return None


def _row(raw: RawTable, layout: _Layout, mapping: TableMapping, cells: Sequence[Any], area: str,
         fail) -> list[Observation]:
    """The observations of one row; [] after reporting an error."""
    period = _period(_text(cells[layout.period]))
    if isinstance(period, str):
        fail(period, raw.columns[layout.period])
        return []
    dims = dict(mapping.dims)
    series_override = None
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
            dims[spec.name] = str(value)
    result = []
    for i, measure in layout.measures:
        parsed = _value(cells[i])
        if isinstance(parsed, str):
            fail(parsed, raw.columns[i])
            continue
        value, suppressed = parsed
        result.append(Observation(series_override or measure.series, area, period, value, measure.unit, dims,
                                  suppressed))
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


def write(store: Store, converted: Converted, mapping: TableMapping, *, file: str | None, sha256: str | None,
          note: str | None = None) -> ImportResult:
    """Write checked observations as one snapshot (one transaction) with source ``<source>:<TABLE>``."""
    snapshot = store.write_snapshot(converted.observations, source=f"{mapping.source}:{mapping.table}", file=file,
                                    sha256=sha256, note=note)
    return ImportResult(snapshot, mapping.table, mapping.name, converted.rows, len(converted.observations),
                        converted.suppressed, dict(converted.skipped_areas), converted.skipped_columns)
