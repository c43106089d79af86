"""The key-figure engine: levels, developments, window averages and ranks of an indicator.

Aggregates are honest sums: a region, RAR area, the nation or a benchmark group without an observation
of its own gets the sum of its members' numerators over the sum of their denominators, never an average
of the members' shares. Where the store holds the aggregate's own figure (StatBank publishes regions and
the nation), that figure is used, as the official statistics would be. What a series measures (its
:class:`~maaltal.kinds.Kind`, from its unit) decides the rest: only counts and amounts are summed across
areas, so a rate, rank, index or ratio of an aggregate without its own published figure is missing with
the reason; a quarter or a year asked of monthly data is summed (flows), averaged (stocks and rates) or
refused (distinct persons, ranks); and only counts of persons are hidden when small (:mod:`maaltal.privacy`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import TypeVar

from maaltal import kinds, privacy
from maaltal.areas import ALL_ID, Area, AreaKind, AreaRegistry
from maaltal.errors import MaaltalError
from maaltal.kinds import Kind, OverTime
from maaltal.measures.indicator import Dims, Indicator
from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Snapshot, Store

SHARE_UNIT = "pct."
# A count is ranked per 100 of the population 16-66: a large municipality has more recipients, not a
# worse result (ranked by head-count, Hvidovre, the largest of Vestegnen, came last in every benefit group).
POPULATION = ("befolkning", (("alder", "16-66"),))
TOP = 10  # how many of the best and the worst a ranking among all municipalities shows
T = TypeVar("T")


class Window(StrEnum):
    """Over which periods a value is taken: the period itself or an average up to it."""

    PERIOD = "period"
    YTD = "ytd"
    YEAR = "year"
    LAST12 = "last12"

    def range(self, period: Period) -> PeriodRange:
        if self is Window.PERIOD:
            return PeriodRange(period, period)
        if self is Window.YTD:
            return period.year_to_date()
        if self is Window.YEAR:
            return period.calendar_year()
        return period.last_n(period.freq.per_year)


class Missing(StrEnum):
    """Why a value could not be given."""

    NO_DATA = "no_data"
    SUPPRESSED = "suppressed"
    INCOMPLETE = "incomplete"
    ZERO_DENOMINATOR = "zero_denominator"
    NOT_AGGREGATED = "not_aggregated"  # a rate, rank … of an aggregate that has no published figure of its own
    NOT_DERIVABLE = "not_derivable"    # a longer period that cannot be made of the stored shorter ones
    SMALL_COUNT = "small_count"        # hidden: it rests on fewer persons than the discretion threshold


Resolved = tuple[float | None, Missing | None, str | None]  # value, why it is missing, the reason in Danish


@dataclass(frozen=True)
class Value:
    """An indicator's value for one area over a window of periods (a single period is a window of one)."""

    area: str
    window: PeriodRange
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    missing: Missing | None = None
    reason: str | None = None  # why the value is missing, in Danish, where there is more to say than ``missing``

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def present(self) -> bool:
        """The figure is there: shown, or hidden by discretion (a suppressed figure is data, not a gap)."""
        return self.available or self.missing is Missing.SUPPRESSED


@dataclass(frozen=True)
class Change:
    """The development from one value to another: absolute (percentage points for shares) and relative."""

    start: Value
    end: Value
    change: float | None
    change_pct: float | None
    numerator_change: float | None

    @classmethod
    def between(cls, start: Value, end: Value, kind: Kind | None = None) -> Change:
        """The development; a change in per cent only from a positive base and of a kind where it means
        something (not of a rank or a difference in percentage points)."""
        if not (start.available and end.available):
            return cls(start, end, None, None, None)
        relative = kinds.has_relative_change(kind) and start.value > 0
        change_pct = (end.value / start.value - 1) * 100 if relative else None
        numerator_change = (end.numerator - start.numerator
                            if end.numerator is not None and start.numerator is not None else None)
        return cls(start, end, end.value - start.value, change_pct, numerator_change)


@dataclass(frozen=True)
class FigureRow:
    """One line of a key-figure table: an area's value, its development and, in a group, its rank."""

    area: str
    name: str
    kind: str
    role: str  # "focus", "benchmark" or "member"
    group: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    missing: str | None
    compare_value: float | None = None
    compare_numerator: float | None = None
    change: float | None = None
    change_pct: float | None = None
    numerator_change: float | None = None
    rank: int | None = None
    rank_of: int | None = None
    reason: str | None = None  # why ``value`` is missing, in Danish ("en andel kan ikke lægges sammen …")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class KeyFigureTable:
    """An indicator for a focus area beside its benchmarks and group members, ready for a renderer."""

    indicator: Indicator
    unit: str
    numerator_unit: str
    period: Period
    compare_period: Period | None
    window: Window
    snapshot: Snapshot
    synthetic: bool
    rows: tuple[FigureRow, ...]
    ranked_of: int | None = None  # for a rank series: how many municipalities the ranking has ("nr. 83 af 98")

    @property
    def kind(self) -> Kind | None:
        """What the values measure: a share for an indicator with a denominator, else the series' kind."""
        return Kind.SHARE if self.indicator.is_share else kinds.kind_of(self.unit)

    @property
    def focus(self) -> FigureRow:
        return next(r for r in self.rows if r.role == "focus")

    def row(self, area: str, *, group: str | None = None) -> FigureRow:
        for r in self.rows:
            if r.area == area and (group is None or r.group == group):
                return r
        raise KeyError(area)

    def to_dict(self) -> dict:
        return {
            "indicator": self.indicator.to_dict(),
            "unit": self.unit,
            "measure_kind": self.kind.value if self.kind else None,
            "numerator_unit": self.numerator_unit,
            "period": str(self.period),
            "compare_period": str(self.compare_period) if self.compare_period else None,
            "window": self.window.value,
            "snapshot": self.snapshot.id,
            "synthetic": self.synthetic,
            "ranked_of": self.ranked_of,
            "rows": [r.to_dict() for r in self.rows],
        }


class KeyFigureEngine:
    """Figures of indicators from one snapshot of a store (the newest unless named)."""

    def __init__(self, store: Store, registry: AreaRegistry, snapshot: int | None = None) -> None:
        self.store = store
        self.registry = registry
        self.snapshot = store.snapshot(snapshot)
        self._series: dict[tuple[str, Dims], dict[tuple[str, Period], tuple[float | None, bool]]] = {}
        self._known: dict[str, bool] = {}
        self._units: dict[str, str] = {}
        self._resolved: dict[tuple[str, Dims, str, Period, OverTime], Resolved] = {}
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per engine: anything derived from the snapshot alone stays true for it, so a
        batch of reports over one snapshot (all 98 municipalities) computes it once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    @property
    def synthetic(self) -> bool:
        """Whether the data include synthetic demo data (every output must then say so)."""
        return self.store.is_synthetic(self.snapshot.id)

    # Point and window values -------------------------------------------------------------------

    def values(self, indicator: Indicator, areas: Sequence[str], periods: Sequence[Period]
               ) -> dict[tuple[str, Period], Value]:
        """Values for every area × period: aggregates summed from their members where the kind allows it,
        longer periods made of shorter ones by kind. A share's parts are averaged over time, so that a
        quarter's share is the months' average rate."""
        resolved = [self.registry.get(a) for a in areas]
        over_time = OverTime.MEAN if indicator.is_share else None
        numerators = self._resolve(indicator.series, indicator.dims, resolved, periods, over_time)
        denominators = (self._resolve(indicator.denominator, indicator.denominator_dims, resolved, periods,
                                      over_time) if indicator.denominator else None)
        result = {}
        for area in resolved:
            for period in periods:
                num, num_missing, num_reason = numerators[area.id, period]
                window = PeriodRange(period, period)
                if denominators is None:
                    result[area.id, period] = Value(area.id, window, num, num, None, num_missing, num_reason)
                    continue
                den, den_missing, den_reason = denominators[area.id, period]
                if num_missing is Missing.SUPPRESSED and den_missing not in (None, Missing.SUPPRESSED):
                    num_missing, num_reason = None, None  # no share to hide when its denominator is not there
                result[area.id, period] = _share(area.id, window, num, den, num_missing or den_missing,
                                                 num_reason or den_reason)
        return result

    def value(self, indicator: Indicator, area: str, period: Period, window: Window = Window.PERIOD) -> Value:
        return self.window_values(indicator, [area], period, window)[self.registry.get(area).id]

    def window_values(self, indicator: Indicator, areas: Sequence[str], period: Period,
                      window: Window = Window.PERIOD) -> dict[str, Value]:
        """Each area's value over ``window`` ending at ``period``: mean numerator over mean denominator."""
        span = window.range(period)
        periods = list(span)
        points = self.values(indicator, areas, periods)
        result = {}
        for ref in areas:
            area_id = self.registry.get(ref).id
            vals = [points[area_id, p] for p in periods]
            if len(vals) == 1:
                result[area_id] = vals[0]
            else:
                result[area_id] = _average(area_id, span, vals, indicator.is_share)
        return result

    def total(self, indicator: Indicator, area: str, period: Period, window: Window = Window.YTD) -> Value:
        """The sum of a count over ``window`` ending at ``period``: a count so far this year, a year's total.

        Goals such as "at least 100 young people start a leisure job in 2023" count, they do not average.
        A share, rate, rank, index or ratio cannot be summed; asking for one is an error.
        """
        if indicator.is_share:
            raise MaaltalError(f"En andel kan ikke summeres: {indicator}")
        if not kinds.is_additive(self.series_kind(indicator.series)):
            raise MaaltalError(f"Tal i {self.unit(indicator)[0] or 'ukendt enhed'} kan ikke summeres: {indicator}")
        span = window.range(period)
        area_id = self.registry.get(area).id
        points = self.values(indicator, [area_id], list(span))
        values = [points[area_id, p] for p in span]
        missing = _window_missing(values)
        if missing is not None:
            return Value(area_id, span, None, None, None, missing)
        amount = sum(v.value for v in values)
        return Value(area_id, span, amount, amount, None)

    def change(self, indicator: Indicator, area: str, period: Period, compare_period: Period,
               window: Window = Window.PERIOD) -> Change:
        return Change.between(self.value(indicator, area, compare_period, window),
                              self.value(indicator, area, period, window), self.kind(indicator))

    def latest_period(self, indicator: Indicator, area: str, up_to: Period, *, hidden: bool = False
                      ) -> Period | None:
        """The newest period, of ``up_to``'s frequency and not after it, for which the area has a value; with
        ``hidden`` also one whose figure is there but hidden by discretion (:attr:`Value.present`): how
        fresh the data are, as against the newest figure one can compute with."""
        observed = {p for _, p in self._observations(indicator.series, indicator.dims) if p.freq is up_to.freq}
        candidates = sorted((p for p in observed if p <= up_to), reverse=True)
        area_id = self.registry.get(area).id
        for start in range(0, len(candidates), 12):
            chunk = candidates[start:start + 12]
            values = self.values(indicator, [area_id], chunk)
            for period in chunk:
                value = values[area_id, period]
                if value.present if hidden else value.available:
                    return period
        return None

    def unit(self, indicator: Indicator) -> tuple[str, str]:
        """The unit of the indicator's values and of its numerator (the same unless it is a share)."""
        if indicator.series not in self._units:
            self._units[indicator.series] = self.store.unit(indicator.series, snapshot=self.snapshot.id) or ""
        numerator_unit = self._units[indicator.series]
        return (SHARE_UNIT if indicator.is_share else numerator_unit), numerator_unit

    def series_kind(self, series: str) -> Kind | None:
        """What a stored series measures, from its unit (``None`` for a unit maaltal does not know)."""
        return kinds.kind_of(self.unit(Indicator(series))[0])

    def kind(self, indicator: Indicator) -> Kind | None:
        """What the indicator's values measure: a share when it has a denominator, else its series' kind."""
        return Kind.SHARE if indicator.is_share else self.series_kind(indicator.series)

    def shown(self, indicator: Indicator, value: Value) -> float | None:
        """The value as it may be shown: ``None`` where it rests on a small count of persons."""
        return None if privacy.hides(value.numerator, self.series_kind(indicator.series)) else value.value

    # The key-figure table ----------------------------------------------------------------------

    def table(self, indicator: Indicator, area: str, period: Period, *, compare_period: Period | None = None,
              benchmarks: Iterable[str] = (), window: Window = Window.PERIOD, descending: bool = False,
              ) -> KeyFigureTable:
        """The focus area, its benchmarks and, per benchmark group, every member with its rank.

        Ranks count from the lowest value (1 = lowest, as "the second lowest unemployment among the
        eight") unless ``descending``. A focus area outside a group is ranked among the members too.
        """
        if not self.has_series(indicator.series):
            raise MaaltalError(f"Serien '{indicator.series}' findes ikke i datalageret")
        if indicator.denominator and not self.has_series(indicator.denominator):
            raise MaaltalError(f"Serien '{indicator.denominator}' findes ikke i datalageret")
        focus = self.registry.get(area)
        bench_areas = _unique(self.registry.get(b) for b in benchmarks if self.registry.get(b).id != focus.id)
        groups = [b for b in bench_areas if b.kind is AreaKind.GROUP]
        members = _unique(self.registry.get(m) for g in groups for m in (*g.members, focus.id))
        all_ids = [a.id for a in _unique([focus, *bench_areas, *members])]
        now = self.window_values(indicator, all_ids, period, window)
        before = self.window_values(indicator, all_ids, compare_period, window) if compare_period else {}
        kind, suppressible = self.kind(indicator), self.series_kind(indicator.series)

        def row(a: Area, role: str, group: str | None = None, rank: tuple[int | None, int] | None = None):
            value = now[a.id]
            change = Change.between(before[a.id], value, kind) if compare_period else None
            return _disclosed(FigureRow(
                area=a.id, name=a.name, kind=a.kind.value, role=role, group=group,
                value=value.value, numerator=value.numerator, denominator=value.denominator,
                missing=value.missing.value if value.missing else None,
                compare_value=change.start.value if change else None,
                compare_numerator=change.start.numerator if change else None,
                change=change.change if change else None,
                change_pct=change.change_pct if change else None,
                numerator_change=change.numerator_change if change else None,
                rank=rank[0] if rank else None, rank_of=rank[1] if rank else None,
                reason=value.reason,
            ), suppressible)

        rows = [row(focus, "focus")] + [row(b, "benchmark") for b in bench_areas]
        for group in groups:
            ids = list(dict.fromkeys((*group.members, focus.id)))
            ranks = rank_values({i: now[i].value for i in ids}, descending=descending)
            ordered = sorted(ids, key=lambda i: (ranks[i][0] is None, ranks[i][0] or 0, i))
            rows += [row(self.registry.get(i), "member", group.id, ranks[i]) for i in ordered]
        unit, numerator_unit = self.unit(indicator)
        return KeyFigureTable(indicator, unit, numerator_unit, period, compare_period, window, self.snapshot,
                              self.synthetic, tuple(rows), self._ranked_of(indicator, period, kind))

    def _ranked_of(self, indicator: Indicator, period: Period, kind: Kind | None) -> int | None:
        """For a stored ranking, the number of municipalities ranked in the period (the "98" of "nr. 83 af 98")."""
        if kind is not Kind.RANK:
            return None
        raw = self._observations(indicator.series, indicator.dims)
        ranked = {area for (area, p), (value, _) in raw.items() if p == period and value is not None}
        municipalities = sum(1 for area in ranked if not self.registry.get(area).is_aggregate)
        return municipalities or None

    def ranking_indicator(self, indicator: Indicator) -> Indicator | None:
        """What areas are ranked by: a share or a rate as it is; a count of persons or full-time persons as
        a share of the population 16-66 (``None`` without a population in the store); a published rank,
        amount or index is not ranked again."""
        kind = self.kind(indicator)
        if indicator.is_share or kind in (Kind.SHARE, Kind.POINTS, Kind.RATIO):
            return indicator
        series, dims = POPULATION
        if not kinds.is_count(kind) or not self.has_series(series):
            return None
        return Indicator(indicator.series, series, indicator.dims, dims)

    def unranked_reason(self, indicator: Indicator) -> str | None:
        """Why :meth:`ranking_indicator` gives nothing, in Danish for the reader; ``None`` when it ranks."""
        if self.ranking_indicator(indicator) is not None:
            return None
        if kinds.is_count(self.kind(indicator)):
            return "et antal rangeres efter andel af befolkningen (16-66 år), som datalageret ikke har"
        return "en offentliggjort placering, et beløb eller et indeks rangeres ikke igen"

    def ranked(self, indicator: Indicator, area: str, period: Period, *, group: str = ALL_ID,
               descending: bool = False) -> list[FigureRow]:
        """Every member of ``group`` (all 98 municipalities unless named) with its rank by ``indicator``,
        best first: the rows a top-10 and bottom-10 list are taken from."""
        table = self.table(indicator, area, period, benchmarks=[group], descending=descending)
        return [r for r in table.rows if r.role == "member" and r.group == self.registry.get(group).id]

    # Internals ---------------------------------------------------------------------------------

    def _resolve(self, series: str, dims: Dims, areas: Sequence[Area], periods: Sequence[Period],
                 over_time: OverTime | None = None) -> dict[tuple[str, Period], Resolved]:
        raw = self._observations(series, dims)
        rules = kinds.rules(self.series_kind(series))
        how = _How(rules.additive, over_time or rules.over_time, rules.over_time_reason,
                   self.unit(Indicator(series))[0])
        result = {}
        for area in areas:
            for period in periods:
                key = (series, dims, area.id, period, how.over_time)
                if key not in self._resolved:  # an aggregate is summed once per snapshot, not once per report
                    self._resolved[key] = _aggregate(raw, area, period, how)
                result[area.id, period] = self._resolved[key]
        return result

    def _observations(self, series: str, dims: Dims) -> dict[tuple[str, Period], tuple[float | None, bool]]:
        """All of a series' observations as of the snapshot, read once: a snapshot never changes."""
        key = (series, dims)
        if key not in self._series:
            self._series[key] = self.store.all_values(series, dict(dims), snapshot=self.snapshot.id)
        return self._series[key]

    def has_series(self, series: str) -> bool:
        if series not in self._known:
            self._known[series] = self.store.has_series(series, snapshot=self.snapshot.id)
        return self._known[series]


def rank_values(values: dict[str, float | None], *, descending: bool = False) -> dict[str, tuple[int | None, int]]:
    """Competition ranks (1, 2, 2, 4) of the areas with a value; those without get ``None``."""
    present = {k: v for k, v in values.items() if v is not None}
    ordered = sorted(present.values(), reverse=descending)
    of = len(present)
    return {k: ((ordered.index(v) + 1) if v is not None else None, of) for k, v in values.items()}


Raw = dict[tuple[str, Period], tuple[float | None, bool]]


@dataclass(frozen=True)
class _How:
    """How one series may be put together: across areas (``additive``) and over time, from its kind."""

    additive: bool
    over_time: OverTime
    refusal: str  # why it cannot be put together over time
    unit: str


def _aggregate(raw: Raw, area: Area, period: Period, how: _How) -> Resolved:
    """The area's figure: its own (stored, or made of its shorter periods), else its members' sum when the
    series is additive, else missing with the reason."""
    own = _own(raw, area.id, period, how)
    if own is not None:
        return own
    if not area.is_aggregate:
        return None, Missing.NO_DATA, None
    if not how.additive:
        return None, Missing.NOT_AGGREGATED, kinds.not_aggregated_reason(how.unit)
    parts = [_own(raw, m, period, how) for m in area.members]
    present = [p for p in parts if p is not None]
    if not present:
        return None, Missing.NO_DATA, None
    if len(present) < len(parts):
        return None, Missing.INCOMPLETE, None
    unavailable = next((p for p in present if p[0] is None), None)
    if unavailable is not None:
        return unavailable
    return sum(value for value, _, _ in present), None, None


def _own(raw: Raw, area: str, period: Period, how: _How) -> Resolved | None:
    """The area's own figure for the period, stored or made of its stored shorter periods; ``None`` when
    the store has neither."""
    direct = raw.get((area, period))
    if direct is not None:
        return (None, Missing.SUPPRESSED, None) if direct[1] else (direct[0], None, None)
    return _over_time(raw, area, period, how)


def _over_time(raw: Raw, area: str, period: Period, how: _How) -> Resolved | None:
    """A quarter or a year made of the area's months (or a year of its quarters) by the series' kind:
    flows summed, stocks and rates averaged, the rest refused. Every part must be there: the reason says
    how many are when some are not."""
    for parts, word in _shorter(period):
        found = [raw.get((area, p)) for p in parts]
        present = [f for f in found if f is not None]
        if not present:
            continue
        if how.over_time is OverTime.REFUSED:
            return None, Missing.NOT_DERIVABLE, how.refusal
        if len(present) < len(parts):
            return None, Missing.INCOMPLETE, f"kun {len(present)} af {len(parts)} {word} har tal"
        if any(suppressed for _, suppressed in present):
            return None, Missing.SUPPRESSED, None
        total = sum(value for value, _ in present)
        return (total if how.over_time is OverTime.SUM else total / len(present)), None, None
    return None


def _shorter(period: Period) -> list[tuple[list[Period], str]]:
    """The shorter periods a period can be made of, finest first: its months, then its quarters."""
    if period.freq is Freq.MONTH:
        return []
    months = (period.months(), "måneder")
    if period.freq is Freq.QUARTER:
        return [months]
    last = period.last_month().quarter()
    return [months, ([last - i for i in (3, 2, 1, 0)], "kvartaler")]


def _disclosed(row: FigureRow, kind: Kind | None) -> FigureRow:
    """The row as it may be shown: level, count and development hidden where they rest on a count of
    persons below the discretion threshold, now or at the compared period (a development would give the
    small count away). Rates, ranks, amounts and indices published as such are never hidden."""
    small_now = privacy.hides(row.numerator, kind)
    small_before = privacy.hides(row.compare_numerator, kind)
    if not (small_now or small_before):
        return row
    hidden = dict(change=None, change_pct=None, numerator_change=None, compare_value=None, compare_numerator=None)
    if small_now:
        hidden.update(value=None, numerator=None, missing=Missing.SMALL_COUNT.value, reason=privacy.SMALL_COUNT)
    return replace(row, **hidden)


def _share(area: str, window: PeriodRange, num: float | None, den: float | None,
           missing: Missing | None, reason: str | None = None) -> Value:
    if num is None or den is None:
        return Value(area, window, None, num, den, missing or Missing.NO_DATA, reason)
    if den == 0:
        return Value(area, window, None, num, den, Missing.ZERO_DENOMINATOR)
    return Value(area, window, num / den * 100, num, den)


def _window_missing(values: list[Value]) -> Missing | None:
    """Why a window has no value: incomplete when some periods have one, else the periods' own reason."""
    missing = next((v.missing for v in values if not v.available), None)
    if missing is None:
        return None
    return Missing.INCOMPLETE if any(v.available for v in values) else missing


def _average(area: str, span: PeriodRange, values: list[Value], is_share: bool) -> Value:
    missing = _window_missing(values)
    if missing is not None:
        reason = None if any(v.available for v in values) else next(v.reason for v in values)
        return Value(area, span, None, None, None, missing, reason)
    num = sum(v.numerator for v in values) / len(values)
    if not is_share:
        return Value(area, span, num, num, None)
    den = sum(v.denominator for v in values) / len(values)
    return _share(area, span, num, den, None)


def _unique(areas: Iterable[Area]) -> list[Area]:
    return list({a.id: a for a in areas}.values())
