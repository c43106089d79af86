"""Data availability: per series and set of dimensions, how current the store is and what lags.

A report must say when a source lags behind the others (Herning, item 19: the KY data were missing on
jobindsats, so the key figures for cash benefit could not be updated while a-dagpenge could). The
newest data in the store sets the reference date; a series lags when whole periods of its own frequency
end on or before that date and it has none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "first": str(self.first), "last": str(self.last), "gaps": [str(g) for g in self.gaps],
                "last_import": self.last_import.isoformat(), "lagging": self.lagging,
                "missing": [str(p) for p in self.missing]}


@dataclass(frozen=True)
class Availability:
    """Every series' availability and the date of the newest data they are measured against."""

    snapshot: int
    reference: date | None
    series: tuple[SeriesAvailability, ...]

    @property
    def lagging(self) -> tuple[SeriesAvailability, ...]:
        return tuple(s for s in self.series if s.lagging)

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "reference": self.reference.isoformat() if self.reference else None,
                "series": [s.to_dict() for s in self.series]}


def availability(store: Store, *, snapshot: int | None = None, series: str | None = None,
                 source: str | None = None) -> Availability:
    """How current every series is as of ``snapshot`` (the newest unless named).

    ``series`` limits the answer to one series; ``source`` to the series brought by a source (a prefix
    such as ``jobindsats`` or ``statbank:AUK01``). Lags are always measured against all the data. The
    periods, areas and sources come from the store's one coverage query (:meth:`Store.coverage`).
    """
    snapshot_id = store.snapshot(snapshot).id
    reference = _reference(store, snapshot_id)
    items = []
    for c in store.coverage(snapshot=snapshot_id, series=series, source=source):
        kind = Freq(c.freq)
        present = set(c.ordinals)
        missing = [Period.from_ordinal(kind, o) for o in range(c.ordinals[0], c.ordinals[-1] + 1)
                   if o not in present]
        items.append(SeriesAvailability(
            series=c.series, dims=c.dims, unit=c.unit, freq=c.freq, first=c.first, last=c.last,
            periods=len(c.ordinals), gaps=tuple(missing[:_MAX_GAPS]), gap_count=len(missing), areas=c.areas,
            areas_behind=c.areas_behind, source=c.source, sources=c.sources, last_import=c.last_import,
            snapshot=c.last_snapshot, behind=_behind(c.last, reference),
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
