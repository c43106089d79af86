"""Where the spell figures are computed from: a freshly read file, or the spells kept in the store.

Spells in the store belong to the snapshot of their import; a recomputation uses the newest import's
spells, on DuckDB inside the store or on Spark after an export to Parquet.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from maaltal import privacy
from maaltal.areas import AreaRegistry
from maaltal.errors import NoDataError
from maaltal.measures.spells import engines, figures, sql
from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Store

ENGINES = ("duckdb", "spark")


def regions_of(registry: AreaRegistry) -> dict[str, str]:
    """Municipality code → region id: the mapping the regional and national aggregates group by."""
    return {area.id: area.region for area in registry.municipalities() if area.region}


def from_table(con: duckdb.DuckDBPyConnection, table: pa.Table, months: PeriodRange, dimensions: Sequence[str],
               threshold: int = privacy.DEFAULT_THRESHOLD, regions: Mapping[str, str] | None = None,
               ) -> figures.SpellFigures:
    """The figures of spells held in memory (an import before it is written), on DuckDB.

    The engine sees the text columns as small integer codes (the labels go back on in the observations):
    DuckDB groups, joins and sorts integers in two thirds of the time, and a person only has to be told
    apart from the others. The municipality stays text when the regions are computed (they join on it).
    """
    coded, labels = _coded(table, ("person", "ydelse", "alder", "koen", *(() if regions else ("kommune",))))
    con.register("_spells_new", coded)
    try:
        return figures.compute(engines.DuckDBEngine(con, "SELECT * FROM _spells_new"), sql.Months.of(months),
                               dimensions, threshold, regions, labels)
    finally:
        con.unregister("_spells_new")


def _coded(table: pa.Table, columns: Sequence[str]) -> tuple[pa.Table, dict[str, pa.Array]]:
    """``table`` with ``columns`` replaced by their dictionary codes, and each column's dictionary."""
    labels = {}
    for name in columns:
        encoded = pc.dictionary_encode(table.column(name)).combine_chunks()
        table = table.set_column(table.schema.get_field_index(name), name, encoded.indices)
        labels[name] = encoded.dictionary
    return table, labels


@dataclass(frozen=True)
class StoredSpells:
    """The newest imported spells: their snapshot, the query that reads them, their dimensions and months."""

    snapshot_id: int
    query: str
    dimensions: tuple[str, ...]
    months: PeriodRange


def stored(store: Store) -> StoredSpells:
    con = store.connection
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'spells'").fetchone()[0]
    row = con.execute("SELECT max(snapshot_id) FROM spells").fetchone() if has_table else (None,)
    if row[0] is None:
        raise NoDataError("Datalageret har ingen forløb; indlæs dem først (maaltal import spells FIL)")
    snapshot_id = row[0]
    query = f"SELECT {', '.join(sql.SPELL_COLUMNS)} FROM spells WHERE snapshot_id = {int(snapshot_id)}"
    first, last_start, last_end, with_sex = con.execute(
        f"SELECT min(start_date), max(start_date), max(end_date), count(koen) FROM ({query})").fetchone()
    last = max(d for d in (last_start, last_end) if d is not None)
    months = PeriodRange(Period(Freq.MONTH, first.year, first.month), Period(Freq.MONTH, last.year, last.month))
    return StoredSpells(snapshot_id, query, ("alder", "koen") if with_sex else ("alder",), months)


def from_store(store: Store, spells: StoredSpells, months: PeriodRange, *, engine: str = "duckdb",
               spark_master: str = "local[2]", staging: Path | None = None,
               threshold: int = privacy.DEFAULT_THRESHOLD, regions: Mapping[str, str] | None = None,
               ) -> figures.SpellFigures:
    """The figures of the stored spells, on the chosen engine.

    Spark reads the pseudonymised spells from a Parquet file in ``staging``: a folder every Spark executor
    can read (a shared disk for a cluster; a local temporary folder for ``local[*]``). It is removed after.
    """
    span = sql.Months.of(months)
    if engine == "duckdb":
        return figures.compute(engines.DuckDBEngine(store.connection, spells.query), span, spells.dimensions,
                               threshold, regions)
    with tempfile.TemporaryDirectory(prefix="maaltal-spells-", dir=staging) as folder:
        parquet = engines.export_parquet(store.connection, spells.query, Path(folder) / "spells.parquet")
        with engines.spark_session(spark_master) as session:
            return figures.compute(engines.SparkEngine(session, parquet), span, spells.dimensions, threshold,
                                   regions)
