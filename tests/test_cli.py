"""The command line as a user runs it: a real DuckDB file; the first two tests in a real subprocess
(``python -m maaltal``, end to end), the rest in this process through the same error handling."""

import json
import sys

import pytest

from tests.conftest import TEST_DATA, cli_json, run_cli, run_cli_process
from tests.spells_helpers import key_file, spell, write


@pytest.mark.e2e
def test_figures_json_from_a_generic_csv(tmp_path):
    store = str(tmp_path / "s.duckdb")
    imported = run_cli_process("--store", store, "import", "observations",
                               str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv"))
    assert imported.returncode == 0, imported.stderr
    figures = run_cli_process("--store", store, "figures", "--series", "bruttoledige", "--denominator", "arbejdsstyrke",
                    "--area", "167", "--period", "2022M06", "--compare-period", "2022M05",
                    "--benchmark", "1084", "--benchmark", "group:vestegnen", "--format", "json")
    assert figures.returncode == 0, figures.stderr
    data = json.loads(figures.stdout)
    rows = {(r["area"], r["role"]): r for r in data["rows"]}
    focus = rows["167", "focus"]
    assert focus["name"] == "Hvidovre" and round(focus["value"], 1) == 2.6
    assert focus["numerator_change"] == -24
    assert round(focus["change"], 2) == -0.09 and round(focus["change_pct"], 1) == -3.3
    assert rows["167", "member"]["rank"] == 2 and rows["167", "member"]["rank_of"] == 8
    group = rows["group:vestegnen", "benchmark"]
    members = [r for r in data["rows"] if r["role"] == "member"]
    assert group["value"] == sum(r["numerator"] for r in members) / sum(r["denominator"] for r in members) * 100
    assert data["unit"] == "pct." and data["synthetic"] is False
    assert "24 personer færre end i maj 2022" in data["text"]
    assert "0,1 procentpoint under Region Hovedstaden" in data["text"]


@pytest.mark.e2e
def test_malformed_csv_is_refused_and_the_store_unchanged(tmp_path):
    store = str(tmp_path / "s.duckdb")
    run_cli("--store", store, "import", "observations", str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("series,area,period,value,unit\nbruttoledige,167,2022M07,abc,personer\n", encoding="utf-8")
    result = run_cli_process("--store", store, "import", "observations", str(bad))
    assert result.returncode == 2
    assert f"fil {bad}, række 2, kolonne 'value'" in result.stderr
    assert "Traceback" not in result.stderr
    snapshots = json.loads(run_cli("--store", store, "snapshots", "--format", "json").stdout)
    assert len(snapshots) == 1


def test_table_output_and_errors_are_danish(tmp_path):
    store = str(tmp_path / "s.duckdb")
    run_cli("--store", store, "import", "observations", str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv"))
    result = run_cli("--store", store, "figures", "--series", "bruttoledige", "--denominator", "arbejdsstyrke",
                     "--area", "Hvidovre", "--period", "2022M06", "--benchmark", "group:vestegnen")
    assert result.returncode == 0, result.stderr
    assert "2,6" in result.stdout and "2 af 8" in result.stdout
    unknown = run_cli("--store", store, "figures", "--series", "bruttoledige", "--area", "Hvidovr",
                      "--period", "2022M06")
    assert unknown.returncode == 2 and "mente du Hvidovre (167)" in unknown.stderr
    missing = run_cli("--store", str(tmp_path / "none.duckdb"), "snapshots")
    assert missing.returncode == 2 and "findes ikke" in missing.stderr


def test_areas_command_lists_groups():
    areas = cli_json("areas", "--kind", "group")
    assert {a["id"] for a in areas} >= {"group:vestegnen", "group:slagelse-klynge", "group:sagsantal-hovedstaden"}


def test_spark_without_pyspark_names_the_extra(tmp_path, monkeypatch):
    """``--engine spark`` on an install without the extra: a Danish message saying what to install."""
    store = str(tmp_path / "s.duckdb")
    spells = write(tmp_path / "forloeb.csv", [spell(1, "a-dagpenge", "2023-01-01", "2023-03-31", "167")])
    imported = run_cli("--store", store, "import", "spells", str(spells), "--key-file", str(key_file(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if pyspark were not installed
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    result = run_cli("--store", store, "compute", "ftp", "--engine", "spark")
    assert result.returncode == 2, result.stderr
    assert "Spark er ikke installeret: pip install 'maaltal[spark]'" in result.stderr
    assert "Traceback" not in result.stderr
