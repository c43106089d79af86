"""The Typer application, its global options and the one place where user errors are printed.

Only what ``maaltal --help`` needs is imported here: the commands are in their modules, imported when one of
them runs (:mod:`maaltal.cli.commands`), and Rich's consoles are made when first printed to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.exceptions import NoArgsIsHelpError  # Typer vendors click (pinned in pyproject)

from maaltal.cli.commands import LazyGroup
from maaltal.errors import MaaltalError

if TYPE_CHECKING:
    from rich.console import Console

    from maaltal.areas import AreaRegistry
    from maaltal.store import Store

app = typer.Typer(
    name="maaltal",
    help="Styring og opfølgning på beskæftigelsesindsatsen: nøgletal, mål, budget og rapporter.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # click's plain help with Danish words (maaltal.cli.helpformat): Typer's Rich panels cost more than the
    # rest of `maaltal --help` (benchmarks/cli_startup.py).
    rich_markup_mode=None,
    cls=LazyGroup,
)


# The width of the output in a pipe or a file, where Rich would assume 80 columns and cut a table's cells
# ("afslutted…"): wide enough for any table maaltal prints, which keeps its natural width.
PIPE_WIDTH = 4000


def _console(*, stderr: bool = False) -> Console:
    """A console that wraps only on a terminal: in a pipe or a log a message stays on one line and a table
    is printed whole, whatever the width Rich would otherwise assume (80 columns; ``COLUMNS`` if set is
    kept), and colour is left out as Rich does off a tty."""
    import os

    from rich.console import Console

    made = Console(stderr=stderr)
    if not made.is_terminal:
        made.soft_wrap = True
        if not os.environ.get("COLUMNS"):
            made.width = PIPE_WIDTH
    return made


class _LazyConsole:
    """Rich's console, made when first used: a command module imports ``console`` at its top, and Rich
    (about 15 ms) is then loaded only when something is printed, not for the command's ``--help``."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._made: Console | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console(), name)

    # Rich's Live (a progress bar) enters the console it is given: a dunder is looked up on the class.
    def __enter__(self) -> Console:
        return self._console().__enter__()

    def __exit__(self, *exc: object) -> None:
        self._console().__exit__(*exc)

    def _console(self) -> Console:
        if self._made is None:
            self._made = _console(stderr=self._stderr)
        return self._made


console: Console = _LazyConsole(stderr=False)  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


@dataclass
class Settings:
    store: Path | None  # --store; None: the default, resolved when a command needs it
    groups_file: Path | None

    @property
    def store_path(self) -> Path:
        from maaltal.store import default_path

        return self.store or default_path()

    def registry(self) -> AreaRegistry:
        from maaltal.areas import AreaRegistry

        return AreaRegistry.default(self.groups_file)

    def open_store(self, *, read_only: bool = False) -> Store:
        from maaltal.store import Store

        store = Store.open(self.store_path, read_only=read_only)
        if store.replica:
            err_console.print("Bemærk: maaltal serve holder datalageret; tallene læses fra dashboardets kopi, som "
                              "er skrevet ved seneste indlæsning.", highlight=False)
        return store


@app.callback()
def _global(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Datalageret (DuckDB-fil). Standard: $MAALTAL_STORE eller ./maaltal.duckdb")] = None,
    groups: Annotated[Path | None, typer.Option(
        "--groups", help="Egen fil med sammenligningsgrupper (YAML). Standard: $MAALTAL_GROUPS")] = None,
) -> None:
    from maaltal import privacy

    privacy.mask_logs()  # before any command runs (here, not in run(), so that the help does not load it)
    ctx.obj = Settings(store, groups)


def settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8 and unescaped, so that "Høje-Taastrup" stays readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run(application: typer.Typer) -> int:
    """Run the app; a :class:`MaaltalError` becomes a Danish message on stderr and exit code 2. No CPR number
    reaches the terminal or a log in clear (:func:`maaltal.privacy.mask`, :func:`maaltal.privacy.mask_logs`
    from the app's callback)."""
    try:
        # Typer returns the code of a typer.Exit a command raised (Ctrl-C is Exit(130)) instead of raising it
        code = application(standalone_mode=False)
    except MaaltalError as exc:
        from rich.markup import escape

        from maaltal import privacy

        err_console.print(f"[bold red]Fejl:[/bold red] {escape(privacy.mask(str(exc)))}", highlight=False)
        return 2
    except typer.Abort:
        err_console.print("Afbrudt.")
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except RuntimeError as exc:
        if str(exc) != "Query interrupted":
            raise
        code = INTERRUPTED  # Ctrl-C while DuckDB ran a query: it stops the query and says so this way
    except NoArgsIsHelpError as exc:  # `maaltal` or `maaltal budget` alone: the help, as for --help
        typer.echo(exc.format_message(), color=exc.ctx.color)
        return exc.exit_code
    except typer.TyperException as exc:  # a usage error: an unknown option, a refused value (typer's own click)
        err_console.print(f"[bold red]Fejl:[/bold red] {usage_message(exc.format_message())}", highlight=False)
        context = getattr(exc, "ctx", None)
        if context is not None:
            err_console.print(f"Se '{context.command_path} --help'.", highlight=False)
        return exc.exit_code  # type: ignore[attr-defined]
    if code == INTERRUPTED:
        err_console.print("Afbrudt.", highlight=False)
    return code if isinstance(code, int) else 0


# The exit code of a command stopped by Ctrl-C, as the shell gives it (128 + SIGINT) and Typer too.
INTERRUPTED = 130


# The usage errors of click and Typer, in Danish: (English pattern, Danish template), first match wins.
_USAGE = [
    (r"Invalid value for '(?P<p>[^']+)': (?:Value error, )?(?P<rest>.*)", "ugyldig værdi for '{p}': {rest}"),
    (r"'(?P<v>.*)' is not one of (?P<c>.*?)\.?", "'{v}' er ikke en af {c}"),
    (r"Input should be greater than or equal to (?P<n>\S+)", "skal være mindst {n}"),
    (r"Input should be less than or equal to (?P<n>\S+)", "må højst være {n}"),
    (r"Input should be a valid integer.*", "skal være et helt tal"),
    (r"Input should be a valid number.*", "skal være et tal"),
    (r"'(?P<v>.*)' is not a valid (?:integer|int)\.?", "'{v}' er ikke et helt tal"),
    (r"'(?P<v>.*)' is not a valid float\.?", "'{v}' er ikke et tal"),
    (r"(?:File|Path|Directory) '(?P<v>.*)' does not exist\.?", "'{v}' findes ikke"),
    (r"No such command '(?P<c>[^']+)'\.(?: Did you mean '(?P<s>[^']+)'\?)?", "ukendt kommando '{c}'.{s}"),
    (r"No such option: (?P<o>\S+?)(?: Did you mean (?P<s>\S+)\?)?", "ukendt tilvalg {o}.{s}"),
    (r"Missing option '(?P<o>[^']+)'.*", "tilvalget '{o}' mangler."),
    (r"Missing argument '(?P<a>[^']+)'.*", "argumentet {a} mangler."),
    (r"Missing parameter: (?P<a>\S+)", "{a} mangler."),
    (r"Option '(?P<o>[^']+)' requires an argument\.?", "tilvalget '{o}' skal have en værdi."),
    (r"Got unexpected extra arguments?(?:\(s\))? \((?P<x>.*)\)", "uventet ekstra argument: {x}"),
]


def usage_message(english: str) -> str:
    """A usage error in Danish, so that a user never reads click's English; unknown ones pass unchanged."""
    for pattern, template in _USAGE:
        found = re.fullmatch(pattern, english.strip(), re.DOTALL)
        if found:
            parts = {k: v or "" for k, v in found.groupdict().items()}
            if "rest" in parts:
                parts["rest"] = usage_message(parts["rest"])
            if parts.get("s"):
                parts["s"] = f" Mente du {parts['s'].strip(chr(39))}?"
            if "a" in parts:
                from maaltal.cli.helpformat import ARGUMENTS

                parts["a"] = ARGUMENTS.get(parts["a"], parts["a"])
            return template.format(**parts)
    return english
