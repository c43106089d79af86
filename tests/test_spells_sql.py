"""The event queries against the naive method (every spell expanded into its days), on any spells."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from datetime import date, timedelta

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maaltal.measures.spells import engines, running, sql
from maaltal.periods import PeriodRange

MONTHS = sql.Months.of(PeriodRange.parse("2020M02..2021M03"))
DAY0 = date(2019, 11, 1)

spell_strategy = st.tuples(
    st.integers(0, 4),                      # person
    st.sampled_from(["167", "101"]),        # municipality
    st.sampled_from(["a", "b"]),            # benefit group
    st.integers(0, 700),                    # start, days after DAY0
    st.one_of(st.none(), st.integers(0, 400)),  # length in days - 1, or open
)


def _engine(spells) -> engines.DuckDBEngine:
    con = duckdb.connect()
    table = pa.table({
        "person": [f"p{p}" for p, *_ in spells], "kommune": [k for _, k, *_ in spells],
        "ydelse": [y for _, _, y, *_ in spells], "alder": ["x"] * len(spells), "koen": [None] * len(spells),
        "start_date": pa.array([DAY0 + timedelta(s) for *_, s, _ in spells], pa.date32()),
        "end_date": pa.array([None if n is None else DAY0 + timedelta(s + n) for *_, s, n in spells], pa.date32()),
    })
    con.register("t", table)
    return engines.DuckDBEngine(con, "SELECT * FROM t")


def _monthly(engine, months):
    return running.monthly(engine.source, ("kommune", "ydelse"), months).on(engine)


def _month_end(engine):
    return running.month_end(engine.source, ("kommune", "ydelse"), MONTHS, (30, 90)).on(engine)


def _days(start: int, length: int | None):
    end = MONTHS.last_day if length is None else DAY0 + timedelta(start + length)
    day = DAY0 + timedelta(start)
    while day <= end:
        yield day
        day += timedelta(1)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spell_strategy, min_size=1, max_size=25))
def test_monthly_equals_the_naive_expansion(spells):
    person_days, persons = Counter(), defaultdict(set)
    for person, kommune, ydelse, start, length in spells:
        for day in _days(start, length):
            if MONTHS.first_day <= day <= MONTHS.last_day:
                m = sql.month_index(PeriodRange.parse(f"{day.year}M{day.month:02d}").start)
                person_days[(kommune, ydelse, m)] += 1
                persons[(kommune, ydelse, m)].add(person)
    engine = _engine(spells)
    rows = list(zip(*_monthly(engine, MONTHS).to_pydict().values(), strict=True))
    got = {(k, y, m): (d, p) for k, y, m, _, d, p in rows if d or p}
    assert got == {key: (person_days[key], len(persons[key])) for key in person_days}
    assert all(d == 0 and p == 0 for k, y, m, _, d, p in rows if (k, y, m) not in person_days)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spell_strategy, min_size=1, max_size=25))
def test_month_end_bands_follow_the_cumulative_days(spells):
    expected = Counter()
    by_person = defaultdict(list)
    for person, kommune, ydelse, start, length in spells:
        by_person[(person, kommune, ydelse)].append((start, length))
    for (_, kommune, ydelse), own in by_person.items():
        own.sort(key=lambda s: (s[0], MONTHS.last_day if s[1] is None else DAY0 + timedelta(s[0] + s[1])))
        for month in MONTHS:
            prior = 0
            for start, length in own:
                days = list(_days(start, length))
                if days and days[0] <= month.end <= days[-1]:
                    cumulative = prior + (month.end - days[0]).days + 1
                    band = 0 if cumulative <= 30 else (1 if cumulative <= 90 else 2)
                    expected[(kommune, ydelse, band, month.ordinal)] += 1
                prior += len(days)
    engine = _engine(spells)
    rows = list(zip(*_month_end(engine).to_pydict().values(),
                    strict=True))
    assert {tuple(r[:4]): r[4] for r in rows if r[4]} == +expected


def test_ended_spells_count_both_ends():
    engine = _engine([(1, "167", "a", 100, 6), (2, "167", "a", 100, 13), (3, "167", "a", 100, None)])
    assert engine.query(sql.ended(engine.source, ("kommune", "ydelse"), MONTHS)) == [("167", "a", 2020, 2, 7 + 14)]


def test_no_events_give_empty_tables_with_their_columns():
    """Spells that end before any month's last day give no month-end events (and none at all before the
    months): the running sums are then empty tables with the columns and types a result has, on any engine."""
    engine = _engine([(1, "167", "a", 94, 7)])  # 3–10 February 2020
    ends = _month_end(engine)
    assert ends.num_rows == 0 and ends.column_names == ["kommune", "ydelse", "band", "m", "persons"]
    assert ends.schema.field("persons").type == pa.int64()
    before = sql.Months.of(PeriodRange.parse("2019M01..2019M06"))
    monthly = _monthly(engine, before)
    assert monthly.num_rows == 0
    assert monthly.column_names == ["kommune", "ydelse", "m", "days_in_month", "person_days", "persons"]
    assert _monthly(engine, MONTHS).column("persons").to_pylist()[:2] == [1, 0]


class _Watched:
    """A DuckDB engine that notes each query it runs, and the thread that runs it."""

    def __init__(self, engine: engines.DuckDBEngine) -> None:
        self.source, self._engine, self.ran = engine.source, engine, []

    def table(self, query: str) -> pa.Table:
        self.ran.append((query, threading.get_ident()))
        return self._engine.table(query)

    def interrupt(self) -> None:
        self.ran.append(("interrupt", threading.get_ident()))
        self._engine.interrupt()


def test_computations_run_ahead_one_at_a_time_and_give_their_figures_in_order():
    engine = _Watched(_engine([(1, "167", "a", 100, 40), (2, "101", "b", 200, None)]))
    computations = [engines.Computation(f"SELECT {n} AS n", lambda t: t.column("n")[0].as_py() * 10) for n in range(4)]
    with engines.run_ahead(engine, computations) as results:
        assert list(results) == [0, 10, 20, 30]
    assert [query for query, _ in engine.ran] == [c.query for c in computations]
    assert len({thread for _, thread in engine.ran}) == 1 and engine.ran[0][1] != threading.get_ident()
    # the same figures as computed one by one, here for the monthly sums
    monthly = running.monthly(engine.source, ("kommune", "ydelse"), MONTHS)
    with engines.run_ahead(engine, [monthly]) as results:
        assert next(results).equals(monthly.on(engine))


def test_a_failed_query_is_raised_in_its_turn_and_the_rest_are_not_run():
    engine = _Watched(_engine([(1, "167", "a", 100, 40)]))
    queries = ["SELECT 1 AS n", "SELECT * FROM no_such_table", "SELECT 3 AS n", "SELECT 4 AS n"]
    computations = [engines.Computation(q, lambda t: t.num_rows) for q in queries]
    with pytest.raises(duckdb.CatalogException), engines.run_ahead(engine, computations) as results:
        assert next(results) == 1
        next(results)
    assert [query for query, _ in engine.ran if query != "interrupt"] == queries[:2]  # nothing after it runs


@given(st.lists(st.integers(0, 40), max_size=60), st.sampled_from([41, 10**7]))
def test_distinct_codes_by_counting_are_numpys_unique(codes, space):
    code = np.array(codes, dtype=np.int64)
    _, first_row, group = np.unique(code, return_index=True, return_inverse=True)
    counted_first, counted_group = running._distinct(code, space)
    assert counted_first.tolist() == first_row.tolist() and counted_group.tolist() == group.reshape(-1).tolist()


def test_a_caller_that_gives_up_interrupts_the_running_query():
    """Ctrl-C (or a failure while the figures are made) stops the query running ahead instead of waiting for
    it: DuckDB is interrupted from the caller's thread, as it is when it runs there."""
    engine = _Watched(_engine([(1, "167", "a", 100, 40)]))
    endless = "SELECT count(*) AS n FROM range(10000000000) r(i) WHERE hash(i) % 7 = 3"
    computations = [engines.Computation("SELECT 1 AS n", lambda t: t.num_rows), engines.Computation(endless, len)]
    with pytest.raises(KeyboardInterrupt), engines.run_ahead(engine, computations) as results:
        next(results)
        raise KeyboardInterrupt
    assert engine.ran[-1] == ("interrupt", threading.get_ident())
