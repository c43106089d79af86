"""The row-wise spell import that the vectorised one replaced, kept only as the benchmark's reference:
the reader (``maaltal.sources.spell_reader`` now) and the observations built one Python object at a time
from the engine's rows (``maaltal.measures.spells.figures`` now). ``benchmarks/spell_import.py`` compares
every observation of the two."""
from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from maaltal import privacy
from maaltal.areas import AreaKind, AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures.spells import running, sql
from maaltal.measures.spells.engines import Engine
from maaltal.measures.spells.figures import (
    BAND_LABELS,
    DIMENSION_NAMES,
    DURATION_BANDS,
    ENDED,
    ENDED_DURATION,
    FTP,
    MONTH_END,
    PERSONS,
    TOTAL,
    grouping_sets,
)
from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Observation

log = logging.getLogger(__name__)

SOURCE = "spells"
# The column names a file may use for each field (lower case); the first is the documented one.
ALIASES: dict[str, tuple[str, ...]] = {
    "person": ("person", "cpr", "cprnr", "cpr_nr", "personnummer", "person_id", "personid"),
    "ydelse": ("ydelse", "ydelsesgruppe"),
    "start": ("start", "startdato", "start_dato"),
    "slut": ("slut", "slutdato", "slut_dato"),
    "kommune": ("kommune", "kommunekode"),
    "foedselsdato": ("fødselsdato", "foedselsdato"),
    "alder": ("alder",),
    "koen": ("køn", "koen"),
    "visitation": ("visitation", "visitationskategori"),
}
REQUIRED = ("person", "ydelse", "start", "slut", "kommune")
DEFAULT_AGE_LIMITS = (18, 30, 40, 50, 60)
_SEX = {"m": "mænd", "mand": "mænd", "mænd": "mænd", "k": "kvinder", "kvinde": "kvinder", "kvinder": "kvinder"}
_MAX_ERRORS = 50
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_DANISH_DATE = re.compile(r"^(?P<d>\d{2})([-.])(?P<m>\d{2})\2(?P<y>\d{4})$")
PROGRESS_ROWS = 200_000
_ARROW_SCHEMA = pa.schema([("person", pa.string()), ("kommune", pa.string()), ("ydelse", pa.string()),
                           ("alder", pa.string()), ("koen", pa.string()), ("visitation", pa.string()),
                           ("start_date", pa.date32()), ("end_date", pa.date32())])


def age_bands(limits: Sequence[int] = DEFAULT_AGE_LIMITS) -> list[tuple[int, str]]:
    """The bands as (lowest age, label): ``under 18``, ``18-29``, …, ``60 og derover``."""
    labels = [(0, f"under {limits[0]}")]
    labels += [(lo, f"{lo}-{hi - 1}") for lo, hi in zip(limits, limits[1:], strict=False)]
    return [*labels, (limits[-1], f"{limits[-1]} og derover")]


def band_of(age: int, bands: Sequence[tuple[int, str]]) -> str:
    return next(label for lo, label in reversed(bands) if age >= lo)


@dataclass(frozen=True)
class Spells:
    """Validated, pseudonymised spells, ready for the store; ``dimensions`` are the optional ones present."""

    table: pa.Table
    dimensions: tuple[str, ...]

    @property
    def months(self) -> PeriodRange:
        """From the month of the first start to the month of the last date in the file."""
        first = min(self.table.column("start_date").to_pylist())
        dates = [d for d in self.table.column("end_date").to_pylist() if d is not None]
        last = max([*dates, *self.table.column("start_date").to_pylist()])
        return PeriodRange(Period(Freq.MONTH, first.year, first.month), Period(Freq.MONTH, last.year, last.month))


class _Problems:
    """Collects input errors with the file, row and column, every message masked for CPR numbers."""

    def __init__(self, path: Path) -> None:
        self.path, self.errors = path, []

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(InputError(privacy.mask(message), file=privacy.mask(str(self.path)), row=row,
                                      column=column))

    @property
    def full(self) -> bool:
        return len(self.errors) >= _MAX_ERRORS


def read(path: str | Path, registry: AreaRegistry, pseudonymizer: privacy.Pseudonymizer | None, *,
         age_limits: Sequence[int] = DEFAULT_AGE_LIMITS, progress: Callable[[int], None] | None = None) -> Spells:
    """Read and check the whole file; raise :class:`InputErrors` with every problem, personal data masked."""
    path = Path(path)
    problems = _Problems(path)
    header, rows = _open(path, problems)
    columns = _columns(header, problems)
    bands = age_bands(age_limits)
    municipalities = {a.id for a in registry.of_kind(AreaKind.MUNICIPALITY)}
    out: dict[str, list] = {name: [] for name in _ARROW_SCHEMA.names}
    area_cache: dict[str, str | None] = {}
    for row_number, record in rows:
        if progress is not None:
            progress(1)
        if record is None:
            problems.add(f"rækken har et andet antal felter end overskriften ({len(header)})", row_number)
        else:
            spell = _spell(record, columns, row_number, problems, pseudonymizer, bands, registry,
                           municipalities, area_cache)
            if spell is not None:
                for name, value in zip(_ARROW_SCHEMA.names, spell, strict=True):
                    out[name].append(value)
        if problems.full:
            break
    if problems.errors:
        raise InputErrors(problems.errors)
    if not out["person"]:
        raise InputError("filen har ingen forløb", file=privacy.mask(str(path)), row=2)
    dimensions = tuple(d for d in ("alder", "koen") if d == "alder" or "koen" in columns)
    return Spells(pa.table(out, schema=_ARROW_SCHEMA), dimensions)


def count_rows(path: str | Path) -> int:
    """The number of data rows, cheaply, to size a progress bar."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as f:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 0)


def _open(path: Path, problems: _Problems) -> tuple[list[str], Iterator[tuple[int, dict[str, Any] | None]]]:
    if not path.is_file():
        raise InputError("filen findes ikke", file=privacy.mask(str(path)))
    if path.suffix.lower() == ".parquet":
        return _open_parquet(path)
    return _open_csv(path)


def _open_parquet(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any] | None]]]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"filen kan ikke læses som Parquet ({type(exc).__name__})",
                         file=privacy.mask(str(path))) from None
    header = [name.strip().lower() for name in parquet.schema_arrow.names]

    def rows() -> Iterator[tuple[int, dict[str, Any] | None]]:
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=65_536):
                for record in batch.to_pylist():
                    number += 1
                    yield number, {k.strip().lower(): v for k, v in record.items()}
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise InputError(f"filen kan ikke læses som Parquet ({type(exc).__name__})",
                             file=privacy.mask(str(path)), row=number + 1) from None
    return header, rows()


def _open_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any] | None]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        first = handle.readline()
    except UnicodeDecodeError as exc:
        raise InputError(f"filen er ikke UTF-8 (byte {exc.start})", file=privacy.mask(str(path))) from None
    if not first.strip():
        handle.close()
        raise InputError("filen er tom; første række skal være overskrifterne", file=privacy.mask(str(path)),
                         row=1)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:
        handle.close()
        raise InputError(f"overskriften kan ikke læses: {exc}", file=privacy.mask(str(path)), row=1) from None

    def rows() -> Iterator[tuple[int, dict[str, Any] | None]]:
        number = 1
        with handle:
            try:
                for cells in csv.reader(handle, delimiter=delimiter):
                    number += 1
                    if not any(c.strip() for c in cells):
                        continue
                    yield number, (dict(zip(header, cells, strict=True)) if len(cells) == len(header) else None)
            except csv.Error as exc:
                raise InputError(f"rækken kan ikke læses som CSV: {exc}", file=privacy.mask(str(path)),
                                 row=number + 1) from None
            except UnicodeDecodeError as exc:
                raise InputError(f"filen er ikke UTF-8 (byte {exc.start})", file=privacy.mask(str(path)),
                                 row=number + 1) from None
    return header, rows()


def _columns(header: list[str], problems: _Problems) -> dict[str, str]:
    """Which file column holds each field; a missing required one is an error on row 1."""
    found: dict[str, str] = {}
    for field, names in ALIASES.items():
        present = [h for h in header if h in names]
        if len(present) > 1:
            problems.add(f"feltet {field} står i flere kolonner: {', '.join(present)}", 1, present[1])
        if present:
            found[field] = present[0]
    for field in REQUIRED:
        if field not in found:
            problems.add(f"kolonnen mangler (påkrævet: {', '.join(ALIASES[f][0] for f in REQUIRED)} og "
                         "fødselsdato eller alder)", 1, ALIASES[field][0])
    if "foedselsdato" not in found and "alder" not in found:
        problems.add("der skal være en kolonne fødselsdato eller alder", 1, "fødselsdato")
    if problems.errors:
        raise InputErrors(problems.errors)
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date:
    """A date from ISO ``2021-03-01``, Danish ``01-03-2021`` / ``01.03.2021``, or a Parquet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _date_text(_text(value))


@lru_cache(maxsize=1 << 16)
def _date_text(text: str) -> date:
    """Parsed through a cache and without ``strptime``: an extract repeats its dates, and strptime was half
    the import time."""
    match = _ISO_DATE.match(text) or _DANISH_DATE.match(text)
    if match:
        year, month, day = match.group("y", "m", "d")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise ValueError(f"'{text}' er ikke en dato (skriv fx 2021-03-01 eller 01-03-2021)")


def _spell(record: dict[str, Any], columns: dict[str, str], row: int, problems: _Problems,
           pseudonymizer: privacy.Pseudonymizer | None, bands: Sequence[tuple[int, str]],
           registry: AreaRegistry, municipalities: set[str], area_cache: dict[str, str | None]) -> tuple | None:
    before = len(problems.errors)

    def cell(field: str) -> Any:
        return record.get(columns[field]) if field in columns else None

    person = _person(_text(cell("person")), row, columns["person"], problems, pseudonymizer)
    ydelse = _text(cell("ydelse")).lower()
    if not ydelse:
        problems.add("ydelsesgruppen mangler", row, columns["ydelse"])
    start = end = None
    try:
        start = _date(cell("start"))
    except ValueError as exc:
        problems.add(str(exc), row, columns["start"])
    if _text(cell("slut")):
        try:
            end = _date(cell("slut"))
        except ValueError as exc:
            problems.add(str(exc), row, columns["slut"])
    if start is not None and end is not None and end < start:
        problems.add(f"forløbet slutter ({end.isoformat()}) før det begynder ({start.isoformat()})", row,
                     columns["slut"])
    kommune = _municipality(_text(cell("kommune")), registry, municipalities, area_cache)
    if kommune is None:
        problems.add(f"'{_text(cell('kommune'))}' er ikke en kommune (kode eller navn, fx 167 eller Hvidovre)",
                     row, columns["kommune"])
    age = _age(cell, columns, start, row, problems)
    koen = None
    if "koen" in columns:
        text = _text(cell("koen")).lower()
        koen = _SEX.get(text, "uoplyst" if not text else None)
        if koen is None:
            problems.add(f"'{text}' er ikke et køn (M/K, mand/kvinde)", row, columns["koen"])
    visitation = _text(cell("visitation")).lower() or None
    for field, text in (("ydelse", ydelse), ("visitation", visitation or "")):
        if privacy.CPR_PATTERN.search(text):
            problems.add(f"cellen ligner et CPR-nummer ({text}); CPR-numre hører kun til i personkolonnen", row,
                         columns[field])
    if len(problems.errors) > before:
        return None
    return person, kommune, ydelse, band_of(age, bands), koen, visitation, start, end


def _person(text: str, row: int, column: str, problems: _Problems,
            pseudonymizer: privacy.Pseudonymizer | None) -> str | None:
    if not text:
        problems.add("personen mangler", row, column)
        return None
    if pseudonymizer is not None:
        return pseudonymizer.pseudonym(text)
    if privacy.CPR_PATTERN.search(text):
        raise InputError(privacy.mask(
            f"cellen har et CPR-nummer ({text}); CPR-numre indlæses kun med en pseudonymnøgle "
            f"(--key-file eller {privacy.KEY_ENV})"), file=privacy.mask(str(problems.path)), row=row, column=column)
    return text


def _municipality(text: str, registry: AreaRegistry, municipalities: set[str],
                  cache: dict[str, str | None]) -> str | None:
    if text not in cache:
        try:
            area = registry.get(text.zfill(3) if text.isdigit() and len(text) < 3 else text).id
        except MaaltalError:
            area = None
        cache[text] = area if area in municipalities else None
    return cache[text]


def _age(cell: Callable[[str], Any], columns: dict[str, str], start: date | None, row: int,
         problems: _Problems) -> int:
    """The age at the spell's start, from the birth date when the file has one, else the age column."""
    if "foedselsdato" in columns:
        try:
            born = _date(cell("foedselsdato"))
        except ValueError as exc:
            problems.add(str(exc), row, columns["foedselsdato"])
            return 0
        if start is None:
            return 0
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        if not 0 <= age <= 120:
            problems.add(f"fødselsdatoen giver alderen {age} ved forløbets start", row, columns["foedselsdato"])
        return age
    text = _text(cell("alder"))
    if not text.isdigit() or int(text) > 120:
        problems.add(f"'{text}' er ikke en alder i hele år (0-120)", row, columns["alder"])
        return 0
    return int(text)


# The observations as figures.py built them before, from the engine's rows.

def _dims(keys: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    dims = {DIMENSION_NAMES[k]: v for k, v in zip(keys, values, strict=True)}
    dims.setdefault("ydelse", TOTAL)
    return dims


def observations(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, regions: Mapping[str, str] | None = None) -> list[Observation]:
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
    return observations


def monthly(engine: Engine, months: sql.Months, dimensions: Sequence[str],
            threshold: int = privacy.DEFAULT_THRESHOLD, source: str | None = None) -> Iterator[Observation]:
    """Full-time persons and persons per municipality (or the area ``source`` puts in its place), month and
    every combination of ``dimensions``."""
    for combo in grouping_sets(dimensions):
        for kommune, *values, m, days_in_month, person_days, persons in _rows(
                running.monthly(source or engine.source, ("kommune", *combo), months).on(engine)):
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
    for kommune, ydelse, band, m, persons in _rows(
            running.month_end(engine.source, ("kommune", "ydelse"), months, DURATION_BANDS).on(engine)):
        dims = {"ydelse": ydelse, "varighed": BAND_LABELS[band]}
        yield Observation(MONTH_END, kommune, Period.from_ordinal(Freq.MONTH, m), persons, "personer", dims,
                          privacy.is_suppressed(persons, threshold))


def _rows(table) -> list[tuple]:
    """The rows of the engine's (now dense) result, as the row-wise importer read its query's rows."""
    return list(zip(*table.to_pydict().values(), strict=True))
