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

The checks take the observations as an Arrow table (:func:`maaltal.store.observation_schema`) and run in
DuckDB and Arrow, so a file of millions of rows is checked without an object per row; a table with the
column :data:`ROW` names each observation's line, else the line is searched for in the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from maaltal import formatting as fmt
from maaltal import kinds
from maaltal.areas import AreaRegistry
from maaltal.errors import InputError, Location, MaaltalError
from maaltal.kinds import Kind
from maaltal.store import Store

HISTORY_PERIODS = 12
HISTORY_FACTOR = 10
PEER_FACTOR = 5
MIN_PEERS = 5       # municipalities with a share of the period before their median says anything
MAX_FINDINGS = 20   # listed; the rest are counted
# A count or amount jumps by a factor of ten at small sizes without being wrong (2 persons one month, 25 the
# next; a quarter's count dropping to 0): below this size it is not held. Zero is never held.
MATERIAL = 100
ROW = "row"  # an observation table's optional column: each observation's line in its file


@dataclass(frozen=True)
class Finding:
    """One implausible figure, where it stands and why, in Danish."""

    series: str
    area: str
    period: str
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


def check_scope(observations: pa.Table, scope: Iterable[str], registry: AreaRegistry, path: Path) -> None:
    """Refuse a file with figures for an area outside the analyst's ``scope`` (municipality codes),
    naming the first such row."""
    allowed = {registry.get(code).id for code in scope}
    outside = pc.invert(pc.is_in(observations["area"], pa.array(sorted(allowed), pa.string())))
    index = pc.index(outside, True).as_py()
    if index < 0:
        return
    names = ", ".join(f"{registry.get(a).name} ({a})" for a in sorted(allowed))
    area = registry.get(observations["area"][index].as_py())
    raise InputError(f"du kan kun indlæse tal for {names}, men rækken har tal for {area.name} ({area.id}); "
                     "bed en administrator om adgang, eller fjern rækkerne", file=path.name,
                     row=_row(observations, index, registry, path), column="area")


def findings(store: Store, observations: pa.Table, registry: AreaRegistry, path: Path
             ) -> tuple[list[Finding], int]:
    """The first :data:`MAX_FINDINGS` implausible figures of the file and how many there are in all."""
    if not observations.num_rows:
        return [], 0
    units = pc.unique(observations["unit"]).to_pylist()
    shares = [unit for unit in units if kinds.kind_of(unit) is Kind.SHARE]
    incoming = observations.select(["series", "area", "period", "freq", "ordinal", "dims", "value", "unit",
                                    "suppressed"]).append_column("i", pa.array(np.arange(observations.num_rows)))
    con = store.connection
    con.register("_plausible_in", incoming)
    try:
        rows = con.execute(_QUERY, [_latest(store), HISTORY_PERIODS, [m.id for m in registry.municipalities()],
                                    shares, MATERIAL, HISTORY_FACTOR, MIN_PEERS, PEER_FACTOR, MAX_FINDINGS]
                           ).fetchall()
    finally:
        con.unregister("_plausible_in")
    listed = [Finding(*(observations[name][i].as_py() for name in ("series", "area", "period")),
                      _reason(code, value, observations["unit"][i].as_py(), share, history, peers),
                      path.name, _row(observations, i, registry, path))
              for i, value, share, history, peers, code, _ in rows]
    return listed, rows[0][-1] if rows else 0


def hold(store: Store, observations: pa.Table, registry: AreaRegistry, path: Path, *, hint: str) -> None:
    """Raise :class:`Implausible` when the file has implausible figures; ``hint`` says how to accept them."""
    listed, total = findings(store, observations, registry, path)
    if total:
        raise Implausible(listed, total, hint=hint)


def _reason(code: int, value: float, unit: str, share: bool, history: float | None, peers: float | None) -> str:
    """The Danish words for why a figure is held (the rules are the query's, :data:`_QUERY`)."""
    if code == _OVER_100:
        return f"{_shown(value, unit, share)} {unit} er en andel over 100 pct."
    if code == _FAR_FROM_HISTORY:
        many = "over" if value > history else "under en"
        return (f"{_shown(value, unit, share)} {unit} er {many} {HISTORY_FACTOR} gange "
                f"{'så meget som ' if value > history else 'af '}medianen for de seneste {HISTORY_PERIODS} perioder "
                f"({fmt.number(history, 1)})")
    assert code == _FAR_FROM_PEERS, code
    return (f"{_shown(value, unit, share)} {unit} er over {PEER_FACTOR} gange kommunernes median i perioden "
            f"({fmt.number(peers, 1)} {unit})")


def _shown(value: float, unit: str, share: bool) -> str:
    return fmt.number(value, 1 if share else fmt.decimals(unit))


def _row(observations: pa.Table, index: int, registry: AreaRegistry, path: Path) -> int | None:
    """The line of the observation at ``index``: the table's own :data:`ROW`, else searched in the file."""
    if ROW in observations.column_names:
        return observations[ROW][index].as_py()
    return row_of(path, *(observations[name][index].as_py() for name in ("series", "area", "period")),
                  registry=registry)


def row_of(path: Path, series: str, area: str, period: str, *, registry: AreaRegistry) -> int | None:
    """The first row of a CSV file with the observation's period and area (code or name), for the message;
    ``None`` for a file that is not CSV or where it cannot be told. Read a line at a time."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return None
    found = registry.get(area)
    names = {found.id.casefold(), found.name.casefold()}
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            first = f.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            has_series = "series" in {c.strip().casefold() for c in next(csv.reader([first], delimiter=delimiter))}
            for number, cells in enumerate(csv.reader(f, delimiter=delimiter), start=2):
                stripped = {c.strip().casefold() for c in cells}
                if period.casefold() in stripped and stripped & names and (
                        not has_series or series.casefold() in stripped):
                    return number
    except (OSError, csv.Error, StopIteration):
        return None
    return None


def _latest(store: Store) -> int:
    latest = store.latest_snapshot()
    return latest.id if latest else 0


# The rules a figure can break, as the query returns them.
_OVER_100, _FAR_FROM_HISTORY, _FAR_FROM_PEERS = 1, 2, 3
# The file's figures beside the store's current ones (the file's taking the place of those they revise);
# per figure of the file, the median of its own previous periods and of the municipalities' same period, and
# the rule it breaks, if any: the first MAX_FINDINGS of those that break one, with how many do.
_QUERY = f"""
WITH incoming AS NOT MATERIALIZED (
    SELECT i, series, area, period, freq, ordinal, dims, value, unit FROM _plausible_in
    WHERE NOT suppressed AND value IS NOT NULL
),
-- each series, set of dimensions, area and frequency of the file as a number, so that the window over its
-- periods sorts numbers, not texts (a tenth of the memory)
groups AS (
    SELECT *, row_number() OVER () AS g FROM (SELECT DISTINCT series, dims, area, freq FROM incoming)
),
stored AS (
    SELECT o.series, o.area, o.period, o.freq, o.ordinal, o.dims, o.value FROM observations o
    SEMI JOIN (SELECT DISTINCT series, dims, freq FROM groups) k
        ON k.series = o.series AND k.dims = o.dims AND k.freq = o.freq
    WHERE o.snapshot_id <= $1
    QUALIFY row_number() OVER (PARTITION BY o.series, o.area, o.period, o.dims ORDER BY o.snapshot_id DESC) = 1
),
kept AS (
    SELECT s.* FROM stored s ANTI JOIN incoming i
        ON i.series = s.series AND i.area = s.area AND i.period = s.period AND i.dims = s.dims
),
peers AS (
    SELECT series, dims, period, median(value) AS peers, count(*) AS peer_count FROM (
        SELECT series, dims, period, area, value FROM incoming
        UNION ALL
        SELECT series, dims, period, area, value FROM kept
    ) WHERE value IS NOT NULL AND list_contains($3::VARCHAR[], area) GROUP BY series, dims, period
),
-- a series with negative figures is a difference (Y30R21's actual less expected): near zero is normal, so
-- its own history says nothing about a typo
signed AS (SELECT DISTINCT series FROM incoming WHERE value < 0),
-- the file's figures with what they are judged by, beside the store's of the same groups
own AS (
    SELECT i.i, g.g, i.ordinal, i.value, list_contains($4::VARCHAR[], i.unit) AS share,
           i.series IN (SELECT series FROM signed) AS signed, p.peers, coalesce(p.peer_count, 0) AS peer_count
    FROM incoming i JOIN groups g USING (series, dims, area, freq)
    LEFT JOIN peers p USING (series, dims, period)
    UNION ALL
    SELECT NULL, g, ordinal, value, NULL, NULL, NULL, NULL FROM kept JOIN groups USING (series, dims, area, freq)
    WHERE value IS NOT NULL
),
-- one figure per period of a group, so the frame is its previous periods
judged AS (
    SELECT i, value, share, peers, peer_count,
           CASE WHEN NOT signed THEN median(value) OVER (PARTITION BY g ORDER BY ordinal
                                                         RANGE BETWEEN $2 PRECEDING AND 1 PRECEDING) END AS history
    FROM own QUALIFY i IS NOT NULL
),
-- a share over 100 %; far from its own history (a share always, a count or amount from MATERIAL up: small
-- counts jump; zero never); a share far above the municipalities' median
flagged AS (
    SELECT *, CASE
        WHEN share AND value > 100 THEN {_OVER_100}
        WHEN history > 0 AND value > 0 AND (share OR greatest(value, history) >= $5)
             AND (value > $6 * history OR value < history / $6) THEN {_FAR_FROM_HISTORY}
        WHEN share AND peers <> 0 AND peer_count >= $7 AND value > $8 * peers THEN {_FAR_FROM_PEERS}
    END AS reason FROM judged
)
SELECT i, value, share, history, peers, reason, count(*) OVER () FROM flagged WHERE reason IS NOT NULL
ORDER BY i LIMIT $9
"""
