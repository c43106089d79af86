"""What the dashboard shows: the committee report model, built once per snapshot and shared by every page.

The dashboard and the published PDF must never disagree, so the pages are cut from the same
:class:`~maaltal.document.Report` that ``maaltal report`` builds. Building it takes about a second,
so it is built once per (snapshot, generation) and kept; a comment bumps the generation, and the next page
view builds the new model while earlier readers keep the old one.

Under load (issue 14) two rules hold. One computation per page and snapshot at a time: readers asking for a
page that is being computed wait for that computation instead of starting their own (single flight). And an
import builds the new snapshot's report and standard pages in its job, before it says it is done and before
the pages switch to the new snapshot, so the first visitor after an import finds them ready.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maaltal.areas import AreaRegistry
from maaltal.document import Report
from maaltal.errors import MaaltalError, NoDataError
from maaltal.measures import KeyFigureEngine
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures.definitions import KeyFigureDef
from maaltal.periods import Period
from maaltal.report import attachments, build
from maaltal.store import STORAGE_VERSION, Store, replica_path
from maaltal.web.db import Database

MEMO_SIZE = 256
# Left out of the copy the reading commands use: what lets anyone log in or says who tried.
_NOT_REPLICATED = frozenset({"web_users", "web_sessions", "web_login_attempts"})


@dataclass(frozen=True)
class SiteConfig:
    """The municipality and report the dashboard is set up for (the options of ``maaltal serve``)."""

    area: str
    period: Period | None = None      # None: the newest month the store has for the first key figure
    previous: Period | None = None
    committee: str | None = None
    benchmarks: tuple[str, ...] = ()
    keyfigures_file: Path | None = None
    catalogue: Path | None = None     # the goal catalogue (YAML): goal pages, smileys and comments
    attachments: tuple[tuple[str, Path], ...] = ()  # (kind, file) of budget and benchmark sections
    groups_file: Path | None = None
    secure_cookies: bool = False      # set behind HTTPS so cookies are never sent in clear
    trust_proxy: bool = False         # take the client's address from X-Forwarded-For (behind a proxy only)


class Site:
    """The shared state of one dashboard process: the database, the registry and the built reports."""

    def __init__(self, db: Database, config: SiteConfig) -> None:
        self.db = db
        self.config = config
        self.registry = AreaRegistry.default(config.groups_file)
        self.area = self.registry.get(config.area)
        self.keyfigures: tuple[KeyFigureDef, ...] = tuple(keyfigure_definitions.load(config.keyfigures_file))
        self.generation = 0
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None   # (snapshot, generation) of the newest model built
        self._current: Report | None = None
        self._fragments: dict[str, Any] = {}       # pieces of pages made from the current model
        self._snapshot_id: int | None = None       # the newest snapshot, known until the next import
        self._memo: OrderedDict[tuple, Any] = OrderedDict()  # page data per snapshot (explorer, sources)
        self._flights: dict[tuple, Future] = {}    # computations under way, for those asking the same
        self._flights_lock = threading.Lock()
        self._replica_lock = threading.Lock()
        # the standard pages, built ahead for a new snapshot: each is given the store and the snapshot id
        self.warmers: list[Callable[[Store, int], None]] = []
        # pieces of the standard pages made from a new report once it is current (rendered HTML)
        self.fragment_warmers: list[Callable[[Report], None]] = []

    @property
    def catalogues_dir(self) -> Path:
        """Where the catalogues saved on the dashboard are kept: ``<store>.catalogues/``."""
        return self.db.path.with_name(self.db.path.name + ".catalogues")

    def snapshot_id(self, store: Store) -> int:
        """The newest snapshot. The dashboard's process holds the store file, so only its own imports
        add snapshots, and they call :meth:`imported`; until then the answer is kept."""
        if self._snapshot_id is None:
            self._snapshot_id = store.snapshot().id
        return self._snapshot_id

    def imported(self, snapshot_id: int | None = None) -> None:
        """A new snapshot was committed. Without its id: ask the store again at the next page. With it (an
        import's job): build the snapshot's report and standard pages first, then switch every page to it.
        A report that cannot be built from the data yet raises :class:`MaaltalError` after the switch."""
        if snapshot_id is None:
            self._snapshot_id = None
            return
        failure: MaaltalError | None = None
        self.write_replica()
        with self.db.store() as store:  # keyed by the snapshot: built apart from the pages still shown
            for warm in self.warmers:
                try:
                    warm(store, snapshot_id)
                except MaaltalError:
                    continue  # the page shows the same error to its visitor
        with self._lock, self.db.store() as store:
            generation = self.generation
            try:
                report = self.build(KeyFigureEngine(store, self.registry, snapshot_id))
            except MaaltalError as exc:
                report, failure = None, exc
            self._snapshot_id = snapshot_id
            if report is not None:
                self._fragments = {}
                self._current, self._key = report, (snapshot_id, generation)
        if report is not None:
            for warm_fragment in self.fragment_warmers:
                warm_fragment(report)
        if failure is not None:
            raise failure

    def write_replica(self) -> None:
        """Copy the store for the commands that read it while the dashboard holds the file
        (:func:`maaltal.store.replica_path`): every table but the users, sessions and login attempts, written
        beside and then moved into place, so a reader never sees half a copy."""
        target = replica_path(self.db.path)
        partial = target.with_name(target.name + ".tmp")
        with self._replica_lock, self.db.cursor() as cur:
            partial.unlink(missing_ok=True)
            tables = [t for (t,) in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()
                if t not in _NOT_REPLICATED]
            cur.execute(f"ATTACH '{partial}' AS maaltal_replica (STORAGE_VERSION '{STORAGE_VERSION}')")
            try:
                for table in tables:
                    cur.execute(f'CREATE TABLE maaltal_replica."{table}" AS SELECT * FROM "{table}"')
            finally:
                cur.execute("DETACH maaltal_replica")
            os.replace(partial, target)

    def memo(self, store: Store, name: str, args: tuple, make: Callable[[], Any], *,
             snapshot: int | None = None) -> Any:
        """What ``make`` gives for these arguments on the newest snapshot (or ``snapshot``), kept for the
        next asker; while it is being made, other askers wait for it rather than make it again.

        The key-figure explorer and the data-source page read whole series; on a snapshot that does not
        change, the same question always has the same answer.
        """
        key = (snapshot if snapshot is not None else self.snapshot_id(store), name, args)
        if key in self._memo:
            self._memo.move_to_end(key)
            return self._memo[key]
        value = self._single_flight(key, make)
        self._memo[key] = value
        while len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)
        return value

    def _single_flight(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, once for everyone asking for ``key`` at the same time."""
        with self._flights_lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = Future()
        if not leader:
            return flight.result()
        try:
            value = make()
        except BaseException as exc:
            flight.set_exception(exc)
            raise
        else:
            flight.set_result(value)
            return value
        finally:
            with self._flights_lock:
                del self._flights[key]

    def bump(self) -> None:
        """Something the report shows changed without a new snapshot (a comment): build it again now, so
        the one who changed it, and everyone after, sees it on the next page."""
        self.generation += 1
        try:
            self.report(fresh=True)
        except MaaltalError:
            return  # the pages show why the report cannot be built

    def period(self, engine: KeyFigureEngine) -> Period:
        """The report period: as configured, else the newest month of the first key figure's series."""
        if self.config.period is not None:
            return self.config.period
        for definition in self.keyfigures:
            periods = engine.store.periods(definition.indicator.series, "M", snapshot=engine.snapshot.id)
            if periods:
                return periods[-1]
        raise NoDataError("Datalageret har ingen månedstal for nøgletallene endnu; indlæs data først")

    def catalogue_path(self) -> Path | None:
        """The goal catalogue in force: the newest one saved on the dashboard, else ``--catalogue``."""
        saved = sorted(self.catalogues_dir.glob("*.yaml")) if self.catalogues_dir.is_dir() else []
        return saved[-1] if saved else self.config.catalogue

    def build(self, engine: KeyFigureEngine) -> Report:
        """The same committee report ``maaltal report`` builds from these options."""
        period = self.period(engine)
        return build.committee_report(
            engine, self.area.id, period, catalogue=self.catalogue_path(), previous=self.config.previous,
            committee=self.config.committee, benchmarks=self.config.benchmarks, keyfigures=self.keyfigures,
            extra_sections=attachments.sections(self.config.attachments, engine, self.area.id, period),
        )

    def report(self, *, fresh: bool = False) -> Report:
        """The report model of the newest snapshot, built once and kept.

        While one thread builds the model of a new snapshot (or generation), the others go on showing the
        previous model instead of waiting, so an import never stalls the pages; ``fresh`` waits for the
        newest (a publication must freeze exactly what is newest). A kept model costs no query at all.
        """
        current = self._current
        if current is not None and self._key == (self._snapshot_id, self.generation):
            return current
        if not self._lock.acquire(blocking=fresh or current is None):
            return current
        try:
            with self.db.store() as store:
                key = (self.snapshot_id(store), self.generation)
                if self._key != key:
                    report = self.build(KeyFigureEngine(store, self.registry, key[0]))
                    self._fragments = {}
                    self._current, self._key = report, key
            return self._current
        finally:
            self._lock.release()

    def warm(self) -> None:
        """Build the newest report and standard pages ahead of the first visitor (at start-up), if the store
        has data for them."""
        try:
            with self.db.store() as store:
                if store.latest_snapshot() is None:
                    self.write_replica()  # the reading commands say the store is empty, not that it is held
                    return  # an empty store: the pages say so, and an import builds the report
                snapshot_id = self.snapshot_id(store)
            self.imported(snapshot_id)
        except MaaltalError:
            return

    def fragment(self, report: Report, name: str, make: Callable[[], Any]) -> Any:
        """A piece of page made from the report (rendered HTML), kept as long as the report is current and
        made once however many ask for it at the same time."""
        fragments = self._fragments
        if report is not self._current:  # an older model shown while the newest is built: do not keep
            return make()
        value = fragments.get(name)
        if value is None:
            value = fragments[name] = self._single_flight(("fragment", id(report), name), make)
        return value
