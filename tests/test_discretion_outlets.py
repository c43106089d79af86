"""Privacy at the source (issue 14): a count of 3 persons is hidden in every outlet, because every outlet gets
its rows from the key-figure engine after the discretion rule: the reader's CSV download, the terminal
overview and the agenda's overview attachment, the figures JSON, the report and its XLSX."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from maaltal.measures import KeyFigureEngine
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures import overview as overview_builder
from maaltal.periods import Period
from maaltal.render import files
from maaltal.report import build, monthly_overview
from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import run_cli
from tests.web_server import serve

# Hvidovre has 3 new unemployed in June 2024 (8 a year before); København 40 (45); the population beside.
ROWS = """series,area,period,value,unit
nyledige,167,2024M06,3,personer
nyledige,167,2023M06,8,personer
nyledige,101,2024M06,40,personer
nyledige,101,2023M06,45,personer
befolkning,167,2024M06,1000,personer
befolkning,167,2023M06,1000,personer
befolkning,101,2024M06,9000,personer
befolkning,101,2023M06,9000,personer
"""
KEYFIGURES = """keyfigures:
  - id: nyledige
    label: Nyledige
    series: nyledige
  - id: andel-nyledige
    label: Andel nyledige
    series: nyledige
    denominator: befolkning
"""
PERIOD = Period.parse("2024M06")


@pytest.fixture(scope="module")
def small(tmp_path_factory, registry):
    folder = tmp_path_factory.mktemp("small")
    (folder / "nyledige.csv").write_text(ROWS, encoding="utf-8")
    (folder / "noegletal.yaml").write_text(KEYFIGURES, encoding="utf-8")
    with Store.open(folder / "maaltal.duckdb") as store:
        observations_csv.import_file(store, folder / "nyledige.csv", registry)
    return folder


def _hidden(row: dict) -> None:
    """The focus row as every outlet must give it: no level, count or development, and why."""
    assert row["value"] is None and row["numerator"] is None and row["missing"] == "small_count"
    assert row["compare_value"] is None and row["change"] is None and row["change_pct"] is None


def test_figures_json(small):
    result = run_cli("--store", str(small / "maaltal.duckdb"), "figures", "--series", "nyledige", "--area", "167",
                     "--period", "2024M06", "--compare-period", "2023M06", "--benchmark", "101", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {r["area"]: r for r in json.loads(result.stdout)["rows"]}
    _hidden(rows["167"])
    assert rows["101"]["value"] == 40


def test_terminal_overview(small):
    args = ("--store", str(small / "maaltal.duckdb"), "overview", "--area", "167", "--period", "2024M06",
            "--keyfigures", str(small / "noegletal.yaml"), "--benchmark", "101")
    shown = run_cli(*args)
    assert shown.returncode == 0, shown.stderr
    nyledige = next(line for line in shown.stdout.splitlines() if line.lstrip("│ ").startswith("Nyledige"))
    assert "3" not in nyledige.split("│")[2] and "–" in nyledige.split("│")[2], nyledige
    as_json = run_cli(*args, "--format", "json")
    for keyfigure in json.loads(as_json.stdout)["keyfigures"]:
        _hidden(next(r for r in keyfigure["rows"] if r["area"] == "167"))


def _engine(small, registry):
    return KeyFigureEngine(Store.open(small / "maaltal.duckdb", read_only=True), registry)


def test_the_agendas_overview_attachment(small, registry):
    engine = _engine(small, registry)
    overview = overview_builder.build(engine, keyfigure_definitions.load(small / "noegletal.yaml"), "167", PERIOD,
                                      benchmarks=["101"])
    engine.store.close()
    document = monthly_overview.document(overview, {a.id: a.name for a in registry})
    grid = next(b for b in document.blocks if getattr(b, "id", "") == "noegletal")
    hvidovre = [row[1] for row in grid.rows]
    assert all("3" not in cell and "–" in cell for cell in hvidovre), hvidovre


def test_the_report_and_its_xlsx(small, registry, tmp_path):
    engine = _engine(small, registry)
    report = build.committee_report(engine, "167", PERIOD, benchmarks=["101"],
                                    keyfigures=keyfigure_definitions.load(small / "noegletal.yaml"))
    engine.store.close()
    table = next(b for s in report.sections for b in s.blocks if getattr(b, "id", "") == "tabel-nyledige")
    assert table.rows[0][:4] == ("Hvidovre", None, None, None)
    # a count is drawn as a benefit group's small index chart
    chart = next(b for s in report.sections for b in s.blocks if getattr(b, "id", "") == "indeks-nyledige")
    assert chart.series[0].points[-1][1] is None and 3 not in [v for s in chart.series for _, v in s.points]
    written = files.write(report, tmp_path, ["xlsx"])
    book = openpyxl.load_workbook(written[0])
    numbers = [c.value for sheet in book for row in sheet.iter_rows() for c in row
               if isinstance(c.value, (int, float))]
    assert 40 in numbers and 3 not in numbers


def test_the_readers_csv_download(small):
    with serve(small / "maaltal.duckdb", keyfigures_file=small / "noegletal.yaml") as server:
        client = server.login("laeser")
        for key in ("nyledige", "andel-nyledige"):
            response = client.get("/noegletal.csv", params={"noegletal": key, "omraade": "167", "periode": "2024M06",
                                                            "sammenlign": "101"})
            assert response.status_code == 200, response.text
            rows = list(csv.DictReader(io.StringIO(response.text)))
            hvidovre = [r for r in rows if r["omraade_kode"] == "167"]
            assert hvidovre and all(r["vaerdi"] == "" and r["taeller"] == "" and r["aendring"] == ""
                                    for r in hvidovre if r["periode"] == "2024M06"), hvidovre
            assert not any(r["taeller"] == "3" or r["vaerdi"] in ("3", "3.0", "0.3") for r in rows)
