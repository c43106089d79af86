"""Forecast of transfer spending: full-time persons per benefit group × unit price, against the budget.

The year's volume is the average of its twelve months: the months the store has (``fuldtidspersoner`` by
``ydelse``) and the rest of the year projected by one of two documented methods:

- ``average3``: every remaining month equals the average of the last three actual months (fewer when the
  year has fewer). Simple and neutral; it assumes the level has settled.
- ``seasonal``: every remaining month follows last year's same month, scaled by how this year's actual
  months compare with last year's same months. It keeps the seasonal pattern of e.g. a-dagpenge.

Expected spend = average full-time persons × unit price per full-time person per year. The deviation
follows the budget's sign convention: budget minus expected spend, positive = underspend.

Unit prices: a CSV ``benefit,unit_price,budget`` with the unit price in kr. per full-time person per
year and the year's budget in mio. kr. (may be empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from maaltal.errors import InputError, MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Freq, Period
from maaltal.sources import records as csv_records

SERIES = "fuldtidspersoner"
DIMENSION = "ydelse"


class Method(StrEnum):
    AVERAGE3 = "average3"
    SEASONAL = "seasonal"

    @property
    def description(self) -> str:
        if self is Method.AVERAGE3:
            return "resten af året fremskrevet med gennemsnittet af de seneste tre måneder"
        return "resten af året fremskrevet med sidste års forløb, justeret med årets niveau mod sidste år"


@dataclass(frozen=True)
class UnitPrice:
    benefit: str
    unit_price: float  # kr. per full-time person per year
    budget: float | None  # mio. kr.
    row: int | None = None  # in the prices file, for error messages


@dataclass(frozen=True)
class GroupForecast:
    benefit: str
    actual: tuple[tuple[str, float], ...]
    projected: tuple[tuple[str, float], ...]
    average_ftp: float
    unit_price: float
    budget: float | None

    @property
    def expected(self) -> float:
        """Expected spend in mio. kr."""
        return self.average_ftp * self.unit_price / 1e6

    @property
    def deviation(self) -> float | None:
        return None if self.budget is None else self.budget - self.expected

    def to_dict(self) -> dict:
        return {"benefit": self.benefit, "actual": dict(self.actual), "projected": dict(self.projected),
                "average_ftp": self.average_ftp, "unit_price": self.unit_price, "expected": self.expected,
                "budget": self.budget, "deviation": self.deviation}


@dataclass(frozen=True)
class Forecast:
    area: str
    area_name: str
    year: int
    through: Period
    method: Method
    snapshot: int
    synthetic: bool
    groups: tuple[GroupForecast, ...]

    @property
    def average_ftp(self) -> float:
        return sum(g.average_ftp for g in self.groups)

    @property
    def expected(self) -> float:
        return sum(g.expected for g in self.groups)

    @property
    def budget(self) -> float | None:
        budgets = [g.budget for g in self.groups]
        return None if None in budgets else sum(budgets)

    @property
    def deviation(self) -> float | None:
        return None if self.budget is None else self.budget - self.expected

    def to_dict(self) -> dict:
        return {"area": self.area, "area_name": self.area_name, "year": self.year, "through": str(self.through),
                "method": self.method.value, "method_description": self.method.description,
                "snapshot": self.snapshot, "synthetic": self.synthetic, "unit": "mio. kr.",
                "groups": [g.to_dict() for g in self.groups], "average_ftp": self.average_ftp,
                "expected": self.expected, "budget": self.budget,
                "deviation": self.deviation}


def read_prices(path: str | Path) -> list[UnitPrice]:
    records = csv_records.read(path, ("benefit", "unit_price"), ("budget",))
    prices, seen = [], {}
    for rec in records.rows:
        benefit = rec.text("benefit")
        price = rec.number("unit_price", minimum=0)
        budget = rec.number("budget", required=False)
        if benefit is None or price is None:
            continue
        if benefit in seen:
            rec.error(f"ydelsen står også i række {seen[benefit]}", "benefit")
        seen.setdefault(benefit, rec.row)
        prices.append(UnitPrice(benefit, price, budget, rec.row))
    records.check()
    return prices


def forecast(engine: KeyFigureEngine, prices: list[UnitPrice], area: str, year: int, *, through: Period | None = None,
             method: Method = Method.AVERAGE3, source: str = "") -> Forecast:
    """The year's expected spend per benefit group from the store's actual months and a projection."""
    place = engine.registry.get(area)
    months = list(Period(Freq.MONTH, year, 1).calendar_year())
    indicators = {p.benefit: Indicator.of(SERIES, dims={DIMENSION: p.benefit}) for p in prices}
    if through is None:
        latest = [engine.latest_period(ind, place.id, months[-1]) for ind in indicators.values()]
        present = [p for p in latest if p is not None and p.year == year]
        if not present:
            raise MaaltalError(f"Datalageret har ingen {SERIES} for {place.name} i {year}")
        through = min(present)
    if through.freq is not Freq.MONTH or through.year != year:
        raise MaaltalError(f"--through skal være en måned i {year}, ikke {through}")
    actual_months = [m for m in months if m <= through]
    needed = actual_months + ([m - 12 for m in months] if method is Method.SEASONAL else [])
    groups = []
    for price in prices:
        values = engine.values(indicators[price.benefit], [place.id], needed)
        missing = [str(m) for m in needed if values[place.id, m].value is None]
        if missing:
            raise InputError(f"datalageret mangler {SERIES} for ydelse={price.benefit} i {place.name} for "
                             f"{', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}",
                             file=source or None, row=price.row, column="benefit")
        series = {m: values[place.id, m].value for m in needed}
        projected = _project(series, actual_months, months[len(actual_months):], method)
        actual = [(str(m), series[m]) for m in actual_months]
        average = (sum(v for _, v in actual) + sum(projected.values())) / 12
        groups.append(GroupForecast(price.benefit, tuple(actual), tuple((str(m), v) for m, v in projected.items()),
                                    average, price.unit_price, price.budget))
    return Forecast(place.id, place.name, year, through, method, engine.snapshot.id, engine.synthetic, tuple(groups))


def _project(series: dict[Period, float], actual: list[Period], rest: list[Period], method: Method
             ) -> dict[Period, float]:
    if method is Method.AVERAGE3:
        last = [series[m] for m in actual[-3:]]
        level = sum(last) / len(last)
        return {m: level for m in rest}
    this_year = sum(series[m] for m in actual)
    last_year = sum(series[m - 12] for m in actual)
    factor = this_year / last_year if last_year else 1.0
    return {m: series[m - 12] * factor for m in rest}
