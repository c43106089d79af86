"""The errors maaltal raises on purpose.

Every error a user can cause is a :class:`MaaltalError` whose message is Danish and complete, so the
command line can print it as it is and exit, without a traceback. Input errors carry the place they
point at (file, row, column) because an analyst with a 40.000-line extract needs to find the cell.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


class MaaltalError(Exception):
    """Base class of the errors meant for the user; the message is Danish."""


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem is: any part may be unknown."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    text_file: bool = False  # a YAML or text file has lines and fields, a table has rows and columns

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"fil {self.file}")
        if self.row is not None:
            parts.append(f"{'linje' if self.text_file else 'række'} {self.row}")
        if self.column is not None:
            parts.append(f"{'felt' if self.text_file else 'kolonne'} '{self.column}'")
        return ", ".join(parts)


class InputError(MaaltalError):
    """A problem in an input file, pointing at file, row and column."""

    def __init__(self, message: str, *, file: str | Path | None = None, row: int | None = None,
                 column: str | None = None, line: int | None = None, field: str | None = None) -> None:
        text_file = line is not None or field is not None
        self.location = Location(str(file) if file is not None else None, line if text_file else row,
                                 field if text_file else column, text_file)
        self.reason = message
        where = str(self.location)
        super().__init__(f"{where}: {message}" if where else message)


class InputErrors(MaaltalError):
    """Several input problems found in one pass, so the analyst can fix them all at once.

    ``total`` is how many problems the file has when only the first are kept as ``errors`` (a reader that
    counts every bad row but words only the first fifty), so the count the user reads is the true one.
    """

    def __init__(self, errors: list[InputError], *, limit: int = 20, total: int | None = None) -> None:
        self.errors = errors
        self.total = max(total or 0, len(errors))
        shown = [str(e) for e in errors[:limit]]
        more = self.total - len(shown)
        lines = [f"{self.total} fejl i input; intet er ændret:"] + [f"  {s}" for s in shown]
        if more > 0:
            lines.append(f"  … og {more} fejl mere")
        super().__init__("\n".join(lines))


class UnknownAreaError(MaaltalError):
    """An area id or name that is not in the master data or the benchmark groups."""


class PeriodError(MaaltalError):
    """A period that cannot be parsed or does not fit the operation."""


class NoDataError(MaaltalError):
    """The store holds no observation for what was asked."""


def why_unreadable(exc: OSError) -> str:
    """Why a file cannot be read, in Danish for the common cases (the system's own text is English): the
    one wording every reader of a user's file gives."""
    if isinstance(exc, FileNotFoundError):
        return "filen findes ikke"
    if isinstance(exc, PermissionError):
        return "du har ikke adgang til at læse den"
    if isinstance(exc, IsADirectoryError):
        return "det er en mappe, ikke en fil"
    return f"styresystemet afviser ({errno.errorcode.get(exc.errno or 0, 'ukendt fejl')})"
