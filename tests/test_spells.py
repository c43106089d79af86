"""Spells from the case system: validation, figures from the seeds, the store's conventions, atomicity."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from maaltal import privacy
from maaltal.errors import InputError, InputErrors
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.measures.keyfigures import Missing
from maaltal.measures.spells import importing as spell_import
from maaltal.periods import Period, PeriodRange
from maaltal.sources import spell_reader
from maaltal.sources import spells as spell_source
from tests.spells_helpers import KEY, fake_cpr, spell, write

PSEUDONYMS = privacy.Pseudonymizer(KEY.encode())


def herning_foertidspension() -> list[tuple[str, ...]]:
    """Herning item 19: 3.765 full-time persons on førtidspension in December 2020, 11 more than a year before.

    3.754 persons all of December 2019 and 2020, one more from 1 December 2020, and 62 persons on the
    last 5 days of December 2020 (62 × 5 / 31 = 10 full-time persons): 3.754 + 1 + 10 = 3.765.
    """
    rows = [spell(i, "førtidspension", "2019-12-01") for i in range(3754)]
    rows.append(spell(3754, "førtidspension", "2020-12-01", born="1970-01-01", sex="M"))
    rows += [spell(3755 + i, "førtidspension", "2020-12-27", "2020-12-31", born="1958-03-01", sex="M")
             for i in range(62)]
    return rows


def test_herning_full_time_persons_and_development(tmp_path, store, registry):
    path = write(tmp_path / "herning_fake.csv", herning_foertidspension())
    result = spell_import.import_file(store, path, registry, PSEUDONYMS)
    assert result.spells == 3817 and result.months == PeriodRange.parse("2019M12..2020M12")
    engine = KeyFigureEngine(store, registry)
    ftp = Indicator.of("fuldtidspersoner", dims={"ydelse": "førtidspension"})
    december = engine.value(ftp, "657", Period.parse("2020M12")).value
    assert december == pytest.approx(3765, abs=1e-9)
    assert december - engine.value(ftp, "657", Period.parse("2019M12")).value == pytest.approx(11, abs=1e-9)
    persons = Indicator.of("personer", dims={"ydelse": "førtidspension"})
    assert engine.value(persons, "657", Period.parse("2020M12")).value == 3817
    # The totals are written too: over all benefits ("i alt"), over sex and age (dimension left out).
    assert engine.value(Indicator.of("fuldtidspersoner", dims={"ydelse": "i alt"}), "657",
                    Period.parse("2020M12")).value == pytest.approx(3765)
    # Every combination of sex and age is written. The one man aged 50-59 is hidden (primary), and so much
    # more as keeps him from a subtraction (secondary suppression): 63 men beside 62 men of 60 and over
    # would give him away, so the two are never both shown.
    def persons_of(**dims: str):
        return engine.value(Indicator.of("personer", dims={"ydelse": "førtidspension", **dims}), "657",
                            Period.parse("2020M12"))
    one_man = persons_of(køn="mænd", alder="50-59")
    assert one_man.value is None and one_man.missing is Missing.SUPPRESSED
    men, older_men = persons_of(køn="mænd"), persons_of(køn="mænd", alder="60 og derover")
    assert not (men.available and older_men.available)
    assert {men.value, men.missing} & {63, Missing.SUPPRESSED} and {older_men.value, older_men.missing} & {
        62, Missing.SUPPRESSED}
    # The age band is the age at the spell's start: born 15 June 1960, 59 on 1 December 2019, stays 50-59.
    def age(band: str):
        value = persons_of(alder=band)
        return value.value if value.available else value.missing
    assert age("50-59") in (3754 + 1, Missing.SUPPRESSED) and age("60 og derover") in (62, Missing.SUPPRESSED)


def test_hvidovre_average_duration_of_ended_spells(tmp_path, store, registry):
    """Hvidovre item 8: ended spells on ledighedsydelse lasted 46 weeks on average in 2020 and 51 in 2021."""
    rows = []
    # 2020: five spells of 40, 44, 46, 48 and 52 weeks (230 weeks / 5 = 46), ended in 2020.
    for i, weeks in enumerate((40, 44, 46, 48, 52)):
        rows.append(spell(i, "ledighedsydelse", _minus_days("2020-12-20", weeks * 7 - 1), "2020-12-20", "167"))
    # 2021: six spells of 51 weeks ± a little (306 weeks / 6 = 51), ended in 2021; one still open.
    for i, weeks in enumerate((45, 50, 51, 52, 53, 55)):
        rows.append(spell(10 + i, "ledighedsydelse", _minus_days("2021-11-30", weeks * 7 - 1), "2021-11-30", "167"))
    rows.append(spell(20, "ledighedsydelse", "2021-01-04", "", "167"))
    rows.append(spell(21, "a-dagpenge", "2021-01-04", "2021-12-31", "167"))
    # five sygedagpenge spells ended in 2021: the smallest part beside the hidden a-dagpenge spell, so the
    # secondary suppression hides them rather than the six on ledighedsydelse (7 in total − 6 would give 1)
    rows += [spell(30 + i, "sygedagpenge", "2021-03-01", "2021-06-30", "167") for i in range(5)]
    store_result = spell_import.import_file(store, write(tmp_path / "hvidovre_fake.csv", rows), registry,
                                            PSEUDONYMS, months=PeriodRange.parse("2019M01..2021M12"))
    assert store_result.snapshot.id == 1
    duration = Indicator.of("varighed_afsluttede_forloeb", dims={"ydelse": "ledighedsydelse"})
    engine = KeyFigureEngine(store, registry)
    assert engine.value(duration, "167", Period.parse("2020")).value == pytest.approx(46)
    assert engine.value(duration, "167", Period.parse("2021")).value == pytest.approx(51)
    ended = Indicator.of("afsluttede_forloeb", dims={"ydelse": "ledighedsydelse"})
    assert engine.value(ended, "167", Period.parse("2021")).value == 6
    # A single a-dagpenge spell is below the threshold: its duration is suppressed, not shown.
    single = engine.value(Indicator.of("varighed_afsluttede_forloeb", dims={"ydelse": "a-dagpenge"}), "167",
                      Period.parse("2021"))
    assert single.value is None and single.missing == "suppressed"
    secondary = engine.value(Indicator.of("afsluttede_forloeb", dims={"ydelse": "sygedagpenge"}), "167",
                             Period.parse("2021"))
    assert secondary.value is None and secondary.missing == "suppressed"


def _minus_days(day: str, days: int) -> str:
    from datetime import date, timedelta
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def test_herning_cumulative_duration_bands(tmp_path, store, registry):
    """Herning item 19: 1.880 insured unemployed, most under 26 weeks, about 2/3 at 13 weeks or less.

    1.253 persons (2/3 of 1.880) have been unemployed for at most 13 weeks at 31 January 2021, 400 for
    13–26 weeks (one of them in two spells: 10 weeks in 2020 and 8 weeks now, 18 in all), 227 for longer.
    """
    rows = [spell(i, "a-dagpenge", "2020-12-01") for i in range(1253)]
    rows += [spell(2000 + i, "a-dagpenge", "2020-09-01") for i in range(399)]
    rows += [spell(2399, "a-dagpenge", "2020-03-02", _minus_days("2020-05-11", 0)),
             spell(2399, "a-dagpenge", "2020-12-07", "2021-02-28")]
    rows += [spell(3000 + i, "a-dagpenge", "2020-05-01") for i in range(227)]
    spell_import.import_file(store, write(tmp_path / "herning_fake.csv", rows), registry, PSEUDONYMS,
                             months=PeriodRange.parse("2021M01..2021M01"))
    engine = KeyFigureEngine(store, registry)
    january = Period.parse("2021M01")

    def band(label: str) -> float:
        dims = {"ydelse": "a-dagpenge", "varighed": label}
        return engine.value(Indicator.of("personer_ultimo", dims=dims), "657", january).value

    assert (band("højst 13 uger"), band("over 13 og højst 26 uger"), band("over 26 uger")) == (1253, 400, 227)
    assert band("højst 13 uger") / 1880 == pytest.approx(2 / 3, abs=0.001)
    total = engine.value(Indicator.of("personer", dims={"ydelse": "a-dagpenge"}), "657", january).value
    assert total == 1880


def test_small_counts_are_suppressed_in_every_output(tmp_path, store, registry):
    rows = [spell(i, "sygedagpenge", "2022-01-01", "2022-03-31", "167") for i in range(4)]
    rows += [spell(10 + i, "a-dagpenge", "2022-01-01", "2022-03-31", "167") for i in range(6)]
    # a third group, so that the secondary suppression (next test) has a smaller part than a-dagpenge to hide
    rows += [spell(20 + i, "kontanthjælp", "2022-01-01", "2022-03-31", "167") for i in range(5)]
    result = spell_import.import_file(store, write(tmp_path / "small_fake.csv", rows), registry, PSEUDONYMS)
    # the import's count of hidden figures is every hidden observation it wrote
    assert result.suppressed == store.connection.execute(
        "SELECT count(*) FROM observations WHERE suppressed").fetchone()[0] > 0
    hidden = store.connection.execute(
        "SELECT DISTINCT series, value FROM observations WHERE suppressed AND dims LIKE '%sygedagpenge%'").fetchall()
    assert {s for s, _ in hidden} == {"fuldtidspersoner", "personer", "personer_ultimo"}
    assert {v for _, v in hidden} == {None}
    shown = store.values("personer", ["167"], [Period.parse("2022M02")], {"ydelse": "a-dagpenge"})
    assert next(iter(shown.values())).value == 6
    with pytest.raises(Exception, match="mindst 1"):
        spell_import.import_file(store, write(tmp_path / "small_fake.csv", rows), registry, PSEUDONYMS,
                                 threshold=0)


def test_a_hidden_part_cannot_be_worked_out_from_the_total_and_the_other_parts(tmp_path, store, registry):
    """Secondary suppression: 3 on sygedagpenge is hidden; with 15 in total and 5 and 7 shown beside it, a
    subtraction would give it away, so the next-smallest group (5) is hidden too, and every breakdown (benefit
    groups, age bands) of the month holds either no hidden part or at least two."""
    rows = [spell(i, "sygedagpenge", "2022-01-01", "2022-03-31", "167") for i in range(3)]
    rows += [spell(10 + i, "kontanthjælp", "2022-01-01", "2022-03-31", "167", born="1995-01-01") for i in range(5)]
    rows += [spell(20 + i, "a-dagpenge", "2022-01-01", "2022-03-31", "167", born=born)
             for i, born in enumerate(["1995-01-01"] * 3 + ["1970-01-01"] * 4)]
    spell_import.import_file(store, write(tmp_path / "secondary_fake.csv", rows), registry, PSEUDONYMS)
    month = Period.parse("2022M02")

    def persons(**dims):
        return store.values("personer", ["167"], [month], dims)[("167", month)]

    assert persons(ydelse="i alt").value == 15
    assert persons(ydelse="sygedagpenge").suppressed and persons(ydelse="kontanthjælp").suppressed
    assert persons(ydelse="a-dagpenge").value == 7
    full_time = store.values("fuldtidspersoner", ["167"], [month], {"ydelse": "kontanthjælp"})[("167", month)]
    assert full_time.suppressed and full_time.value is None  # what rests on the hidden count is hidden with it
    rows = store.connection.execute(
        "SELECT dims, suppressed FROM observations WHERE series = 'personer' AND period = '2022M02'").fetchall()
    cells = {tuple(sorted(json.loads(d).items())): hidden for d, hidden in rows}
    for dims in cells:  # every additive group: a shown total has 0 or ≥ 2 hidden parts
        for name in ("ydelse", "alder"):
            if dict(dims).get(name, "i alt") == "i alt":
                continue
            total = tuple(sorted({**dict(dims), "ydelse": "i alt"}.items())) if name == "ydelse" else \
                tuple(item for item in dims if item[0] != name)
            if total in cells and not cells[total]:
                siblings = [h for d, h in cells.items() if len(d) == len(dims)
                            and {k: v for k, v in d if k != name} == {k: v for k, v in dims if k != name}]
                assert sum(siblings) != 1, (dims, name)


@pytest.mark.parametrize(("row", "column", "message"), [
    (("", "a-dagpenge", "2022-01-01", "", "167", "1980-01-01", "K"), "cpr", "personen mangler"),
    ((fake_cpr(1), "", "2022-01-01", "", "167", "1980-01-01", "K"), "ydelse", "ydelsesgruppen mangler"),
    ((fake_cpr(1), "a-dagpenge", "2022-13-01", "", "167", "1980-01-01", "K"), "start", "er ikke en dato"),
    ((fake_cpr(1), "a-dagpenge", "2022-03-01", "2022-02-01", "167", "1980-01-01", "K"), "slut", "før det begynder"),
    ((fake_cpr(1), "a-dagpenge", "2022-03-01", "", "Region Hovedstaden", "1980-01-01", "K"), "kommune",
     "er ikke en kommune"),
    ((fake_cpr(1), "a-dagpenge", "2022-03-01", "", "167", "1780-01-01", "K"), "fødselsdato", "giver alderen"),
    ((fake_cpr(1), "a-dagpenge", "2022-03-01", "", "167", "1980-01-01", "X"), "køn", "er ikke et køn"),
])
def test_bad_rows_name_file_row_and_column_with_cpr_masked(tmp_path, registry, row, column, message):
    good = spell(0, "a-dagpenge", "2022-01-01", "", "167")
    path = write(tmp_path / "bad_fake.csv", [good, good, row])
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS)
    (error,) = info.value.errors
    assert (error.location.row, error.location.column) == (4, column)
    assert message in str(error)
    assert not privacy.CPR_PATTERN.search(str(info.value))


def test_cpr_numbers_without_a_key_are_refused_and_masked(tmp_path, registry):
    path = write(tmp_path / "cpr_fake.csv", [spell(5, "a-dagpenge", "2022-01-01")])
    with pytest.raises(InputError) as info:
        spell_source.read(path, registry, None)
    assert "pseudonymnøgle" in str(info.value) and fake_cpr(5)[:6] + "-XXXX" in str(info.value)
    assert fake_cpr(5) not in str(info.value)


def test_case_system_ids_without_cpr_import_without_a_key(tmp_path, registry):
    rows = [("sag-17", "kontanthjælp", "01-02-2022", "28.02.2022", "Hvidovre", "41")]
    path = write(tmp_path / "ids.csv", rows, header=("person_id", "ydelse", "startdato", "slutdato", "kommune",
                                                     "alder"), delimiter=";")
    spells = spell_source.read(path, registry, None)
    assert spells.table.to_pylist() == [{
        "person": "sag-17", "kommune": "167", "ydelse": "kontanthjælp", "alder": "40-49", "koen": None,
        "visitation": None, "start_date": __import__("datetime").date(2022, 2, 1),
        "end_date": __import__("datetime").date(2022, 2, 28)}]
    assert spells.dimensions == ("alder",)


def test_missing_columns_are_named(tmp_path, registry):
    path = write(tmp_path / "cols.csv", [("x", "a-dagpenge", "2022-01-01")], header=("person", "ydelse", "start"))
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, None)
    assert {e.location.column for e in info.value.errors} == {"slut", "kommune", "fødselsdato"}
    assert {e.location.row for e in info.value.errors} == {1}


def test_parquet_input_gives_the_same_spells_as_csv(tmp_path, registry):
    rows = herning_foertidspension()[:10] + herning_foertidspension()[-3:]
    csv_spells = spell_source.read(write(tmp_path / "x_fake.csv", rows), registry, PSEUDONYMS)
    columns = list(zip(*rows, strict=True))
    table = pa.table({name: list(values) for name, values in
                      zip(("CPR", "ydelse", "start", "slut", "kommune", "fødselsdato", "køn"), columns, strict=True)})
    pq.write_table(table, tmp_path / "x_fake.parquet")
    parquet_spells = spell_source.read(tmp_path / "x_fake.parquet", registry, PSEUDONYMS)
    assert parquet_spells.table.equals(csv_spells.table)


def test_a_failed_import_leaves_the_newest_snapshot_unchanged(tmp_path, store, registry):
    first = spell_import.import_file(store, write(tmp_path / "a_fake.csv", herning_foertidspension()[:20]),
                                     registry, PSEUDONYMS)
    before = store.connection.execute("SELECT count(*) FROM observations").fetchone()[0]
    spells_before = store.connection.execute("SELECT count(*) FROM spells").fetchone()[0]
    broken = [*herning_foertidspension()[:20], spell(99, "a-dagpenge", "2022-02-30")]
    with pytest.raises(InputErrors):
        spell_import.import_file(store, write(tmp_path / "b_fake.csv", broken), registry, PSEUDONYMS)
    assert store.latest_snapshot() == first.snapshot
    assert store.connection.execute("SELECT count(*) FROM observations").fetchone()[0] == before
    assert store.connection.execute("SELECT count(*) FROM spells").fetchone()[0] == spells_before


def test_spells_are_kept_pseudonymised_for_recomputation(tmp_path, store, registry):
    spell_import.import_file(store, write(tmp_path / "k_fake.csv", herning_foertidspension()[:7]), registry,
                             PSEUDONYMS)
    people = [p for (p,) in store.connection.execute("SELECT person FROM spells").fetchall()]
    assert people == [PSEUDONYMS.pseudonym(fake_cpr(i)) for i in range(7)]
    assert all(p.isalpha() for p in people)


def test_age_bands_follow_the_limits():
    assert [label for _, label in spell_reader.age_bands((18, 30))] == ["under 18", "18-29", "30 og derover"]
    assert spell_reader.band_of(29, spell_reader.age_bands()) == "18-29"


def test_regions_and_the_nation_count_a_moving_person_once(tmp_path, store, registry):
    """A person who moves from Hvidovre to København mid-month is one person in Region Hovedstaden."""
    rows = [spell(1, "kontanthjælp", "2022-01-01", "2022-01-15", "167"),
            spell(1, "kontanthjælp", "2022-01-16", "2022-01-31", "101")]
    rows += [spell(10 + i, "kontanthjælp", "2022-01-01", "2022-01-31", "657") for i in range(5)]
    spell_import.import_file(store, write(tmp_path / "moving_fake.csv", rows), registry, PSEUDONYMS,
                             threshold=1, aggregate=True)
    engine = KeyFigureEngine(store, registry)
    january = Period.parse("2022M01")
    persons = Indicator.of("personer", dims={"ydelse": "kontanthjælp"})
    ftp = Indicator.of("fuldtidspersoner", dims={"ydelse": "kontanthjælp"})
    assert [engine.value(persons, area, january).value for area in ("167", "101", "1084", "1082", "000")] == [
        1, 1, 1, 5, 6]
    assert engine.value(ftp, "1084", january).value == pytest.approx(1.0)
    assert engine.value(ftp, "000", january).value == pytest.approx(6.0)


def test_the_same_file_imported_the_same_way_is_already_imported_and_another_way_is_not(tmp_path, store, registry):
    from maaltal.store import AlreadyImportedError

    path = write(tmp_path / "herning_fake.csv", herning_foertidspension())
    first = spell_import.import_file(store, path, registry, PSEUDONYMS)
    assert first.snapshot.note == ("3817 forløb, 2019M12..2020M12; diskretion under 5; "
                                   "aldersgrænser 18,30,40,50,60")
    with pytest.raises(AlreadyImportedError, match=f"allerede indlæst som øjebliksbillede {first.snapshot.id}"):
        spell_import.import_file(store, path, registry, PSEUDONYMS)
    other = spell_import.import_file(store, path, registry, PSEUDONYMS, threshold=3)  # other figures: imported
    later = spell_import.import_file(store, path, registry, PSEUDONYMS, months=PeriodRange.parse("2020M01..2020M12"))
    assert [s.id for s in store.snapshots()] == [first.snapshot.id, other.snapshot.id, later.snapshot.id]
