"""``maaltal areas``: the master data of areas and the benchmark groups."""

from __future__ import annotations

from typing import Annotated

import typer

from maaltal.areas import AreaKind
from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat


@app.command("areas")
def areas(
    ctx: typer.Context,
    kind: Annotated[AreaKind | None, typer.Option(
        help="nation, region, rar, municipality eller group")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vis områderne: kommuner, regioner, RAR-områder, hele landet og sammenligningsgrupper."""
    from rich.table import Table

    registry = settings(ctx).registry()
    items = registry.of_kind(kind) if kind else list(registry)
    if format is OutputFormat.JSON:
        print_json([a.to_dict() for a in items])
        return
    table = Table(title="Områder")
    for col in ("Id", "Navn", "Type", "Region", "RAR", "Medlemmer"):
        table.add_column(col)
    for a in items:
        table.add_row(a.id, a.name, a.kind.value, a.region or "", a.rar or "",
                      str(len(a.members)) if a.members else "")
    console.print(table)
