"""The key-figure engine against the figures of the seeds (Hvidovre item 9, Horsens item 1)."""

import pytest

from maaltal.formatting import number, pct, points
from maaltal.measures import Indicator, KeyFigureEngine, Window
from maaltal.measures.keyfigures import Missing, rank_values
from maaltal.periods import Period
from maaltal.sources import observations_csv
from maaltal.store import Observation
from tests.conftest import TEST_DATA

GROSS = Indicator.of("bruttoledige", "arbejdsstyrke")
APRIL, MAY, JUNE = (Period.parse(f"2022M0{m}") for m in (4, 5, 6))


@pytest.fixture
def engine(hvidovre_store, registry):
    return KeyFigureEngine(hvidovre_store, registry)


def test_hvidovre_gross_unemployment_april_to_june_2022(engine):
    values = engine.values(GROSS, ["167", "1084"], [APRIL, MAY, JUNE])
    assert [values["167", p].numerator for p in (APRIL, MAY, JUNE)] == [743, 725, 701]
    assert [pct(values["167", p].value) for p in (APRIL, MAY, JUNE)] == ["2,8 pct.", "2,7 pct.", "2,6 pct."]
    assert [number(values["1084", p].numerator) for p in (APRIL, MAY, JUNE)] == ["26.942", "25.702", "25.916"]
    assert [pct(values["1084", p].value) for p in (APRIL, MAY, JUNE)] == ["2,8 pct.", "2,7 pct.", "2,7 pct."]


def test_reduced_by_24_persons_and_01_points_below_the_region(engine):
    table = engine.table(GROSS, "167", JUNE, compare_period=MAY, benchmarks=["1084"])
    focus, region = table.focus, table.row("1084")
    assert focus.numerator_change == -24                           # "reduceret med 24 personer"
    assert points(focus.value - region.value) == "0,1 procentpoint"  # "0,1 procentpoint lavere"
    assert focus.value < region.value
    region_since_april = engine.change(GROSS, "1084", JUNE, APRIL)
    assert points(region_since_april.change) == "0,1 procentpoint" and region_since_april.change < 0


def test_second_lowest_among_the_eight_of_vestegnen(engine):
    table = engine.table(GROSS, "167", JUNE, benchmarks=["group:vestegnen"])
    member = table.row("167", group="group:vestegnen")
    assert (member.rank, member.rank_of) == (2, 8)                  # "den næstlaveste bruttoledighed"
    assert table.row("187", group="group:vestegnen").rank == 1      # Vallensbæk


def test_group_share_is_summed_numerators_over_summed_denominators(engine, registry):
    table = engine.table(GROSS, "167", JUNE, compare_period=MAY, benchmarks=["group:vestegnen"])
    group = table.row("group:vestegnen")
    members = [r for r in table.rows if r.role == "member"]
    numerator = sum(r.numerator for r in members)
    denominator = sum(r.denominator for r in members)
    assert (group.numerator, group.denominator) == (numerator, denominator) == (4107, 134200)
    assert group.value == pytest.approx(numerator / denominator * 100)
    assert group.value != pytest.approx(sum(r.value for r in members) / len(members))
    assert group.change == pytest.approx(group.value - group.compare_value)


def test_region_without_own_figure_is_summed_from_members(store, registry):
    members = registry.get("1085").members
    store.write_snapshot([Observation("ftp", m, JUNE, 10.0, "fuldtidspersoner") for m in members], source="t")
    engine = KeyFigureEngine(store, registry)
    assert engine.value(Indicator.of("ftp"), "1085", JUNE).value == 10 * len(members)
    assert engine.value(Indicator.of("ftp"), "000", JUNE).missing is Missing.INCOMPLETE


def test_horsens_cash_benefit_developments(store, registry):
    """Horsens item 1. The minutes' subgroups (−238 + 140 = −98) do not add up to their −92; the file
    follows the stated totals for the whole group and the stated subgroup figures for the subgroups."""
    observations_csv.import_file(store, TEST_DATA / "horsens_kontanthjaelp.csv", registry)
    engine = KeyFigureEngine(store, registry)
    before, after = Period.parse("2019M06"), Period.parse("2020M06")

    def development(group, area):
        return engine.change(Indicator.of("fuldtidspersoner", dims={"ydelse": group}), area, after, before)

    total = development("kontanthjælp", "615")
    assert (total.change, f"{total.change_pct:.1f}") == (-92, "-8.7")
    assert f"{development('kontanthjælp', '000').change_pct:.1f}" == "-1.4"
    active = development("kontanthjælp aktivitetsparat", "615")
    assert (active.change, f"{active.change_pct:.1f}") == (-238, "-28.8")
    assert f"{development('kontanthjælp aktivitetsparat', '000').change_pct:.1f}" == "-6.2"
    ready = development("kontanthjælp jobparat", "615")
    assert (ready.change, f"{ready.change_pct:.1f}") == (140, "56.2")
    assert f"{development('kontanthjælp jobparat', '000').change_pct:.1f}" == "12.6"


def test_year_to_date_average_of_a_share(store, registry):
    months = [Period.parse(f"2023M0{m}") for m in range(1, 4)]
    store.write_snapshot(
        [Observation("a", "159", p, v, "personer") for p, v in zip(months, (20, 25, 30), strict=True)]
        + [Observation("b", "159", p, 1000, "personer") for p in months], source="t")
    engine = KeyFigureEngine(store, registry)
    ytd = engine.value(Indicator.of("a", "b"), "159", months[-1], Window.YTD)
    assert ytd.value == pytest.approx(2.5) and str(ytd.window) == "2023M01..2023M03"
    gap = engine.value(Indicator.of("a", "b"), "159", Period.parse("2023M04"), Window.YTD)
    assert gap.value is None and gap.missing is Missing.INCOMPLETE


def test_latest_period_and_snapshot_choice(hvidovre_store, registry):
    engine = KeyFigureEngine(hvidovre_store, registry)
    assert engine.latest_period(GROSS, "167", Period.parse("2022M12")) == JUNE
    assert engine.latest_period(GROSS, "167", Period.parse("2022M03")) is None
    hvidovre_store.write_snapshot([Observation("bruttoledige", "167", JUNE, 650, "personer")], source="t")
    assert KeyFigureEngine(hvidovre_store, registry).value(GROSS, "167", JUNE).numerator == 650
    assert KeyFigureEngine(hvidovre_store, registry, snapshot=1).value(GROSS, "167", JUNE).numerator == 701


def test_unknown_series_is_a_clear_error(engine):
    from maaltal.errors import MaaltalError
    with pytest.raises(MaaltalError, match="Serien 'ledige' findes ikke"):
        engine.table(Indicator.of("ledige"), "167", JUNE)


def test_competition_ranks():
    assert rank_values({"a": 1.0, "b": 2.0, "c": 2.0, "d": 3.0, "e": None}) == {
        "a": (1, 4), "b": (2, 4), "c": (2, 4), "d": (4, 4), "e": (None, 4)}
    assert rank_values({"a": 1.0, "b": 2.0}, descending=True)["b"] == (1, 2)


def test_total_sums_a_count_over_the_year_to_date(store, registry):
    months = [Period.parse(f"2023M0{m}") for m in range(1, 4)]
    store.write_snapshot([Observation("fritidsjob", "159", p, v, "unge") for p, v in zip(months, (6, 7, 9),
                                                                                          strict=True)], source="t")
    engine = KeyFigureEngine(store, registry)
    so_far = engine.total(Indicator.of("fritidsjob"), "159", months[-1])
    assert so_far.value == 22 and str(so_far.window) == "2023M01..2023M03"
    year = engine.total(Indicator.of("fritidsjob"), "159", months[-1], Window.YEAR)
    assert year.value is None and year.missing is Missing.INCOMPLETE
    from maaltal.errors import MaaltalError
    with pytest.raises(MaaltalError, match="kan ikke summeres"):
        engine.total(Indicator.of("fritidsjob", "befolkning"), "159", months[-1])
