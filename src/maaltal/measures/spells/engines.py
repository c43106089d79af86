"""The engines a spell computation runs on: the embedded DuckDB (default) and Apache Spark.

Both run the same SQL from :mod:`maaltal.measures.spells.sql`: DuckDB as written, Spark after sqlglot has
translated it to Spark SQL. sqlglot rather than Ibis, because the queries are a few hundred lines of
plain SQL that read the same in both dialects, and Ibis 12 would hold DuckDB below 2 and sqlglot below
30.18 for everything else maaltal does. An engine names the spells relation (``source``, with the columns of
:data:`maaltal.measures.spells.sql.SPELL_COLUMNS`) for the queries and returns their results as Arrow
tables (or plain Python rows). A :class:`Computation` is one query with what turns its result into
figures; :func:`run_ahead` runs a list of them with the engine and Python working at the same time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import duckdb
import pyarrow as pa

from maaltal.errors import MaaltalError

SOURCE = "spells_input"
Rows = list[tuple[Any, ...]]


class Engine(Protocol):
    name: str
    source: str

    def query(self, sql: str) -> Rows:
        """Run one query written in DuckDB's dialect and return its rows."""

    def table(self, sql: str) -> pa.Table:
        """Run one query written in DuckDB's dialect and return its result as an Arrow table."""

    def interrupt(self) -> None:
        """Stop the query running now, from another thread (a caller that gave up on its result)."""


class DuckDBEngine:
    """The embedded engine. ``source_sql`` is a query or a table function giving the spells."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, source_sql: str) -> None:
        self._con = con
        self.source = f"({source_sql}) AS {SOURCE}"

    def query(self, sql: str) -> Rows:
        return self._con.execute(sql).fetchall()

    def table(self, sql: str) -> pa.Table:
        return self._con.execute(sql).to_arrow_table()

    def interrupt(self) -> None:
        self._con.interrupt()


T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Computation(Generic[T]):
    """One query and what turns its result into figures, kept apart so that an engine can run the query
    while the figures of the one before are made (:func:`run_ahead`). ``finish`` works on the result alone
    and never on the engine, which is then busy with the next query in another thread."""

    query: str
    finish: Callable[[pa.Table], T]

    def then(self, step: Callable[[T], U]) -> Computation[U]:
        """The same query, its figures taken one step further."""
        finish = self.finish
        return Computation(self.query, lambda result: step(finish(result)))

    def on(self, engine: Engine) -> T:
        """The figures, the query run here and now (a test, or a single computation)."""
        return self.finish(engine.table(self.query))


@contextmanager
def run_ahead(engine: Engine, computations: Sequence[Computation[T]]) -> Iterator[Iterator[T]]:
    """The computations' figures in order, each query run on ``engine`` in one worker thread while the
    caller makes the figures of the one before.

    The engine works while Python sums and labels: a seventh of the figures' time for 300.000 spells
    (1,17 s → 1,01 s). One query runs at a time, and the engine is used by the worker alone; the next query
    is started when the result before it is taken, so at most one result waits. Leaving the block waits for
    a running query, or interrupts it when the block is left by an exception (Ctrl-C, a failed step).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="maaltal-query") as pool:
        def figures() -> Iterator[T]:
            pending = pool.submit(engine.table, computations[0].query) if computations else None
            for index, computation in enumerate(computations):
                result = pending.result()
                if index + 1 < len(computations):
                    pending = pool.submit(engine.table, computations[index + 1].query)
                yield computation.finish(result)
        try:
            yield figures()
        except BaseException:
            engine.interrupt()  # Ctrl-C or a failure in the caller: the running query is not waited for
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def to_spark_sql(sql: str) -> str:
    """The DuckDB query in Spark SQL (sqlglot loaded here: only Spark needs it)."""
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


def java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME")) or shutil.which("java") is not None


class SparkEngine:
    """Apache Spark through pyspark: local (``local[2]``) or a cluster (``spark://host:7077``, ``yarn``)."""

    name = "spark"
    source = SOURCE

    def __init__(self, session: Any, parquet_path: str) -> None:
        self._spark = session
        session.read.parquet(parquet_path).createOrReplaceTempView(SOURCE)

    def query(self, sql: str) -> Rows:
        return [tuple(row) for row in self._spark.sql(to_spark_sql(sql)).collect()]

    def table(self, sql: str) -> pa.Table:
        """The result as an Arrow table with the query's column names and types, an empty one too (the
        results are aggregates: small)."""
        return self._spark.sql(to_spark_sql(sql)).toArrow()

    def interrupt(self) -> None:
        self._spark.sparkContext.cancelAllJobs()


@contextmanager
def spark_session(master: str, *, shuffle_partitions: int = 4) -> Iterator[Any]:
    """A Spark session for maaltal: no web UI, few shuffle partitions, bound to localhost when local."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MaaltalError("Spark er ikke installeret: pip install 'maaltal[spark]'") from None
    if not java_available():
        raise MaaltalError("Spark kræver Java (17 eller nyere): installér en JDK eller sæt JAVA_HOME")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (SparkSession.builder.master(master).appName("maaltal")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def export_parquet(con: duckdb.DuckDBPyConnection, source_sql: str, path: Path) -> str:
    """Write the spells a DuckDB query gives to Parquet, for an engine that reads files."""
    con.execute(f"COPY ({source_sql}) TO '{path}' (FORMAT parquet)")
    return str(path)
