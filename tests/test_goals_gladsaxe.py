"""Gladsaxe's goal follow-up for the 3rd quarter of 2023 (minutes 6 December 2023, item 8), end to end.

The test data (tests/data/gladsaxe_maal_2023.csv) are monthly and quarterly figures built to be consistent
with every figure the minutes state; the catalogue is the shipped example. The minutes count 3 goals met,
4 not met and 3 that cannot be followed up yet.
"""

from pathlib import Path

import pytest

from tests.conftest import TEST_DATA, cli_json, run_cli

CATALOGUE = str(Path(__file__).parents[1] / "examples" / "gladsaxe-2023.yaml")


def _import(folder: Path) -> str:
    store = str(folder / "gladsaxe.duckdb")
    result = run_cli("--store", store, "import", "observations", str(TEST_DATA / "gladsaxe_maal_2023.csv"))
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture(scope="module")
def followup(tmp_path_factory) -> dict:
    """One import and one evaluation shared by the read-only tests of this module."""
    store = _import(tmp_path_factory.mktemp("gladsaxe"))
    return cli_json("--store", store, "goals", "status", CATALOGUE, "--period", "2023M09")


@pytest.fixture
def gladsaxe_store(tmp_path) -> str:
    return _import(tmp_path)


def goal(data: dict, goal_id: str) -> dict:
    return next(g for g in data["goals"] if g["id"] == goal_id)


def one_decimal(value: float) -> float:
    return round(value + 1e-9, 1)


def test_three_met_four_not_met_three_not_assessable(followup):
    assert followup["period"] == "2023M09"
    assert followup["summary"] == {"met": 3, "not_met": 4, "not_assessable": 3}
    statuses = {g["id"]: g["status"] for g in followup["goals"]}
    assert [k for k, v in statuses.items() if v == "not_met"] == [
        "virksomhedsrettet-aktivering", "opkvalificering", "offentlig-forsoergelse", "unge-offentlig-forsoergelse"]
    assert [k for k, v in statuses.items() if v == "not_assessable"] == [
        "fritidsjob", "virksomhedstilfredshed", "effektiv-indsats"]
    assert [k for k, v in statuses.items() if v == "met"] == [
        "indvandrere-offentlig-forsoergelse", "langvarige", "job-saerlige-vilkaar"]
    assert {g["smiley"] for g in followup["goals"] if g["status"] == "not_met"} == {"sur"}


def test_virksomhedsrettet_aktivering(followup):
    g = goal(followup, "virksomhedsrettet-aktivering")
    assert (g["target"], one_decimal(g["value"]), g["reason"], g["data_until"]) == (8.2, 2.5, None, "2023M09")
    dev = g["development"]
    assert (dev["from"], one_decimal(dev["from_value"]), dev["to"], one_decimal(dev["to_value"])) == (
        "2023M01", 2.0, "2023M09", 2.6)
    assert ("Ledige i virksomhedsrettet aktivering er steget fra 2,0 pct. i januar 2023 til 2,6 pct. i "
            "september 2023, svarende til en stigning på 0,6 procentpoint.") in g["text"]
    assert "mindst 8,2 pct." in g["text"] and "gennemsnittet for året 2,5 pct." in g["text"]


def test_opkvalificering_must_rise_from_the_2022_average(followup):
    g = goal(followup, "opkvalificering")
    assert (one_decimal(g["target"]), one_decimal(g["value"])) == (7.4, 3.0)
    assert "I 2022 var gennemsnittet 7,4 pct." in g["text"]
    assert ("er faldet fra 3,9 pct. i januar 2023 til 2,4 pct. i september 2023, svarende til et fald på "
            "1,5 procentpoint") in g["text"]


def test_offentlig_forsoergelse_carries_august_forward_as_september(followup):
    """September's figures are missing (sygedagpenge and a-dagpenge lag), so August stands in for them."""
    g = goal(followup, "offentlig-forsoergelse")
    assert (g["status"], one_decimal(g["target"]), one_decimal(g["value"])) == ("not_met", 10.9, 11.6)
    assert g["data_until"] == "2023M08" and g["carried_forward"] is True
    assert "augusttallene er anvendt som septembertal" in g["text"]
    assert "faldet fra 11,5 pct. i januar 2023 til 11,3 pct. i august 2023" in g["text"]
    assert "et fald på 0,2 procentpoint" in g["text"]


def test_unge_paa_offentlig_forsoergelse(followup):
    g = goal(followup, "unge-offentlig-forsoergelse")
    assert (g["target"], one_decimal(g["value"])) == (7.5, 8.5)
    assert "under 7,5 pct." in g["text"]
    assert "steget fra 7,8 pct. i januar 2023 til 7,9 pct." in g["text"]
    assert "en stigning på 0,1 procentpoint" in g["text"]


def test_fritidsjob_cannot_be_judged_before_the_year_ends(followup):
    g = goal(followup, "fritidsjob")
    assert (g["status"], g["reason"], g["value"], g["target"]) == ("not_assessable", "year_not_over", 84, 100)
    assert "84 unge" in g["text"]
    assert "Fremskrevet til årets udgang giver det 112 unge, så målet vurderes at blive nået." in g["text"]
    assert [v for _, v in g["history"]][-1] == 84 and g["history_target"] == 100


def test_survey_and_effect_goals_have_only_first_quarter_data(followup):
    tilfredshed = goal(followup, "virksomhedstilfredshed")
    assert (tilfredshed["reason"], tilfredshed["value"], tilfredshed["target"]) == ("lagging", 84, 78)
    assert tilfredshed["data_until"] == "2023Q1"
    assert "Gennemsnittet for den opgjorte periode er 84 pct." in tilfredshed["text"]
    assert "Da der kun foreligger data til og med 1. kvartal 2023" in tilfredshed["text"]
    effekt = goal(followup, "effektiv-indsats")
    assert (effekt["reason"], one_decimal(effekt["value"]), effekt["target"]) == ("lagging", 8.8, 26)
    assert "mindst 26 pct." in effekt["text"] and "8,8 pct." in effekt["text"]


def test_comment_is_stored_and_shown_beside_the_text_in_json_and_table(gladsaxe_store):
    reason = ("Den manglende målopfyldelse skyldes et større fald på øvrig vejledning og opkvalificering grundet "
              "en omlægning af indsatsen til de ledige.")
    result = run_cli("--store", gladsaxe_store, "goals", "comment", CATALOGUE, "--goal", "opkvalificering",
                     "--period", "2023M09", "--author", "Analytiker A", "--text", reason)
    assert result.returncode == 0, result.stderr
    snapshots = cli_json("--store", gladsaxe_store, "snapshots")
    assert len(snapshots) == 1  # a comment is not an observation
    data = cli_json("--store", gladsaxe_store, "goals", "status", CATALOGUE, "--period", "2023M09")
    comment = goal(data, "opkvalificering")["comment"]
    assert comment["text"] == reason and comment["author"] == "Analytiker A" and comment["time"]
    assert goal(data, "fritidsjob")["comment"] is None
    table = run_cli("--store", gladsaxe_store, "goals", "status", CATALOGUE, "--period", "2023M09")
    assert table.returncode == 0, table.stderr
    assert "Analytiker A" in table.stdout and "Ikke opfyldt" in table.stdout
    assert "3 er opfyldt, 4 er ikke opfyldt, og 3 kan ikke vurderes endnu" in table.stdout
    unknown = run_cli("--store", gladsaxe_store, "goals", "comment", CATALOGUE, "--goal", "ukendt",
                      "--period", "2023M09", "--author", "A", "--text", "x")
    assert unknown.returncode == 2 and "Målet 'ukendt' findes ikke" in unknown.stderr


def test_snapshot_option_rebuilds_an_earlier_follow_up(gladsaxe_store, tmp_path):
    september = tmp_path / "september.csv"
    september.write_text(
        "series,area,period,value,unit,alder,herkomst\n"
        "offentligt_forsoergede,159,2023M09,5000,fuldtidspersoner,16-66,\n", encoding="utf-8")
    assert run_cli("--store", gladsaxe_store, "import", "observations", str(september)).returncode == 0
    now = cli_json("--store", gladsaxe_store, "goals", "status", CATALOGUE, "--period", "2023M09")
    assert goal(now, "offentlig-forsoergelse")["data_until"] == "2023M09"
    before = cli_json("--store", gladsaxe_store, "goals", "status", CATALOGUE, "--period", "2023M09",
                      "--snapshot", "1")
    assert goal(before, "offentlig-forsoergelse")["data_until"] == "2023M08" and before["snapshot"] == 1
