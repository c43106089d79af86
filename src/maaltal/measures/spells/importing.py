"""A spell import with its figures: the source reads and writes the spells, this layer computes from them.

:func:`maaltal.sources.spells.import_file` checks the file and writes the spells and their figures as one
snapshot, but sources sit below measures, so the computation of full-time persons, persons and durations
is handed to it from here (:func:`figure_maker`). :func:`import_file` is the whole import in one call,
for the command line, the importer registry's callers and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from maaltal import privacy
from maaltal.areas import AreaRegistry
from maaltal.measures.spells import compute, figures
from maaltal.periods import PeriodRange
from maaltal.sources import spell_reader
from maaltal.sources import spells as spell_source
from maaltal.store import Store


def figure_maker(registry: AreaRegistry, *, threshold: int = privacy.DEFAULT_THRESHOLD,
                 aggregate: bool = False) -> spell_source.FigureMaker:
    """The computation a spell import writes beside the spells; the threshold is checked at once, before
    any file is read. ``aggregate`` adds the regions and the nation, for an extract of the whole country."""
    privacy.check_threshold(threshold)
    return _FigureMaker(threshold, compute.regions_of(registry) if aggregate else None)


@dataclass(frozen=True)
class _FigureMaker:
    threshold: int
    regions: Mapping[str, str] | None

    @property
    def settings(self) -> str:
        return f"diskretion under {self.threshold}" + ("; regioner og hele landet" if self.regions else "")

    def __call__(self, con: duckdb.DuckDBPyConnection, spells: spell_reader.Spells,
                 months: PeriodRange) -> figures.SpellFigures:
        return compute.from_table(con, spells.table, months, spells.dimensions, self.threshold, self.regions)


def import_file(store: Store, path: str | Path, registry: AreaRegistry,
                pseudonymizer: privacy.Pseudonymizer | None, *, months: PeriodRange | None = None,
                threshold: int = privacy.DEFAULT_THRESHOLD, age_limits: Sequence[int] = spell_source.DEFAULT_AGE_LIMITS,
                aggregate: bool = False, progress: Callable[[int], None] | None = None,
                columns: Mapping[str, str] | None = None) -> spell_source.SpellImportResult:
    """Validate the file, compute the figures, and write both as one snapshot; on any error nothing."""
    return spell_source.import_file(store, path, registry, pseudonymizer,
                                    figure_maker(registry, threshold=threshold, aggregate=aggregate),
                                    months=months, age_limits=age_limits, progress=progress, columns=columns)
