"""What a request costs before it is authenticated, and what an error shows: against a real server.

An anonymous post is answered before its body is read, every body has a cap, a body without a length is
cut while it streams, and every error page (404, 405, 413, 422, 500, a failed job) is Danish, carries the
security headers and never shows an internal exception's text.
"""

from __future__ import annotations

import socket
import tempfile
from html import unescape
from urllib.parse import urlsplit

import pytest

from maaltal.sources import observations_csv
from maaltal.store import Store
from maaltal.web.jobs import Jobs
from tests.conftest import TEST_DATA
from tests.web_server import form_token, serve

FIFTY_MB = 50 * 1024 * 1024
BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


@pytest.fixture(scope="module")
def spool(tmp_path_factory):
    """The folder a multipart parser would spool to: the server runs in this process, so it is ours to see."""
    folder = tmp_path_factory.mktemp("spool")
    before, tempfile.tempdir = tempfile.tempdir, str(folder)
    yield folder
    tempfile.tempdir = before


@pytest.fixture(scope="module")
def server(tmp_path_factory, registry, spool):
    path = tmp_path_factory.mktemp("guard") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path) as live:
        yield live


def raw_post(server, path: str, headers: dict[str, str], body: bytes, chunks: list[bytes] | None = None) -> str:
    """Send a post by hand — headers, then only ``body`` (or ``chunks``) — and read what comes back.

    A server that waited for the declared body would never answer: the socket's timeout fails the test.
    """
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=20) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": url.netloc, "Connection": "close", **headers}.items())
        sock.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        for chunk in chunks or []:
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        answer = b""
        while data := sock.recv(65536):
            answer += data
    return answer.decode("utf-8", "replace")


def multipart_head(size: int, cookie: str = "") -> dict[str, str]:
    headers = {"Content-Type": "multipart/form-data; boundary=grænse", "Content-Length": str(size)}
    return {**headers, "Cookie": cookie} if cookie else headers


def test_an_anonymous_50_mb_upload_is_answered_before_its_body_is_read(server, spool):
    start = b"--gr\xc3\xa6nse\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"x.csv\"\r\n\r\n" + b"x" * 1024
    answer = raw_post(server, "/indlaes", multipart_head(FIFTY_MB), start)
    assert answer.startswith("HTTP/1.1 401") and "Log ind først" in answer
    assert "content-security-policy" in answer.lower()
    # the login takes small forms only: a 50 MB "password" is refused in Danish, before it is read
    answer = raw_post(server, "/login", multipart_head(FIFTY_MB), start)
    assert answer.startswith("HTTP/1.1 413") and "Det sendte er for stort" in answer
    assert list(spool.iterdir()) == []
    assert not server.site.db.path.with_name(server.site.db.path.name + ".uploads").exists()


def test_a_logged_in_users_body_has_a_cap_for_their_role(server, spool):
    reader = server.login("laeser")
    cookie = f"maaltal_session={reader.cookies['maaltal_session']}"
    answer = raw_post(server, "/indlaes", multipart_head(FIFTY_MB, cookie), b"--gr\xc3\xa6nse\r\n")
    assert answer.startswith("HTTP/1.1 413")  # a reader's upload is a form: 64 KB
    analyst = server.login("analytiker")
    cookie = f"maaltal_session={analyst.cookies['maaltal_session']}"
    answer = raw_post(server, "/maalkatalog", {"Content-Type": "application/x-www-form-urlencoded",
                                               "Content-Length": str(FIFTY_MB), "Cookie": cookie}, b"text=")
    assert answer.startswith("HTTP/1.1 413")
    assert list(spool.iterdir()) == []


def test_a_body_without_length_is_cut_at_the_cap(server):
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"}
    # 80 KB and no end: a server that read on would wait for the rest
    answer = raw_post(server, "/login", headers, b"", [b"username=" + b"a" * 16_000] + [b"a" * 16_000] * 4)
    assert answer.startswith("HTTP/1.1 413") and "Det sendte er for stort" in answer


def test_error_pages_are_danish_with_the_security_headers(server):
    client = server.login("admin")
    for response, status, title in ((client.get("/findes-ikke"), 404, "Siden findes ikke"),
                                    (client.put("/"), 405, "Det kan siden ikke"),
                                    (client.get("/admin/log?side=abc"), 422, "Formularen er ikke udfyldt rigtigt")):
        assert response.status_code == status and title in response.text, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert "Content-Security-Policy" in response.headers and response.headers["X-Frame-Options"] == "DENY"
        assert "detail" not in response.text and "Method Not Allowed" not in response.text
        assert "Strict-Transport-Security" not in response.headers  # only with --secure-cookies


def test_an_internal_error_shows_a_danish_page_and_no_exception_text(server, monkeypatch):
    def broken(**kwargs):
        raise RecursionError("maximum recursion depth exceeded in /srv/hemmelig/sti.py")

    monkeypatch.setattr(server.site, "report", broken)
    response = server.login("laeser").get("/rapport")
    assert response.status_code == 500 and "Der opstod en uventet fejl" in response.text
    assert "RecursionError" not in response.text and "hemmelig" not in response.text
    assert "Content-Security-Policy" in response.headers and response.headers["Cache-Control"] == "no-store"


def test_a_failed_job_shows_danish_and_logs_the_exception(caplog):
    jobs = Jobs()

    def broken(job):
        raise RecursionError("field larger than field limit (131072)")

    job = jobs.submit("Import af x.csv", "analytiker", broken)
    jobs.shutdown()
    assert job.state == "fejl" and job.errors and "uventet fejl" in job.errors[0]
    assert not any("RecursionError" in e or "field limit" in e for e in job.errors)
    assert "field larger than field limit" in caplog.text  # the server log has it


def test_the_catalogue_editor_refuses_yaml_aliases_in_danish(server):
    client = server.login("analytiker")
    token = server.csrf(client, "/maalkatalog")
    for text, message in ((BOMB, "aliasser i aliasser"), ("name: x\ngoals: &g [*g]\n", "rekursivt alias")):
        response = client.post("/maalkatalog", data={"csrf_token": token, "text": text})
        assert response.status_code == 400 and message in unescape(response.text)
        assert "linje" in unescape(response.text) and "Content-Security-Policy" in response.headers


def test_x_forwarded_for_is_not_trusted_without_the_option(server):
    with server.client() as client:
        token = form_token(client.get("/login").text)
        client.post("/login", data={"username": "ukendt", "password": "forkert-forkert", "csrf_token": token},
                    headers={"X-Forwarded-For": "203.0.113.9"})
    with server.site.db.cursor() as cur:
        clients = {c for (c,) in cur.execute("SELECT client FROM web_login_attempts").fetchall()}
        logged = cur.execute("SELECT client FROM web_audit WHERE action = 'login_failed' AND username = 'ukendt'"
                             ).fetchall()
    assert "203.0.113.9" not in clients and logged == [("127.0.0.1",)]

