"""Logging in: hashed passwords, session cookies, CSRF on every form, throttling, the first admin from the CLI."""

from __future__ import annotations

import pytest

from maaltal.sources import observations_csv
from maaltal.web import audit, auth
from maaltal.web.db import Database
from tests.conftest import TEST_DATA, run_cli
from tests.web_server import PASSWORDS, form_token, login, serve


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, registry):
    """One dashboard for the module (starting one costs a few seconds)."""
    from maaltal.store import Store
    path = tmp_path_factory.mktemp("auth") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path) as live:
        yield live


@pytest.fixture
def server(live_server):
    """The module's dashboard as a fresh one: no sessions and no login attempts (so no throttling) yet."""
    with live_server.site.db.cursor() as cur:
        cur.execute("DELETE FROM web_sessions")
        cur.execute("DELETE FROM web_login_attempts")
    return live_server


def test_pages_need_a_login(server):
    with server.client() as client:
        response = client.get("/noegletal")
        assert response.status_code == 303 and response.headers["location"] == "/login?next=/noegletal"
        assert client.post("/publicer", data={"csrf_token": "x"}).status_code == 401


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(server):
    with server.client() as client:
        response = login(client, "laeser", PASSWORDS["laeser"])
        assert response.status_code == 303 and response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert "maaltal_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert client.get("/").status_code == 200
        token = form_token(client.get("/").text)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
        # the old cookie is worthless now, even if someone kept it
        client.cookies.set("maaltal_session", cookie.split("maaltal_session=")[1].split(";")[0])
        assert client.get("/").status_code == 303


def test_wrong_password_is_refused_in_danish(server):
    with server.client() as client:
        response = login(client, "laeser", "forkert-kodeord")
        assert response.status_code == 401 and "Forkert brugernavn eller adgangskode." in response.text
        assert "maaltal_session" not in client.cookies


def test_login_without_the_forms_csrf_token_is_refused(server):
    with server.client() as client:
        client.get("/login")
        response = client.post("/login", data={"username": "laeser", "password": PASSWORDS["laeser"],
                                               "csrf_token": "gættet"})
        assert response.status_code == 403 and "sikkerhedstegn" in response.text


def test_every_form_needs_the_sessions_csrf_token(server):
    client = server.login("analytiker")
    for path in ("/publicer", "/logout"):
        response = client.post(path, data={"csrf_token": "forkert"})
        assert response.status_code == 403, path
    assert client.get("/").status_code == 200  # still logged in: the forged logout did nothing


def test_too_many_failures_block_even_the_right_password(server):
    with server.client() as client:
        for _ in range(auth.THROTTLE_LIMIT):
            assert login(client, "analytiker", "gæt-gæt-gæt").status_code == 401
        response = login(client, "analytiker", PASSWORDS["analytiker"])
        assert response.status_code == 429 and "For mange mislykkede forsøg" in response.text
    with server.site.db.cursor() as cur:
        counts = cur.execute("SELECT count(*) FILTER (NOT success), count(*) FILTER (success) FROM web_login_attempts"
                             ).fetchone()
    assert counts == (auth.THROTTLE_LIMIT, 0)  # the refused try never reached the password check


def test_passwords_and_session_tokens_are_not_stored_in_clear(server):
    client = server.login("admin")
    token = client.cookies["maaltal_session"]
    with server.site.db.cursor() as cur:
        hashes = [h for (h,) in cur.execute("SELECT password_hash FROM web_users").fetchall()]
        sessions = [t for (t,) in cur.execute("SELECT token_hash FROM web_sessions").fetchall()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in PASSWORDS.values())
    assert token not in sessions and len(sessions) == 1


def test_login_only_sends_back_to_this_site(server):
    with server.client() as client:
        token = form_token(client.get("/login?next=//evil.example/").text)
        response = client.post("/login", data={"username": "laeser", "password": PASSWORDS["laeser"],
                                               "csrf_token": token, "next": "https://evil.example/"})
        assert response.headers["location"] == "/"


def test_the_first_admin_is_created_from_the_command_line(store_path):
    result = run_cli("--store", str(store_path), "users", "add", "Mette", "--role", "admin",
                     env={"MAALTAL_PASSWORD": "et-langt-kodeord"})
    assert result.returncode == 0, result.stderr
    assert "Brugeren mette er oprettet med rollen administrator." in result.stdout
    again = run_cli("--store", str(store_path), "users", "add", "mette", env={"MAALTAL_PASSWORD": "et-langt-kodeord"})
    assert again.returncode == 2 and "Brugeren 'mette' findes allerede" in again.stderr
    short = run_cli("--store", str(store_path), "users", "add", "ole", env={"MAALTAL_PASSWORD": "kort"})
    assert short.returncode == 2 and "mindst 12 tegn" in short.stderr
    for weak in ("aaaaaaaaaaaa", "password1234", "qwertyuiop12"):  # long enough, but guessed at once
        refused = run_cli("--store", str(store_path), "users", "add", "ole", env={"MAALTAL_PASSWORD": weak})
        assert refused.returncode == 2 and "for let at gætte" in refused.stderr, weak
    cpr = run_cli("--store", str(store_path), "users", "add", "010190-1234",
                  env={"MAALTAL_PASSWORD": "et-langt-kodeord"})
    assert cpr.returncode == 2 and "ligner et CPR-nummer" in cpr.stderr and "1234" not in cpr.stderr
    reset = run_cli("--store", str(store_path), "users", "passwd", "mette",
                    env={"MAALTAL_PASSWORD": "et-nyt-kodeord-2"})
    assert reset.returncode == 0 and "Brugeren mette har fået en ny adgangskode." in reset.stdout, reset.stderr
    db = Database(store_path)
    with db.cursor() as cur:
        assert auth.get_user(cur, "mette") == auth.User("mette", auth.Role.ADMIN)
        assert auth.authenticate(cur, "mette", "et-langt-kodeord", "test") is None
        assert auth.authenticate(cur, "mette", "et-nyt-kodeord-2", "test") is not None
        assert [(e.username, e.action, e.object) for e in audit.entries(cur)] \
            == [("kommandolinjen", "password_reset", "mette"), ("kommandolinjen", "user_add", "mette")]
    db.close()


def test_a_cpr_number_typed_as_user_name_is_not_kept_in_clear(server):
    with server.client() as client:
        assert login(client, "0101901234", "noget-forkert").status_code == 401
    with server.site.db.cursor() as cur:
        assert cur.execute("SELECT username FROM web_login_attempts").fetchall() == [("XXXXXX-XXXX",)]
