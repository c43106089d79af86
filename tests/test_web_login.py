"""Logging in under attack, against a real server behind a (pretended) proxy: throttling that can't be raced,
a cap on password hashing, lock-outs that spare the owner, password rules, change and reset, the last admin.

The server runs with ``trust_proxy``, so each test client can come from its own address (X-Forwarded-For).
"""

from __future__ import annotations

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest

from maaltal.sources import observations_csv
from maaltal.store import Store
from maaltal.web import audit, auth
from tests.conftest import TEST_DATA
from tests.web_server import PASSWORDS, form_token, serve


@pytest.fixture(scope="module")
def server(tmp_path_factory, registry):
    path = tmp_path_factory.mktemp("login") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path, trust_proxy=True) as live:
        with live.site.db.cursor() as cur:
            for name, role in (("admin2", auth.Role.ADMIN), ("owner", auth.Role.ANALYST),
                               ("target", auth.Role.READER), ("busy", auth.Role.READER)):
                auth.add_user(cur, name, f"{name}-kodeord-99", role)
        yield live


class CountingHasher:
    """Argon2 as the server uses it, counting the checks and the most at one time."""

    def __init__(self, hasher) -> None:
        self.hasher = hasher
        self.lock = threading.Lock()
        self.checks = self.running = self.most = 0

    def verify(self, password_hash, password):
        with self.lock:
            self.checks += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return self.hasher.verify(password_hash, password)
        finally:
            with self.lock:
                self.running -= 1

    def hash(self, password):
        return self.hasher.hash(password)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


def attempt(server, address: str, username: str, password: str):
    """A login from ``address``: the login page, then the form."""
    with server.client() as client:
        client.headers["X-Forwarded-For"] = address
        token = form_token(client.get("/login").text)
        return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def simultaneously(calls) -> list:
    """Run the calls at the same moment (each waits at a barrier first); their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_20_simultaneous_wrong_passwords_check_at_most_5(server, hasher):
    with ThreadPoolExecutor(20) as pool:  # the login pages first, so only the posts race
        clients = list(pool.map(lambda _: server.client(), range(20)))
    tokens = []
    for client in clients:
        client.headers["X-Forwarded-For"] = "198.51.100.20"
        tokens.append(form_token(client.get("/login").text))
    calls = [lambda c=c, t=t: c.post("/login", data={"username": "target", "password": "gæt-gæt-gæt-gæt",
                                                     "csrf_token": t}) for c, t in zip(clients, tokens, strict=True)]
    responses = simultaneously(calls)
    assert hasher.checks <= auth.THROTTLE_LIMIT
    assert sorted({r.status_code for r in responses}) == [401, 429]
    assert all("For mange mislykkede forsøg" in unescape(r.text) for r in responses if r.status_code == 429)
    for client in clients:
        client.close()


def test_password_checks_run_at_most_two_at_a_time(server, hasher):
    calls = [lambda i=i: attempt(server, f"198.51.100.{100 + i}", "busy", "busy-kodeord-99") for i in range(12)]
    responses = simultaneously(calls)
    assert hasher.most <= auth.HASHING_SLOTS
    assert all(r.status_code in (303, 429) for r in responses) and any(r.status_code == 303 for r in responses)


def test_an_attacker_is_slowed_but_the_owner_logs_in_from_elsewhere(server):
    for _ in range(auth.THROTTLE_LIMIT):
        assert attempt(server, "198.51.100.1", "owner", "gæt-gæt-gæt-gæt").status_code == 401
    blocked = attempt(server, "198.51.100.1", "owner", "owner-kodeord-99")
    assert blocked.status_code == 429 and re.search(r"Prøv igen om \d+ sekunder", unescape(blocked.text))
    assert attempt(server, "192.0.2.7", "owner", "owner-kodeord-99").status_code == 303
    with server.site.db.cursor() as cur:
        clients = {c for (c,) in cur.execute("SELECT DISTINCT client FROM web_audit WHERE username = 'owner'"
                                             ).fetchall()}
    assert clients == {"198.51.100.1", "192.0.2.7"}


def test_a_cpr_number_as_user_name_is_throttled_and_masked_too(server):
    for _ in range(auth.THROTTLE_LIMIT):
        assert attempt(server, "198.51.100.2", "0101901234", "gæt-gæt-gæt-gæt").status_code == 401
    assert attempt(server, "198.51.100.2", "010190-1234", "gæt-gæt-gæt-gæt").status_code == 429
    log = server.login("admin").get("/admin/log?handling=login_failed").text
    assert "0101901234" not in log and "010190-1234" not in log and "XXXXXX-XXXX" in log


def test_an_overlong_password_is_refused_in_danish_without_a_hash(server, hasher):
    response = attempt(server, "198.51.100.3", "target", "x" * 300)
    assert response.status_code == 401 and "Forkert brugernavn eller adgangskode." in response.text
    assert hasher.checks == 0
    admin = server.login("admin")
    token = server.csrf(admin, "/admin/brugere")
    refused = admin.post("/admin/brugere", data={"csrf_token": token, "username": "lang", "role": "reader",
                                                 "password": "et-langt-kodeord" * 20})
    assert refused.status_code == 400 and "højst være 256 tegn" in unescape(refused.text)


def test_the_admin_refuses_cpr_names_and_weak_passwords_and_masks_the_list(server):
    admin = server.login("admin")
    token = server.csrf(admin, "/admin/brugere")
    for username, password, message in (("0101901234", "et-langt-kodeord", "ligner et CPR-nummer"),
                                        ("010190-1234", "et-langt-kodeord", "ligner et CPR-nummer"),
                                        ("ole", "aaaaaaaaaaaa", "for let at gætte"),
                                        ("ole", "kort", "mindst 12 tegn")):
        refused = admin.post("/admin/brugere", data={"csrf_token": token, "username": username, "role": "reader",
                                                     "password": password})
        assert refused.status_code == 400 and message in unescape(refused.text), username
    with server.site.db.cursor() as cur:  # a user from before names were checked
        cur.execute("INSERT INTO web_users VALUES ('3112901234', 'reader', 'x', true, now())")
    page = admin.get("/admin/brugere").text
    assert '<th scope="row">311290-XXXX' in page and ">3112901234<" not in page


def test_a_user_changes_their_own_password_and_their_other_sessions_end(server):
    elsewhere = server.login("laeser")
    client = server.login("laeser")
    token = server.csrf(client, "/konto")
    form = {"csrf_token": token, "nuvaerende": PASSWORDS["laeser"], "ny": "nyt-og-langt-kodeord-7",
            "gentag": "nyt-og-langt-kodeord-7"}
    wrong = client.post("/konto/adgangskode", data={**form, "nuvaerende": "forkert-forkert"})
    assert wrong.status_code == 400 and "nuværende adgangskode er forkert" in unescape(wrong.text)
    weak = client.post("/konto/adgangskode", data={**form, "ny": "password1234", "gentag": "password1234"})
    assert weak.status_code == 400 and "for let at gætte" in unescape(weak.text)
    assert client.post("/konto/adgangskode", data=form).status_code == 303
    assert client.get("/").status_code == 200 and elsewhere.get("/").status_code == 303
    assert attempt(server, "192.0.2.8", "laeser", PASSWORDS["laeser"]).status_code == 401
    assert server.login("laeser", "nyt-og-langt-kodeord-7").get("/").status_code == 200
    log = unescape(server.login("admin").get("/admin/log?handling=password_change").text)
    assert "<td>laeser</td><td>Adgangskode skiftet</td>" in log


def test_an_admin_resets_a_password(server):
    victim = server.login("analytiker")
    admin = server.login("admin")
    token = server.csrf(admin, "/admin/brugere")
    weak = admin.post("/admin/brugere/analytiker/adgangskode", data={"csrf_token": token, "password": "aaaaaaaaaaaa"})
    assert weak.status_code == 400 and "for let at gætte" in unescape(weak.text)
    done = admin.post("/admin/brugere/analytiker/adgangskode", data={"csrf_token": token,
                                                                    "password": "nulstillet-kodeord-3"})
    assert done.status_code == 303 and victim.get("/").status_code == 303
    assert server.login("analytiker", "nulstillet-kodeord-3").get("/indlaes").status_code == 200
    log = unescape(admin.get("/admin/log?handling=password_reset").text)
    assert "<td>admin</td><td>Adgangskode nulstillet</td><td>analytiker</td>" in log


def test_two_admins_demoting_each_other_at_once_leave_one(server, monkeypatch):
    # each request stops where it has counted the admins, until the other has counted too (or 2 s have
    # passed): without the check and the change being one step, both would count two and both demote
    meeting = threading.Barrier(2, timeout=2)
    count_admins = auth.count_admins

    def count_when_both_are_there(cur):
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for this one: as it should
            meeting.wait()
        return count_admins(cur)

    monkeypatch.setattr(auth, "count_admins", count_when_both_are_there)
    clients = [server.login("admin"), server.login("admin2", "admin2-kodeord-99")]
    tokens = [server.csrf(c, "/admin/brugere") for c in clients]
    calls = [lambda c=clients[0], t=tokens[0]: c.post("/admin/brugere/admin2", data={"csrf_token": t,
                                                                                     "role": "reader", "active": "ja"}),
             lambda c=clients[1], t=tokens[1]: c.post("/admin/brugere/admin", data={"csrf_token": t,
                                                                                    "role": "reader", "active": "ja"})]
    responses = simultaneously(calls)
    assert sorted(r.status_code for r in responses) == [303, 400]
    assert any("Den sidste administrator kan ikke fjernes." in r.text for r in responses)
    with server.site.db.cursor() as cur:
        assert count_admins(cur) == 1
        cur.execute("UPDATE web_users SET role = 'admin', active = true WHERE username IN ('admin', 'admin2')")


def test_the_audit_log_pages_and_filters(server):
    with server.site.db.cursor() as cur:
        for i in range(120):
            audit.record(cur, "robot", "login_failed", "robot", f"forsøg {i}", "198.51.100.99")
    admin = server.login("admin")
    first = unescape(admin.get("/admin/log?bruger=robot&handling=login_failed").text)
    assert first.count("<td>Mislykket login</td>") == 50 and "forsøg 119<" in first and "forsøg 69<" not in first
    assert 'rel="next"' in first and "Hændelser 120 i alt" in first and "side 1 af 3" in first
    last = unescape(admin.get("/admin/log?bruger=robot&handling=login_failed&side=3").text)
    assert last.count("<td>Mislykket login</td>") == 20 and "forsøg 0<" in last and 'rel="prev"' in last
    assert "<td>Mislykket login</td>" not in unescape(admin.get("/admin/log?bruger=robot&handling=login").text)
    mine = unescape(admin.get("/admin/log?bruger=owner&handling=login").text)
    assert "<td>owner</td><td>Logget ind</td><td>owner</td><td></td><td>192.0.2.7</td>" in mine
