"""The command line beside the dashboard (issue 14): while the dashboard holds the store file, reading commands
read its copy, and an import is refused in Danish with what to do, never with DuckDB's lock error."""

from __future__ import annotations

import json

import pytest

from maaltal.sources import observations_csv
from maaltal.store import Store, replica_path
from tests.conftest import TEST_DATA
from tests.conftest import run_cli_process as run_cli  # another process, as beside a real server
from tests.test_web_actions import JULY, upload, wait_for_job
from tests.web_server import serve


@pytest.fixture
def server(store_path, registry):
    with Store.open(store_path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(store_path) as live:
        live.site.warm()  # as the server's start does (in the background there)
        yield live


def test_reading_commands_work_and_imports_are_refused_in_danish_while_serving(server, store_path, tmp_path):
    snapshots = run_cli("--store", str(store_path), "snapshots", "--format", "json")
    assert snapshots.returncode == 0, snapshots.stderr
    assert [s["id"] for s in json.loads(snapshots.stdout)] == [1]
    assert "maaltal serve holder datalageret; tallene læses fra dashboardets kopi" in snapshots.stderr
    (tmp_path / "juli.csv").write_text(JULY, encoding="utf-8")
    refused = run_cli("--store", str(store_path), "import", "observations", str(tmp_path / "juli.csv"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "bruges af en anden proces" in refused.stderr and "maaltal serve" in refused.stderr
    assert "Indlæs data" in refused.stderr and "/indlaes" in refused.stderr
    assert "lock" not in refused.stderr.lower() and "IO Error" not in refused.stderr
    # an import on the dashboard brings the copy up to date before its job is done
    client = server.login("analytiker")
    assert "Status: <strong>færdig</strong>" in wait_for_job(client, upload(server, client, "juli.csv", JULY))
    after = run_cli("--store", str(store_path), "snapshots", "--format", "json")
    assert [s["id"] for s in json.loads(after.stdout)] == [1, 2]


def test_the_copy_holds_no_passwords_or_sessions(server, store_path):
    with Store.open(replica_path(store_path), read_only=True) as copy:
        tables = {t for (t,) in copy.connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {"observations", "snapshots", "web_audit"} <= tables
    assert not tables & {"web_users", "web_sessions", "web_login_attempts"}
