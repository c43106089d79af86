"""Data availability: newest period, gaps, last import, source, and which series lag (Herning, item 19)."""

import json

from maaltal.periods import Period, PeriodRange
from maaltal.sources.status import availability
from maaltal.store import Observation
from tests.conftest import run_cli

HERNING = "657"


def months(text):
    return list(PeriodRange.parse(text))


def herning_store(store):
    """Herning, item 19: a-dagpenge up to December 2020, but the KY data (cash benefit) stopped in
    September as jobindsats could not load them; sickness benefit lacks October in one import."""
    store.write_snapshot(
        [Observation("fuldtidspersoner", a, m, 100, "fuldtidspersoner", {"ydelse": "a-dagpenge"})
         for a in (HERNING, "000") for m in months("2020M01..2020M12")], source="jobindsats:Y01A02")
    store.write_snapshot(
        [Observation("fuldtidspersoner", a, m, 50, "fuldtidspersoner", {"ydelse": "kontanthjælp"})
         for a in (HERNING, "000") for m in months("2020M01..2020M09")], source="jobindsats:Y36A02")
    store.write_snapshot(
        [Observation("fuldtidspersoner", HERNING, m, 30, "fuldtidspersoner", {"ydelse": "sygedagpenge"})
         for m in months("2020M01..2020M12") if m != Period.parse("2020M10")]
        + [Observation("fuldtidspersoner", "000", m, 3000, "fuldtidspersoner", {"ydelse": "sygedagpenge"},
                       suppressed=m == Period.parse("2020M11")) for m in months("2020M01..2020M11")]
        + [Observation("fuldtidspersoner", HERNING, Period.parse(q), 9, "fuldtidspersoner", {"ydelse": "x"})
           for q in ("2020Q3", "2020Q4")]
        + [Observation("bruttoledighed_pct", HERNING, Period.parse("2020"), 3.7, "pct.")],
        source="statbank:AUK01")
    return store


def by_dims(result):
    return {(s.series, tuple(s.dims.items())): s for s in result.series}


def test_a_source_that_stopped_early_lags_by_its_missing_months(store):
    result = availability(herning_store(store))
    assert str(result.reference) == "2020-12-31"
    items = by_dims(result)
    cash = items["fuldtidspersoner", (("ydelse", "kontanthjælp"),)]
    assert cash.last == Period.parse("2020M09") and cash.behind == 3 and cash.lagging
    assert cash.missing == tuple(months("2020M10..2020M12"))
    assert cash.source == "jobindsats:Y36A02" and cash.snapshot == 2
    benefit = items["fuldtidspersoner", (("ydelse", "a-dagpenge"),)]
    assert benefit.behind == 0 and not benefit.lagging and benefit.areas == 2 and benefit.areas_behind == 0
    assert [s.dims["ydelse"] for s in result.lagging] == ["kontanthjælp"]


def test_gaps_areas_behind_and_frequencies_that_cannot_be_newer(store):
    items = by_dims(availability(herning_store(store)))
    sick = items["fuldtidspersoner", (("ydelse", "sygedagpenge"),)]
    # October is missing only in Herning; the nation has it, so it is no gap, but the nation ends a month early.
    assert sick.gaps == () and sick.last == Period.parse("2020M12") and sick.areas_behind == 1
    quarterly = items["fuldtidspersoner", (("ydelse", "x"),)]
    assert quarterly.freq == "Q" and quarterly.behind == 0
    yearly = items["bruttoledighed_pct", ()]
    assert yearly.behind == 0 and yearly.unit == "pct."


def test_a_gap_between_first_and_last_is_listed(store):
    store.write_snapshot([Observation("personer", "167", Period.parse(m), 1, "personer")
                          for m in ("2024M01", "2024M02", "2024M05")], source="csv:observations")
    item = availability(store).series[0]
    assert [str(g) for g in item.gaps] == ["2024M03", "2024M04"] and item.gap_count == 2


def test_the_snapshot_and_the_filters_are_respected(store):
    herning_store(store)
    first = availability(store, snapshot=1)
    assert [s.dims["ydelse"] for s in first.series] == ["a-dagpenge"] and not first.lagging
    only = availability(store, source="jobindsats")
    assert {s.source for s in only.series} == {"jobindsats:Y01A02", "jobindsats:Y36A02"}
    assert availability(store, series="bruttoledighed_pct").series[0].last == Period.parse("2020")


def test_a_revision_moves_last_import_and_source(store):
    herning_store(store)
    store.write_snapshot([Observation("fuldtidspersoner", HERNING, m, 51, "fuldtidspersoner",
                                      {"ydelse": "kontanthjælp"}) for m in months("2020M10..2020M12")],
                         source="jobindsats:Y60A02")
    cash = by_dims(availability(store))["fuldtidspersoner", (("ydelse", "kontanthjælp"),)]
    assert not cash.lagging and cash.source == "jobindsats:Y60A02" and cash.snapshot == 4
    assert cash.sources == ("jobindsats:Y36A02", "jobindsats:Y60A02") and cash.areas_behind == 1


def test_cli_sources_status(store_path, store):
    herning_store(store)
    store.close()
    data = json.loads(run_cli("--store", str(store_path), "sources", "status", "--format", "json").stdout)
    lagging = [s for s in data["series"] if s["lagging"]]
    assert data["reference"] == "2020-12-31" and [s["dims"] for s in lagging] == [{"ydelse": "kontanthjælp"}]
    assert lagging[0]["missing"] == ["2020M10", "2020M11", "2020M12"] and lagging[0]["last"] == "2020M09"
    table = run_cli("--store", str(store_path), "sources", "status")
    assert table.returncode == 0, table.stderr
    text = " ".join(table.stdout.split())
    assert "halter 3" in text and "1 serie halter" in text and "til og med 31. december 2020" in text
