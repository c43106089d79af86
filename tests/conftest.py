"""Shared fixtures: a real DuckDB store in a temporary folder, the area registry, the seed data files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maaltal.areas import AreaRegistry
from maaltal.sources import observations_csv
from maaltal.store import Store

TEST_DATA = Path(__file__).parent / "data"
SHARED_DATA = Path(os.environ.get("MAALTAL_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
SEEDS = Path(os.environ.get("MAALTAL_SEEDS", Path(__file__).parents[2] / "shared" / "seeds"))


@pytest.fixture(scope="session")
def registry() -> AreaRegistry:
    return AreaRegistry.default()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "maaltal.duckdb"


@pytest.fixture
def store(store_path: Path):
    with Store.open(store_path) as s:
        yield s


@pytest.fixture
def hvidovre_store(store: Store, registry: AreaRegistry) -> Store:
    """Hvidovre's gross unemployment April–June 2022 as in the minutes (item 9), with Vestegnen."""
    observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    return store


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared real data folder {SHARED_DATA} is not present")
    return SHARED_DATA


@pytest.fixture
def seeds() -> Path:
    """The five published minutes in ../shared/seeds (never copied into the repo)."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed minutes folder {SEEDS} is not present")
    return SEEDS


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "maaltal", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "120", **(env or {})}, timeout=timeout)


def cli_json(*args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
