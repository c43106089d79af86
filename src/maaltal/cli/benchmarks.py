"""``maaltal benchmark caseload|unitcost|reversals|pool|survey``: operational benchmarks.

The commands are the benchmark kinds of :mod:`maaltal.report.analyses`; each reads its file as the report's
``--attach`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app
from maaltal.cli.options import FormatOption, OutputFormat
from maaltal.cli.sections import command, run

benchmark_app = typer.Typer(help="Driftsbenchmarks: sagsantal, enhedsomkostninger, omgørelser, puljeprojekter "
                                 "og brugerundersøgelser.", no_args_is_help=True)
app.add_typer(benchmark_app, name="benchmark")


@command(benchmark_app, "caseload")
def caseload(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: municipality,target_group,cases,staffing,caseload,range")],
    area: Annotated[str | None, typer.Option(help="Kommunen i fokus, fx Hvidovre")] = None,
    ranges: Annotated[Path | None, typer.Option(help="Egen fil med vejledende sagstal (YAML)")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Sagsantal pr. årsværk pr. kommune og målgruppe mod de vejledende sagstal."""
    run(ctx, "caseload", file, format, area=area, ranges=ranges)


@command(benchmark_app, "unitcost")
def unitcost(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: area,unit_cost,recipients (kr. pr. ydelsesmodtager)")],
    area: Annotated[str | None, typer.Option(help="Kommunen i fokus (standard: filens eneste kommune)")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Enhedsomkostninger pr. ydelsesmodtager mod landsgennemsnittet, og hvad forskellen er værd i kr."""
    run(ctx, "unitcost", file, format, area=area)


@command(benchmark_app, "reversals")
def reversals(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: year,map,paragraph,upheld,remitted,changed,rate,national_rate")],
    year: Annotated[int | None, typer.Option(help="Året (standard: det seneste i filen)")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Omgørelsesprocenter i Ankestyrelsen pr. kort og paragraf mod landsplan og sidste år."""
    run(ctx, "reversals", file, format, year=year)


@command(benchmark_app, "pool")
def pool(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="YAML: målgruppe, succeskriterium og finansiering")],
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Puljeprojekt: målgruppen, succeskriteriet og finansieringen pr. år."""
    run(ctx, "pool", file, format)


@command(benchmark_app, "survey")
def survey(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="YAML: adspurgte, svar og andele pr. spørgsmål")],
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Brugerundersøgelse: svarprocent og andele pr. spørgsmål mod en sammenligningsgruppe."""
    run(ctx, "survey", file, format)
