"""The goal catalogue: a YAML file a municipality keeps in version control, checked line by line.

One file holds a year's goals: where each comes from (plan, strategy, budget agreement), who owns it, which
goal it serves (``parent``; a goal without an indicator is a bearing, a "pejlemærke"), what is measured
and the rule that decides whether it is met. Every problem is reported with file, line and dotted field,
all at once, so the analyst can fix the file in one go.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures import Indicator
from maaltal.periods import Period
from maaltal.store import Store
from maaltal.yamlfile import PathKey, YamlDocument

OPERATORS = ("<", "<=", ">", ">=")
_REQUIRED = object()  # marks a field without a default
_GOAL_ID = re.compile(r"^[a-z0-9æøå][a-z0-9æøå_\-]*$")


class Measure(StrEnum):
    """Which figure of the indicator a goal is judged on."""

    LATEST = "latest"              # the value of the period itself
    YTD_AVERAGE = "ytd_average"    # the average of the year to date
    YEAR_AVERAGE = "year_average"  # the average of the whole calendar year
    YEAR_TOTAL = "year_total"      # the sum over the whole calendar year
    CHANGE = "change"              # the change since the same period last year
    CHANGE_PCT = "change_pct"      # the same in per cent


@dataclass(frozen=True)
class Threshold:
    op: str
    value: float
    type: str = "threshold"


@dataclass(frozen=True)
class VersusReference:
    direction: str  # "decrease" or "increase"
    reference: Period
    type: str = "versus_reference"


@dataclass(frozen=True)
class VersusBenchmark:
    benchmark: str
    start: Period | None
    end: Period | None
    compare: str    # "change_pct", "change" or "level"
    better: str     # "lower" or "higher"
    tolerance: float
    type: str = "versus_benchmark"


@dataclass(frozen=True)
class Cumulative:
    op: str
    value: float
    type: str = "cumulative"


@dataclass(frozen=True)
class Graduated:
    op: str
    baseline_period: Period
    baseline_value: float
    targets: tuple[tuple[int, float], ...]
    type: str = "graduated"

    def target(self, year: int) -> float | None:
        return dict(self.targets).get(year)


Rule = Threshold | VersusReference | VersusBenchmark | Cumulative | Graduated

RULE_TYPES = ("threshold", "versus_reference", "versus_benchmark", "cumulative", "graduated")
_RULE_FIELDS = {
    "threshold": {"op", "value"},
    "versus_reference": {"direction", "reference"},
    "versus_benchmark": {"benchmark", "from", "to", "compare", "better", "tolerance"},
    "cumulative": {"op", "value"},
    "graduated": {"op", "baseline", "targets"},
}
_TOP_FIELDS = {"name", "area", "year", "max_lag_months", "goals"}
_GOAL_FIELDS = {"id", "title", "sources", "owner", "parent", "indicator", "measure", "rule", "unit", "decimals"}
_INDICATOR_FIELDS = {"series", "denominator", "dimensions", "denominator_dimensions"}


@dataclass(frozen=True)
class Goal:
    """One goal, or a bearing when it has no indicator. ``index`` is its place in the file's list."""

    id: str
    title: str
    index: int
    sources: tuple[str, ...] = ()
    owner: str | None = None
    parent: str | None = None
    indicator: Indicator | None = None
    measure: Measure | None = None
    rule: Rule | None = None
    unit: str | None = None
    decimals: int | None = None

    @property
    def is_bearing(self) -> bool:
        return self.indicator is None


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue. ``sha256`` names the exact file a report was built from."""

    name: str
    area: str
    year: int
    max_lag_months: int
    goals: tuple[Goal, ...]
    file: str
    sha256: str
    document: YamlDocument = field(compare=False, repr=False)

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        known = ", ".join(g.id for g in self.goals)
        raise MaaltalError(f"Målet '{goal_id}' findes ikke i {self.file}; kataloget har: {known}")

    def children(self, goal_id: str) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.parent == goal_id)

    def error(self, goal: Goal, path: PathKey, message: str) -> InputError:
        """An error pointing at a field of a goal, with the goal's id in the message."""
        return self.document.error(("goals", goal.index, *path), f"mål '{goal.id}': {message}")


def load_catalogue(path: str | Path, registry: AreaRegistry) -> Catalogue:
    """Read and check a catalogue; raise :class:`InputErrors` naming file, line and field of every problem."""
    path = Path(path)
    doc = yamlfile.load(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return _Reader(doc, registry).catalogue(sha256)


def loads_catalogue(text: str, registry: AreaRegistry, file: str = "<tekst>") -> Catalogue:
    """The same from text (tests, the dashboard's editor)."""
    doc = yamlfile.loads(text, file)
    return _Reader(doc, registry).catalogue(hashlib.sha256(text.encode("utf-8")).hexdigest())


def check_series(catalogue: Catalogue, store: Store, snapshot: int | None = None) -> None:
    """Refuse indicators whose series the store does not hold (a typo would otherwise read as "no data")."""
    errors = []
    for goal in catalogue.goals:
        if goal.indicator is None:
            continue
        for key, series in (("series", goal.indicator.series), ("denominator", goal.indicator.denominator)):
            if series and not store.has_series(series, snapshot=snapshot):
                errors.append(catalogue.error(goal, ("indicator", key),
                                              f"serien '{series}' findes ikke i datalageret"))
    if errors:
        raise InputErrors(errors)


class _Reader:
    """Walks the YAML data, collecting every error before giving up."""

    def __init__(self, doc: YamlDocument, registry: AreaRegistry) -> None:
        self.doc = doc
        self.registry = registry
        self.errors: list[InputError] = []

    def fail(self, path: PathKey, message: str) -> None:
        self.errors.append(self.doc.error(path, message))

    def catalogue(self, sha256: str) -> Catalogue:
        data = self.doc.data
        if not isinstance(data, dict):
            raise self.doc.error((), "kataloget skal være en YAML-mapping med name, area, year og goals")
        self.unknown_fields(data, _TOP_FIELDS, ())
        name = self.text(data, "name", ())
        area = self.area(data, "area", ())
        year = self.integer(data, "year", (), low=2000, high=2100)
        lag = self.integer(data, "max_lag_months", (), low=0, high=24, default=1)
        raw_goals = data.get("goals")
        goals: list[Goal] = []
        if not isinstance(raw_goals, list) or not raw_goals:
            self.fail(("goals",), "feltet mangler eller er ikke en ikke-tom liste af mål")
        else:
            for index, raw in enumerate(raw_goals):
                goal = self.goal(raw, index)
                if goal is not None:
                    goals.append(goal)
        self.check_links(goals)
        if self.errors:
            raise InputErrors(self.errors)
        return Catalogue(name, area, year, lag, tuple(goals), self.doc.file, sha256, self.doc)

    # Goals -------------------------------------------------------------------------------------

    def goal(self, raw: Any, index: int) -> Goal | None:
        where: PathKey = ("goals", index)
        if not isinstance(raw, dict):
            self.fail(where, "et mål skal være en mapping med id, title, indicator, measure og rule")
            return None
        self.unknown_fields(raw, _GOAL_FIELDS, where)
        goal_id = self.text(raw, "id", where)
        if goal_id and not _GOAL_ID.match(goal_id):
            self.fail(where + ("id",), f"'{goal_id}' er ikke et gyldigt id; brug små bogstaver, tal og bindestreg")
        title = self.text(raw, "title", where)
        sources = self.text_list(raw, "sources", where)
        owner = self.text(raw, "owner", where, required=False)
        parent = self.text(raw, "parent", where, required=False)
        unit = self.text(raw, "unit", where, required=False)
        decimals = self.integer(raw, "decimals", where, low=0, high=4, default=None)
        indicator = self.indicator(raw.get("indicator"), where + ("indicator",)) if "indicator" in raw else None
        if indicator is None:
            for key in ("measure", "rule"):
                if key in raw:
                    self.fail(where + (key,), "et mål uden indicator er et pejlemærke og kan ikke have "
                                              f"'{key}'; tilføj en indicator eller fjern feltet")
            return Goal(goal_id or "", title or "", index, sources, owner, parent, unit=unit, decimals=decimals)
        rule = self.rule(raw.get("rule"), where + ("rule",))
        measure = self.measure(raw, where, rule, indicator)
        return Goal(goal_id or "", title or "", index, sources, owner, parent, indicator, measure, rule, unit,
                    decimals)

    def indicator(self, raw: Any, where: PathKey) -> Indicator | None:
        if not isinstance(raw, dict):
            self.fail(where, "indicator skal være en mapping med mindst 'series'")
            return None
        self.unknown_fields(raw, _INDICATOR_FIELDS, where)
        series = self.text(raw, "series", where)
        denominator = self.text(raw, "denominator", where, required=False)
        dims = self.dimensions(raw, "dimensions", where)
        denominator_dims = self.dimensions(raw, "denominator_dimensions", where)
        if denominator_dims and not denominator:
            self.fail(where + ("denominator_dimensions",), "kræver en 'denominator'")
        return Indicator.of(series or "", denominator, dims, denominator_dims) if series else None

    def measure(self, raw: dict, where: PathKey, rule: Rule | None, indicator: Indicator | None) -> Measure:
        default = Measure.YEAR_TOTAL if isinstance(rule, Cumulative) else Measure.LATEST
        measure = self.choice(raw, "measure", where, [m.value for m in Measure], default=default.value)
        if measure is None:
            return default
        measure = Measure(measure)
        if isinstance(rule, Cumulative) and measure is not Measure.YEAR_TOTAL:
            self.fail(where + ("measure",), "en cumulative-regel tæller over året; measure skal være year_total")
        if isinstance(rule, VersusBenchmark) and measure not in (Measure.LATEST, Measure.YTD_AVERAGE,
                                                                 Measure.YEAR_AVERAGE):
            self.fail(where + ("measure",), "versus_benchmark sammenligner niveauer; measure skal være latest, "
                                            "ytd_average eller year_average (udviklingen vælges med 'compare')")
        if isinstance(rule, VersusReference | Graduated) and measure in (Measure.CHANGE, Measure.CHANGE_PCT):
            self.fail(where + ("measure",), f"{rule.type} sammenligner niveauer; measure kan ikke være {measure}")
        if measure is Measure.YEAR_TOTAL and indicator is not None and indicator.is_share:
            self.fail(where + ("measure",), "en andel (med denominator) kan ikke summeres over året")
        return measure

    # Rules -------------------------------------------------------------------------------------

    def rule(self, raw: Any, where: PathKey) -> Rule | None:
        if not isinstance(raw, dict):
            self.fail(where, "rule mangler; et mål med indicator skal have en regel med 'type'")
            return None
        kind = self.choice(raw, "type", where, list(RULE_TYPES))
        if kind is None:
            return None
        self.unknown_fields(raw, _RULE_FIELDS[kind] | {"type"}, where)
        if kind in ("threshold", "cumulative"):
            op, value = self.choice(raw, "op", where, list(OPERATORS)), self.number(raw, "value", where)
            if op is None or value is None:
                return None
            return Threshold(op, value) if kind == "threshold" else Cumulative(op, value)
        if kind == "versus_reference":
            direction = self.choice(raw, "direction", where, ["decrease", "increase"])
            reference = self.period(raw, "reference", where)
            return VersusReference(direction, reference) if direction and reference else None
        if kind == "versus_benchmark":
            return self.versus_benchmark(raw, where)
        return self.graduated(raw, where)

    def versus_benchmark(self, raw: dict, where: PathKey) -> VersusBenchmark | None:
        benchmark = self.area(raw, "benchmark", where)
        start = self.period(raw, "from", where, required=False)
        end = self.period(raw, "to", where, required=False)
        if start and end and (start.freq is not end.freq or end <= start):
            self.fail(where + ("to",), f"'to' ({end}) skal være en senere periode af samme slags som 'from' ({start})")
        compare = self.choice(raw, "compare", where, ["change_pct", "change", "level"], default="change_pct")
        better = self.choice(raw, "better", where, ["lower", "higher"])
        tolerance = self.number(raw, "tolerance", where, default=0.0)
        if tolerance is not None and tolerance < 0:
            self.fail(where + ("tolerance",), "tolerance kan ikke være negativ")
        if not (benchmark and compare and better) or tolerance is None:
            return None
        return VersusBenchmark(benchmark, start, end, compare, better, tolerance)

    def graduated(self, raw: dict, where: PathKey) -> Graduated | None:
        op = self.choice(raw, "op", where, list(OPERATORS))
        baseline = raw.get("baseline")
        period = value = None
        if not isinstance(baseline, dict):
            self.fail(where + ("baseline",), "baseline mangler; skriv fx baseline: {period: 2016, value: 12.6}")
        else:
            self.unknown_fields(baseline, {"period", "value"}, where + ("baseline",))
            period = self.period(baseline, "period", where + ("baseline",))
            value = self.number(baseline, "value", where + ("baseline",))
        targets = raw.get("targets")
        pairs: list[tuple[int, float]] = []
        if not isinstance(targets, dict) or not targets:
            self.fail(where + ("targets",), "targets mangler; skriv et mål pr. år, fx 2020: 10.4")
        else:
            for year, target in targets.items():
                if not isinstance(year, int) or not 2000 <= year <= 2100:
                    self.fail(where + ("targets", year), f"'{year}' er ikke et årstal")
                elif isinstance(target, bool) or not isinstance(target, int | float):
                    self.fail(where + ("targets", year), f"målet for {year} skal være et tal")
                else:
                    pairs.append((year, float(target)))
        if op is None or period is None or value is None or not pairs:
            return None
        return Graduated(op, period, value, tuple(sorted(pairs)))

    # Links between goals -----------------------------------------------------------------------

    def check_links(self, goals: list[Goal]) -> None:
        by_id: dict[str, Goal] = {}
        for goal in goals:
            if goal.id in by_id:
                self.fail(("goals", goal.index, "id"), f"id '{goal.id}' bruges også af et tidligere mål")
            by_id.setdefault(goal.id, goal)
        for goal in goals:
            if goal.parent is None:
                continue
            if goal.parent not in by_id:
                self.fail(("goals", goal.index, "parent"), f"målet '{goal.parent}' findes ikke i kataloget")
                continue
            seen, current = {goal.id}, by_id[goal.parent]
            while current is not None:
                if current.id in seen:
                    self.fail(("goals", goal.index, "parent"), "målene tjener hinanden i ring")
                    break
                seen.add(current.id)
                current = by_id.get(current.parent) if current.parent else None

    # Fields ------------------------------------------------------------------------------------

    def unknown_fields(self, raw: dict, allowed: set[str], where: PathKey) -> None:
        for key in raw:
            if key not in allowed:
                self.fail(where + (key,), f"ukendt felt '{key}'; tilladt her: {', '.join(sorted(allowed))}")

    def text(self, raw: dict, key: str, where: PathKey, *, required: bool = True) -> str | None:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where + (key,), f"feltet '{key}' mangler")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(where + (key,), f"feltet '{key}' skal være en tekst")
            return None
        return str(value).strip()

    def text_list(self, raw: dict, key: str, where: PathKey) -> tuple[str, ...]:
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(where + (key,), f"'{key}' skal være en liste af tekster")
            return ()
        return tuple(v.strip() for v in value)

    def integer(self, raw: dict, key: str, where: PathKey, *, low: int, high: int,
                default: int | None | object = _REQUIRED) -> int | None:
        if key not in raw:
            if default is _REQUIRED:
                self.fail(where + (key,), f"feltet '{key}' mangler")
                return None
            return default  # type: ignore[return-value]
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where + (key,), f"'{key}' skal være et helt tal fra {low} til {high}")
            return None
        return value

    def number(self, raw: dict, key: str, where: PathKey, *, default: float | None = None) -> float | None:
        if key not in raw:
            if default is None:
                self.fail(where + (key,), f"feltet '{key}' mangler")
            return default
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where + (key,), f"'{key}' skal være et tal (decimalpunktum, fx 8.2)")
            return None
        return float(value)

    def choice(self, raw: dict, key: str, where: PathKey, options: list[str], *,
               default: str | None = None) -> str | None:
        if key not in raw:
            if default is None:
                self.fail(where + (key,), f"feltet '{key}' mangler; vælg {_one_of(options)}")
            return default
        value = str(raw[key]).strip()
        if value not in options:
            self.fail(where + (key,), f"ukendt {key} '{value}'; vælg {_one_of(options)}")
            return None
        return value

    def period(self, raw: dict, key: str, where: PathKey, *, required: bool = True) -> Period | None:
        if key not in raw:
            if required:
                self.fail(where + (key,), f"feltet '{key}' mangler")
            return None
        try:
            return Period.parse(str(raw[key]))
        except MaaltalError as exc:
            self.fail(where + (key,), str(exc))
            return None

    def area(self, raw: dict, key: str, where: PathKey) -> str | None:
        ref = self.text(raw, key, where)
        if ref is None:
            return None
        try:
            return self.registry.get(ref).id
        except MaaltalError as exc:
            self.fail(where + (key,), str(exc))
            return None

    def dimensions(self, raw: dict, key: str, where: PathKey) -> dict[str, str]:
        value = raw.get(key) or {}
        if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
            self.fail(where + (key,), f"'{key}' skal være en mapping navn: værdi, fx ydelse: kontanthjælp")
            return {}
        return {str(k): str(v) for k, v in value.items()}


def _one_of(options: list[str]) -> str:
    return ", ".join(options[:-1]) + " eller " + options[-1] if len(options) > 1 else options[0]
