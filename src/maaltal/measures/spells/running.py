"""From the engines' events to every month of every group: sums and running sums in numpy.

The queries of :mod:`maaltal.measures.spells.sql` give, per group, the months where something changes: a
few events per spell, and one group's change in one month may come in several rows. The figures are
wanted for every month of every group, zeros included. In the engine that meant a grid of groups × months
joined to the events, grouped and summed by a window: most of a query's time, for what is an addition.
Here the events are added up in their cells of a (groups × months) array and summed along each row, the
same integer arithmetic on any engine (the engine's own last grouping of the events by month took a
fifth of the biggest query's time, for the same addition).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from maaltal.measures.spells import sql
from maaltal.measures.spells.engines import Computation


def monthly(source: str, keys: Sequence[str], months: sql.Months) -> Computation[pa.Table]:
    """Per group (``keys``) and month: person-days on the benefit and distinct persons, every month of every
    group that has a spell in the months, from the spells ``source`` names.

    Columns: the keys, ``m`` (:func:`maaltal.measures.spells.sql.month_index`), ``days_in_month``,
    ``person_days``, ``persons``; ordered by group and month.
    """
    def finish(events: pa.Table) -> pa.Table:
        calendar = _Calendar(months)
        groups, place = _groups(events, list(keys), calendar)
        days, full, persons = (_laid_out(events.column(name), place, groups.num_rows, calendar)
                               for name in ("days", "full_delta", "person_delta"))
        person_days = days + calendar.days * np.cumsum(full, axis=1)
        return _every_month(groups, calendar, {"days_in_month": np.broadcast_to(calendar.days, days.shape),
                                               "person_days": person_days,
                                               "persons": np.cumsum(persons, axis=1)})
    return Computation(sql.monthly_events(source, keys, months), finish)


def month_end(source: str, keys: Sequence[str], months: sql.Months, bands: Sequence[int]) -> Computation[pa.Table]:
    """Per group, cumulative-duration band and month: persons on the benefit at the month's last day
    (:func:`maaltal.measures.spells.sql.month_end_events`), every month of every group and band that has one.

    Columns: the keys, ``band``, ``m``, ``persons``; ordered by group, band and month.
    """
    def finish(events: pa.Table) -> pa.Table:
        calendar = _Calendar(months)
        groups, place = _groups(events, [*keys, "band"], calendar)
        persons = np.cumsum(_laid_out(events.column("delta"), place, groups.num_rows, calendar), axis=1)
        return _every_month(groups, calendar, {"persons": persons})
    return Computation(sql.month_end_events(source, keys, months, bands), finish)


class _Calendar:
    """The months as positions 0 … n-1, with their month indices and lengths in days."""

    def __init__(self, months: sql.Months) -> None:
        periods = list(months)
        self.first = sql.month_index(months.first)
        self.size = len(periods)
        self.index = np.arange(self.first, self.first + self.size, dtype=np.int64)
        self.days = np.array([p.days for p in periods], dtype=np.int64)


def _groups(events: pa.Table, keys: list[str], calendar: _Calendar) -> tuple[pa.Table, np.ndarray]:
    """The distinct groups (their key columns, in the order of their keys) and each event's cell in the
    (groups × months) layout, or -1 for an event outside the months (a change that no month sees)."""
    code, space = np.zeros(events.num_rows, dtype=np.int64), 1
    for name in keys:  # one number per group, ordered as its key values are (the order is the same each time)
        encoded = pc.dictionary_encode(events.column(name), null_encoding="encode").combine_chunks()
        rank = np.empty(len(encoded.dictionary), dtype=np.int64)
        rank[pc.array_sort_indices(encoded.dictionary).to_numpy()] = np.arange(len(encoded.dictionary))
        code = code * max(len(encoded.dictionary), 1) + rank[encoded.indices.to_numpy(zero_copy_only=False)]
        space *= max(len(encoded.dictionary), 1)
    first_row, group = _distinct(code, space)
    position = events.column("m").to_numpy().astype(np.int64) - calendar.first
    inside = (position >= 0) & (position < calendar.size)
    place = np.where(inside, group * calendar.size + position, -1)
    return events.select(keys).take(pa.array(first_row)), place


def _distinct(code: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct code and each row's group (the codes' rank among the distinct ones):
    ``np.unique(code, return_index=True, return_inverse=True)``, by counting where the codes are few and
    small (municipalities × groups × bands: thousands), without sorting a million events."""
    if space > 4 * len(code) + 1024:
        _, first_row, group = np.unique(code, return_index=True, return_inverse=True)
        return first_row, group.reshape(-1)
    first = np.full(space, len(code), dtype=np.int64)
    np.minimum.at(first, code, np.arange(len(code), dtype=np.int64))
    present = first < len(code)
    return first[present], (np.cumsum(present) - 1)[code]


def _laid_out(column: pa.ChunkedArray, place: np.ndarray, groups: int, calendar: _Calendar) -> np.ndarray:
    """The events' values summed into their cells: a (groups × months) array of integers."""
    inside = place >= 0
    # bincount sums in float64, exact for integers below 2⁵³ (a month has at most 31 days per spell)
    cells = np.bincount(place[inside], weights=column.to_numpy()[inside], minlength=groups * calendar.size)
    return np.rint(cells).astype(np.int64).reshape(groups, calendar.size)


def _every_month(groups: pa.Table, calendar: _Calendar, figures: dict[str, np.ndarray]) -> pa.Table:
    """One row per group and month: the group's keys repeated, the month index, and the figures."""
    rows = np.repeat(np.arange(groups.num_rows), calendar.size)
    table = groups.take(pa.array(rows))
    table = table.append_column("m", pa.array(np.tile(calendar.index, groups.num_rows)))
    for name, values in figures.items():
        table = table.append_column(name, pa.array(np.ascontiguousarray(values).reshape(-1)))
    return table
