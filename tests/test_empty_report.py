"""No silent empty report: a report, overview or figure without any figure for the area and period is
refused with what is missing, unless --allow-empty asks for it; a --previous after --period is refused.

On Hvidovre's gross unemployment April–June 2022 as in its minutes (``tests/data``).
"""

from __future__ import annotations

import pytest

from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report import build
from tests.conftest import TEST_DATA, run_cli


@pytest.fixture
def hvidovre(tmp_path):
    store = str(tmp_path / "s.duckdb")
    done = run_cli("--store", store, "import", "observations", str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv"))
    assert done.returncode == 0, done.stderr
    return store


def said(result) -> str:
    return " ".join(result.stderr.split())


def test_a_report_for_a_month_without_data_is_refused_and_allowed_with_the_option(hvidovre, tmp_path):
    out = tmp_path / "out"
    asked = ("--store", hvidovre, "report", "--area", "Hvidovre", "--period", "2031M01", "--format", "html",
             "--out", str(out))
    refused = run_cli(*asked)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "Der er ingen tal for Hvidovre i 2031M01: nyeste måned i datalageret er 2022M06" in said(refused)
    assert "--allow-empty" in said(refused) and not out.exists()
    allowed = run_cli(*asked, "--allow-empty")
    assert allowed.returncode == 0, allowed.stderr
    assert (out / "rapport-167-2031M01.html").exists()


def test_an_overview_and_a_figure_without_data_are_refused(hvidovre):
    overview = run_cli("--store", hvidovre, "overview", "--area", "167", "--period", "2031M01")
    assert overview.returncode == 2
    assert "Der er ingen tal for Hvidovre i 2031M01: nyeste måned i datalageret er 2022M06" in said(overview)
    quarter = run_cli("--store", hvidovre, "figures", "--series", "bruttoledige", "--area", "167", "--period", "2031")
    assert quarter.returncode == 2
    assert ("Der er ingen tal for Hvidovre i 2031: datalageret har ingen tal pr. år; nyeste måned i datalageret er "
            "2022M06") in said(quarter)
    allowed = run_cli("--store", hvidovre, "overview", "--area", "167", "--period", "2031M01", "--allow-empty")
    assert allowed.returncode == 0, allowed.stderr
    good = run_cli("--store", hvidovre, "overview", "--area", "167", "--period", "2022M06")
    assert good.returncode == 0, good.stderr


def test_an_area_without_data_in_a_month_with_data_is_named(hvidovre):
    refused = run_cli("--store", hvidovre, "overview", "--area", "Læsø", "--period", "2022M06")
    assert refused.returncode == 2
    assert "Der er ingen tal for Læsø i 2022M06: datalageret har tal for 2022M06, men ikke for Læsø" in said(refused)


def test_previous_after_period_is_refused(hvidovre, hvidovre_store, registry):
    refused = run_cli("--store", hvidovre, "report", "--area", "167", "--period", "2022M05", "--previous", "2022M06",
                      "--format", "html")
    assert refused.returncode == 2
    assert ("Forrige rapports periode 2022M06 ligger efter rapportens periode 2022M05; --previous skal være en "
            "tidligere periode") in said(refused)
    engine = KeyFigureEngine(hvidovre_store, registry)
    with pytest.raises(MaaltalError, match="ligger efter"):  # a quarter ending after the month, too
        build.committee_report(engine, "167", Period.parse("2022M05"), previous=Period.parse("2022Q2"))
    build.committee_report(engine, "167", Period.parse("2022M06"), previous=Period.parse("2022Q2"),
                           allow_empty=False)


def test_the_library_default_still_builds_an_empty_report(hvidovre_store, registry):
    """The dashboard picks the newest month itself; the refusal is the command line's choice."""
    engine = KeyFigureEngine(hvidovre_store, registry)
    report = build.committee_report(engine, "167", Period.parse("2031M01"))
    assert report.period_label
    with pytest.raises(build.EmptyReportError, match="nyeste måned i datalageret er 2022M06"):
        build.committee_report(engine, "167", Period.parse("2031M01"), allow_empty=False)
