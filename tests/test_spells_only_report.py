"""A store holding only a municipality's own spell figures (no population, no other municipality), as a
user walk-through found it: the texts must agree with the tables, a ranking that cannot be made shows as
missing, and a December hidden by discretion is present data, not a stale figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maaltal import narrative, privacy
from maaltal.document import Table
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.measures.spells.importing import import_file
from maaltal.periods import Period
from maaltal.report import build
from maaltal.store import Observation, Store
from tests.conftest import run_cli
from tests.spells_helpers import spell, write

DECEMBER, SEPTEMBER = Period.parse("2024M12"), Period.parse("2024M09")
TOTAL = Indicator.of("fuldtidspersoner", dims={"ydelse": "i alt"})


def _levels(store: Store) -> Store:
    """Hvidovre's full-time persons in total: 49,4 in September and 55,8 in December 2024, a change of 6,4
    that prints as 6 although the printed levels (49 and 56) are 7 apart."""
    store.write_snapshot([Observation("fuldtidspersoner", "167", SEPTEMBER, 49.4, "fuldtidspersoner",
                                      {"ydelse": "i alt"}),
                          Observation("fuldtidspersoner", "167", DECEMBER, 55.8, "fuldtidspersoner",
                                      {"ydelse": "i alt"})], source="spells")
    return store


def test_the_sentence_tells_the_change_the_table_shows(store, registry):
    table = KeyFigureEngine(_levels(store), registry).table(TOTAL, "167", DECEMBER, compare_period=SEPTEMBER)
    text = narrative.keyfigure(table, "Fuldtidspersoner i alt")
    assert round(table.focus.change, 1) == 6.4
    assert "en stigning på 6 fuldtidspersoner (+13,0 %) siden september 2024" in text


def test_the_figures_text_names_the_figure_as_a_user_reads_it(store_path, registry):
    with Store.open(store_path) as store:
        _levels(store)
    result = run_cli("--store", str(store_path), "figures", "--series", "fuldtidspersoner", "--dim", "ydelse=i alt",
                     "--area", "167", "--period", "2024M12", "--compare-period", "2024M09", "--format", "json")
    assert result.returncode == 0, result.stderr
    text = json.loads(result.stdout)["text"]
    assert "[" not in text and "ydelse=" not in text
    assert text.startswith("Offentlig forsørgelse i alt i Hvidovre: 56 fuldtidspersoner i december 2024, "
                           "en stigning på 6 fuldtidspersoner")


def _spells(folder: Path) -> Path:
    """Ten persons on a-dagpenge from 2023 (one leaves on the last day of 2024, so the figures run to
    December); six on kontanthjælp (aktivitetsparat), three of whom leave at the end of November: December's
    three are below the discretion threshold and hidden (and a-dagpenge with them, by secondary suppression,
    or the total would give them away)."""
    rows = [spell(i, "a-dagpenge", "2023-01-01", "2024-12-31" if i == 0 else "", kommune="167") for i in range(10)]
    rows += [spell(10 + i, "kontanthjælp aktivitetsparat", "2023-01-01", "2024-11-30" if i < 3 else "",
                   kommune="167") for i in range(6)]
    return write(folder / "forloeb.csv", rows)


@pytest.fixture
def spells_store(store, registry, tmp_path) -> Store:
    import_file(store, _spells(tmp_path), registry, privacy.Pseudonymizer(b"k" * 32))
    return store


def test_december_is_hidden_by_discretion_not_missing(spells_store, registry):
    engine = KeyFigureEngine(spells_store, registry)
    cash = Indicator.of("fuldtidspersoner", dims={"ydelse": "kontanthjælp aktivitetsparat"})
    assert engine.value(cash, "167", DECEMBER).value is None  # hidden, 3 persons


def _text(report) -> str:
    """The report as a reader sees it: the HTML's text, tags removed."""
    import html as html_text
    import re

    from maaltal.render import html

    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.render(report))))


def test_a_group_benchmark_without_a_population_shows_the_ranking_as_missing(spells_store, registry):
    engine = KeyFigureEngine(spells_store, registry)
    report = build.committee_report(engine, "167", DECEMBER, previous=SEPTEMBER, benchmarks=["group:vestegnen"])
    reason = "et antal rangeres efter andel af befolkningen (16-66 år), som datalageret ikke har."
    assert f"Ikke rangeret (–): {reason}" in _text(report)
    tables = {b.id: b for section in report.sections for b in section.blocks if isinstance(b, Table)}
    ranking = tables["placering-a-dagpenge-group-vestegnen"]  # the XLSX's detail
    assert ranking.rows == ((None, "Hvidovre", None),) and ranking.note == f"Ikke rangeret: {reason}"


def test_a_figure_hidden_by_discretion_is_not_reported_as_stale(spells_store, registry):
    engine = KeyFigureEngine(spells_store, registry)
    report = build.committee_report(engine, "167", DECEMBER, previous=SEPTEMBER, benchmarks=["1084"])
    text = _text(report)
    assert "A-dagpenge: seneste" not in text
    assert "Kontanthjælp, aktivitetsparate: seneste" not in text


def test_a_share_with_a_hidden_numerator_and_no_denominator_has_no_figure(store, registry):
    store.write_snapshot([Observation("fuldtidspersoner", "167", DECEMBER, None, "fuldtidspersoner",
                                      {"ydelse": "i alt"}, suppressed=True),
                          Observation("befolkning", "101", DECEMBER, 1000.0, "personer")], source="t")
    engine = KeyFigureEngine(store, registry)
    share = Indicator.of("fuldtidspersoner", "befolkning", {"ydelse": "i alt"})
    assert engine.latest_period(TOTAL, "167", DECEMBER, hidden=True) == DECEMBER
    assert engine.latest_period(TOTAL, "167", DECEMBER) is None
    assert engine.latest_period(share, "167", DECEMBER, hidden=True) is None
