"""Danish formatting of numbers, periods and dates: the one place where figures become text.

Every renderer and every generated sentence formats through here, so "2,6 pct." is written one way and
rounded one way: half away from zero, as the official statistics and DuckDB round (Babel alone would
round half to even and turn 123,45 into 123,4).

It is also the Danish text toolkit for figures with a unit: what a series measures
(:mod:`maaltal.kinds`) decides its decimals ("0,6 procentpoint", "nr. 83 af 98", "131,7 mio. kr."), the
singular ("1 fuldtidsperson"), and how a change is worded ("et fald på 0,6 procentpoint", "1 plads frem",
"uændret"; a change in per cent only of counts and amounts from a positive base). A change over time is
the unrounded change rounded once (:func:`shown_change`), as a table's change cell prints it, so the
sentence and the table beside it always agree; a sentence that prints both levels ("fra … til …") and a gap
between two areas take the difference of the printed levels, the figures of it a reader sees there.
Values that print alike are "stort set uændret" or "på niveau".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from maaltal import kinds
from maaltal.kinds import Kind
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


def decimals(unit: str) -> int:
    """How many decimals a figure in ``unit`` is shown with (one for pct., procentpoint, mio. kr.)."""
    return kinds.decimals(kinds.kind_of(unit), unit)


def value_with_unit(value: float | None, unit: str, decimals: int | None = None, *, of: int | None = None) -> str:
    """A value in its unit: ``2,6 pct.``, ``0,6 procentpoint``, ``nr. 83 af 98``, ``1 fuldtidsperson``."""
    kind = kinds.kind_of(unit)
    places = kinds.decimals(kind, unit) if decimals is None else decimals
    if kind is Kind.SHARE:
        return pct(value, places)
    if kind is Kind.RANK:
        return rank(value, of)
    return counted(value, unit, places)


def counted(value: float | None, unit: str, decimals: int = 0) -> str:
    """``3.603 fuldtidspersoner``, ``1 fuldtidsperson``: the unit in the singular when the figure reads 1."""
    text = number(value, decimals)
    word = kinds.SINGULAR.get(kinds.normalise(unit), unit) if text in ("1", "-1") else unit
    return f"{text} {word}".strip()


def rank(value: float | None, of: int | None = None, *, missing: str = "–") -> str:
    """``nr. 83 af 98`` (``nr. 83`` when the number ranked is unknown)."""
    if value is None:
        return missing
    return f"nr. {number(value)}" + (f" af {number(of)}" if of else "")


def shown(value: float, unit: str, decimals: int | None = None) -> Decimal:
    """``value`` as it is printed in ``unit``: the number every sentence computes its differences from."""
    return round_half_up(value, kinds.decimals(kinds.kind_of(unit), unit) if decimals is None else decimals)


def shown_change(start: float, end: float, unit: str, decimals: int | None = None) -> Decimal:
    """The change from ``start`` to ``end`` as it is printed: the unrounded change rounded once, as the
    table's change cell shows it (49,4 → 55,8 is a change of 6, though the printed levels 49 and 56 are 7
    apart). Levels rounded before they are subtracted would make the sentence and the table disagree."""
    return shown(end - start, unit, decimals)


def change(start: float, end: float, unit: str, decimals: int | None = None, *, beside_levels: bool = False) -> str:
    """How a development from ``start`` to ``end`` is told: "en stigning på 60 fuldtidspersoner (+1,8 %)",
    "et fald på 0,6 procentpoint" (a share's change is in points), "1 plads frem" (a lower rank number is
    better), "uændret", or "stort set uændret" when the change prints as nothing but the values differ.
    The size is :func:`shown_change`, the table's change; ``beside_levels`` when the sentence prints both
    levels too ("fra 14,7 pct. til 14,8 pct., svarende til …"): then it is the difference of those printed
    levels, so that the sentence does not contradict itself. The change in per cent only for counts and
    amounts and only from a positive base."""
    kind = kinds.kind_of(unit)
    places = kinds.decimals(kind, unit) if decimals is None else decimals
    diff = (shown(end, unit, places) - shown(start, unit, places) if beside_levels
            else shown_change(start, end, unit, places))
    if diff == 0:
        return "uændret" if start == end else "stort set uændret"
    if kind is Kind.RANK:
        places_moved = int(abs(diff))
        return f"{places_moved} {'plads' if places_moved == 1 else 'pladser'} {'frem' if diff < 0 else 'tilbage'}"
    size = difference(float(abs(diff)), unit, places)
    if kinds.is_count(kind) and start > 0:
        size += f" ({percent((end / start - 1) * 100)})"
    return f"{'en stigning' if diff > 0 else 'et fald'} på {size}"


def development(change: float | None, unit: str, decimals: int | None = None) -> str:
    """A development told in a sentence, without a sign: "en stigning på 1,6 pct." (a change in per cent,
    unit ``%``), "et fald på 0,4 procentpoint" (a share's), "en stigning på 60 fuldtidspersoner"; "stort set
    uændret" when it prints as nothing. The signed form ("+1,6 %") belongs in table cells."""
    places = (kinds.decimals(kinds.kind_of(unit), unit) if decimals is None else decimals)
    if unit == "%":
        places = max(places, 1)
    if change is None or round_half_up(change, places) == 0:
        return "stort set uændret"
    size = f"{number(abs(change), places)} pct." if unit == "%" else difference(abs(change), unit, places)
    return f"{'en stigning' if change > 0 else 'et fald'} på {size}"


def difference(amount: float, unit: str, decimals: int | None = None) -> str:
    """The size of a difference (magnitude only) in its unit: a share's in procentpoint."""
    kind = kinds.kind_of(unit)
    places = kinds.decimals(kind, unit) if decimals is None else decimals
    if kind in (Kind.SHARE, Kind.POINTS):
        return points(amount, places)
    return counted(abs(amount), unit, places)


def gap(value: float, other: float, unit: str, decimals: int | None = None) -> str | None:
    """How far ``value`` lies above or below ``other`` as printed: "0,1 procentpoint under", "12 fuldtidspersoner
    over"; ``None`` when they print alike (on level)."""
    diff = shown(value, unit, decimals) - shown(other, unit, decimals)
    if diff == 0:
        return None
    return f"{difference(float(abs(diff)), unit, decimals)} {'under' if diff < 0 else 'over'}"


def in_text(name: str) -> str:
    """An area's name inside a sentence: "hele landet" in lower case, a proper name as it is."""
    return "hele landet" if name == "Hele landet" else name


def capital(text: str) -> str:
    """``text`` with its first letter in upper case, for a sentence that begins with a name."""
    return text[:1].upper() + text[1:]


def relative_change(value: float | None, decimals: int = 1) -> str:
    """A relative change in prose, without a sign: "steg 8,3 pct.", "faldt 0,4 pct.", "var stort set
    uændret" when it prints as 0 (the sign belongs in table cells, the words in sentences)."""
    return _moved(value, decimals, lambda v: f"{number(abs(v), decimals)} pct.")


def points_change(value: float | None, decimals: int = 1) -> str:
    """A change of a share in prose: "steg 0,3 procentpoint", "faldt 0,1 procentpoint", "var stort set
    uændret"."""
    return _moved(value, decimals, lambda v: points(v, decimals))


def _moved(value: float | None, decimals: int, amount: Callable[[float], str]) -> str:
    """ "steg …" / "faldt …" / "var stort set uændret", judged on the value as it prints."""
    if value is None:
        return "kan ikke opgøres"
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        return "var stort set uændret"
    return f"{'steg' if rounded > 0 else 'faldt'} {amount(value)}"


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
