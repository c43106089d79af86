"""Periods as the official statistics write them: months, quarters, years and moving four quarters.

jobindsats writes ``2022M06``, ``2023Q3`` (v2) or ``2023Q03`` (v3), ``2025Y01`` and ``2022QMAT04``;
Statistics Denmark writes ``2023K3`` for a quarter. They all parse to one :class:`Period`, whose
``str()`` is the canonical form stored in the store (``2022M06``, ``2023Q3``, ``2023``, ``2022QMAT04``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from maaltal.errors import PeriodError


class Freq(StrEnum):
    """How long a period is. ``QMAT`` is a moving total of four quarters ending with a quarter."""

    MONTH = "M"
    QUARTER = "Q"
    YEAR = "Y"
    QMAT = "QMAT"

    @property
    def per_year(self) -> int:
        return {Freq.MONTH: 12, Freq.QUARTER: 4, Freq.YEAR: 1, Freq.QMAT: 4}[self]


_PATTERNS: list[tuple[re.Pattern[str], Freq]] = [
    (re.compile(r"^(\d{4})QMAT0?([1-4])$"), Freq.QMAT),
    (re.compile(r"^(\d{4})M(0[1-9]|1[0-2]|[1-9])$"), Freq.MONTH),
    (re.compile(r"^(\d{4})[QK]0?([1-4])$"), Freq.QUARTER),
    (re.compile(r"^(\d{4})(?:Y01)?$"), Freq.YEAR),
]


@dataclass(frozen=True)
class Period:
    """One period: ``freq``, ``year`` and ``index`` (month 1–12, quarter 1–4, 1 for a year)."""

    freq: Freq
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.freq.per_year:
            raise PeriodError(f"Ugyldig periode: {self.freq} {self.year} nr. {self.index}")

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Parse any of the official spellings; raise :class:`PeriodError` with the text otherwise."""
        if isinstance(text, Period):
            return text
        cleaned = str(text).strip().upper()
        for pattern, freq in _PATTERNS:
            match = pattern.match(cleaned)
            if match:
                index = int(match.group(2)) if freq is not Freq.YEAR else 1
                return cls(freq, int(match.group(1)), index)
        raise PeriodError(
            f"'{text}' er ikke en periode. Brug fx 2022M06 (måned), 2023Q3 eller 2023K3 (kvartal), "
            "2023 (år) eller 2022QMAT04 (løbende fire kvartaler)"
        )

    def __str__(self) -> str:
        if self.freq is Freq.MONTH:
            return f"{self.year}M{self.index:02d}"
        if self.freq is Freq.QUARTER:
            return f"{self.year}Q{self.index}"
        if self.freq is Freq.QMAT:
            return f"{self.year}QMAT{self.index:02d}"
        return f"{self.year}"

    def __repr__(self) -> str:
        return f"Period('{self}')"

    # Ordering and arithmetic -------------------------------------------------------------------

    @property
    def ordinal(self) -> int:
        """A running number within the frequency, so that periods can be subtracted."""
        return self.year * self.freq.per_year + self.index - 1

    @classmethod
    def from_ordinal(cls, freq: Freq, ordinal: int) -> Period:
        year, rest = divmod(ordinal, freq.per_year)
        return cls(freq, year, rest + 1)

    def _check_same_freq(self, other: Period) -> None:
        if self.freq is not other.freq:
            raise PeriodError(f"Perioderne {self} og {other} har ikke samme hyppighed")

    def __lt__(self, other: Period) -> bool:
        self._check_same_freq(other)
        return self.ordinal < other.ordinal

    def __le__(self, other: Period) -> bool:
        self._check_same_freq(other)
        return self.ordinal <= other.ordinal

    def __gt__(self, other: Period) -> bool:
        return other < self

    def __ge__(self, other: Period) -> bool:
        return other <= self

    def __add__(self, steps: int) -> Period:
        return Period.from_ordinal(self.freq, self.ordinal + steps)

    def __sub__(self, other: int) -> Period:
        return self + (-other)

    def steps_since(self, other: Period) -> int:
        """How many periods ``other`` lies before ``self`` (negative when after)."""
        self._check_same_freq(other)
        return self.ordinal - other.ordinal

    # Calendar ----------------------------------------------------------------------------------

    def months(self) -> list[Period]:
        """The calendar months the period covers (12 for a year and for a moving four quarters)."""
        last = self.last_month()
        count = {Freq.MONTH: 1, Freq.QUARTER: 3, Freq.YEAR: 12, Freq.QMAT: 12}[self.freq]
        return [last - (count - 1 - i) for i in range(count)]

    def last_month(self) -> Period:
        if self.freq is Freq.MONTH:
            return self
        if self.freq is Freq.YEAR:
            return Period(Freq.MONTH, self.year, 12)
        return Period(Freq.MONTH, self.year, self.index * 3)

    def first_month(self) -> Period:
        return self.months()[0]

    @property
    def start(self) -> date:
        first = self.first_month()
        return date(first.year, first.index, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        last = self.last_month()
        return date(last.year, last.index, calendar.monthrange(last.year, last.index)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def quarter(self) -> Period:
        """The quarter a month lies in."""
        if self.freq is not Freq.MONTH:
            raise PeriodError(f"{self} er ikke en måned")
        return Period(Freq.QUARTER, self.year, (self.index - 1) // 3 + 1)

    # Windows -------------------------------------------------------------------------------------

    def year_ago(self) -> Period:
        """The same period last year: the comparison every follow-up makes."""
        return self - self.freq.per_year

    def year_to_date(self) -> PeriodRange:
        """From the first period of the year up to and including this one."""
        if self.freq is Freq.QMAT:
            raise PeriodError("Løbende fire kvartaler har ikke et år-til-dato")
        return PeriodRange(Period(self.freq, self.year, 1), self)

    def calendar_year(self) -> PeriodRange:
        """Every period of this period's calendar year, in the same frequency."""
        return PeriodRange(Period(self.freq, self.year, 1), Period(self.freq, self.year, self.freq.per_year))

    def last_n(self, n: int) -> PeriodRange:
        """The ``n`` periods ending with this one (e.g. the last 12 months)."""
        return PeriodRange(self - (n - 1), self)


@dataclass(frozen=True)
class PeriodRange:
    """An inclusive range of periods of one frequency, such as a year to date."""

    start: Period
    end: Period

    def __post_init__(self) -> None:
        if self.start.freq is not self.end.freq:
            raise PeriodError(f"Perioderne {self.start} og {self.end} har ikke samme hyppighed")
        if self.end < self.start:
            raise PeriodError(f"Perioden {self.start}..{self.end} slutter før den begynder")

    @classmethod
    def parse(cls, text: str) -> PeriodRange:
        """Parse ``2022M01..2022M06`` (also ``:`` or ``-`` between), or one period as a range of one."""
        parts = re.split(r"\.\.|:|(?<=\d)-(?=\d)", text.strip())
        if len(parts) == 1:
            period = Period.parse(parts[0])
            return cls(period, period)
        if len(parts) != 2:
            raise PeriodError(f"'{text}' er ikke et periodeinterval; brug fx 2022M01..2022M06")
        return cls(Period.parse(parts[0]), Period.parse(parts[1]))

    def __iter__(self) -> Iterator[Period]:
        for ordinal in range(self.start.ordinal, self.end.ordinal + 1):
            yield Period.from_ordinal(self.start.freq, ordinal)

    def __len__(self) -> int:
        return self.end.ordinal - self.start.ordinal + 1

    def __contains__(self, period: object) -> bool:
        return (isinstance(period, Period) and period.freq is self.start.freq
                and self.start <= period <= self.end)

    def __str__(self) -> str:
        return f"{self.start}..{self.end}" if self.start != self.end else str(self.start)
