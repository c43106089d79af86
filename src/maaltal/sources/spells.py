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
from typing import Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from maaltal import privacy
from maaltal.areas import AreaRegistry
from maaltal.periods import PeriodRange
from maaltal.sources import spell_reader
from maaltal.sources.spell_reader import DEFAULT_AGE_LIMITS, Spells
from maaltal.store import AlreadyImportedError, Snapshot, Store, as_row_groups

log = logging.getLogger(__name__)

SOURCE = "spells"


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
    """The writer that puts the spells in the store within the snapshot's transaction, in row groups
    (:func:`maaltal.store.as_row_groups`)."""
    batches = as_row_groups(table)

    def write(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> None:
        con.register("_spells_incoming", batches)
        try:
            con.execute(f"INSERT INTO spells SELECT {snapshot_id}, * FROM _spells_incoming")
        finally:
            con.unregister("_spells_incoming")
    return write


@dataclass(frozen=True)
class SpellImportResult:
    snapshot: Snapshot
    spells: int
    months: PeriodRange
    suppressed: int
    notices: tuple[str, ...] = ()  # how the file was read (Windows-1252), for the user


class ComputedFigures(Protocol):
    """The figures computed from imported spells: what the snapshot holds beside the spells themselves,
    as one Arrow table in the store's observation schema."""

    table: pa.Table
    suppressed: int


class FigureMaker(Protocol):
    """The computation the measures layer hands to :func:`import_file`
    (:func:`maaltal.measures.spells.importing.figure_maker`), as sources sit below measures: (connection,
    spells, months) → figures, and in words what decides the figures besides the spells (the threshold,
    the regions), for the snapshot's note."""

    settings: str

    def __call__(self, con: duckdb.DuckDBPyConnection, spells: Spells, months: PeriodRange) -> ComputedFigures: ...


def _note(spells: int, span: PeriodRange, figures_of: FigureMaker, age_limits: Sequence[int],
          columns: Mapping[str, str] | None) -> str:
    """The snapshot's note: the spells, the months and everything else that decides the figures, so that
    the same file imported the same way is recognised, and imported another way (other months, another
    threshold, other age bands or columns) is not."""
    parts = [f"{spells} forløb, {span}", figures_of.settings, "aldersgrænser " + ",".join(map(str, age_limits))]
    if columns:
        parts.append("kolonner " + ", ".join(f"{field}={name}" for field, name in sorted(columns.items())))
    return "; ".join(parts)


def import_file(store: Store, path: str | Path, registry: AreaRegistry,
                pseudonymizer: privacy.Pseudonymizer | None, figures_of: FigureMaker, *,
                months: PeriodRange | None = None, age_limits: Sequence[int] = DEFAULT_AGE_LIMITS,
                progress: Callable[[int], None] | None = None,
                columns: Mapping[str, str] | None = None) -> SpellImportResult:
    """Validate the file, compute the figures with ``figures_of``, and write both as one snapshot; on
    any error nothing. ``columns`` maps maaltal's fields to the extract's own column names."""
    path = Path(path)
    spells = read(path, registry, pseudonymizer, age_limits=age_limits, columns=columns, progress=progress)
    span = months or spells.months
    note = _note(spells.table.num_rows, span, figures_of, age_limits, columns)
    existing = store.imported(spells.sha256, SOURCE, note)
    if existing is not None:  # the same file made into the same figures: a second snapshot would repeat it
        raise AlreadyImportedError(existing, privacy.mask(path.name))
    figures = figures_of(store.connection, spells, span)
    snapshot = store.write_snapshot(figures.table, source=SOURCE, file=privacy.mask(path.name),
                                    sha256=spells.sha256, note=note, also=write_spells(spells.table))
    log.info("Indlæst %d forløb som øjebliksbillede %d", spells.table.num_rows, snapshot.id)
    return SpellImportResult(snapshot, spells.table.num_rows, span, figures.suppressed, spells.notices)
