"""The generic long CSV: everything checked before anything is written, errors with file, row, column."""

import pytest

from maaltal.errors import InputError, InputErrors
from maaltal.sources import observations_csv

GOOD = "series,area,period,value,unit,ydelse\nftp,167,2022M06,701,fuldtidspersoner,a-dagpenge\n"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_a_good_file_as_one_snapshot(tmp_path, store, registry):
    snapshot = observations_csv.import_file(store, write(tmp_path, GOOD), registry)
    assert snapshot.row_count == 1 and snapshot.source == "csv:observations" and len(snapshot.sha256) == 64


def test_danish_notation_with_semicolons_and_bom(tmp_path, store, registry):
    text = "\ufeffseries;area;period;value;unit\nbruttoledige;Region Hovedstaden;2022M06;25.916;personer\n" \
           "andel;Hvidovre;2022M06;2,6;pct.\nhemmelig;Læsø;2022M06;..;personer\n"
    observations = observations_csv.read(write(tmp_path, text), registry)
    assert list(zip(*observations.select(["area", "value", "suppressed"]).to_pydict().values(), strict=True)) == [
        ("1084", 25916.0, False), ("167", 2.6, False), ("825", None, True)]


@pytest.mark.parametrize(("line", "column", "message"), [
    ("ftp,Gondor,2022M06,701,fuldtidspersoner,a-dagpenge", "area", "Ukendt område 'Gondor'"),
    ("ftp,167,2022M13,701,fuldtidspersoner,a-dagpenge", "period", "er ikke en periode"),
    ("ftp,167,2022M06,mange,fuldtidspersoner,a-dagpenge", "value", "er ikke et tal"),
    ("ftp,167,2022M06,7,01,fuldtidspersoner,a-dagpenge", None, "felter"),
    ("ftp,167,2022M06,,fuldtidspersoner,a-dagpenge", "value", "værdien mangler"),
    ("ftp,167,2022M06,701,,a-dagpenge", "unit", "enheden mangler"),
    ("f tp,167,2022M06,701,fuldtidspersoner,a-dagpenge", "series", "serienavn"),
])
def test_bad_rows_name_file_row_and_column(tmp_path, registry, line, column, message):
    path = write(tmp_path, GOOD + "ftp,167,2022M05,690,fuldtidspersoner,a-dagpenge\n" + line + "\n")
    with pytest.raises(InputErrors) as info:
        observations_csv.read(path, registry)
    (error,) = info.value.errors
    assert error.location.file == str(path)
    assert error.location.row == 4
    assert error.location.column == column
    assert message in str(error)
    assert f"fil {path}, række 4" in str(info.value)


def test_missing_column_is_named(tmp_path, registry):
    path = write(tmp_path, "series,area,value,unit\nftp,167,701,fuldtidspersoner\n")
    with pytest.raises(InputError) as info:
        observations_csv.read(path, registry)
    assert (info.value.location.row, info.value.location.column) == (1, "period")


def test_duplicate_observation_is_refused(tmp_path, registry):
    path = write(tmp_path, GOOD + "ftp,Hvidovre,2022M06,702,fuldtidspersoner,a-dagpenge\n")
    with pytest.raises(InputErrors, match="række 2"):
        observations_csv.read(path, registry)


def test_all_errors_are_reported_together(tmp_path, registry):
    path = write(tmp_path, GOOD + "ftp,Gondor,2022M06,1,personer,x\nftp,167,2022X,1,personer,x\n"
                                  "ftp,167,2022M01,y,personer,x\n")
    with pytest.raises(InputErrors) as info:
        observations_csv.read(path, registry)
    assert [(e.location.row, e.location.column) for e in info.value.errors] == [
        (3, "area"), (4, "period"), (5, "value")]


@pytest.mark.parametrize("bad", [
    "ftp,Gondor,2022M06,1,u,x",
    "ftp,167,2022M99,1,u,x",
    "ftp,167,2022M06,x,u,x",
])
def test_failed_import_leaves_the_newest_snapshot_unchanged(tmp_path, store, registry, bad):
    first = observations_csv.import_file(store, write(tmp_path, GOOD, "good.csv"), registry)
    bad_file = write(tmp_path, GOOD.replace("701", "999") + bad + "\n", "bad.csv")
    with pytest.raises(InputErrors):
        observations_csv.import_file(store, bad_file, registry)
    assert store.latest_snapshot() == first
    assert store.connection.execute("SELECT count(*), max(value) FROM observations").fetchone() == (1, 701.0)


def test_missing_and_non_utf8_files(tmp_path, registry):
    with pytest.raises(InputError, match="findes ikke"):
        observations_csv.read(tmp_path / "nope.csv", registry)
    path = tmp_path / "macroman.csv"
    path.write_bytes("series,area,period,value,unit\nftp,Høje-Taastrup,2022M06,1,u\n".encode("mac_roman"))
    with pytest.raises(InputError, match="UTF-8"):
        observations_csv.read(path, registry)
    # Danish text in Windows-1252 (Excel's "CSV (semikolonsepareret)") is read as such (tests/test_downloads.py).
    path = tmp_path / "latin1.csv"
    path.write_bytes("series,area,period,value,unit\nftp,Høje-Taastrup,2022M06,1,personer\n".encode("latin-1"))
    assert observations_csv.read(path, registry)["area"].to_pylist() == ["169"]
