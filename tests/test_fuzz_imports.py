"""Every importer, fed anything: it either imports (one new snapshot) or fails with a Danish MaaltalError,
never a traceback and never a half import. The inputs mix plausible cells with junk so that the checks
deep inside a row are reached, not only the header checks."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maaltal.errors import MaaltalError
from maaltal.periods import Period
from maaltal.sources import observations_csv, statbank
from maaltal.sources.jobindsats import importer
from maaltal.store import Observation, Store
from tests.test_jobindsats import RECORDED

TABLEINFO = statbank.TableInfo.parse((RECORDED / "statbank_auk01_tableinfo.json").read_bytes(), "info.json")
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

AREAS = st.sampled_from(["Hvidovre", "167", "Hele landet", "000", "084", "Region Hovedstaden", "All Denmark",
                         "Abroad", "Province Fyn", "Gondor", "", "RAR Vestjylland", "group:vestegnen"])
PERIODS = st.sampled_from(["2021M01", "2021M13", "2023Q3", "2023K3", "2026Q01", "2022QMAT04", "2025Y01", "2024",
                           "l(m:12)", "", "M01"])
NUMBERS = st.one_of(st.integers(-10**6, 10**6).map(str), st.sampled_from(["1.234,5", "4,2", "1.5", "1,2,3", "..",
                                                                         "-", "", "null", "NaN", "1e400", " 7 "]))
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
CELLS = st.one_of(AREAS, PERIODS, NUMBERS, JUNK)
JSON_CELLS = st.one_of(CELLS, st.none(), st.integers(-10**400, 10**400), st.floats(allow_nan=True),
                       st.booleans(), st.lists(st.integers(), max_size=2))


def outcome(write) -> None:
    """Run ``write(store)`` on a store with one snapshot: it adds exactly one, or fails leaving it."""
    with Store.memory() as store:
        first = store.write_snapshot([Observation("x", "167", Period.parse("2020M01"), 1, "personer")],
                                     source="test")
        try:
            write(store)
        except MaaltalError as exc:
            assert str(exc)
            assert store.snapshots() == [first]
            assert store.connection.execute("SELECT count(*) FROM observations").fetchone()[0] == 1
        else:
            assert len(store.snapshots()) == 2
            bad = store.connection.execute("SELECT count(*) FROM observations WHERE NOT isfinite(value)").fetchone()
            assert bad[0] == 0, "an infinite or NaN value was stored"


def table_text(columns: list[str], rows: list[list[str]], sep: str) -> str:
    return "\n".join(sep.join(c.replace(sep, " ").replace("\n", " ") for c in line) for line in [columns, *rows])


JOBINDSATS_COLUMNS = st.lists(st.sampled_from(["Area", "Periode", "Køn", "Antal personer", "Antal fuldtidspersoner",
                                               "Fuldtidspersoner i pct. af befolkningen 16-66 år", "Ukendt",
                                               "Område"]), min_size=1, max_size=6)


@FUZZ
@given(columns=st.lists(st.sampled_from(["series", "area", "period", "value", "unit", "ydelse", "køn", ""]),
                        min_size=1, max_size=7),
       rows=st.lists(st.lists(st.one_of(CELLS, st.sampled_from(["ftp", "personer", "pct."])), max_size=8), max_size=6),
       sep=st.sampled_from([",", ";"]))
def test_generic_csv(registry, columns, rows, sep):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_text(table_text(columns, rows, sep), encoding="utf-8")
        outcome(lambda store: observations_csv.import_file(store, path, registry))


@FUZZ
@given(data=st.one_of(st.binary(max_size=200), JUNK, st.sampled_from(["[", "{}", "[]", "null", '{"code": 1}'])))
def test_jobindsats_any_bytes(registry, data):
    outcome(lambda store: importer.import_answer(store, data, table="Y01A02", file="svar", registry=registry))


@FUZZ
@given(columns=JOBINDSATS_COLUMNS, rows=st.data(), shape=st.sampled_from(["v2", "v3", "csv"]),
       table=st.sampled_from(["Y01A02", "Y36A02", "Y30R21", "PTVA02"]))
def test_jobindsats_answers(registry, columns, rows, shape, table):
    cells = JSON_CELLS if shape != "csv" else CELLS
    data = rows.draw(st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns) + 1), max_size=6))
    if shape == "v2":
        answer = json.dumps([{"Variables": [{"Name": c, "Label": c} for c in columns], "Data": data}])
    elif shape == "v3":
        answer = json.dumps({"columns": columns, "rows": data})
    else:
        answer = "\ufeff" + table_text(columns, [[str(c) for c in r] for r in data], ";")
    outcome(lambda store: importer.import_answer(store, answer, table=table, file="svar", registry=registry))


@FUZZ
@given(columns=st.lists(st.sampled_from(["OMRÅDE", "YDELSESTYPE", "KØN", "ALDER", "TID", "INDHOLD", "SÆSON", "X"]),
                        min_size=1, max_size=6),
       rows=st.data(), table=st.sampled_from(["AUK01", "AUP02", "AUF01"]), codes=st.booleans())
def test_statbank_answers(registry, columns, rows, table, codes):
    data = rows.draw(st.lists(st.lists(st.one_of(CELLS, st.sampled_from(["TOT", "M", "1624", "NETKH", "950"])),
                                       min_size=len(columns), max_size=len(columns) + 1), max_size=6))
    answer = ("\ufeff" + table_text(columns, data, ";")).encode("utf-8")
    info = TABLEINFO if codes else None
    outcome(lambda store: statbank.import_answer(store, answer, table=table, file="svar", registry=registry,
                                                 info=info))


def test_generic_csv_refuses_a_number_that_overflows(tmp_path, registry):
    """Found by the fuzzing: "1e400" was read as infinity and stored."""
    path = tmp_path / "data.csv"
    path.write_text("series,area,period,value,unit\nx,167,2020M01,1e400,personer\n", encoding="utf-8")
    outcome(lambda store: observations_csv.import_file(store, path, registry))
    with Store.memory() as store, pytest.raises(MaaltalError, match="for stort et tal"):
        observations_csv.import_file(store, path, registry)
