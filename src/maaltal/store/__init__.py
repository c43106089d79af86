"""The embedded store: observations in long form, written in immutable snapshots.

Every import is one snapshot, written in one transaction. The data "as of" snapshot *K* is, for each
observation key (series, area, period, dimensions), the value from the newest snapshot up to *K* that has
it: later imports revise earlier figures (jobindsats revises backwards), but nothing is ever overwritten,
so a report built on snapshot *K* can be rebuilt identically a year later.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from maaltal.errors import MaaltalError, NoDataError
from maaltal.periods import Freq, Period
from maaltal.store import schema
from maaltal.store.schema import STORAGE_VERSION
from maaltal.store.transaction import transaction

if TYPE_CHECKING:  # pyarrow (with numpy) loads when observations are written, not with the CLI's --help
    import pyarrow as pa

DEFAULT_STORE = "maaltal.duckdb"


def dims_key(dims: Mapping[str, str] | None) -> str:
    """The canonical text of a set of dimension values: the same set always gives the same key."""
    return json.dumps(dict(sorted((dims or {}).items())), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Observation:
    """One value of one series for one area, period and set of dimension values."""

    series: str
    area: str
    period: Period
    value: float | None
    unit: str
    dims: Mapping[str, str] = field(default_factory=dict)
    suppressed: bool = False


@dataclass(frozen=True)
class Snapshot:
    id: int
    created_at: datetime
    source: str
    file: str | None
    sha256: str | None
    row_count: int
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "created_at": str(self.created_at)}


class AlreadyImportedError(MaaltalError):
    """The very file (same SHA-256) was already imported from the same source: nothing new to write."""

    def __init__(self, snapshot: Snapshot, file: str | Path) -> None:
        self.snapshot = snapshot
        when = snapshot.created_at.strftime("%d.%m.%Y %H:%M")
        super().__init__(f"{file} er allerede indlæst som øjebliksbillede {snapshot.id} ({snapshot.source}, "
                         f"{when}); intet er skrevet")


@dataclass(frozen=True)
class SeriesInfo:
    """What the store holds of one series and set of dimension values."""

    series: str
    dims: dict[str, str]
    unit: str
    freq: str
    first: Period
    last: Period
    periods: int
    areas: int
    last_snapshot: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "first": str(self.first), "last": str(self.last)}


@dataclass(frozen=True)
class Coverage:
    """The coverage of one series, set of dimension values and frequency: the periods it has (as ordinals
    of its frequency), how many areas, how many of them lag its newest period, and where it came from."""

    series: str
    dims: dict[str, str]
    unit: str  # as the newest snapshot that brought the series states it
    freq: str
    ordinals: tuple[int, ...]  # the distinct periods with an observation, ascending
    areas: int
    areas_behind: int  # areas whose newest period is older than the series' newest
    last_snapshot: int
    sources: tuple[str, ...]
    source: str  # the source of the newest snapshot that brought observations of the series
    last_import: datetime

    @property
    def first(self) -> Period:
        return Period.from_ordinal(Freq(self.freq), self.ordinals[0])

    @property
    def last(self) -> Period:
        return Period.from_ordinal(Freq(self.freq), self.ordinals[-1])


_COVERAGE = """
WITH current AS (
    SELECT * FROM observations WHERE snapshot_id <= ?
    QUALIFY row_number() OVER (PARTITION BY series, area, period, dims ORDER BY snapshot_id DESC) = 1
), per_area AS (
    SELECT series, dims, freq, area, max(ordinal) AS last FROM current GROUP BY series, dims, freq, area
), behind AS (
    SELECT series, dims, freq, count(*) FILTER (WHERE last < newest) AS areas_behind
    FROM (SELECT *, max(last) OVER (PARTITION BY series, dims, freq) AS newest FROM per_area)
    GROUP BY series, dims, freq
)
SELECT c.series, c.dims, c.freq, arg_max(c.unit, c.snapshot_id), list(DISTINCT c.ordinal ORDER BY c.ordinal),
       count(DISTINCT c.area), max(c.snapshot_id), list(DISTINCT s.source ORDER BY s.source),
       arg_max(s.source, c.snapshot_id), max(s.created_at), any_value(b.areas_behind)
FROM current c JOIN snapshots s ON s.id = c.snapshot_id
JOIN behind b ON b.series = c.series AND b.dims = c.dims AND b.freq = c.freq
WHERE (? IS NULL OR c.series = ?) AND (? IS NULL OR s.source LIKE ? || '%')
GROUP BY c.series, c.dims, c.freq ORDER BY c.series, c.dims, c.freq
"""


def replica_path(path: Path) -> Path:
    """Where ``maaltal serve`` keeps a copy of the store for reading commands: DuckDB lets no other process
    open a file a process writes to, not even to read, so while the dashboard runs they read the copy."""
    return path.with_name(path.name + ".replica")


class StoreLocked(MaaltalError):
    """Another process (the dashboard, most often) holds the store file."""


def _locked(path: Path, exc: duckdb.Error, read_only: bool) -> StoreLocked:
    """DuckDB's lock error in Danish, saying who holds the store and what to do instead."""
    pid = re.search(r"PID (\d+)", str(exc))
    holder = f" (proces {pid.group(1)})" if pid else ""
    advice = ("Læsende kommandoer læser dashboardets kopi af datalageret, når maaltal serve har skrevet den; "
              "vent et øjeblik, og prøv igen" if read_only else
              "Indlæs data på dashboardets side 'Indlæs data' (/indlaes), eller stop maaltal serve og prøv igen")
    return StoreLocked(f"Datalageret {path} bruges af en anden proces{holder}, typisk maaltal serve, som holder "
                       f"det, mens dashboardet kører. {advice}.")


def _create(path: Path) -> None:
    """A new, empty store file in the storage format :data:`STORAGE_VERSION`, made apart and closed: DuckDB
    refuses a second connection to a file with a configuration other than the first's."""
    duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION}).close()


def default_path() -> Path:
    """``MAALTAL_STORE`` if set, else ``./maaltal.duckdb``."""
    return Path(os.environ.get("MAALTAL_STORE") or DEFAULT_STORE)


def _older(path: Path) -> bool:
    """Whether the file's schema is older than this code's (read without changing it)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False  # whoever holds it, the open below says so
    try:
        return schema.version_of(con) < schema.VERSION
    finally:
        con.close()


class Store:
    """A DuckDB file holding snapshots and observations. Open with :meth:`open`; use as a context manager."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self._con = connection
        self.path = path
        self._snapshots: dict[int, Snapshot] = {}
        self.replica = False  # read from the dashboard's copy, as the dashboard held the file itself

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False) -> Store:
        """Open the store file at ``path`` or :func:`default_path`.

        Written to, it is created if missing and migrated to this code's schema (:mod:`.schema`). Read-only,
        it is never created, so a reading command needs no write access and can run beside other readers;
        a missing file is a Danish error saying what to do. A file of an older schema is brought forward once
        (the first read after an upgrade) when it can be written, else the error says how. While
        ``maaltal serve`` holds the file, a read-only open reads the dashboard's copy (:func:`replica_path`)
        and a writing one is refused in Danish (:class:`StoreLocked`), never with DuckDB's lock error.
        """
        path = Path(path) if path is not None else default_path()
        if read_only and not path.exists():
            raise MaaltalError(f"Datalageret {path} findes ikke; indlæs data først (maaltal import …)")
        if read_only and os.access(path, os.W_OK) and _older(path):
            cls.open(path).close()  # migrates it
        replica = False
        try:
            if not read_only and not path.exists():
                _create(path)
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if "lock" not in str(exc).lower():
                raise MaaltalError(f"Datalageret {path} kan ikke åbnes: {exc}") from None
            if not (read_only and replica_path(path).exists()):
                raise _locked(path, exc, read_only) from None
            try:  # the dashboard holds the file: read its copy (written at start-up and after each import)
                con, replica = duckdb.connect(str(replica_path(path)), read_only=True), True
            except duckdb.Error:
                raise _locked(path, exc, read_only) from None
        try:
            if read_only:
                schema.check(con, path, read_only=True)
            else:
                schema.migrate(con, path)
        except BaseException:
            con.close()
            raise
        store = cls(con, path)
        store.replica = replica
        return store

    @classmethod
    def memory(cls) -> Store:
        """A store that lives in memory only (tests, one-off computations)."""
        con = duckdb.connect(":memory:")
        schema.migrate(con)
        return cls(con, None)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for computations that query the store in SQL."""
        return self._con

    # Writing ------------------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A block whose writes to the store stand or fall together (``with store.transaction() as con:``)."""
        return transaction(self._con)

    def write_snapshot(self, observations: Iterable[Observation] | pa.Table, *, source: str, file: str | None = None,
                       sha256: str | None = None, note: str | None = None,
                       also: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None) -> Snapshot:
        """Write ``observations`` as one new snapshot, all or nothing.

        ``also(connection, snapshot_id)`` writes an importer's own tables (the pseudonymised spells) in the
        same transaction, so that they and the observations computed from them stand or fall together.
        A computation that makes millions of observations may hand them over as a table in
        :func:`observation_schema` (a suppressed value null; a text column may be dictionary-encoded).
        """
        import pyarrow as pa

        table = observations if isinstance(observations, pa.Table) else observation_table(observations)
        if table.num_rows == 0:
            raise MaaltalError("Der er ingen observationer at indlæse; intet er skrevet")
        created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        with self.transaction():
            snapshot_id = self._con.execute("SELECT coalesce(max(id), 0) + 1 FROM snapshots").fetchone()[0]
            self._con.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                [snapshot_id, created, source, file, sha256, table.num_rows, note],
            )
            self._insert(table, snapshot_id)
            if also is not None:
                also(self._con, snapshot_id)
        return Snapshot(snapshot_id, created, source, file, sha256, table.num_rows, note)

    def _insert(self, table: pa.Table, snapshot_id: int) -> None:
        """The observations into the table with each series' rows together (:func:`_series_together`), so
        that a read of one series skips the row groups of the others."""
        self._con.register("_incoming", as_row_groups(_series_together(table)))
        try:
            self._con.execute(
                "INSERT INTO observations SELECT ?, series, area, period, freq, ordinal, dims, value, unit,"
                " suppressed FROM _incoming", [snapshot_id])
        finally:
            self._con.unregister("_incoming")

    # Snapshots ----------------------------------------------------------------------------------

    def snapshots(self) -> list[Snapshot]:
        rows = self._con.execute("SELECT * FROM snapshots ORDER BY id").fetchall()
        return [Snapshot(*row) for row in rows]

    def latest_snapshot(self) -> Snapshot | None:
        row = self._con.execute("SELECT * FROM snapshots ORDER BY id DESC LIMIT 1").fetchone()
        return Snapshot(*row) if row else None

    def imported(self, sha256: str, source: str, note: str | None = None) -> Snapshot | None:
        """The first snapshot written from a file with this SHA-256 and source (and ``note``, when the note
        says how the figures were made from the file), if any.

        Importing the same file again would only add a snapshot with the same figures; the importers ask
        first and report it as already imported instead.
        """
        row = self._con.execute("SELECT * FROM snapshots WHERE sha256 = ? AND source = ?"
                                " AND (? IS NULL OR note = ?) ORDER BY id LIMIT 1",
                                [sha256, source, note, note]).fetchone()
        return Snapshot(*row) if row else None

    def snapshot(self, snapshot_id: int | None = None) -> Snapshot:
        """The named snapshot, or the newest one; a missing one is a clear error."""
        if snapshot_id is None:
            latest = self.latest_snapshot()
            if latest is None:
                raise NoDataError("Datalageret er tomt; indlæs data først (maaltal import …)")
            return latest
        if snapshot_id in self._snapshots:
            return self._snapshots[snapshot_id]
        row = self._con.execute("SELECT * FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()
        if row is None:
            raise NoDataError(f"Øjebliksbillede {snapshot_id} findes ikke i datalageret")
        self._snapshots[snapshot_id] = Snapshot(*row)  # a snapshot never changes once written
        return self._snapshots[snapshot_id]

    # Reading ------------------------------------------------------------------------------------

    def values(self, series: str, areas: Sequence[str], periods: Sequence[Period],
               dims: Mapping[str, str] | None = None, *, snapshot: int | None = None,
               ) -> dict[tuple[str, Period], Observation]:
        """The observations of one series and dimension set for the given areas and periods.

        Keys missing from the result have no observation as of the snapshot.
        """
        snapshot_id = self.snapshot(snapshot).id
        if not areas or not periods:
            return {}
        by_text = {str(p): p for p in periods}
        rows = self._con.execute(
            """
            SELECT area, period, value, unit, suppressed FROM observations
            WHERE snapshot_id <= ? AND series = ? AND dims = ? AND area IN (SELECT unnest(?))
              AND period IN (SELECT unnest(?))
            QUALIFY row_number() OVER (PARTITION BY area, period ORDER BY snapshot_id DESC) = 1
            """,
            [snapshot_id, series, dims_key(dims), list(areas), list(by_text)],
        ).fetchall()
        return {
            (area, by_text[period]): Observation(series, area, by_text[period], value, unit, dict(dims or {}),
                                                 suppressed)
            for area, period, value, unit, suppressed in rows
        }

    def all_values(self, series: str, dims: Mapping[str, str] | None = None, *, snapshot: int | None = None,
                   ) -> dict[tuple[str, Period], tuple[float | None, bool]]:
        """Every (value, suppressed) of one series and dimension set as of a snapshot, by area and period.

        One query for a whole series is far cheaper than many small ones when a report asks for dozens of
        areas and periods of the same series; plain tuples keep it light.
        """
        snapshot_id = self.snapshot(snapshot).id
        rows = self._con.execute(
            """
            SELECT area, period, arg_max(value, snapshot_id), arg_max(suppressed, snapshot_id) FROM observations
            WHERE snapshot_id <= ? AND series = ? AND dims = ?
            GROUP BY area, period
            """,
            [snapshot_id, series, dims_key(dims)],
        ).fetchall()
        periods: dict[str, Period] = {}
        result = {}
        for area, period_text, value, suppressed in rows:
            period = periods.get(period_text)
            if period is None:
                period = periods[period_text] = Period.parse(period_text)
            result[area, period] = (value, suppressed)
        return result

    def coverage(self, *, snapshot: int | None = None, series: str | None = None,
                 source: str | None = None) -> list[Coverage]:
        """Per series, set of dimension values and frequency: what the store holds as of a snapshot.

        The one coverage query: :meth:`series` and :func:`maaltal.sources.status.availability` read it.
        ``series`` limits it to one series; ``source`` to the observations brought by a source (a prefix
        such as ``jobindsats`` or ``statbank:AUK01``); areas behind are always counted over all the data.
        """
        snapshot_id = self.snapshot(snapshot).id
        rows = self._con.execute(_COVERAGE, [snapshot_id, series, series, source, source]).fetchall()
        return [Coverage(name, json.loads(dims), unit, freq, tuple(ordinals), areas, behind, snap, tuple(sources),
                         latest, imported)
                for name, dims, freq, unit, ordinals, areas, snap, sources, latest, imported, behind in rows]

    def series(self, *, snapshot: int | None = None) -> list[SeriesInfo]:
        """Every series and dimension set in the store as of a snapshot, with its coverage."""
        return [SeriesInfo(c.series, c.dims, c.unit, c.freq, c.first, c.last, len(c.ordinals), c.areas,
                           c.last_snapshot) for c in self.coverage(snapshot=snapshot)]

    def has_series(self, series: str, *, snapshot: int | None = None) -> bool:
        snapshot_id = self.snapshot(snapshot).id
        row = self._con.execute(
            "SELECT 1 FROM observations WHERE snapshot_id <= ? AND series = ? LIMIT 1", [snapshot_id, series]
        ).fetchone()
        return row is not None

    def dimension_sets(self, series: str, *, snapshot: int | None = None) -> list[dict[str, str]]:
        """Every set of dimension values a series has observations for (``{}`` for its total)."""
        snapshot_id = self.snapshot(snapshot).id
        rows = self._con.execute(
            "SELECT DISTINCT dims FROM observations WHERE snapshot_id <= ? AND series = ? ORDER BY dims",
            [snapshot_id, series],
        ).fetchall()
        return [json.loads(dims) for (dims,) in rows]

    def periods(self, series: str, freq: str, *, snapshot: int | None = None) -> list[Period]:
        """The distinct periods of one frequency that a series has observations for."""
        snapshot_id = self.snapshot(snapshot).id
        rows = self._con.execute(
            "SELECT DISTINCT period, ordinal FROM observations WHERE snapshot_id <= ? AND series = ? AND freq = ?"
            " ORDER BY ordinal", [snapshot_id, series, freq],
        ).fetchall()
        return [Period.parse(p) for p, _ in rows]

    def unit(self, series: str, *, snapshot: int | None = None) -> str | None:
        """The unit of a series as the newest snapshot up to ``snapshot`` states it."""
        snapshot_id = self.snapshot(snapshot).id
        row = self._con.execute(
            "SELECT unit FROM observations WHERE snapshot_id <= ? AND series = ? ORDER BY snapshot_id DESC LIMIT 1",
            [snapshot_id, series],
        ).fetchone()
        return row[0] if row else None

    def is_synthetic(self, snapshot_id: int) -> bool:
        """Whether any data visible at the snapshot came from the synthetic demo generator."""
        row = self._con.execute(
            "SELECT count(*) FROM snapshots WHERE id <= ? AND source LIKE 'demo%'", [snapshot_id]
        ).fetchone()
        return row[0] > 0


@functools.cache
def observation_schema() -> pa.Schema:
    """The observations as an Arrow table (a suppressed value null); pyarrow loads on first use."""
    import pyarrow as pa

    return pa.schema([("series", pa.string()), ("area", pa.string()), ("period", pa.string()),
                      ("freq", pa.string()), ("ordinal", pa.int32()), ("dims", pa.string()),
                      ("value", pa.float64()), ("unit", pa.string()), ("suppressed", pa.bool_())])


def observation_table(observations: Iterable[Observation]) -> pa.Table:
    """The observations as a table in :func:`observation_schema`."""
    import pyarrow as pa

    columns: dict[str, list] = {k: [] for k in
                                ("series", "area", "period", "freq", "ordinal", "dims", "value", "unit",
                                 "suppressed")}
    for obs in observations:
        columns["series"].append(obs.series)
        columns["area"].append(obs.area)
        columns["period"].append(str(obs.period))
        columns["freq"].append(obs.period.freq.value)
        columns["ordinal"].append(obs.period.ordinal)
        columns["dims"].append(dims_key(obs.dims))
        columns["value"].append(None if obs.suppressed else obs.value)
        columns["unit"].append(obs.unit)
        columns["suppressed"].append(obs.suppressed)
    return pa.table(columns, schema=observation_schema())


# DuckDB's row group: the rows it compresses and writes as one, each on a thread of its own.
ROW_GROUP = 122_880


def as_row_groups(table: pa.Table) -> pa.Table:
    """``table`` in batches of one row group each, every text column with one dictionary: the form DuckDB
    inserts fastest, each batch on a thread and each column's labels once. (The spell figures as they are
    built, in thirteen pieces of up to 705.600 rows with labels of their own, took a tenth longer; the
    spells as read, one batch, a third longer.)"""
    import pyarrow as pa

    table = table.unify_dictionaries().combine_chunks()
    return pa.Table.from_batches(table.to_batches(max_chunksize=ROW_GROUP), schema=table.schema)


def _series_together(table: pa.Table) -> pa.Table:
    """The table with each series' rows together, in their order: as it is when they are so already (the
    spell figures are made one series after the other), else by a stable sort of one column of codes in
    Arrow, a copy of the table, where DuckDB's sort of every row with its texts took a quarter of a gigabyte
    for a 53 MB upload (issue 14)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    series = table.column("series")
    if pa.types.is_dictionary(series.type):
        series = series.unify_dictionaries()
    codes = pc.dictionary_encode(series).combine_chunks().indices.to_numpy(zero_copy_only=False)
    if 1 + int(np.count_nonzero(np.diff(codes))) == len(np.unique(codes)):
        return table
    return table.take(pa.array(np.argsort(codes, kind="stable")))
