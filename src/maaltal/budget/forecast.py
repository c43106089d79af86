"""Forecast of transfer spending: full-time persons per benefit group × unit price, against the budget.

The year's volume is the average of its twelve months: the months the store has (``fuldtidspersoner`` by
``ydelse``) and the rest of the year projected by one of two documented methods:

- ``average3``: every remaining month equals the average of the last three actual months (fewer when the
  year has fewer). Simple and neutral; it assumes the level has settled.
- ``seasonal``: every remaining month follows last year's same month, scaled by how this year's actual
  months compare with last year's same months. It keeps the seasonal pattern of e.g. a-dagpenge.

Expected spend = average full-time persons × unit price per full-time person per year. The deviation
follows the budget's sign convention: budget minus expected spend, positive = underspend.

Unit prices: a CSV ``benefit,unit_price,budget[,area]`` with the unit price in kr. per full-time person
per year and the year's budget in mio. kr. (may be empty). ``area`` (or ``municipality``) names the
municipality the prices and budgets are for; a file for another municipality than the forecast's is
refused, and a file without the column is flagged, because the same file applied to the wrong municipality
gives a large "overspend" that nothing else would reveal. Figures in the wrong unit are refused by their
magnitude: a unit price outside :data:`UNIT_PRICE_RANGE` kr. is in 1.000 kr. or mio. kr., and a budget
more than :data:`BUDGET_FACTOR` times the expected spend is in kr. or 1.000 kr., not mio. kr. A group
whose budget and expected spend differ by more than :data:`FLAG_SHARE` of the budget is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from maaltal import formatting as fmt
from maaltal.errors import InputError, MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Freq, Period
from maaltal.sources import records as csv_records

SERIES = "fuldtidspersoner"
DIMENSION = "ydelse"
# A year's benefit per full-time person lies between a few ten thousand kroner (a supplement) and a few
# hundred thousand (a pension, a flex job's wage subsidy); outside this a price is in another unit.
UNIT_PRICE_RANGE = (10_000.0, 2_000_000.0)
BUDGET_FACTOR = 100.0  # a budget this many times the expected spend is in kr. or 1.000 kr., not mio. kr.
FLAG_SHARE = 0.5  # a budget off the expected spend by more than half of itself is flagged


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
    area: str | None = None  # the municipality the price and budget are for, when the file says it
    area_column: str = "area"  # the file's name for that column (area or municipality)


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
    warnings: tuple[str, ...] = ()

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
                "deviation": self.deviation, "warnings": list(self.warnings)}


def read_prices(path: str | Path) -> list[UnitPrice]:
    """The unit prices, each checked for its magnitude (kr. per full-time person per year)."""
    records = csv_records.read(path, ("benefit", "unit_price"), ("budget", "area", "municipality"))
    area_column = "area" if "area" in records.columns else "municipality"
    prices, seen = [], {}
    low, high = UNIT_PRICE_RANGE
    for rec in records.rows:
        benefit = rec.text("benefit")
        price = rec.number("unit_price", minimum=0)
        budget = rec.number("budget", required=False)
        area = rec.text(area_column, required=area_column in records.columns)
        if benefit is None or price is None:
            continue
        if not low <= price <= high:
            unit = "1.000 kr. eller mio. kr." if price < low else "øre eller et beløb for flere år"
            rec.error(f"enhedsprisen {fmt.kr(price)} pr. fuldtidsperson pr. år er ikke sandsynlig (forventet "
                      f"{fmt.kr(low)}–{fmt.kr(high)}); er den angivet i {unit}?", "unit_price")
        if benefit in seen:
            rec.error(f"ydelsen står også i række {seen[benefit]}", "benefit")
        seen.setdefault(benefit, rec.row)
        prices.append(UnitPrice(benefit, price, budget, rec.row, area, area_column))
    records.check()
    return prices


def forecast(engine: KeyFigureEngine, prices: list[UnitPrice], area: str, year: int, *, through: Period | None = None,
             method: Method = Method.AVERAGE3, source: str = "") -> Forecast:
    """The year's expected spend per benefit group from the store's actual months and a projection."""
    place = engine.registry.get(area)
    warnings = list(_check_area(engine, prices, place, source))
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
    warnings += _check_budgets(groups, prices, place.name, source)
    return Forecast(place.id, place.name, year, through, method, engine.snapshot.id, engine.synthetic, tuple(groups),
                    tuple(warnings))


def _check_area(engine: KeyFigureEngine, prices: list[UnitPrice], place, source: str) -> list[str]:
    """Refuse a file for another municipality; flag one that does not say which it is for."""
    named = [p for p in prices if p.area]
    if not named:
        return [f"Enhedspriserne og budgettet er ikke mærket med en kommune (kolonnen area): kontrollér, at de "
                f"gælder {place.name}."]
    for price in named:
        try:
            other = engine.registry.get(price.area)
        except MaaltalError:
            raise InputError(f"ukendt kommune '{price.area}'", file=source or None, row=price.row,
                             column=price.area_column) from None
        if other.id != place.id:
            raise InputError(f"enhedspriserne gælder {other.name}, men prognosen er for {place.name}",
                             file=source or None, row=price.row, column=price.area_column)
    return []


def _check_budgets(groups: list[GroupForecast], prices: list[UnitPrice], area_name: str, source: str) -> list[str]:
    """Refuse a budget in kr. where mio. kr. is expected; flag a budget far from the expected spend."""
    warnings = []
    for group, price in zip(groups, prices, strict=True):
        if group.budget is None or group.expected <= 0:
            continue
        if group.budget > BUDGET_FACTOR * group.expected:
            raise InputError(f"budgettet {fmt.number(group.budget, 1)} er {fmt.number(group.budget / group.expected)} "
                             f"gange det forventede forbrug ({fmt.mio_kr(group.expected)}); budgettet skal angives i "
                             "mio. kr., ikke i kr. eller 1.000 kr.", file=source or None, row=price.row,
                             column="budget")
        if abs(group.deviation) > FLAG_SHARE * group.budget:
            warnings.append(f"Budgettet for {group.benefit} ({fmt.mio_kr(group.budget)}) afviger mere end "
                            f"{fmt.number(FLAG_SHARE * 100)} pct. fra det forventede forbrug "
                            f"({fmt.mio_kr(group.expected)}): kontrollér, at enhedspris og budget gælder "
                            f"{area_name} og er i kr. pr. fuldtidsperson og mio. kr.")
    return warnings


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
