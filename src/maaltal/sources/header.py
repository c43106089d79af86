"""Checks of a file's header row that every tabular importer makes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from maaltal.errors import InputError


def check_unique(columns: Sequence[str], *, file: str | Path, row: int | None) -> None:
    """Refuse a header that names a column twice, naming the first such column in sort order.

    One count over the header, not one per column: a 40.000-column header took 50 seconds the quadratic
    way (issue 14).
    """
    duplicates = [name for name, count in Counter(columns).items() if count > 1]
    if duplicates:
        raise InputError("kolonnen står mere end én gang", file=file, row=row, column=min(duplicates))
