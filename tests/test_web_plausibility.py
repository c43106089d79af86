"""On the dashboard (issue 14): an analyst scoped to Hvidovre cannot upload Glostrup's figures, and Glostrup's
gross unemployment as 845,6 % is held until the analyst confirms it, with the confirmation in the audit log."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from maaltal.sources import registry as importers
from maaltal.store import Store
from maaltal.web import auth
from tests.test_plausibility import history_file, new_month
from tests.web_server import form_token, serve

SCOPED = ("hvidovre-analytiker", "hvidovre-kodeord-1")


@pytest.fixture
def server(tmp_path, store_path, registry):
    with Store.open(store_path) as store:
        importers.importer("observations").run(store, history_file(tmp_path), importers.ImportRequest(registry))
    with serve(store_path) as live:
        with live.site.db.cursor() as cur:
            auth.add_user(cur, SCOPED[0], SCOPED[1], auth.Role.ANALYST, ["167"])
        yield live


def job_page(client, location: str, timeout: float = 120) -> str:
    """Follow a job's page until it has ended or waits for a confirmation; return the page's text."""
    deadline = time.monotonic() + timeout
    while True:
        page = unescape(client.get(location).text)
        if re.search(r"Status: <strong>(færdig|fejl|afventer bekræftelse)</strong>", page):
            return page
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.2)


def upload(server, client, path) -> str:
    token = server.csrf(client, "/indlaes")
    response = client.post("/indlaes", data={"csrf_token": token},
                           files={"fil": (path.name, path.read_bytes(), "text/csv")})
    assert response.status_code == 303, response.text
    return response.headers["location"]


def snapshots(server) -> list[int]:
    with server.site.db.store() as store:
        return [s.id for s in store.snapshots()]


def test_an_analyst_scoped_to_hvidovre_cannot_upload_glostrups_figures(server, tmp_path):
    client = server.login(SCOPED[0], SCOPED[1])
    page = job_page(client, upload(server, client, new_month(tmp_path, glostrup="2.5")))
    assert "Status: <strong>fejl</strong>" in page and "Intet er ændret." in page
    assert "fil januar.csv, række 2, kolonne 'area': du kan kun indlæse tal for Hvidovre (167), men rækken har " \
           "tal for Glostrup (161)" in page
    assert snapshots(server) == [1]


def test_glostrups_845_pct_is_held_until_the_analyst_confirms_it(server, tmp_path):
    client = server.login("analytiker")
    location = upload(server, client, new_month(tmp_path))
    page = job_page(client, location)
    assert "Status: <strong>afventer bekræftelse</strong>" in page and "intet er skrevet endnu" in page
    assert "fil januar.csv, række 2, kolonne 'value': 845,6 pct. er en andel over 100 pct." in page
    assert snapshots(server) == [1]
    someone_else = server.login(SCOPED[0], SCOPED[1])
    refused = someone_else.post(f"{location}/bekraeft", data={"csrf_token": server.csrf(someone_else)})
    assert refused.status_code == 400 and snapshots(server) == [1]
    confirmed = client.post(f"{location}/bekraeft", data={"csrf_token": form_token(client.get(location).text)})
    assert confirmed.status_code == 303
    page = job_page(client, confirmed.headers["location"])
    assert "Status: <strong>færdig</strong>" in page and "Øjebliksbillede 2 er skrevet" in page
    assert snapshots(server) == [1, 2]
    again = client.post(f"{location}/bekraeft", data={"csrf_token": form_token(client.get(location).text)})
    assert again.status_code == 400  # one confirmation, one import
    log = unescape(server.login("admin").get("/admin/log").text)
    assert re.search(r"<td>analytiker</td><td>Import holdt tilbage \(usandsynlige tal\)</td><td>januar.csv</td>"
                     r"<td>1 usandsynlige tal, fx fil januar.csv, række 2", log)
    assert re.search(r"<td>analytiker</td><td>Usandsynlige tal bekræftet</td><td>januar.csv</td><td>fil januar.csv, "
                     r"række 2, kolonne 'value': 845,6 pct. er en andel over 100 pct.</td><td>127.0.0.1</td>", log)
    assert re.search(r"<td>Import</td><td>øjebliksbillede 2</td><td>januar.csv: 7 observationer; sha256 \w+; "
                     r"usandsynlige tal bekræftet", log)
