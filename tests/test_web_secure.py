"""A dashboard started with ``--secure-cookies``, reached over plain http by mistake: HSTS on every answer,
and a Danish hint to use HTTPS instead of a puzzling "CSRF" refusal."""

from __future__ import annotations

from html import unescape

import pytest

from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import TEST_DATA
from tests.web_server import PASSWORDS, form_token, serve


@pytest.fixture(scope="module")
def server(tmp_path_factory, registry):
    path = tmp_path_factory.mktemp("secure") / "maaltal.duckdb"
    with Store.open(path) as store:
        observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    with serve(path, secure_cookies=True) as live:
        yield live


def test_every_answer_carries_hsts(server):
    with server.client() as client:
        for response in (client.get("/login"), client.get("/findes-ikke"), client.post("/indlaes")):
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000", response.url


def test_plain_http_gets_a_danish_hint_not_csrf(server):
    with server.client() as client:
        page = client.get("/login")
        assert "Secure" in page.headers["set-cookie"]
        assert "Åbn siden med https://" in unescape(page.text)
        # the browser keeps a Secure cookie from http://, so the form comes back without it
        response = client.post("/login", data={"username": "laeser", "password": PASSWORDS["laeser"],
                                               "csrf_token": form_token(page.text)})
    text = unescape(response.text)
    assert response.status_code == 400 and "--secure-cookies" in text and "https://" in text
    assert "CSRF" not in text and "sikkerhedstegn" not in text
