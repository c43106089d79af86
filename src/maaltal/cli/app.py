"""The Typer application, its global options and the one place where user errors are printed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from maaltal.errors import MaaltalError
from maaltal.store import default_path

if TYPE_CHECKING:
    from maaltal.areas import AreaRegistry
    from maaltal.store import Store

app = typer.Typer(
    name="maaltal",
    help="Styring og opfølgning på beskæftigelsesindsatsen: nøgletal, mål, budget og rapporter.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Click's plain help: the help texts use no markup, and Typer's Rich help loads Rich's Markdown and
    # Pygments on every --help (about 0,1 s; benchmarks/cli_startup.py). maaltal's own errors keep their colour.
    rich_markup_mode=None,
)


def _console(*, stderr: bool = False) -> Console:
    """A console that wraps only on a terminal: in a pipe or a log a message stays on one line, whatever
    the width Rich would otherwise assume (80 columns), and colour is left out as Rich does off a tty."""
    made = Console(stderr=stderr)
    made.soft_wrap = not made.is_terminal
    return made


console = _console()
err_console = _console(stderr=True)


@dataclass
class Settings:
    store_path: Path
    groups_file: Path | None

    def registry(self) -> AreaRegistry:
        from maaltal.areas import AreaRegistry

        return AreaRegistry.default(self.groups_file)

    def open_store(self, *, read_only: bool = False) -> Store:
        from maaltal.store import Store

        return Store.open(self.store_path, read_only=read_only)


@app.callback()
def _global(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Datalageret (DuckDB-fil). Standard: $MAALTAL_STORE eller ./maaltal.duckdb")] = None,
    groups: Annotated[Path | None, typer.Option(
        "--groups", help="Egen fil med sammenligningsgrupper (YAML). Standard: $MAALTAL_GROUPS")] = None,
) -> None:
    ctx.obj = Settings(store or default_path(), groups)


def settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8 and unescaped, so that "Høje-Taastrup" stays readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run(application: typer.Typer) -> int:
    """Run the app; a :class:`MaaltalError` becomes a Danish message on stderr and exit code 2."""
    try:
        application(standalone_mode=False)
    except MaaltalError as exc:
        err_console.print(f"[bold red]Fejl:[/bold red] {escape(str(exc))}", highlight=False)  # "[spark]" is text
        return 2
    except typer.Abort:
        err_console.print("Afbrudt.")
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # a usage error: an unknown option, a refused value (typer's own click)
        exc.show()  # type: ignore[attr-defined]
        return exc.exit_code  # type: ignore[attr-defined]
    return 0
