"""Fuzzing the spell importer: any input imports or raises maaltal's errors, never a traceback or half an import."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maaltal import privacy
from maaltal.areas import AreaRegistry
from maaltal.errors import MaaltalError
from maaltal.measures.spells import importing as spell_import
from maaltal.store import Store
from tests.spells_helpers import HEADER, KEY, fake_cpr, spell, write

PSEUDONYMS = privacy.Pseudonymizer(KEY.encode())
REGISTRY = AreaRegistry.default()

# Cells that are valid somewhere, plus anything at all.
cells = st.one_of(
    st.sampled_from(["", "2021-01-04", "31-12-2021", "2021-02-30", "01.06.2020", "167", "Hvidovre", "Gondor",
                     "a-dagpenge", "K", "m", "kvinde", "1980-05-05", "41", "-3", "..", fake_cpr(3),
                     fake_cpr(4).replace("-", ""), "\ufeff", "æøå", "1900-01-01", "9999-12-31"]),
    st.text(max_size=12),
)
headers = st.one_of(
    st.just(list(HEADER)),
    st.lists(st.sampled_from([*HEADER, "alder", "person_id", "visitation", "CPR", "", "x"]), min_size=1, max_size=9),
)


@st.composite
def spell_files(draw) -> bytes:
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, min_size=len(header) - 1, max_size=len(header) + 1), max_size=6))
    if draw(st.booleans()):
        rows.append(list(spell(draw(st.integers(0, 50)), "a-dagpenge", "2021-01-04", "", "167")))
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";"]))).writerows([header, *rows])
    data = out.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=40)) + data[draw(st.integers(0, len(data))):]
    return data


def _state(store: Store) -> tuple:
    con = store.connection
    return (store.latest_snapshot(), con.execute("SELECT count(*) FROM observations").fetchone(),
            con.execute("SELECT count(*) FROM spells").fetchone())


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=spell_files(), parquet=st.booleans())
def test_any_input_imports_or_fails_cleanly(data, parquet):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = Store.memory()
        spell_import.import_file(store, write(folder / "base_fake.csv", [spell(1, "sygedagpenge", "2021-03-01")]),
                                 REGISTRY, PSEUDONYMS)
        before = _state(store)
        path = folder / "fuzz_fake.csv"
        path.write_bytes(data)
        if parquet:
            path = _as_parquet(path, folder)
        try:
            result = spell_import.import_file(store, path, REGISTRY, PSEUDONYMS)
        except MaaltalError as exc:
            assert _state(store) == before
            assert not privacy.CPR_PATTERN.search(str(exc))
        else:
            assert result.snapshot.id == before[0].id + 1 and result.spells > 0
            stored = store.connection.execute("SELECT * FROM spells").fetchall()
            assert not privacy.CPR_PATTERN.search(repr(stored))
        finally:
            store.close()


def _as_parquet(path: Path, folder: Path) -> Path:
    """The same cells as a Parquet file of strings, when the CSV can be read as one (else the CSV itself)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(autogenerate_column_names=False),
                               convert_options=pacsv.ConvertOptions(column_types={}, strings_can_be_null=False))
    except (pa.ArrowException, ValueError):
        return path
    target = folder / "fuzz_fake.parquet"
    pq.write_table(table, target)
    return target
