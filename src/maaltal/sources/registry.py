"""The importers, one registry: each kind of input file with its Danish label, its file endings and one
way to run it, so that the command line and the dashboard dispatch the same way and cannot drift apart.
An importer's module is loaded when it runs (a spell import does not load the official tables' clients).

Every importer runs as ``importer.run(store, path, request)``: the :class:`ImportRequest` carries what a
kind may need beyond the file (the table of an official answer, the pseudonym key of spells, a progress
callback), and the answer is an :class:`Imported` with the snapshot written, the importer's own result
and a Danish summary of what else it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from maaltal import formatting as fmt
from maaltal import inputfile, privacy
from maaltal.areas import AreaRegistry
from maaltal.errors import MaaltalError
from maaltal.periods import PeriodRange
from maaltal.sources import spells
from maaltal.sources.progress import EVERY, Progress
from maaltal.store import AlreadyImportedError, Observation, Snapshot, Store, observation_schema, observation_table

if TYPE_CHECKING:
    from maaltal.sources import tables


@dataclass(frozen=True)
class SpellOptions:
    """What a spell import needs beyond the file: the key for CPR numbers and the figures to compute
    (:func:`maaltal.measures.spells.importing.figure_maker`, handed down as sources sit below measures)."""

    pseudonymizer: privacy.Pseudonymizer | None
    figures_of: spells.FigureMaker
    months: PeriodRange | None = None
    age_limits: Sequence[int] = spells.DEFAULT_AGE_LIMITS
    columns: Mapping[str, str] | None = None  # maaltal's fields → the extract's own column names


@dataclass(frozen=True)
class ImportRequest:
    """Everything an import may be given beside the store and the file; each kind reads what it needs."""

    registry: AreaRegistry
    table: str | None = None  # jobindsats and StatBank: the table's id
    mapping_file: Path | None = None  # jobindsats and StatBank: a user's own table mapping
    tableinfo: Path | None = None  # StatBank: the tableinfo that turns codes into labels
    spells: SpellOptions | None = None
    progress: Progress | None = None
    scope: tuple[str, ...] = ()  # the municipalities an analyst may import for (none: every area)
    accept_implausible: bool = False  # the analyst has seen the plausibility findings and accepts them
    implausible_hint: str = "Se tallene efter; er de rigtige, så indlæs igen med --accept-implausible."


@dataclass(frozen=True)
class Imported:
    """What an import wrote: the snapshot, the importer's own result, and a Danish summary of the rest."""

    snapshot: Snapshot
    result: Snapshot | tables.ImportResult | spells.SpellImportResult
    details: str = ""
    notices: tuple[str, ...] = ()  # what the user should know about how the file was read (its encoding)


class _CheckedStore(Store):
    """The store as an importer sees it: before a snapshot is written, the observations are checked against
    the analyst's scope and for plausibility (:mod:`maaltal.sources.plausibility`), whatever the importer.
    They are checked as a table, as the generic CSV gives them (a list is made one, as the store would)."""

    def __init__(self, store: Store, path: Path, request: ImportRequest) -> None:
        super().__init__(store.connection, store.path)
        self._file, self._request = path, request

    def write_snapshot(self, observations: Iterable[Observation] | pa.Table, **kwargs: Any) -> Snapshot:
        request = self._request
        if isinstance(observations, pa.Table) and request.spells is not None:  # the spells' own figures
            return super().write_snapshot(observations, **kwargs)
        from maaltal.sources import plausibility

        table = observations if isinstance(observations, pa.Table) else observation_table(observations)
        if request.scope:
            plausibility.check_scope(table, request.scope, request.registry, self._file)
        # figures of others' making are checked; those maaltal computes itself from the spells are not (a wild
        # average duration of a few ended spells says something about the extract, not a typo in a figure)
        if not request.accept_implausible and request.spells is None:
            plausibility.hold(self, table, request.registry, self._file, hint=request.implausible_hint)
        return super().write_snapshot(table.select(observation_schema().names), **kwargs)


@dataclass(frozen=True)
class Importer:
    kind: str
    label: str  # Danish, as a user picks the kind
    endings: tuple[str, ...]  # the file name endings it accepts, lower case
    needs_table: bool
    uploadable: bool  # offered for upload on the dashboard (spells are not: personal data stay off its disk)
    importer: Callable[[Store, Path, ImportRequest], Imported]

    def run(self, store: Store, path: Path, request: ImportRequest) -> Imported:
        """Import ``path`` as one snapshot, after the checks every import makes (scope, plausibility)."""
        return self.importer(_CheckedStore(store, Path(path), request), Path(path), request)


def _once(source_of: Callable[[ImportRequest], str], run: Callable[[Store, Path, ImportRequest], Imported]
          ) -> Callable[[Store, Path, ImportRequest], Imported]:
    """``run``, refused with :class:`AlreadyImportedError` when the same file (same SHA-256) was already
    imported from the same source, and with the file's encoding noted when it was not UTF-8."""

    def once(store: Store, path: Path, request: ImportRequest) -> Imported:
        existing = store.imported(inputfile.sha256(path), source_of(request))
        if existing is not None:
            raise AlreadyImportedError(existing, path)
        imported = run(store, path, request)
        note = _encoding_note(path)
        if note is None:
            return imported
        details = f"{imported.details}; {note}" if imported.details else note
        return Imported(imported.snapshot, imported.result, details, (*imported.notices, note))
    return once


def _encoding_note(path: Path) -> str | None:
    """What the summary says about the file's encoding, read a megabyte at a time (an upload may be 200 MB)."""
    try:
        return inputfile.CP1252_NOTE if inputfile.encoding_of(path) == inputfile.CP1252 else None
    except MaaltalError:  # a JSON answer the importer read in its own way
        return None


def _observations(store: Store, path: Path, request: ImportRequest) -> Imported:
    from maaltal.sources import observations_csv

    snapshot = observations_csv.import_file(store, path, request.registry, request.progress)
    return Imported(snapshot, snapshot)


def _table_details(result: tables.ImportResult) -> str:
    text = f"tabel {result.table} ({result.title}), {fmt.number(result.suppressed)} diskretionerede"
    if result.skipped_areas:
        text += (f", {fmt.number(sum(result.skipped_areas.values()))} rækker for områder uden for maaltal "
                 "sprunget over")
    return text


def _table(request: ImportRequest) -> str:
    if not request.table:
        raise MaaltalError("Skriv tabellens id (fx Y01A02 eller AUK01) for et svar fra jobindsats eller StatBank")
    return request.table


def _jobindsats(store: Store, path: Path, request: ImportRequest) -> Imported:
    from maaltal.sources.jobindsats import importer as jobindsats_importer

    result = jobindsats_importer.import_file(store, path, table=_table(request), registry=request.registry,
                                             mapping_file=request.mapping_file, progress=request.progress)
    return Imported(result.snapshot, result, _table_details(result))


def _statbank(store: Store, path: Path, request: ImportRequest) -> Imported:
    from maaltal.sources import statbank

    result = statbank.import_file(store, path, table=_table(request), registry=request.registry,
                                  tableinfo=request.tableinfo, mapping_file=request.mapping_file,
                                  progress=request.progress)
    return Imported(result.snapshot, result, _table_details(result))


def _spells(store: Store, path: Path, request: ImportRequest) -> Imported:
    options = request.spells
    if options is None:
        raise MaaltalError("Forløb indlæses med maaltal import spells, som har nøglen til pseudonymisering")
    result = spells.import_file(store, path, request.registry, options.pseudonymizer, options.figures_of,
                                months=options.months, age_limits=options.age_limits,
                                progress=_row_counter(path, request.progress), columns=options.columns)
    return Imported(result.snapshot, result,
                    "; ".join((f"{fmt.number(result.spells)} forløb, {fmt.number(result.suppressed)} tal skjult af "
                               "diskretion", *result.notices)), result.notices)


def _row_counter(path: Path, progress: Progress | None) -> Callable[[int], None] | None:
    """The spell reader's row-by-row advance as the common (done, total) callback."""
    if progress is None:
        return None
    total = spells.count_rows(path) if path.is_file() else None
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if done % EVERY == 0 or done == total:
            progress(done, total)
    return advance


def _observations_source() -> str:
    from maaltal.sources import observations_csv

    return observations_csv.SOURCE


def _jobindsats_source(request: ImportRequest) -> str:
    from maaltal.sources import tables
    from maaltal.sources.jobindsats import importer as jobindsats_importer

    return tables.source_of(jobindsats_importer.mapping_for(_table(request), request.mapping_file))


def _statbank_source(request: ImportRequest) -> str:
    from maaltal.sources import statbank, tables

    return tables.source_of(statbank.mapping_for(_table(request), request.mapping_file))


IMPORTERS: dict[str, Importer] = {i.kind: i for i in (
    Importer("observations", "observationsfil (generisk CSV)", (".csv",), False, True,
             _once(lambda _: _observations_source(), _observations)),
    Importer("jobindsats", "svar fra jobindsats (v2 JSON eller CSV, v3 JSON, JSON-linjer)",
             (".json", ".jsonl", ".csv"), True, True,
             _once(_jobindsats_source, _jobindsats)),
    Importer("statbank", "svar fra Danmarks Statistiks StatBank (BULK, CSV med tekster eller matrix)",
             (".csv", ".txt"), True, True,
             _once(_statbank_source, _statbank)),
    Importer("spells", "forløb fra sagssystemet (CSV eller Parquet)", (".csv", ".parquet"), False, False, _spells),
)}


def importer(kind: str) -> Importer:
    """The importer of a kind; an unknown kind is a Danish error naming the known ones."""
    found = IMPORTERS.get(kind)
    if found is None:
        raise MaaltalError(f"Ukendt kilde '{kind}'; vælg {', '.join(IMPORTERS)}")
    return found


def uploadable() -> list[Importer]:
    """The kinds the dashboard offers for upload, in the registry's order."""
    return [i for i in IMPORTERS.values() if i.uploadable]
