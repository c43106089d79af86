"""The spell computations, written once in DuckDB's SQL dialect and translated for other engines.

Why events and not an expansion into months: a spell of four years expanded into its 48 months is 48
rows; five million spells become a quarter of a billion. Instead every spell contributes a handful of
events: the days of its partial first and last month, +1 full month from its second month and −1 in
its last (a running sum over the months gives the spells that cover a whole month). Persons are counted
the same way once each person's months are merged: sorted by start, a spell only adds the months after
the furthest end of that person's earlier spells in the group (one windowed pass), +1 where the new
months begin and −1 after they end. The engines only group the events by their month; the events are added
up and summed over the months, for every month of every group, outside them
(:mod:`maaltal.measures.spells.running`).

Everything is integer arithmetic (days and counts); a full-time figure is person-days divided by the
days of the month, done once outside the engine, so DuckDB and Spark give the same figures to the digit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from maaltal.errors import PeriodError
from maaltal.periods import Freq, Period, PeriodRange

# The columns of the spells relation the queries read (a table, a view or a Parquet file).
SPELL_COLUMNS = ("person", "kommune", "ydelse", "alder", "koen", "start_date", "end_date")
DIMENSION_KEYS = ("ydelse", "alder", "koen")


@dataclass(frozen=True)
class Months:
    """The months a computation covers; spells are clipped to them and open spells run to their end."""

    first: Period
    last: Period

    @classmethod
    def of(cls, months: PeriodRange) -> Months:
        if months.start.freq is not Freq.MONTH:
            raise PeriodError(f"Forløbstal beregnes pr. måned; angiv måneder, fx 2019M01..2023M12, ikke {months}")
        return cls(months.start, months.end)

    def __iter__(self):
        return iter(PeriodRange(self.first, self.last))

    @property
    def first_day(self) -> date:
        return self.first.start

    @property
    def last_day(self) -> date:
        return self.last.end


def month_index(period: Period) -> int:
    """The month number the queries use: year × 12 + month − 1 (equal to ``Period.ordinal``)."""
    return period.year * 12 + period.index - 1


def _clipped(source: str, keys: Sequence[str], months: Months) -> str:
    first, last = months.first_day.isoformat(), months.last_day.isoformat()
    cols = ", ".join(keys)
    return f"""
    SELECT {cols}, person,
           CASE WHEN start_date < DATE '{first}' THEN DATE '{first}' ELSE start_date END AS s,
           CASE WHEN end_date IS NULL OR end_date > DATE '{last}' THEN DATE '{last}' ELSE end_date END AS e
    FROM {source}
    WHERE start_date <= DATE '{last}' AND (end_date IS NULL OR end_date >= DATE '{first}')"""


def regrouped(source: str, areas: Mapping[str, str] | None) -> str:
    """The spells with each municipality replaced by its region (``areas``: code → region), or by the
    nation ``000`` when ``areas`` is ``None``: the queries then count persons once across municipalities."""
    others = ", ".join(c for c in SPELL_COLUMNS if c != "kommune")
    if areas is None:
        return f"(SELECT {others}, '000' AS kommune FROM {source}) AS nation"
    pairs = ", ".join(f"('{code}', '{region}')" for code, region in sorted(areas.items()))
    return (f"(SELECT {others}, areas.region AS kommune FROM {source}"
            f" JOIN (VALUES {pairs}) AS areas(code, region) ON kommune = areas.code) AS regions")


def monthly_events(source: str, keys: Sequence[str], months: Months) -> str:
    """Per group (``keys``) and month where anything changes: the events whose sums, and running sums over
    the months, give person-days on the benefit and distinct persons (:func:`maaltal.measures.spells.running.monthly`
    adds them up and takes them to every month). A group's month may have several rows; they add up.

    Columns: the keys, ``m`` (:func:`month_index`), ``days`` (the days of partial months), ``full_delta``
    (the change in spells covering a whole month) and ``person_delta`` (the change in distinct persons).
    Every group with a spell in the months has a row at the month of its first start.
    """
    cols = ", ".join(keys)
    last_m = month_index(months.last)
    return f"""
WITH clipped AS ({_clipped(source, keys, months)}
),
marked AS (
    SELECT {cols}, ms, me,
           CASE WHEN ms = me THEN day(e) - day(s) + 1 ELSE day(last_day(s)) - day(s) + 1 END AS first_days,
           day(e) AS last_days,
           max(me) OVER (PARTITION BY {cols}, person ORDER BY ms, me
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
    FROM (SELECT {cols}, person, s, e, year(s) * 12 + month(s) - 1 AS ms, year(e) * 12 + month(e) - 1 AS me
          FROM clipped) AS spans
),
by_start AS (
    SELECT {cols}, ms AS m, CAST(sum(first_days) AS BIGINT) AS days,
           CAST(sum(CASE WHEN me > ms + 1 THEN 1 ELSE 0 END) AS BIGINT) AS full_starts
    FROM marked GROUP BY {cols}, ms
),
by_end AS (
    SELECT {cols}, me AS m, CAST(sum(CASE WHEN me > ms THEN last_days ELSE 0 END) AS BIGINT) AS days,
           CAST(sum(CASE WHEN me > ms + 1 THEN 1 ELSE 0 END) AS BIGINT) AS full_ends,
           CAST(sum(CASE WHEN (covered_to IS NULL OR me > covered_to) AND me < {last_m} THEN 1 ELSE 0 END) AS BIGINT)
               AS person_ends
    FROM marked GROUP BY {cols}, me
),
by_fresh AS (
    SELECT {cols}, CASE WHEN covered_to >= ms THEN covered_to + 1 ELSE ms END AS m,
           CAST(count(*) AS BIGINT) AS person_starts
    FROM marked WHERE covered_to IS NULL OR me > covered_to
    GROUP BY {cols}, CASE WHEN covered_to >= ms THEN covered_to + 1 ELSE ms END
),
events AS (
    SELECT {cols}, m, days, CAST(0 AS BIGINT) AS full_delta, CAST(0 AS BIGINT) AS person_delta FROM by_start
    UNION ALL
    SELECT {cols}, m + 1 AS m, CAST(0 AS BIGINT) AS days, full_starts AS full_delta, CAST(0 AS BIGINT) AS person_delta
    FROM by_start WHERE full_starts > 0
    UNION ALL
    SELECT {cols}, m, days, -full_ends AS full_delta, CAST(0 AS BIGINT) AS person_delta FROM by_end
    UNION ALL
    SELECT {cols}, m + 1 AS m, CAST(0 AS BIGINT) AS days, CAST(0 AS BIGINT) AS full_delta, -person_ends AS person_delta
    FROM by_end WHERE person_ends > 0
    UNION ALL
    SELECT {cols}, m, CAST(0 AS BIGINT) AS days, CAST(0 AS BIGINT) AS full_delta, person_starts AS person_delta
    FROM by_fresh
)
SELECT * FROM events
"""


def ended(source: str, keys: Sequence[str], months: Months) -> str:
    """Per group and calendar year of the end: ended spells and their total length in days (both ends counted).

    Columns: the keys, ``y``, ``spells``, ``days``. The average duration is ``days / spells``.
    """
    cols = ", ".join(keys)
    first, last = months.first_day.isoformat(), months.last_day.isoformat()
    return f"""
SELECT {cols}, year(end_date) AS y, CAST(count(*) AS BIGINT) AS spells,
       CAST(sum(date_diff('day', start_date, end_date) + 1) AS BIGINT) AS days
FROM {source}
WHERE end_date IS NOT NULL AND end_date >= DATE '{first}' AND end_date <= DATE '{last}'
GROUP BY {cols}, year(end_date)
ORDER BY {cols}, y
"""


def month_end_events(source: str, keys: Sequence[str], months: Months, bands: Sequence[int]) -> str:
    """Per group and month: persons on the benefit at the month's last day by cumulative duration band.

    The cumulative duration ("sammenlagt varighed") of a person at a day is the days of that person's
    earlier spells in the group plus the days of the current spell up to and including that day. A
    spell is split at the days where it crosses a band limit (``bands`` in days, ascending); each part
    counts +1 for every month that ends inside it. Open spells run to the last month. Spells of one person
    that overlap in the same group are counted as they are (the case system should not have them).
    Returns the changes only, per group, band and month where the count changes (``delta``; a month may
    have two rows, which add up), whose running sums over the months are the persons
    (:func:`maaltal.measures.spells.running.month_end`). Columns: the keys, ``band`` (0 = up to the first
    limit), ``m``, ``delta``.
    """
    cols = ", ".join(keys)
    first, last = months.first_day.isoformat(), months.last_day.isoformat()
    limits = [0, *bands]
    parts = []
    for number, low in enumerate(limits):
        high = limits[number + 1] if number + 1 < len(limits) else None
        # The part of the spell where the cumulative days d satisfy low < d <= high (day 1 is the first day).
        part_start = f"date_add(start_date, CAST(greatest({low} - prior, 0) AS INTEGER))"
        part_end = "end_day" if high is None else (
            f"least(end_day, date_add(start_date, CAST({high} - prior - 1 AS INTEGER)))")
        condition = "TRUE" if high is None else f"prior < {high}"
        parts.append(f"SELECT {cols}, {number} AS band, {part_start} AS a, {part_end} AS b FROM prior_days"
                     f" WHERE {condition}")
    union = "\n    UNION ALL\n    ".join(parts)
    return f"""
WITH spells_in AS (
    SELECT {cols}, person, start_date,
           coalesce(end_date, DATE '{last}') AS end_day
    FROM {source} WHERE start_date <= DATE '{last}'
),
prior_days AS (
    SELECT {cols}, start_date, end_day,
           coalesce(sum(date_diff('day', start_date, end_day) + 1) OVER (PARTITION BY {cols}, person
               ORDER BY start_date, end_day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prior
    FROM spells_in
),
parts AS (
    {union}
),
month_ranges AS (
    SELECT {cols}, band,
           year(a) * 12 + month(a) - 1 AS ma,
           year(b) * 12 + month(b) - 1 - CASE WHEN b = last_day(b) THEN 0 ELSE 1 END AS mb
    FROM parts WHERE a <= b AND b >= DATE '{first}'
),
events AS (
    SELECT {cols}, band, greatest(ma, {month_index(months.first)}) AS m, CAST(count(*) AS BIGINT) AS delta
    FROM month_ranges WHERE mb >= ma AND mb >= {month_index(months.first)}
    GROUP BY {cols}, band, greatest(ma, {month_index(months.first)})
    UNION ALL
    SELECT {cols}, band, mb + 1 AS m, CAST(-count(*) AS BIGINT) AS delta
    FROM month_ranges WHERE mb >= ma AND mb >= {month_index(months.first)} AND mb < {month_index(months.last)}
    GROUP BY {cols}, band, mb + 1
)
SELECT * FROM events
"""
