"""Small hand-kept CSV files (budgets, caseloads, appeals decisions): rows of named, typed cells.

The analyst types these files in Excel, so every problem is collected with its file, row and column and
reported together (:class:`maaltal.errors.InputErrors`) before anything is computed. The conventions are
those of the generic observation file: separated by ``;`` the numbers are Danish (``1.234,5``), separated
by ``,`` English (``1234.5``). Lines starting with ``#`` are comments (the examples cite their sources
there); row numbers are the file's line numbers, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from maaltal.errors import InputError, InputErrors
from maaltal.inputfile import read_text
from maaltal.sources.cells import parse_number

_TRUE = frozenset({"ja", "j", "yes", "y", "true", "1", "x"})
_FALSE = frozenset({"nej", "n", "no", "false", "0", ""})


@dataclass
class CsvRecords:
    """The rows of one file and the problems found so far."""

    file: str
    decimal_comma: bool
    columns: tuple[str, ...]
    rows: list[Record] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(InputError(message, file=self.file, row=row, column=column))

    def check(self) -> None:
        """Raise every problem found, so that nothing is computed from a faulty file."""
        if self.errors:
            raise InputErrors(self.errors)


@dataclass
class Record:
    """One data row; its accessors record a problem and return ``None`` instead of raising."""

    owner: CsvRecords
    row: int
    cells: dict[str, str]

    def error(self, message: str, column: str | None = None) -> None:
        self.owner.error(message, self.row, column)

    def text(self, column: str, *, required: bool = True) -> str | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.error("feltet er tomt", column)
            return None
        return value

    def number(self, column: str, *, required: bool = True, minimum: float | None = None,
               integer: bool = False) -> float | None:
        """A number in the file's notation; ``minimum`` and ``integer`` say what makes sense here."""
        text = self.cells.get(column, "")
        if not text:
            if required:
                self.error("tallet mangler", column)
            return None
        value = _number(text, self.owner.decimal_comma, lambda m: self.error(m, column))
        if value is None:
            return None
        if integer and value != int(value):
            self.error(f"'{text}' skal være et helt tal", column)
            return None
        if minimum is not None and value < minimum:
            self.error(f"'{text}' må ikke være under {minimum:g}", column)
            return None
        return value

    def flag(self, column: str) -> bool:
        """A yes/no cell: ``ja``/``nej`` (also ``x``, ``1``/``0``); empty means no."""
        text = self.cells.get(column, "").lower()
        if text in _TRUE:
            return True
        if text not in _FALSE:
            self.error(f"'{text}' skal være ja eller nej", column)
        return False


def _number(text: str, decimal_comma: bool, report) -> float | None:
    """The cell as a number, or ``None`` after reporting why it is not one."""
    try:
        return parse_number(text, decimal_comma=decimal_comma)
    except ValueError as exc:
        report(str(exc))
        return None


def read(path: str | Path, required: Iterable[str], optional: Iterable[str] = ()) -> CsvRecords:
    """Read a file with the ``required`` columns (and any of ``optional``); unknown columns are errors,
    because a misspelt header would otherwise silently drop a column of figures."""
    path = Path(path)
    required, optional = tuple(required), tuple(optional)
    text = read_text(path)
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise InputError(f"filen er tom; første række skal være overskrifterne ({', '.join(required)})",
                         file=path, row=1)
    header_row, header_line = numbered[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    records = CsvRecords(str(path), delimiter == ";", tuple(header))
    for column in required:
        if column not in header:
            records.error(f"kolonnen mangler (påkrævet: {', '.join(required)})", header_row, column)
    for column in header:
        if column not in required and column not in optional:
            allowed = ", ".join(required + optional)
            records.error(f"ukendt kolonne (tilladte: {allowed})", header_row, column or "(tom)")
        elif header.count(column) > 1:
            records.error("kolonnen står mere end én gang", header_row, column)
    records.check()
    for row_number, line in numbered[1:]:
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
        if len(cells) != len(header):
            records.error(f"rækken har {len(cells)} felter, overskriften {len(header)}", row_number)
            continue
        records.rows.append(Record(records, row_number, dict(zip(header, cells, strict=True))))
    if not records.rows and not records.errors:
        records.error("filen har ingen datarækker", header_row + 1)
    return records
