"""The command line's shared options and the registry of analysis kinds behind the budget and benchmark commands."""

import json
from pathlib import Path

import pytest
import typer

from maaltal.cli import app
from maaltal.cli.app import console
from maaltal.cli.sections import print_section
from maaltal.document import Column, Format, Section, Table
from maaltal.report import analyses, attachments
from tests.conftest import run_cli

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.mark.parametrize("args", [
    ("budget", "bridge", str(EXAMPLES / "budget/horsens-2021-bro.yaml")),
    ("benchmark", "reversals", str(EXAMPLES / "benchmarks/hvidovre-omgoerelser-2021.csv")),
    ("areas",),
])
def test_an_unknown_output_format_is_refused(args):
    """``--format xml`` used to print a table; now it is refused with the choices and nothing is printed."""
    result = run_cli(*args, "--format", "xml")
    assert result.returncode == 2
    assert "'xml'" in result.stderr and "'table', 'json'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_snapshot_must_be_a_positive_number(tmp_path):
    result = run_cli("--store", str(tmp_path / "s.duckdb"), "overview", "--area", "167", "--period", "2024M12",
                     "--snapshot", "0")
    assert result.returncode == 2 and "--snapshot" in result.stderr and "Traceback" not in result.stderr


def test_every_registered_kind_has_a_command_and_an_attachment():
    """The registry drives both: each kind is ``maaltal <group> <command>`` and ``--attach KIND=FILE``, and
    the budget and benchmark groups have no command that is not a registered kind."""
    root = typer.main.get_command(app)
    registered = {(kind.group, kind.command) for kind in analyses.KINDS.values()}
    for kind in analyses.KINDS.values():
        assert kind.command in root.commands[kind.group].commands, kind.name
        assert attachments.parse([f"{kind.name}=fil"]) == [(kind.name, Path("fil"))]
        assert kind.name in attachments.known_kinds()
    commands = {(group, name) for group in ("budget", "benchmark") for name in root.commands[group].commands}
    assert commands == registered
    assert [k.name for k in analyses.KINDS.values() if k.needs_engine] == ["forecast"]


def test_a_command_reads_its_file_as_the_registry_does(registry):
    """The command reads its file through the same kind as ``--attach``; its JSON is the result's ``to_dict``."""
    file = EXAMPLES / "benchmarks/horsens-brugerundersoegelse-2020.yaml"
    expected = analyses.KINDS["survey"].load(analyses.AnalysisRequest(file, registry)).to_dict()
    shown = run_cli("benchmark", "survey", str(file), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == json.loads(json.dumps(expected))


def test_a_missing_rank_is_a_dash_on_the_terminal():
    """The terminal prints cells with the report's formatter: a missing rank is "–", never "None af 8"."""
    table = Table("t", "Placering", columns=(Column("area", "Område"), Column("rank", "Placering", Format.RANK),
                                              Column("value", "Niveau", Format.NUMBER, 1)),
                  rows=(("Hvidovre", (2, 8), 2.6), ("Brøndby", (None, 8), None)))
    with console.capture() as captured:
        print_section(Section("s", "Sektion", blocks=(table,)))
    text = captured.get()
    assert "2 af 8" in text and "None" not in text
    brondby = next(line for line in text.splitlines() if "Brøndby" in line)
    assert brondby.count("–") == 2


@pytest.mark.parametrize(("args", "danish"), [
    (("figures", "--format", "xml"), "Fejl: ugyldig værdi for '--format': 'xml' er ikke en af 'table', 'json'"),
    (("figures", "--series", "x", "--area", "167", "--period", "2024M12", "--snapshot", "abc"),
     "Fejl: ugyldig værdi for '--snapshot': skal være et helt tal"),
    (("figurs",), "Fejl: ukendt kommando 'figurs'. Mente du figures?"),
    (("report",), "Fejl: tilvalget '--area' mangler."),
    (("areas", "--bogus"), "Fejl: ukendt tilvalg --bogus."),
    (("areas", "extra"), "Fejl: uventet ekstra argument: extra"),
    (("import", "spells"), "Fejl: argumentet FIL mangler."),
    (("users", "add"), "Fejl: argumentet BRUGERNAVN mangler."),
])
def test_usage_errors_are_danish(args, danish):
    """click writes its usage errors in English; the user reads them in Danish, with where to find help."""
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == danish
    assert "--help'." in result.stderr and "Usage" not in result.stderr and "Error" not in result.stderr
