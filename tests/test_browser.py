"""The dashboard in a real browser: Playwright driving Debian's Chromium against a live server.

Covers logging in with the keyboard, each role's rights (a reader cannot reach an analyst's page, not
even by typing its address), an upload with its progress page, a goal comment and a publication with its
downloads, and the audit log that shows them. Screenshots go to ``$MAALTAL_SCREENSHOTS`` (default
``/tmp/maaltal-screenshots``) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web_server import PASSWORDS, demo_store, serve

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]
SHOTS = Path(os.environ.get("MAALTAL_SCREENSHOTS", "/tmp/maaltal-screenshots"))
CATALOGUE = Path(__file__).parents[1] / "examples" / "demo-hvidovre-2024.yaml"
# A revision of Hvidovre's December 2024 in the demo store: one new snapshot of two observations.
REVISION = ("series,area,period,value,unit\n"
            "bruttoledige,Hvidovre,2024M12,801,personer\n"
            "arbejdsstyrke,Hvidovre,2024M12,28160,personer\n")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(demo_store(tmp_path_factory, "browser"), catalogue=CATALOGUE, benchmarks=("group:vestegnen",)) as live:
        yield live


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def log_in(browser, server, username: str, **context):
    page = browser.new_context(**context).new_page()
    page.goto(server.url + "/")
    assert page.url.endswith("/login?next=/")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.press("#password", "Enter")  # the keyboard is enough
    page.wait_for_url(server.url + "/")
    return page


def test_login_by_keyboard_and_the_first_tab_stop_is_the_skip_link(browser, server):
    page = browser.new_page()
    page.goto(server.url + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Gå til indholdet"
    page.fill("#username", "laeser")
    page.fill("#password", "forkert-kodeord")
    page.press("#password", "Enter")
    assert page.locator("[role=alert]").inner_text() == "Forkert brugernavn eller adgangskode."
    shot(page, "01-login-fejl")
    page.context.close()


def test_a_reader_sees_the_overview_and_cannot_reach_an_analysts_page(browser, server):
    page = log_in(browser, server, "laeser")
    assert page.locator("h1").inner_text() == "Overblik – Hvidovre"
    assert page.locator("table.smileys tbody tr").count() == 5
    assert page.locator("a[href='/indlaes']").count() == 0
    assert page.locator("form[action='/publicer']").count() == 0
    shot(page, "02-laeser-overblik")
    for path in ("/indlaes", "/admin/log", "/admin/brugere"):
        response = page.goto(server.url + path)
        assert response.status == 403 and page.locator("h1").inner_text() == "Ingen adgang"
    shot(page, "03-laeser-ingen-adgang")
    page.goto(server.url + "/maal/unge")
    assert page.locator("textarea").count() == 0
    page.context.close()


def test_an_analyst_uploads_comments_and_publishes(browser, server, tmp_path):
    page = log_in(browser, server, "analytiker")
    page.click('nav >> text="Indlæs data"')
    upload = tmp_path / "revision-december.csv"
    upload.write_text(REVISION, encoding="utf-8")
    page.set_input_files("#fil", str(upload))
    page.click("form[action='/indlaes'] button")
    page.wait_for_selector("text=Status: færdig", timeout=60_000)
    assert "Øjebliksbillede 2 er skrevet med 2 observationer" in page.inner_text("main")
    shot(page, "04-analytiker-import")

    page.goto(server.url + "/maal/unge")
    comment = "Flere unge er kommet i uddannelse end ventet; indsatsen fortsætter."
    page.fill("#text", comment)
    page.click("form[action='/maal/unge/kommentar'] button")
    page.wait_for_url(server.url + "/maal/unge")
    assert comment in page.inner_text("main")
    shot(page, "05-analytiker-kommentar")

    page.goto(server.url + "/")
    page.click("form[action='/publicer'] button")
    page.wait_for_selector("text=Offentliggør rapporten?")  # a confirmation first, naming the snapshot
    assert "øjebliksbillede 2" in page.inner_text("main")
    page.click("text=Ja, offentliggør rapporten")
    page.wait_for_selector("text=Status: færdig", timeout=120_000)
    page.click("text=Se de offentliggjorte rapporter")
    row = page.locator("table tbody tr").first
    assert "Målopfølgning og nøgletal – Hvidovre Kommune – december 2024" in row.inner_text()
    with page.expect_download() as download:
        row.locator("a[href$='/docx']").click()
    assert download.value.suggested_filename == "rapport-167-2024M12.docx"
    shot(page, "06-analytiker-rapporter")
    published = page.request.get(server.url + "/rapporter/1/html").text()
    assert '<meta name="maaltal-snapshot" content="2">' in published and comment in published
    page.context.close()

    admin = log_in(browser, server, "admin")
    admin.click('nav >> text="Log"')
    actions = admin.locator("#audit tbody tr td:nth-child(3)").all_inner_texts()
    changes = [a for a in actions if a not in ("Logget ind", "Logget ud", "Mislykket login")]
    assert changes[:3] == ["Rapport offentliggjort", "Kommentar", "Import"] and "Logget ind" in actions
    shot(admin, "07-admin-log")
    admin.context.close()


def test_the_overview_fits_a_phone(browser, server):
    page = log_in(browser, server, "laeser", viewport={"width": 390, "height": 844}, is_mobile=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    shot(page, "08-telefon")
    page.context.close()
