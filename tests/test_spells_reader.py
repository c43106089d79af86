"""The vectorised spell reader: the row-wise importer's observations, messages and row numbers, column
mappings for the case systems' extracts, and weekly rows read as spells."""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import pytest

from maaltal import inputfile, privacy
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.measures.spells import importing as spell_import
from maaltal.periods import PeriodRange
from maaltal.sources import spell_reader
from maaltal.sources import spells as spell_source
from maaltal.store import Store
from tests.spells_helpers import KEY, VARIED_HEADER, fake_cpr, spell, varied_extract, write

PSEUDONYMS = privacy.Pseudonymizer(KEY.encode())
REFERENCE = Path(__file__).parent / "data" / "spells_reference_observations.csv.gz"
EXAMPLES = Path(__file__).parents[1] / "examples" / "spells"


def test_the_vectorised_import_gives_the_row_wise_importers_observations(tmp_path, registry):
    """The fixture holds every observation the row-wise importer (before the vectorised reader, commit 86d904f)
    wrote for ``varied_extract(2000)`` as a ``;``-separated file, months 2020M01..2020M12: compared one by one."""
    path = write(tmp_path / "varied_fake.csv", varied_extract(2000), header=VARIED_HEADER, delimiter=";")
    with Store.memory() as store:
        result = spell_import.import_file(store, path, registry, PSEUDONYMS,
                                          months=PeriodRange.parse("2020M01..2020M12"))
        rows = store.connection.execute(
            "SELECT series, area, period, value, unit, dims, suppressed FROM observations ORDER BY ALL").fetchall()
    assert result.spells == 2000
    got = [(s, a, p, "" if v is None else repr(v), u, d, str(int(x))) for s, a, p, v, u, d, x in rows]
    with gzip.open(REFERENCE, "rt", encoding="utf-8", newline="") as f:
        expected = _with_secondary_suppression([tuple(r) for r in list(csv.reader(f))[1:]])
    assert len(got) == len(expected) == 12096
    assert sorted(got) == expected


def _with_secondary_suppression(rows: list[tuple]) -> list[tuple]:
    """The row-wise importer's observations with the secondary suppression added after it (the one rule that
    changed what is written: a hidden part is not left recoverable from its total and the other parts)."""
    import pyarrow as pa

    from maaltal.measures.spells.figures import with_secondary_suppression

    columns = list(zip(*rows, strict=True))
    table = with_secondary_suppression(pa.table({
        "series": columns[0], "area": columns[1], "period": columns[2],
        "value": pa.array([float(v) if v else None for v in columns[3]], pa.float64()),
        "unit": columns[4], "dims": columns[5], "suppressed": pa.array([x == "1" for x in columns[6]])}))
    return sorted((s, a, p, "" if v is None else repr(v), u, d, str(int(x)))
                  for s, a, p, v, u, d, x in zip(*(table.column(c).to_pylist() for c in
                                                   ("series", "area", "period", "value", "unit", "dims",
                                                    "suppressed")), strict=True))


def test_batch_pseudonyms_are_the_single_ones():
    persons = [fake_cpr(i).replace("-", "") for i in range(50)] + ["sag-17", "æøå", "x" * 200]
    assert PSEUDONYMS.pseudonyms(persons).to_pylist() == [PSEUDONYMS.pseudonym(p) for p in persons]
    long_key = privacy.Pseudonymizer(b"k" * 100)
    assert long_key.pseudonyms(["0101001234"]).to_pylist() == [long_key.pseudonym("010100-1234")]
    assert PSEUDONYMS.pseudonyms([]).to_pylist() == []


def test_cpr_with_and_without_hyphen_and_padding_is_one_person(tmp_path, registry):
    rows = [spell(1, "a-dagpenge", "2022-01-01"), (f" {fake_cpr(1).replace('-', '')} ", "a-dagpenge",
                                                   "2022-02-01", "", "657", "1960-06-15", "K")]
    spells = spell_source.read(write(tmp_path / "h_fake.csv", rows), registry, PSEUDONYMS)
    assert set(spells.table.column("person").to_pylist()) == {PSEUDONYMS.pseudonym(fake_cpr(1))}


def test_row_numbers_count_blank_lines_and_rows_with_line_breaks(tmp_path, registry):
    good = ",".join(spell(0, "a-dagpenge", "2022-01-01", "", "167"))
    text = f"cpr,ydelse,start,slut,kommune,fødselsdato,køn\n{good}\n\n,,,,,,\n\"{fake_cpr(2)}\",\"a-\ndagpenge\"," \
           f"2022-01-01,,167,1960-01-01,K\n{fake_cpr(3)},a-dagpenge,2022-01-01,,Gondor,1960-01-01,K\n"
    path = tmp_path / "rows_fake.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS)
    (error,) = info.value.errors
    assert (error.location.row, error.location.column) == (6, "kommune")


def test_rows_with_the_wrong_number_of_fields_are_named(tmp_path, registry):
    good = ",".join(spell(0, "a-dagpenge", "2022-01-01", "", "167"))
    path = tmp_path / "fields_fake.csv"
    path.write_text(f"cpr,ydelse,start,slut,kommune,fødselsdato,køn\n{good}\n{good},x\n   \n{good}\n"
                    f"{fake_cpr(1)},a-dagpenge,2022-13-01,,167,1960-01-01,K\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS)
    assert [(e.location.row, e.location.column) for e in info.value.errors] == [(3, None), (6, "start")]
    assert "andet antal felter end overskriften (7)" in str(info.value)


def test_errors_stop_after_the_row_that_reaches_fifty(tmp_path, registry):
    bad = [spell(i, "", "2022-01-01", "", "Gondor") for i in range(40)]
    path = write(tmp_path / "many_fake.csv", bad)
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS)
    rows = [e.location.row for e in info.value.errors]
    assert len(rows) == 50 and rows == sorted(rows) and rows[-1] == 26
    assert str(info.value).startswith("80 fejl i input")  # every row's two errors, not only the fifty worded
    assert [e.location.column for e in info.value.errors[:2]] == ["ydelse", "kommune"]


def test_cpr_without_a_key_is_refused_at_its_row_after_earlier_errors(tmp_path, registry):
    rows = [("sag-1", "a-dagpenge", "2022-13-01", "", "167", "1960-01-01", "K"), spell(7, "a-dagpenge", "2022-01-01")]
    with pytest.raises(InputError) as info:
        spell_source.read(write(tmp_path / "nokey_fake.csv", rows), registry, None)
    assert info.value.location.row == 3 and "pseudonymnøgle" in str(info.value)
    assert fake_cpr(7) not in str(info.value)


def test_not_utf8_names_the_byte_and_row(tmp_path, registry):
    """A file neither UTF-8 nor plainly Danish Windows-1252 (ß but no æ, ø, å) is refused at its first bad byte.
    (Until the reader took Windows-1252, this test's file held "kontanthjælp" in Latin-1, which is now read.)"""
    path = tmp_path / "latin1_fake.csv"
    path.write_bytes("cpr,ydelse,start,slut,kommune,alder\nsag-1,Straße,2022-01-01,,167,40\n".encode("latin-1"))
    with pytest.raises(InputError, match="ikke UTF-8") as info:
        spell_source.read(path, registry, None)
    assert info.value.location.row == 2
    assert str(info.value) == (f"fil {path}, række 2: filen er ikke UTF-8 (byte 46), og tegnsættet kan ikke afgøres "
                               "sikkert; gem den i Excel som »CSV UTF-8 (kommasepareret)« og prøv igen")
    header = tmp_path / "header_fake.csv"
    header.write_bytes("cpr,ydelse,start,slut,kommune,alder\x9d\nsag-1,x,2022-01-01,,167,40\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"ikke UTF-8 \(byte 35\)") as info:
        spell_source.read(header, registry, None)
    assert info.value.location.row == 1


def test_an_excel_semicolon_csv_in_windows_1252_is_read_as_its_utf8_twin(tmp_path, registry):
    """Excel's "CSV (semikolonsepareret)" on a Danish Windows: the same spells as the UTF-8 file, with the notice."""
    rows = [spell(i, "kontanthjælp", "2022-01-03", "2022-03-31" if i % 2 else "", "Høje-Taastrup") for i in range(30)]
    rows.append(("sag-ø", "Førtidspension", "03-01-2022", "", "København", "01.02.1970", "kvinde"))
    utf8 = write(tmp_path / "utf8_fake.csv", rows, delimiter=";")
    cp1252 = tmp_path / "cp1252_fake.csv"
    cp1252.write_bytes(utf8.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp1252"))
    expected, got = (spell_source.read(p, registry, PSEUDONYMS) for p in (utf8, cp1252))
    assert got.table.equals(expected.table) and got.table.num_rows == 31
    assert (expected.encoding, expected.notices) == ("utf-8", ())
    assert got.encoding == "cp1252" and got.notices == (inputfile.CP1252_NOTE,)
    assert got.sha256 != expected.sha256  # the file's own checksum, not the transcoded text's
    # a header without æ, ø, å: pyarrow finds the file is not UTF-8 in the rows, and the rule is applied then
    ascii_header = tmp_path / "ascii_header_fake.csv"
    ascii_header.write_bytes("person_id;ydelse;start;slut;kommune;alder\r\nsag-1;kontanthjælp;2022-01-01;;Høje-Taastrup;40"
                             "\r\n".encode("cp1252"))
    spells = spell_source.read(ascii_header, registry, None)
    assert spells.encoding == "cp1252" and spells.table.column("ydelse").to_pylist() == ["kontanthjælp"]


def test_the_cli_says_a_windows_1252_file_was_read_as_such(tmp_path, store_path):
    from typer.testing import CliRunner

    from maaltal.cli import app
    from tests.spells_helpers import key_file

    rows = [spell(i, "kontanthjælp", "2022-01-03", "", "Høje-Taastrup") for i in range(10)]
    path = tmp_path / "cp1252_fake.csv"
    path.write_bytes(write(tmp_path / "utf8_fake.csv", rows, delimiter=";").read_text(encoding="utf-8")
                     .encode("cp1252"))
    result = CliRunner().invoke(app, ["--store", str(store_path), "import", "spells", str(path),
                                      "--key-file", str(key_file(tmp_path)), "--threshold", "1"])
    assert result.exit_code == 0, result.output
    assert "Indlæst 10 forløb" in result.output
    assert f"Bemærk: {inputfile.CP1252_NOTE}." in " ".join(result.output.split())


def test_rows_in_windows_1252_keep_their_numbers_in_errors(tmp_path, registry):
    path = tmp_path / "cp1252_bad_fake.csv"
    path.write_bytes("cpr;ydelse;start;slut;kommune;fødselsdato\r\nsag-1;kontanthjælp;2022-01-01;;167;1960-01-01\r\n"
                     "\r\nsag-2;kontanthjælp;2022-02-30;;Gondor;1960-01-01\r\n".encode("cp1252"))
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS)
    assert [(e.location.row, e.location.column) for e in info.value.errors] == [(4, "start"), (4, "kommune")]


def test_the_error_count_is_every_error_in_the_file(tmp_path, registry):
    """The first fifty errors are worded; the count is of them all, from the checks' masks."""
    rows = [spell(i, "a-dagpenge", "2022-13-01") for i in range(199)]
    with pytest.raises(InputErrors) as info:
        spell_source.read(write(tmp_path / "dates_fake.csv", rows), registry, PSEUDONYMS)
    assert len(info.value.errors) == 50 and info.value.total == 199
    lines = str(info.value).splitlines()
    assert lines[0] == "199 fejl i input; intet er ændret:" and lines[-1] == "  … og 179 fejl mere"
    assert len(lines) == 22


def test_a_file_with_only_the_header_has_no_spells(tmp_path, registry):
    for text in ("person_id,ydelse,start,slut,kommune,alder\n", "person_id,ydelse,start,slut,kommune,alder\r\n\r\n"):
        path = tmp_path / "header_only.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as info:
            spell_source.read(path, registry, None)
        assert str(info.value) == f"fil {path}, række 2: filen har ingen forløb"


def test_a_file_that_is_not_parquet_or_is_cut_short_is_named_as_such(tmp_path, registry):
    import pyarrow as pa
    import pyarrow.parquet as pq

    not_parquet = tmp_path / "extract.parquet"
    not_parquet.write_text("person_id,ydelse,start,slut,kommune,alder\n", encoding="utf-8")
    with pytest.raises(InputError, match="filen er ikke en Parquet-fil, selv om navnet ender på .parquet"):
        spell_source.read(not_parquet, registry, None)
    whole = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"person_id": ["a"], "ydelse": ["x"]}), whole)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[:-20])
    with pytest.raises(InputError, match=r"Parquet-filen er ufuldstændig \(slutningen mangler\)"):
        spell_source.read(cut, registry, None)


def test_one_column_or_an_excel_workbook_is_one_plain_error(tmp_path, registry):
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("person_id\tydelse\tstart\tslut\tkommune\talder\na\tx\t2022-01-01\t\t167\t40\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        spell_source.read(tabs, registry, None)
    assert str(info.value) == (f"fil {tabs}, række 1: overskriften har kun én kolonne; kolonnerne skal være adskilt "
                               "med semikolon (;) eller komma (,) (filen ser ud til at bruge tabulator)")
    for name in ("udtræk.xlsx", "udtræk.csv"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
        with pytest.raises(InputError) as info:
            spell_source.read(path, registry, None)
        assert str(info.value) == (f"fil {path}: filen er en Excel-projektmappe, ikke en CSV-fil; gem den i Excel som "
                                   "»CSV UTF-8 (kommasepareret)« eller »CSV (semikolonsepareret)« og indlæs den fil")


def test_an_age_column_accepts_whole_years_only(tmp_path, registry):
    header = ("person_id", "ydelse", "start", "slut", "kommune", "alder")
    rows = [("a", "x", "2022-01-01", "", "167", "007"), ("b", "x", "2022-01-01", "", "167", "121"),
            ("c", "x", "2022-01-01", "", "167", "4.5"), ("d", "x", "2022-01-01", "", "167", "99999999999999999999")]
    with pytest.raises(InputErrors) as info:
        spell_source.read(write(tmp_path / "ages.csv", rows, header=header), registry, None)
    assert [e.location.row for e in info.value.errors] == [3, 4, 5]
    assert "'121' er ikke en alder i hele år (0-120)" in str(info.value)


# Column mappings and weekly rows ------------------------------------------------------------------------

def test_mapping_text_and_file(tmp_path):
    assert spell_reader.parse_mapping("ydelse=Ydelsesgruppe, start=IndsatsStartDato,cpr=PersonNr,køn=Kon") == {
        "ydelse": "Ydelsesgruppe", "start": "IndsatsStartDato", "person": "PersonNr", "koen": "Kon"}
    with pytest.raises(MaaltalError, match="Ukendt felt 'farve'"):
        spell_reader.parse_mapping("farve=Blå")
    with pytest.raises(MaaltalError, match="felt=kolonne"):
        spell_reader.parse_mapping("start")
    bad = tmp_path / "bad.yaml"
    bad.write_text("start: IndsatsStartDato\nfarve: Blå\n", encoding="utf-8")
    with pytest.raises(InputError, match="Ukendt felt") as info:
        spell_reader.load_mapping(bad)
    assert info.value.location.row == 2


def test_a_mapped_column_that_is_missing_is_named(tmp_path, registry):
    path = write(tmp_path / "m_fake.csv", [spell(1, "a-dagpenge", "2022-01-01")])
    with pytest.raises(InputErrors) as info:
        spell_source.read(path, registry, PSEUDONYMS, columns={"start": "IndsatsStartDato"})
    (error,) = info.value.errors
    assert (error.location.row, error.location.column) == (1, "IndsatsStartDato")


def test_the_sensum_example_reads_with_its_mapping(registry):
    mapping = spell_reader.load_mapping(EXAMPLES / "sensum.yaml")
    spells = spell_source.read(EXAMPLES / "sensum_fake.csv", registry, PSEUDONYMS, columns=mapping)
    first = spells.table.slice(0, 1).to_pylist()[0]
    assert first["kommune"] == "167" and first["start_date"] == date(2023, 1, 2)
    assert spells.dimensions == ("alder", "koen")
    assert not privacy.CPR_PATTERN.search(repr(spells.table.to_pylist()))


def test_kmd_weekly_rows_become_spells(registry):
    """Consecutive weeks of one person, benefit and municipality are one spell, Monday to Sunday."""
    mapping = spell_reader.load_mapping(EXAMPLES / "kmd.yaml")
    spells = spell_source.read(EXAMPLES / "kmd_uger_fake.csv", registry, PSEUDONYMS, columns=mapping)
    rows = {(r["person"], r["ydelse"], r["start_date"], r["end_date"]) for r in spells.table.to_pylist()}
    person = PSEUDONYMS.pseudonym("010100-0000")
    # weeks 1-4 of 2024, a gap in week 5, weeks 6-7 again; week 3 written twice counts once.
    assert (person, "a-dagpenge", date(2024, 1, 1), date(2024, 1, 28)) in rows
    assert (person, "a-dagpenge", date(2024, 2, 5), date(2024, 2, 18)) in rows
    assert len([r for r in rows if r[0] == person]) == 3


def test_weeks_are_iso_weeks(tmp_path, registry):
    header = ("person_id", "ydelse", "uge", "kommune", "alder")
    rows = [("a", "x", "2020-W53", "167", "40"), ("a", "x", "2021W01", "167", "40"),
            ("b", "x", "2021-U53", "167", "40")]
    with pytest.raises(InputErrors) as info:
        spell_source.read(write(tmp_path / "weeks.csv", rows, header=header), registry, None)
    (error,) = info.value.errors
    assert (error.location.row, error.location.column) == (4, "uge") and "er ikke en uge" in str(error)
    spells = spell_source.read(write(tmp_path / "weeks2.csv", rows[:2], header=header), registry, None)
    assert spells.table.select(["start_date", "end_date"]).to_pylist() == [
        {"start_date": date(2020, 12, 28), "end_date": date(2021, 1, 10)}]


def test_cli_reads_the_examples_with_a_mapping_file_and_with_columns(tmp_path, store_path):
    from typer.testing import CliRunner

    from maaltal.cli import app
    from tests.spells_helpers import key_file

    key = str(key_file(tmp_path))
    runner = CliRunner()
    weekly = runner.invoke(app, ["--store", str(store_path), "import", "spells", str(EXAMPLES / "kmd_uger_fake.csv"),
                                 "--columns-file", str(EXAMPLES / "kmd.yaml"), "--key-file", key, "--threshold", "1"])
    assert weekly.exit_code == 0, weekly.output
    assert "Indlæst 6 forløb" in weekly.output  # 3 + 2 (a move to 101) + 1 (over the new year)
    sensum = runner.invoke(app, ["--store", str(store_path), "import", "spells", str(EXAMPLES / "sensum_fake.csv"),
                                 "--columns", "cpr=PersonNr,ydelse=Ydelsesgruppe,start=IndsatsStartDato,"
                                 "slut=IndsatsSlutDato,kommune=OpholdsKommune,fødselsdato=Fødselsdag",
                                 "--key-file", key])
    assert sensum.exit_code == 0, sensum.output
    assert "Indlæst 5 forløb" in sensum.output
    unknown = runner.invoke(app, ["--store", str(store_path), "import", "spells", str(EXAMPLES / "sensum_fake.csv"),
                                  "--columns", "farve=Blå", "--key-file", key])
    assert unknown.exit_code != 0 and "Ukendt felt 'farve'" in str(unknown.exception)


def test_recomputing_from_the_store_gives_the_imports_observations(tmp_path, store, registry):
    """The import computes on integer codes of the spells in memory, ``compute ftp`` on the stored text."""
    from maaltal.measures.spells import compute

    path = write(tmp_path / "varied_fake.csv", varied_extract(600), header=VARIED_HEADER, delimiter=";")
    months = PeriodRange.parse("2020M01..2021M12")
    spell_import.import_file(store, path, registry, PSEUDONYMS, months=months, aggregate=True)
    stored = compute.stored(store)
    again = compute.from_store(store, stored, months, regions=compute.regions_of(registry))
    store.write_snapshot(again.table, source="spells:compute:duckdb")

    def observations(snapshot_id: int) -> list[tuple]:
        return store.connection.execute(
            "SELECT series, area, period, dims, value, suppressed FROM observations WHERE snapshot_id = ?"
            " ORDER BY ALL", [snapshot_id]).fetchall()
    first = observations(1)
    assert len(first) > 5000 and {area for _, area, *_ in first} >= {"167", "1084", "000"}
    assert observations(2) == first


def test_parquet_with_typed_dates_extra_columns_and_a_mapping(tmp_path, registry):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"PersonNr": [fake_cpr(1), fake_cpr(2)], "Ydelsesgruppe": ["A-dagpenge", "Sygedagpenge"],
                      "IndsatsStartDato": pa.array([date(2023, 1, 2), date(2023, 2, 1)], pa.date32()),
                      "IndsatsSlutDato": pa.array([None, date(2023, 3, 31)], pa.date32()),
                      "OpholdsKommune": [167, 657], "Alder": [41, 17], "Sagsbehandler": ["x", "y"]})
    pq.write_table(table, tmp_path / "sensum_fake.parquet")
    mapping = spell_reader.parse_mapping("ydelse=Ydelsesgruppe,start=IndsatsStartDato,slut=IndsatsSlutDato,"
                                         "kommune=OpholdsKommune,cpr=PersonNr")
    spells = spell_source.read(tmp_path / "sensum_fake.parquet", registry, PSEUDONYMS, columns=mapping)
    assert spells.table.select(["kommune", "ydelse", "alder", "start_date", "end_date"]).to_pylist() == [
        {"kommune": "167", "ydelse": "a-dagpenge", "alder": "40-49", "start_date": date(2023, 1, 2), "end_date": None},
        {"kommune": "657", "ydelse": "sygedagpenge", "alder": "under 18", "start_date": date(2023, 2, 1),
         "end_date": date(2023, 3, 31)}]


def test_cells_are_trimmed_of_every_character_python_counts_as_whitespace():
    """The reader's trim set, written out, is exactly what ``str.strip()`` removes (the row-wise importer's rule)."""
    import sys

    from maaltal.sources.spell_reader import _WHITESPACE

    assert set(_WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
