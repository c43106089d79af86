"""The generic long CSV: one observation per row, the format any figure can be brought in by.

Columns ``series,area,period,value,unit`` are required; every other column is a dimension (benefit
group, age band, sex …) whose empty cells mean "in total". A file separated by ``;`` is read with Danish
numbers (``1.234,5``), one separated by ``,`` with English ones (``1234.5``). ``..`` or ``-`` as value
marks a suppressed cell. The unit must be one maaltal knows (:data:`maaltal.kinds.UNITS`): it says what
the series measures, and so how it may be summed, hidden and worded.

Files are read as users save them: UTF-8, or Excel's "CSV (semikolonsepareret)" in Windows-1252
(:mod:`maaltal.inputfile`), with title lines above the header skipped (the header is the first line that
names the required columns).

The file is read in blocks by Arrow's streaming CSV reader and checked a column at a time, so memory stays
bounded by the observations themselves, never one Python object per row (a 53 MB upload took 1,96 GB that
way, issue 14): a repeated text (series, area, period, unit, a set of dimension values) is checked once per
distinct text, numbers are parsed vectorised, and the result is an Arrow table in
:func:`maaltal.store.observation_schema`, its texts dictionary-encoded (a file repeats them), plus the column
:data:`~maaltal.sources.plausibility.ROW` (each observation's line in the file, for the messages of the
checks every import makes). A 53 MB upload now peaks at about 0,46 GB, one near the 200 MB limit at 0,83 GB
(``benchmarks/upload_memory.py``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from maaltal import inputfile, kinds
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Period
from maaltal.sources.cells import SUPPRESSED_MARKERS, parse_number
from maaltal.sources.header import check_unique
from maaltal.sources.plausibility import ROW
from maaltal.sources.progress import Progress
from maaltal.store import Snapshot, Store, dims_key, observation_schema

SOURCE = "csv:observations"
REQUIRED = ("series", "area", "period", "value", "unit")
_SERIES_ID = re.compile(r"^[\wæøåÆØÅ][\wæøåÆØÅ.\-]*$")
_MAX_ERRORS = 50
BLOCK_SIZE = 2097152  # bytes of the file per batch
_HEAD_LINES = 20  # lines searched for the header below title lines
# A number as parse_number accepts it, for Arrow's RE2 (ASCII digits; anything else goes to parse_number)
_DANISH_NUMBER = r"^[-+−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
_PLAIN_NUMBER = r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
_MISSING_VALUE = "værdien mangler (skriv '..' for en diskretioneret værdi)"
_MISSING_UNIT = "enheden mangler (fx personer, fuldtidspersoner, pct.)"


def read(path: str | Path, registry: AreaRegistry, progress: Progress | None = None) -> pa.Table:
    """Read and check the whole file; the observations as a table (see the module), or :class:`InputErrors`
    listing every problem found (at most 50)."""
    path = Path(path)
    layout = _layout(path)
    check = _BatchCheck(path, layout, registry)
    reader = _BlockReader(path, layout)
    total = _count_lines(path) - layout.start - 1 if progress is not None else None
    last = False
    for batch in reader.batches():
        check.add(batch)
        if progress is not None:
            progress(check.rows + reader.skipped, total)
        if last:
            break
        # fifty errors: the rest of the file need not be read. The reader parses a block ahead, so a ragged row
        # it refused may lie beyond the rows checked: with one more batch every error before the fiftieth is known
        last = check.bad_rows + len(reader.refused) >= _MAX_ERRORS
    table = check.result(reader)
    pa.default_memory_pool().release_unused()  # the blocks' buffers, kept by the pool for reuse otherwise
    return table


def import_file(store: Store, path: str | Path, registry: AreaRegistry, progress: Progress | None = None
                ) -> Snapshot:
    """Validate the whole file, then write it as one snapshot; on any error nothing is written."""
    path = Path(path)
    table = read(path, registry, progress)
    return store.write_snapshot(table, source=SOURCE, file=str(path), sha256=inputfile.sha256(path))


# The file's layout: encoding, title lines, header --------------------------------------------------------


@dataclass(frozen=True)
class _FileLayout:
    encoding: str  # inputfile.UTF8 or CP1252
    start: int  # the header's index among the lines (title lines above it)
    delimiter: str
    header: tuple[str, ...]
    offset: int  # the byte where the data rows begin

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(h for h in self.header if h not in REQUIRED)

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"


def _layout(path: Path) -> _FileLayout:
    """Find the header below any title lines, and check it, reading only the first lines."""
    encoding = inputfile.encoding_of(path)
    with _text(path, encoding) as f:
        lines = [line for line in (f.readline() for _ in range(_HEAD_LINES)) if line]
    bare = [line.rstrip("\r\n") for line in lines]
    if not bare or not bare[0].strip():
        raise InputError("filen er tom; første række skal være overskrifterne", file=path, row=1)
    start = _header_line(bare)
    delimiter = _delimiter(bare[start])
    header = [h.strip().lower() for h in next(csv.reader([bare[start]], delimiter=delimiter), [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"kolonnen mangler (påkrævet: {', '.join(REQUIRED)})", file=path, row=start + 1,
                         column=missing[0])
    check_unique(header, file=path, row=start + 1)
    if "" in header:
        raise InputError(f"kolonne nr. {header.index('') + 1} har ingen overskrift", file=path, row=start + 1)
    with path.open("rb") as raw:
        bom = len(codecs.BOM_UTF8) if raw.read(3) == codecs.BOM_UTF8 else 0
    offset = bom + sum(len(line.encode(encoding)) for line in lines[:start + 1])
    return _FileLayout(encoding, start, delimiter, tuple(header), offset)


def _text(path: Path, encoding: str) -> io.TextIOWrapper:
    """The file as text, lines ending at ``\\n``, ``\\r\\n`` or ``\\r`` as Arrow's reader splits them."""
    return path.open(encoding="utf-8-sig" if encoding == inputfile.UTF8 else encoding, newline="")


def _delimiter(line: str) -> str:
    return ";" if line.count(";") > line.count(",") else ","


def _header_line(lines: list[str]) -> int:
    """The index of the first line naming the required columns; title lines above it are skipped.

    Without one, the first line is the header, and its missing column is the error.
    """
    for index, line in enumerate(lines):
        cells = {c.strip().lower() for c in next(csv.reader([line], delimiter=_delimiter(line)), [])}
        if all(column in cells for column in REQUIRED):
            return index
    return 0


def _count_lines(path: Path) -> int:
    """The file's lines, counted a megabyte at a time (for the progress)."""
    count, last = 0, b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


# Reading the rows in blocks ------------------------------------------------------------------------------


class _BlockReader:
    """The data rows in batches of text columns (one per header column), from Arrow's streaming reader.

    A row with another number of fields than the header is handed to :meth:`_refuse` instead (in file order):
    blank ones are skipped as the user means them, ragged ones are errors. Both shift the line numbers of
    the rows after them, which :meth:`lines` then finds by reading the file once more.
    """

    def __init__(self, path: Path, layout: _FileLayout) -> None:
        self.path, self.layout = path, layout
        self.skipped = 0  # rows refused, blank or ragged
        self.refused: list[int] = []  # the fields of the first ragged rows, in file order

    def batches(self) -> Iterator[pa.RecordBatch]:
        with pa.OSFile(str(self.path)) as f:
            if f.size() <= self.layout.offset:
                return
            f.seek(self.layout.offset)
            names = list(self.layout.header)
            reader = pacsv.open_csv(
                f,
                read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK_SIZE, use_threads=False,
                                               encoding="utf8" if self.layout.encoding == inputfile.UTF8
                                               else self.layout.encoding),
                parse_options=pacsv.ParseOptions(delimiter=self.layout.delimiter, ignore_empty_lines=False,
                                                 newlines_in_values=False, invalid_row_handler=self._refuse),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     null_values=[]))
            yield from reader

    def _refuse(self, row: Any) -> str:
        self.skipped += 1
        if len(self.refused) < _MAX_ERRORS:
            cells = next(csv.reader([row.text], delimiter=self.layout.delimiter), [])
            if any(c.strip() for c in cells):
                self.refused.append(len(cells))
        return "skip"

    def lines(self, rows: np.ndarray) -> tuple[np.ndarray, list[int]]:
        """The file's line numbers of the given rows (counted among the rows Arrow gave) and of the ragged
        rows in :attr:`refused`: without refused rows a matter of adding, else by reading the file again."""
        first = self.layout.start + 2
        if not self.skipped:
            return rows + first, []
        gaps, ragged = self._refused_lines()
        # the row numbered k among those given stands at physical position k + (gaps at or before it)
        shifted = gaps - np.arange(len(gaps))
        return rows + np.searchsorted(shifted, rows, side="right") + first, [g + first for g in ragged]

    def _refused_lines(self) -> tuple[np.ndarray, list[int]]:
        """The positions (0 = the first line after the header) of every refused row, and of the ragged ones."""
        expected = len(self.layout.header)
        gaps: list[int] = []
        ragged: list[int] = []
        with _text(self.path, self.layout.encoding) as f:
            for _ in range(self.layout.start + 1):
                f.readline()
            for position, line in enumerate(f):
                text = line.rstrip("\r\n")
                if not text:
                    continue  # Arrow gives an empty line as a row of empty fields
                cells = next(csv.reader([text], delimiter=self.layout.delimiter), [])
                if len(cells) != expected:
                    gaps.append(position)
                    if any(c.strip() for c in cells):
                        ragged.append(position)
                    if len(gaps) >= self.skipped:  # Arrow refused no more
                        break
        return np.array(gaps, dtype=np.int64), ragged[:len(self.refused)]


# Checking the rows, a batch at a time --------------------------------------------------------------------


@dataclass(frozen=True)
class _CheckedText:
    """What a column's distinct text is: a code over the whole file, its value, or why it is wrong."""

    code: int  # -1 for a wrong one
    value: Any
    error: str | None


class _DistinctTexts:
    """One column's distinct texts over the whole file, each checked once by ``check`` (text → value, or a
    :class:`MaaltalError` whose text is the message); equal values (``167`` and ``Hvidovre``) share a code."""

    def __init__(self, check: Callable[[str], Any]) -> None:
        self._check = check
        self._seen: dict[Any, _CheckedText] = {}
        self._codes: dict[Any, int] = {}

    def checked(self, text: Any) -> _CheckedText:
        found = self._seen.get(text)
        if found is None:
            try:
                value = self._check(text)
                found = _CheckedText(self._codes.setdefault(value, len(self._codes)), value, None)
            except MaaltalError as exc:
                found = _CheckedText(-1, None, str(exc))
            self._seen[text] = found
        return found

    def column(self, array: pa.Array) -> _TextColumn:
        encoded = pc.dictionary_encode(array)
        return _TextColumn([self.checked(t) for t in encoded.dictionary.to_pylist()],
                       encoded.indices.to_numpy(zero_copy_only=False))


@dataclass
class _TextColumn:
    """A column of a batch by its distinct texts: what each is, and which one each row has."""

    distinct: list[_CheckedText]
    index: np.ndarray

    def codes(self) -> np.ndarray:
        return np.array([c.code for c in self.distinct], dtype=np.int32)[self.index]

    def bad(self) -> np.ndarray:
        return np.array([c.error is not None for c in self.distinct], dtype=bool)[self.index]

    def texts(self, get: Callable[[Any], str] = lambda v: v) -> pa.DictionaryArray:
        """Each row's value as text, dictionary-encoded (a text per distinct value, an index per row)."""
        return pa.DictionaryArray.from_arrays(pa.array(self.index, pa.int32()), pa.array(
            [None if c.error else get(c.value) for c in self.distinct], pa.string()))

    def numbers(self, get: Callable[[Any], int]) -> pa.Array:
        return pa.array([None if c.error else get(c.value) for c in self.distinct], pa.int32()).take(self.index)

    def error(self, row: int) -> str | None:
        return self.distinct[self.index[row]].error


def _series(text: str) -> str:
    if not _SERIES_ID.match(text):
        raise MaaltalError(f"'{text}' er ikke et serienavn (bogstaver, tal, _ . -; ingen mellemrum)")
    return text


def _unit(text: str) -> str:
    if not text:
        raise MaaltalError(_MISSING_UNIT)
    if kinds.kind_of(text) is None:  # the unit says what the series measures; guessing is worse
        raise MaaltalError(kinds.unknown_unit(text))
    return text


@dataclass
class _RowError:
    row: int  # among the rows Arrow gave
    order: int  # the column's place in the row
    message: str
    column: str | None
    first: int | None = None  # a repeated observation: the row (among those given) where it stands first


@dataclass
class _BatchCheck:
    """The rows' checks, batch by batch: the observations kept as Arrow batches while the file has no error,
    the first errors, and every observation's key for the repeated ones."""

    path: Path
    layout: _FileLayout
    registry: AreaRegistry
    rows: int = 0  # rows given by the reader so far
    bad_rows: int = 0
    errors: list[_RowError] = field(default_factory=list)
    batches: list[pa.RecordBatch] = field(default_factory=list)
    keys: list[np.ndarray] = field(default_factory=list)  # per batch: series, area, period, dims codes
    key_rows: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        registry = self.registry  # not self: no cycle keeps the checks' arrays alive after the read
        self.series = _DistinctTexts(_series)
        self.areas = _DistinctTexts(lambda text: registry.get(text).id)
        self.periods = _DistinctTexts(Period.parse)
        self.units = _DistinctTexts(_unit)
        self.dims = _DistinctTexts(lambda items: dims_key(dict(items)))

    def add(self, batch: pa.RecordBatch) -> None:
        columns = {name: pc.utf8_trim_whitespace(batch.column(name)) for name in self.layout.header}
        rows = np.arange(self.rows, self.rows + batch.num_rows)
        self.rows += batch.num_rows
        blank = np.logical_and.reduce([pc.equal(c, "").to_numpy(zero_copy_only=False) for c in columns.values()])
        if blank.any():  # an empty row is skipped, as a user means it
            keep = pa.array(~blank)
            columns = {name: c.filter(keep) for name, c in columns.items()}
            rows = rows[~blank]
        if not len(rows):
            return
        series = self.series.column(columns["series"])
        areas = self.areas.column(columns["area"])
        periods = self.periods.column(columns["period"])
        units = self.units.column(columns["unit"])
        values, suppressed, value_errors = self._values(columns["value"])
        dims = self._dims(columns)
        bad = series.bad() | areas.bad() | periods.bad() | units.bad()
        bad[list(value_errors)] = True
        if bad.any():
            self._errors(rows, bad, [("series", series.error), ("area", areas.error), ("period", periods.error),
                                     ("value", value_errors.get), ("unit", units.error)])
        good = ~bad
        self.keys.append(np.stack([c.codes()[good] for c in (series, areas, periods, dims)], axis=1))
        self.key_rows.append(rows[good])
        if not self.errors:
            self.batches.append(pa.RecordBatch.from_arrays(
                [series.texts(), areas.texts(), periods.texts(str), periods.texts(lambda p: p.freq.value),
                 periods.numbers(lambda p: p.ordinal), dims.texts(), values, units.texts(), pa.array(suppressed),
                 pa.array(rows, pa.int32())], schema=_SCHEMA))

    def _values(self, column: pa.Array) -> tuple[pa.Array, np.ndarray, dict[int, str]]:
        """The numbers of a value column (null where suppressed), which are suppressed, and the messages of
        the wrong ones by row."""
        suppressed = pc.is_in(pc.utf8_lower(column), pa.array(sorted(SUPPRESSED_MARKERS))).to_numpy(
            zero_copy_only=False)
        cleaned = pc.replace_substring(pc.replace_substring(column, "\u00a0", ""), " ", "")
        comma = self.layout.decimal_comma
        matched = pc.match_substring_regex(cleaned, _DANISH_NUMBER if comma else _PLAIN_NUMBER)
        if comma:
            cleaned = pc.replace_substring(pc.replace_substring(pc.replace_substring(
                cleaned, "−", "-"), ".", ""), ",", ".")
        numbers = pc.if_else(matched, cleaned, "0").cast(pa.float64()).to_numpy(zero_copy_only=False).copy()
        failed = ~matched.to_numpy(zero_copy_only=False) | ~np.isfinite(numbers)
        errors: dict[int, str] = {}
        for row in np.flatnonzero(failed & ~suppressed).tolist():
            if len(errors) >= _MAX_ERRORS:  # beyond the rows whose errors are listed
                errors[row] = ""
                continue
            text = column[row].as_py()
            if not text:
                errors[row] = _MISSING_VALUE
                continue
            try:  # digits of other scripts, which Python's float reads and RE2 leaves, or the message
                numbers[row] = parse_number(text, decimal_comma=comma)
            except ValueError as exc:
                errors[row] = str(exc)
        return pa.array(numbers, mask=suppressed), suppressed, errors

    def _dims(self, columns: dict[str, pa.Array]) -> _TextColumn:
        """Each row's set of dimension values (empty cells left out), as its key in the store."""
        names = self.layout.dims
        if not names:
            return _TextColumn([self.dims.checked(())], np.zeros(len(columns["series"]), dtype=np.int32))
        encoded = [pc.dictionary_encode(columns[name]) for name in names]
        texts = [e.dictionary.to_pylist() for e in encoded]
        indices = np.stack([e.indices.to_numpy(zero_copy_only=False) for e in encoded], axis=1)
        combos, index = np.unique(indices, axis=0, return_inverse=True)
        distinct = [self.dims.checked(tuple((name, texts[j][i]) for j, (name, i) in enumerate(zip(names, combo,
                                                                                                     strict=True))
                                            if texts[j][i]))
                    for combo in combos.tolist()]
        return _TextColumn(distinct, index.reshape(-1).astype(np.int32))

    def _errors(self, rows: np.ndarray, bad: np.ndarray, checks: list[tuple[str, Callable[[int], str | None]]]
                ) -> None:
        """The messages of the first wrong rows of a batch, in the order the row's columns are checked."""
        self.batches.clear()  # the file is refused: its observations are not needed any more
        for row in np.flatnonzero(bad)[:max(_MAX_ERRORS - self.bad_rows, 0)].tolist():
            for order, (column, error) in enumerate(checks):
                message = error(row)
                if message:
                    self.errors.append(_RowError(int(rows[row]), order, message, column))
        self.bad_rows += int(bad.sum())

    def result(self, reader: _BlockReader) -> pa.Table:
        """The observations, or every error up to the fiftieth with its line in the file."""
        errors = self.errors + self._duplicates()
        if errors or reader.refused:
            raise InputErrors(self._located(errors, reader))
        if not self.batches:
            raise InputError("filen har ingen datarækker", file=self.path, row=self.layout.start + 2)
        table = pa.Table.from_batches(self.batches, _SCHEMA)
        self.batches.clear()
        lines, _ = reader.lines(table.column(ROW).to_numpy())
        return table.set_column(table.schema.get_field_index(ROW), ROW, pa.array(lines, pa.int32()))

    def _duplicates(self) -> list[_RowError]:
        """The first observations that stand in the file before, each naming the row where it stands first."""
        if not self.keys:
            return []
        combined = _combined(np.concatenate(self.keys))
        self.keys.clear()
        order = np.argsort(combined, kind="stable")  # equal keys in file order
        ranked = combined[order]
        del combined
        again = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1  # in sorted order: the same key as the one before
        if not len(again):
            return []
        starts = np.ones(len(ranked), dtype=bool)
        starts[again] = False
        first_of_run = np.maximum.accumulate(np.where(starts, np.arange(len(ranked)), 0))
        rows = np.concatenate(self.key_rows)
        pairs = sorted(zip(rows[order[again]].tolist(), rows[order[first_of_run[again]]].tolist(), strict=True))
        return [_RowError(row, len(REQUIRED), "", "value", first) for row, first in pairs[:_MAX_ERRORS]]

    def _located(self, errors: list[_RowError], reader: _BlockReader) -> list[InputError]:
        """The errors in file order with their lines, the ragged rows' among them, cut after the fiftieth."""
        rows = [e.row for e in errors] + [e.first for e in errors if e.first is not None]
        lines, ragged = reader.lines(np.array(rows, dtype=np.int64))
        line_of = dict(zip(rows, lines.tolist(), strict=True))
        located = [(line_of[e.row], e.order, e.column,
                    e.message or f"samme observation står også i række {line_of[e.first]}") for e in errors]
        located += [(line, 0, None, f"rækken har {cells} felter, overskriften {len(self.layout.header)}")
                    for line, cells in zip(ragged, reader.refused, strict=False)]
        located.sort(key=lambda e: e[:2])
        kept: list[InputError] = []
        for index, (line, _, column, message) in enumerate(located):
            kept.append(InputError(message, file=self.path, row=line, column=column))
            if len(kept) >= _MAX_ERRORS and (index + 1 == len(located) or located[index + 1][0] != line):
                break
        return kept


def _combined(keys: np.ndarray) -> np.ndarray:
    """The rows of ``keys`` (codes from 0) as one number each: the codes side by side when they fit in 63 bits,
    else the rows' ranks among the distinct rows."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    sizes = keys.max(axis=0).astype(np.int64) + 1
    if float(np.prod(sizes.astype(float))) >= 2.0 ** 62:
        return np.unique(keys, axis=0, return_inverse=True)[1].reshape(-1)
    combined = np.zeros(len(keys), dtype=np.int64)
    for column, size in enumerate(sizes.tolist()):
        combined *= size
        combined += keys[:, column]
    return combined


_TEXT = pa.dictionary(pa.int32(), pa.string())
# observation_schema's columns, the texts dictionary-encoded (a file repeats them), and each row's line
_SCHEMA = pa.schema([pa.field(f.name, _TEXT if f.type == pa.string() else f.type) for f in observation_schema()]
                    + [pa.field(ROW, pa.int32())])
