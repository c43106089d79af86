import csv

import pytest

from maaltal.areas import NATION_ID, AreaKind, AreaRegistry
from maaltal.errors import InputError, UnknownAreaError


def test_master_data_matches_the_official_register(registry, shared_data):
    rows = list(csv.DictReader((shared_data / "municipalities.csv").open(encoding="utf-8")))
    assert len(rows) == 98
    municipalities = {a.id: a for a in registry.municipalities()}
    assert len(municipalities) == 98
    for row in rows:
        area = municipalities[row["kommunekode"]]
        assert area.name == row["navn"] == row["jobindsats_area"]
        assert area.region == row["regionskode"]
        assert registry.get(area.rar).name == row["rar_2015_2024"]
        assert registry.get(row["dst_en_name"]).id == area.id


def test_regions_match_dawa(registry, shared_data):
    import json
    regions = json.loads((shared_data / "dawa_regioner.json").read_text(encoding="utf-8"))
    assert {r["kode"]: r["navn"] for r in regions} == {a.id: a.name for a in registry.of_kind("region")}


def test_identifiers_and_names(registry):
    assert registry.get("167").name == "Hvidovre"
    assert registry.get("hvidovre").id == "167"
    assert registry.get("1084").name == "Region Hovedstaden"
    assert registry.get("084").id == "1084"               # StatBank's region code
    assert registry.get("Region Hovedstaden").id == "1084"
    assert registry.get("000").name == "Hele landet"
    assert registry.get("All Denmark").id == NATION_ID
    assert registry.get("rar:vestjylland").name == "RAR Vestjylland"
    assert registry.get("RAR Østjylland").id == "rar:oestjylland"
    assert registry.get("Copenhagen").id == "101"


def test_aggregates_partition_the_nation(registry):
    nation = set(registry.members("000"))
    assert len(nation) == 98
    regions = [set(r.members) for r in registry.of_kind(AreaKind.REGION)]
    assert sum(len(r) for r in regions) == 98 and set().union(*regions) == nation
    rars = [set(r.members) for r in registry.of_kind(AreaKind.RAR)]
    assert sum(len(r) for r in rars) == 98 and len(rars) == 8


def test_shipped_groups_from_the_seeds(registry):
    vestegnen = registry.get("group:vestegnen")
    assert sorted(registry.get(m).name for m in vestegnen.members) == [
        "Albertslund", "Brøndby", "Glostrup", "Hvidovre", "Høje-Taastrup", "Ishøj", "Rødovre", "Vallensbæk"]
    assert len(registry.get("group:slagelse-klynge").members) == 15
    assert "330" not in registry.get("group:slagelse-klynge").members
    assert len(registry.get("group:sagsantal-hovedstaden").members) == 9


def test_standard_benchmarks(registry):
    assert registry.benchmarks("Herning") == ["1082", "rar:vestjylland", "000"]


def test_the_benchmark_rule_is_answered_one_way(registry, store):
    """One answer to "which areas does a municipality compare with": the overview, the report and the
    explorer all ask the registry. RAR Hovedstaden is Region Hovedstaden give or take Bornholm, so Hvidovre
    is not shown beside it; a region or a group is compared with the nation; extra areas come last, once."""
    from maaltal.measures import KeyFigureEngine
    from maaltal.measures import overview as overview_builder
    from maaltal.periods import Period
    from maaltal.sources import observations_csv
    from tests.conftest import TEST_DATA

    assert registry.benchmarks("Hvidovre") == ["1084", "000"]
    assert registry.benchmarks("Hvidovre", ["group:vestegnen", "000"]) == ["1084", "000", "group:vestegnen"]
    assert registry.benchmarks("1084") == ["000"] and registry.benchmarks("000") == []
    observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    engine = KeyFigureEngine(store, registry)
    built = overview_builder.build(engine, [], "Herning", Period.parse("2022M06"))
    assert built.benchmarks == ("1082", "rar:vestjylland", "000")


def test_unknown_area_suggests_the_closest(registry):
    with pytest.raises(UnknownAreaError, match="Hvidovre"):
        registry.get("Hvidovr")
    with pytest.raises(UnknownAreaError, match="Ukendt område 'Atlantis'"):
        registry.get("Atlantis")


def test_user_groups_file(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("groups:\n  nordsjaelland:\n    name: Nordsjælland\n    members: [Gribskov, Halsnæs, 219]\n",
                    encoding="utf-8")
    registry = AreaRegistry.default(path)
    assert registry.get("group:nordsjaelland").members == ("270", "260", "219")
    assert "group:vestegnen" in registry


def test_bad_group_member_names_file_and_line(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("groups:\n  test:\n    members:\n      - Gribskov\n      - Gondor\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        AreaRegistry.default(path)
    assert info.value.location.row == 5
    assert info.value.location.column == "groups.test.members.1"
    assert "Gondor" in str(info.value) and str(path) in str(info.value)
