"""``maaltal budget followup|bridge|forecast``: budget follow-up, budget bridges and spend forecasts.

The commands are the budget kinds of :mod:`maaltal.report.analyses`; each reads its file as the report's
``--attach`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.budget.forecast import Method
from maaltal.cli.app import app
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption
from maaltal.cli.sections import command, run
from maaltal.periods import Period

budget_app = typer.Typer(help="Budgetopfølgning: rammer, budgetbroer og prognoser for overførselsudgifter.",
                         no_args_is_help=True)
app.add_typer(budget_app, name="budget")


@command(budget_app, "budget")
def followup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: year,frame,line,adopted,supplementary,carried_over,forecast,"
                                               "service_frame (mio. kr.)")],
    year: Annotated[int | None, typer.Option(help="Budgetåret (standard: det seneste i filen)")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vedtaget og korrigeret budget mod forventet forbrug pr. ramme, afvigelser og behov for tillægsbevilling."""
    run(ctx, "budget", file, format, year=year)


@command(budget_app, "bridge")
def bridge(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="YAML med title, unit, start, adjustments og end")],
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Budgetbro mellem to budgetversioner; afvises hvis den ikke går op."""
    run(ctx, "bridge", file, format)


@command(budget_app, "forecast")
def forecast(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV med enhedspriser: benefit,unit_price,budget")],
    area: Annotated[str, typer.Option(help="Kommune: kode eller navn")],
    year: Annotated[int, typer.Option(help="Budgetåret")],
    through: Annotated[str | None, typer.Option(help="Sidste måned med faktiske tal (standard: den seneste)")
                       ] = None,
    method: Annotated[Method, typer.Option(
        help="average3: gns. af de seneste tre måneder; seasonal: sidste års forløb")] = Method.AVERAGE3,
    snapshot: SnapshotOption = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Forventet forbrug på overførsler: fuldtidspersoner × enhedspris, mod budgettet."""
    run(ctx, "forecast", file, format, snapshot=snapshot, area=area, year=year, method=method,
        through=Period.parse(through) if through else None)
