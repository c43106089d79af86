"""``maaltal sources status``: which series are current, which lag, what is missing."""

from __future__ import annotations

from typing import Annotated

import typer

from maaltal import formatting as fmt
from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption

sources_app = typer.Typer(help="Datakilder: hvor aktuelle serierne er.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("status")
def status(
    ctx: typer.Context,
    series: Annotated[str | None, typer.Option(help="Kun denne serie")] = None,
    source: Annotated[str | None, typer.Option(help="Kun serier fra denne kilde, fx jobindsats eller statbank:AUK01")
                      ] = None,
    snapshot: SnapshotOption = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vis pr. serie den nyeste periode, huller, seneste indlæsning og kilde, og om serien halter bagefter."""
    from rich import box
    from rich.table import Table

    from maaltal.sources.status import availability

    with settings(ctx).open_store(read_only=True) as store:
        result = availability(store, snapshot=snapshot, series=series, source=source)
    if format == "json":
        print_json(result.to_dict())
        return
    table = Table(title=f"Datastatus, øjebliksbillede {result.snapshot}", box=box.SIMPLE_HEAD)
    for col in ("Serie og dimensioner", "Perioder", "Huller", "Områder", "Kilde", "Indlæst", "Status"):
        # Only the series text wraps, so that periods, sources and the status stay whole.
        table.add_column(col, no_wrap=col != "Serie og dimensioner", overflow="fold",
                         min_width=20 if col == "Serie og dimensioner" else None)
    for s in result.series:
        dims = ", ".join(f"{k}={v}" for k, v in s.dims.items())
        areas = fmt.number(s.areas) + (f" ({fmt.number(s.areas_behind)} bagud)" if s.areas_behind else "")
        state = f"[yellow]halter {fmt.number(s.behind)}[/yellow]" if s.lagging else "aktuel"
        table.add_row(s.series + (f"\n  {dims}" if dims else ""), f"{s.first}–{s.last}",
                      fmt.number(s.gap_count) if s.gap_count else "", areas, s.source,
                      s.last_import.strftime("%Y-%m-%d"), state)
    console.print(table)
    if result.reference:
        console.print(f"Nyeste data i datalageret: til og med {fmt.long_date(result.reference)}.", highlight=False)
    if result.lagging:
        count = len(result.lagging)
        console.print(f"{count} {'serie halter' if count == 1 else 'serier halter'} bagefter de nyeste data "
                      "(\"halter N\": så mange perioder af seriens egen hyppighed mangler).", highlight=False)
