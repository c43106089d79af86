"""``maaltal fetch standard`` against the strict local servers, then ``maaltal report`` on its snapshots.

The servers (``tests/api_servers.py``) enforce the real v3 syntax and StatBank's BULK rule and answer with
real answers where recorded (y25i01/y25i09 for the nation, y30r21, FOLK1AM's totals) and generated rows in
the real shape elsewhere (``tests/data/recorded/README.md``).
"""

import json
import re

import pytest

from maaltal.areas import AreaRegistry
from maaltal.measures import KeyFigureEngine, definitions
from maaltal.periods import Period
from maaltal.report.sections import keyfigures
from maaltal.store import Store
from tests.api_servers import serve, standard_jobindsats, standard_statbank
from tests.conftest import run_cli

KEY = "standard-noegle"


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """One standard fetch for Hvidovre into a fresh store: (store path, the command's output, the servers)."""
    jobs, bank = standard_jobindsats(KEY), standard_statbank()
    store = tmp_path_factory.mktemp("standard") / "s.duckdb"
    with serve(jobs) as jobs_base, serve(bank) as bank_base:
        env = {"JOBINDSATS_KEY": KEY, "JOBINDSATS_BASE_URL": f"{jobs_base}/v3", "STATBANK_BASE_URL": f"{bank_base}/v1",
               "MAALTAL_CONFIG": str(store.parent / "none.yaml")}
        result = run_cli("--store", str(store), "fetch", "standard", "--area", "167", "--from", "2025M01",
                         "--lang", "en", env=env, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout
    return store, result.stdout, jobs, bank


def test_one_snapshot_per_source_with_the_tables_and_the_derivation(fetched):
    store, out, _, _ = fetched
    with Store.open(store, read_only=True) as s:
        snapshots = s.snapshots()
    assert [x.source for x in snapshots] == ["jobindsats:standard", "statbank:standard"]
    jobs = snapshots[0].note
    for table in ("PTVA02", "Y01A02", "Y36A02", "Y60A02", "Y25I01", "Y25I09", "Y30R21"):
        assert f"{table} (" in jobs
    assert "arbejdsstyrke afledt af Y25I01: 'Antal ledige fuldtidspersoner' ÷ 'Ledige fuldtidspersoner i pct. " \
           "af arbejdsstyrken 16-66 år' × 100" in jobs
    assert "FOLK1AM (" in snapshots[1].note


def test_the_summary_says_what_came_and_what_is_missing_and_why(fetched):
    _, out, _, _ = fetched
    assert re.search(r"Y60A02 \(kontanthjælp og uddannelseshjælp \(efter reformen\)\): [\d.]+ observationer, "
                     r"2025M07–2026M04", out)
    assert re.search(r"Y36A02 .*2025M01–2025M06", out)
    assert "skjult af hensyn til diskretion" in out  # small municipalities' small counts came as null
    # the population is published to February 2026: the shares stop there, and the summary says why
    assert ("Offentlig forsørgelse i alt: februar 2026 (fuldtidspersoner (ydelse i alt) findes til april 2026; "
            "befolkning (alder 16-66) findes til februar 2026)") in out
    assert "Y30R21 (benchmark: forventet og faktisk, placering blandt 98): 1.372 observationer, " \
           "2021QMAT04–2022QMAT04" in out  # its newest two periods, older than --from
    assert "Nyeste måned med alle standardnøgletal: februar 2026 — kør maaltal report --area 167 --period 2026M02" \
        in out


def test_the_requests_kept_the_real_syntax(fetched):
    _, _, jobs, bank = fetched
    data = [r for r in jobs.requests if r.path.startswith("/v3/data/")]
    assert {r.path for r in data} >= {"/v3/data/y60a02", "/v3/data/y25i01", "/v3/data/ptva02"}
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in jobs.requests)
    y60 = dict(next(r for r in data if r.path == "/v3/data/y60a02").query)
    assert y60["hierarchy._kth_sats"] == "/" and y60["hierarchy._viskat_1int"] == "*"
    assert y60["period.M"].startswith("2025M07,2025M08") and y60["mgroup.*"] == "*"
    body = json.loads(next(r for r in bank.requests if r.path == "/v1/data").body)
    asked = {v["code"]: v["values"] for v in body["variables"]}
    assert body["format"] == "BULK" and set(asked) == {"OMRÅDE", "KØN", "ALDER", "Tid"}  # every variable
    assert asked["KØN"] == ["TOT"] and asked["ALDER"] == [str(a) for a in range(16, 67)]


def test_report_on_the_fetched_snapshots_has_every_standard_key_figure(fetched, tmp_path):
    store, _, _, _ = fetched
    registry = AreaRegistry.default()
    period = Period.parse("2026M02")
    with Store.open(store, read_only=True) as s:
        engine = KeyFigureEngine(s, registry)
        results, missing = keyfigures.compute(engine, definitions.load(), "167", period,
                                              registry.benchmarks("167"))
    assert not missing
    for result in results:
        for row in (r for r in result.table.rows if r.role != "member"):
            assert row.value is not None, (result.definition.id, row.name, row.reason)
            assert row.compare_value is not None, (result.definition.id, row.name)
    report = run_cli("--store", str(store), "report", "--area", "167", "--period", "2026M02", "--format", "html",
                     "--out", str(tmp_path))
    assert report.returncode == 0, report.stderr
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "Nøgletal uden data" not in html
    assert "Databrud i juli 2025" in html  # kontanthjælp spans the reform: the break is noted beside it


def test_a_table_the_api_lacks_is_reported_missing_and_the_others_still_come(tmp_path, registry):
    from maaltal.sources import standard, statbank
    from maaltal.sources.jobindsats.client import JobindsatsClient

    plan = tmp_path / "tabeller.yaml"
    plan.write_text("jobindsats:\n  - {table: Y04A02, why: revalidering}\n  - {table: Y01A02, why: a-dagpenge}\n"
                    "  - {table: Y36A02, why: kontanthjælp, until: 2024M06}\n", encoding="utf-8")
    jobs = standard_jobindsats(KEY)
    with serve(jobs) as base, Store.open(tmp_path / "s.duckdb") as store, \
            JobindsatsClient(KEY, base_url=f"{base}/v3", backoff=0) as client:
        result = standard.fetch(store, registry, standard.load(plan), start=Period.parse("2026M01"),
                                jobindsats=client, statbank_client=statbank.StatBankClient(base_url=base))
        assert [s.source for s in store.snapshots()] == ["jobindsats:standard"]
    missing = {o.request.table: o.missing for o in result.missing}
    assert missing["Y04A02"].startswith("ikke udgivet i jobindsats' API v3 (jobindsats afviste forespørgslen (404)")
    assert missing["Y36A02"] == "ingen perioder (M) fra 2026M01 til 2024M06 i tabellen"
    came = next(o for o in result.outcomes if o.request.table == "Y01A02")
    assert (str(came.first), str(came.last), came.observations) == ("2026M01", "2026M04", 4 * 104 * 2)
