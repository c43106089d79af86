"""From the engines' events to every month of every group: running sums in numpy.

The queries of :mod:`maaltal.measures.spells.sql` give, per group, only the months where something
changes (a few per spell). The figures are wanted for every month of every group, zeros included. In the
engine that meant a grid of groups × months joined to the events, grouped and summed by a window: most of
a query's time, for what is an addition. Here each group's changes are laid out in one row of a
(groups × months) array and summed along it, the same integer arithmetic on any engine.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from maaltal.measures.spells import sql
from maaltal.measures.spells.engines import Engine


def monthly(engine: Engine, keys: Sequence[str], months: sql.Months, source: str | None = None) -> pa.Table:
    """Per group (``keys``) and month: person-days on the benefit and distinct persons, every month of every
    group that has a spell in the months. ``source`` replaces the engine's spells (regions, the nation).

    Columns: the keys, ``m`` (:func:`maaltal.measures.spells.sql.month_index`), ``days_in_month``,
    ``person_days``, ``persons``; ordered by group and month.
    """
    events = engine.table(sql.monthly_events(source or engine.source, keys, months))
    calendar = _Calendar(months)
    groups, place = _groups(events, list(keys), calendar)
    days, full, persons = (_laid_out(events.column(name), place, groups.num_rows, calendar)
                           for name in ("days", "full_delta", "person_delta"))
    person_days = days + calendar.days * np.cumsum(full, axis=1)
    return _every_month(groups, calendar, {"days_in_month": np.broadcast_to(calendar.days, days.shape),
                                           "person_days": person_days,
                                           "persons": np.cumsum(persons, axis=1)})


def month_end(engine: Engine, keys: Sequence[str], months: sql.Months, bands: Sequence[int]) -> pa.Table:
    """Per group, cumulative-duration band and month: persons on the benefit at the month's last day
    (:func:`maaltal.measures.spells.sql.month_end_events`), every month of every group and band that has one.

    Columns: the keys, ``band``, ``m``, ``persons``; ordered by group, band and month.
    """
    events = engine.table(sql.month_end_events(engine.source, keys, months, bands))
    calendar = _Calendar(months)
    groups, place = _groups(events, [*keys, "band"], calendar)
    persons = np.cumsum(_laid_out(events.column("delta"), place, groups.num_rows, calendar), axis=1)
    return _every_month(groups, calendar, {"persons": persons})


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
    code = np.zeros(events.num_rows, dtype=np.int64)
    for name in keys:  # one number per group, ordered as its key values are (the order is the same each time)
        encoded = pc.dictionary_encode(events.column(name), null_encoding="encode").combine_chunks()
        rank = np.empty(len(encoded.dictionary), dtype=np.int64)
        rank[pc.array_sort_indices(encoded.dictionary).to_numpy()] = np.arange(len(encoded.dictionary))
        code = code * max(len(encoded.dictionary), 1) + rank[encoded.indices.to_numpy(zero_copy_only=False)]
    _, first_row, group = np.unique(code, return_index=True, return_inverse=True)
    position = events.column("m").to_numpy().astype(np.int64) - calendar.first
    inside = (position >= 0) & (position < calendar.size)
    place = np.where(inside, group.reshape(-1) * calendar.size + position, -1)
    return events.select(keys).take(pa.array(first_row)), place


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
