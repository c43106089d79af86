"""The synthetic demo data: deterministic, plausible, and always labelled as synthetic."""

import pytest

from maaltal import demo
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Period, PeriodRange
from tests.conftest import run_cli

SHORT = PeriodRange.parse("2022M01..2022M03")


def test_deterministic():
    first = list(demo.generate(seed=7, months=SHORT))
    assert first == list(demo.generate(seed=7, months=SHORT))
    assert first != list(demo.generate(seed=8, months=SHORT))


@pytest.fixture(scope="module")
def demo_kf(demo_store_file):
    """The key figures of the session's demo store (built by :func:`maaltal.demo.build`)."""
    from maaltal.areas import AreaRegistry
    from maaltal.store import Store
    store = Store.open(demo_store_file, read_only=True)
    yield KeyFigureEngine(store, AreaRegistry.default())
    store.close()


def test_covers_all_municipalities_monthly_2019_to_2024(demo_kf):
    infos = {(i.series, tuple(i.dims.items())): i for i in demo_kf.store.series()}
    for key in [("bruttoledige", ()), ("arbejdsstyrke", ()), ("befolkning", (("alder", "16-66"),)),
                ("befolkning", (("alder", "18-29"),)), ("fuldtidspersoner", (("ydelse", "førtidspension"),))]:
        info = infos[key]
        assert (str(info.first), str(info.last), info.periods, info.areas) == ("2019M01", "2024M12", 72, 98)
    groups = {dict(i.dims).get("ydelse") for i in infos.values() if i.series == "fuldtidspersoner"}
    assert groups == set(demo.BENEFIT_GROUPS) | {demo.TOTAL}


def test_magnitudes_are_plausible_and_follow_size(demo_kf):
    june = Period.parse("2022M06")
    gross = demo_kf.values(Indicator.of("bruttoledige", "arbejdsstyrke"), ["000", "101", "825"], [june])
    assert 2.0 < gross["000", june].value < 4.5
    assert gross["101", june].numerator > 50 * gross["825", june].numerator  # København ≫ Læsø
    total = demo_kf.value(Indicator.of("fuldtidspersoner", "befolkning", {"ydelse": "i alt"}, {"alder": "16-66"}),
                          "000", june)
    assert 10 < total.value < 22
    covid = demo_kf.change(Indicator.of("bruttoledige"), "000", Period.parse("2020M05"), Period.parse("2019M05"))
    assert covid.change_pct > 20


def test_demo_outputs_say_synthetic(tmp_path):
    store = str(tmp_path / "demo.duckdb")
    assert run_cli("--store", store, "demo").returncode == 0
    result = run_cli("--store", store, "overview", "--area", "167", "--period", "2024M12")
    assert result.returncode == 0, result.stderr
    assert "syntetiske demodata" in result.stdout.lower()
    assert "Region Hovedstaden" in result.stdout and "Hele landet" in result.stdout
    figures = run_cli("--store", store, "figures", "--series", "bruttoledige", "--area", "167",
                      "--period", "2024M12", "--format", "json")
    assert '"synthetic": true' in figures.stdout and "Syntetiske demodata" in figures.stdout
