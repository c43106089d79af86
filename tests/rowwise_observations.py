"""The row-wise reader of the generic observations CSV that ``maaltal.sources.observations_csv`` replaced
(one Python ``Observation`` per row: a 53 MB file took 1,96 GB, issue 14), kept unchanged as the reference
the columnar reader is compared with, observation by observation and error by error."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from maaltal import inputfile, kinds
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Period
from maaltal.sources.cells import is_suppressed, parse_number
from maaltal.sources.header import check_unique
from maaltal.sources.progress import Progress, counted
from maaltal.store import Observation

REQUIRED = ("series", "area", "period", "value", "unit")
_SERIES_ID = re.compile(r"^[\wæøåÆØÅ][\wæøåÆØÅ.\-]*$")
_MAX_ERRORS = 50


def read(path: str | Path, registry: AreaRegistry, progress: Progress | None = None) -> list[Observation]:
    """Read and check the whole file; raise :class:`InputErrors` listing every problem found."""
    path = Path(path)
    lines = inputfile.read_text(path).splitlines()
    if not lines or not lines[0].strip():
        raise InputError("filen er tom; første række skal være overskrifterne", file=path, row=1)
    start = _header_line(lines)
    delimiter = _delimiter(lines[start])
    reader = csv.reader(lines[start:], delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"kolonnen mangler (påkrævet: {', '.join(REQUIRED)})", file=path, row=start + 1,
                         column=missing[0])
    check_unique(header, file=path, row=start + 1)
    if "" in header:
        raise InputError(f"kolonne nr. {header.index('') + 1} har ingen overskrift", file=path, row=start + 1)

    dim_columns = [h for h in header if h not in REQUIRED]
    errors: list[InputError] = []
    observations: list[Observation] = []
    seen: dict[tuple, int] = {}
    shared = _Interned()
    for row_number, cells in counted(enumerate(reader, start=start + 2), len(lines) - start - 1, progress):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(InputError(f"rækken har {len(cells)} felter, overskriften {len(header)}",
                                     file=path, row=row_number))
        else:
            record = dict(zip(header, (c.strip() for c in cells), strict=True))
            obs = _observation(record, dim_columns, registry, delimiter == ";",
                               lambda msg, col, r=row_number: errors.append(
                                   InputError(msg, file=path, row=r, column=col)), shared)
            if obs is not None:
                key = (obs.series, obs.area, obs.period, id(obs.dims))  # equal dimension values: one dict
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
        raise InputError("filen har ingen datarækker", file=path, row=start + 2)
    return observations


def _delimiter(line: str) -> str:
    return ";" if line.count(";") > line.count(",") else ","


def _header_line(lines: list[str], search: int = 20) -> int:
    """The index of the first line naming the required columns; title lines above it are skipped.

    Without one, the first line is the header, and its missing column is the error.
    """
    for index, line in enumerate(lines[:search]):
        cells = {c.strip().lower() for c in next(csv.reader([line], delimiter=_delimiter(line)), [])}
        if all(column in cells for column in REQUIRED):
            return index
    return 0


class _Interned:
    """One object per distinct text of a file's repeated cells (series, unit, period, the dimension values),
    so a file of a million rows holds a few hundred periods and dimension sets, not a million of each."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.periods: dict[str, Period] = {}
        self.dims: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}

    def text(self, value: str) -> str:
        return self.texts.setdefault(value, value)

    def period(self, text: str) -> Period:
        found = self.periods.get(text)
        if found is None:
            found = self.periods[text] = Period.parse(text)
        return found

    def dimensions(self, items: tuple[tuple[str, str], ...]) -> dict[str, str]:
        found = self.dims.get(items)
        if found is None:
            found = self.dims[items] = dict(items)
        return found


def _observation(record: dict[str, str], dim_columns: list[str], registry: AreaRegistry,
                 decimal_comma: bool, report, shared: _Interned) -> Observation | None:
    ok = True
    series = record["series"]
    if not _SERIES_ID.match(series):
        report(f"'{series}' er ikke et serienavn (bogstaver, tal, _ . -; ingen mellemrum)", "series")
        ok = False
    area = None
    try:
        area = registry.get(record["area"]).id
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
    dims = shared.dimensions(tuple((c, record[c]) for c in dim_columns if record[c]))
    return Observation(shared.text(series), area, period, value, shared.text(record["unit"]), dims, suppressed)
