"""The jobindsats client against local servers: a strict v3 server with real answers, and queued answers."""

import json
from dataclasses import dataclass, field

import httpx
import pytest

from maaltal.errors import InputError, MaaltalError
from maaltal.periods import Period
from maaltal.sources.http import HttpError
from maaltal.sources.jobindsats import answers, importer
from maaltal.sources.jobindsats.client import JobindsatsClient, load_config, v2_period, v3_params
from tests.api_servers import JobindsatsV3, Request, V3Table, serve
from tests.conftest import run_cli
from tests.test_jobindsats import RECORDED, as_v2_json, y30r21_rows

GOOD_KEY = "hemmelig-noegle-123"
Y01H01_MAPPING = RECORDED / "mapping_jobindsats_y01h01.yaml"
COLUMNS = {"_omrade": "Område", "_akassedp": "A-kasse"}


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

    def __call__(self, request: Request):
        self.requests.append(request)
        queue = self.routes.get((request.method, request.path))
        if not queue:
            return 404, b'{"code": 404, "cause": "not found"}', {}
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def api():
    fake = FakeApi()
    with serve(fake) as base:
        fake.base = base
        yield fake


@pytest.fixture
def v3():
    """The strict v3 server with the real y01h01 (quarterly) and y01dia02 (monthly) answers."""
    server = JobindsatsV3(GOOD_KEY, {"y01h01": V3Table.recorded("y01h01", COLUMNS),
                                     "y01dia02": V3Table.recorded("y01dia02", COLUMNS)})
    with serve(server) as base:
        server.base = base
        yield server


def v3_client(server, key=GOOD_KEY, **kwargs):
    return JobindsatsClient(key, base_url=f"{server.base}/v3", backoff=0, **kwargs)


def real_rows(name):
    doc = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return [dict(zip(doc["columns"], row, strict=True)) for row in doc["rows"]]


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


def test_v3_is_the_default_and_builds_the_request_from_the_metadata(v3, store, registry):
    with v3_client(v3) as c:
        result = importer.fetch(store, c, table="Y01H01", periods=["2025Q4", "2026Q1"], registry=registry,
                                areas=["Hele landet"], filters={"_akassedp": ["*"]}, mapping_file=Y01H01_MAPPING)
    metadata, data = v3.requests
    assert metadata.path == "/v3/table/y01h01" and dict(metadata.query) == {"format": "json"}
    assert data.path == "/v3/data/y01h01" and data.headers["Authorization"] == f"Bearer {GOOD_KEY}"
    assert data.query == [("format", "json"), ("mgroup.*", "*"), ("period.Q", "2025Q04,2026Q01"),
                          ("hierarchy._nykom", "/"), ("hierarchy._akassedp", "*")]
    # Every value of the real answer (v3_sanctions_akasser.json) is stored as it came, null as suppressed.
    rows = real_rows("jobindsats_v3_y01h01_akasser.json")
    assert result.observations == 2 * len(rows) and result.suppressed == 0
    for row in rows:
        period = Period.parse(row["Periode"])
        dims = {} if row["A-kasse"] == "A-kasse i alt" else {"a-kasse": row["A-kasse"].casefold()}
        stored = store.values("sanktioner", ["000"], [period], dims)["000", period]
        assert stored.value == row["Antal sanktioner i alt"]
        share = store.values("andel_sanktionerede", ["000"], [period], dims)["000", period]
        assert share.value == row["Andel sanktionerede ledige"]


def test_v3_names_become_value_ids_and_latest_is_v3s_relative_period(v3, store, registry):
    with v3_client(v3) as c:
        c.data("y01dia02", periods=["M=latest:2"], areas=["Hvidovre", "Hele landet", "Region Hovedstaden"],
               filters={"_akassedp": ["A-kasse i alt", "FOAs A-kasse"], "_kon": ["Kvinder"]})
    query = v3.requests[-1].query
    assert ("period.M", "latest:2") in query and ("hierarchy._nykom", "/84/167/,/") in query
    assert ("hierarchy._region", "/84/") in query and ("hierarchy._kon", "/2/") in query
    akasser = dict(query)["hierarchy._akassedp"].split(",")
    assert akasser[0] == "/" and len(akasser) == 2


def test_v3_asks_only_for_hierarchies_the_table_has(v3, registry):
    table = v3.tables["y01h01"]
    meta = answers.TableMetadata.parse(json.dumps(table.metadata), "y01h01", "meta")
    assert [p for p in v3_params(meta, ["2026Q1"], ["*"], {}) if p[0].startswith("hierarchy")] == [
        ("hierarchy._nykom", "*"), ("hierarchy._region", "*")]
    without_regions = dict(table.metadata)
    without_regions["dimensions"] = [
        {**d, "hierarchies": [h for h in d["hierarchies"] if h["hierarchy_id"] != "_region"]}
        for d in table.metadata["dimensions"]]
    meta = answers.TableMetadata.parse(json.dumps(without_regions), "y01h01", "meta")
    assert [p for p in v3_params(meta, ["2026Q1"], ["*"], {}) if p[0].startswith("hierarchy")] == [
        ("hierarchy._nykom", "*")]
    with pytest.raises(MaaltalError, match="Ukendt område 'Region Hovedstaden' i tabel y01h01"):
        v3_params(meta, ["2026Q1"], ["Region Hovedstaden"], {})


def test_v3_unknown_names_list_the_valid_ones_and_suggest_the_closest(v3):
    with v3_client(v3) as c:
        with pytest.raises(MaaltalError) as caught:
            c.data("y01h01", periods=["2026Q1"], areas=["Hvidovr"])
        assert str(caught.value).startswith("Ukendt område 'Hvidovr' i tabel y01h01; gyldige: Hele landet, ")
        assert "Mente du 'Hvidovre'?" in str(caught.value)
        with pytest.raises(MaaltalError, match=r"Ukendt værdi for _akassedp 'FOA' .* og \d+ flere\. Mente du "
                                               r"'FOAs A-kasse'"):
            c.data("y01h01", periods=["2026Q1"], filters={"_akassedp": ["FOA"]})
        with pytest.raises(MaaltalError, match="ingen dimension eller hierarki '_ygrp'; den har _nykom, _region, _kon"):
            c.data("y01h01", periods=["2026Q1"], filters={"_ygrp": ["*"]})
        with pytest.raises(MaaltalError, match="Perioden 2023Q01 findes ikke i tabel y01h01; de nyeste er .*2026Q01"):
            c.data("y01h01", periods=["2023Q1"])
        with pytest.raises(MaaltalError, match="har ikke periodetypen M"):
            c.data("y01h01", periods=["2026M01"])
    assert [r.path for r in v3.requests] == ["/v3/table/y01h01"]  # nothing but the metadata was asked


def test_the_v3_server_refuses_what_the_real_api_refuses(v3):
    data = f"{v3.base}/v3/data/y01h01?format=json&mgroup.*=*&period.Q=latest:1"
    bearer = {"Authorization": f"Bearer {GOOD_KEY}"}
    assert httpx.get(data, headers={"Authorization": GOOD_KEY}).status_code == 401  # v2's bare key
    assert httpx.get(data.replace("y01h01", "Y01H01"), headers=bearer).status_code == 404
    unknown = httpx.get(data + "&hierarchy._hele_landet=/", headers=bearer)
    assert unknown.status_code == 422 and set(unknown.json()) == {"code", "cause", "request_id"}
    assert unknown.json()["cause"] == "Unknown hierarchies: ['_hele_landet']"  # as v3_error_422_real.json
    assert httpx.get(data + "&hierarchy._nykom=/999/", headers=bearer).status_code == 422
    assert httpx.get(data + "&dimension._omrade=Hvidovre", headers=bearer).status_code == 422
    assert httpx.get(data + "&hierarchy._nykom=/", headers=bearer).json()["rows"]


def test_v2_periods_are_sent_in_v2s_spelling(api):
    assert [v2_period(p) for p in ["2023Q3", "2023K3", "2023", "2022QMAT04", "2024M01", "l(m:12)"]] == [
        "2023Q03", "2023Q03", "2023Y01", "2022QMAT04", "2024M01", "l(m:12)"]
    with pytest.raises(MaaltalError, match="v3's form"):
        v2_period("M=latest:14")
    api.answer("POST", "/v2/data/Y01A02/json", (200, (RECORDED / "jobindsats_v2_y01a02.json").read_bytes()))
    with client(api, version=2) as c:
        c.data("Y01A02", periods=["2023Q3", "2023"])
    assert json.loads(api.requests[0].body)["period"] == ["2023Q03", "2023Y01"]


def test_v2_bad_key_text_is_a_clear_message_and_nothing_is_written(api, store, registry):
    importer.import_file(store, RECORDED / "jobindsats_v2_y01a02.csv", table="Y01A02", registry=registry)
    before = store.latest_snapshot()
    api.answer("POST", "/v2/data/Y01A02/json", (200, "Forkert nøgle eller nøglen er udløbet."))
    with client(api, key="forkert") as c, pytest.raises(answers.BadKeyError, match="JOBINDSATS_KEY"):
        importer.fetch(store, c, table="Y01A02", periods=["2021M01"], registry=registry)
    assert store.latest_snapshot() == before


def test_v3_401_shows_the_apis_cause(v3, store, registry):
    with v3_client(v3, key="forkert") as c, pytest.raises(answers.BadKeyError, match=r"\(jobindsats: 401: "
                                                                                       r"Unauthorized\)"):
        importer.fetch(store, c, table="Y01H01", periods=["2026Q1"], registry=registry, mapping_file=Y01H01_MAPPING)
    assert store.latest_snapshot() is None


def test_v3_422_shows_the_apis_cause(api, store, registry):
    api.answer("GET", "/v3/table/y01h01", (200, (RECORDED / "jobindsats_v3_y01h01_metadata.json").read_bytes()))
    api.answer("GET", "/v3/data/y01h01", (422, (RECORDED / "jobindsats_v3_error_422.json").read_bytes()))
    with client(api, version=3) as c, pytest.raises(
            answers.ApiError, match=r"\(422\): Unknown hierarchies: \['_hele_landet'\] \(request_id dcaa82ae.*"
                                    "tabellen har ikke det hierarki"):
        importer.fetch(store, c, table="Y01H01", periods=["2026Q1"], registry=registry, mapping_file=Y01H01_MAPPING)
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
                 "--version", "2", "--base-url", f"{api.base}/v2", env={"JOBINDSATS_KEY": GOOD_KEY})
    assert ok.returncode == 0, ok.stderr
    assert "som øjebliksbillede 1 (jobindsats:Y01A02)" in " ".join(ok.stdout.split())
    api.answer("POST", "/v2/data/Y01A02/json", (200, "Forkert nøgle eller nøglen er udløbet."))
    refused = run_cli("--store", store, "fetch", "jobindsats", "--table", "Y01A02", "--period", "2021M01",
                      "--version", "2", "--base-url", f"{api.base}/v2", env={"JOBINDSATS_KEY": "forkert"})
    assert refused.returncode == 2 and "afviste nøglen" in refused.stderr and "Traceback" not in refused.stderr
    no_key = run_cli("--store", store, "fetch", "jobindsats", "--table", "Y01A02", "--period", "2021M01",
                     env={"MAALTAL_CONFIG": str(tmp_path / "ingen.yaml")})
    assert no_key.returncode == 2 and "ingen jobindsats-nøgle" in no_key.stderr
    snapshots = json.loads(run_cli("--store", store, "snapshots", "--format", "json").stdout)
    assert len(snapshots) == 1


def test_cli_fetch_v3_with_key_version_and_address_from_the_config_file(v3, tmp_path, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_KEY", raising=False)
    config = tmp_path / "config.yaml"
    config.write_text(f"jobindsats:\n  key: {GOOD_KEY}\n  version: 3\n  base_url: {v3.base}/v3\n", encoding="utf-8")
    saved = tmp_path / "y01h01.json"
    result = run_cli("--store", str(tmp_path / "s.duckdb"), "fetch", "jobindsats", "--table", "Y01H01",
                     "--period", "Q=latest:2", "--area", "Hele landet", "--filter", "_akassedp=*",
                     "--mapping", str(Y01H01_MAPPING), "--save", str(saved), env={"MAALTAL_CONFIG": str(config)})
    assert result.returncode == 0, result.stderr
    assert v3.requests[-1].headers["Authorization"] == f"Bearer {GOOD_KEY}"
    assert json.loads(saved.read_bytes())["rows"] == json.loads(
        (RECORDED / "jobindsats_v3_y01h01_akasser.json").read_bytes())["rows"]
    assert "som øjebliksbillede 1 (jobindsats:Y01H01)" in " ".join(result.stdout.split())
    assert GOOD_KEY not in result.stdout + result.stderr


def test_cli_show_request_prints_the_requests_without_the_key_and_needs_no_store(v3, api, tmp_path):
    store = tmp_path / "ingen.duckdb"
    shown = run_cli("--store", str(store), "fetch", "jobindsats", "--table", "Y01H01", "--period", "2026Q1",
                    "--area", "Hvidovre", "--filter", "_akassedp=A-kasse i alt", "--show-request",
                    "--base-url", f"{v3.base}/v3", env={"JOBINDSATS_KEY": GOOD_KEY})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"GET {v3.base}/v3/table/y01h01?format=json",
        "  Authorization: Bearer ***",
        f"GET {v3.base}/v3/data/y01h01?format=json&mgroup.*=*&period.Q=2026Q01&hierarchy._nykom=/84/167/"
        "&hierarchy._akassedp=/",
        "  Authorization: Bearer ***"]
    assert [r.path for r in v3.requests] == ["/v3/table/y01h01"] and not store.exists()
    v2 = run_cli("--store", str(store), "fetch", "jobindsats", "--table", "Y01A02", "--period", "2023Q3",
                 "--version", "2", "--show-request", "--base-url", f"{api.base}/v2",
                 env={"JOBINDSATS_KEY": GOOD_KEY})
    assert v2.stdout.splitlines() == [f"POST {api.base}/v2/data/Y01A02/json", "  Authorization: ***",
                                      '  {"area": "*", "period": ["2023Q03"]}']
    assert GOOD_KEY not in shown.stdout + v2.stdout and not api.requests and not store.exists()
