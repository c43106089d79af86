"""The reading pages on Hvidovre's gross unemployment of the minutes (item 9): overview, report, explorer,
sources — and the check that the dashboard shows exactly the report's blocks."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from maaltal.render import html
from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import TEST_DATA
from tests.web_server import serve

SEED_SENTENCE = "Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer)"  # 701 / 26.700 = 2,63 %


@pytest.fixture(scope="module")
def server(tmp_path_factory, registry):
    path = tmp_path_factory.mktemp("pages") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path, benchmarks=("group:vestegnen",), committee="Social- og Arbejdsmarkedsudvalget") as live:
        yield live


@pytest.fixture(scope="module")
def reader(server):
    return server.login("laeser")


def test_overview_shows_the_seed_figures_of_the_newest_month(reader):
    page = reader.get("/").text
    assert "Nøgletal i overblik" in page and "juni 2022" in page
    # Hvidovre 701 / 26.700 = 2,6; the region 25.916 / 960.000 = 2,7; Vestegnen's eight summed
    # 4.107 / 134.200 = 3,1 (a sum over sums, not an average of shares)
    row = re.search(r'<th scope="row">Bruttoledighed</th>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[:5] == ["2,6", "–", "2,7", "–", "3,1"]
    assert "2 af 8" in row  # and its rank in the group, by share
    sentence = reader.get("/rapport/noegletal-bruttoledighed").text
    assert SEED_SENTENCE in sentence
    assert "Nr. 2 af 8 i Vestegnens kommuner" in sentence  # 2,63 % is the second lowest of the eight


def test_the_dashboard_shows_the_reports_own_blocks(server, reader):
    """The dashboard and the report never disagree: every table and chart of the report's HTML file is on
    the dashboard's report page character for character."""
    report = server.site.report()
    report_file = html.render(report)
    page = reader.get("/rapport").text
    blocks = re.findall(r'<table id="[^"]+"[^>]*>.*?</table>|<figure id="[^"]+" class="chart[^"]*">.*?</figure>'
                        r'|<ul class="trends">.*?</ul>', report_file, re.S)
    assert len(blocks) >= 3
    for block in blocks:
        assert block in page
    for section in filter(html.visible, report.sections):  # a section of XLSX-only tables is not printed
        assert f'<section id="{section.id}">' in page


def test_a_section_has_its_own_page_and_an_unknown_one_a_danish_error(reader):
    page = reader.get("/rapport/noegletal-bruttoledighed")
    assert page.status_code == 200 and SEED_SENTENCE in page.text
    missing = reader.get("/rapport/findes-ikke")
    assert missing.status_code == 400 and "Rapporten har intet afsnit 'findes-ikke'" in unescape(missing.text)


def test_the_explorer_compares_any_area_with_a_group(reader):
    page = reader.get("/noegletal", params={"noegletal": "bruttoledighed", "omraade": "Albertslund",
                                            "periode": "2022M06", "sammenlign": "group:vestegnen"})
    assert page.status_code == 200
    # Albertslund 486 / 13.500 = 3,6 %
    assert "Bruttoledighed i Albertslund: 3,6 pct. i juni 2022 (486 personer)" in page.text
    assert 'value="group:vestegnen" checked' in page.text
    stored = reader.get("/noegletal", params={"noegletal": "serie:bruttoledige", "omraade": "167"})
    assert stored.status_code == 200 and "701" in stored.text


def test_the_explorers_figures_download_as_csv(reader):
    response = reader.get("/noegletal.csv", params={"noegletal": "bruttoledighed", "omraade": "167",
                                                    "periode": "2022M06", "sammenlign": "group:vestegnen"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="noegletal-bruttoledighed-167-2022M06.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    focus = next(r for r in rows if r["rolle"] == "focus")
    assert (focus["omraade"], focus["taeller"], focus["naevner"]) == ("Hvidovre", "701.0", "26700.0")
    assert float(focus["vaerdi"]) == pytest.approx(701 / 26700 * 100)
    members = [r for r in rows if r["rolle"] == "member" and r["gruppe"] == "group:vestegnen"]
    assert len(members) == 8 and next(r for r in members if r["omraade_kode"] == "167")["placering"] == "2"
    history = [r for r in rows if r["rolle"] == "historik" and r["omraade_kode"] == "167" and r["vaerdi"]]
    assert [r["periode"] for r in history] == ["2022M04", "2022M05", "2022M06"]


def test_the_explorer_explains_a_wrong_choice_in_danish(reader):
    response = reader.get("/noegletal", params={"noegletal": "bruttoledighed", "periode": "2030M01"})
    assert response.status_code == 400 and "Perioden 2030M01 findes ikke for Bruttoledighed" in response.text
    unknown = reader.get("/noegletal", params={"noegletal": "bruttoledighed", "omraade": "Atlantis"})
    assert unknown.status_code == 400 and "Atlantis" in unknown.text


def test_sources_list_the_snapshots_and_series(reader):
    page = reader.get("/datakilder").text
    assert "hvidovre_bruttoledighed_2022.csv" in page and ">40<" in page  # 40 observations in snapshot 1
    assert "bruttoledige" in page and "arbejdsstyrke" in page and "april 2022" in page


def test_pages_are_for_phones_and_screen_readers(reader):
    for path in ("/", "/noegletal", "/datakilder", "/rapporter"):
        page = reader.get(path).text
        assert '<html lang="da">' in page and 'name="viewport"' in page and 'href="#indhold"' in page
        for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
            assert f'for="{field}"' in page, (path, field)
    chart = reader.get("/rapport/noegletal-bruttoledighed").text
    assert re.search(r"<svg[^>]*role=\"img\"", chart) and "<title" in chart and "<desc" in chart
