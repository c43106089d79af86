"""Reading the cells of official and local files: numbers in Danish or English notation, suppression."""

from __future__ import annotations

import re

# How the official sources mark a cell that is hidden for discretion (too few persons) or missing.
SUPPRESSED_MARKERS = frozenset({"..", "-", "null"})

_DANISH_NUMBER = re.compile(r"^[-+−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """A number as written in the file: ``1.234,5`` with ``decimal_comma``, else ``1234.5``.

    Raises ``ValueError`` with a Danish message for anything else, so the caller can add the location.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma and _DANISH_NUMBER.match(cleaned):
        return float(cleaned.replace("−", "-").replace(".", "").replace(",", "."))
    if not decimal_comma and _PLAIN_NUMBER.match(cleaned):
        return float(cleaned)
    notation = "dansk notation (fx 1.234,5)" if decimal_comma else "punktum som decimaltegn (fx 1234.5)"
    raise ValueError(f"'{text}' er ikke et tal med {notation}")


def is_suppressed(text: str | None) -> bool:
    """Whether a cell holds one of the official markers for a suppressed value."""
    return text is not None and text.strip().lower() in SUPPRESSED_MARKERS
