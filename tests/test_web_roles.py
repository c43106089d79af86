"""Each role's rights: a reader can change nothing, by any URL or form; an analyst cannot manage users.

The routes are taken from the application itself, so a page added later is checked too.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from maaltal.sources import observations_csv
from maaltal.store import Store
from maaltal.web.app import routers
from tests.conftest import TEST_DATA
from tests.web_server import serve

# Pages any logged-in user may read; everything else is for analysts or admins.
READER_GET = {"/", "/maal/{goal_id}", "/rapport", "/rapport/{section_id}", "/noegletal", "/noegletal.csv",
              "/datakilder", "/rapporter", "/rapporter/{publication_id}/{fmt}", "/login", "/static/report.css",
              "/konto"}
ADMIN_ONLY = {"/admin/brugere", "/admin/brugere/{username}", "/admin/log"}
EXAMPLE = {"section_id": "kilder", "publication_id": "1", "fmt": "pdf", "username": "laeser", "job_id": "x",
           "goal_id": "bruttoledighed"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, registry):
    path = tmp_path_factory.mktemp("roles") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path) as live:
        yield live


def _routes(method: str) -> list[str]:
    return sorted({r.path for router in routers() for r in router.routes
                   if isinstance(r, APIRoute) and method in r.methods})


def _state(server) -> tuple:
    """Everything a change would show in: snapshots, users, the audit log, publications, sessions aside."""
    with server.site.db.cursor() as cur:
        return tuple(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("snapshots", "observations", "web_users", "web_audit", "web_publications"))


def _fill(path: str) -> str:
    for key, value in EXAMPLE.items():
        path = path.replace("{" + key + "}", value)
    return path


def test_a_reader_reaches_no_analyst_or_admin_page_by_url(server):
    client = server.login("laeser")
    assert {"/indlaes", "/admin/log", "/admin/brugere"} <= set(_routes("GET"))
    for path in _routes("GET"):
        if path not in READER_GET:
            response = client.get(_fill(path))
            assert response.status_code == 403 and "Ingen adgang" in response.text, path


def test_a_reader_changes_nothing_by_any_form_even_with_a_valid_token(server):
    client = server.login("laeser")
    token = server.csrf(client)
    before = _state(server)
    # logging out and changing one's own password (which needs the present one) are a reader's too
    posts = [p for p in _routes("POST") if p not in ("/login", "/logout", "/konto/adgangskode")]
    assert {"/indlaes", "/publicer", "/admin/brugere"} <= set(posts)
    for path in posts:
        files = {"fil": ("x.csv", b"series,area,period,value,unit\nbruttoledige,167,2022M07,1,personer\n")}
        response = client.post(_fill(path), data={"csrf_token": token, "username": "ny-bruger", "role": "admin",
                                                  "password": "et-langt-kodeord", "text": "hej"}, files=files)
        assert response.status_code == 403, path
    assert _state(server) == before


def test_a_reader_sees_no_links_or_buttons_for_what_they_may_not_do(server):
    page = server.login("laeser").get("/").text
    assert 'href="/indlaes"' not in page and 'action="/publicer"' not in page and 'href="/admin/log"' not in page
    analyst_page = server.login("analytiker").get("/").text
    assert 'href="/indlaes"' in analyst_page and 'action="/publicer"' in analyst_page
    assert 'href="/admin/log"' not in analyst_page


def test_an_analyst_cannot_manage_users_or_read_the_log(server):
    client = server.login("analytiker")
    token = server.csrf(client)
    before = _state(server)
    for path in sorted(ADMIN_ONLY):
        assert client.get(_fill(path)).status_code in (403, 405), path
    response = client.post("/admin/brugere", data={"csrf_token": token, "username": "snyder", "role": "admin",
                                                   "password": "et-langt-kodeord"})
    assert response.status_code == 403
    assert client.post("/admin/brugere/analytiker", data={"csrf_token": token, "role": "admin",
                                                          "active": "ja"}).status_code == 403
    assert _state(server) == before


def test_an_admin_adds_a_user_and_it_shows_in_the_log(server):
    client = server.login("admin")
    token = server.csrf(client, "/admin/brugere")
    response = client.post("/admin/brugere", data={"csrf_token": token, "username": "Kirsten", "role": "analyst",
                                                   "password": "kirstens-kodeord"})
    assert response.status_code == 303
    assert server.login("kirsten", "kirstens-kodeord").get("/indlaes").status_code == 200
    log = client.get("/admin/log").text
    assert "Bruger oprettet" in log and "kirsten" in log and "rolle: Analytiker" in log
    bad = client.post("/admin/brugere", data={"csrf_token": token, "username": "x y", "role": "reader",
                                              "password": "et-langt-kodeord"})
    assert bad.status_code == 400 and "Brugernavnet skal være" in bad.text


def test_a_deactivated_user_is_logged_out_at_once_and_the_last_admin_stays(server):
    admin = server.login("admin")
    token = server.csrf(admin, "/admin/brugere")
    victim = server.login("analytiker")
    assert admin.post("/admin/brugere/analytiker", data={"csrf_token": token, "role": "analyst"}).status_code == 303
    assert victim.get("/").status_code == 303  # back to the login page
    last = admin.post("/admin/brugere/admin", data={"csrf_token": token, "role": "reader", "active": "ja"})
    assert last.status_code == 400 and "Den sidste administrator" in last.text
    assert admin.post("/admin/brugere/analytiker", data={"csrf_token": token, "role": "analyst",
                                                         "active": "ja"}).status_code == 303
