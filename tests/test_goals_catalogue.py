"""The catalogue file: what it accepts, and refusals that name file, line and field."""

import pytest

from maaltal.errors import InputErrors
from maaltal.goals import Measure, load_catalogue, loads_catalogue
from maaltal.goals.catalogue import Cumulative, Graduated, VersusBenchmark
from tests.conftest import TEST_DATA, run_cli
from tests.test_goals_gladsaxe import CATALOGUE as GLADSAXE

EXAMPLES = TEST_DATA.parents[1] / "examples"

HEADER = "name: Test\narea: Gladsaxe\nyear: 2023\ngoals:\n"
GOAL = """\
  - id: aktivering
    title: Ledige i virksomhedsrettet aktivering
    indicator:
      series: ledige_virksomhedsrettet
      denominator: ledige
    measure: ytd_average
    rule:
      type: threshold
      op: ">="
      value: 8.2
"""


def refusal(registry, text: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        loads_catalogue(text, registry, "katalog.yaml")
    return [str(e) for e in caught.value.errors]


def test_the_shipped_examples_load(registry):
    gladsaxe = load_catalogue(GLADSAXE, registry)
    assert (gladsaxe.area, gladsaxe.year, gladsaxe.max_lag_months, len(gladsaxe.goals)) == ("159", 2023, 1, 10)
    assert len(gladsaxe.sha256) == 64
    fritidsjob = gladsaxe.goal("fritidsjob")
    assert isinstance(fritidsjob.rule, Cumulative) and fritidsjob.measure is Measure.YEAR_TOTAL
    unge = gladsaxe.goal("unge-offentlig-forsoergelse")
    assert unge.sources == ("Beskæftigelsesplan 2023", "Gladsaxe-strategien")
    assert dict(unge.indicator.dims) == {"alder": "18-29"} and unge.indicator.denominator == "befolkning"
    slagelse = load_catalogue(EXAMPLES / "slagelse-2021.yaml", registry)
    rule = slagelse.goal("unge-paa-ydelse-august").rule
    assert isinstance(rule, Graduated) and rule.target(2025) == 9.4 and rule.baseline_value == 12.6
    assert slagelse.goal("ungeindsatsen").is_bearing
    assert [g.id for g in slagelse.children("ungeindsatsen")] == ["unge-paa-ydelse-august", "unge-paa-ydelse-aar"]
    horsens = load_catalogue(EXAMPLES / "horsens-2020.yaml", registry)
    bench = horsens.goal("kontanthjaelp").rule
    assert isinstance(bench, VersusBenchmark) and (bench.benchmark, bench.tolerance) == ("000", 0.5)


def test_unknown_rule_type(registry):
    errors = refusal(registry, HEADER + GOAL.replace("type: threshold", "type: ratio"))
    assert errors == ["fil katalog.yaml, linje 12, felt 'goals.0.rule.type': ukendt type 'ratio'; vælg "
                      "threshold, versus_reference, versus_benchmark, cumulative eller graduated"]


def test_missing_field(registry):
    errors = refusal(registry, HEADER + GOAL.replace("    title: Ledige i virksomhedsrettet aktivering\n", ""))
    assert errors == ["fil katalog.yaml, linje 5, felt 'goals.0.title': feltet 'title' mangler"]


def test_bad_operator(registry):
    errors = refusal(registry, HEADER + GOAL.replace('op: ">="', 'op: "=>"'))
    assert errors == ["fil katalog.yaml, linje 13, felt 'goals.0.rule.op': ukendt op '=>'; vælg <, <=, > eller >="]


def test_every_problem_is_reported_at_once(registry):
    text = HEADER.replace("area: Gladsaxe", "area: Gladsax") + GOAL.replace("8.2", "otte") + """\
  - id: aktivering
    title: Igen
    parent: ukendt
    measure: latest
    indicater: {series: x}
"""
    errors = refusal(registry, text)
    assert any("linje 2, felt 'area': Ukendt område 'Gladsax'; mente du Gladsaxe (159)?" in e for e in errors)
    assert any("felt 'goals.0.rule.value': 'value' skal være et tal" in e for e in errors)
    assert any("felt 'goals.1.indicater': ukendt felt 'indicater'" in e for e in errors)
    assert any("felt 'goals.1.measure': et mål uden indicator er et pejlemærke" in e for e in errors)
    assert any("linje 15, felt 'goals.1.id': id 'aktivering' bruges også" in e for e in errors)
    assert any("felt 'goals.1.parent': målet 'ukendt' findes ikke" in e for e in errors)


def test_rule_specific_checks(registry):
    cumulative_share = GOAL.replace("type: threshold", "type: cumulative").replace("    measure: ytd_average\n", "")
    assert any("en andel (med denominator) kan ikke summeres" in e
               for e in refusal(registry, HEADER + cumulative_share))
    graduated = GOAL.replace("""      type: threshold
      op: ">="
      value: 8.2
""", """      type: graduated
      op: "<="
      baseline: {period: 2016}
      targets: {2020: 10.4, tyve: 9}
""")
    errors = refusal(registry, HEADER + graduated)
    assert any("felt 'goals.0.rule.baseline.value': feltet 'value' mangler" in e for e in errors)
    assert any("felt 'goals.0.rule.targets.tyve': 'tyve' er ikke et årstal" in e for e in errors)
    cycle = HEADER + "  - {id: a, title: A, parent: b}\n  - {id: b, title: B, parent: a}\n"
    assert any("tjener hinanden i ring" in e for e in refusal(registry, cycle))


def test_a_series_the_store_does_not_hold_is_refused_by_check_and_status(tmp_path):
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "observations",
                   str(TEST_DATA / "gladsaxe_maal_2023.csv")).returncode == 0
    catalogue = tmp_path / "katalog.yaml"
    catalogue.write_text(HEADER + GOAL.replace("series: ledige_virksomhedsrettet", "series: ledige_virksomhed"),
                         encoding="utf-8")
    for command in (("goals", "check", str(catalogue)), ("goals", "status", str(catalogue), "--period", "2023M09")):
        result = run_cli("--store", store, *command)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert (f"fil {catalogue}, linje 8, felt 'goals.0.indicator.series': mål 'aktivering': serien "
                "'ledige_virksomhed' findes ikke i datalageret") in " ".join(result.stderr.split())
    good = run_cli("--store", store, "goals", "check", GLADSAXE)
    assert good.returncode == 0 and "10 mål og 0 pejlemærker for Gladsaxe 2023" in " ".join(good.stdout.split())


def test_a_misspelt_dimension_value_is_refused_with_the_closest(tmp_path):
    """Horsens' cash-benefit goal with "kontanthjaelp": refused by check, status and the report, never "None"."""
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "observations",
                   str(TEST_DATA / "horsens_kontanthjaelp.csv")).returncode == 0
    horsens = (EXAMPLES / "horsens-2020.yaml").read_text(encoding="utf-8")
    catalogue = tmp_path / "horsens.yaml"
    catalogue.write_text(horsens.replace("dimensions: {ydelse: kontanthjælp}", "dimensions: {ydelse: kontanthjaelp}",
                                         1), encoding="utf-8")
    for command in (("goals", "check", str(catalogue)), ("goals", "status", str(catalogue), "--period", "2020M06"),
                    ("report", "--area", "Horsens", "--period", "2020M06", "--catalogue", str(catalogue),
                     "--format", "html", "--out", str(tmp_path / "out"))):
        result = run_cli("--store", store, *command)
        said = " ".join(result.stderr.split())
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert (f"fil {catalogue}, linje 21, felt 'goals.1.indicator.dimensions.ydelse': mål 'kontanthjaelp': ydelse "
                "'kontanthjaelp' findes ikke for serien 'fuldtidspersoner' i datalageret; mente du 'kontanthjælp'")\
            in said, said
    assert not (tmp_path / "out").exists()
    good = run_cli("--store", store, "goals", "check", str(EXAMPLES / "horsens-2020.yaml"))
    assert good.returncode == 0, good.stderr


def test_a_dimension_the_series_lacks_and_a_combination_it_lacks(tmp_path, store, registry):
    from maaltal.goals.catalogue import check_series
    from maaltal.sources import observations_csv

    observations_csv.import_file(store, TEST_DATA / "horsens_kontanthjaelp.csv", registry)
    goal = GOAL.replace("series: ledige_virksomhedsrettet\n      denominator: ledige",
                        "series: fuldtidspersoner\n      dimensions: {DIMS}").replace("ytd_average", "latest")
    header = HEADER.replace("Gladsaxe", "Horsens").replace("2023", "2020")
    for dims, message in (("{køn: kvinder}", "serien 'fuldtidspersoner' har ikke dimensionen 'køn'; serien har ydelse"),
                          ("{}", "serien 'fuldtidspersoner' findes ikke for i alt (uden dimensioner) i datalageret; "
                                 "den findes for ydelse=kontanthjælp")):
        catalogue = loads_catalogue(header + goal.replace("{DIMS}", dims), registry, "katalog.yaml")
        with pytest.raises(InputErrors) as caught:
            check_series(catalogue, store)
        assert message in str(caught.value.errors[0]), str(caught.value.errors[0])
