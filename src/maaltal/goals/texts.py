"""Danish sentences explaining a goal's status, in the words of a goal follow-up to a committee.

"Målet for 2023 er, at gennemsnittet for året skal være mindst 8,2 procent. Pr. september 2023 var
gennemsnittet for året 2,5 procent. Ledige i virksomhedsrettet aktivering er steget fra 2,0 procent i
januar 2023 til 2,6 procent i september 2023, svarende til en stigning på 0,6 procentpoint. Målet er ikke
opfyldt." Every number goes through :mod:`maaltal.formatting`; nothing is decided here. What the figure
measures (:mod:`maaltal.kinds`) decides the words: a share's change in procentpoint, a rank's in places,
a count's also in per cent from a positive base, and every stated change is the difference of the
printed figures ("stort set uændret" when they print alike).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from maaltal import formatting as fmt
from maaltal import kinds
from maaltal.document import Status
from maaltal.goals.catalogue import Cumulative, Graduated, Measure, Threshold, VersusBenchmark, VersusReference
from maaltal.goals.rules import Development, Facts, Reason
from maaltal.periods import Freq

OP_WORDS = {">=": "mindst", ">": "over", "<=": "højst", "<": "under"}
_SUBJECT = {
    Measure.LATEST: "niveauet",
    Measure.YTD_AVERAGE: "gennemsnittet for året",
    Measure.YEAR_AVERAGE: "gennemsnittet for hele året",
    Measure.YEAR_TOTAL: "det samlede antal for året",
    Measure.CHANGE: "ændringen siden samme periode sidste år",
    Measure.CHANGE_PCT: "den procentvise ændring siden samme periode sidste år",
}


def amount(value: float | None, unit: str, decimals: int) -> str:
    """A figure in running text: "2,6 pct.", "3.046 fuldtidspersoner", "−8,7 %", "0,6 procentpoint",
    "nr. 83", "1 fuldtidsperson". ``%`` is the unit of a change in per cent."""
    if unit == "%":
        return fmt.percent(value, max(decimals, 1))
    kind = kinds.kind_of(unit)
    if kind is kinds.Kind.SHARE:
        return fmt.pct(value, decimals)
    if kind is kinds.Kind.RANK:
        return fmt.rank(value)
    return fmt.counted(value, unit, decimals)


def figure(value: float | None, unit: str, decimals: int, *, change: bool = False, target: bool = False) -> str:
    """A figure for a table cell: "2,5 pct.", "+34 fuldtidspersoner"; a whole-number target without decimals."""
    if value is None:
        return ""
    if target and float(value).is_integer():
        decimals = 0
    if change and unit != "%":
        return f"{fmt.signed(value, decimals)} {unit}".strip()
    return amount(value, unit, decimals)


def target_text(facts: Facts) -> str:
    """The target as the goal table's "Målsætning" cell says it, naming what it is: "under 3 pct.", "fald
    fra 2023 (14,6 pct.)", "som hele landets udvikling (−0,4 %) eller bedre"."""
    rule, goal = facts.goal.rule, facts.goal
    if goal.is_bearing or rule is None:
        return ""
    if isinstance(rule, Threshold | Cumulative):
        return f"{OP_WORDS[rule.op]} {figure(rule.value, facts.unit, facts.decimals, target=True)}"
    if isinstance(rule, Graduated):
        target = rule.target(facts.period.year)
        if target is None:
            return f"intet mål for {facts.period.year}"
        places = rule.decimals(facts.period.year, facts.decimals)
        return f"{OP_WORDS[rule.op]} {figure(target, facts.level_unit, places)}"
    if isinstance(rule, VersusReference):
        word = "fald" if rule.direction == "decrease" else "stigning"
        known = f" ({figure(facts.target, facts.unit, facts.decimals)})" if facts.target is not None else ""
        return f"{word} fra {fmt.period(rule.reference)}{known}"
    assert isinstance(rule, VersusBenchmark)
    bench = fmt.in_text(facts.benchmark or "")
    what = "niveau" if rule.compare == "level" else "udvikling"
    known = (f" ({_signed(facts.target, facts.unit, facts.decimals, _is_development(facts))})"
             if facts.target is not None else "")
    return f"som {bench}s {what}{known} eller bedre"


def result_text(facts: Facts) -> str:
    """The measured result for the goal table's "Resultat" cell: "2,5 pct.", "+1,6 %", "570 fuldtidspersoner"."""
    if facts.value is None:
        return "–"
    return _signed(facts.value, facts.unit, facts.decimals, _is_development(facts)).replace(" procent", " pct.")


def result_phrase(facts: Facts) -> str:
    """The result as a sentence says it: a development in words ("en stigning på 1,6 pct."), any other
    result as its cell ("10,3 pct.")."""
    if facts.value is None or not _is_development(facts):
        return result_text(facts)
    return fmt.development(facts.value, facts.unit, facts.decimals)


def target_phrase(facts: Facts) -> str:
    """The target as a sentence says it: the benchmark's development in words ("som hele landets udvikling
    (et fald på 0,4 pct.) eller bedre"), any other target as its cell."""
    rule = facts.goal.rule
    if facts.goal.is_bearing or facts.target is None or not _is_development(facts):
        return target_text(facts)
    assert isinstance(rule, VersusBenchmark)
    return (f"som {fmt.in_text(facts.benchmark or '')}s udvikling "
            f"({fmt.development(facts.target, facts.unit, facts.decimals)}) eller bedre")


def _is_development(facts: Facts) -> bool:
    """Whether the goal's figure is a development compared with a benchmark's (signed in a cell)."""
    return isinstance(facts.goal.rule, VersusBenchmark) and facts.goal.rule.compare != "level"


def summary_sentence(summary: Mapping[Status, int]) -> str:
    """ "3 mål er opfyldt, 4 er ikke opfyldt, og 3 kan ikke vurderes endnu." """
    met, not_met, open_ = (summary.get(s, 0) for s in Status)
    return (f"Der følges op på i alt {met + not_met + open_} mål. {met} er opfyldt, {not_met} er ikke opfyldt, "
            f"og {open_} kan ikke vurderes endnu.")


def goal_text(facts: Facts, year: int, area_name: str, children: Sequence[tuple[str, Status]] = ()) -> str:
    """The whole explanation of one goal (or bearing) for the period."""
    if facts.goal.is_bearing:
        return _bearing(children)
    parts = [_goal_sentence(facts, year, area_name)]
    if facts.carried:
        parts.append(_carried(facts))
    parts += _figures(facts, year, area_name)
    parts.append(_verdict(facts, year, area_name))
    if children:
        parts.append(_children(children))
    return _tidy(" ".join(p for p in parts if p))


def _tidy(text: str) -> str:
    """One full stop after an abbreviation that ends a sentence ("… 2,7 pct." not "… 2,7 pct..")."""
    return text.replace("pct..", "pct.").replace("kr..", "kr.")


# The goal ---------------------------------------------------------------------------------------

def _goal_sentence(facts: Facts, year: int, area_name: str) -> str:
    rule, goal = facts.goal.rule, facts.goal
    subject = _SUBJECT[goal.measure]
    if isinstance(rule, Threshold):
        return f"Målet for {year} er, at {subject} skal være {OP_WORDS[rule.op]} {_target(rule.value, facts)}."
    if isinstance(rule, Cumulative):
        return f"Målet for {year} er {OP_WORDS[rule.op]} {_target(rule.value, facts)} i løbet af året."
    if isinstance(rule, Graduated):
        year_ = facts.period.year
        target = rule.target(year_)
        places = rule.decimals(year_, facts.decimals)
        goal_part = (f"{OP_WORDS[rule.op]} {amount(target, facts.unit, places)}" if target is not None
                     else f"fastsat for årene {', '.join(str(y) for y, _ in rule.targets)}")
        baseline = amount(rule.baseline_value, facts.level_unit, facts.decimals)
        cut = rule.cut(year_)
        basis = f" − {fmt.number(cut, 0 if float(cut).is_integer() else 1)} %" if cut is not None else ""
        text = (f"Målet for {year} er, at {subject} skal være {goal_part} (baseline "
                f"{fmt.period(rule.baseline_period)}: {baseline}{basis}).")
        stated = dict(rule.stated).get(year_)
        if stated is not None:
            text += (f" Målkataloget angiver også {amount(stated, facts.unit, facts.decimals)}, som ikke svarer "
                     "til reduktionen; målet følges op på den beregnede værdi.")
        return text
    if isinstance(rule, VersusReference):
        verb = "falde" if rule.direction == "decrease" else "stige"
        text = f"Målet for {year} er, at {subject} skal {verb} i forhold til {fmt.period(rule.reference)}."
        if facts.target is not None:
            noun = "gennemsnittet" if rule.reference.freq is Freq.YEAR and goal.measure is not Measure.YEAR_TOTAL \
                else "niveauet"
            text += f" I {fmt.period(rule.reference)} var {noun} {amount(facts.target, facts.unit, facts.decimals)}."
        return text
    assert isinstance(rule, VersusBenchmark)
    bench = fmt.in_text(facts.benchmark or "")
    if rule.compare == "level":
        side = "lavere" if rule.better == "lower" else "højere"
        text = f"Målet er, at niveauet i {area_name} skal være {side} end eller på niveau med {bench}."
    else:
        text = f"Målet er, at udviklingen i {area_name} skal være bedre end eller på niveau med {bench}."
    if rule.tolerance:
        tolerance_unit = "procentpoint" if facts.unit in ("%", "pct.", "procentpoint") else facts.unit
        text += f" En forskel på op til {amount(rule.tolerance, tolerance_unit, 1)} regnes som på niveau."
    return text


def _target(value: float | None, facts: Facts) -> str:
    decimals = 0 if value is not None and float(value).is_integer() else facts.decimals
    return amount(value, facts.unit, decimals)


def _carried(facts: Facts) -> str:
    asked, until = facts.asked, facts.data_until
    if asked.freq is Freq.MONTH:
        used = f"{fmt.month_name(until.index)}tallene er anvendt som {fmt.month_name(asked.index)}tal"
    else:
        used = f"tallene for {fmt.period(until)} er anvendt"
    return f"Der er endnu ikke data for {fmt.period(asked)}; {used}."


# The figures ------------------------------------------------------------------------------------

def _figures(facts: Facts, year: int, area_name: str) -> list[str]:
    if facts.value is None:
        return []
    goal, rule = facts.goal, facts.goal.rule
    value = amount(facts.value, facts.unit, facts.decimals)
    until = facts.data_until
    if isinstance(rule, VersusBenchmark):
        return [_benchmark_figures(facts, area_name)]
    if isinstance(rule, Cumulative):
        return [f"Til og med {fmt.period(until)} er der i alt {value} i {year}."]
    if facts.reason is Reason.LAGGING:
        first = f"Der er kun data til og med {fmt.period(until)}."
        label = "gennemsnittet for den opgjorte periode" if goal.measure is Measure.YTD_AVERAGE else _SUBJECT[
            goal.measure]
        return [first, f"{label[0].upper()}{label[1:]} er {value}."]
    sentences = []
    if goal.measure is Measure.LATEST:
        sentences.append(f"I {fmt.period(until)} var niveauet {value}.")
    elif goal.measure is Measure.YTD_AVERAGE:
        sentences.append(f"Pr. {fmt.period(until)} var gennemsnittet for året {value}.")
    elif goal.measure is Measure.YEAR_AVERAGE:
        sentences.append(f"Gennemsnittet for {until.year} var {value}.")
    elif goal.measure is Measure.YEAR_TOTAL:
        sentences.append(f"Det samlede antal for {until.year} var {value}.")
    if facts.development is not None:
        subject = goal.title if goal.measure in (Measure.LATEST, Measure.YTD_AVERAGE, Measure.YEAR_AVERAGE) \
            else "Niveauet"
        sentences.append(_development(subject, facts.development, facts.level_unit, facts.decimals))
    if isinstance(rule, Graduated):
        sentences.append(_against_baseline(facts, rule))
    return sentences


def _development(subject: str, dev: Development, unit: str, decimals: int) -> str:
    """ "… er steget fra 2,0 procent i januar 2023 til 2,6 procent i september 2023, svarende til en stigning
    på 0,6 procentpoint", told of the printed figures."""
    start = f"{amount(dev.start_value, unit, decimals)} i {fmt.period(dev.start)}"
    end = f"{amount(dev.end_value, unit, decimals)} i {fmt.period(dev.end)}"
    change = fmt.change(dev.start_value, dev.end_value, unit, decimals, beside_levels=True)
    diff = fmt.shown(dev.end_value, unit, decimals) - fmt.shown(dev.start_value, unit, decimals)
    if diff == 0:
        return f"{subject} er {change} fra {start} til {end}."
    if kinds.kind_of(unit) is kinds.Kind.RANK:
        return f"{subject} er gået fra {start} til {end}, svarende til {change}."
    return f"{subject} er {'steget' if diff > 0 else 'faldet'} fra {start} til {end}, svarende til {change}."


def _benchmark_figures(facts: Facts, area_name: str) -> str:
    bench = fmt.in_text(facts.benchmark or "")
    if facts.compare_start is None:
        ours = amount(facts.value, facts.unit, facts.decimals)
        against = (f" mod {amount(facts.target, facts.unit, facts.decimals)} i {bench}"
                   if facts.target is not None else "")
        return f"I {fmt.period(facts.compare_end)} var niveauet {ours} i {area_name}{against}."
    ours = fmt.development(facts.value, facts.unit, facts.decimals)
    against = (f" mod {fmt.development(facts.target, facts.unit, facts.decimals)} i {bench}"
               if facts.target is not None else "")
    return (f"Fra {fmt.period(facts.compare_start)} til {fmt.period(facts.compare_end)} var udviklingen "
            f"{ours} i {area_name}{against}.")


def _signed(value: float | None, unit: str, decimals: int, is_change: bool) -> str:
    if not is_change or unit == "%":
        return amount(value, unit, decimals)
    return f"{fmt.signed(value, decimals)} {unit}"


def _against_baseline(facts: Facts, rule: Graduated) -> str:
    gap = fmt.gap(facts.value, rule.baseline_value, facts.level_unit, facts.decimals)
    if gap is None:
        return f"Det er på niveau med baseline ({fmt.period(rule.baseline_period)})."
    return f"Det er {gap} baseline ({fmt.period(rule.baseline_period)})."


# The verdict ------------------------------------------------------------------------------------

def _verdict(facts: Facts, year: int, area_name: str) -> str:
    if facts.status is Status.MET:
        return "Målet er opfyldt."
    if facts.status is Status.NOT_MET:
        return "Målet er ikke opfyldt."
    reason, until, rule = facts.reason, facts.data_until, facts.goal.rule
    if reason is Reason.LAGGING:
        return (f"Da der kun foreligger data til og med {fmt.period(until)}, er det ikke muligt at følge op på "
                f"målet pr. {fmt.period(facts.period)}.")
    if reason is Reason.YEAR_NOT_OVER:
        text = (f"Da målet er for hele {year}, kan der først følges endeligt op på målet, når året er omme.")
        if facts.projection is not None:
            verdict = "at blive nået" if facts.projected_met else "ikke at blive nået"
            text += (f" Fremskrevet til årets udgang giver det {amount(facts.projection, facts.unit, 0)}, "
                     f"så målet vurderes {verdict}.")
        return text
    if reason is Reason.NOT_DUE:
        return (f"Målet gælder udviklingen til og med {fmt.period(facts.compare_end)} og kan først vurderes, "
                "når der er tal for den periode.")
    if reason is Reason.INCOMPLETE:
        return "Der mangler tal for en eller flere perioder i opgørelsen, så målet kan ikke vurderes."
    if reason is Reason.NO_REFERENCE:
        return f"Der er ingen tal for referenceperioden {fmt.period(rule.reference)}, så målet kan ikke vurderes."
    why = f" ({facts.missing_reason})" if facts.missing_reason else ""
    if reason is Reason.NO_BENCHMARK:
        return f"Der er ingen tal for {facts.benchmark}{why}, så målet kan ikke vurderes."
    if reason is Reason.NO_TARGET:
        return f"Der er ikke fastsat et mål for {facts.period.year}, så målet kan ikke vurderes."
    if until is not None:
        return f"Der er endnu ingen data for {year}{why}, så målet kan ikke følges op."
    return (f"Der er ingen data for {area_name} til og med {fmt.period(facts.period)}{why}, så målet kan ikke "
            "følges op.")


def _children(children: Sequence[tuple[str, Status]]) -> str:
    return "Underliggende mål: " + "; ".join(f"{title} ({status.label.lower()})" for title, status in children) + "."


def _bearing(children: Sequence[tuple[str, Status]]) -> str:
    if not children:
        return "Pejlemærket har endnu ingen mål, der følges op på."
    counts = {s: sum(1 for _, c in children if c is s) for s in Status}
    return (f"Pejlemærket følges op gennem {len(children)} mål: {counts[Status.MET]} opfyldt, "
            f"{counts[Status.NOT_MET]} ikke opfyldt og {counts[Status.NOT_ASSESSABLE]} kan ikke vurderes endnu. "
            + _children(children))

