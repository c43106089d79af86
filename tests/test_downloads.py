"""Downloads as users have them: Excel's Windows-1252 CSV, StatBank's matrix, title lines above a
jobindsats export's header, JSON lines; an identical re-import; no store file after a failed first import.

Real shapes throughout: the real Y30R21 rows (``shared/data``, JSON lines as saved by a public client),
the AUK01 excerpt rearranged into StatBank's matrix (``tests/data/recorded``, cited in its README), and
the AUP02 excerpt saved as Excel's "CSV (semikolonsepareret)" (``tests/data/real``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from maaltal.errors import InputError, InputErrors
from maaltal.inputfile import CP1252, UTF8, decode
from maaltal.periods import Period
from maaltal.sources import observations_csv, statbank, tables
from maaltal.sources.jobindsats import answers, importer
from maaltal.sources.registry import ImportRequest
from maaltal.sources.registry import importer as registered
from maaltal.store import AlreadyImportedError, Store
from tests.conftest import TEST_DATA, run_cli
from tests.test_jobindsats import RECORDED, Y30R21_RAW, as_v2_csv, y30r21_rows

REAL = TEST_DATA / "real"


def all_observations(store: Store) -> set[tuple]:
    rows = store.connection.execute(
        "SELECT series, area, period, dims, value, unit, suppressed FROM observations").fetchall()
    return set(rows)


def value(store: Store, series: str, area: str, period: str, dims: dict[str, str]) -> float | None:
    found = store.values(series, [area], [Period.parse(period)], dims)
    return found[area, Period.parse(period)].value


# Windows-1252 ---------------------------------------------------------------------------------------------


def aup02_as_excel_saves_it(folder: Path) -> Path:
    """The real AUP02 excerpt as the generic CSV saved by a Danish Excel: `;`, decimal comma, Windows-1252."""
    with open(REAL / "dst_aup02_ledighedspct_2022-2023.csv", encoding="utf-8") as source:
        rows = [f"ledighedspct;{r['municipality']};{r['year']};{r['value'].replace('.', ',')};pct."
                for r in csv.DictReader(source)]
    path = folder / "ledighed.csv"
    path.write_bytes(("series;area;period;value;unit\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def test_excels_windows_1252_csv_is_read_and_said_so(tmp_path, store, registry):
    path = aup02_as_excel_saves_it(tmp_path)
    assert decode(path.read_bytes(), path).encoding == CP1252
    imported = registered("observations").run(store, path, ImportRequest(registry))
    assert imported.snapshot.row_count == 2 * 98
    assert value(store, "ledighedspct", "153", "2023", {}) == pytest.approx(3.71)  # Brøndby, "3,71"
    assert value(store, "ledighedspct", "201", "2022", {}) == pytest.approx(1.42)  # Allerød, "1,42"
    assert imported.notices and "Windows-1252" in imported.notices[0] and "Windows-1252" in imported.details


def test_utf8_stays_utf8_and_an_unclear_encoding_asks_for_csv_utf8(tmp_path):
    assert decode("Brøndby;1,5".encode(), "a.csv") == decode("\ufeffBrøndby;1,5".encode(), "a.csv")
    assert decode("Brøndby".encode(), "a.csv").encoding == UTF8
    mac_roman = "series;area\nx;Brøndby\n".encode("mac_roman")  # "ø" is 0xBF: not Danish Windows-1252
    with pytest.raises(InputError, match="»CSV UTF-8"):
        decode(mac_roman, "a.csv")
    with pytest.raises(InputError, match="UTF-16"):
        decode("series".encode("utf-16"), "a.csv")


def test_cli_summary_names_the_encoding(tmp_path):
    store = tmp_path / "s.duckdb"
    done = run_cli("--store", str(store), "import", "observations", str(aup02_as_excel_saves_it(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "Bemærk: filen er gemt i Windows-1252" in " ".join(done.stdout.split())


# Title lines -------------------------------------------------------------------------------------------


def test_title_lines_above_a_jobindsats_export_are_skipped(store, registry, tmp_path):
    recorded = (RECORDED / "jobindsats_v2_y01a02.csv").read_text(encoding="utf-8-sig")
    titled = tmp_path / "y01a02.csv"
    titled.write_text("Y01A02: A-dagpenge;;;;\r\nUdtrukket fra Jobindsats.dk;;;;\r\n;;;;\r\nKilde:;STAR\r\n" + recorded,
                      encoding="utf-8")
    importer.import_file(store, titled, table="Y01A02", registry=registry)
    with Store.memory() as plain:
        importer.import_file(plain, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
        assert all_observations(store) == all_observations(plain)
    bad = tmp_path / "bad.csv"
    bad.write_text("Y01A02: A-dagpenge\n" + recorded.replace("2021M01", "2021M13", 1), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:  # rows are still counted as lines of the file
        importer.import_file(store, bad, table="Y01A02", registry=registry)
    assert [(e.location.row, e.location.column) for e in caught.value.errors] == [(3, "Periode")]


def test_real_y30r21_export_with_a_title_line_imports_as_without(shared_data, registry):
    rows = y30r21_rows(shared_data)
    answer = as_v2_csv(rows)
    titled = "\ufeffY30R21: Benchmark - forventet og faktisk antal på offentlig forsørgelse\r\n\r\n".encode() \
        + answer.removeprefix("\ufeff".encode())
    with Store.memory() as plain, Store.memory() as with_title:
        importer.import_answer(plain, answer, table="Y30R21", file="y30r21.csv", registry=registry)
        importer.import_answer(with_title, titled, table="Y30R21", file="y30r21-titel.csv", registry=registry)
        assert all_observations(with_title) == all_observations(plain)
        assert len(all_observations(plain)) == 16464


def test_title_lines_above_the_generic_csv_are_skipped(tmp_path, store, registry):
    path = tmp_path / "titel.csv"
    path.write_text("Bruttoledighed i Hvidovre\n\nseries,area,period,value,unit\n"
                    "bruttoledige,167,2022M06,701,personer\nbruttoledige,167,2022M13,1,personer\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        observations_csv.read(path, registry)
    assert [(e.location.row, e.location.column) for e in caught.value.errors] == [(5, "period")]


# StatBank's matrix ------------------------------------------------------------------------------------


def test_statbanks_matrix_download_imports_like_its_long_answer(store, registry):
    result = statbank.import_file(store, RECORDED / "statbank_auk01_matrix_en.csv", table="AUK01", registry=registry)
    assert result.observations == 16 and result.skipped_areas == {"Abroad": 4}
    with Store.memory() as long:
        statbank.import_file(long, RECORDED / "statbank_auk01_en.csv", table="AUK01", registry=registry)
        assert all_observations(store) == all_observations(long)
    assert value(store, "fuldtidspersoner", "167", "2025Q4", {"ydelse": "kontanthjælp nettoledige"}) == 70


def test_a_matrix_with_label_headings_and_labels_written_once(tmp_path, store, registry):
    """The labels over the label columns, and a label left empty under the row that names it."""
    lines = (RECORDED / "statbank_auk01_matrix_en.csv").read_text(encoding="utf-8-sig").splitlines()
    header = "Statistics Denmark: AUK01\nOMRÅDE;YDELSESTYPE;KØN;ALDER" + lines[0][len(";;;"):]
    body = [lines[1]] + [";".join([row.split(";")[0], "", "", ""] + row.split(";")[4:]) for row in lines[2:]]
    path = tmp_path / "matrix.csv"
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    statbank.import_file(store, path, table="AUK01", registry=registry)
    with Store.memory() as long:
        statbank.import_file(long, RECORDED / "statbank_auk01_en.csv", table="AUK01", registry=registry)
        assert all_observations(store) == all_observations(long)


def test_a_matrix_label_column_that_fits_no_variable_asks_for_its_heading(tmp_path, store, registry):
    path = tmp_path / "matrix.csv"
    path.write_text(";;2025Q1\nHvidovre;Blå;48\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        statbank.import_file(store, path, table="AUK01", registry=registry)
    assert caught.value.location.column == "nr. 2" and "'Blå'" in str(caught.value)
    assert store.latest_snapshot() is None


def test_a_long_answer_is_not_taken_for_a_matrix():
    raw = tables.parse_csv("OMRÅDE;TID;INDHOLD\nHvidovre;2025Q1;2024\n", "a.csv")
    assert raw.columns == ("OMRÅDE", "TID", "INDHOLD") and raw.rows == [["Hvidovre", "2025Q1", "2024"]]


# JSON lines ------------------------------------------------------------------------------------------


def test_real_y30r21_json_lines_import_like_the_api_answer(shared_data, registry):
    path = shared_data / Y30R21_RAW
    with Store.memory() as lines, Store.memory() as answer:
        result = registered("jobindsats").run(lines, path, ImportRequest(registry, table="Y30R21")).result
        assert result.snapshot.source == "jobindsats:Y30R21" and result.rows == 98 * 6 * 4
        importer.import_answer(answer, as_v2_csv(y30r21_rows(shared_data)), table="Y30R21", file="y30r21.csv",
                               registry=registry)
        assert all_observations(lines) == all_observations(answer)
        assert value(lines, "benchmark_placering", "167", "2021QMAT04", {"ydelse": "i alt"}) == 83
        assert value(lines, "benchmark_forskel", "167", "2021QMAT04", {"ydelse": "i alt"}) == 200
        # Every rank equals the normalised file's, row by row.
        normalised = shared_data / "y30r21_benchmark_2020-2022_normalized.csv"
        groups = {"Ydelsesgrupper i alt": "i alt", "A-dagpenge mv.": "a-dagpenge mv.",
                  "Sygedagpenge mv.": "sygedagpenge mv.", "Kontanthjælp mv.": "kontanthjælp mv."}
        series = {(name, group): lines.all_values(name, {"ydelse": group}) for group in groups.values()
                  for name in ("benchmark_placering", "benchmark_forskel_andel")}  # one read per series
        with open(normalised, encoding="utf-8") as source:
            for row in csv.DictReader(source):
                group, at = groups[row["ydelsesgruppe"]], (row["kommunekode"], Period.parse(row["periode"]))
                assert series["benchmark_placering", group][at][0] == float(row["placering_benchmarkrangliste"])
                assert series["benchmark_forskel_andel", group][at][0] == pytest.approx(
                    float(row["forskel_andel_pctpoint"]))


def test_a_bad_json_line_is_named_by_its_line():
    good = json.dumps({"Area": "Hvidovre", "Periode": "2024M01", "Antal personer": 1})
    with pytest.raises(InputError) as caught:
        answers.parse(f"{good}\n{good}\n{{\"Area\": \n", "a.jsonl")
    assert caught.value.location.row == 3
    with pytest.raises(InputError, match="andre nøgler end linje 1") as caught:
        answers.parse(f"{good}\n" + json.dumps({"Area": "Hvidovre", "Tid": "2024M01"}), "a.jsonl")
    assert caught.value.location.row == 2


# Re-import and the first import ------------------------------------------------------------------------


def test_the_same_file_again_is_already_imported(tmp_path, store, registry):
    path = aup02_as_excel_saves_it(tmp_path)
    first = registered("observations").run(store, path, ImportRequest(registry)).snapshot
    copy = tmp_path / "kopi.csv"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(AlreadyImportedError, match=f"allerede indlæst som øjebliksbillede {first.id}"):
        registered("observations").run(store, copy, ImportRequest(registry))
    assert store.snapshots() == [first]
    # The same bytes from another source are another import.
    registered("statbank").run(store, RECORDED / "statbank_auk01_en.csv", ImportRequest(registry, table="AUK01"))
    with pytest.raises(AlreadyImportedError):
        registered("statbank").run(store, RECORDED / "statbank_auk01_en.csv", ImportRequest(registry, table="auk01"))
    assert len(store.snapshots()) == 2


def test_cli_reimport_exits_0_and_writes_nothing(tmp_path):
    store = tmp_path / "s.duckdb"
    answer = str(RECORDED / "jobindsats_v2_y01a02.csv")
    assert run_cli("--store", str(store), "import", "jobindsats", answer, "--table", "Y01A02").returncode == 0
    again = run_cli("--store", str(store), "import", "jobindsats", answer, "--table", "Y01A02")
    assert again.returncode == 0, again.stderr
    assert "allerede indlæst som øjebliksbillede 1" in " ".join(again.stdout.split())
    with Store.open(store, read_only=True) as opened:
        assert len(opened.snapshots()) == 1


def test_a_failed_first_import_leaves_no_store_file(tmp_path):
    store = tmp_path / "maaltal.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("series,area,period,value,unit\nftp,Gondor,2022M06,1,personer\n", encoding="utf-8")
    refused = run_cli("--store", str(store), "import", "observations", str(bad))
    assert refused.returncode == 2 and "Gondor" in refused.stderr
    assert list(tmp_path.iterdir()) == [bad]
    # An existing store stays, unchanged, when a later import fails.
    good = run_cli("--store", str(store), "import", "observations", str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv"))
    assert good.returncode == 0, good.stderr
    assert run_cli("--store", str(store), "import", "observations", str(bad)).returncode == 2
    assert store.exists()
