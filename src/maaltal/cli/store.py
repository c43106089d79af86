"""``maaltal snapshots`` and ``maaltal series``: what the store holds."""

from __future__ import annotations

import typer

from maaltal import formatting as fmt
from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption


@app.command("snapshots")
def snapshots(
    ctx: typer.Context,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vis datalagerets øjebliksbilleder (én pr. indlæsning)."""
    from rich.table import Table

    with settings(ctx).open_store(read_only=True) as store:
        items = store.snapshots()
    if format == "json":
        print_json([s.to_dict() for s in items])
        return
    table = Table(title="Øjebliksbilleder")
    for col in ("Id", "Tidspunkt (UTC)", "Kilde", "Fil", "Rækker"):
        table.add_column(col)
    for s in items:
        table.add_row(str(s.id), s.created_at.strftime("%Y-%m-%d %H:%M:%S"), s.source, s.file or "",
                      fmt.number(s.row_count))
    console.print(table)


@app.command("series")
def series(
    ctx: typer.Context,
    snapshot: SnapshotOption = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vis serierne i datalageret med dimensioner, enhed og perioder."""
    from rich.table import Table

    with settings(ctx).open_store(read_only=True) as store:
        items = store.series(snapshot=snapshot)
    if format == "json":
        print_json([s.to_dict() for s in items])
        return
    table = Table(title="Serier")
    for col in ("Serie", "Dimensioner", "Enhed", "Fra", "Til", "Perioder", "Områder"):
        table.add_column(col)
    for s in items:
        dims = ", ".join(f"{k}={v}" for k, v in s.dims.items())
        table.add_row(s.series, dims, s.unit, str(s.first), str(s.last), str(s.periods), str(s.areas))
    console.print(table)
