"""The goal catalogue: a YAML file a municipality keeps in version control, checked line by line.

One file holds a year's goals: where each comes from (plan, strategy, budget agreement), who owns it, which
goal it serves (``parent``; a goal without an indicator is a bearing, a "pejlemærke"), what is measured
and the rule that decides whether it is met. Every problem is reported with file, line and dotted field,
all at once, so the analyst can fix the file in one go.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.fields import Fields
from maaltal.measures import Indicator
from maaltal.periods import Period
from maaltal.store import Store
from maaltal.yamlfile import PathKey, YamlDocument

OPERATORS = ("<", "<=", ">", ">=")
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
    """Yearly targets from a baseline. A target may be written as the baseline cut by a per cent
    (Slagelse: "en reduktion på 25 %" of 12,6 → 9,45); ``cuts`` keeps those per cents, so the text can say
    where the target comes from, and ``stated`` the figure the catalogue also typed where that figure
    disagrees with the cut (Slagelse typed 9,4)."""

    op: str
    baseline_period: Period
    baseline_value: float
    targets: tuple[tuple[int, float], ...]
    type: str = "graduated"
    cuts: tuple[tuple[int, float], ...] = ()
    stated: tuple[tuple[int, float], ...] = ()

    def target(self, year: int) -> float | None:
        return dict(self.targets).get(year)

    def cut(self, year: int) -> float | None:
        return dict(self.cuts).get(year)

    def decimals(self, year: int, default: int) -> int:
        """Enough decimals to show the year's target as computed (9,45), at least ``default``."""
        target = self.target(year)
        if target is None or self.cut(year) is None:
            return default
        return max(default, next(d for d in range(0, 5) if abs(round(target, d) - target) < 1e-9))


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
_GOAL_FIELDS = {"id", "title", "sources", "owner", "parent", "indicator", "measure", "rule", "unit", "decimals",
                "note"}
_CUT = re.compile(r"^\s*(?:baseline\s*)?[-−]\s*(\d+(?:[.,]\d+)?)\s*%\s*$")
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
    note: str | None = None  # a remark on the measurement, printed beside the figure (a break in the series)

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
    warnings: tuple[str, ...] = ()  # what is valid but looks wrong (a typed target that disagrees with its cut)

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
    """Refuse indicators whose series or dimension values the store does not hold.

    A typo would otherwise read as "no data", and a dimension value that does not exist (``ydelse:
    kontanthjaelp``) would reach a committee text as an empty figure; each is refused with the closest
    values the store has.
    """
    errors = []
    for goal in catalogue.goals:
        if goal.indicator is None:
            continue
        parts = (("series", "dimensions", goal.indicator.series, goal.indicator.dims),
                 ("denominator", "denominator_dimensions", goal.indicator.denominator,
                  goal.indicator.denominator_dims))
        for key, dims_key, series, dims in parts:
            if not series:
                continue
            if not store.has_series(series, snapshot=snapshot):
                errors.append(catalogue.error(goal, ("indicator", key),
                                              f"serien '{series}' findes ikke i datalageret"))
                continue
            problem = _dimension_problem(series, dict(dims), store.dimension_sets(series, snapshot=snapshot))
            if problem is not None:
                name, message = problem
                where = ("indicator", dims_key, name) if name else ("indicator", dims_key if dims else key)
                errors.append(catalogue.error(goal, where, message))
    if errors:
        raise InputErrors(errors)


def _dimension_problem(series: str, dims: dict[str, str], stored: list[dict[str, str]]
                       ) -> tuple[str | None, str] | None:
    """(dimension, Danish message) when no stored observation of ``series`` has exactly ``dims``."""
    if dims in stored:
        return None
    for name, value in sorted(dims.items()):
        values = sorted({s[name] for s in stored if name in s})
        if not values:
            names = sorted({n for s in stored for n in s})
            has = f"; serien har {', '.join(names)}" if names else "; serien har ingen dimensioner"
            return name, f"serien '{series}' har ikke dimensionen '{name}'{has}"
        if value not in values:
            close = difflib.get_close_matches(value, values, n=3, cutoff=0.6)
            hint = f"; mente du {' eller '.join(repr(c) for c in close)}?" if close else ""
            return name, (f"{name} '{value}' findes ikke for serien '{series}' i datalageret{hint} "
                          f"(findes: {', '.join(values[:12])}{' …' if len(values) > 12 else ''})")
    chosen = ", ".join(f"{n}={v}" for n, v in sorted(dims.items())) or "i alt (uden dimensioner)"
    sets = ["i alt" if not s else ", ".join(f"{n}={v}" for n, v in sorted(s.items())) for s in stored]
    return None, (f"serien '{series}' findes ikke for {chosen} i datalageret; den findes for "
                  f"{'; '.join(sets[:6])}{' …' if len(sets) > 6 else ''}")


class _Reader:
    """Walks the YAML data through the one field validator, collecting every error before giving up."""

    def __init__(self, doc: YamlDocument, registry: AreaRegistry) -> None:
        self.doc = doc
        self.registry = registry
        self.f = Fields(doc)
        self.warnings: list[str] = []

    def catalogue(self, sha256: str) -> Catalogue:
        f = self.f
        if f.mapping((), "kataloget skal være en YAML-mapping med name, area, year og goals") is None:
            f.check()
        f.unknown((), _TOP_FIELDS)
        name = f.text(("name",))
        area = self.area(("area",))
        year = f.integer(("year",), low=2000, high=2100)
        lag = f.integer(("max_lag_months",), low=0, high=24, default=1)
        raw_goals = f.items(("goals",), "feltet mangler eller er ikke en ikke-tom liste af mål")
        goals = [goal for index in range(len(raw_goals)) if (goal := self.goal(index)) is not None]
        self.check_links(goals)
        f.check()
        return Catalogue(name, area, year, lag, tuple(goals), self.doc.file, sha256, self.doc,
                         tuple(self.warnings))

    # Goals -------------------------------------------------------------------------------------

    def goal(self, index: int) -> Goal | None:
        f, where = self.f, ("goals", index)
        raw = f.mapping(where, "et mål skal være en mapping med id, title, indicator, measure og rule")
        if raw is None:
            return None
        f.unknown(where, _GOAL_FIELDS)
        goal_id = f.text(where + ("id",))
        if goal_id and not _GOAL_ID.match(goal_id):
            f.fail(where + ("id",), f"'{goal_id}' er ikke et gyldigt id; brug små bogstaver, tal og bindestreg")
        title = f.text(where + ("title",))
        sources = f.texts(where + ("sources",))
        owner = f.text(where + ("owner",), required=False)
        parent = f.text(where + ("parent",), required=False)
        unit = f.text(where + ("unit",), required=False)
        decimals = f.integer(where + ("decimals",), low=0, high=4, default=None)
        note = f.text(where + ("note",), required=False)
        indicator = self.indicator(where + ("indicator",)) if "indicator" in raw else None
        if indicator is None:
            for key in ("measure", "rule"):
                if key in raw:
                    f.fail(where + (key,), "et mål uden indicator er et pejlemærke og kan ikke have "
                                           f"'{key}'; tilføj en indicator eller fjern feltet")
            return Goal(goal_id or "", title or "", index, sources, owner, parent, unit=unit, decimals=decimals,
                        note=note)
        rule = self.rule(where + ("rule",))
        measure = self.measure(where, rule, indicator)
        return Goal(goal_id or "", title or "", index, sources, owner, parent, indicator, measure, rule, unit,
                    decimals, note)

    def indicator(self, where: PathKey) -> Indicator | None:
        f = self.f
        if f.mapping(where, "indicator skal være en mapping med mindst 'series'") is None:
            return None
        f.unknown(where, _INDICATOR_FIELDS)
        series = f.text(where + ("series",))
        denominator = f.text(where + ("denominator",), required=False)
        dims = self.dimensions(where + ("dimensions",))
        denominator_dims = self.dimensions(where + ("denominator_dimensions",))
        if denominator_dims and not denominator:
            f.fail(where + ("denominator_dimensions",), "kræver en 'denominator'")
        return Indicator.of(series or "", denominator, dims, denominator_dims) if series else None

    def measure(self, where: PathKey, rule: Rule | None, indicator: Indicator | None) -> Measure:
        f = self.f
        default = Measure.YEAR_TOTAL if isinstance(rule, Cumulative) else Measure.LATEST
        measure = f.choice(where + ("measure",), [m.value for m in Measure], default=default.value)
        if measure is None:
            return default
        measure = Measure(measure)
        if isinstance(rule, Cumulative) and measure is not Measure.YEAR_TOTAL:
            f.fail(where + ("measure",), "en cumulative-regel tæller over året; measure skal være year_total")
        if isinstance(rule, VersusBenchmark) and measure not in (Measure.LATEST, Measure.YTD_AVERAGE,
                                                                 Measure.YEAR_AVERAGE):
            f.fail(where + ("measure",), "versus_benchmark sammenligner niveauer; measure skal være latest, "
                                         "ytd_average eller year_average (udviklingen vælges med 'compare')")
        if isinstance(rule, VersusReference | Graduated) and measure in (Measure.CHANGE, Measure.CHANGE_PCT):
            f.fail(where + ("measure",), f"{rule.type} sammenligner niveauer; measure kan ikke være {measure}")
        if measure is Measure.YEAR_TOTAL and indicator is not None and indicator.is_share:
            f.fail(where + ("measure",), "en andel (med denominator) kan ikke summeres over året")
        return measure

    # Rules -------------------------------------------------------------------------------------

    def rule(self, where: PathKey) -> Rule | None:
        f = self.f
        if f.mapping(where, "rule mangler; et mål med indicator skal have en regel med 'type'") is None:
            return None
        kind = f.choice(where + ("type",), RULE_TYPES)
        if kind is None:
            return None
        f.unknown(where, _RULE_FIELDS[kind] | {"type"})
        if kind in ("threshold", "cumulative"):
            op, value = f.choice(where + ("op",), OPERATORS), f.number(where + ("value",))
            if op is None or value is None:
                return None
            return Threshold(op, float(value)) if kind == "threshold" else Cumulative(op, float(value))
        if kind == "versus_reference":
            direction = f.choice(where + ("direction",), ("decrease", "increase"))
            reference = f.period(where + ("reference",))
            return VersusReference(direction, reference) if direction and reference else None
        if kind == "versus_benchmark":
            return self.versus_benchmark(where)
        return self.graduated(where)

    def versus_benchmark(self, where: PathKey) -> VersusBenchmark | None:
        f = self.f
        benchmark = self.area(where + ("benchmark",))
        start = f.period(where + ("from",), required=False)
        end = f.period(where + ("to",), required=False)
        if start and end and (start.freq is not end.freq or end <= start):
            f.fail(where + ("to",), f"'to' ({end}) skal være en senere periode af samme slags som 'from' ({start})")
        compare = f.choice(where + ("compare",), ("change_pct", "change", "level"), default="change_pct")
        better = f.choice(where + ("better",), ("lower", "higher"))
        tolerance = f.number(where + ("tolerance",), default=0.0, minimum=0)
        if not (benchmark and compare and better) or tolerance is None:
            return None
        return VersusBenchmark(benchmark, start, end, compare, better, float(tolerance))

    def graduated(self, where: PathKey) -> Graduated | None:
        f = self.f
        op = f.choice(where + ("op",), OPERATORS)
        period = value = None
        baseline = where + ("baseline",)
        if f.mapping(baseline, "baseline mangler; skriv fx baseline: {period: 2016, value: 12.6}") is not None:
            f.unknown(baseline, {"period", "value"})
            period = f.period(baseline + ("period",))
            value = f.number(baseline + ("value",))
        missing = "targets mangler; skriv et mål pr. år, fx 2020: 10.4"
        targets = f.mapping(where + ("targets",), missing)
        if targets == {}:
            f.fail(where + ("targets",), missing)
        pairs: list[tuple[int, float]] = []
        cuts: list[tuple[int, float]] = []
        stated: list[tuple[int, float]] = []
        for year in targets or {}:
            path = where + ("targets", year)
            if not isinstance(year, int) or not 2000 <= year <= 2100:
                f.fail(path, f"'{year}' er ikke et årstal")
                continue
            raw = targets[year]
            if isinstance(raw, str | dict):
                cut, typed = self.cut(path, raw)
                if cut is None or value is None:
                    continue
                target = float(value) * (1 - cut / 100)
                cuts.append((year, cut))
                pairs.append((year, target))
                if typed is not None and _disagrees(typed, target):
                    stated.append((year, typed))
                    self.warnings.append(str(self.doc.error(path, (
                        f"målet for {year} er skrevet som {_number(typed)}, men baseline {_number(value)} − "
                        f"{_number(cut)} % er {_number(target)}; rapporten bruger {_number(target)}"))))
            elif (target := f.number(path)) is not None:
                pairs.append((year, float(target)))
        if op is None or period is None or value is None or not pairs:
            return None
        return Graduated(op, period, float(value), tuple(sorted(pairs)), cuts=tuple(sorted(cuts)),
                         stated=tuple(sorted(stated)))

    def cut(self, path: PathKey, raw: str | dict) -> tuple[float | None, float | None]:
        """A target written as a cut of the baseline: ``"-25 %"`` (``"baseline - 25 %"``), or
        ``{cut: "-25 %", value: 9.4}`` with the figure also typed; the cut in per cent and that figure."""
        f = self.f
        typed = None
        if isinstance(raw, dict):
            f.unknown(path, {"cut", "value"})
            typed = f.number(path + ("value",), required=False)
            raw = f.text(path + ("cut",)) or ""
            path = path + ("cut",)
        match = _CUT.match(str(raw))
        if match is None:
            f.fail(path, f"'{raw}' er hverken et tal eller en reduktion af baseline som \"-25 %\"")
            return None, None
        return float(match.group(1).replace(",", ".")), (float(typed) if typed is not None else None)

    # Links between goals -----------------------------------------------------------------------

    def check_links(self, goals: list[Goal]) -> None:
        fail = self.f.fail
        by_id: dict[str, Goal] = {}
        for goal in goals:
            if goal.id in by_id:
                fail(("goals", goal.index, "id"), f"id '{goal.id}' bruges også af et tidligere mål")
            by_id.setdefault(goal.id, goal)
        for goal in goals:
            if goal.parent is None:
                continue
            if goal.parent not in by_id:
                fail(("goals", goal.index, "parent"), f"målet '{goal.parent}' findes ikke i kataloget")
                continue
            seen, current = {goal.id}, by_id[goal.parent]
            while current is not None:
                if current.id in seen:
                    fail(("goals", goal.index, "parent"), "målene tjener hinanden i ring")
                    break
                seen.add(current.id)
                current = by_id.get(current.parent) if current.parent else None

    # Fields of this file -----------------------------------------------------------------------

    def area(self, path: PathKey) -> str | None:
        ref = self.f.text(path)
        if ref is None:
            return None
        try:
            return self.registry.get(ref).id
        except MaaltalError as exc:
            self.f.fail(path, str(exc))
            return None

    def dimensions(self, path: PathKey) -> dict[str, str]:
        value = self.f.get(path) or {}
        if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
            self.f.fail(path, f"'{path[-1]}' skal være en mapping navn: værdi, fx ydelse: kontanthjælp")
            return {}
        return {str(k): str(v) for k, v in value.items()}


def _disagrees(typed: float, computed: float) -> bool:
    """Whether a typed figure is not the computed one rounded to the typed figure's own decimals (9,4 for
    9,45 disagrees: 9,45 rounds to 9,5)."""
    text = repr(float(typed))
    places = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return fmt.round_half_up(computed, places) != fmt.round_half_up(typed, places)


def _number(value: float) -> str:
    return fmt.number(value, next(d for d in range(0, 5) if abs(round(value, d) - value) < 1e-9))
