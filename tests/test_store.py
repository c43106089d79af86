import pytest

from maaltal.periods import Period
from maaltal.store import Observation, Store

JUNE = Period.parse("2022M06")


def obs(value, area="167", series="bruttoledige", **dims):
    return Observation(series, area, JUNE, value, "personer", dims)


def test_snapshots_are_immutable_and_later_imports_revise(store):
    first = store.write_snapshot([obs(700), obs(26_000, series="arbejdsstyrke")], source="test")
    second = store.write_snapshot([obs(701)], source="test")   # a revision of one figure
    assert [s.id for s in store.snapshots()] == [first.id, second.id]
    assert store.values("bruttoledige", ["167"], [JUNE])["167", JUNE].value == 701
    assert store.values("bruttoledige", ["167"], [JUNE], snapshot=first.id)["167", JUNE].value == 700
    # a series the revision did not touch is still there in the newest snapshot
    assert store.values("arbejdsstyrke", ["167"], [JUNE])["167", JUNE].value == 26_000


def test_dimensions_select_exactly(store):
    store.write_snapshot([obs(10, series="ftp", ydelse="a-dagpenge"), obs(20, series="ftp", ydelse="i alt"),
                          obs(5, series="ftp", ydelse="i alt", alder="18-29")], source="test")
    assert store.values("ftp", ["167"], [JUNE], {"ydelse": "i alt"})["167", JUNE].value == 20
    assert store.values("ftp", ["167"], [JUNE], {"alder": "18-29", "ydelse": "i alt"})["167", JUNE].value == 5
    assert store.values("ftp", ["167"], [JUNE]) == {}


def test_suppressed_is_kept_as_suppressed_not_zero(store):
    store.write_snapshot([Observation("personer", "825", JUNE, None, "personer", {}, suppressed=True)],
                         source="test")
    value = store.values("personer", ["825"], [JUNE])["825", JUNE]
    assert value.suppressed and value.value is None


def test_a_failed_write_leaves_nothing(store):
    store.write_snapshot([obs(700)], source="test")

    def broken():
        yield obs(1)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.write_snapshot(broken(), source="test")
    assert len(store.snapshots()) == 1
    assert store.values("bruttoledige", ["167"], [JUNE])["167", JUNE].value == 700


def test_store_persists_in_its_file(store_path):
    with Store.open(store_path) as s:
        s.write_snapshot([obs(743)], source="test")
    with Store.open(store_path, read_only=True) as s:
        assert s.latest_snapshot().row_count == 1
        info = s.series()
        assert [(i.series, str(i.first), i.areas) for i in info] == [("bruttoledige", "2022M06", 1)]


def test_default_path_from_environment(monkeypatch, tmp_path):
    from maaltal.store import default_path
    monkeypatch.setenv("MAALTAL_STORE", str(tmp_path / "x.duckdb"))
    assert default_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("MAALTAL_STORE")
    assert str(default_path()) == "maaltal.duckdb"
