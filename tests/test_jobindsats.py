"""jobindsats answers (v2 JSON and CSV, v3 JSON) imported through the table mapping, with real Y30R21 data."""

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine, definitions
from maaltal.measures.keyfigures import rank_values
from maaltal.periods import Period
from maaltal.sources import progress, table_mapping, tables
from maaltal.sources.jobindsats import answers, importer
from tests.conftest import TEST_DATA, run_cli

RECORDED = TEST_DATA / "recorded"
Y30R21_RAW = "y30r21_benchmark_2020-2022_raw.jsonl"


def y30r21_rows(shared_data: Path) -> list[dict]:
    """The real Y30R21 rows: one object per row of the API's v2 CSV answer."""
    path = shared_data / Y30R21_RAW
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_v2_json(rows: list[dict]) -> str:
    """The rows in the v2 JSON answer's shape: every cell a string, decimals with a comma."""
    columns = list(rows[0])
    variables = [{"Name": f"v{i}", "Label": c} for i, c in enumerate(columns)]
    return json.dumps([{"Variables": variables, "Data": [[str(r[c]) for c in columns] for r in rows]}],
                      ensure_ascii=False)


def as_v2_csv(rows: list[dict]) -> bytes:
    """The rows in the v2 CSV answer's shape: `;`, a BOM, CRLF."""
    columns = list(rows[0])
    lines = [";".join(columns)] + [";".join(str(r[c]) for c in columns) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def observations(store, series, area, period, dims):
    return store.values(series, [area], [Period.parse(period)], dims)


# Recorded answers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["jobindsats_v2_y01a02.csv", "jobindsats_v2_y01a02.json"])
def test_v2_csv_and_json_give_the_same_observations(store, registry, name):
    result = importer.import_file(store, RECORDED / name, table="Y01A02", registry=registry)
    assert result.snapshot.source == "jobindsats:Y01A02"
    nation = {"ydelse": "a-dagpenge"}
    assert observations(store, "fuldtidspersoner", "000", "2021M01", nation)["000", Period.parse("2021M01")].value \
        == 120525
    assert observations(store, "personer", "000", "2021M01", nation)["000", Period.parse("2021M01")].value == 144315
    men = observations(store, "fuldtidspersoner", "000", "2021M01", {**nation, "køn": "mænd"})
    assert men["000", Period.parse("2021M01")].value == 65400.5
    hvidovre = observations(store, "fuldtidspersoner", "167", "2021M01", nation)["167", Period.parse("2021M01")]
    assert hvidovre.value == 1104.25  # "1.104,25": thousands dot and decimal comma
    assert result.skipped_columns == ("Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år",
                                      "Fuldtidspersoner i pct. af befolkningen 16-66 år")
    assert observations(store, "personer", "rar:vestjylland", "2021M01", nation)


def test_suppressed_cells_are_stored_as_suppressed_not_as_zero(store, registry):
    result = importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
    laesoe = observations(store, "personer", "825", "2021M01", {"ydelse": "a-dagpenge"})["825", Period.parse("2021M01")]
    assert laesoe.suppressed and laesoe.value is None
    ftp = observations(store, "fuldtidspersoner", "825", "2021M01", {"ydelse": "a-dagpenge"})
    assert ftp["825", Period.parse("2021M01")].suppressed
    assert result.suppressed == 2 and result.observations == 10


def test_v3_json_with_null_and_visitation_into_benefit_group(store, registry):
    importer.import_file(store, RECORDED / "jobindsats_v3_y36a02.json", table="Y36A02", registry=registry)
    april = Period.parse("2026M04")
    total = observations(store, "fuldtidspersoner", "000", "2026M04", {"ydelse": "kontanthjælp"})
    assert total["000", april].value == 86120.4
    job_ready = observations(store, "fuldtidspersoner", "000", "2026M04", {"ydelse": "kontanthjælp jobparat"})
    assert job_ready["000", april].value == 22741
    suppressed = observations(store, "personer", "167", "2026M04", {"ydelse": "kontanthjælp aktivitetsparat"})
    assert suppressed["167", april].suppressed
    quarter = observations(store, "personer", "000", "2026Q1", {"ydelse": "kontanthjælp jobparat"})
    assert quarter["000", Period.parse("2026Q1")].value == 26210  # v3's "2026Q01"


def test_the_packaged_mapping_has_every_benefit_table_and_the_benchmark():
    mappings = table_mapping.load_mappings("jobindsats")
    for table in ("Y01A02", "Y04A02", "Y07A02", "Y08A02", "Y09A02", "Y10A02", "Y11A02", "Y12A02", "Y35A02",
                  "Y36A02", "Y60A02", "Y38A02", "PTVA02", "Y30R21"):
        assert table in mappings
    assert mappings["Y07A02"].dims == {"ydelse": "sygedagpenge"}
    assert mappings["Y30R21"].measure_for("Placering på benchmarkranglisten")[1].series == "benchmark_placering"


def test_a_users_mapping_file_adds_a_table(tmp_path, store, registry):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("tables:\n  OTIJ01:\n    layout: benefit\n    dims: {ydelse: ordinære timer}\n",
                       encoding="utf-8")
    answer = tmp_path / "otij01.csv"
    answer.write_text("Area;Periode;Antal personer\nHvidovre;2024M01;412\n", encoding="utf-8")
    importer.import_file(store, answer, table="otij01", registry=registry, mapping_file=mapping)
    assert observations(store, "personer", "167", "2024M01", {"ydelse": "ordinære timer"})


def test_a_bad_mapping_file_names_its_line(tmp_path):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("tables:\n  OTIJ01:\n    measures:\n      Antal personer: {series: personer}\n",
                       encoding="utf-8")
    with pytest.raises(InputError) as caught:
        table_mapping.load_mappings("jobindsats", mapping)
    assert caught.value.location.row == 4 and "series" in str(caught.value)


# Errors ---------------------------------------------------------------------------------------------------


def test_an_unknown_table_names_the_known_ones(store, registry):
    with pytest.raises(MaaltalError, match="Kendte tabeller: .*Y01A02"):
        importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y99X99", registry=registry)


def test_an_unknown_column_is_refused_with_its_name(tmp_path, store, registry):
    answer = tmp_path / "a.csv"
    answer.write_text("Area;Periode;Ukendt;Antal personer\nHvidovre;2024M01;x;412\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        importer.import_file(store, answer, table="Y01A02", registry=registry)
    assert caught.value.location.column == "Ukendt" and caught.value.location.row == 1


def test_every_bad_cell_is_reported_and_nothing_is_written(tmp_path, store, registry):
    importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
    before = store.latest_snapshot()
    answer = tmp_path / "bad.csv"
    answer.write_text("Area;Periode;Antal personer;Antal fuldtidspersoner\n"
                      "Hvidovre;2024M13;412;300\nHvidovre;2024M01;mange;1.5\nHvidovre;2024M02;1;2;3\n",
                      encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        importer.import_file(store, answer, table="Y01A02", registry=registry)
    places = [(e.location.row, e.location.column) for e in caught.value.errors]
    assert places == [(2, "Periode"), (3, "Antal personer"), (3, "Antal fuldtidspersoner"), (4, None)]
    assert all(e.location.file == str(answer) for e in caught.value.errors)
    assert store.latest_snapshot() == before


def test_the_same_observation_twice_is_an_error(store, registry):
    text = "Area;Periode;Antal personer\nHvidovre;2024M01;1\nHvidovre kommune;2024M01;2\n"
    with pytest.raises(InputErrors, match="står også i række 2"):
        importer.import_answer(store, text, table="Y01A02", file="dup.csv", registry=registry)


@pytest.mark.parametrize(("body", "error", "message"), [
    ("Forkert nøgle eller nøglen er udløbet.", answers.BadKeyError, "afviste nøglen"),
    ((RECORDED / "jobindsats_v3_error_422.json").read_text(encoding="utf-8"), answers.ApiError,
     r"\(422\): Unknown hierarchies: \['_hele_landet'\] \(request_id dcaa82ae"),
    ("", InputError, "svaret er tomt"),
    ('{"columns": ["Periode"], "rows": [1]}', InputError, "en række skal være en liste"),
    ('[{"Data": []}]', InputError, "hverken jobindsats v2's form"),
])
def test_error_answers_become_clear_messages(store, registry, body, error, message):
    with pytest.raises(error, match=message):
        importer.import_answer(store, body, table="Y01A02", file="svar", registry=registry)
    assert store.latest_snapshot() is None


def test_cli_import_jobindsats_prints_a_summary_and_refuses_bad_files(tmp_path):
    store = str(tmp_path / "s.duckdb")
    ok = run_cli("--store", store, "import", "jobindsats", str(RECORDED / "jobindsats_v2_y01a02.csv"),
                 "--table", "Y01A02")
    assert ok.returncode == 0, ok.stderr
    assert "Indlæst 10 observationer (5 rækker)" in " ".join(ok.stdout.split())
    assert "2 diskretionerede" in ok.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": ["Periode", "Område", "Antal personer"], "rows": [["2026M04", "Hvidovre", "x"]]}',
                   encoding="utf-8")
    refused = run_cli("--store", store, "import", "jobindsats", str(bad), "--table", "Y01A02")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"fil {bad}, række 1, kolonne 'Antal personer'" in " ".join(refused.stderr.split())


# Real data: the benchmark Y30R21 -----------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["v2-json", "v2-csv"])
def test_hvidovre_benchmark_2021qmat04_is_rank_83_of_98_and_200_over_expected(shared_data, store, registry, shape):
    """Hvidovre's minutes, item 8: "nr. 83 ud af 98", "200 flere … end det beregnede forventede antal"."""
    rows = y30r21_rows(shared_data)
    answer = as_v2_json(rows) if shape == "v2-json" else as_v2_csv(rows)
    result = importer.import_answer(store, answer, table="Y30R21", file=f"y30r21.{shape}", registry=registry)
    assert result.rows == 98 * 6 * 4 and result.observations == result.rows * 7 and not result.skipped_areas
    engine = KeyFigureEngine(store, registry)
    period = Period.parse("2021QMAT04")
    total = (("ydelse", "i alt"),)
    municipalities = [m.id for m in registry.municipalities()]
    ranks = engine.values(Indicator("benchmark_placering", dims=total), municipalities, [period])
    assert ranks["167", period].value == 83
    assert len([v for v in ranks.values() if v.value is not None]) == 98
    expected = engine.value(Indicator("benchmark_forventet", dims=total), "167", period).value
    actual = engine.value(Indicator("benchmark_faktisk", dims=total), "167", period).value
    assert (expected, actual) == (3110, 3310)
    assert actual - expected == engine.value(Indicator("benchmark_forskel", dims=total), "167", period).value == 200
    share_gap = engine.values(Indicator("benchmark_forskel_andel", dims=total), municipalities, [period])
    # The published rank orders the municipalities by the gap between actual and expected share.
    gap_ranks = rank_values({a: v.value for (a, _), v in share_gap.items()})
    assert gap_ranks["167"] == (83, 98)
    groups = {s.dims["ydelse"] for s in store.series() if s.series == "benchmark_placering"}
    assert groups == {"i alt", "a-dagpenge mv.", "sygedagpenge mv.", "kontanthjælp mv."}


def test_a_large_answer_shows_a_progress_bar_on_a_terminal(monkeypatch, registry):
    from maaltal.cli import imports

    size = 4 * progress.EVERY
    rows = [["Hvidovre", f"{2000 + i // 12}M{i % 12 + 1:02d}", "1"] for i in range(size)]
    raw = tables.RawTable("stor.csv", ("Area", "Periode", "Antal personer"), rows, range(2, len(rows) + 2), 1)
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    monkeypatch.setattr(imports, "err_console", terminal)
    calls = []
    with imports.progress_bar("Kontrollerer Y01A02") as bar:
        converted = tables.convert(raw, importer.mapping_for("Y01A02"),
                                   registry, lambda done, total: (calls.append((done, total)), bar(done, total)))
    assert len(converted.observations) == size
    assert calls[-1] == (size, size) and len(calls) >= 4  # counted as it goes, not only at the end
    assert "Kontrollerer Y01A02" in terminal.file.getvalue()


def test_a_pipe_gets_no_progress_bar_and_no_callback(monkeypatch):
    from maaltal.cli import imports

    monkeypatch.setattr(imports, "err_console", Console(file=io.StringIO(), force_terminal=False))
    with imports.progress_bar("Kontrollerer Y01A02") as bar:
        assert bar is None  # nobody counts the rows of a file for a bar nobody sees


def test_an_empty_area_is_an_error_but_a_foreign_area_is_skipped_and_counted(store, registry):
    text = "Area;Periode;Antal personer\n;2024M01;1\nHvidovre;2024M01;2\n"
    with pytest.raises(InputErrors) as caught:
        importer.import_answer(store, text, table="Y01A02", file="a.csv", registry=registry)
    assert [(e.location.row, e.location.column) for e in caught.value.errors] == [(2, "Area")]
    result = importer.import_answer(store, text.replace("\n;", "\nJobcenter Atlantis;"), table="Y01A02",
                                    file="a.csv", registry=registry)
    assert result.skipped_areas == {"Jobcenter Atlantis": 1} and result.observations == 1


def test_age_labels_lose_their_unit_and_totals_are_omitted(store, registry):
    text = ("Area;Periode;Alder;Køn;Antal personer\nHvidovre;2024M01;16-24 år;Køn i alt;12\n"
            "Hvidovre;2024M01;Alder i alt;Kvinder;30\nHvidovre;2024M01;60 år og derover;Køn i alt;4\n")
    importer.import_answer(store, text, table="Y01A02", file="a.csv", registry=registry)
    dims = sorted(tuple(sorted(s.dims.items())) for s in store.series())
    assert dims == [(("alder", "16-24"), ("ydelse", "a-dagpenge")), (("alder", "60+"), ("ydelse", "a-dagpenge")),
                    (("køn", "kvinder"), ("ydelse", "a-dagpenge"))]


def test_imported_benefit_tables_feed_the_standard_key_figures(store, registry):
    """The series and dimension values are the key-figure catalogue's: no renaming between import and report."""
    importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
    importer.import_file(store, RECORDED / "jobindsats_v3_y36a02.json", table="Y36A02", registry=registry)
    catalogue = {k.id: k.indicator for k in definitions.load()}
    engine = KeyFigureEngine(store, registry)
    assert engine.value(catalogue["a-dagpenge"], "Hvidovre", Period.parse("2021M01")).value == 1104.25
    assert engine.value(catalogue["kontanthjaelp-jobparat"], "000", Period.parse("2026M04")).value == 22741
