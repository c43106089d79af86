"""StatBank answers (BULK/CSV, codes or labels, Danish or English) and the client, with real AUK01 data."""

import json

import httpx
import pytest

from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Period
from maaltal.sources import statbank
from maaltal.sources.cells import is_total
from maaltal.sources.table_mapping import TOTAL, DimensionSpec
from maaltal.store import Store
from tests.api_servers import StatBank, StatBankTable, serve
from tests.conftest import run_cli
from tests.test_jobindsats import RECORDED
from tests.test_jobindsats_client import api  # noqa: F401  (the local server fixture)

FVPANDEL_MAPPING = RECORDED / "mapping_statbank_fvpandel.yaml"


@pytest.fixture
def bank():
    """The strict StatBank server with real English answers: AUK01 (counts) and FVPANDEL (decimals)."""
    server = StatBank({"AUK01": StatBankTable.recorded("statbank_auk01_tableinfo_en.json", "statbank_auk01_en.csv"),
                       "FVPANDEL": StatBankTable.recorded("statbank_fvpandel_tableinfo_en.json",
                                                          "statbank_fvpandel_en.csv")})
    with serve(server) as base:
        server.base = base
        yield server


def answer_rows(name):
    lines = (RECORDED / name).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]

AUK01_EN = "dst_auk01_netto_kontanthjaelp_kvartal_2007Q1-2025Q4_en.csv"
NET = {"ydelse": "kontanthjælp nettoledige"}


def auk01(shared_data):
    path = shared_data / AUK01_EN
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def test_real_auk01_english_labels_read_back_through_key_figures(shared_data, store, registry):
    result = statbank.import_file(store, auk01(shared_data), table="AUK01", registry=registry)
    assert result.snapshot.source == "statbank:AUK01"
    # 117 areas × 76 quarters; abroad, not stated and the 11 provinces are skipped and counted.
    assert result.rows == 117 * 76 and result.observations == 104 * 76
    assert result.skipped_areas["Abroad"] == 76 and result.skipped_areas["Not stated municipality"] == 76
    assert len([a for a in result.skipped_areas if a.startswith("Province")]) == 11
    engine = KeyFigureEngine(store, registry)
    indicator = Indicator.of("fuldtidspersoner", dims=NET)
    q4 = Period.parse("2025Q4")
    assert engine.value(indicator, "000", Period.parse("2007Q1")).value == 19206
    assert engine.value(indicator, "000", q4).value == 9168
    assert engine.value(indicator, "Hvidovre", q4).value == 70
    assert engine.value(indicator, "Region Hovedstaden", q4).value == 2720  # StatBank's own regional figure
    change = engine.change(indicator, "167", q4, Period.parse("2025Q3"))
    assert change.change == 70 - 57
    table = engine.table(indicator, "167", q4, benchmarks=["group:vestegnen"])
    assert table.rows[0].value == 70 and any(r.role == "member" and r.rank for r in table.rows)


def test_codes_with_tableinfo_become_labels(store, registry):
    result = statbank.import_file(store, RECORDED / "statbank_auk01_codes.csv", table="AUK01", registry=registry,
                                  tableinfo=RECORDED / "statbank_auk01_tableinfo.json")
    q3 = Period.parse("2025Q3")
    values = {a: o.value for (a, _), o in store.values("fuldtidspersoner", ["000", "1084", "167"], [q3], NET).items()}
    assert values == {"000": 8384, "1084": 2498, "167": 57}
    men = store.values("fuldtidspersoner", ["000"], [q3], {**NET, "køn": "mænd"})
    assert men["000", q3].value == 4402
    young = store.values("fuldtidspersoner", ["167"], [q3], {**NET, "alder": "16-24"})  # "16-24 år"
    assert young["167", q3].suppressed and young["167", q3].value is None
    assert result.skipped_areas == {"950": 1}


def test_codes_without_tableinfo_keep_the_codes_in_lower_case(store, registry):
    statbank.import_file(store, RECORDED / "statbank_auk01_codes.csv", table="AUK01", registry=registry)
    assert {s.dims.get("ydelse") for s in store.series()} == {"netkh"}


def test_gross_unemployment_routes_to_its_own_series(tmp_path, store, registry):
    answer = tmp_path / "auf01.csv"
    answer.write_text("\ufeffOMRÅDE;YDELSESTYPE;KØN;TID;INDHOLD\n"
                      "Hvidovre;Bruttoledige;I alt;2024M06;701\n"
                      "Hvidovre;Nettoledige dagpengemodtagere;I alt;2024M06;412\n"
                      "Hvidovre;Bruttoledige;Kvinder;2024M06;330,5\n", encoding="utf-8")
    statbank.import_file(store, answer, table="AUF01", registry=registry)
    june = Period.parse("2024M06")
    assert store.values("bruttoledige", ["167"], [june])["167", june].value == 701
    assert store.values("bruttoledige", ["167"], [june], {"køn": "kvinder"})["167", june].value == 330.5
    net = store.values("fuldtidsledige", ["167"], [june], {"ydelse": "nettoledige dagpengemodtagere"})
    assert net["167", june].value == 412


def test_aup02_is_a_share_series(tmp_path, store, registry):
    answer = tmp_path / "aup02.csv"
    answer.write_text("OMRÅDE;ALDER;KØN;TID;INDHOLD\nHerning;Alder i alt;I alt;2020M12;3,7\n"
                      "Hele landet;Alder i alt;I alt;2020M12;4,4\n", encoding="utf-8")
    statbank.import_file(store, answer, table="AUP02", registry=registry)
    december = Period.parse("2020M12")
    values = store.values("bruttoledighed_pct", ["657", "000"], [december])
    assert {a: o.value for (a, _), o in values.items()} == {"657": 3.7, "000": 4.4}  # Herning, item 19
    assert store.unit("bruttoledighed_pct") == "pct."


def test_a_bad_value_names_file_row_and_column_and_nothing_is_written(tmp_path, store, registry):
    answer = tmp_path / "bad.csv"
    answer.write_text("OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD\nHvidovre;x;Total;Age, total;2025Q4;7,0\n"
                      "Hvidovre;x;Total;Age, total;2025Q5;7\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        statbank.import_file(store, answer, table="AUK01", registry=registry)
    assert [(e.location.row, e.location.column) for e in caught.value.errors] == [(2, "INDHOLD"), (3, "TID")]
    assert store.latest_snapshot() is None


def test_a_bad_tableinfo_is_refused(tmp_path, store, registry):
    info = tmp_path / "info.json"
    info.write_text('{"id": "AUK01"}', encoding="utf-8")
    with pytest.raises(InputError, match="variables"):
        statbank.import_file(store, RECORDED / "statbank_auk01_codes.csv", table="AUK01", registry=registry,
                             tableinfo=info)


def test_bulk_asks_every_variable_eliminable_ones_for_their_total(registry):
    info = statbank.TableInfo.parse((RECORDED / "statbank_auk01_tableinfo.json").read_bytes(), "info.json")
    mapping = statbank.mapping_for("AUK01")
    request = statbank.data_request(info, mapping, registry, areas=["Hvidovre", "Region Hovedstaden", "000"],
                                    periods=["2025Q3", "2024M01"], filters={"køn": ["M", "K"]})
    assert request.format == "BULK"
    assert request.variables == [{"code": "OMRÅDE", "values": ["167", "084", "000"]},
                                 {"code": "YDELSESTYPE", "values": ["*"]},
                                 {"code": "KØN", "values": ["M", "K"]},
                                 {"code": "ALDER", "values": ["TOT"]},
                                 {"code": "Tid", "values": ["2025K3", "2024M01"]}]
    assert statbank.data_request(info, mapping, registry, areas=["*"], periods=[], filters={}).variables[2] == \
        {"code": "KØN", "values": ["TOT"]}
    with pytest.raises(MaaltalError, match="findes ikke i StatBank"):
        statbank.area_code(registry, "group:vestegnen")
    with pytest.raises(MaaltalError, match="ingen variabel 'sex'; den har OMRÅDE, YDELSESTYPE, KØN, ALDER, Tid"):
        statbank.data_request(info, mapping, registry, areas=["*"], periods=[], filters={"SEX": ["M"]})


def test_csv_sums_out_an_eliminable_variable_without_a_total_up_to_the_cell_limit(registry):
    doc = json.loads((RECORDED / "statbank_auk01_tableinfo.json").read_text(encoding="utf-8"))
    doc["variables"][2]["values"] = [v for v in doc["variables"][2]["values"] if v["id"] != "TOT"]
    info = statbank.TableInfo.parse(json.dumps(doc), "info.json")
    request = statbank.data_request(info, statbank.mapping_for("AUK01"), registry, areas=["167"], periods=[],
                                    filters={})
    assert request.format == "CSV" and "KØN" not in [v["code"] for v in request.variables]
    doc["variables"][4]["values"] = [{"id": f"{y}M{m:02d}", "text": ""}
                                     for y in range(1900, 2030) for m in range(1, 13)]
    doc["variables"][0]["values"] = [{"id": f"{n:03d}", "text": ""} for n in range(700)]
    with pytest.raises(MaaltalError, match=r"CSV, der kan summere den, er begrænset til 1\.000\.000 celler \(her op "
                                           r"mod 1\.092\.000\)"):
        statbank.data_request(statbank.TableInfo.parse(json.dumps(doc), "info.json"), statbank.mapping_for("AUK01"),
                              registry, areas=["*"], periods=[], filters={})


def test_total_codes_and_labels_read_as_in_total():
    assert all(is_total(t) for t in ["TOT", "IALT", "Total", "Age, total", "I alt", "Alder i alt", "Køn i alt"])
    assert not any(is_total(t) for t in ["M", "Totalentreprise", "16-24 år", "Men"])
    assert DimensionSpec("alder").value("IALT") is TOTAL and DimensionSpec("alder").value("Age, total") is TOTAL
    info = statbank.TableInfo.parse((RECORDED / "statbank_auk01_tableinfo_en.json").read_bytes(), "info.json")
    assert [v.total_code() for v in info.variables] == [None, None, "TOT", "TOT", None]


def test_fetch_asks_tableinfo_then_data_and_imports(api, store, registry):  # noqa: F811
    api.answer("POST", "/v1/tableinfo", (200, (RECORDED / "statbank_auk01_tableinfo.json").read_bytes()))
    api.answer("POST", "/v1/data", (503, "busy"), (200, (RECORDED / "statbank_auk01_codes.csv").read_bytes()))
    with statbank.StatBankClient(base_url=f"{api.base}/v1", backoff=0) as client:
        result = statbank.fetch(store, client, table="AUK01", registry=registry, periods=["2025K3"])
    bodies = [json.loads(r.body) for r in api.requests]
    assert bodies[0] == {"table": "AUK01", "format": "JSON", "lang": "da"}
    assert bodies[1]["format"] == "BULK" and {"code": "Tid", "values": ["2025K3"]} in bodies[1]["variables"]
    assert len(api.requests) == 3 and result.observations == 5 and result.snapshot.source == "statbank:AUK01"


def test_a_statbank_error_answer_is_a_clear_message(api, store, registry):  # noqa: F811
    api.answer("POST", "/v1/tableinfo",
               (400, '{"errorTypeCode": "TABLE-NOT-FOUND", "message": "Tabellen findes ikke"}'))
    with statbank.StatBankClient(base_url=f"{api.base}/v1", backoff=0) as client, \
            pytest.raises(statbank.StatBankError, match="400: Tabellen findes ikke"):
        statbank.fetch(store, client, table="AUK01", registry=registry)
    assert store.latest_snapshot() is None


def test_cli_fetch_and_import_statbank(api, tmp_path, shared_data):  # noqa: F811
    store = str(tmp_path / "s.duckdb")
    imported = run_cli("--store", store, "import", "statbank", str(auk01(shared_data)), "--table", "AUK01")
    assert imported.returncode == 0, imported.stderr
    summary = " ".join(imported.stdout.split())
    assert "Indlæst 7.904 observationer (8.892 rækker)" in summary and "Abroad (76)" in summary
    api.answer("POST", "/v1/tableinfo", (200, (RECORDED / "statbank_auk01_tableinfo.json").read_bytes()))
    api.answer("POST", "/v1/data", (200, (RECORDED / "statbank_auk01_codes.csv").read_bytes()))
    fetched = run_cli("--store", store, "fetch", "statbank", "--table", "AUK01", "--area", "167",
                      "--base-url", f"{api.base}/v1", "--codes", "--lang", "en")
    assert fetched.returncode == 0, fetched.stderr
    assert "øjebliksbillede 2 (statbank:AUK01)" in " ".join(fetched.stdout.split())
    data_request = json.loads(api.requests[-1].body)
    assert data_request["valuePresentation"] == "Code" and data_request["lang"] == "en"
    assert {"code": "OMRÅDE", "values": ["167"]} in data_request["variables"]
    figures = json.loads(run_cli("--store", store, "series", "--format", "json").stdout)
    assert {"ydelse": "kontanthjælp nettoledige", "alder": "16-24"} in [f["dims"] for f in figures]


def test_real_auk01_served_by_the_api_imports_like_the_file(api, shared_data, store, registry):  # noqa: F811
    real = auk01(shared_data).read_bytes()
    api.answer("POST", "/v1/tableinfo", (200, (RECORDED / "statbank_auk01_tableinfo.json").read_bytes()))
    api.answer("POST", "/v1/data", (200, real))
    with statbank.StatBankClient(base_url=f"{api.base}/v1", lang="en", backoff=0) as client:
        fetched = statbank.fetch(store, client, table="AUK01", registry=registry)
    from_file = statbank.import_file(store, auk01(shared_data), table="AUK01", registry=registry)
    assert fetched.snapshot.sha256 == from_file.snapshot.sha256
    assert (fetched.observations, fetched.skipped_areas) == (from_file.observations, from_file.skipped_areas)


def test_bulk_against_the_strict_server_imports_the_real_answer_value_for_value(bank, store, registry):
    with statbank.StatBankClient(base_url=f"{bank.base}/v1", lang="en", backoff=0) as client:
        result = statbank.fetch(store, client, table="AUK01", registry=registry, areas=["000", "084", "167"],
                                periods=["2025Q3", "2025Q4"])
    sent = json.loads(bank.requests[-1].body)
    assert sent["format"] == "BULK" and len(sent["variables"]) == 5  # a value for every variable
    assert {"code": "ALDER", "values": ["TOT"]} in sent["variables"]
    rows = [r for r in answer_rows("statbank_auk01_en.csv") if r["OMRÅDE"] in ("All Denmark", "Region Hovedstaden",
                                                                                  "Hvidovre") and r["TID"] >= "2025Q3"]
    assert result.observations == len(rows) == 6
    for row in rows:
        period = Period.parse(row["TID"])
        area = {"All Denmark": "000", "Region Hovedstaden": "1084", "Hvidovre": "167"}[row["OMRÅDE"]]
        assert store.values("fuldtidspersoner", [area], [period], NET)[area, period].value == int(row["INDHOLD"])


def test_the_strict_server_refuses_bulk_without_every_variable(bank, store, registry):
    body = {"table": "AUK01", "format": "BULK", "lang": "en",
            "variables": [{"code": "OMRÅDE", "values": ["167"]}, {"code": "Tid", "values": ["*"]}]}
    refused = httpx.post(f"{bank.base}/v1/data", json=body)
    assert refused.status_code == 400
    assert refused.json() == {"errorTypeCode": "EXTRACT-NOTALLOWED",
                              "message": "Der skal vælges værdier for variabel: YDELSESTYPE"}
    with statbank.StatBankClient(base_url=f"{bank.base}/v1", lang="en", backoff=0) as client, \
            pytest.raises(statbank.StatBankError, match="400: Der skal vælges værdier for variabel: YDELSESTYPE"):
        client.data("AUK01", body["variables"])
    assert httpx.post(f"{bank.base}/v1/data", json={**body, "format": "CSV"}).status_code == 400  # not eliminable


def test_an_english_answer_with_decimals_is_fetched_and_imported_right(bank, tmp_path, shared_data):
    store = str(tmp_path / "s.duckdb")
    fetched = run_cli("--store", store, "fetch", "statbank", "--table", "FVPANDEL", "--lang", "en",
                      "--mapping", str(FVPANDEL_MAPPING), "--base-url", f"{bank.base}/v1")
    assert fetched.returncode == 0, fetched.stderr
    with Store.open(tmp_path / "s.duckdb") as opened:
        # every row of the excerpt, and of the full real file, read with a decimal point
        full = {(r[0], r[1], r[2]): r[3] for r in (line.split(";") for line in
                (shared_data / "real-answers" / "dh_fvpandel_party_share.csv").read_text(
                    encoding="utf-8-sig").splitlines()[1:])}
        for row in answer_rows("statbank_fvpandel_en.csv"):
            area = {"All Denmark": "000", "Copenhagen": "101", "Hvidovre": "167"}[row["OMRÅDE"]]
            period = Period.parse(row["TID"])
            dims = {} if row["VALRES"] == "Total" else {"parti": row["VALRES"].casefold()}
            stored = opened.values("stemmeandel", [area], [period], dims)[area, period]
            assert stored.value == float(row["INDHOLD"]) == float(full[row["VALRES"], row["OMRÅDE"], row["TID"]])
        hvidovre = opened.values("stemmeandel", ["167"], [Period.parse("2022")],
                                 {"parti": "a. the social democratic party"})
        assert hvidovre["167", Period.parse("2022")].value == 32.3


def test_decimals_follow_the_answers_language(tmp_path, store, registry):
    english = "OMRÅDE;VALRES;TID;INDHOLD\nHvidovre;Total;2022;1.250\n"
    statbank.import_answer(store, english, table="FVPANDEL", file="en.csv", registry=registry,
                           mapping_file=FVPANDEL_MAPPING, lang="en")
    danish = "OMRÅDE;VALRES;TID;INDHOLD\nHvidovre;I alt;2019;1.250\n"
    statbank.import_answer(store, danish, table="FVPANDEL", file="da.csv", registry=registry,
                           mapping_file=FVPANDEL_MAPPING, lang="da")
    values = store.values("stemmeandel", ["167"], [Period.parse("2022"), Period.parse("2019")])
    assert values["167", Period.parse("2022")].value == 1.25 and values["167", Period.parse("2019")].value == 1250
    # A saved file tells its language by its own cells; with no sign at all "1.250" is refused, not guessed.
    saved = tmp_path / "en.csv"
    saved.write_text("OMRÅDE;VALRES;TID;INDHOLD\nAll Denmark;Total;2015;100.0\nHvidovre;Total;2015;1.250\n",
                     encoding="utf-8")
    statbank.import_file(store, saved, table="FVPANDEL", registry=registry, mapping_file=FVPANDEL_MAPPING)
    assert store.values("stemmeandel", ["167"], [Period.parse("2015")])["167", Period.parse("2015")].value == 1.25
    saved.write_text("OMRÅDE;VALRES;TID;INDHOLD\n167;TOT;2011;1.250\n", encoding="utf-8")
    with pytest.raises(InputError, match="'1.250' er 1,25 i et engelsk svar, 1250 i et dansk"):
        statbank.import_file(store, saved, table="FVPANDEL", registry=registry, mapping_file=FVPANDEL_MAPPING)


def test_the_suppressed_data_value_of_tableinfo_is_stored_as_suppressed(tmp_path, store, registry):
    info = tmp_path / "info.json"
    doc = json.loads((RECORDED / "statbank_fvpandel_tableinfo_en.json").read_text(encoding="utf-8"))
    info.write_text(json.dumps({**doc, "suppressedDataValue": "0"}), encoding="utf-8")  # as FOLK1A's tableinfo
    answer = tmp_path / "answer.csv"
    answer.write_text("VALRES;OMRÅDE;TID;INDHOLD\nE;167;2022;0\nE;167;2019;0.9\n", encoding="utf-8")
    statbank.import_file(store, answer, table="FVPANDEL", registry=registry, tableinfo=info,
                         mapping_file=FVPANDEL_MAPPING)
    dims = {"parti": "e. klaus riskær pedersen"}
    hidden = store.values("stemmeandel", ["167"], [Period.parse("2022")], dims)["167", Period.parse("2022")]
    assert hidden.suppressed and hidden.value is None
    assert store.values("stemmeandel", ["167"], [Period.parse("2019")], dims)["167", Period.parse("2019")].value == 0.9


def test_cli_show_request_prints_tableinfo_and_the_bulk_request_without_a_store(bank, tmp_path):
    store = tmp_path / "ingen.duckdb"
    shown = run_cli("--store", str(store), "fetch", "statbank", "--table", "AUK01", "--area", "167", "--period",
                    "2025K4", "--lang", "en", "--show-request", "--base-url", f"{bank.base}/v1")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"POST {bank.base}/v1/tableinfo", '  {"table": "AUK01", "format": "JSON", "lang": "en"}',
        f"POST {bank.base}/v1/data",
        '  {"table": "AUK01", "format": "BULK", "lang": "en", "variables": [{"code": "OMRÅDE", "values": ["167"]}, '
        '{"code": "YDELSESTYPE", "values": ["*"]}, {"code": "KØN", "values": ["TOT"]}, '
        '{"code": "ALDER", "values": ["TOT"]}, {"code": "Tid", "values": ["2025K4"]}]}']
    assert len(bank.requests) == 1 and not store.exists()
