"""The store owns the database: versioned migrations, read-only opens that change nothing, one transaction
block, one coverage query; and the importers' one registry, used by the command line and the dashboard."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from maaltal.errors import InputError, MaaltalError
from maaltal.goals import comments
from maaltal.periods import Period
from maaltal.sources import observations_csv, tables
from maaltal.sources import registry as importers
from maaltal.sources.status import availability
from maaltal.store import Observation, Store, schema
from maaltal.web.jobs import Job
from tests.conftest import TEST_DATA, run_cli

# The schema of version 1 exactly as the first releases wrote it, with its version in meta.
VERSION_1 = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE snapshots (id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL,
    file VARCHAR, sha256 VARCHAR, row_count BIGINT NOT NULL, note VARCHAR);
CREATE TABLE observations (snapshot_id INTEGER NOT NULL, series VARCHAR NOT NULL, area VARCHAR NOT NULL,
    period VARCHAR NOT NULL, freq VARCHAR NOT NULL, ordinal INTEGER NOT NULL, dims VARCHAR NOT NULL,
    value DOUBLE, unit VARCHAR NOT NULL, suppressed BOOLEAN NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO snapshots VALUES (1, TIMESTAMP '2024-01-02 03:04:05', 'csv:observations', 'gammel.csv', NULL, 1, NULL);
INSERT INTO observations VALUES (1, 'bruttoledige', '167', '2022M04', 'M', 24267, '{}', 640, 'personer', false);
"""


def old_store(path: Path, sql: str = VERSION_1, storage: str = "v1.0.0") -> Path:
    """A store file as an older maaltal left it, in DuckDB's storage format ``storage`` (v1.0, DuckDB's
    default, for every store made before schema version 5)."""
    con = duckdb.connect(str(path), config={"storage_compatibility_version": storage})
    con.execute(sql)
    con.close()
    return path


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_version_1_store_is_migrated_forward_when_opened_for_writing(tmp_path):
    path = old_store(tmp_path / "gammel.duckdb")
    with Store.open(path) as store:
        assert schema.version_of(store.connection) == schema.VERSION
        value = store.values("bruttoledige", ["167"], [Period.parse("2022M04")])
        assert value[("167", Period.parse("2022M04"))].value == 640  # the old data read as before
        comments.add(store, "167", "mål-1", "2022M04", "Skyldes sæsonen", "Analytiker")  # a table of version 2
        assert comments.for_period(store, "167", "2022M04")["mål-1"].text == "Skyldes sæsonen"
    with Store.open(path, read_only=True) as store:
        assert [s.id for s in store.snapshots()] == [1]


def test_a_version_1_store_is_brought_forward_by_its_first_read_after_an_upgrade(tmp_path, caplog):
    path = old_store(tmp_path / "gammel.duckdb")
    with caplog.at_level("WARNING"), Store.open(path, read_only=True) as store:
        assert caplog.messages == [f"Datalageret {path} er opdateret fra skemaversion 1 til {schema.VERSION}; "
                                   "ældre udgaver af maaltal kan ikke længere bruge det"]
        assert schema.version_of(store.connection) == schema.VERSION
        assert store.values("bruttoledige", ["167"], [Period.parse("2022M04")])[("167", Period.parse("2022M04"))]


def test_a_version_1_store_that_cannot_be_written_says_how_to_bring_it_forward_and_is_left_alone(
        tmp_path, monkeypatch):
    path = old_store(tmp_path / "gammel.duckdb")
    before = fingerprint(path)
    monkeypatch.setattr("maaltal.store.os.access", lambda *_: False)  # root may write anything: say it can't
    with pytest.raises(MaaltalError, match="skemaversion 1 fra en ældre udgave.*maaltal import"):
        Store.open(path, read_only=True)
    assert fingerprint(path) == before


def test_a_store_newer_than_the_code_is_refused(tmp_path):
    path = old_store(tmp_path / "ny.duckdb", VERSION_1.replace("'schema_version', '1'", "'schema_version', '99'"))
    before = fingerprint(path)
    for read_only in (False, True):
        with pytest.raises(MaaltalError,
                           match=f"skemaversion 99.*kender kun op til version {schema.VERSION}; opdatér maaltal"):
            Store.open(path, read_only=read_only)
    assert fingerprint(path) == before


def test_a_read_only_open_of_a_missing_store_creates_nothing(tmp_path):
    path = tmp_path / "mangler.duckdb"
    with pytest.raises(MaaltalError, match="findes ikke"):
        Store.open(path, read_only=True)
    assert not path.exists()
    result = run_cli("--store", str(path), "series")
    assert result.returncode == 2 and "findes ikke" in result.stderr and not path.exists()


def test_reading_commands_leave_the_file_as_it_was_and_run_beside_another_reader(tmp_path, registry):
    path = tmp_path / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    before = fingerprint(path)
    other = duckdb.connect(str(path), read_only=True)  # another reader holds the file meanwhile
    try:
        for command in (["series"], ["snapshots"], ["sources", "status"]):
            result = run_cli("--store", str(path), *command)
            assert result.returncode == 0, result.stderr
    finally:
        other.close()
    assert fingerprint(path) == before


def test_a_transaction_writes_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.transaction() as con:
        con.execute("INSERT INTO goal_comments VALUES ('167', 'm', '2024M01', 't', 'a', now()::TIMESTAMP)")
        raise RuntimeError("midtvejs")
    assert store.connection.execute("SELECT count(*) FROM goal_comments").fetchone()[0] == 0
    with store.transaction() as con:
        con.execute("INSERT INTO goal_comments VALUES ('167', 'm', '2024M01', 't', 'a', now()::TIMESTAMP)")
    assert store.connection.execute("SELECT count(*) FROM goal_comments").fetchone()[0] == 1


def test_series_and_sources_status_read_the_same_coverage(hvidovre_store):
    series = [(s.series, s.dims, s.unit, s.freq, s.first, s.last, s.periods, s.areas, s.last_snapshot)
              for s in hvidovre_store.series()]
    status = [(s.series, s.dims, s.unit, s.freq, s.first, s.last, s.periods, s.areas, s.snapshot)
              for s in availability(hvidovre_store).series]
    assert series == status and series


# The importer registry ---------------------------------------------------------------------------------


def test_the_dashboard_offers_the_registrys_uploadable_kinds():
    from maaltal.web import pages_analyst

    assert {i.kind: (i.label, i.endings) for i in importers.uploadable()} == pages_analyst.KINDS
    assert set(pages_analyst.KINDS) == {"observations", "jobindsats", "statbank"}  # spells stay off its disk
    assert set(importers.IMPORTERS) == {"observations", "jobindsats", "statbank", "spells"}
    with pytest.raises(MaaltalError, match="Ukendt kilde 'excel'"):
        importers.importer("excel")


def test_the_command_line_imports_through_the_registry(monkeypatch, tmp_path):
    from maaltal.cli import app

    seen = []
    real = importers.IMPORTERS["observations"]

    def recorded(store, path, request):
        seen.append((path, request.table, request.progress is not None))
        return real.run(store, path, request)

    monkeypatch.setitem(importers.IMPORTERS, "observations", importers.Importer(
        real.kind, real.label, real.endings, real.needs_table, real.uploadable, recorded))
    file = TEST_DATA / "hvidovre_bruttoledighed_2022.csv"
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s.duckdb"), "import", "observations", str(file)])
    assert result.exit_code == 0, result.output
    # the runner's stderr is no terminal: no bar, and no callback to count rows for one
    assert seen == [(file, None, False)] and "som øjebliksbillede 1" in result.output


def test_an_official_answer_without_its_table_is_refused_in_danish(store, registry):
    request = importers.ImportRequest(registry)
    with pytest.raises(MaaltalError, match="Skriv tabellens id"):
        importers.importer("statbank").run(store, TEST_DATA / "recorded" / "statbank_auk01_codes.csv", request)
    assert store.snapshots() == []


def test_a_web_job_shows_the_importers_progress_as_one_counting_step():
    job = Job("1", "Import", "analytiker")
    job.step("Filen er modtaget")
    for done in (5000, 10000, 12345):
        job.progress(done, 12345)
    assert job.steps == ["Filen er modtaget", "12.345 af 12.345 rækker kontrolleret"]


# The duplicate-column check --------------------------------------------------------------------------------


def test_a_40000_column_header_with_a_repeated_column_names_it(tmp_path, registry):
    dims = [f"d{i}" for i in range(40_000)] + ["d31999"]
    path = tmp_path / "bred.csv"
    path.write_text(",".join(["series", "area", "period", "value", "unit", *dims]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        observations_csv.read(path, registry)
    assert (caught.value.location.row, caught.value.location.column) == (1, "d31999")
    assert "mere end én gang" in str(caught.value)
    raw = tables.RawTable("bred.csv", ("Område", "Tid", *dims), [], [], header_row=1)
    with pytest.raises(InputError) as caught:
        tables.convert(raw, tables_mapping(), registry)
    assert (caught.value.location.row, caught.value.location.column) == (1, "d31999")


def tables_mapping():
    from maaltal.sources import statbank

    return statbank.mapping_for("AUK01")


def test_observations_are_still_written_through_the_one_transaction(store):
    snapshot = store.write_snapshot([Observation("x", "167", Period.parse("2024M01"), 1.0, "personer")],
                                    source="test")
    assert snapshot.id == 1 and store.series()[0].series == "x"


def test_a_migration_that_fails_leaves_the_store_at_its_version(tmp_path, monkeypatch):
    """The missing migrations are applied together: all of them, or none (the file as it was)."""
    path = old_store(tmp_path / "gammel.duckdb")
    broken = (*schema.MIGRATIONS, (schema.VERSION + 1, "CREATE TABLE later (a INTEGER); SELECT * FROM no_such_table"))
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "VERSION", schema.VERSION + 1)
    with pytest.raises(Exception, match="no_such_table"):
        Store.open(path)
    monkeypatch.undo()
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert schema.version_of(con) == 1
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "web_users" not in tables and "later" not in tables
    finally:
        con.close()


def _text_compressions(con: duckdb.DuckDBPyConnection) -> set[str]:
    con.execute("CHECKPOINT")
    return {c for (c,) in con.execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('observations')"
        " WHERE column_name IN ('series', 'area', 'period', 'freq', 'dims', 'unit') AND segment_type = 'VARCHAR'"
    ).fetchall()}


def test_the_observations_text_is_dictionary_compressed_and_an_old_store_keeps_its_rows(tmp_path):
    """Version 5 rebuilds the observations with dictionary compression on their text columns (FSST was tried
    on every row group and only cost time); the rows of an older file come through as they were, in order."""
    path = old_store(tmp_path / "gammel.duckdb")
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO observations SELECT 1, 'serie_' || i, 'område ' || i || repeat('x', 40), '2022M04',"
                " 'M', 24267, '{\"nøgle\": \"' || i || repeat('y', 40) || '\"}', i, 'personer', false"
                " FROM range(5000) r(i)")
    before = con.execute("SELECT * FROM observations").fetchall()
    assert "FSST" in _text_compressions(con)  # left to itself, DuckDB chooses FSST for long distinct texts
    con.close()
    with Store.open(path) as store:
        assert store.connection.execute("SELECT * FROM observations").fetchall() == before
        assert _text_compressions(store.connection) == {"Dictionary"}


def test_a_new_store_is_made_in_the_faster_storage_format(tmp_path):
    with Store.open(tmp_path / "ny.duckdb") as store:
        assert schema.storage_version(store.connection) == (1, 3, 0)
        store.write_snapshot([Observation("x", "167", Period.parse("2024M01"), 1.0, "personer")], source="test")
    with Store.open(tmp_path / "ny.duckdb", read_only=True) as store:  # the file opens as any other
        assert [s.id for s in store.snapshots()] == [1]


def test_an_old_store_in_a_newer_storage_format_is_brought_forward_without_a_rebuild(tmp_path):
    """DuckDB only reads the old dictionary compression in files of format v1.3 and later, and chooses as
    fast by itself there: version 5 changes nothing in them."""
    path = old_store(tmp_path / "gammel.duckdb", storage="v1.3.0")
    with Store.open(path) as store:
        assert schema.version_of(store.connection) == schema.VERSION
        assert store.values("bruttoledige", ["167"], [Period.parse("2022M04")])[("167", Period.parse("2022M04"))]
        assert "observations_v4" not in {t for (t,) in store.connection.execute(
            "SELECT table_name FROM duckdb_tables()").fetchall()}
