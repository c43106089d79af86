"""Reading the cells of official and local files: numbers by notation or language, suppression, totals."""

from __future__ import annotations

import math
import re

# How the official sources mark a cell that is hidden for discretion (too few persons) or missing.
SUPPRESSED_MARKERS = frozenset({"..", "-", "null"})

# Codes and labels that mean "all values of this dimension": StatBank's codes (TOT, IALT) and labels in
# both languages ("I alt", "Alder i alt", "Total", "Age, total"), jobindsats' "Køn i alt".
TOTAL_CODES = frozenset({"tot", "ialt", "i alt", "total"})

_DANISH_NUMBER = re.compile(r"^[-+−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """A number as written in the file: ``1.234,5`` with ``decimal_comma``, else ``1234.5``.

    Raises ``ValueError`` with a Danish message for anything else, so the caller can add the location.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    value = None
    if decimal_comma and _DANISH_NUMBER.match(cleaned):
        value = float(cleaned.replace("−", "-").replace(".", "").replace(",", "."))
    if not decimal_comma and _PLAIN_NUMBER.match(cleaned):
        value = float(cleaned)
    if value is not None:
        if not math.isfinite(value):  # "1e400" overflows to infinity
            raise ValueError(f"'{text}' er for stort et tal")
        return value
    notation = "dansk notation (fx 1.234,5)" if decimal_comma else "punktum som decimaltegn (fx 1234.5)"
    raise ValueError(f"'{text}' er ikke et tal med {notation}")


def decimal_comma(lang: str) -> bool:
    """Whether an answer in ``lang`` writes decimals with a comma: StatBank's ``da`` does, ``en`` a point.

    So "1.250" is 1,25 in an English answer and 1.250 in a Danish one.
    """
    if lang not in ("da", "en"):
        raise ValueError(f"sproget '{lang}' kendes ikke; brug da eller en")
    return lang == "da"


def is_suppressed(text: str | None) -> bool:
    """Whether a cell holds one of the official markers for a suppressed value."""
    return text is not None and text.strip().lower() in SUPPRESSED_MARKERS


def is_total(text: str) -> bool:
    """Whether a dimension code or label means "in total" (``TOT``, ``IALT``, "Alder i alt", "Age, total")."""
    key = " ".join(str(text).strip().casefold().split())
    return key in TOTAL_CODES or key.endswith(" i alt") or key.endswith(", total")
