"""``maaltal import …``: bring data files into the store, each as one snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from maaltal import formatting as fmt
from maaltal.cli.app import Settings, app, console, err_console, settings
from maaltal.sources.progress import Progress
from maaltal.store import AlreadyImportedError

if TYPE_CHECKING:  # the importers (pyarrow, httpx …) load when an import runs, not with `maaltal --help`
    from maaltal.sources.registry import Imported
    from maaltal.sources.tables import ImportResult

import_app = typer.Typer(help="Indlæs data i datalageret. Hver indlæsning bliver ét øjebliksbillede.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")
AcceptOption = Annotated[bool, typer.Option(
    "--accept-implausible", help="Indlæs også tal, der ser usandsynlige ud (andele over 100 pct., tal langt fra "
    "seriens historik eller de andre kommuner); uden den holdes indlæsningen tilbage med en liste")]


@import_app.command("observations")
def import_observations(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV med kolonnerne series,area,period,value,unit (+ dimensioner)")],
    accept_implausible: AcceptOption = False,
) -> None:
    """Indlæs en generisk CSV i langt format. Hele filen kontrolleres, før noget skrives."""
    imported = run_import(settings(ctx), "observations", file, "Kontrollerer observationer",
                          accept_implausible=accept_implausible)
    snapshot = imported.snapshot
    console.print(f"Indlæst {snapshot.row_count} observationer fra {file} som øjebliksbillede {snapshot.id}.")
    print_notices(imported)


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """The importers' progress callback as a rich bar on stderr, gone when done; ``None`` when stderr is not
    a terminal, so that nobody counts rows for a bar nobody sees."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Bar(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def run_import(cfg: Settings, kind: str, file: Path, label: str, **request: object) -> Imported:
    """Run the registry's importer of ``kind`` on ``file`` into the store, with a progress bar.

    A file imported before (same SHA-256, same source) is reported and the command ends with success,
    having written nothing. A failed import into a store that did not exist leaves no store file behind.
    """
    from maaltal.sources.registry import ImportRequest, importer

    created = not cfg.store_path.exists()
    try:
        with progress_bar(label) as progress, cfg.open_store() as store:
            return importer(kind).run(store, file, ImportRequest(cfg.registry(), progress=progress, **request))
    except AlreadyImportedError as exc:
        console.print(f"{exc}.", highlight=False)
        raise typer.Exit(0) from None
    except BaseException:
        if created:
            _remove_store(cfg.store_path)
        raise


def _remove_store(path: Path) -> None:
    """The store file (and DuckDB's write-ahead log) that a failed first import created."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def print_notices(imported: Imported) -> None:
    """What the user should know about how the file was read (a Windows-1252 file, say)."""
    for notice in imported.notices:
        console.print(f"Bemærk: {notice}.", highlight=False)


def print_result(result: ImportResult, origin: str) -> None:
    """The summary every table import ends with: what was written and what was left out on purpose."""
    console.print(
        f"Indlæst {fmt.number(result.observations)} observationer ({fmt.number(result.rows)} rækker) fra {origin} "
        f"(tabel {result.table}, {result.title}) som øjebliksbillede {result.snapshot.id} ({result.snapshot.source}); "
        f"{fmt.number(result.suppressed)} diskretionerede.", highlight=False)
    if result.skipped_areas:
        names = ", ".join(f"{name} ({fmt.number(n)})" for name, n in sorted(result.skipped_areas.items()))
        console.print(f"Sprunget over: {fmt.number(sum(result.skipped_areas.values()))} rækker for "
                      f"{len(result.skipped_areas)} områder uden for maaltal: {names}.", highlight=False)
    if result.skipped_columns:
        console.print(f"Kolonner, der ikke indlæses (se kortlægningen): {', '.join(result.skipped_columns)}.",
                      highlight=False)


@import_app.command("jobindsats")
def import_jobindsats(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Et gemt svar fra jobindsats: v2 JSON eller CSV, v3 JSON")],
    table: Annotated[str, typer.Option(help="Tabellens id, fx Y01A02 eller Y30R21")],
    mapping: Annotated[Path | None, typer.Option(help="Egen kortlægningsfil (YAML) med flere tabeller")] = None,
    accept_implausible: AcceptOption = False,
) -> None:
    """Indlæs et gemt svar fra jobindsats. Hele svaret kontrolleres, før noget skrives."""
    imported = run_import(settings(ctx), "jobindsats", file, f"Kontrollerer {table}", table=table,
                          mapping_file=mapping, accept_implausible=accept_implausible)
    print_result(imported.result, str(file))
    print_notices(imported)


@import_app.command("statbank")
def import_statbank(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Et gemt BULK- eller CSV-svar fra Danmarks Statistiks StatBank")],
    table: Annotated[str, typer.Option(help="Tabellens id, fx AUK01, AUP02, AUF01")],
    tableinfo: Annotated[Path | None, typer.Option(
        help="Tabellens tableinfo (JSON): oversætter koder til tekster, når svaret er i koder")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Egen kortlægningsfil (YAML) med flere tabeller")] = None,
    accept_implausible: AcceptOption = False,
) -> None:
    """Indlæs et gemt svar fra StatBank. Hele svaret kontrolleres, før noget skrives."""
    imported = run_import(settings(ctx), "statbank", file, f"Kontrollerer {table}", table=table,
                          tableinfo=tableinfo, mapping_file=mapping, accept_implausible=accept_implausible)
    print_result(imported.result, str(file))
    print_notices(imported)
