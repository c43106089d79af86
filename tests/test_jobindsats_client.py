"""The jobindsats client against a local server that answers with recorded answers (v2, v3, errors)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from maaltal.errors import InputError, MaaltalError
from maaltal.periods import Period
from maaltal.sources.http import HttpError
from maaltal.sources.jobindsats import answers, importer
from maaltal.sources.jobindsats.client import JobindsatsClient, load_config
from tests.conftest import run_cli
from tests.test_jobindsats import RECORDED, as_v2_json, y30r21_rows

GOOD_KEY = "hemmelig-noegle-123"


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeApi:
    """A local HTTP server: ``answer(method, path, *responses)`` queues answers, served in order.

    The last answer of a route is repeated; every request is recorded for the test to look at.
    """

    base: str = ""
    routes: dict[tuple[str, str], list[tuple[int, bytes, dict[str, str]]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def answer(self, method: str, path: str, *responses: tuple[int, bytes | str] | tuple[int, bytes | str, dict]):
        self.routes[method, path] = [
            (r[0], r[1].encode("utf-8") if isinstance(r[1], str) else r[1], r[2] if len(r) > 2 else {})
            for r in responses]

    def respond(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        parts = urlsplit(raw_path)
        self.requests.append(Request(method, parts.path, parse_qsl(parts.query), headers, body))
        queue = self.routes.get((method, parts.path))
        if not queue:
            return 404, b'{"code": 404, "cause": "not found"}', {}
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def api():
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, extra = fake.respond(self.command, self.path, dict(self.headers), body)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json; charset=utf-8", **extra}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def client(api, version=2, key=GOOD_KEY, **kwargs):
    return JobindsatsClient(key, version=version, base_url=f"{api.base}/v{version}", backoff=0, **kwargs)


def test_v2_posts_the_query_with_the_bare_key_and_imports_the_answer(api, store, registry):
    api.answer("POST", "/v2/data/Y01A02/json", (200, (RECORDED / "jobindsats_v2_y01a02.json").read_bytes()))
    with client(api) as c:
        result = importer.fetch(store, c, table="Y01A02", periods=["2021M01"], registry=registry,
                                filters={"_kon": ["*"]})
    request = api.requests[0]
    assert request.headers["Authorization"] == GOOD_KEY
    assert json.loads(request.body) == {"area": "*", "period": ["2021M01"], "_kon": ["*"]}
    assert result.snapshot.source == "jobindsats:Y01A02" and result.observations == 10
    assert result.snapshot.file == f"{api.base}/v2/data/Y01A02"


def test_v2_csv_answer_is_saved_and_imported_like_a_file(api, store, registry, tmp_path):
    recorded = (RECORDED / "jobindsats_v2_y01a02.csv").read_bytes()
    api.answer("POST", "/v2/data/Y01A02/csv", (200, recorded))
    saved = tmp_path / "svar.csv"
    with client(api) as c:
        result = importer.fetch(store, c, table="Y01A02", periods=["l(m:12)"], areas=["Hvidovre", "Hele landet"],
                                registry=registry, fmt="csv", save=saved)
    assert saved.read_bytes() == recorded and result.snapshot.file == str(saved)
    assert json.loads(api.requests[0].body)["area"] == ["Hvidovre", "Hele landet"]
    from_file = importer.import_file(store, saved, table="Y01A02", registry=registry)
    assert from_file.snapshot.sha256 == result.snapshot.sha256


def test_v3_gets_with_a_bearer_key_and_v3_periods(api, store, registry):
    api.answer("GET", "/v3/data/Y36A02", (200, (RECORDED / "jobindsats_v3_y36a02.json").read_bytes()))
    with client(api, version=3) as c:
        importer.fetch(store, c, table="Y36A02", periods=["2026M04", "2026Q1", "M=latest:2"], registry=registry)
    request = api.requests[0]
    assert request.headers["Authorization"] == f"Bearer {GOOD_KEY}"
    query = dict(request.query)
    assert query["format"] == "json" and query["mgroup.*"] == "*" and query["hierarchy._nykom"] == "*"
    assert query["period.M"] == "2026M04,latest:2" and query["period.Q"] == "2026Q01"
    stored = store.values("fuldtidspersoner", ["000"], [Period.parse("2026M04")], {"ydelse": "kontanthjælp jobparat"})
    assert stored["000", Period.parse("2026M04")].value == 22741


def test_v2_bad_key_text_is_a_clear_message_and_nothing_is_written(api, store, registry):
    importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
    before = store.latest_snapshot()
    api.answer("POST", "/v2/data/Y01A02/json", (200, "Forkert nøgle eller nøglen er udløbet."))
    with client(api, key="forkert") as c, pytest.raises(answers.BadKeyError, match="JOBINDSATS_KEY"):
        importer.fetch(store, c, table="Y01A02", periods=["2021M01"], registry=registry)
    assert store.latest_snapshot() == before


def test_v3_401_is_a_bad_key(api, store, registry):
    api.answer("GET", "/v3/data/Y01A02", (401, '{"code": 401, "cause": "Unauthorized"}'))
    with client(api, version=3, key="forkert") as c, pytest.raises(answers.BadKeyError):
        importer.fetch(store, c, table="Y01A02", periods=["2026M04"], registry=registry)
    assert store.latest_snapshot() is None


def test_v3_422_error_body_names_the_cause(api, store, registry):
    api.answer("GET", "/v3/data/Y01A02", (422, (RECORDED / "jobindsats_v3_error_422.json").read_bytes()))
    with client(api, version=3) as c, pytest.raises(answers.ApiError, match="Unknown period type: M"):
        importer.fetch(store, c, table="Y01A02", periods=["2026M04"], registry=registry)
    assert store.latest_snapshot() is None


def test_a_503_is_retried_and_then_succeeds(api, store, registry):
    api.answer("POST", "/v2/data/Y01A02/json", (503, "Service Unavailable"), (503, "Service Unavailable"),
               (200, (RECORDED / "jobindsats_v2_y01a02.json").read_bytes()))
    with client(api) as c:
        result = importer.fetch(store, c, table="Y01A02", periods=["2021M01"], registry=registry)
    assert len(api.requests) == 3 and result.observations == 10


def test_retries_back_off_and_then_give_up_with_a_message(api, store, registry):
    api.answer("POST", "/v2/data/Y01A02/json", (503, "Service Unavailable", {"Retry-After": "2"}))
    pauses = []
    c = client(api, retries=2)
    c.http._sleep = pauses.append
    with c, pytest.raises(HttpError, match="svarede 503 efter 3 forsøg"):
        importer.fetch(store, c, table="Y01A02", periods=["2021M01"], registry=registry)
    assert pauses == [2.0, 2.0] and store.latest_snapshot() is None


def test_an_unreachable_server_is_a_clear_error(store, registry):
    c = JobindsatsClient(GOOD_KEY, base_url="http://127.0.0.1:9/v2", retries=1, backoff=0)
    with c, pytest.raises(HttpError, match="kunne ikke nås efter 2 forsøg"):
        c.data("Y01A02", periods=["2021M01"])


def test_a_key_that_cannot_be_sent_is_refused_before_any_request():
    with pytest.raises(MaaltalError, match="kun ASCII"):
        JobindsatsClient("nøgle")


def test_the_key_comes_from_the_environment_or_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("jobindsats:\n  key: fra-filen\n  version: 3\n", encoding="utf-8")
    monkeypatch.delenv("JOBINDSATS_KEY", raising=False)
    assert load_config(config).key == "fra-filen" and load_config(config).version == 3
    monkeypatch.setenv("JOBINDSATS_KEY", "fra-miljøet")
    assert load_config(config).key == "fra-miljøet"
    monkeypatch.delenv("JOBINDSATS_KEY")
    with pytest.raises(MaaltalError, match="ingen jobindsats-nøgle"):
        JobindsatsClient(load_config(tmp_path / "findes-ikke.yaml").key)


@pytest.mark.parametrize(("text", "line", "field"), [
    ("jobindsats:\n  key: k\n  version: 4\n", 3, "jobindsats.version"),
    ("jobindsats:\n  base_url: [1]\n", 2, "jobindsats.base_url"),
    ("jobindsats: nøgle\n", 1, "jobindsats"),
])
def test_a_bad_config_file_names_line_and_field(tmp_path, text, line, field):
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(config)
    assert (caught.value.location.row, caught.value.location.column) == (line, field)


def test_real_y30r21_served_by_the_api_gives_hvidovre_rank_83(api, shared_data, store, registry):
    api.answer("POST", "/v2/data/Y30R21/json", (200, as_v2_json(y30r21_rows(shared_data))))
    with client(api) as c:
        importer.fetch(store, c, table="Y30R21", periods=["2021QMAT04"], registry=registry,
                       filters={"_ygrp_y30r21": ["Ydelsesgrupper i alt"]})
    period = Period.parse("2021QMAT04")
    rank = store.values("benchmark_placering", ["167"], [period], {"ydelse": "i alt"})
    assert rank["167", period].value == 83


def test_cli_fetch_with_key_from_the_environment_and_a_bad_key(api, tmp_path, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_KEY", raising=False)
    store = str(tmp_path / "s.duckdb")
    api.answer("POST", "/v2/data/Y01A02/json", (200, (RECORDED / "jobindsats_v2_y01a02.json").read_bytes()))
    ok = run_cli("--store", store, "fetch", "jobindsats", "--table", "Y01A02", "--period", "2021M01",
                 "--base-url", f"{api.base}/v2", env={"JOBINDSATS_KEY": GOOD_KEY})
    assert ok.returncode == 0, ok.stderr
    assert "som øjebliksbillede 1 (jobindsats:Y01A02)" in " ".join(ok.stdout.split())
    api.answer("POST", "/v2/data/Y01A02/json", (200, "Forkert nøgle eller nøglen er udløbet."))
    refused = run_cli("--store", store, "fetch", "jobindsats", "--table", "Y01A02", "--period", "2021M01",
                      "--base-url", f"{api.base}/v2", env={"JOBINDSATS_KEY": "forkert"})
    assert refused.returncode == 2 and "afviste nøglen" in refused.stderr and "Traceback" not in refused.stderr
    no_key = run_cli("--store", store, "fetch", "jobindsats", "--table", "Y01A02", "--period", "2021M01",
                     env={"MAALTAL_CONFIG": str(tmp_path / "ingen.yaml")})
    assert no_key.returncode == 2 and "ingen jobindsats-nøgle" in no_key.stderr
    snapshots = json.loads(run_cli("--store", store, "snapshots", "--format", "json").stdout)
    assert len(snapshots) == 1


def test_cli_fetch_v3_with_key_version_and_address_from_the_config_file(api, tmp_path, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_KEY", raising=False)
    config = tmp_path / "config.yaml"
    config.write_text(f"jobindsats:\n  key: {GOOD_KEY}\n  version: 3\n  base_url: {api.base}/v3\n", encoding="utf-8")
    api.answer("GET", "/v3/data/Y36A02", (200, (RECORDED / "jobindsats_v3_y36a02.json").read_bytes()))
    saved = tmp_path / "y36a02.json"
    result = run_cli("--store", str(tmp_path / "s.duckdb"), "fetch", "jobindsats", "--table", "y36a02",
                     "--period", "M=latest:1", "--save", str(saved), env={"MAALTAL_CONFIG": str(config)})
    assert result.returncode == 0, result.stderr
    assert api.requests[0].headers["Authorization"] == f"Bearer {GOOD_KEY}"
    assert saved.read_bytes() == (RECORDED / "jobindsats_v3_y36a02.json").read_bytes()
    assert "2 diskretionerede" in result.stdout and GOOD_KEY not in result.stdout + result.stderr
