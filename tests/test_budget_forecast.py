"""Forecast of transfer spending from full-time persons in the store × unit prices from a file."""

from pathlib import Path

import pytest

from maaltal.budget import forecast as fc
from maaltal.errors import InputError, InputErrors
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.budget import report_section
from maaltal.store import Observation
from tests.conftest import cli_json, run_cli

DAGPENGE_2024 = [100, 110, 120, 130, 140, 150, 160, 170]  # January–August


def _observations():
    for i, value in enumerate(DAGPENGE_2024, start=1):
        yield Observation("fuldtidspersoner", "167", Period.parse(f"2024M{i:02d}"), value, "fuldtidspersoner",
                          {"ydelse": "a-dagpenge"})
        # last year a quarter lower in the same months, then 120 a month from September
        yield Observation("fuldtidspersoner", "167", Period.parse(f"2023M{i:02d}"), value / 1.25,
                          "fuldtidspersoner", {"ydelse": "a-dagpenge"})
    for i in range(9, 13):
        yield Observation("fuldtidspersoner", "167", Period.parse(f"2023M{i:02d}"), 120, "fuldtidspersoner",
                          {"ydelse": "a-dagpenge"})
    for year in (2023, 2024):
        for i in range(1, 13 if year == 2023 else 9):
            yield Observation("fuldtidspersoner", "167", Period.parse(f"{year}M{i:02d}"), 50, "fuldtidspersoner",
                              {"ydelse": "sygedagpenge"})


@pytest.fixture
def prices(tmp_path):
    path = tmp_path / "enhedspriser.csv"
    path.write_text("benefit;unit_price;budget\na-dagpenge;250.000;34,0\nsygedagpenge;200.000;12,0\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def forecast_store(store):
    store.write_snapshot(_observations(), source="test")
    return store


def test_average_of_last_three_months(forecast_store, registry, prices):
    engine = KeyFigureEngine(forecast_store, registry)
    result = fc.forecast(engine, fc.read_prices(prices), "Hvidovre", 2024)
    dagpenge, syg = result.groups
    assert result.through == Period.parse("2024M08")
    # September–December at (150 + 160 + 170) / 3 = 160: (1.080 + 4 × 160) / 12 full-time persons
    assert dict(dagpenge.projected) == {f"2024M{m:02d}": 160 for m in range(9, 13)}
    assert dagpenge.average_ftp == pytest.approx(1720 / 12)
    assert dagpenge.expected == pytest.approx(1720 / 12 * 250_000 / 1e6)
    assert dagpenge.deviation == pytest.approx(34 - 1720 / 12 * 0.25)  # negative: an overspend
    assert syg.expected == pytest.approx(10.0) and syg.deviation == pytest.approx(2.0)
    assert result.deviation == pytest.approx(46 - result.expected)


def test_seasonal_method_follows_last_year_scaled(forecast_store, registry, prices):
    engine = KeyFigureEngine(forecast_store, registry)
    result = fc.forecast(engine, fc.read_prices(prices), "167", 2024, method=fc.Method.SEASONAL)
    dagpenge = result.groups[0]
    # this year's January–August are 1,25 × last year's: the last four months become 1,25 × 120 = 150
    assert [v for _, v in dagpenge.projected] == pytest.approx([150] * 4)
    assert dagpenge.average_ftp == pytest.approx((1080 + 600) / 12)


def test_missing_months_and_bad_prices_are_refused(forecast_store, registry, prices, tmp_path):
    engine = KeyFigureEngine(forecast_store, registry)
    with pytest.raises(InputError, match="mangler fuldtidspersoner for ydelse=fleksjob"):
        fc.forecast(engine, [fc.UnitPrice("fleksjob", 1, None)], "167", 2024, through=Period.parse("2024M08"))
    bad = tmp_path / "p.csv"
    bad.write_text("benefit,unit_price\na-dagpenge,-5\na-dagpenge,x\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        fc.read_prices(bad)
    messages = [str(e) for e in caught.value.errors]
    assert any("række 2, kolonne 'unit_price'" in m for m in messages)
    assert any("række 3, kolonne 'unit_price'" in m for m in messages)


def test_report_section_and_cli(forecast_store, store_path, prices):
    forecast_store.close()
    data = cli_json("--store", str(store_path), "budget", "forecast", str(prices), "--area", "Hvidovre",
                    "--year", "2024", "--through", "2024M06")
    assert data["through"] == "2024M06"
    # with June as the last actual month: July–December at (130 + 140 + 150) / 3 = 140
    assert data["groups"][0]["average_ftp"] == pytest.approx((750 + 6 * 140) / 12)
    table = run_cli("--store", str(store_path), "budget", "forecast", str(prices), "--area", "167", "--year", "2024")
    assert table.returncode == 0, table.stderr
    words = " ".join(table.stdout.split())
    assert "faktiske tal til og med august 2024" in words and "I alt" in words


def test_report_section_text(forecast_store, registry, prices):
    result = fc.forecast(KeyFigureEngine(forecast_store, registry), fc.read_prices(prices), "167", 2024)
    section = report_section(result)
    text = section.blocks[0].text
    assert text.startswith("Forventet forbrug på overførsler i Hvidovre 2024: 45,8 mio. kr.")
    assert "et mindreforbrug på 0,2 mio. kr." in text  # 46,0 − 45,83


def test_the_shipped_demo_prices_are_valid():
    prices = fc.read_prices(Path(__file__).parents[1] / "examples" / "budget" / "enhedspriser-demo.csv")
    assert [p.benefit for p in prices][:2] == ["a-dagpenge", "sygedagpenge"]
    assert prices[0].unit_price == 235_000 and prices[0].budget == 170.0


def test_a_file_for_another_municipality_is_refused_and_one_without_a_municipality_flagged(
        forecast_store, registry, prices, tmp_path):
    """Issue 13, part 8: the same prices applied to the wrong municipality gave a silent "overspend"."""
    engine = KeyFigureEngine(forecast_store, registry)
    horsens = tmp_path / "horsens.csv"
    horsens.write_text("benefit;unit_price;budget;municipality\na-dagpenge;250.000;34,0;Horsens\n"
                       "sygedagpenge;200.000;12,0;Horsens\n", encoding="utf-8")
    with pytest.raises(InputError, match="række 2, kolonne 'municipality': enhedspriserne gælder Horsens, men "
                                         "prognosen er for Hvidovre"):
        fc.forecast(engine, fc.read_prices(horsens), "167", 2024)
    own = tmp_path / "hvidovre.csv"
    own.write_text(horsens.read_text(encoding="utf-8").replace("Horsens", "167"), encoding="utf-8")
    assert fc.forecast(engine, fc.read_prices(own), "Hvidovre", 2024).warnings == ()
    unmarked = fc.forecast(engine, fc.read_prices(prices), "167", 2024)
    assert unmarked.warnings == ("Enhedspriserne og budgettet er ikke mærket med en kommune (kolonnen area): "
                                 "kontrollér, at de gælder Hvidovre.",)
    section = report_section(unmarked)
    assert any(getattr(b, "text", None) == unmarked.warnings[0] and b.style == "warning" for b in section.blocks)


def test_prices_and_budgets_in_the_wrong_unit_are_refused_or_flagged(forecast_store, registry, tmp_path):
    engine = KeyFigureEngine(forecast_store, registry)
    thousands = tmp_path / "p.csv"
    thousands.write_text("benefit;unit_price;budget;area\na-dagpenge;250;34,0;167\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="række 2, kolonne 'unit_price': enhedsprisen 250 kr. pr. fuldtidsperson "
                                          "pr. år er ikke sandsynlig .* i 1.000 kr. eller mio. kr.?"):
        fc.read_prices(thousands)
    kroner = tmp_path / "k.csv"
    kroner.write_text("benefit;unit_price;budget;area\na-dagpenge;250.000;34.000.000;167\n", encoding="utf-8")
    with pytest.raises(InputError, match="række 2, kolonne 'budget': .*skal angives i mio. kr., ikke i kr."):
        fc.forecast(engine, fc.read_prices(kroner), "167", 2024)
    half = tmp_path / "h.csv"  # a budget of 12 against an expected 35,8 mio. kr.: another municipality's?
    half.write_text("benefit;unit_price;budget;area\na-dagpenge;250.000;12,0;167\n", encoding="utf-8")
    (warning,) = fc.forecast(engine, fc.read_prices(half), "167", 2024).warnings
    assert warning.startswith("Budgettet for a-dagpenge (12,0 mio. kr.) afviger mere end 50 pct. fra det "
                              "forventede forbrug (35,8 mio. kr.)")
