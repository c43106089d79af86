"""``maaltal benchmark caseload|unitcost|reversals|pool|survey``: operational benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.benchmarks import caseload as caseload_module
from maaltal.benchmarks import pool_projects, reversals, surveys, unit_cost
from maaltal.cli.app import app, settings
from maaltal.cli.sections import show
from maaltal.report.sections.benchmarks import report_section

benchmark_app = typer.Typer(help="Driftsbenchmarks: sagsantal, enhedsomkostninger, omgørelser, puljeprojekter "
                                 "og brugerundersøgelser.", no_args_is_help=True)
app.add_typer(benchmark_app, name="benchmark")

FormatOption = Annotated[str, typer.Option("--format", help="table eller json")]


@benchmark_app.command("caseload")
def caseload(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: municipality,target_group,cases,staffing,caseload,range")],
    area: Annotated[str | None, typer.Option(help="Kommunen i fokus, fx Hvidovre")] = None,
    ranges: Annotated[Path | None, typer.Option(help="Egen fil med vejledende sagstal (YAML)")] = None,
    format: FormatOption = "table",
) -> None:
    """Sagsantal pr. årsværk pr. kommune og målgruppe mod de vejledende sagstal."""
    registry = settings(ctx).registry()
    show(caseload_module.load(file, registry, caseload_module.load_ranges(ranges), area), report_section, format)


@benchmark_app.command("unitcost")
def unitcost(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: area,unit_cost,recipients (kr. pr. ydelsesmodtager)")],
    area: Annotated[str | None, typer.Option(help="Kommunen i fokus (standard: filens eneste kommune)")] = None,
    format: FormatOption = "table",
) -> None:
    """Enhedsomkostninger pr. ydelsesmodtager mod landsgennemsnittet, og hvad forskellen er værd i kr."""
    show(unit_cost.load(file, settings(ctx).registry(), area), report_section, format)


@benchmark_app.command("reversals")
def reversals_command(
    file: Annotated[Path, typer.Argument(help="CSV: year,map,paragraph,upheld,remitted,changed,rate,national_rate")],
    year: Annotated[int | None, typer.Option(help="Året (standard: det seneste i filen)")] = None,
    format: FormatOption = "table",
) -> None:
    """Omgørelsesprocenter i Ankestyrelsen pr. kort og paragraf mod landsplan og sidste år."""
    show(reversals.load(file, year), report_section, format)


@benchmark_app.command("pool")
def pool(
    file: Annotated[Path, typer.Argument(help="YAML: målgruppe, succeskriterium og finansiering")],
    format: FormatOption = "table",
) -> None:
    """Puljeprojekt: målgruppen, succeskriteriet og finansieringen pr. år."""
    show(pool_projects.load(file), report_section, format)


@benchmark_app.command("survey")
def survey(
    file: Annotated[Path, typer.Argument(help="YAML: adspurgte, svar og andele pr. spørgsmål")],
    format: FormatOption = "table",
) -> None:
    """Brugerundersøgelse: svarprocent og andele pr. spørgsmål mod en sammenligningsgruppe."""
    show(surveys.load(file), report_section, format)
