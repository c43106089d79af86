"""One expression, two engines: the spell figures on a local Spark session equal DuckDB's to the last digit."""

from __future__ import annotations

import random

import pytest

from maaltal.measures.spells import engines
from maaltal.store import Store
from tests.conftest import run_cli, run_cli_process
from tests.spells_helpers import key_file, spell, write

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def small_spell_set() -> list[tuple[str, ...]]:
    """300 spells of 80 persons in three municipalities, with overlaps, gaps and open spells (seeded)."""
    rng = random.Random(7)
    rows = []
    for _ in range(300):
        person = rng.randrange(80)
        start = f"20{rng.randrange(19, 23)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        end = "" if rng.random() < 0.1 else f"20{rng.randrange(23, 24)}-{rng.randrange(1, 13):02d}-28"
        if rng.random() < 0.5:
            end = f"{start[:4]}-12-31"
        rows.append(spell(person, rng.choice(("a-dagpenge", "sygedagpenge", "ledighedsydelse")), start, end,
                          ("167", "101", "657")[person % 3], born=f"19{rng.randrange(50, 99)}-05-05"))
    return rows


def test_compute_ftp_on_spark_equals_duckdb(tmp_path, store_path):
    if not engines.java_available():
        pytest.skip("Java findes ikke på maskinen; Spark-testen kræver Java 17")
    path = write(tmp_path / "spark_fake.csv", [r[:6] for r in small_spell_set()],
                 header=("cpr", "ydelse", "start", "slut", "kommune", "fødselsdato"))
    key = str(key_file(tmp_path))
    imported = run_cli("--store", str(store_path), "import", "spells", str(path), "--key-file", key,
                       "--months", "2019M01..2023M12", "--aggregate")
    assert imported.returncode == 0, imported.stderr
    on_duckdb = run_cli("--store", str(store_path), "compute", "ftp", "--months", "2019M01..2023M12", "--aggregate")
    assert on_duckdb.returncode == 0, on_duckdb.stderr
    on_spark = run_cli_process("--store", str(store_path), "compute", "ftp", "--engine", "spark", "--spark-master",
                       "local[2]", "--months", "2019M01..2023M12", "--aggregate", timeout=900)
    assert on_spark.returncode == 0, on_spark.stderr
    assert "Beregnet på spark" in on_spark.stdout

    with Store.open(store_path, read_only=True) as store:
        def figures(snapshot_id: int) -> list[tuple]:
            return store.connection.execute(
                "SELECT series, area, period, dims, value, unit, suppressed FROM observations"
                " WHERE snapshot_id = ? ORDER BY ALL", [snapshot_id]).fetchall()
        imported_figures, duckdb_figures, spark_figures = figures(1), figures(2), figures(3)
    assert len(spark_figures) > 5000
    assert {row[0] for row in spark_figures} == {"fuldtidspersoner", "personer", "varighed_afsluttede_forloeb",
                                                 "afsluttede_forloeb", "personer_ultimo"}
    assert {row[1] for row in spark_figures} == {"167", "101", "657", "1084", "1082", "000"}
    assert spark_figures == duckdb_figures == imported_figures
