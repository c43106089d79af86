"""What a series measures decides how it is summed, hidden, carried over time, shown and worded.

On real published figures: StatBank AUP02's yearly unemployment rates (pct., 98 municipalities, no region
or nation rows) and jobindsats Y30R21's benchmark (ranks, procentpoint, full-time persons), both excerpts
in ``tests/data/real`` (sources in its README), imported through the generic CSV as an analyst would.
"""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pytest

from maaltal import formatting as fmt
from maaltal import kinds, privacy
from maaltal.areas import AreaRegistry
from maaltal.errors import InputErrors, MaaltalError
from maaltal.goals import evaluate, loads_catalogue
from maaltal.kinds import Kind, OverTime
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.measures.definitions import KeyFigureDef
from maaltal.measures.keyfigures import Missing
from maaltal.periods import Period
from maaltal.render import html
from maaltal.report import build
from maaltal.sources import observations_csv
from maaltal.sources.table_mapping import load_mappings
from maaltal.store import Observation
from tests.conftest import TEST_DATA, cli_json, run_cli

REAL = TEST_DATA / "real"
Y2023, Y2022 = Period.parse("2023"), Period.parse("2022")
Q2021, Q2020 = Period.parse("2021QMAT04"), Period.parse("2020QMAT04")


def aup02_csv(folder: Path) -> Path:
    """The AUP02 excerpt as the generic observation CSV, names as StatBank writes them ("Copenhagen")."""
    path = folder / "aup02.csv"
    with open(REAL / "dst_aup02_ledighedspct_2022-2023.csv", encoding="utf-8") as source:
        rows = [f"ledighedspct,{r['municipality']},{r['year']},{r['value']},pct." for r in csv.DictReader(source)]
    path.write_text("series,area,period,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


Y30R21_SERIES = (("benchmark_placering", "placering_benchmarkrangliste", "placering"),
                 ("benchmark_forskel", "forskel_antal", "fuldtidspersoner"),
                 ("benchmark_forskel_andel", "forskel_andel_pctpoint", "procentpoint"),
                 ("benchmark_faktisk_andel", "faktisk_andel_pct", "pct."))


def y30r21_csv(folder: Path) -> Path:
    """The Y30R21 excerpt as the generic CSV: the series and units of the shipped jobindsats mapping."""
    path = folder / "y30r21.csv"
    with open(REAL / "y30r21_benchmark_i_alt_2020-2021QMAT04.csv", encoding="utf-8") as source:
        rows = [f"{series},{r['kommunekode']},{r['periode']},{r[column]},{unit}"
                for r in csv.DictReader(source) for series, column, unit in Y30R21_SERIES]
    path.write_text("series,area,period,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def real_store(store, registry, tmp_path):
    observations_csv.import_file(store, aup02_csv(tmp_path), registry)
    observations_csv.import_file(store, y30r21_csv(tmp_path), registry)
    return store


@pytest.fixture
def engine(real_store, registry):
    return KeyFigureEngine(real_store, registry)


RATE = Indicator.of("ledighedspct")
RANK = Indicator.of("benchmark_placering")


# The units and their kinds ----------------------------------------------------------------------

def test_every_shipped_and_test_unit_has_a_kind():
    units = {m.unit for source in ("jobindsats", "statbank") for table in load_mappings(source).values()
             for m in table.measures.values() if m is not None}
    assert {"personer", "fuldtidspersoner", "pct.", "procentpoint", "placering"} <= units
    for path in [*TEST_DATA.glob("*.csv"), *TEST_DATA.parent.parent.glob("examples/**/*.csv")]:
        text = path.read_text(encoding="utf-8-sig").splitlines()
        delimiter = ";" if text and text[0].count(";") > text[0].count(",") else ","
        if not text or not {"series", "unit"} <= set(text[0].split(delimiter)):
            continue  # not an observation file (budgets, benchmarks)
        units |= {row["unit"] for row in csv.DictReader(text, delimiter=delimiter)}
    units |= {"uger", "forløb", "unge", "mio. kr."}  # the spells' figures, Gladsaxe's goal, budgets
    assert {u: kinds.kind_of(u) for u in units if kinds.kind_of(u) is None} == {}
    assert kinds.kind_of(" Pct. ") is Kind.SHARE and kinds.kind_of("%") is Kind.SHARE
    assert kinds.kind_of("sager pr. årsværk") is Kind.RATIO and kinds.kind_of("rang") is Kind.RANK


def test_the_rules_per_kind():
    assert [k for k in Kind if kinds.is_additive(k)] == [Kind.PERSONS, Kind.FULLTIME, Kind.CASES, Kind.AMOUNT]
    assert [k for k in Kind if kinds.is_suppressible(k)] == [Kind.PERSONS, Kind.FULLTIME, Kind.CASES]
    over_time = {k: kinds.rules(k).over_time for k in Kind}
    assert over_time[Kind.CASES] is over_time[Kind.AMOUNT] is OverTime.SUM
    assert over_time[Kind.FULLTIME] is over_time[Kind.SHARE] is OverTime.MEAN
    assert over_time[Kind.PERSONS] is over_time[Kind.RANK] is OverTime.REFUSED
    assert kinds.decimals(Kind.SHARE) == kinds.decimals(Kind.POINTS) == 1
    assert kinds.decimals(Kind.AMOUNT, "mio. kr.") == 1 and kinds.decimals(Kind.AMOUNT, "kr.") == 0
    with pytest.raises(MaaltalError, match="enheden 'stk' kendes ikke .*placering"):
        kinds.require("stk")


def test_only_counts_of_persons_are_hidden():
    assert privacy.hides(3, Kind.PERSONS) and privacy.hides(3, Kind.FULLTIME)
    assert not privacy.hides(2.7, Kind.SHARE) and not privacy.hides(1, Kind.RANK)
    assert not privacy.hides(3, Kind.AMOUNT) and not privacy.hides(0.6, Kind.POINTS)
    assert not privacy.hides(0, Kind.PERSONS) and not privacy.hides(5, Kind.PERSONS)


# Formatting and the wording of changes ------------------------------------------------------------

def test_values_are_shown_by_kind():
    assert fmt.value_with_unit(0.59, "procentpoint") == "0,6 procentpoint"       # not "1"
    assert fmt.value_with_unit(2.69, "pct.") == "2,7 pct."
    assert fmt.value_with_unit(83, "placering", of=98) == "nr. 83 af 98"
    assert fmt.value_with_unit(131.66, "mio. kr.") == "131,7 mio. kr."
    assert fmt.value_with_unit(1, "fuldtidspersoner") == "1 fuldtidsperson"
    assert fmt.value_with_unit(2, "fuldtidspersoner") == "2 fuldtidspersoner"


def test_changes_are_worded_by_kind_from_the_printed_values():
    # Hvidovre's actual share in Y30R21 fell from 10,21 to 9,64 pct.: 0,57 points, printed 10,2 → 9,6.
    assert fmt.change(10.21, 9.64, "pct.") == "et fald på 0,6 procentpoint"
    # Gladsaxe's difference went from −570 to −510: no change in per cent from a negative base.
    assert fmt.change(-570, -510, "fuldtidspersoner") == "en stigning på 60 fuldtidspersoner"
    assert fmt.change(3340, 3110, "fuldtidspersoner") == "et fald på 230 fuldtidspersoner (−6,9 %)"
    # Hvidovre's rank went from 84 to 83: a lower number is better.
    assert fmt.change(84, 83, "placering") == "1 plads frem"
    assert fmt.change(82, 86, "placering") == "4 pladser tilbage"
    assert fmt.change(147, 147, "fuldtidspersoner") == "uændret"
    assert fmt.change(0.56, 0.59, "procentpoint") == "stort set uændret"     # both print 0,6
    assert fmt.change(10.0, 11.0, "fuldtidspersoner") == "en stigning på 1 fuldtidsperson (+10,0 %)"
    assert fmt.change(5.0, 6.0, "placering") == "1 plads tilbage"
    # The stated difference is the difference of the printed levels (14,7 − 14,2), not of the raw ones.
    assert fmt.gap(14.66, 14.24, "pct.") == "0,5 procentpoint over" and fmt.points(14.66 - 14.24) == "0,4 procentpoint"
    assert fmt.gap(2.64, 2.6, "pct.") is None


# Aggregation, discretion and text on real AUP02 rates ----------------------------------------------

def test_rates_are_never_summed_into_the_region_or_the_nation(engine):
    table = engine.table(RATE, "167", Y2023, compare_period=Y2022, benchmarks=["000", "1084"])
    hvidovre, nation, region = table.focus, table.row("000"), table.row("1084")
    assert hvidovre.value == pytest.approx(2.69) and hvidovre.missing is None     # not hidden as a small count
    assert fmt.pct(hvidovre.value) == "2,7 pct."
    for row in (nation, region):
        assert row.value is None and row.missing == Missing.NOT_AGGREGATED
        assert row.reason == ("en andel kan ikke lægges sammen af kommunernes tal, og områdets eget tal er "
                              "ikke indlæst")
    assert table.focus.change_pct == pytest.approx((2.69 / 2.71 - 1) * 100)


def test_the_aggregates_own_published_row_is_used_when_stored(real_store, registry):
    real_store.write_snapshot([Observation("ledighedspct", "000", Y2023, 2.9, "pct."),
                               Observation("ledighedspct", "1084", Y2023, 3.1, "pct.")], source="t")
    table = KeyFigureEngine(real_store, registry).table(RATE, "167", Y2023, benchmarks=["000", "1084"])
    assert (table.row("000").value, table.row("1084").value) == (2.9, 3.1)


def test_figures_json_shows_hvidovres_rate_and_dashes_with_the_reason(tmp_path):
    store = str(tmp_path / "s.duckdb")
    imported = run_cli("--store", store, "import", "observations", str(aup02_csv(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    args = ("--store", store, "figures", "--series", "ledighedspct", "--area", "167", "--period", "2023",
            "--benchmark", "000", "--benchmark", "1084")
    data = cli_json(*args)
    rows = {r["area"]: r for r in data["rows"]}
    assert rows["167"]["value"] == pytest.approx(2.69) and data["measure_kind"] == "share"
    assert rows["000"]["value"] is None and rows["000"]["missing"] == "not_aggregated"
    assert rows["1084"]["value"] is None and rows["1084"]["reason"].startswith("en andel kan ikke lægges sammen")
    assert data["text"].startswith("Ledighedspct i Hvidovre: 2,7 pct. i 2023.")
    assert "Ikke opgjort for hele landet (en andel kan ikke lægges sammen" in data["text"]
    assert "Ikke opgjort for Region Hovedstaden (" in data["text"]
    assert "diskretion" not in data["text"] and "250,5" not in data["text"]
    table = run_cli(*args)
    assert table.returncode == 0 and "2,7" in table.stdout and "250,5" not in table.stdout


def test_goal_status_on_the_real_rate(real_store, registry):
    text = """\
        name: Ledighed
        area: Hvidovre
        year: 2023
        goals:
          - id: under-tre
            title: Bruttoledigheden
            indicator: {series: ledighedspct}
            measure: latest
            rule: {type: threshold, op: "<", value: 3}
          - id: under-regionen
            title: Ledighed mod regionen
            indicator: {series: ledighedspct}
            measure: latest
            rule: {type: versus_benchmark, benchmark: Region Hovedstaden, compare: level, better: lower}
        """
    catalogue = loads_catalogue(textwrap.dedent(text), registry, "ledighed.yaml")
    followup = evaluate(catalogue, KeyFigureEngine(real_store, registry), "2023")
    below = followup.goal("under-tre")
    assert (below.status.value, below.value, below.decimals) == ("met", 2.69, 1)
    assert "I 2023 var niveauet 2,7 pct." in below.text
    region = followup.goal("under-regionen")
    assert (region.status.value, region.reason.value, region.target) == ("not_assessable", "no_benchmark", None)
    assert ("Der er ingen tal for Region Hovedstaden (en andel kan ikke lægges sammen af kommunernes tal, og "
            "områdets eget tal er ikke indlæst), så målet kan ikke vurderes.") in region.text


def test_the_report_shows_the_rate_and_dashes_for_the_aggregates(real_store, registry):
    definition = KeyFigureDef("ledighedspct", "Bruttoledighed (AUP02)", RATE, "lower")
    report = build.build(KeyFigureEngine(real_store, registry), build.ReportRequest(
        area="167", period=Y2023, keyfigures=(definition,)))
    section = next(s for s in report.sections if s.id == "noegletal-ledighedspct")
    table = next(b for b in section.blocks if hasattr(b, "rows"))
    assert table.rows[0][:2] == ("Hvidovre", 2.69) and table.columns[1].decimals == 1
    assert all(row[1] is None for row in table.rows[1:])
    text = html.render(report)
    assert "Bruttoledighed (AUP02) i Hvidovre: 2,7 pct. i 2023, stort set uændret siden 2022." in text
    assert "Ikke opgjort for Region Hovedstaden" in text and "diskretion" not in text.split("Ikke opgjort")[0]


# Ranks, points and full-time persons on real Y30R21 -------------------------------------------------

def test_ranks_are_never_summed_or_hidden(engine):
    table = engine.table(RANK, "159", Q2021, compare_period=Q2020, benchmarks=["000", "1084"])
    gladsaxe = table.focus
    assert (gladsaxe.value, gladsaxe.missing, table.ranked_of) == (1, None, 98)   # the best in Denmark
    assert table.row("000").value is None and table.row("000").missing == Missing.NOT_AGGREGATED
    assert table.row("1084").value is None
    from maaltal import narrative
    text = narrative.keyfigure(table, "Benchmark")
    assert text.startswith("Benchmark i Gladsaxe: nr. 1 af 98 i 4 kvartaler til og med 4. kvartal 2021, uændret "
                           "siden 4 kvartaler til og med 4. kvartal 2020.")
    assert "Ikke opgjort for hele landet (en placering kan ikke lægges sammen" in text


def test_hvidovres_y30r21_developments_are_worded_by_kind(engine):
    from maaltal import narrative

    def sentence(series: str, area: str = "167") -> str:
        return narrative.keyfigure(engine.table(Indicator.of(series), area, Q2021, compare_period=Q2020), series)

    since = "siden 4 kvartaler til og med 4. kvartal 2020."
    assert f"nr. 83 af 98 i 4 kvartaler til og med 4. kvartal 2021, 1 plads frem {since}" in sentence(
        "benchmark_placering")
    assert engine.table(RANK, "167", Q2021, compare_period=Q2020).focus.change_pct is None
    assert f"9,6 pct. i 4 kvartaler til og med 4. kvartal 2021, et fald på 0,6 procentpoint {since}" in sentence(
        "benchmark_faktisk_andel")
    assert f"0,6 procentpoint i 4 kvartaler til og med 4. kvartal 2021, stort set uændret {since}" in sentence(
        "benchmark_forskel_andel")
    gladsaxe = sentence("benchmark_forskel", "159")
    level = "-510 fuldtidspersoner i 4 kvartaler til og med 4. kvartal 2021"
    assert f"{level}, en stigning på 60 fuldtidspersoner {since}" in gladsaxe and "%" not in gladsaxe


def test_a_count_is_still_summed_into_the_nation(engine):
    nation = engine.value(Indicator.of("benchmark_forskel"), "000", Q2021)
    assert nation.value == 1720          # the sum of the 98 differences between expected and actual


# Over time: a quarter or a year of monthly data ----------------------------------------------------

MONTHS = [Period.parse(f"2023M{m:02d}") for m in (7, 8, 9)]
Q3 = Period.parse("2023K3")


@pytest.fixture
def monthly(store, registry):
    def series(name, unit, values, area="167"):
        return [Observation(name, area, m, v, unit) for m, v in zip(MONTHS, values, strict=True)]
    store.write_snapshot(
        series("fuldtidspersoner", "fuldtidspersoner", (700, 710, 720)) + series("sager", "sager", (30, 40, 50))
        + series("personer", "personer", (900, 910, 920)) + series("rate", "pct.", (2.5, 2.6, 2.9))
        + series("placering", "placering", (80, 81, 82)) + series("udgift", "mio. kr.", (1.5, 1.5, 2.0))
        + series("arbejdsstyrke", "personer", (30000, 30000, 30000))
        + series("huller", "fuldtidspersoner", (700, 710, 720))[:2], source="t")
    return KeyFigureEngine(store, registry)


def test_a_quarter_of_monthly_data_is_computed_by_kind(monthly):
    def quarter(series, denominator=None):
        return monthly.value(Indicator.of(series, denominator), "167", Q3)

    assert quarter("fuldtidspersoner").value == pytest.approx(710)      # a stock: averaged
    assert quarter("rate").value == pytest.approx(8.0 / 3)              # a rate: averaged
    assert quarter("sager").value == 120                                # a flow: summed
    assert quarter("udgift").value == pytest.approx(5.0)
    assert quarter("fuldtidspersoner", "arbejdsstyrke").value == pytest.approx(710 / 30000 * 100)
    persons = quarter("personer")
    assert persons.value is None and persons.missing is Missing.NOT_DERIVABLE
    assert "den samme person tælles i flere måneder" in persons.reason
    assert quarter("placering").missing is Missing.NOT_DERIVABLE
    gap = quarter("huller")
    assert gap.missing is Missing.INCOMPLETE and gap.reason == "kun 2 af 3 måneder har tal"
    assert monthly.value(Indicator.of("sager"), "167", Period.parse("2023")).reason == "kun 3 af 12 måneder har tal"


def test_the_quarter_reaches_the_command_line(store, registry, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("series,area,period,value,unit\n" + "".join(
        f"ftp,167,{m},{v},fuldtidspersoner\n" for m, v in zip(MONTHS, (700, 710, 720), strict=True)), encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    assert run_cli("--store", db, "import", "observations", str(path)).returncode == 0
    data = cli_json("--store", db, "figures", "--series", "ftp", "--area", "167", "--period", "2023K3")
    assert data["rows"][0]["value"] == pytest.approx(710)
    assert "710 fuldtidspersoner i 3. kvartal 2023" in data["text"]


# Discretion: small counts of persons hidden, rates and ranks under 5 shown ------------------------

def test_small_counts_of_persons_are_hidden_but_small_rates_and_ranks_are_not(store, registry):
    june = Period.parse("2023M06")
    store.write_snapshot([Observation("ledige", "825", june, 3, "personer"),
                          Observation("andel", "825", june, 3.4, "pct."),
                          Observation("rang", "825", june, 2, "placering"),
                          Observation("beloeb", "825", june, 4, "kr.")], source="t")
    engine = KeyFigureEngine(store, registry)
    hidden = engine.table(Indicator.of("ledige"), "825", june).focus
    assert (hidden.value, hidden.numerator, hidden.missing, hidden.reason) == (
        None, None, "small_count", privacy.SMALL_COUNT)
    for series in ("andel", "rang", "beloeb"):
        assert engine.table(Indicator.of(series), "825", june).focus.value is not None


# Units in the generic CSV ---------------------------------------------------------------------------

def test_an_unknown_unit_names_file_row_and_column(tmp_path, registry):
    path = tmp_path / "x.csv"
    path.write_text("series,area,period,value,unit\nledighedspct,167,2023,2.69,pct.\nx,167,2023,1,stk\n",
                    encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        observations_csv.read(path, registry)
    (error,) = info.value.errors
    assert (error.location.row, error.location.column) == (3, "unit")
    assert "enheden 'stk' kendes ikke (tilladte enheder: personer" in str(error) and "placering" in str(error)


def test_an_unknown_unit_in_a_mapping_file_is_refused(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("tables:\n  X01:\n    measures:\n      Antal: {series: x, unit: stykker}\n", encoding="utf-8")
    with pytest.raises(MaaltalError, match="enheden 'stykker' kendes ikke"):
        load_mappings("jobindsats", path)


def test_registry_reads_statbanks_english_names():
    assert AreaRegistry.default().get("Copenhagen").id == "101"
