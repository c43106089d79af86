"""Shared fixtures: a real DuckDB store in a temporary folder, the area registry, the seed data files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from hypothesis import settings

from maaltal.areas import AreaRegistry
from maaltal.sources import observations_csv
from maaltal.store import Store

# The fuzzers' size: "ci" (the default) keeps `make test` in minutes; HYPOTHESIS_PROFILE=deep searches longer.
settings.register_profile("ci", max_examples=25, deadline=None)
settings.register_profile("deep", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


def build_demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic demo store (what ``maaltal demo`` writes), built once per test session."""
    from maaltal import demo

    built = tmp_path_factory.getbasetemp() / "demo-store" / "demo.duckdb"
    if not built.exists():
        built.parent.mkdir(exist_ok=True)
        with Store.open(built) as store:
            demo.build(store)
    return built


def copy_demo_store(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A copy of the session's demo store for a test (or module) that writes to it."""
    copy = tmp_path_factory.mktemp(name) / "maaltal.duckdb"
    shutil.copyfile(build_demo_store(tmp_path_factory), copy)
    return copy


@pytest.fixture(scope="session")
def demo_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's demo store: open it read-only; a test that writes takes :func:`copy_demo_store`."""
    return build_demo_store(tmp_path_factory)


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
    """Run the command line as a user would and return its exit code, stdout and stderr.

    In this process by default (Typer's runner isolates stdin, stdout, stderr and the environment), through
    the same :func:`maaltal.cli.app.run` as ``maaltal`` itself, so that errors become the same Danish
    messages and exit codes; a subprocess per call cost 1–2 s. ``MAALTAL_CLI_SUBPROCESS=1`` runs every call
    as a real subprocess instead; :func:`run_cli_process` always does (the end-to-end tests).
    """
    if os.environ.get("MAALTAL_CLI_SUBPROCESS") == "1":
        return run_cli_process(*args, env=env, timeout=timeout)
    return _run_cli_in_process(list(args), {"COLUMNS": "120", **(env or {})})


def run_cli_process(*args: str, env: dict[str, str] | None = None, timeout: float = 120
                    ) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would: the end-to-end path."""
    return subprocess.run([sys.executable, "-m", "maaltal", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "120", **(env or {})}, timeout=timeout)


def _run_cli_in_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    from typer.testing import CliRunner

    from maaltal.cli import app, run

    argv = sys.argv
    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        sys.argv = ["maaltal", *args]
        try:
            code = run(app)
        except SystemExit as exc:  # as the interpreter would end
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # an unexpected error: a traceback and exit code 1, as from `python -m maaltal`
            traceback.print_exc()
            code = 1
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["maaltal", *args], code, out, err)


def cli_json(*args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
