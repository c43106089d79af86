"""The generic long CSV: one observation per row, the format any figure can be brought in by.

Columns ``series,area,period,value,unit`` are required; every other column is a dimension (benefit
group, age band, sex …) whose empty cells mean "in total". A file separated by ``;`` is read with Danish
numbers (``1.234,5``), one separated by ``,`` with English ones (``1234.5``). ``..`` or ``-`` as value
marks a suppressed cell. The unit must be one maaltal knows (:data:`maaltal.kinds.UNITS`): it says what
the series measures, and so how it may be summed, hidden and worded.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from maaltal import formatting as fmt
from maaltal import kinds
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Period
from maaltal.sources.cells import is_suppressed, parse_number
from maaltal.sources.header import check_unique
from maaltal.sources.progress import Progress, counted
from maaltal.store import Observation, Snapshot, Store

REQUIRED = ("series", "area", "period", "value", "unit")
_SERIES_ID = re.compile(r"^[\wæøåÆØÅ][\wæøåÆØÅ.\-]*$")
_MAX_ERRORS = 50


def read(path: str | Path, registry: AreaRegistry, progress: Progress | None = None) -> list[Observation]:
    """Read and check the whole file; raise :class:`InputErrors` listing every problem found.

    The file is read a line at a time (:func:`_lines`), never whole, and what repeats from row to row (the
    series, areas, periods, units and dimension values) is kept once: a 53 MB file took 1,96 GB read whole
    (issue 14), streamed it takes a fraction, growing with the observations alone.
    """
    path = Path(path)
    with _lines(path) as lines:
        first = next(lines, "")
        if not first.strip():
            raise InputError("filen er tom; første række skal være overskrifterne", file=path, row=1)
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(f"kolonnen mangler (påkrævet: {', '.join(REQUIRED)})", file=path, row=1,
                             column=missing[0])
        check_unique(header, file=path, row=1)
        if "" in header:
            raise InputError(f"kolonne nr. {header.index('') + 1} har ingen overskrift", file=path, row=1)
        return _read_rows(path, csv.reader(lines, delimiter=delimiter), header, registry, delimiter == ";",
                          _data_rows(path), progress)


@contextmanager
def _lines(path: Path) -> Iterator[Iterator[str]]:
    """The file's lines as text, read as they are needed: UTF-8 with or without a byte-order mark. (The one
    place that decodes the file: another encoding would be handled here.)"""
    try:
        f = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError("filen findes ikke", file=path) from None
    except IsADirectoryError:
        raise InputError("det er en mappe, ikke en fil", file=path) from None
    try:
        yield _decoded(f, path)
    finally:
        f.close()


def _decoded(f: TextIO, path: Path) -> Iterator[str]:
    try:
        yield from f
    except UnicodeDecodeError as exc:
        raise InputError(f"filen er ikke UTF-8 (byte {exc.start})", file=path) from None


def _data_rows(path: Path) -> int:
    """The number of lines after the header, counted in blocks of bytes (for the progress)."""
    with path.open("rb") as f:
        return max(0, sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b"")) - 1)


def _read_rows(path: Path, reader: Iterator[list[str]], header: list[str], registry: AreaRegistry,
               decimal_comma: bool, total: int, progress: Progress | None) -> list[Observation]:
    dim_columns = [h for h in header if h not in REQUIRED]
    errors: list[InputError] = []
    observations: list[Observation] = []
    seen: dict[tuple, int] = {}
    shared = _RowCache(registry)
    for row_number, cells in counted(enumerate(_rows(reader, path), start=2), total, progress):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(InputError(f"rækken har {len(cells)} felter, overskriften {len(header)}",
                                     file=path, row=row_number))
        else:
            record = dict(zip(header, (shared.text(c.strip()) for c in cells), strict=True))
            obs = _observation(record, dim_columns, shared, decimal_comma,
                               lambda msg, col, r=row_number: errors.append(
                                   InputError(msg, file=path, row=r, column=col)))
            if obs is not None:
                key = (obs.series, obs.area, obs.period, id(obs.dims))
                if key in seen:
                    errors.append(InputError(f"samme observation står også i række {seen[key]}",
                                             file=path, row=row_number, column="value"))
                seen.setdefault(key, row_number)
                observations.append(obs)
        if len(errors) >= _MAX_ERRORS:
            break
    if errors:
        raise InputErrors(errors)
    if not observations:
        raise InputError("filen har ingen datarækker", file=path, row=2)
    return observations


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """The CSV rows, a malformed one as a Danish error (the row number is the reader's line)."""
    try:
        yield from reader
    except csv.Error:
        raise InputError(f"rækken kan ikke læses som CSV (fx et anførselstegn, der ikke lukkes, eller en celle på "
                         f"over {fmt.number(csv.field_size_limit())} tegn)", file=path,
                         row=getattr(reader, "line_num", 0) + 1 or None) from None


class _RowCache:
    """What repeats from row to row, kept once: texts, areas, periods and sets of dimension values. A
    file of a million rows names a hundred areas and a few hundred periods."""

    def __init__(self, registry: AreaRegistry) -> None:
        self._texts: dict[str, str] = {}
        self._areas: dict[str, str | MaaltalError] = {}
        self._periods: dict[str, Period | MaaltalError] = {}
        self._dims: dict[tuple, dict[str, str]] = {}
        self._registry = registry

    def text(self, text: str) -> str:
        return self._texts.setdefault(text, text) if len(self._texts) < 100_000 else text

    def area(self, text: str) -> str:
        found = self._areas.get(text)
        if found is None:
            try:
                found = self._registry.get(text).id
            except MaaltalError as exc:
                found = exc
            self._areas[text] = found
        if isinstance(found, MaaltalError):
            raise found
        return found

    def period(self, text: str) -> Period:
        found = self._periods.get(text)
        if found is None:
            try:
                found = Period.parse(text)
            except MaaltalError as exc:
                found = exc
            self._periods[text] = found
        if isinstance(found, MaaltalError):
            raise found
        return found

    def dims(self, items: tuple[tuple[str, str], ...]) -> dict[str, str]:
        """One dict per set of dimension values, shared by every observation that has it (never changed)."""
        return self._dims.setdefault(items, dict(items))


def _observation(record: dict[str, str], dim_columns: list[str], shared: _RowCache,
                 decimal_comma: bool, report) -> Observation | None:
    ok = True
    series = record["series"]
    if not _SERIES_ID.match(series):
        report(f"'{series}' er ikke et serienavn (bogstaver, tal, _ . -; ingen mellemrum)", "series")
        ok = False
    area = None
    try:
        area = shared.area(record["area"])
    except MaaltalError as exc:
        report(str(exc), "area")
        ok = False
    period = None
    try:
        period = shared.period(record["period"])
    except MaaltalError as exc:
        report(str(exc), "period")
        ok = False
    value, suppressed = None, is_suppressed(record["value"])
    if not suppressed:
        if not record["value"]:
            report("værdien mangler (skriv '..' for en diskretioneret værdi)", "value")
            ok = False
        else:
            try:
                value = parse_number(record["value"], decimal_comma=decimal_comma)
            except ValueError as exc:
                report(str(exc), "value")
                ok = False
    if not record["unit"]:
        report("enheden mangler (fx personer, fuldtidspersoner, pct.)", "unit")
        ok = False
    elif kinds.kind_of(record["unit"]) is None:  # the unit says what the series measures; guessing is worse
        report(kinds.unknown_unit(record["unit"]), "unit")
        ok = False
    if not ok:
        return None
    dims = shared.dims(tuple((c, record[c]) for c in dim_columns if record[c]))
    return Observation(series, area, period, value, record["unit"], dims, suppressed)


def import_file(store: Store, path: str | Path, registry: AreaRegistry, progress: Progress | None = None
                ) -> Snapshot:
    """Validate the whole file, then write it as one snapshot; on any error nothing is written."""
    path = Path(path)
    observations = read(path, registry, progress)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return store.write_snapshot(observations, source="csv:observations", file=str(path), sha256=digest.hexdigest())
