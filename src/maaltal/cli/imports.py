"""``maaltal import …``: bring data files into the store, each as one snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, console, settings
from maaltal.sources import observations_csv

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
