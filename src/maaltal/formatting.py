"""Danish formatting of numbers, periods and dates: the one place where figures become text.

Every renderer and every generated sentence formats through here, so "2,6 pct." is written one way and
rounded one way: half away from zero, as the official statistics and DuckDB round (Babel alone would
round half to even and turn 123,45 into 123,4).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from maaltal.periods import Freq, Period, PeriodRange

LOCALE = "da_DK"

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded half away from zero, through its shortest decimal text (2.675 → 2,68)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | None, decimals: int = 0, *, missing: str = "–") -> str:
    """``1.234,5``: thousands dot, decimal comma."""
    if value is None:
        return missing
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=False)


def signed(value: float | None, decimals: int = 0, *, missing: str = "–") -> str:
    """``+1,2`` / ``−0,4`` (a true minus sign) / ``0,0``: for developments in tables."""
    if value is None:
        return missing
    text = number(value, decimals)
    if round_half_up(value, decimals) > 0:
        return "+" + text
    return text.replace("-", "−")


def pct(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """``2,6 pct.``"""
    return missing if value is None else f"{number(value, decimals)} pct."


def percent(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """``−8,7 %``: a relative change."""
    return missing if value is None else f"{signed(value, decimals)} %"


def points(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """``0,1 procentpoint`` (magnitude only: the sentence says up or down)."""
    return missing if value is None else f"{number(abs(value), decimals)} procentpoint"


def value_with_unit(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value in its unit: ``2,6 pct.``, ``3.603 fuldtidspersoner``."""
    if unit == "pct.":
        return pct(value, 1 if decimals is None else decimals)
    return f"{number(value, 0 if decimals is None else decimals)} {unit}".strip()


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def period(p: Period | PeriodRange) -> str:
    """``juni 2022``, ``3. kvartal 2023``, ``2023``, ``4 kvartaler til og med 4. kvartal 2022``."""
    if isinstance(p, PeriodRange):
        if p.start == p.end:
            return period(p.start)
        if p.start.year == p.end.year and p.start.freq is Freq.MONTH:
            return f"{month_name(p.start.index)}–{month_name(p.end.index)} {p.end.year}"
        return f"{period(p.start)} – {period(p.end)}"
    if p.freq is Freq.MONTH:
        return f"{month_name(p.index)} {p.year}"
    if p.freq is Freq.QUARTER:
        return f"{p.index}. kvartal {p.year}"
    if p.freq is Freq.QMAT:
        return f"4 kvartaler til og med {p.index}. kvartal {p.year}"
    return str(p.year)


MONTH_ABBREVIATIONS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
                       "dec.")


def period_compact(p: Period) -> str:
    """``okt. 2023``, ``3. kvt. 2023``: for chart axes, where the full label does not fit."""
    if p.freq is Freq.MONTH:
        return f"{MONTH_ABBREVIATIONS[p.index - 1]} {p.year}"
    if p.freq in (Freq.QUARTER, Freq.QMAT):
        return f"{p.index}. kvt. {p.year}"
    return str(p.year)


def period_short(p: Period) -> str:
    """``juni`` for a month, else the full label: for sentences that already named the year."""
    return month_name(p.index) if p.freq is Freq.MONTH else period(p)


def long_date(d: date) -> str:
    """``6. december 2023``."""
    return format_date(d, format="d. MMMM y", locale=LOCALE)


def kr(value: float | None, decimals: int = 0, *, missing: str = "–") -> str:
    """``714.145 kr.``: an amount in kroner."""
    return missing if value is None else f"{number(value, decimals)} kr."


def mio_kr(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """``131,7 mio. kr.``: an amount given in millions of kroner, as budgets are kept."""
    return missing if value is None else f"{number(value, decimals)} mio. kr."


def sentence(text: str) -> str:
    """``text`` ending with one full stop, also after an abbreviation: "… 34,0 pct." not "… 34,0 pct..\""""
    return text if text.endswith(".") else text + "."


def meeting_date(d: date) -> str:
    """``Mandag d. 5. september 2022``: how minutes head a meeting."""
    weekday = format_date(d, format="EEEE", locale=LOCALE)
    return f"{weekday.capitalize()} d. {long_date(d)}"


def short_date(d: date) -> str:
    """``05-09-2022``: the date as minutes write it in headings and decisions."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"
