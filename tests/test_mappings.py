"""The shipped mappings after the 2025 reform, and the mapping language's features they need: labour force
derived as count ÷ rate, age bands summed from single ages, subtotals that are not totals, the reform's
visitation groups; on real answers (y25i01, y25i09, y01c01, FOLK1AM) wherever one is recorded."""

import json

import pytest

from maaltal.errors import InputError, InputErrors
from maaltal.periods import Period
from maaltal.sources import statbank, table_mapping, tables
from maaltal.sources.jobindsats import importer
from tests.test_jobindsats import RECORDED, y30r21_rows


def convert(table, columns, rows, registry, source="jobindsats"):
    raw = tables.RawTable("svar.json", tuple(columns), rows, range(1, len(rows) + 1))
    return tables.convert(raw, table_mapping.mapping_for(source, table), registry)


def values(converted):
    return {(o.series, o.area, str(o.period), tuple(sorted(o.dims.items()))): o.value for o in converted.observations}


def test_y25i01_real_answer_gives_gross_unemployed_and_the_labour_force_derived_from_its_rate(store, registry):
    result = importer.import_file(store, RECORDED / "jobindsats_v3_y25i01_total.json", table="Y25I01",
                                  registry=registry)
    got = store.values("bruttoledige", ["000"], [Period.parse("2025M05")])
    assert got["000", Period.parse("2025M05")].value == 83555 and got["000", Period.parse("2025M05")].unit == \
        "fuldtidspersoner"
    force = store.values("arbejdsstyrke", ["000"], [Period.parse("2025M05"), Period.parse("2026M02")])
    assert force["000", Period.parse("2025M05")].value == round(83555 / 2.8 * 100)  # 2.984.107
    assert force["000", Period.parse("2026M02")].value == round(104318 / 3.4 * 100)
    assert store.values("ledige_personer", ["000"], [Period.parse("2026M06")])["000", Period.parse("2026M06")].value \
        == 110854
    assert result.observations == 14 * 3
    assert "arbejdsstyrke afledt af Y25I01" in result.snapshot.note  # the provenance says it is derived


def test_y25i09_real_answer_gives_the_long_term_unemployed(store, registry):
    importer.import_file(store, RECORDED / "jobindsats_v3_y25i09_total.json", table="Y25I09", registry=registry)
    june = Period.parse("2026M06")
    assert store.values("langtidsledige", ["000"], [june])["000", june].value == 19028
    assert store.values("langtidsledige_fuldtidspersoner", ["000"], [june])["000", june].value == 17346
    assert not store.has_series("ledige_personer")  # its gross unemployed are Y25I01's, not stored twice


def test_derived_series_only_from_total_rows_and_never_from_a_zero_or_hidden_rate(registry):
    columns = ["Periode", "Område", "Ydelsesgrupper", "Antal ledige fuldtidspersoner",
               "Ledige fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"]
    rows = [["2026M01", "Hvidovre", "Ydelsesgrupper i alt", 900, 3.0],
            ["2026M01", "Hvidovre", "A-dagpenge", 500, 1.7],
            ["2026M01", "Læsø", "Ydelsesgrupper i alt", 0, 0.0],
            ["2026M01", "Fanø", "Ydelsesgrupper i alt", None, None]]
    got = [o for o in convert("Y25I01", columns, rows, registry).observations if o.series == "arbejdsstyrke"]
    assert [(o.area, o.value, o.suppressed, dict(o.dims)) for o in got] == [
        ("167", 30000, False, {}), ("563", None, True, {})]


def test_y60a02_after_the_reform_keeps_the_series_names_and_reads_the_rate_dimension(registry):
    columns = ["Periode", "Område", "Visitationskategori", "Kontanthjælpssats", "Antal personer",
               "Antal fuldtidspersoner"]
    rows = [["2025M09", "Hvidovre", "Visitationskategori i alt", "Kontanthjælpssats i alt", 1500, 1300.5],
            ["2025M09", "Hvidovre", "Jobparat", "Kontanthjælpssats i alt", 400, 350],
            ["2025M09", "Hvidovre", "Aktivitetsparat", "Kontanthjælpssats i alt", 800, 700],
            ["2025M09", "Hvidovre", "Uddannelsesparat", "Kontanthjælpssats i alt", 300, 250.5],
            ["2025M09", "Hvidovre", "Visitationskategori i alt", "Ungesats", 350, 300]]
    got = values(convert("Y60A02", columns, rows, registry))

    def key(**dims):
        return "fuldtidspersoner", "167", "2025M09", tuple(sorted(dims.items()))

    assert got[key(ydelse="kontanthjælp")] == 1300.5
    assert got[key(ydelse="kontanthjælp jobparat")] == 350
    assert got[key(ydelse="kontanthjælp aktivitetsparat")] == 700
    assert got[key(ydelse="uddannelseshjælp")] == 250.5  # Y38A02's series, continued
    assert got[key(ydelse="kontanthjælp", sats="ungesats")] == 300


def test_activation_real_answer_keeps_subtotals_and_reads_a_repeated_leaf_once(store, registry):
    result = importer.import_file(store, RECORDED / "jobindsats_v3_y01c01.json", table="Y01C01", registry=registry)
    doc = json.loads((RECORDED / "jobindsats_v3_y01c01.json").read_text(encoding="utf-8"))
    distinct = {tuple(r[:4]) for r in doc["rows"]}
    assert result.rows == 90 and result.observations == 2 * len(distinct) == 156
    june = Period.parse("2026M06")
    real = {r[3]: r for r in doc["rows"] if r[0] == "2026M06"}
    for label, dims in (("Tilbud i alt", {"ydelse": "a-dagpenge"}),
                        ("Virksomhedspraktik i alt", {"ydelse": "a-dagpenge", "tilbud": "virksomhedspraktik i alt"}),
                        ("Privat virksomhedspraktik", {"ydelse": "a-dagpenge", "tilbud": "privat virksomhedspraktik"})):
        assert store.values("aktiverede", ["000"], [june], dims)["000", june].value == real[label][4]
        assert store.values("fuldtidsaktiverede", ["000"], [june], dims)["000", june].value == real[label][5]


def test_a_repeated_row_with_another_value_is_still_refused(registry):
    columns = ["Periode", "Område", "Tilbud", "Antal aktiverede"]
    rows = [["2026M06", "Hvidovre", "Privat virksomhedspraktik", 40],
            ["2026M06", "Hvidovre", "Privat virksomhedspraktik", 41]]
    with pytest.raises(InputErrors, match="række 2: samme observation .aktiverede. står også i række 1"):
        convert("PTVC02", columns, rows, registry)


def test_folk1am_single_ages_are_summed_into_the_key_figures_bands(registry):
    columns = ["OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"]
    rows = [["Hvidovre", "Total", "Age, total", "2026M02", 54000]]
    rows += [["Hvidovre", "Total", f"{age} years", "2026M02", 700 + age] for age in range(16, 67)]
    rows += [["Læsø", "Total", f"{age} years", "2026M02", 20] for age in range(18, 30)]
    got = values(convert("FOLK1AM", columns, rows, registry, "statbank"))
    assert got["befolkning", "167", "2026M02", (("alder", "16-66"),)] == sum(700 + a for a in range(16, 67))
    assert got["befolkning", "167", "2026M02", (("alder", "18-29"),)] == sum(700 + a for a in range(18, 30))
    assert got["befolkning", "167", "2026M02", ()] == 54000
    assert got["befolkning", "825", "2026M02", (("alder", "18-29"),)] == 240
    assert ("befolkning", "825", "2026M02", (("alder", "16-66"),)) not in got  # ages 16-17, 30-66 missing
    assert not any(dict(k[3]).get("alder") not in (None, "16-66", "18-29") for k in got)  # single ages not kept


def test_jobindsats_age_bands_tile_the_young_and_a_hidden_part_hides_the_band(registry):
    columns = ["Periode", "Område", "Alder", "Antal fuldtidspersoner"]
    rows = [["2026M01", "Hvidovre", "18-24 år", 300], ["2026M01", "Hvidovre", "25-29 år", 250],
            ["2026M01", "Hvidovre", "60 år og derover", 900],
            ["2026M01", "Læsø", "18-24 år", None], ["2026M01", "Læsø", "25-29 år", 6]]
    converted = convert("PTVA02", columns, rows, registry)
    got = {(o.area, o.dims.get("alder")): (o.value, o.suppressed) for o in converted.observations}
    assert got["167", "18-29"] == (550, False) and got["167", "18-24"] == (300, False)  # bands kept too
    assert got["167", "60+"] == (900, False)
    assert got["825", "18-29"] == (None, True)


def test_a_range_that_is_not_an_age_band_is_refused_with_its_place(tmp_path):
    path = tmp_path / "egen.yaml"
    path.write_text("tables:\n  FOLK1AM:\n    measure: {series: befolkning, unit: personer}\n    dimensions:\n"
                    "      ALDER: {name: alder, ranges: [unge]}\n", encoding="utf-8")
    with pytest.raises(InputError, match="'unge' er ikke et aldersinterval"):
        statbank.mapping_for("FOLK1AM", path)


def test_y30r21_mapping_covers_every_column_of_the_real_file(shared_data):
    mapping = table_mapping.mapping_for("jobindsats", "Y30R21")
    columns = [c for c in y30r21_rows(shared_data)[0] if c not in ("Area", "Periode", "Ydelsesgrupper")]
    assert all(mapping.measure_for(c)[1] is not None for c in columns)
    assert {mapping.measure_for(c)[1].unit for c in columns} == {"fuldtidspersoner", "pct.", "procentpoint",
                                                                 "placering"}


def test_every_table_of_the_standard_fetch_is_mapped():
    from maaltal.sources import standard
    for request in standard.load():
        assert table_mapping.mapping_for(request.source, request.table).table == request.table

