"""The command line's help: Danish, every command listed with its line, and quick because it imports nothing
a command needs only when it runs (issue 15: ``maaltal --help`` within 2 × ``import duckdb, typer``)."""

import json
import subprocess
import sys

import pytest
import typer

from maaltal.cli import app
from maaltal.cli.commands import COMMANDS
from maaltal.cli.helpformat import first_paragraph, option_help
from tests.conftest import run_cli

ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "[default", "[required",
           "Install completion", "[OPTIONS]", "COMMAND [ARGS]")


def test_the_help_lists_every_command_with_its_line_in_danish():
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Brug: ") and lines[0].endswith("maaltal [TILVALG] KOMMANDO [ARGUMENTER]...")
    assert "Tilvalg:" in lines and "Kommandoer:" in lines
    assert "  --help                Vis denne hjælp og afslut." in lines
    listed = lines[lines.index("Kommandoer:") + 1:]
    # off a terminal nothing is wrapped: one line per command, its whole first paragraph
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    for line, (name, entry) in zip(listed, COMMANDS.items(), strict=True):
        assert line.split(None, 1)[1] == entry.help, name
    assert not [word for word in ENGLISH if word in result.stdout]


def test_the_list_is_the_commands_own_first_paragraph_and_misses_none():
    """The help lists commands without importing them; its lines must be the commands' own help."""
    for entry in {entry.module for entry in COMMANDS.values()}:
        __import__(f"maaltal.cli.{entry}")
    root = typer.main.get_command(app)
    registered = set(root.commands.loaded)
    assert registered == set(COMMANDS)
    for name, entry in COMMANDS.items():
        assert first_paragraph(root.commands[name].help) == entry.help, name


@pytest.mark.parametrize("args", [("figures",), ("budget",), ("budget", "bridge"), ("import", "spells"),
                                  ("users", "add"), ("serve",)])
def test_a_commands_help_is_danish(args):
    result = run_cli(*args, "--help")
    assert result.returncode == 0, result.stderr
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Brug: ") and f"maaltal {' '.join(args)} [TILVALG]" in usage
    assert "Tilvalg:" in result.stdout and "Vis denne hjælp og afslut." in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout]


def test_arguments_are_named_in_danish_in_the_usage_and_the_list():
    shown = run_cli("import", "spells", "--help").stdout
    assert shown.splitlines()[0] == "Brug: maaltal import spells [TILVALG] {FIL}"
    assert "  FIL <sti>  " in shown and "--key-file <sti>" in shown  # an option's own name is left alone
    assert run_cli("minutes", "show", "--help").stdout.splitlines()[0] == "Brug: maaltal minutes show [TILVALG] [MØDE]"


def test_defaults_and_required_options_in_danish():
    shown = run_cli("figures", "--help").stdout
    assert "Periode, fx 2022M06, 2023Q3, 2023  [påkrævet]" in shown
    assert "[standard: period]" in shown and "--snapshot <heltal>" in shown
    assert option_help("Spark-master: local[2]  [default: local[2]]") == "Spark-master: local[2]  [standard: local[2]]"
    assert option_help("Antal [stk.]") == "Antal [stk.]"


def test_a_group_alone_shows_its_help_without_an_error():
    """``maaltal budget`` lists its commands (exit code 2, as click's), without an empty "Fejl:"."""
    result = run_cli("budget")
    assert result.returncode == 2
    assert result.stdout.startswith("Brug: ") and "maaltal budget [TILVALG] KOMMANDO" in result.stdout
    assert "Fejl" not in result.stderr
    assert "Budgetbro mellem to budgetversioner; afvises hvis den ikke går op." in result.stdout


def test_help_imports_no_command_and_no_library_a_command_needs():
    """``maaltal --help`` loads no command module, no Rich, no pydantic and not the store; a command's help
    loads its own module only (the benchmark times it, benchmarks/cli_startup.py)."""
    script = ("import json, sys\nfrom maaltal.cli import app, run\nsys.argv = ['maaltal', *sys.argv[1:]]\n"
              "code = run(app)\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    loaded = json.loads(subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True, text=True,
                                       check=True).stderr.splitlines()[-1])
    tops = {name.split(".")[0] for name in loaded}
    assert not tops & {"rich", "pydantic", "duckdb", "pyarrow", "jinja2", "httpx"}
    assert not [name for name in loaded if name.startswith("maaltal.") and name.split(".")[1] not in
                ("cli", "errors")]
    assert [name for name in loaded if name.startswith("maaltal.cli.")] == [
        "maaltal.cli.app", "maaltal.cli.commands", "maaltal.cli.helpformat"]

    figures = json.loads(subprocess.run([sys.executable, "-c", script, "figures", "--help"], capture_output=True,
                                        text=True, check=True).stderr.splitlines()[-1])
    assert "maaltal.cli.figures" in figures and "maaltal.cli.report" not in figures
    assert not {name.split(".")[0] for name in figures} & {"rich", "pydantic", "pyarrow", "jinja2", "httpx"}


def test_the_consoles_made_on_first_use_serve_rich_as_consoles():
    """The consoles are made when first printed to (Rich is not loaded for the help); a progress bar enters
    the console it is given, which a stand-in must allow."""
    from rich.progress import Progress

    from maaltal.cli.app import console

    with console.capture() as captured, Progress(console=console, auto_refresh=False) as bar:
        task = bar.add_task("Kontrollerer", total=2)
        bar.update(task, advance=2)
        bar.refresh()
        console.print("færdig")
    assert "færdig" in captured.get()
