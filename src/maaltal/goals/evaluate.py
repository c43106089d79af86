"""Evaluating a catalogue for one period: figures from the key-figure engine, a status and its explanation.

Each goal's indicator is read in its own frequency (monthly, quarterly, yearly): the newest period that
ends by the period asked for. When its data end earlier, the last period is carried forward if it is at
most ``max_lag_months`` behind (and the text says so, as Gladsaxe's "augusttallene anvendt som september
tal"); further behind, the goal cannot be assessed, though its last figure is still shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from maaltal import formatting as fmt
from maaltal.document import Status
from maaltal.errors import MaaltalError
from maaltal.goals import rules, texts
from maaltal.goals.catalogue import (
    Catalogue,
    Cumulative,
    Goal,
    Graduated,
    Measure,
    Threshold,
    VersusBenchmark,
    VersusReference,
    check_series,
)
from maaltal.goals.comments import Comment
from maaltal.goals.rules import Development, Facts, Reason
from maaltal.measures import Change, KeyFigureEngine, Value, Window
from maaltal.measures.keyfigures import SHARE_UNIT, Missing
from maaltal.periods import Freq, Period, PeriodRange

_LEVEL_WINDOWS = {Measure.LATEST: Window.PERIOD, Measure.YTD_AVERAGE: Window.YTD,
                  Measure.YEAR_AVERAGE: Window.YEAR}


@dataclass(frozen=True)
class GoalResult:
    """One goal's follow-up: status, figures, the Danish text and the analyst's comment."""

    id: str
    title: str
    parent: str | None
    sources: tuple[str, ...]
    owner: str | None
    status: Status
    value: float | None
    target: float | None
    unit: str
    reason: Reason | None
    text: str
    data_until: Period | None
    history: tuple[tuple[Period, float | None], ...]
    children: tuple[str, ...]
    comment: Comment | None
    is_bearing: bool = False
    measure: str | None = None
    rule: str | None = None
    decimals: int = 0
    level_unit: str = ""
    history_target: float | None = None
    development: Development | None = None
    carried_forward: bool = False
    is_change: bool = False  # value and target are developments, not levels
    target_text: str = ""    # the target as the goal table says it ("under 3 pct.")
    result_text: str = ""    # the result as the goal table says it ("2,5 pct.", "+1,6 %")
    target_phrase: str = ""  # the target as a sentence says it ("… udvikling (et fald på 0,4 pct.) eller bedre")
    result_phrase: str = ""  # the result as a sentence says it ("2,5 pct.", "en stigning på 1,6 pct.")
    note: str | None = None  # the catalogue's note on the measurement
    benchmark: str | None = None  # the area a versus_benchmark goal is judged against, and its values
    benchmark_history: tuple[tuple[Period, float | None], ...] = ()

    def to_dict(self) -> dict:
        dev = self.development
        return {
            "id": self.id, "title": self.title, "parent": self.parent, "sources": list(self.sources),
            "owner": self.owner, "bearing": self.is_bearing, "status": self.status.value,
            "smiley": self.status.smiley, "value": self.value, "target": self.target, "unit": self.unit,
            "measure": self.measure, "rule": self.rule,
            "reason": self.reason.value if self.reason else None, "text": self.text,
            "data_until": str(self.data_until) if self.data_until else None,
            "carried_forward": self.carried_forward,
            "development": None if dev is None else {
                "from": str(dev.start), "from_value": dev.start_value, "to": str(dev.end),
                "to_value": dev.end_value, "change": dev.change, "change_pct": dev.change_pct},
            "history": [[str(p), v] for p, v in self.history], "history_target": self.history_target,
            "children": list(self.children),
            "comment": self.comment.to_dict() if self.comment else None,
        }


@dataclass(frozen=True)
class GoalFollowUp:
    """A catalogue evaluated for a period on one snapshot: what the committee's goal follow-up shows."""

    name: str
    area: str
    area_name: str
    year: int
    catalogue_sha256: str
    period: Period
    snapshot_id: int
    synthetic: bool
    goals: tuple[GoalResult, ...]
    summary: dict[Status, int]

    def goal(self, goal_id: str) -> GoalResult:
        return next(g for g in self.goals if g.id == goal_id)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "area": self.area, "area_name": self.area_name, "year": self.year,
            "catalogue_sha256": self.catalogue_sha256, "period": str(self.period), "snapshot": self.snapshot_id,
            "synthetic": self.synthetic, "goals": [g.to_dict() for g in self.goals],
            "summary": {s.value: n for s, n in self.summary.items()},
        }


def evaluate(catalogue: Catalogue, engine: KeyFigureEngine, period: Period | str,
             comments: Mapping[str, Comment] | None = None) -> GoalFollowUp:
    """Evaluate every goal of ``catalogue`` for ``period`` (a month, quarter or year of the catalogue's year)."""
    period = Period.parse(period)
    if period.freq is Freq.QMAT:
        raise MaaltalError("Målopfølgning gøres pr. måned, kvartal eller år, ikke pr. løbende fire kvartaler")
    if period.year != catalogue.year:
        raise MaaltalError(f"Kataloget {catalogue.file} gælder {catalogue.year}; perioden {period} ligger uden for")
    check_series(catalogue, engine.store, engine.snapshot.id)
    facts = {g.id: _Goal(catalogue, engine, period, g).facts() for g in catalogue.goals if not g.is_bearing}
    for goal in catalogue.goals:
        _bearing_facts(catalogue, goal, period, facts)
    area_name = engine.registry.get(catalogue.area).name
    comments = comments or {}
    results = tuple(_result(catalogue, facts, g, area_name, comments.get(g.id)) for g in catalogue.goals)
    measured = [r for r in results if not r.is_bearing]
    summary = {s: sum(1 for r in measured if r.status is s) for s in Status}
    return GoalFollowUp(catalogue.name, catalogue.area, area_name, catalogue.year, catalogue.sha256, period,
                    engine.snapshot.id, engine.synthetic, results, summary)


def _bearing_facts(catalogue: Catalogue, goal: Goal, period: Period, facts: dict[str, Facts]) -> Facts:
    """A bearing's status from its children's, depth first (a bearing may serve another bearing)."""
    if goal.id in facts:
        return facts[goal.id]
    children = tuple(_bearing_facts(catalogue, c, period, facts).status for c in catalogue.children(goal.id))
    status = rules.bearing(children)
    facts[goal.id] = Facts(goal, period, status, None if children else Reason.NO_CHILDREN, children=children)
    return facts[goal.id]


def _result(catalogue: Catalogue, all_facts: dict[str, Facts], goal: Goal, area_name: str,
            comment: Comment | None) -> GoalResult:
    facts = all_facts[goal.id]
    children = catalogue.children(goal.id)
    child_statuses = tuple((c.title, all_facts[c.id].status) for c in children)
    text = texts.goal_text(facts, catalogue.year, area_name, child_statuses)
    return GoalResult(
        id=goal.id, title=goal.title, parent=goal.parent, sources=goal.sources, owner=goal.owner,
        status=facts.status, value=facts.value, target=facts.target, unit=facts.unit, reason=facts.reason,
        text=text, data_until=facts.data_until, history=facts.history, children=tuple(c.id for c in children),
        comment=comment, is_bearing=goal.is_bearing, measure=goal.measure.value if goal.measure else None,
        rule=goal.rule.type if goal.rule else None, decimals=facts.decimals, level_unit=facts.level_unit,
        history_target=facts.history_target, development=facts.development, carried_forward=facts.carried,
        is_change=_is_change(goal), target_text=texts.target_text(facts), result_text=texts.result_text(facts),
        target_phrase=texts.target_phrase(facts), result_phrase=texts.result_phrase(facts),
        note=goal.note, benchmark=facts.benchmark, benchmark_history=facts.benchmark_history,
    )


def _is_change(goal: Goal) -> bool:
    if isinstance(goal.rule, VersusBenchmark):
        return goal.rule.compare != "level"
    return goal.measure in (Measure.CHANGE, Measure.CHANGE_PCT)


class _Goal:
    """The evaluation of one goal with an indicator."""

    def __init__(self, catalogue: Catalogue, engine: KeyFigureEngine, period: Period, goal: Goal) -> None:
        self.catalogue, self.engine, self.period, self.goal = catalogue, engine, period, goal
        self.indicator = goal.indicator
        self.area = catalogue.area
        is_share = self.indicator.is_share
        self.level_unit = SHARE_UNIT if is_share else (goal.unit or engine.unit(self.indicator)[0])
        self.decimals = goal.decimals if goal.decimals is not None else fmt.decimals(self.level_unit)

    def facts(self) -> Facts:
        base = Facts(self.goal, self.period, Status.NOT_ASSESSABLE, level_unit=self.level_unit,
                     unit=self.level_unit, decimals=self.decimals)
        freq = self._freq()
        asked = _last_within(self.period, freq) if freq else None
        until = self.engine.latest_period(self.indicator, self.area, asked) if asked else None
        if asked is None or until is None:
            return replace(base, reason=Reason.NO_DATA, asked=asked)
        lag = asked.last_month().steps_since(until.last_month())
        fixed_end = isinstance(self.goal.rule, VersusBenchmark) and self.goal.rule.end is not None
        lagging = lag > self.catalogue.max_lag_months and not fixed_end
        carried = until != asked and not lagging and not fixed_end
        base = replace(base, asked=asked, data_until=until, carried=carried,
                       history=self._history(asked))
        base = replace(base, history_target=self._history_target())
        measure = self.goal.measure
        if measure in (Measure.YTD_AVERAGE, Measure.YEAR_AVERAGE, Measure.YEAR_TOTAL) and until.year != asked.year:
            return replace(base, reason=Reason.NO_DATA)
        facts = self._judge(base, until)
        if lagging and facts.reason is not Reason.YEAR_NOT_OVER:
            return replace(facts, status=Status.NOT_ASSESSABLE, reason=Reason.LAGGING)
        return facts

    # The rules ---------------------------------------------------------------------------------

    def _judge(self, base: Facts, until: Period) -> Facts:
        rule = self.goal.rule
        if isinstance(rule, VersusBenchmark):
            return self._versus_benchmark(base, rule, until)
        if isinstance(rule, Cumulative):
            return self._cumulative(base, rule, until)
        if self.goal.measure in (Measure.YEAR_AVERAGE, Measure.YEAR_TOTAL) and until.index < until.freq.per_year:
            # never look past the period asked for, even when the store already holds later months
            return replace(base, reason=Reason.YEAR_NOT_OVER, development=self._year_development(until))
        value, unit, development = self._measured(until)
        base = replace(base, development=development, unit=unit)
        if value.value is None:
            return replace(base, reason=_missing_reason(value), missing_reason=value.reason)
        base = replace(base, value=value.value)
        if isinstance(rule, Threshold):
            return replace(base, status=rules.threshold(rule, value.value), target=rule.value)
        if isinstance(rule, VersusReference):
            reference = self._reference(rule, until)
            if reference.value is None:
                return replace(base, reason=Reason.NO_REFERENCE)
            return replace(base, status=rules.versus_reference(rule, value.value, reference.value),
                           target=reference.value, history_target=reference.value if self._level() else None)
        assert isinstance(rule, Graduated)
        status, target = rules.graduated(rule, value.value, self.period.year)
        if status is None:
            return replace(base, reason=Reason.NO_TARGET)
        return replace(base, status=status, target=target)

    def _measured(self, until: Period) -> tuple[Value, str, Development | None]:
        """The measure's value at ``until``, its unit, and the development it rests on."""
        measure = self.goal.measure
        if measure in (Measure.CHANGE, Measure.CHANGE_PCT):
            change = self.engine.change(self.indicator, self.area, until, until.year_ago())
            amount = change.change if measure is Measure.CHANGE else change.change_pct
            unit = self._change_unit("change" if measure is Measure.CHANGE else "change_pct")
            return Value(self.area, PeriodRange(until, until), amount), unit, _development(change)
        if measure is Measure.YEAR_TOTAL:
            return self.engine.total(self.indicator, self.area, until, Window.YEAR), self.level_unit, None
        value = self.engine.value(self.indicator, self.area, until, _LEVEL_WINDOWS[measure])
        return value, self.level_unit, self._year_development(until)

    def _versus_benchmark(self, base: Facts, rule: VersusBenchmark, until: Period) -> Facts:
        end = rule.end or until
        start = rule.start or end.year_ago()
        for key, given in (("to", rule.end), ("from", rule.start)):
            if given is not None and given.freq is not until.freq:
                raise self.catalogue.error(self.goal, ("rule", key),
                                           f"serien opgøres pr. {_freq_word(until.freq)}, men '{key}' er {given}")
        if end.last_month() > self.period.last_month():
            return replace(base, compare_end=end, reason=Reason.NOT_DUE)
        window = _LEVEL_WINDOWS[self.goal.measure]
        areas = [self.area, rule.benchmark]
        if rule.compare == "level":
            now = self.engine.window_values(self.indicator, areas, end, window)
            ours, theirs = now[self.area].value, now[rule.benchmark].value
            why = now[self.area].reason, now[rule.benchmark].reason
        else:
            changes = [self.engine.change(self.indicator, a, end, start, window) for a in areas]
            key = "change_pct" if rule.compare == "change_pct" else "change"
            ours, theirs = (getattr(c, key) for c in changes)
            why = tuple(c.end.reason or c.start.reason for c in changes)
        name = self.engine.registry.get(rule.benchmark).name
        periods = [p for p, _ in base.history]
        their_values = self.engine.values(self.indicator, [rule.benchmark], periods) if periods else {}
        bench_id = self.engine.registry.get(rule.benchmark).id
        base = replace(base, benchmark_history=tuple((p, their_values[bench_id, p].value) for p in periods))
        base = replace(base, benchmark=name, compare_start=start if rule.compare != "level" else None,
                       compare_end=end, unit=self._change_unit(rule.compare))
        if ours is None:
            return replace(base, reason=Reason.NO_DATA, missing_reason=why[0])
        if theirs is None:
            return replace(base, value=ours, reason=Reason.NO_BENCHMARK, missing_reason=why[1])
        return replace(base, value=ours, target=theirs, status=rules.versus_benchmark(rule, ours, theirs))

    def _cumulative(self, base: Facts, rule: Cumulative, until: Period) -> Facts:
        so_far = self.engine.total(self.indicator, self.area, until, Window.YTD)
        if so_far.value is None:
            return replace(base, reason=_missing_reason(so_far))
        base = replace(base, value=so_far.value, target=rule.value)
        per_year = until.freq.per_year
        if self.period.last_month().index < 12:
            projected = rules.projection(so_far.value, until.index, per_year)
            return replace(base, reason=Reason.YEAR_NOT_OVER, projection=projected,
                           projected_met=rules.holds(rule.op, projected, rule.value))
        if until.index < per_year:
            return replace(base, reason=Reason.LAGGING)
        return replace(base, status=rules.threshold(rule, so_far.value))

    # Figures -----------------------------------------------------------------------------------

    def _reference(self, rule: VersusReference, until: Period) -> Value:
        """The reference period's value, on the same measure (a year's average for a reference year)."""
        ref = rule.reference
        if ref.freq is until.freq:
            if self.goal.measure is Measure.YEAR_TOTAL:
                return self.engine.total(self.indicator, self.area, ref, Window.YEAR)
            return self.engine.value(self.indicator, self.area, ref, _LEVEL_WINDOWS[self.goal.measure])
        if ref.freq is not Freq.YEAR:
            raise self.catalogue.error(self.goal, ("rule", "reference"),
                                       f"referencen skal være et år eller en {_freq_word(until.freq)} som serien")
        last = Period(until.freq, ref.year, until.freq.per_year)
        if self.goal.measure is Measure.YEAR_TOTAL:
            return self.engine.total(self.indicator, self.area, last, Window.YEAR)
        return self.engine.value(self.indicator, self.area, last, Window.YEAR)

    def _year_development(self, until: Period) -> Development | None:
        """From the year's first period to ``until``: "steget fra 2,0 procent i januar til 2,6 procent …"."""
        if until.freq is Freq.YEAR or until.index == 1:
            return None
        return _development(self.engine.change(self.indicator, self.area, until, Period(until.freq, until.year, 1)))

    def _history(self, asked: Period) -> tuple[tuple[Period, float | None], ...]:
        """The goal year's values up to the period asked for; running totals for a count over the year."""
        if asked.year != self.period.year:
            return ()
        periods = list(PeriodRange(Period(asked.freq, asked.year, 1), asked))
        if isinstance(self.goal.rule, Cumulative):
            return tuple((p, self.engine.total(self.indicator, self.area, p, Window.YTD).value) for p in periods)
        values = self.engine.values(self.indicator, [self.area], periods)
        return tuple((p, values[self.area, p].value) for p in periods)

    def _history_target(self) -> float | None:
        """The target on the scale of the history's values, where it has one (not for developments)."""
        rule = self.goal.rule
        if isinstance(rule, Cumulative):
            return rule.value
        if isinstance(rule, Threshold) and self._level():
            return rule.value
        if isinstance(rule, Graduated) and self._level():
            return rule.target(self.period.year)
        return None

    def _level(self) -> bool:
        return self.goal.measure in _LEVEL_WINDOWS

    def _change_unit(self, compare: str) -> str:
        if compare == "change_pct":
            return "%"
        if compare == "change":
            return "procentpoint" if self.level_unit == SHARE_UNIT else self.level_unit
        return self.level_unit

    def _freq(self) -> Freq | None:
        """The series' frequency: the period's own if the series has it, else the finest it has."""
        for freq in dict.fromkeys((self.period.freq, Freq.MONTH, Freq.QUARTER, Freq.YEAR)):
            if self.engine.store.periods(self.indicator.series, freq.value, snapshot=self.engine.snapshot.id):
                return freq
        return None


def _last_within(period: Period, freq: Freq) -> Period:
    """The newest period of ``freq`` that has ended when ``period`` ends (2023M08 → 2023Q2 for quarters)."""
    last = period.last_month()
    if freq is Freq.MONTH:
        return last
    if freq is Freq.QUARTER:
        quarter = last.quarter()
        return quarter if quarter.last_month() == last else quarter - 1
    year = Period(Freq.YEAR, last.year)
    return year if last.index == 12 else year - 1


def _development(change: Change) -> Development | None:
    if change.change is None:
        return None
    return Development(change.start.window.end, change.start.value, change.end.window.end, change.end.value,
                       change.change, change.change_pct)


def _missing_reason(value: Value) -> Reason:
    return Reason.INCOMPLETE if value.missing is Missing.INCOMPLETE else Reason.NO_DATA


def _freq_word(freq: Freq) -> str:
    return {Freq.MONTH: "måned", Freq.QUARTER: "kvartal", Freq.YEAR: "år", Freq.QMAT: "løbende år"}[freq]
