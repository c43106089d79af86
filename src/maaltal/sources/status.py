"""Data availability: per series and set of dimensions, how current the store is and what lags.

A report must say when a source lags behind the others (Herning, item 19: the KY data were missing on
jobindsats, so the key figures for cash benefit could not be updated while a-dagpenge could). The
newest data in the store sets the reference date; a series lags when whole periods of its own frequency
end on or before that date and it has none of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from maaltal.periods import Freq, Period
from maaltal.store import Store

_MAX_GAPS = 24


@dataclass(frozen=True)
class SeriesAvailability:
    """How current one series (with one set of dimension values) is, as of a snapshot."""

    series: str
    dims: dict[str, str]
    unit: str
    freq: str
    first: Period
    last: Period
    periods: int
    gaps: tuple[Period, ...]  # periods between first and last that no area has (at most the first 24)
    gap_count: int
    areas: int
    areas_behind: int  # areas whose newest period is older than the series' newest
    source: str  # the source of the newest snapshot that brought observations of the series
    sources: tuple[str, ...]
    last_import: datetime
    snapshot: int
    behind: int  # whole periods of its frequency the series lacks up to the newest data in the store

    @property
    def lagging(self) -> bool:
        return self.behind > 0

    @property
    def missing(self) -> tuple[Period, ...]:
        """The periods the series lacks up to the newest data ("oktober–december 2020" in a report)."""
        return tuple(self.last + i for i in range(1, self.behind + 1))


@dataclass(frozen=True)
class Availability:
    """Every series' availability and the date of the newest data they are measured against."""

    snapshot: int
    reference: date | None
    series: tuple[SeriesAvailability, ...]

    @property
    def lagging(self) -> tuple[SeriesAvailability, ...]:
        return tuple(s for s in self.series if s.lagging)


_QUERY = """
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


def availability(store: Store, *, snapshot: int | None = None, series: str | None = None,
                 source: str | None = None) -> Availability:
    """How current every series is as of ``snapshot`` (the newest unless named).

    ``series`` limits the answer to one series; ``source`` to the series brought by a source (a prefix
    such as ``jobindsats`` or ``statbank:AUK01``). Lags are always measured against all the data.
    """
    snapshot_id = store.snapshot(snapshot).id
    rows = store.connection.execute(_QUERY, [snapshot_id, series, series, source, source]).fetchall()
    reference = _reference(store, snapshot_id)
    items = []
    for name, dims, freq, unit, ordinals, areas, snap, sources, latest_source, imported, areas_behind in rows:
        kind = Freq(freq)
        periods = [Period.from_ordinal(kind, o) for o in ordinals]
        present = set(ordinals)
        missing = [Period.from_ordinal(kind, o) for o in range(ordinals[0], ordinals[-1] + 1) if o not in present]
        items.append(SeriesAvailability(
            series=name, dims=json.loads(dims), unit=unit, freq=freq, first=periods[0], last=periods[-1],
            periods=len(periods), gaps=tuple(missing[:_MAX_GAPS]), gap_count=len(missing), areas=areas,
            areas_behind=areas_behind, source=latest_source, sources=tuple(sources), last_import=imported,
            snapshot=snap, behind=_behind(periods[-1], reference),
        ))
    return Availability(snapshot_id, reference, tuple(items))


def _reference(store: Store, snapshot_id: int) -> date | None:
    """The end date of the newest period any series has."""
    rows = store.connection.execute(
        "SELECT freq, max(ordinal) FROM observations WHERE snapshot_id <= ? GROUP BY freq", [snapshot_id]
    ).fetchall()
    ends = [Period.from_ordinal(Freq(freq), ordinal).end for freq, ordinal in rows]
    return max(ends) if ends else None


def _behind(last: Period, reference: date | None) -> int:
    """How many whole periods after ``last`` end on or before ``reference``."""
    if reference is None:
        return 0
    count, following = 0, last + 1
    while following.end <= reference:
        count, following = count + 1, following + 1
    return count
