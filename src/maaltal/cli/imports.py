"""``maaltal import …``: bring data files into the store, each as one snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal import formatting as fmt
from maaltal.cli.app import app, console, settings
from maaltal.sources import observations_csv, statbank
from maaltal.sources.jobindsats import importer as jobindsats_importer
from maaltal.sources.tables import ImportResult

import_app = typer.Typer(help="Indlæs data i datalageret. Hver indlæsning bliver ét øjebliksbillede.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("observations")
def import_observations(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV med kolonnerne series,area,period,value,unit (+ dimensioner)")],
) -> None:
    """Indlæs en generisk CSV i langt format. Hele filen kontrolleres, før noget skrives."""
    cfg = settings(ctx)
    registry = cfg.registry()
    with cfg.open_store() as store:
        snapshot = observations_csv.import_file(store, file, registry)
    console.print(f"Indlæst {snapshot.row_count} observationer fra {file} som øjebliksbillede {snapshot.id}.")


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
) -> None:
    """Indlæs et gemt svar fra jobindsats. Hele svaret kontrolleres, før noget skrives."""
    cfg = settings(ctx)
    registry = cfg.registry()
    with cfg.open_store() as store:
        result = jobindsats_importer.import_file(store, file, table=table, registry=registry, mapping_file=mapping)
    print_result(result, str(file))


@import_app.command("statbank")
def import_statbank(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Et gemt BULK- eller CSV-svar fra Danmarks Statistiks StatBank")],
    table: Annotated[str, typer.Option(help="Tabellens id, fx AUK01, AUP02, AUF01")],
    tableinfo: Annotated[Path | None, typer.Option(
        help="Tabellens tableinfo (JSON): oversætter koder til tekster, når svaret er i koder")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Egen kortlægningsfil (YAML) med flere tabeller")] = None,
) -> None:
    """Indlæs et gemt svar fra StatBank. Hele svaret kontrolleres, før noget skrives."""
    cfg = settings(ctx)
    registry = cfg.registry()
    with cfg.open_store() as store:
        result = statbank.import_file(store, file, table=table, registry=registry, tableinfo=tableinfo,
                                      mapping_file=mapping)
    print_result(result, str(file))
