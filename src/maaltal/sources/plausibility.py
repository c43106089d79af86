"""Checks every import makes before it writes: the analyst's scope, and whether the figures are plausible.

An analyst may be scoped to some municipalities (issue 14): a file with figures for any other area is
refused, naming the first such row. And a figure can be valid and still wrong: Glostrup's gross
unemployment uploaded as 845,6 % moved Hvidovre's rank, the group, the region and the nation. So every
import is held when a figure is implausible:

- a share over 100 %;
- a value more than :data:`HISTORY_FACTOR` times (or less than a :data:`HISTORY_FACTOR`-th of) the median of
  the same series for the same area over its :data:`HISTORY_PERIODS` previous periods (a share always, a
  count or amount from :data:`MATERIAL` up: small counts jump);
- a share more than :data:`PEER_FACTOR` times the median of the municipalities' shares of the same period.

The findings are listed in Danish with file, row and column; the import goes on only when the analyst
accepts them (``--accept-implausible`` on the command line, a confirmation on the dashboard, which the
audit log records). The history is the store's as of its newest snapshot, with the file's own figures
taking the place of the ones they revise.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa

from maaltal import formatting as fmt
from maaltal import kinds
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, Location, MaaltalError
from maaltal.kinds import Kind
from maaltal.store import Observation, Store, dims_key

HISTORY_PERIODS = 12
HISTORY_FACTOR = 10
PEER_FACTOR = 5
MIN_PEERS = 5       # municipalities with a share of the period before their median says anything
MAX_FINDINGS = 20   # listed; the rest are counted
# A count or amount jumps by a factor of ten at small sizes without being wrong (2 persons one month, 25 the
# next; a quarter's count dropping to 0): below this size it is not held. Zero is never held.
MATERIAL = 100


@dataclass(frozen=True)
class Finding:
    """One implausible figure, where it stands and why, in Danish."""

    observation: Observation
    reason: str
    file: str
    row: int | None

    def __str__(self) -> str:
        return f"{Location(self.file, self.row, 'value')}: {self.reason}"


class Implausible(MaaltalError):
    """The import is held: figures that look wrong, which the analyst must accept before they are written."""

    def __init__(self, findings: Sequence[Finding], total: int, *, hint: str) -> None:
        self.findings = tuple(findings)
        self.total = total
        self.hint = hint
        lines = [str(f) for f in self.findings]
        if total > len(lines):
            lines.append(f"… og {fmt.number(total - len(lines))} mere")
        self.lines = tuple(lines)
        super().__init__(f"Indlæsningen er holdt tilbage: {fmt.number(total)} tal ser usandsynlige ud.\n"
                         + "\n".join(f"  {line}" for line in lines) + f"\n{hint}")

    def renamed(self, file: str) -> Implausible:
        """The same findings, naming the file as the analyst knows it (an upload is kept under another name)."""
        return Implausible([replace(f, file=file) for f in self.findings], self.total, hint=self.hint)


def check_scope(observations: Sequence[Observation], scope: Iterable[str], registry: AreaRegistry,
                path: Path) -> None:
    """Refuse a file with figures for an area outside the analyst's ``scope`` (municipality codes),
    naming the first such row."""
    allowed = {registry.get(code).id for code in scope}
    outside = next((o for o in observations if o.area not in allowed), None)
    if outside is None:
        return
    names = ", ".join(f"{registry.get(a).name} ({a})" for a in sorted(allowed))
    area = registry.get(outside.area)
    raise InputError(f"du kan kun indlæse tal for {names}, men rækken har tal for {area.name} ({area.id}); "
                     "bed en administrator om adgang, eller fjern rækkerne", file=path.name,
                     row=row_of(path, outside, registry), column="area")


def findings(store: Store, observations: Sequence[Observation], registry: AreaRegistry, path: Path
             ) -> tuple[list[Finding], int]:
    """The first :data:`MAX_FINDINGS` implausible figures of the file and how many there are in all."""
    if not observations:
        return [], 0
    con = store.connection
    con.register("_plausible_in", _table(observations))
    try:
        rows = con.execute(_QUERY, [_latest(store), HISTORY_PERIODS, [m.id for m in registry.municipalities()]]
                           ).fetchall()
    finally:
        con.unregister("_plausible_in")
    found: list[tuple[int, str]] = []
    shares = {unit: kinds.kind_of(unit) is Kind.SHARE for unit in {row[2] for row in rows}}
    # a series with negative figures is a difference (Y30R21's actual less expected): near zero is normal,
    # so its own history says nothing about a typo
    signed = {o.series for o in observations if o.value is not None and o.value < 0}
    for index, value, unit, history, peers, peer_count in rows:
        if observations[index].series in signed:
            history = None
        reason = _reason(value, unit, shares[unit], history, peers, peer_count)
        if reason:
            found.append((index, reason))
    found.sort()
    listed = [Finding(observations[i], reason, path.name, row_of(path, observations[i], registry))
              for i, reason in found[:MAX_FINDINGS]]
    return listed, len(found)


def hold(store: Store, observations: Sequence[Observation], registry: AreaRegistry, path: Path, *,
         hint: str) -> None:
    """Raise :class:`Implausible` when the file has implausible figures; ``hint`` says how to accept them."""
    listed, total = findings(store, observations, registry, path)
    if total:
        raise Implausible(listed, total, hint=hint)


def _reason(value: float, unit: str, share: bool, history: float | None, peers: float | None, peer_count: int
            ) -> str | None:
    material = share or max(value, history or 0) >= MATERIAL
    if share and value > 100:
        return f"{_shown(value, unit, share)} {unit} er en andel over 100 pct."
    if history and history > 0 and value > 0 and material and (
            value > HISTORY_FACTOR * history or value < history / HISTORY_FACTOR):
        many = "over" if value > history else "under en"
        return (f"{_shown(value, unit, share)} {unit} er {many} {HISTORY_FACTOR} gange "
                f"{'så meget som ' if value > history else 'af '}medianen for de seneste {HISTORY_PERIODS} perioder "
                f"({fmt.number(history, 1)})")
    if share and peers and peer_count >= MIN_PEERS and value > PEER_FACTOR * peers:
        return (f"{_shown(value, unit, share)} {unit} er over {PEER_FACTOR} gange kommunernes median i perioden "
                f"({fmt.number(peers, 1)} {unit})")
    return None


def _shown(value: float, unit: str, share: bool) -> str:
    return fmt.number(value, 1 if share else fmt.decimals(unit))


def row_of(path: Path, observation: Observation, registry: AreaRegistry) -> int | None:
    """The first row of a CSV file with the observation's period and area (code or name), for the message;
    ``None`` for a file that is not CSV or where it cannot be told. Read a line at a time."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return None
    area = registry.get(observation.area)
    names = {area.id.casefold(), area.name.casefold()}
    period = str(observation.period)
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            first = f.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            has_series = "series" in {c.strip().casefold() for c in next(csv.reader([first], delimiter=delimiter))}
            for number, cells in enumerate(csv.reader(f, delimiter=delimiter), start=2):
                stripped = {c.strip().casefold() for c in cells}
                if period.casefold() in stripped and stripped & names and (
                        not has_series or observation.series.casefold() in stripped):
                    return number
    except (OSError, csv.Error, StopIteration):
        return None
    return None


def _latest(store: Store) -> int:
    latest = store.latest_snapshot()
    return latest.id if latest else 0


def _table(observations: Sequence[Observation]) -> pa.Table:
    present = [(i, o) for i, o in enumerate(observations) if not o.suppressed and o.value is not None]
    return pa.table({
        "i": pa.array([i for i, _ in present], pa.int64()),
        "series": pa.array([o.series for _, o in present], pa.string()),
        "area": pa.array([o.area for _, o in present], pa.string()),
        "period": pa.array([str(o.period) for _, o in present], pa.string()),
        "freq": pa.array([o.period.freq.value for _, o in present], pa.string()),
        "ordinal": pa.array([o.period.ordinal for _, o in present], pa.int32()),
        "dims": pa.array([dims_key(o.dims) for _, o in present], pa.string()),
        "value": pa.array([o.value for _, o in present], pa.float64()),
        "unit": pa.array([o.unit for _, o in present], pa.string()),
    })


# The file's figures beside the store's current ones (the file's taking the place of those they revise);
# per figure of the file, the median of its own previous periods and of the municipalities' same period.
_QUERY = """
WITH incoming AS (SELECT * FROM _plausible_in),
keys AS (SELECT DISTINCT series, dims, freq FROM incoming),
stored AS (
    SELECT o.series, o.area, o.period, o.freq, o.ordinal, o.dims, o.value FROM observations o
    JOIN keys k ON k.series = o.series AND k.dims = o.dims AND k.freq = o.freq
    WHERE o.snapshot_id <= ?
    QUALIFY row_number() OVER (PARTITION BY o.series, o.area, o.period, o.dims ORDER BY o.snapshot_id DESC) = 1
),
combined AS (
    SELECT series, area, period, freq, ordinal, dims, value FROM incoming
    UNION ALL
    SELECT s.* FROM stored s ANTI JOIN incoming i
        ON i.series = s.series AND i.area = s.area AND i.period = s.period AND i.dims = s.dims
),
history AS (
    SELECT i.i, median(c.value) AS history FROM incoming i JOIN combined c
        ON c.series = i.series AND c.dims = i.dims AND c.area = i.area AND c.freq = i.freq
       AND c.ordinal BETWEEN i.ordinal - ? AND i.ordinal - 1
    WHERE c.value IS NOT NULL GROUP BY i.i
),
peers AS (
    SELECT series, dims, period, median(value) AS peers, count(*) AS peer_count FROM combined
    WHERE value IS NOT NULL AND area IN (SELECT unnest(?)) GROUP BY series, dims, period
)
SELECT i.i, i.value, i.unit, h.history, p.peers, coalesce(p.peer_count, 0) FROM incoming i
LEFT JOIN history h ON h.i = i.i
LEFT JOIN peers p ON p.series = i.series AND p.dims = i.dims AND p.period = i.period
"""
