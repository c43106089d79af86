"""Reading a spell extract in vectorised form: parse, check, pseudonymise, all over whole columns.

Why columns and not rows: a decade of a municipality's spells is tens of millions of rows, and a Python
loop over them (a dict per row, a regular expression per cell, an HMAC per row) took minutes. Here the
CSV is parsed by pyarrow's multi-threaded reader into memory, and every check runs once per *distinct*
cell value (an extract repeats its dates, municipalities and benefit groups millions of times): each
column is dictionary-encoded, its dictionary checked and converted, and the result taken back to the
rows. Row-level checks (end before start, the age at the start) are array arithmetic.

CPR numbers never leave this process's memory in clear: the file is read into Arrow buffers, the keyed
pseudonym (HMAC-SHA256, :mod:`maaltal.privacy`) replaces the person column here, and only then does the
table go anywhere (DuckDB, the store). Nothing is written to disk on the way and the key is never stored.

Errors keep the row-wise importer's wording and order: the first bad rows of every check are found with
a vectorised mask, then worded with file, row and column (and the CPR numbers in them masked), at most
:data:`MAX_ERRORS` of them; the masks count all of them, so the error says how many the file has. Row
numbers are the file's: the header is row 1; blank lines count.

A CSV file is UTF-8, or Windows-1252 as Excel's "CSV (semikolonsepareret)" saves it, decided by the rule
every importer uses (:func:`maaltal.inputfile.decode`) and then transcoded to UTF-8 for pyarrow; a UTF-8
file is never decoded in Python (pyarrow checks it while parsing).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from maaltal import inputfile, privacy, yamlfile
from maaltal.areas import AreaKind, AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Freq, Period, PeriodRange

# The column names a file may use for each field (lower case); the first is the documented one.
ALIASES: dict[str, tuple[str, ...]] = {
    "person": ("person", "cpr", "cprnr", "cpr_nr", "personnummer", "person_id", "personid"),
    "ydelse": ("ydelse", "ydelsesgruppe"),
    "start": ("start", "startdato", "start_dato"),
    "slut": ("slut", "slutdato", "slut_dato"),
    "uge": ("uge", "ugenr", "ugenummer"),
    "kommune": ("kommune", "kommunekode"),
    "foedselsdato": ("fødselsdato", "foedselsdato"),
    "alder": ("alder",),
    "koen": ("køn", "koen"),
    "visitation": ("visitation", "visitationskategori"),
}
REQUIRED = ("person", "ydelse", "start", "slut", "kommune")
DEFAULT_AGE_LIMITS = (18, 30, 40, 50, 60)
MAX_ERRORS = 50
SEX = {"m": "mænd", "mand": "mænd", "mænd": "mænd", "k": "kvinder", "kvinde": "kvinder", "kvinder": "kvinder"}
ARROW_SCHEMA = pa.schema([("person", pa.string()), ("kommune", pa.string()), ("ydelse", pa.string()),
                          ("alder", pa.string()), ("koen", pa.string()), ("visitation", pa.string()),
                          ("start_date", pa.date32()), ("end_date", pa.date32())])
# What Python's str.strip() removes (every character whose isspace() is true), so a cell is trimmed exactly
# as the row-wise importer trimmed it; written out, as finding them among all 1,1 million characters took 0,4 s.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
               "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DANISH_DATE = r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$|^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
_WEEK = r"^[0-9]{4}-?[WwUu][0-9]{1,2}$"
# privacy.CPR_PATTERN in RE2 (no look-around): a CPR-shaped number not inside a longer run of digits.
_DIGIT = r"\p{Nd}"
_CPR_BODY = rf"(0[1-9]|[12]{_DIGIT}|3[01])(0[1-9]|1[0-2]){_DIGIT}{{2}}-?{_DIGIT}{{4}}"
_CPR_SEARCH = rf"(^|[^{_DIGIT}]){_CPR_BODY}($|[^{_DIGIT}])"
_CPR_FULL = rf"^{_CPR_BODY}$"


def age_bands(limits: Sequence[int] = DEFAULT_AGE_LIMITS) -> list[tuple[int, str]]:
    """The bands as (lowest age, label): ``under 18``, ``18-29``, …, ``60 og derover``."""
    labels = [(0, f"under {limits[0]}")]
    labels += [(lo, f"{lo}-{hi - 1}") for lo, hi in zip(limits, limits[1:], strict=False)]
    return [*labels, (limits[-1], f"{limits[-1]} og derover")]


def band_of(age: int, bands: Sequence[tuple[int, str]]) -> str:
    return next(label for lo, label in reversed(bands) if age >= lo)


@dataclass(frozen=True)
class Spells:
    """Validated, pseudonymised spells, ready for the store; ``dimensions`` are the optional ones present,
    ``sha256`` the checksum of the file they were read from (for the snapshot), ``encoding`` the one the
    file was read in."""

    table: pa.Table
    dimensions: tuple[str, ...]
    sha256: str
    encoding: str = inputfile.UTF8

    @property
    def notices(self) -> tuple[str, ...]:
        """What the user should know about how the file was read: its encoding, as every importer says it."""
        return (inputfile.CP1252_NOTE,) if self.encoding == inputfile.CP1252 else ()

    @property
    def months(self) -> PeriodRange:
        """From the month of the first start to the month of the last date in the file."""
        first, last_start = pc.min_max(self.table.column("start_date")).values()
        last_end = pc.max(self.table.column("end_date"))
        first, last = first.as_py(), max(d for d in (last_start.as_py(), last_end.as_py()) if d is not None)
        return PeriodRange(Period(Freq.MONTH, first.year, first.month), Period(Freq.MONTH, last.year, last.month))


# ---------------------------------------------------------------------------------------------------------
# Column mappings: the case system's own column names for maaltal's fields.

def field_of(name: str) -> str:
    """maaltal's field for a name a user writes (``cpr``, ``fødselsdato``, ``køn`` …); unknown names refused."""
    key = name.strip().lower()
    for field_name, names in ALIASES.items():
        if key == field_name or key in names:
            return field_name
    known = ", ".join(names[0] for names in ALIASES.values())
    raise MaaltalError(f"Ukendt felt '{name.strip()}' i kolonneoversættelsen; felterne er {known}")


def parse_mapping(text: str) -> dict[str, str]:
    """``ydelse=Ydelsesgruppe,start=IndsatsStartDato`` → {field: file column}, as ``--columns`` takes it."""
    mapping: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        name, sep, column = part.partition("=")
        if not sep or not column.strip():
            raise MaaltalError(f"--columns '{part.strip()}' skal skrives felt=kolonne, fx start=IndsatsStartDato")
        mapping[field_of(name)] = column.strip()
    return mapping


def load_mapping(path: str | Path) -> dict[str, str]:
    """A mapping file: YAML with one ``felt: Kolonne`` per line (see ``examples/spells/``)."""
    doc = yamlfile.load(path)
    if not isinstance(doc.data, dict) or not doc.data:
        raise InputError("kolonneoversættelsen skal være linjer med felt: Kolonne, fx start: IndsatsStartDato",
                         file=str(path), line=1)
    mapping: dict[str, str] = {}
    for name, column in doc.data.items():
        if not isinstance(column, str | int) or not str(column).strip():
            raise doc.error((name,), "skal være navnet på en kolonne i udtrækket")
        try:
            mapping[field_of(str(name))] = str(column).strip()
        except MaaltalError as exc:
            raise doc.error((name,), str(exc)) from None
    return mapping


# ---------------------------------------------------------------------------------------------------------
# The raw file: text columns in memory, and the way back from a table row to the file's row number.

@dataclass
class _Raw:
    """The file's columns as text (by lower-cased header name), and its rows that could not be parsed."""

    path: Path
    header: list[str]
    columns: dict[str, pa.Array]
    num_rows: int
    row_numbers: Callable[[], np.ndarray]
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    sha256: str = ""
    encoding: str = inputfile.UTF8  # or inputfile.CP1252: the file was transcoded to be read


class _Problems:
    """Errors as (row, order within the row, column, message); worded and masked once at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[tuple[int, int, str | None, str]] = []
        self.total = 0  # every error in the file, counted by the checks' masks: only the first are worded

    def error(self, message: str, row: int | None = None, column: str | None = None) -> InputError:
        return InputError(privacy.mask(message), file=privacy.mask(str(self.path)), row=row, column=column)

    def raise_all(self) -> None:
        """Raise the errors of the first rows, stopping after the row that reaches :data:`MAX_ERRORS`
        (as the row-wise check stopped reading there)."""
        if not self.found:
            return
        errors: list[InputError] = []
        ordered = sorted(self.found, key=lambda e: (e[0], e[1]))
        for number, (row, _, column, message) in enumerate(ordered):
            if len(errors) >= MAX_ERRORS and row != ordered[number - 1][0]:
                break
            errors.append(self.error(message, row, column))
        raise InputErrors(errors, total=self.total)


Select = Callable[[list[str]], Collection[str]]


def read_raw(path: Path, select: Select) -> _Raw:
    """The file's columns as text, only those ``select`` picks from the (lower-cased) header: an extract
    may have dozens; or a Danish error when the file cannot be read at all."""
    if not path.is_file():
        raise InputError("filen findes ikke", file=privacy.mask(str(path)))
    data = path.read_bytes()
    if data.startswith(_WORKBOOK_MAGIC):
        raise InputError(EXCEL_WORKBOOK, file=privacy.mask(str(path)))
    raw = (_read_parquet(path, data, select) if path.suffix.lower() == ".parquet"
           else _read_csv(path, data, select))
    raw.sha256 = hashlib.sha256(data).hexdigest()
    return raw


# An Excel workbook (.xlsx is a zip archive, .xls an OLE2 compound file) is not an extract yet.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
EXCEL_WORKBOOK = ("filen er en Excel-projektmappe, ikke en CSV-fil; gem den i Excel som »CSV UTF-8 "
                  "(kommasepareret)« eller »CSV (semikolonsepareret)« og indlæs den fil")
ONE_COLUMN = "overskriften har kun én kolonne; kolonnerne skal være adskilt med semikolon (;) eller komma (,)"
_OTHER_SEPARATORS = (("\t", "tabulator"), ("|", "lodret streg (|)"))
_PARQUET_MAGIC = b"PAR1"
_NOT_BLANK = re.compile(rb"\S")


def _read_parquet(path: Path, data: bytes, select: Select) -> _Raw:
    try:
        names = pq.read_schema(pa.BufferReader(data)).names
        header = [name.strip().lower() for name in names]
    except (pa.ArrowException, OSError, ValueError):
        raise _parquet_error(path, data) from None
    wanted = set(select(header))
    first = {}
    for index, name in enumerate(header):
        if name in wanted:
            first.setdefault(name, index)
    try:
        table = pq.read_table(pa.BufferReader(data), columns=[names[i] for i in first.values()])
    except (pa.ArrowException, OSError, ValueError):
        raise _parquet_error(path, data) from None
    columns = {name: _as_text(table.column(position)) for position, name in enumerate(first)}
    first_row = np.arange(1, table.num_rows + 1)  # Parquet has no header row: the first row is row 1
    return _Raw(path, header, columns, table.num_rows, lambda: first_row)


def _parquet_error(path: Path, data: bytes) -> InputError:
    """What is wrong with a file pyarrow cannot read as Parquet, in Danish: a Parquet file begins and ends
    with ``PAR1``, so a file without it at the start is another kind, one without it at the end cut short."""
    if not data.startswith(_PARQUET_MAGIC):
        reason = ("filen er ikke en Parquet-fil, selv om navnet ender på .parquet; gem udtrækket som Parquet, "
                  "eller som CSV med endelsen .csv")
    elif not data.endswith(_PARQUET_MAGIC) or len(data) < 12:
        reason = "Parquet-filen er ufuldstændig (slutningen mangler); gem eller hent den igen"
    else:
        reason = "Parquet-filen er beskadiget eller skrevet på en måde, der ikke kan læses; gem den igen"
    return InputError(reason, file=privacy.mask(str(path)))


def _as_text(column: pa.ChunkedArray) -> pa.Array:
    """A Parquet column as the text the row-wise importer saw: dates as ISO dates, missing as empty."""
    column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.date32())
    if pa.types.is_date(column.type):
        column = pc.strftime(column.cast(pa.date32()), format="%Y-%m-%d")
    elif not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return pc.fill_null(column, "")


class _NotUtf8(Exception):
    """Raised inside :func:`_parse_csv` when the file is not UTF-8 (at byte ``position``): the encoding is
    decided then, not before, so a UTF-8 file (nearly every one) is checked only by pyarrow as it parses."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


def _read_csv(path: Path, data: bytes, select: Select) -> _Raw:
    """The CSV's columns; a file that is not UTF-8 is read as Windows-1252 when the common rule says it is
    (:func:`maaltal.inputfile.decode`), transcoded to UTF-8, with the same rows and row numbers."""
    try:
        return _parse_csv(path, data, select)
    except _NotUtf8 as exc:
        position = exc.position
    raw = _parse_csv(path, _from_cp1252(path, data, position), select)
    raw.encoding = inputfile.CP1252
    return raw


def _from_cp1252(path: Path, data: bytes, position: int) -> bytes:
    """The file transcoded from Windows-1252 to UTF-8, or the Danish error naming the first byte that is not
    UTF-8 (at ``position``) and its row when the file is not plainly Danish text in Windows-1252 either."""
    try:
        return inputfile.decode(data, privacy.mask(str(path))).text.encode("utf-8")
    except InputError:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise  # the common reader's own message: saved as UTF-16
    row = data.count(b"\n", 0, position) + 1
    raise InputError(f"filen er ikke UTF-8 (byte {position}), og tegnsættet kan ikke afgøres sikkert; "
                     f"{inputfile.SAVE_AS_UTF8}", file=privacy.mask(str(path)), row=row) from None


def _parse_csv(path: Path, data: bytes, select: Select) -> _Raw:
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    end = min((i for i in (data.find(b"\n", start), data.find(b"\r", start)) if i >= 0), default=len(data))
    try:
        first = data[start:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _NotUtf8(start + exc.start) from None
    if not first.strip():
        raise InputError("filen er tom; første række skal være overskrifterne", file=privacy.mask(str(path)), row=1)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:
        raise InputError(f"overskriften kan ikke læses: {exc}", file=privacy.mask(str(path)), row=1) from None
    if len(header) == 1:
        raise _one_column(path, first)
    body = end + (2 if data[end:end + 2] == b"\r\n" else 1)
    chosen = set(select(header))
    if _NOT_BLANK.search(data, body) is None:  # only the header: pyarrow would say "Empty CSV file"
        raise InputError("filen har ingen forløb", file=privacy.mask(str(path)), row=2)
    wanted = {}
    for index, name in enumerate(header):
        if name in chosen:
            wanted.setdefault(name, index)
    names = [f"c{i}" for i in range(len(header))]
    invalid: list[str] = []

    def invalid_row(row: pacsv.InvalidRow) -> str:
        if row.text.replace(delimiter, "").replace('"', "").strip():
            invalid.append(row.text)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[body:]),
            read_options=pacsv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             invalid_row_handler=invalid_row),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 include_columns=[names[i] for i in wanted.values()]))
    except pa.ArrowInvalid as exc:
        raise _csv_error(path, data, exc) from None
    columns = {name: table.column(names[index]).combine_chunks() for name, index in wanted.items()}
    blank = _blank_rows(columns.values(), table.num_rows)
    if blank is not None:
        keep = pc.invert(blank)
        columns = {name: column.filter(keep) for name, column in columns.items()}
    locate = _RowLocator(data, body, delimiter, len(header), table.num_rows, blank)
    raw = _Raw(path, header, columns, len(next(iter(columns.values()))) if columns else 0, locate.numbers)
    if invalid:
        raw.bad_rows = [(row, f"rækken har et andet antal felter end overskriften ({len(header)})")
                        for row in locate.wrong_field_counts()]
    return raw


def _one_column(path: Path, header: str) -> InputError:
    """A header of one column: the file is separated by something else (a tab, say) or not a CSV at all."""
    used = [name for separator, name in _OTHER_SEPARATORS if separator in header]
    hint = f" (filen ser ud til at bruge {used[0]})" if used else ""
    return InputError(f"{ONE_COLUMN}{hint}", file=privacy.mask(str(path)), row=1)


def _blank_rows(columns, num_rows: int) -> pa.Array | None:
    """Rows whose every cell maaltal reads is blank (``;;;``): skipped, as empty lines are (the other columns
    of the extract are not read at all)."""
    blank = None
    for column in columns:
        empty = pc.equal(pc.utf8_length(pc.utf8_trim(column, _WHITESPACE)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():  # usually after the first column: no need to look at the others
            return None
    return blank


def _csv_error(path: Path, data: bytes, exc: pa.ArrowInvalid) -> InputError | _NotUtf8:
    """pyarrow's complaint: bad UTF-8 is :class:`_NotUtf8` (the encoding is decided then), anything else
    worded in Danish with pyarrow's own words after it for the curious."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        return _NotUtf8(bad.start)
    return InputError(privacy.mask(f"filen kan ikke læses som CSV (CSV-læseren svarer: {exc})"),
                      file=privacy.mask(str(path)))


class _RowLocator:
    """The file row of every table row, found only when an error needs it.

    When every line after the header is one row, row = index + 2. Otherwise (blank lines, values with line
    breaks, rows with the wrong number of fields) the records are counted once with Python's csv reader.
    """

    def __init__(self, data: bytes, body: int, delimiter: str, width: int, parsed: int,
                 blank: pa.Array | None) -> None:
        self._data, self._body, self._delimiter, self._width = data, body, delimiter, width
        self._parsed, self._blank = parsed, blank
        self._records: list[tuple[int, int]] | None = None

    def numbers(self) -> np.ndarray:
        lines = self._data.count(b"\n", self._body) + (not self._data.endswith(b"\n") and self._body < len(self._data))
        if self._blank is None and lines == self._parsed and b"\r" not in self._data[self._body:]:
            return np.arange(2, self._parsed + 2)
        kept = np.array([number for number, cells in self._scan() if cells == self._width], dtype=np.int64)
        if len(kept) != self._parsed:  # the two parsers disagree on an odd file: fall back to the lines
            kept = np.arange(2, self._parsed + 2)
        if self._blank is not None:
            kept = kept[~self._blank.to_numpy(zero_copy_only=False)]
        return kept

    def wrong_field_counts(self) -> list[int]:
        return [number for number, cells in self._scan() if cells not in (self._width, -1)]

    def _scan(self) -> list[tuple[int, int]]:
        """(row number, number of cells or -1 for a blank record) for every record after the header."""
        if self._records is None:
            text = io.StringIO(self._data[self._body:].decode("utf-8", errors="replace"), newline="")
            self._records = []
            try:
                for number, cells in enumerate(csv.reader(text, delimiter=self._delimiter), start=2):
                    blank = not any(c.strip() for c in cells)
                    self._records.append((number, -1 if blank and len(cells) != self._width else len(cells)))
            except csv.Error:
                pass
        return self._records


# ---------------------------------------------------------------------------------------------------------
# The fields: which column holds each, then every check over whole columns.

def layout(header: list[str], mapping: Mapping[str, str] | None, problems: _Problems) -> dict[str, str]:
    """Which file column holds each field; a missing required one is an error on row 1."""
    found: dict[str, str] = {}
    errors: list[InputError] = []
    for field_name, column in (mapping or {}).items():
        if column.lower() not in header:
            errors.append(problems.error(f"kolonnen findes ikke i filen (kolonneoversættelsen: {field_name}="
                                         f"{column})", 1, column))
        found[field_name] = column.lower()
    taken = set(found.values())
    for field_name, names in ALIASES.items():
        if field_name in found:
            continue
        present = [h for h in header if h in names and h not in taken]
        if len(present) > 1:
            errors.append(problems.error(f"feltet {field_name} står i flere kolonner: {', '.join(present)}", 1,
                                         present[1]))
        if present:
            found[field_name] = present[0]
    weekly = "uge" in found and "start" not in found and "slut" not in found
    for field_name in REQUIRED:
        if field_name not in found and not (weekly and field_name in ("start", "slut")):
            errors.append(problems.error(
                f"kolonnen mangler (påkrævet: {', '.join(ALIASES[f][0] for f in REQUIRED)} og fødselsdato eller "
                "alder; eller uge i stedet for start og slut)", 1, ALIASES[field_name][0]))
    if "foedselsdato" not in found and "alder" not in found:
        errors.append(problems.error("der skal være en kolonne fødselsdato eller alder", 1, "fødselsdato"))
    if errors:
        raise InputErrors(errors)
    if not weekly:
        found.pop("uge", None)
    return found


@dataclass
class _Column:
    """One field's cells: their distinct trimmed values (the dictionary) and each row's index into it."""

    name: str
    values: pa.Array
    indices: np.ndarray

    @classmethod
    def of(cls, name: str, cells: pa.Array, lower: bool = False) -> _Column:
        encoded = pc.dictionary_encode(cells)
        values = pc.utf8_trim(encoded.dictionary, _WHITESPACE)
        if lower:
            values = pc.utf8_lower(values)
        return cls(name, values, encoded.indices.to_numpy(zero_copy_only=False))

    def rows(self, per_value: np.ndarray) -> np.ndarray:
        """A per-distinct-value array spread to the rows."""
        return per_value[self.indices]

    def text(self, row: int) -> str:
        return self.values[int(self.indices[row])].as_py()


@dataclass
class _Dates:
    """Parsed dates per row: days since 1970 (valid rows), year, month, day, and which rows parsed."""

    days: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    ok: np.ndarray


def _parse_dates(values: pa.Array) -> _Dates:
    """ISO ``2021-03-01`` or Danish ``01-03-2021`` / ``01.03.2021``, checked as a calendar date."""
    iso = pc.match_substring_regex(values, _ISO_DATE).to_numpy(zero_copy_only=False)
    danish = pc.match_substring_regex(values, _DANISH_DATE).to_numpy(zero_copy_only=False)
    text = pc.if_else(pa.array(iso | danish), values, "0001-01-01")
    iso_arr = pa.array(iso)

    def part(iso_at: tuple[int, int], danish_at: tuple[int, int]) -> np.ndarray:
        piece = pc.if_else(iso_arr, pc.utf8_slice_codeunits(text, *iso_at),
                           pc.utf8_slice_codeunits(pc.if_else(pa.array(danish), text, "00-00-0001"), *danish_at))
        return piece.cast(pa.int64()).to_numpy(zero_copy_only=False)

    year, month, day = part((0, 4), (6, 10)), part((5, 7), (3, 5)), part((8, 10), (0, 2))
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    month_days = month_days + ((month == 2) & leap)
    ok = (iso | danish) & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    y, m, d = np.where(ok, year, 1970), np.where(ok, month, 1), np.where(ok, day, 1)
    days = ((y - 1970) * 12 + m - 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + d - 1
    return _Dates(days, year, month, day, ok)


def _parse_weeks(values: pa.Array) -> _Dates:
    """ISO weeks ``2021-W05`` / ``2021W05`` (also ``U`` for uge): the Monday of the week."""
    ok = pc.match_substring_regex(values, _WEEK).to_numpy(zero_copy_only=False)
    text = pc.if_else(pa.array(ok), pc.utf8_upper(values), "1970W01")
    year = pc.utf8_slice_codeunits(text, 0, 4).cast(pa.int64()).to_numpy(zero_copy_only=False)
    week = pc.extract_regex(text, r"[WU](?P<w>[0-9]+)$").field("w").cast(pa.int64()).to_numpy(zero_copy_only=False)
    jan4 = ((year - 1970) * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 3
    monday1 = jan4 - (jan4 + 3) % 7  # 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays
    next_monday1 = _iso_week1(year + 1)
    weeks_in_year = (next_monday1 - monday1) // 7
    ok = ok & (year >= 1) & (week >= 1) & (week <= weeks_in_year)
    days = monday1 + (np.where(ok, week, 1) - 1) * 7
    dates = days.astype("datetime64[D]")
    ymd = dates.astype(object)
    return _Dates(days, np.array([d.year for d in ymd]), np.array([d.month for d in ymd]),
                  np.array([d.day for d in ymd]), ok)


def _iso_week1(year: np.ndarray) -> np.ndarray:
    jan4 = ((year - 1970) * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 3
    return jan4 - (jan4 + 3) % 7


class _Check:
    """Adds one check's bad rows, the first :data:`MAX_ERRORS` of them, with their message."""

    def __init__(self, problems: _Problems, row_numbers: Callable[[], np.ndarray]) -> None:
        self._problems, self._row_numbers, self._numbers = problems, row_numbers, None

    def __call__(self, bad: np.ndarray, order: int, column: str, message: Callable[[int], str]) -> None:
        rows = np.flatnonzero(bad)
        if not len(rows):
            return
        self._problems.total += len(rows)
        rows = rows[:MAX_ERRORS]
        if self._numbers is None:
            self._numbers = self._row_numbers()
        for row in rows.tolist():
            self._problems.found.append((int(self._numbers[row]), order, column, message(row)))

    def first_row(self, bad: np.ndarray) -> tuple[int, int] | None:
        rows = np.flatnonzero(bad)
        if not len(rows):
            return None
        if self._numbers is None:
            self._numbers = self._row_numbers()
        return int(rows[0]), int(self._numbers[rows[0]])


def _pseudonyms(values: pa.Array, pseudonymizer: privacy.Pseudonymizer) -> pa.Array:
    """The keyed pseudonym of every distinct person (trimmed), the same as ``Pseudonymizer.pseudonym``.

    A CPR number loses its hyphen first, so ``010203-1234`` and ``0102031234`` are one person.
    """
    is_cpr = pc.match_substring_regex(values, _CPR_FULL)
    normalised = pc.if_else(is_cpr, pc.replace_substring(values, "-", ""), values)
    return pseudonymizer.pseudonyms(normalised.to_pylist())


def read(path: str | Path, registry: AreaRegistry, pseudonymizer: privacy.Pseudonymizer | None, *,
         age_limits: Sequence[int] = DEFAULT_AGE_LIMITS, columns: Mapping[str, str] | None = None,
         progress: Callable[[int], None] | None = None) -> Spells:
    """Read and check the whole file: the spells, or :class:`InputErrors` with the problems of the first bad
    rows, personal data masked.

    ``columns`` maps maaltal's fields to the extract's own column names (``{"start": "IndsatsStartDato"}``).
    """
    problems = _Problems(Path(path))
    found: dict[str, str] = {}

    def select(header: list[str]) -> Collection[str]:
        found.update(layout(header, columns, problems))
        return found.values()
    raw = read_raw(Path(path), select)
    table = _check(raw, found, problems, registry, pseudonymizer, age_bands(age_limits))
    if progress is not None:
        progress(raw.num_rows)
    if table.num_rows == 0:
        raise InputError("filen har ingen forløb", file=privacy.mask(str(raw.path)), row=2)
    dimensions = tuple(d for d in ("alder", "koen") if d == "alder" or "koen" in found)
    return Spells(table, dimensions, raw.sha256, raw.encoding)


def _check(raw: _Raw, found: dict[str, str], problems: _Problems, registry: AreaRegistry,
           pseudonymizer: privacy.Pseudonymizer | None, bands: Sequence[tuple[int, str]]) -> pa.Table:
    """Every check over whole columns, in the row-wise importer's order within a row; the spells table."""
    check = _Check(problems, raw.row_numbers)
    for row, message in raw.bad_rows:
        problems.found.append((row, 0, None, message))
    problems.total += len(raw.bad_rows)
    cells = {f: _Column.of(c, raw.columns[c], lower=f in ("ydelse", "koen", "visitation")) for f, c in found.items()}
    person = cells["person"]
    person_empty = person.rows(pc.equal(pc.utf8_length(person.values), 0).to_numpy(zero_copy_only=False))
    check(person_empty, 1, person.name, lambda r: "personen mangler")
    ydelse = cells["ydelse"]
    check(ydelse.rows(pc.equal(pc.utf8_length(ydelse.values), 0).to_numpy(zero_copy_only=False)), 2, ydelse.name,
          lambda r: "ydelsesgruppen mangler")
    start, end, has_end = _spell_dates(cells, check)
    municipalities = _municipalities(cells["kommune"], registry)
    kommune = cells["kommune"]
    check(kommune.rows(pc.is_null(municipalities).to_numpy(zero_copy_only=False)), 6, kommune.name,
          lambda r: f"'{kommune.text(r)}' er ikke en kommune (kode eller navn, fx 167 eller Hvidovre)")
    age = _ages(cells, start, check)
    sex = _sex(cells.get("koen"), check)
    for order, field_name in ((9, "ydelse"), (10, "visitation")):
        if field_name in cells:
            column = cells[field_name]
            like_cpr = pc.match_substring_regex(column.values, _CPR_SEARCH).to_numpy(zero_copy_only=False)
            check(column.rows(like_cpr), order, column.name, lambda r, c=column: (
                f"cellen ligner et CPR-nummer ({c.text(r)}); CPR-numre hører kun til i personkolonnen"))
    if pseudonymizer is None:
        _refuse_cpr(person, check, problems)
    problems.raise_all()
    n = raw.num_rows
    pseudonyms = _pseudonyms(person.values, pseudonymizer) if pseudonymizer is not None else person.values
    visitation = cells.get("visitation")
    band_labels = np.array([label for _, label in bands], dtype=object)
    band_index = np.searchsorted(np.array([lo for lo, _ in bands[1:]]), age.clip(0), side="right")
    table = pa.table({
        "person": _spread(person, pseudonyms),
        "kommune": _spread(kommune, municipalities.to_numpy(zero_copy_only=False)),
        "ydelse": _spread(ydelse, ydelse.values.to_numpy(zero_copy_only=False)),
        "alder": pa.DictionaryArray.from_arrays(pa.array(band_index, pa.int32()), pa.array(band_labels))
        .cast(pa.string()),
        "koen": sex if sex is not None else pa.nulls(n, pa.string()),
        "visitation": (_spread(visitation, pc.if_else(pc.equal(pc.utf8_length(visitation.values), 0), None,
                                                      visitation.values).to_numpy(zero_copy_only=False))
                       if visitation is not None else pa.nulls(n, pa.string())),
        "start_date": pa.array(start.days.astype("datetime64[D]"), pa.date32()),
        "end_date": pa.array(end.days.astype("datetime64[D]"), pa.date32(), mask=~has_end),
    }, schema=ARROW_SCHEMA)
    return _merge_weeks(table) if "uge" in found else table


def _refuse_cpr(person: _Column, check: _Check, problems: _Problems) -> None:
    """Without a key a CPR number in the person column stops the import at its row, as the row-wise check
    did, unless that check had already stopped at :data:`MAX_ERRORS` errors in earlier rows."""
    first = check.first_row(person.rows(pc.match_substring_regex(person.values, _CPR_SEARCH)
                                        .to_numpy(zero_copy_only=False)))
    if first is None:
        return
    index, row = first
    if sum(1 for r, *_ in problems.found if r < row) >= MAX_ERRORS:
        return
    raise problems.error(f"cellen har et CPR-nummer ({person.text(index)}); CPR-numre indlæses kun med en "
                         f"pseudonymnøgle (--key-file eller {privacy.KEY_ENV})", row, person.name)


def _spell_dates(cells: dict[str, _Column], check: _Check) -> tuple[_Dates, _Dates, np.ndarray]:
    """Start and end per row, and which rows have an end; a weekly file's week gives Monday to Sunday."""
    if "uge" in cells:
        week = cells["uge"]
        start = _spread_dates(week, _parse_weeks(week.values))
        check(~start.ok, 3, week.name, lambda r: f"'{week.text(r)}' er ikke en uge (skriv fx 2021-W05)")
        end = _Dates(start.days + 6, start.year, start.month, start.day, start.ok)
        return start, end, np.ones(len(start.days), dtype=bool)
    first, last = cells["start"], cells["slut"]
    start = _spread_dates(first, _parse_dates(first.values))
    check(~start.ok, 3, first.name, lambda r: _not_a_date(first.text(r)))
    end = _spread_dates(last, _parse_dates(last.values))
    has_end = last.rows(pc.greater(pc.utf8_length(last.values), 0).to_numpy(zero_copy_only=False))
    check(has_end & ~end.ok, 4, last.name, lambda r: _not_a_date(last.text(r)))
    before = start.ok & has_end & end.ok & (end.days < start.days)
    check(before, 5, last.name, lambda r: (f"forløbet slutter ({_iso(end.days[r])}) før det begynder "
                                           f"({_iso(start.days[r])})"))
    return start, end, has_end


def _not_a_date(text: str) -> str:
    return f"'{text}' er ikke en dato (skriv fx 2021-03-01 eller 01-03-2021)"


def _iso(days: int) -> str:
    return str(np.datetime64(int(days), "D"))


def _spread_dates(column: _Column, parsed: _Dates) -> _Dates:
    i = column.indices
    return _Dates(parsed.days[i], parsed.year[i], parsed.month[i], parsed.day[i], parsed.ok[i])


def _municipalities(column: _Column, registry: AreaRegistry) -> pa.Array:
    """The municipality code of every distinct cell (a code, ``61`` for ``061``, or a name), else null."""
    municipalities = {a.id for a in registry.of_kind(AreaKind.MUNICIPALITY)}
    codes = []
    for text in column.values.to_pylist():
        try:
            area = registry.get(text.zfill(3) if text.isdigit() and len(text) < 3 else text).id
        except MaaltalError:
            area = None
        codes.append(area if area in municipalities else None)
    return pa.array(codes, pa.string())


def _ages(cells: dict[str, _Column], start: _Dates, check: _Check) -> np.ndarray:
    """The age at the spell's start, from the birth date when the file has one, else the age column."""
    if "foedselsdato" in cells:
        column = cells["foedselsdato"]
        born = _spread_dates(column, _parse_dates(column.values))
        check(~born.ok, 7, column.name, lambda r: _not_a_date(column.text(r)))
        later = (start.month < born.month) | ((start.month == born.month) & (start.day < born.day))
        age = np.where(born.ok & start.ok, start.year - born.year - later, 0)
        check(born.ok & start.ok & ((age < 0) | (age > 120)), 7, column.name,
              lambda r: f"fødselsdatoen giver alderen {age[r]} ved forløbets start")
        return age
    column = cells["alder"]
    digits = pc.match_substring_regex(column.values, r"^[0-9]+$")
    short = pc.if_else(digits, pc.utf8_ltrim(column.values, "0"), "999")
    years = pc.if_else(pc.less_equal(pc.utf8_length(short), 3), short, "999")
    years = pc.if_else(pc.equal(pc.utf8_length(years), 0), "0", years).cast(pa.int64()).to_numpy(zero_copy_only=False)
    bad = column.rows(years > 120)
    check(bad, 7, column.name, lambda r: f"'{column.text(r)}' er ikke en alder i hele år (0-120)")
    return np.where(bad, 0, column.rows(years))


def _sex(column: _Column | None, check: _Check) -> pa.Array | None:
    if column is None:
        return None
    per_value = np.array([SEX.get(v, "uoplyst" if not v else None) for v in column.values.to_pylist()], dtype=object)
    check(column.rows(per_value == None), 8, column.name,  # noqa: E711 (element-wise)
          lambda r: f"'{column.text(r)}' er ikke et køn (M/K, mand/kvinde)")
    return _spread(column, per_value)


def _merge_weeks(table: pa.Table) -> pa.Table:
    """Weekly rows as spells: consecutive weeks of one person, benefit and municipality are one spell.

    A spell runs from the Monday of its first week to the Sunday of its last; a week missing in between
    ends it (the next week on the benefit starts a new spell). The age band, sex and visitation are those
    of the spell's first week. The same week twice counts once.
    """
    keys = ("person", "kommune", "ydelse")
    ordered = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in (*keys, "start_date")]))
    n = ordered.num_rows
    same = np.ones(max(n - 1, 0), dtype=bool)
    for key in keys:
        column = ordered.column(key).combine_chunks()
        same &= pc.equal(column.slice(1), column.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    start = ordered.column("start_date").combine_chunks().cast(pa.int32()).to_numpy(zero_copy_only=False)
    new = np.concatenate([[True], ~(same & (start[1:] <= start[:-1] + 7))])
    firsts = np.flatnonzero(new)
    lasts = np.append(firsts[1:] - 1, n - 1)
    merged = ordered.take(pa.array(firsts))
    return merged.set_column(merged.schema.get_field_index("end_date"), "end_date",
                             ordered.column("end_date").take(pa.array(lasts)))


def _spread(column: _Column, per_value: np.ndarray | pa.Array) -> pa.Array:
    """A per-distinct-value result as a string column of the rows."""
    values = per_value if isinstance(per_value, pa.Array) else pa.array(per_value, pa.string())
    return pc.take(values, pa.array(column.indices))
