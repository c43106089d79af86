"""``maaltal budget followup|bridge|forecast``: budget follow-up, budget bridges and spend forecasts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.budget import bridge as budget_bridge
from maaltal.budget import followup as budget_followup
from maaltal.budget import forecast as budget_forecast
from maaltal.budget.forecast import Method
from maaltal.cli.app import app, settings
from maaltal.cli.sections import show
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.budget import report_section

budget_app = typer.Typer(help="Budgetopfølgning: rammer, budgetbroer og prognoser for overførselsudgifter.",
                         no_args_is_help=True)
app.add_typer(budget_app, name="budget")

FormatOption = Annotated[str, typer.Option("--format", help="table eller json")]


@budget_app.command("followup")
def followup(
    file: Annotated[Path, typer.Argument(help="CSV: year,frame,line,adopted,supplementary,carried_over,forecast,"
                                               "service_frame (mio. kr.)")],
    year: Annotated[int | None, typer.Option(help="Budgetåret (standard: det seneste i filen)")] = None,
    format: FormatOption = "table",
) -> None:
    """Vedtaget og korrigeret budget mod forventet forbrug pr. ramme, afvigelser og behov for tillægsbevilling."""
    show(budget_followup.load(file, year), report_section, format)


@budget_app.command("bridge")
def bridge(
    file: Annotated[Path, typer.Argument(help="YAML med title, unit, start, adjustments og end")],
    format: FormatOption = "table",
) -> None:
    """Budgetbro mellem to budgetversioner; afvises hvis den ikke går op."""
    show(budget_bridge.load(file), report_section, format)


@budget_app.command("forecast")
def forecast(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV med enhedspriser: benefit,unit_price,budget")],
    area: Annotated[str, typer.Option(help="Kommune: kode eller navn")],
    year: Annotated[int, typer.Option(help="Budgetåret")],
    through: Annotated[str | None, typer.Option(help="Sidste måned med faktiske tal (standard: den seneste)")
                       ] = None,
    method: Annotated[Method, typer.Option(
        help="average3: gns. af de seneste tre måneder; seasonal: sidste års forløb")] = Method.AVERAGE3,
    snapshot: Annotated[int | None, typer.Option(help="Øjebliksbillede (standard: det nyeste)")] = None,
    format: FormatOption = "table",
) -> None:
    """Forventet forbrug på overførsler: fuldtidspersoner × enhedspris, mod budgettet."""
    cfg = settings(ctx)
    prices = budget_forecast.read_prices(file)
    with cfg.open_store(read_only=True) as store:
        engine = KeyFigureEngine(store, cfg.registry(), snapshot)
        result = budget_forecast.forecast(engine, prices, area, year, method=method, source=str(file),
                                          through=Period.parse(through) if through else None)
    show(result, report_section, format)
