"""Benefit spells from the case system: one row per spell, in CSV or Parquet, turned into monthly figures.

A row names a person (a CPR number or the case system's own id), a benefit group, a start date, an end
date (empty while the spell is open), the municipality, a birth date or an age, and optionally sex and
visitation category. The whole file is checked first; every error names file, row and column, with any
CPR number masked. CPR numbers are replaced by keyed pseudonyms (:mod:`maaltal.privacy`) before anything
else happens to them, and a file with CPR numbers is refused when there is no key. The pseudonymised
spells are kept in the store's ``spells`` table with the snapshot of their import, so the figures can be
recomputed (other months, another engine) without the original file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from maaltal import privacy
from maaltal.areas import AreaRegistry
from maaltal.periods import PeriodRange
from maaltal.sources import spell_reader
from maaltal.sources.spell_reader import DEFAULT_AGE_LIMITS, Spells
from maaltal.store import Snapshot, Store

log = logging.getLogger(__name__)

SOURCE = "spells"
SPELLS_TABLE = """
CREATE TABLE IF NOT EXISTS spells (
    snapshot_id INTEGER NOT NULL,
    person VARCHAR NOT NULL,
    kommune VARCHAR NOT NULL,
    ydelse VARCHAR NOT NULL,
    alder VARCHAR NOT NULL,
    koen VARCHAR,
    visitation VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE
)
"""
PROGRESS_ROWS = 200_000


def read(path: str | Path, registry: AreaRegistry, pseudonymizer: privacy.Pseudonymizer | None, *,
         age_limits: Sequence[int] = DEFAULT_AGE_LIMITS, columns: Mapping[str, str] | None = None,
         progress: Callable[[int], None] | None = None) -> Spells:
    """Read and check the whole file (:mod:`maaltal.sources.spell_reader`); raise :class:`InputErrors` with
    the problems, personal data masked. ``columns`` maps fields to the extract's own column names."""
    return spell_reader.read(path, registry, pseudonymizer, age_limits=age_limits, columns=columns,
                             progress=progress)


def count_rows(path: str | Path) -> int:
    """The number of data rows, cheaply, to size a progress bar."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as f:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 0)


def write_spells(table: pa.Table) -> Callable[[duckdb.DuckDBPyConnection, int], None]:
    """The writer that puts the spells in the store within the snapshot's transaction."""
    def write(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> None:
        con.execute(SPELLS_TABLE)
        con.register("_spells_incoming", table)
        try:
            con.execute(f"INSERT INTO spells SELECT {snapshot_id}, * FROM _spells_incoming")
        finally:
            con.unregister("_spells_incoming")
    return write


@dataclass(frozen=True)
class ImportResult:
    snapshot: Snapshot
    spells: int
    months: PeriodRange
    suppressed: int


def import_file(store: Store, path: str | Path, registry: AreaRegistry,
                pseudonymizer: privacy.Pseudonymizer | None, *, months: PeriodRange | None = None,
                threshold: int = privacy.DEFAULT_THRESHOLD, age_limits: Sequence[int] = DEFAULT_AGE_LIMITS,
                aggregate: bool = False, progress: Callable[[int], None] | None = None,
                columns: Mapping[str, str] | None = None) -> ImportResult:
    """Validate the file, compute the figures, and write both as one snapshot; on any error nothing.

    ``aggregate`` adds the regions and the nation, for an extract that covers the whole country;
    ``columns`` maps maaltal's fields to the extract's own column names.
    """
    from maaltal.measures.spells import compute

    path = Path(path)
    privacy.check_threshold(threshold)
    spells = read(path, registry, pseudonymizer, age_limits=age_limits, columns=columns, progress=progress)
    span = months or spells.months
    regions = compute.regions_of(registry) if aggregate else None
    figures = compute.from_table(store.connection, spells.table, span, spells.dimensions, threshold, regions)
    snapshot = store.write_snapshot(figures.table, source=SOURCE, file=privacy.mask(path.name),
                                    sha256=spells.sha256, note=f"{spells.table.num_rows} forløb, {span}",
                                    also=write_spells(spells.table))
    log.info("Indlæst %d forløb som øjebliksbillede %d", spells.table.num_rows, snapshot.id)
    return ImportResult(snapshot, spells.table.num_rows, span, figures.suppressed)
