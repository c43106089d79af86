"""Table cells as Danish text: the one mapping from a column's :class:`Format` to what a reader sees."""

from __future__ import annotations

from typing import Any

from maaltal import formatting as fmt
from maaltal.document import Column, Format

MISSING = "–"


def text(value: Any, column: Column) -> str:
    if value is None:
        return MISSING
    match column.format:
        case Format.TEXT:
            return str(value)
        case Format.NUMBER | Format.SHARE | Format.MIO_KR:
            return fmt.number(value, column.decimals)
        case Format.KR:
            return fmt.number(value, 0)
        case Format.POINTS | Format.CHANGE:
            return fmt.signed(value, column.decimals)
        case Format.CHANGE_PCT:
            return fmt.percent(value, column.decimals)
        case Format.RANK:
            rank, of = value
            return f"{rank} af {of}" if rank is not None else MISSING
    raise ValueError(f"unknown format {column.format}")


def is_numeric(column: Column) -> bool:
    """Whether the column is right-aligned (every format but text)."""
    return column.format is not Format.TEXT
