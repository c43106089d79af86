"""Ctrl-C and pipes on the command line: an interrupted command says so and exits with 130 (as the shell
gives it), with the store as it was; output in a pipe is never cut to Rich's 80 columns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from maaltal.store import Store
from tests.conftest import run_cli, run_cli_process
from tests.spells_helpers import VARIED_HEADER, key_file, spell, varied_extract, write


def _extract(folder, n: int = 200):
    return write(folder / "udtraek.csv", varied_extract(n), header=VARIED_HEADER, delimiter=";"), key_file(folder)


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, lambda: RuntimeError("Query interrupted")],
                         ids=["in Python", "in a DuckDB query"])
def test_ctrl_c_during_an_import_says_afbrudt_exits_130_and_leaves_no_store(tmp_path, monkeypatch, interrupt):
    from maaltal.measures.spells import compute

    def stopped(*args, **kwargs):
        raise interrupt()
    monkeypatch.setattr(compute, "from_table", stopped)
    extract, key = _extract(tmp_path)
    result = run_cli("--store", str(tmp_path / "ny.duckdb"), "import", "spells", str(extract), "--key-file", str(key))
    assert result.returncode == 130 and result.stderr.strip() == "Afbrudt."
    assert not (tmp_path / "ny.duckdb").exists()  # a new store that got nothing is not left behind


def test_ctrl_c_leaves_an_existing_store_as_it_was(tmp_path, monkeypatch):
    from maaltal.measures.spells import compute

    extract, key = _extract(tmp_path)
    store = tmp_path / "s.duckdb"
    assert run_cli("--store", str(store), "import", "spells", str(extract), "--key-file", str(key)).returncode == 0
    again = write(tmp_path / "nyt.csv", [spell(1, "a-dagpenge", "2021-01-04")])

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(compute, "from_table", stopped)
    result = run_cli("--store", str(store), "import", "spells", str(again), "--key-file", str(key))
    assert result.returncode == 130
    with Store.open(store, read_only=True) as opened:
        assert [s.id for s in opened.snapshots()] == [1]


def test_a_real_sigint_stops_a_spell_import_at_once_with_130(tmp_path):
    """The end-to-end path: the signal reaches Python or DuckDB, wherever the import is."""
    sys.path.insert(0, str(os.path.join(os.path.dirname(__file__), "..", "benchmarks")))
    import spell_import

    extract = tmp_path / "stor.csv"
    spell_import.generate(400_000, extract)
    _, key = _extract(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "maaltal", "--store", str(tmp_path / "s.duckdb"), "import",
                                "spells", str(extract), "--key-file", str(key)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # the command has started by then (0,3 s here), and the import (3–4 s) has not ended
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().endswith("Afbrudt.") and "Traceback" not in err and "Indlæst" not in out
    assert not (tmp_path / "s.duckdb").exists()


def test_a_table_in_a_pipe_is_printed_whole(tmp_path):
    extract, key = _extract(tmp_path)
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "spells", str(extract), "--key-file", str(key)).returncode == 0
    listed = run_cli_process("--store", store, "series", env={"COLUMNS": ""})  # no width given: a pipe
    assert listed.returncode == 0
    assert "varighed_afsluttede_forloeb" in listed.stdout and "…" not in listed.stdout
    assert "ydelse=kontanthjælp" in listed.stdout.lower()


def test_a_series_only_broken_down_is_named_with_a_breakdown_to_ask_for(tmp_path):
    """The spell figures have no series without dimensions: asked as a whole, the answer says which
    breakdown to ask for instead of that the area has no figures."""
    extract, key = _extract(tmp_path)
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "spells", str(extract), "--key-file", str(key)).returncode == 0
    whole = run_cli("--store", store, "figures", "--series", "fuldtidspersoner", "--area", "167", "--period", "2020M06")
    assert whole.returncode == 2
    assert "fuldtidspersoner findes kun opdelt; vælg en opdeling, fx ydelse=i alt" in whole.stderr
    assert "men ikke for Hvidovre" not in whole.stderr
    total = run_cli("--store", store, "figures", "--series", "fuldtidspersoner", "--area", "167", "--period", "2020M06",
                    "--dim", "ydelse=i alt")
    assert total.returncode == 0, total.stderr


def test_a_spell_file_imported_again_the_same_way_is_already_imported(tmp_path):
    extract, key = _extract(tmp_path)
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "spells", str(extract), "--key-file", str(key)).returncode == 0
    again = run_cli("--store", store, "import", "spells", str(extract), "--key-file", str(key))
    assert again.returncode == 0 and "udtraek.csv er allerede indlæst som øjebliksbillede 1" in again.stdout
    with Store.open(store, read_only=True) as opened:
        assert [s.id for s in opened.snapshots()] == [1]
