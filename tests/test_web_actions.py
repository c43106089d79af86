"""The analyst's actions through the real pages: upload an import (good and bad), publish a report that
stays frozen on its snapshot — each one in the audit log."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import TEST_DATA
from tests.web_server import serve

JULY = ("series,area,period,value,unit\n"
        "bruttoledige,Hvidovre,2022M07,712,personer\n"
        "arbejdsstyrke,Hvidovre,2022M07,26700,personer\n")


@pytest.fixture
def server(store_path, registry):
    with Store.open(store_path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(store_path) as live:
        yield live


def wait_for_job(client, response, timeout: float = 120) -> str:
    """Follow a job's page until it has ended; return the page's text."""
    assert response.status_code == 303 and response.headers["location"].startswith("/job/"), response.text
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(response.headers["location"]).text
        if "Status: <strong>færdig</strong>" in page or "Status: <strong>fejl</strong>" in page:
            return unescape(page)
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.2)


def upload(server, client, name: str, content: str):
    token = server.csrf(client, "/indlaes")
    return client.post("/indlaes", data={"csrf_token": token}, files={"fil": (name, content.encode(), "text/csv")})


def test_an_uploaded_file_becomes_a_snapshot_the_pages_show(server):
    client = server.login("analytiker")
    page = wait_for_job(client, upload(server, client, "juli.csv", JULY))
    assert "Status: <strong>færdig</strong>" in page
    assert "Øjebliksbillede 2 er skrevet med 2 observationer" in page
    # 712 / 26.700 = 2,67 %: the report moves to July at once
    assert "Bruttoledighed i Hvidovre: 2,7 pct. i juli 2022 (712 personer)" in \
        unescape(client.get("/rapport/noegletal-bruttoledighed").text)
    log = server.login("admin").get("/admin/log").text
    assert re.search(r"<td>analytiker</td><td>Import</td><td>øjebliksbillede 2</td><td>juli.csv: 2 observationer",
                     log)


def test_a_bad_file_changes_nothing_and_names_row_and_column(server):
    client = server.login("analytiker")
    bad = JULY + "bruttoledige,Hvidovre,2022M13,700,personer\nbruttoledige,Atlantis,2022M07,1,personer\n"
    page = wait_for_job(client, upload(server, client, "fejl.csv", bad))
    assert "Status: <strong>fejl</strong>" in page and "Intet er ændret." in page
    assert "fil fejl.csv, række 4, kolonne 'period'" in page
    assert "fil fejl.csv, række 5, kolonne 'area'" in page
    with server.site.db.store() as store:
        assert [s.id for s in store.snapshots()] == [1]
    log = server.login("admin").get("/admin/log").text
    assert "<td>Import</td>" not in log  # no import was made; the failed one is logged as failed
    assert re.search(r"<td>analytiker</td><td>Import fejlede</td><td>fejl.csv</td><td>2 fejl i filen</td>"
                     r"<td>127.0.0.1</td>", log)
    refused = upload(server, client, "noter.txt", "hej")
    assert refused.status_code == 400 and "Filen skal være .csv til observationsfil" in unescape(refused.text)


def test_a_publication_is_frozen_on_its_snapshot(server):
    client = server.login("analytiker")
    token = server.csrf(client)
    confirm = client.post("/publicer", data={"csrf_token": token})  # the button on the overview asks first
    assert confirm.status_code == 200 and "Offentliggør rapporten?" in confirm.text and "øjebliksbillede <strong>1" \
        in confirm.text
    page = wait_for_job(client, client.post("/publicer", data={"csrf_token": token, "bekraeft": "ja",
                                                               "oejebliksbillede": "1"}))
    assert "Rapport 1 er offentliggjort" in page and "Skriver PDF" in page
    listing = client.get("/rapporter").text
    assert re.search(r'<th scope="row">1</th><td>Nøgletal og opfølgning – Hvidovre Kommune – juni 2022</td>', listing)
    files = {fmt: client.get(f"/rapporter/1/{fmt}") for fmt in ("html", "pdf", "docx", "xlsx")}
    assert all(r.status_code == 200 for r in files.values())
    assert files["pdf"].content.startswith(b"%PDF") and files["docx"].content.startswith(b"PK")
    assert '<meta name="maaltal-snapshot" content="1">' in files["html"].text
    assert "attachment" in files["xlsx"].headers["content-disposition"]
    # new data arrive; the published report still says what it said
    wait_for_job(client, upload(server, client, "juli.csv", JULY))
    assert client.get("/rapporter/1/html").content == files["html"].content
    assert "juli 2022" in client.get("/").text
    log = server.login("admin").get("/admin/log").text
    assert "<td>Rapport offentliggjort</td>" in log and "øjebliksbillede 1" in log
    assert client.get("/rapporter/1/exe").status_code == 400
    assert client.get("/rapporter/1/..%2F..%2Fetc").status_code in (400, 404)


def test_a_saved_jobindsats_answer_goes_through_its_own_importer(server):
    client = server.login("analytiker")
    token = server.csrf(client, "/indlaes")
    answer = (TEST_DATA / "recorded" / "jobindsats_v2_y01a02.json").read_bytes()
    missing_table = client.post("/indlaes", data={"csrf_token": token, "kilde": "jobindsats"},
                                files={"fil": ("y01a02.json", answer)})
    assert missing_table.status_code == 400 and "Skriv tabellens id" in missing_table.text
    response = client.post("/indlaes", data={"csrf_token": token, "kilde": "jobindsats", "tabel": "y01a02"},
                           files={"fil": ("y01a02.json", answer)})
    page = wait_for_job(client, response)
    # the recorded answer: 10 observations, 2 of them suppressed (Læsø), as tests/test_jobindsats.py reads it
    assert "Øjebliksbillede 2 er skrevet med 10 observationer; tabel Y01A02" in page and "2 diskretionerede" in page
    sources = unescape(client.get("/datakilder").text)
    assert "jobindsats:Y01A02" in sources
