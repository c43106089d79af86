"""Each rule type and each reason a goal cannot be assessed, on small stores written for the case."""

import textwrap

import pytest

from maaltal.document import Status
from maaltal.errors import MaaltalError
from maaltal.goals import evaluate, load_catalogue, loads_catalogue
from maaltal.goals.rules import Reason
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.sources import observations_csv
from maaltal.store import Observation
from tests.conftest import TEST_DATA

EXAMPLES = TEST_DATA.parents[1] / "examples"


def catalogue(registry, goals: str, *, year: int = 2023, lag: int = 1):
    text = (f"name: Test\narea: Gladsaxe\nyear: {year}\nmax_lag_months: {lag}\ngoals:\n"
            + textwrap.indent(textwrap.dedent(goals), "  "))
    return loads_catalogue(text, registry, "test.yaml")


def write(store, series: str, values: dict[str, float], *, unit: str = "personer", area: str = "159",
          dims: dict | None = None) -> None:
    store.write_snapshot([Observation(series, area, Period.parse(p), v, unit, dims or {})
                          for p, v in values.items()], source="test")


def months(year: int, values: list[float]) -> dict[str, float]:
    return {f"{year}M{m:02d}": v for m, v in enumerate(values, 1)}


def one(store, registry, goals: str, period: str, **kwargs):
    followup = evaluate(catalogue(registry, goals, **kwargs), KeyFigureEngine(store, registry), period)
    return followup.goals[-1]


COUNT_GOAL = """
- id: g
  title: Antal
  indicator: {{series: antal}}
  measure: {measure}
  rule: {rule}
"""


def count_goal(rule: str, measure: str = "latest") -> str:
    return COUNT_GOAL.format(rule=rule, measure=measure)


# threshold --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("op", "status"), [(">=", Status.MET), (">", Status.NOT_MET), ("<=", Status.MET),
                                            ("<", Status.NOT_MET)])
def test_threshold_at_the_boundary(store, registry, op, status):
    write(store, "antal", months(2023, [90, 100]))
    goal = one(store, registry, count_goal(f'{{type: threshold, op: "{op}", value: 100}}'), "2023M02")
    assert (goal.status, goal.value, goal.target) == (status, 100, 100)


def test_threshold_on_the_change_since_last_year(store, registry):
    write(store, "antal", {"2022M06": 1180, "2023M06": 1150})
    goal = one(store, registry, count_goal('{type: threshold, op: ">", value: 0}', "change"), "2023M06")
    assert (goal.status, goal.value, goal.is_change) == (Status.NOT_MET, -30, True)
    assert "faldet fra 1.180 personer i juni 2022 til 1.150 personer i juni 2023" in goal.text
    pct = one(store, registry, count_goal('{type: threshold, op: "<=", value: -2}', "change_pct"), "2023M06")
    assert pct.status is Status.MET and pct.unit == "%" and round(pct.value, 2) == -2.54


# versus_reference -------------------------------------------------------------------------------

def test_versus_reference_month_and_year(store, registry):
    write(store, "antal", {**months(2022, [10] * 12), **months(2023, [12, 9])})
    fell = one(store, registry, count_goal("{type: versus_reference, direction: decrease, reference: 2022}"),
               "2023M02")
    assert (fell.status, fell.value, fell.target) == (Status.MET, 9, 10)
    assert "skal falde i forhold til 2022. I 2022 var gennemsnittet 10 personer" in fell.text
    rose = one(store, registry, count_goal("{type: versus_reference, direction: increase, reference: 2022M01}",
                                           "ytd_average"), "2023M02")
    assert (rose.status, rose.value, rose.target) == (Status.MET, 10.5, 10)
    level = one(store, registry, count_goal("{type: versus_reference, direction: decrease, reference: 2022M01}"),
                "2023M01")
    assert level.status is Status.NOT_MET  # 12 against 10: it must fall, it rose


def test_versus_reference_without_reference_data(store, registry):
    write(store, "antal", months(2023, [5]))
    goal = one(store, registry, count_goal("{type: versus_reference, direction: decrease, reference: 2021}"),
               "2023M01")
    assert (goal.status, goal.reason) == (Status.NOT_ASSESSABLE, Reason.NO_REFERENCE)
    assert "ingen tal for referenceperioden 2021" in goal.text


# versus_benchmark -------------------------------------------------------------------------------

def test_horsens_development_against_the_nation_and_the_goal_chain(store, registry):
    """Horsens item 1: −8,7 % against −1,4 % nationally (met); the ready-for-work group rose 56,2 % against
    12,6 % (not met); the active group fell 28,8 % against 6,2 % (met). The bearing shows its goal's status,
    the goal its two subgroups'."""
    observations_csv.import_file(store, TEST_DATA / "horsens_kontanthjaelp.csv", registry)
    followup = evaluate(load_catalogue(EXAMPLES / "horsens-2020.yaml", registry), KeyFigureEngine(store, registry),
                        "2020M06")
    total, active, ready = (followup.goal(g) for g in ("kontanthjaelp", "aktivitetsparate", "jobparate"))
    assert (total.status, round(total.value, 1), round(total.target, 1)) == (Status.MET, -8.7, -1.4)
    assert (active.status, round(active.value, 1), round(active.target, 1)) == (Status.MET, -28.8, -6.2)
    assert (ready.status, round(ready.value, 1), round(ready.target, 1)) == (Status.NOT_MET, 56.2, 12.6)
    assert ("Fra juni 2019 til juni 2020 var udviklingen et fald på 8,7 pct. i Horsens mod et fald på 1,4 pct. i "
            "hele landet") in total.text
    assert total.children == ("aktivitetsparate", "jobparate")
    assert "Aktivitetsparate kontanthjælpsmodtagere (opfyldt); Jobparate kontanthjælpsmodtagere (ikke opfyldt)" \
        in total.text
    # The table's cells carry the sign; a sentence says the development in words (the agenda item's prose).
    assert (ready.result_text, ready.target_text) == ("+56,2 %", "som hele landets udvikling (+12,6 %) eller bedre")
    assert (ready.result_phrase, ready.target_phrase) == (
        "en stigning på 56,2 pct.", "som hele landets udvikling (en stigning på 12,6 pct.) eller bedre")
    assert total.result_phrase == "et fald på 8,7 pct."
    bearing = followup.goal("faerre-offentligt-forsoergede")
    assert bearing.is_bearing and bearing.status is Status.MET and bearing.children == ("kontanthjaelp",)
    assert followup.summary == {Status.MET: 2, Status.NOT_MET: 1, Status.NOT_ASSESSABLE: 0}


def test_versus_benchmark_tolerance_counts_as_on_a_level(store, registry):
    for area, (before, after) in {"159": (100, 104), "000": (1000, 1035)}.items():
        write(store, "antal", {"2022M06": before, "2023M06": after}, area=area)
    rule = "{{type: versus_benchmark, benchmark: '000', compare: change_pct, better: lower, tolerance: {t}}}"
    within = one(store, registry, count_goal(rule.format(t=0.5)), "2023M06")
    assert within.status is Status.MET and round(within.value - within.target, 1) == 0.5
    assert "En forskel på op til 0,5 procentpoint regnes som på niveau" in within.text
    assert one(store, registry, count_goal(rule.format(t=0.4)), "2023M06").status is Status.NOT_MET
    level = one(store, registry, count_goal(
        "{type: versus_benchmark, benchmark: '000', compare: level, better: higher}"), "2023M06")
    assert (level.status, level.value, level.target) == (Status.NOT_MET, 104, 1035)


def test_versus_benchmark_fixed_periods_missing_benchmark_and_not_due(store, registry):
    write(store, "antal", {"2022M06": 100, "2023M03": 90, "2023M06": 95})
    fixed = ("{type: versus_benchmark, benchmark: Gentofte, from: 2022M06, to: 2023M06, compare: change,"
             " better: lower}")
    goal = one(store, registry, count_goal(fixed), "2023M06")
    assert (goal.status, goal.reason, goal.value) == (Status.NOT_ASSESSABLE, Reason.NO_BENCHMARK, -5)
    assert "ingen tal for Gentofte" in goal.text
    early = one(store, registry, count_goal(fixed), "2023M03")
    assert early.reason is Reason.NOT_DUE and "til og med juni 2023" in early.text


# cumulative -------------------------------------------------------------------------------------

def test_cumulative_counts_the_whole_year(store, registry):
    write(store, "antal", months(2023, [8] * 12), unit="unge")
    rule = '{type: cumulative, op: ">=", value: 100}'
    goal = one(store, registry, count_goal(rule, "year_total"), "2023M12")
    assert (goal.status, goal.value, goal.target) == (Status.NOT_MET, 96, 100)
    assert [v for _, v in goal.history][:3] == [8, 16, 24]


def test_cumulative_projection_that_falls_short(store, registry):
    write(store, "antal", months(2023, [5, 6, 7]), unit="unge")
    goal = one(store, registry, count_goal('{type: cumulative, op: ">=", value: 100}', "year_total"), "2023M03")
    assert (goal.status, goal.reason, goal.value) == (Status.NOT_ASSESSABLE, Reason.YEAR_NOT_OVER, 18)
    assert "Fremskrevet til årets udgang giver det 72 unge, så målet vurderes ikke at blive nået." in goal.text


def test_cumulative_at_year_end_with_a_lagging_month(store, registry):
    write(store, "antal", months(2023, [9] * 11), unit="unge")
    goal = one(store, registry, count_goal('{type: cumulative, op: ">=", value: 50}', "year_total"), "2023M12")
    assert (goal.status, goal.reason, goal.data_until) == (Status.NOT_ASSESSABLE, Reason.LAGGING,
                                                           Period.parse("2023M11"))


# graduated --------------------------------------------------------------------------------------

def test_slagelse_graduated_targets_per_year(store, registry):
    """Slagelse item 5: baseline 2016 12,6 %, targets 10,4 % (2020) … 9,4 % (2025), followed up on August."""
    observations_csv.import_file(store, TEST_DATA / "slagelse_unge_2020-2021.csv", registry)
    engine = KeyFigureEngine(store, registry)
    text = (EXAMPLES / "slagelse-2021.yaml").read_text(encoding="utf-8")
    for year, status, value, target in ((2020, Status.NOT_MET, 10.6, 10.4), (2021, Status.MET, 9.9, 10.1)):
        cat = loads_catalogue(text.replace("year: 2021", f"year: {year}"), registry, "slagelse.yaml")
        goal = evaluate(cat, engine, f"{year}M08").goal("unge-paa-ydelse-august")
        assert (goal.status, round(goal.value, 1), goal.target) == (status, value, target)
        assert goal.history_target == target
    assert f"højst {target:.1f} pct. (baseline 2016: 12,6 pct.)".replace(".", ",").replace("pct,", "pct.") in goal.text
    assert "2,7 procentpoint under baseline (2016)" in goal.text


def test_year_average_waits_for_the_year_even_when_later_months_are_stored(store, registry):
    observations_csv.import_file(store, TEST_DATA / "slagelse_unge_2020-2021.csv", registry)
    text = (EXAMPLES / "slagelse-2021.yaml").read_text(encoding="utf-8").replace("year: 2021", "year: 2020")
    cat = loads_catalogue(text, registry, "slagelse.yaml")
    engine = KeyFigureEngine(store, registry)
    august = evaluate(cat, engine, "2020M08")
    assert august.goal("unge-paa-ydelse-aar").reason is Reason.YEAR_NOT_OVER
    assert august.goal("ungeindsatsen").status is Status.NOT_MET  # the August goal is not met
    december = evaluate(cat, engine, "2020M12").goal("unge-paa-ydelse-aar")
    assert (december.status, round(december.value, 1)) == (Status.NOT_MET, 10.5)


def test_graduated_without_a_target_for_the_year(store, registry):
    write(store, "antal", months(2019, [10]))
    rule = '{type: graduated, op: "<=", baseline: {period: 2016, value: 12}, targets: {2020: 9}}'
    goal = one(store, registry, count_goal(rule), "2019M01", year=2019)
    assert (goal.status, goal.reason) == (Status.NOT_ASSESSABLE, Reason.NO_TARGET)


# reasons for not assessable ---------------------------------------------------------------------

def test_no_data_for_the_area(store, registry):
    write(store, "antal", months(2023, [5]), area="157")
    goal = one(store, registry, count_goal('{type: threshold, op: "<", value: 9}'), "2023M01")
    assert (goal.status, goal.reason, goal.data_until) == (Status.NOT_ASSESSABLE, Reason.NO_DATA, None)
    assert "Der er ingen data for Gladsaxe til og med januar 2023" in goal.text


def test_a_lagging_month_is_carried_forward_within_the_limit_only(store, registry):
    write(store, "antal", months(2023, [5, 6, 7]))
    rule = count_goal('{type: threshold, op: "<", value: 9}')
    carried = one(store, registry, rule, "2023M04")
    assert (carried.status, carried.carried_forward, str(carried.data_until)) == (Status.MET, True, "2023M03")
    assert "Der er endnu ikke data for april 2023; martstallene er anvendt som apriltal." in carried.text
    late = one(store, registry, rule, "2023M05")
    assert (late.status, late.reason, late.value) == (Status.NOT_ASSESSABLE, Reason.LAGGING, 7)
    assert one(store, registry, rule, "2023M05", lag=2).status is Status.MET


def test_a_gap_in_the_year_to_date(store, registry):
    write(store, "antal", {"2023M01": 5, "2023M03": 7})
    goal = one(store, registry, count_goal('{type: threshold, op: "<", value: 9}', "ytd_average"), "2023M03")
    assert (goal.status, goal.reason) == (Status.NOT_ASSESSABLE, Reason.INCOMPLETE)


def test_last_years_data_do_not_make_this_years_average(store, registry):
    write(store, "antal", months(2022, [5] * 12))
    goal = one(store, registry, count_goal('{type: threshold, op: "<", value: 9}', "ytd_average"), "2023M01")
    assert (goal.reason, str(goal.data_until)) == (Reason.NO_DATA, "2022M12")
    assert "Der er endnu ingen data for 2023" in goal.text


def test_quarterly_series_in_a_monthly_follow_up(store, registry):
    write(store, "tilfredshed", {"2023Q1": 84, "2023Q2": 80}, unit="pct.")
    goals = "- id: t\n  title: T\n  indicator: {series: tilfredshed}\n  rule: {type: threshold, op: '>=', value: 78}"
    assert str(one(store, registry, goals, "2023M08").data_until) == "2023Q2"  # Q3 has not ended in August
    assert one(store, registry, goals, "2023M08").status is Status.MET
    assert one(store, registry, goals, "2023M09").reason is Reason.LAGGING    # Q3 ended and is missing


def test_period_outside_the_catalogue_year_is_refused(store, registry):
    write(store, "antal", months(2024, [5]))
    with pytest.raises(MaaltalError, match="gælder 2023; perioden 2024M01 ligger uden for"):
        one(store, registry, count_goal('{type: threshold, op: "<", value: 9}'), "2024M01")
