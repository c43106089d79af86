"""YAML that people edit: aliases that expand without end, or into themselves, are refused in Danish with the
line — in every command that reads YAML (here ``maaltal goals check``) as in the dashboard's editor."""

from __future__ import annotations

import pytest

from maaltal import yamlfile
from maaltal.errors import InputError
from tests.conftest import run_cli
from tests.test_web_guard import BOMB


def test_the_alias_bomb_is_refused_after_a_bounded_number_of_values():
    assert len(BOMB.encode()) < 300  # 9⁷ = 4.782.969 values if expanded
    with pytest.raises(InputError, match=r"fil bombe.yaml, linje \d+: aliasserne udfolder sig"):
        yamlfile.loads(BOMB, "bombe.yaml")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "goals:\n  - &g\n    id: x\n    sub: *g\n"])
def test_a_recursive_alias_is_refused_with_its_line(text):
    with pytest.raises(InputError, match=r"linje \d+: et alias henviser til sig selv"):
        yamlfile.loads(text, "x.yaml")


def test_an_ordinary_alias_still_works():
    doc = yamlfile.loads("base: &b {unit: personer}\nAUP01: *b\nAUP02: *b\n", "mapping.yaml")
    assert doc.data["AUP02"] == {"unit": "personer"} and doc.line(("AUP02",)) == 3


def test_goals_check_refuses_the_bomb_in_danish(tmp_path):
    for name, text, message in (("bombe.yaml", BOMB, "aliasserne udfolder sig"),
                                ("rekursiv.yaml", "name: x\ngoals: &g [*g]\n", "rekursivt alias")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = run_cli("--store", str(tmp_path / "ingen.duckdb"), "goals", "check", str(tmp_path / name))
        assert result.returncode == 2 and message in result.stderr and "linje" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
