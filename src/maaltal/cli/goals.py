"""``maaltal goals …``: check a goal catalogue, show the follow-up for a period, comment on a goal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat, SnapshotOption
from maaltal.document import Status
from maaltal.periods import Period

if TYPE_CHECKING:  # the goal modules (and YAML) load when a goals command runs
    from maaltal.goals.evaluate import GoalFollowUp, GoalResult

goals_app = typer.Typer(help="Målkataloget: kontrol, målopfølgning med smileys og kommentarer.",
                        no_args_is_help=True)
app.add_typer(goals_app, name="goals")

_FACES = {Status.MET: "☺", Status.NOT_MET: "☹", Status.NOT_ASSESSABLE: "😐"}
_COLOURS = {Status.MET: "green", Status.NOT_MET: "red", Status.NOT_ASSESSABLE: "yellow"}


@goals_app.command("check")
def check(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Målkataloget (YAML)")],
) -> None:
    """Kontrollér et målkatalog; findes datalageret, kontrolleres også, at serierne findes."""
    from maaltal.goals import load_catalogue
    from maaltal.goals.catalogue import check_series
    cfg = settings(ctx)
    catalogue = load_catalogue(file, cfg.registry())
    checked = ""
    if cfg.store_path.exists():
        with cfg.open_store(read_only=True) as store:
            if store.latest_snapshot() is not None:
                check_series(catalogue, store)
                checked = f" Alle serier findes i {cfg.store_path}."
    bearings = sum(1 for g in catalogue.goals if g.is_bearing)
    console.print(f"{file} er gyldigt: {len(catalogue.goals) - bearings} mål og {bearings} pejlemærker for "
                  f"{cfg.registry().get(catalogue.area).name} {catalogue.year}.{checked}", highlight=False)


@goals_app.command("status")
def status(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Målkataloget (YAML)")],
    period: Annotated[str, typer.Option(help="Opfølgningsperioden, fx 2023M09 eller 2023Q3")],
    snapshot: SnapshotOption = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Målopfølgning for en periode: status (smiley), tal, forklaring og kommentarer."""
    from maaltal.goals import comments, evaluate, load_catalogue
    from maaltal.measures import KeyFigureEngine

    cfg = settings(ctx)
    registry = cfg.registry()
    catalogue = load_catalogue(file, registry)
    asked = Period.parse(period)
    with cfg.open_store(read_only=True) as store:
        followup = evaluate(catalogue, KeyFigureEngine(store, registry, snapshot), asked,
                            comments.for_period(store, catalogue.area, asked))
    if format is OutputFormat.JSON:
        print_json(followup.to_dict())
        return
    _print_followup(followup)


@goals_app.command("comment")
def comment(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Målkataloget (YAML)")],
    goal: Annotated[str, typer.Option(help="Målets id i kataloget")],
    period: Annotated[str, typer.Option(help="Opfølgningsperioden, fx 2023M09")],
    author: Annotated[str, typer.Option(help="Hvem skriver kommentaren")],
    text: Annotated[str, typer.Option(help="Kommentaren, fx 'Den manglende målopfyldelse skyldes …'")],
) -> None:
    """Skriv en analytikerkommentar til et mål for en periode (vises ved siden af den genererede tekst)."""
    from maaltal import formatting as fmt
    from maaltal.goals import comments, load_catalogue

    cfg = settings(ctx)
    catalogue = load_catalogue(file, cfg.registry())
    catalogue.goal(goal)
    with cfg.open_store() as store:
        saved = comments.add(store, catalogue.area, goal, period, text, author)
    console.print(f"Kommentar gemt til '{goal}' for {fmt.period(saved.period)} af {saved.author}.", highlight=False)


def _print_followup(followup: GoalFollowUp) -> None:
    from rich.table import Table

    from maaltal import formatting as fmt
    from maaltal.goals.texts import figure, summary_sentence
    from maaltal.render.terminal import SYNTHETIC_NOTE

    table = Table(title=f"{followup.name} – {followup.area_name}, {fmt.period(followup.period)}",
                  title_justify="left")
    for label, justify in (("", "left"), ("Mål", "left"), ("Status", "left"), ("Værdi", "right"),
                           ("Målsætning", "right"), ("Data til og med", "left")):
        table.add_column(label, justify=justify)
    for goal in followup.goals:
        table.add_row(_FACES[goal.status], _indented_title(goal, followup),
                      f"[{_COLOURS[goal.status]}]{goal.status.label}[/]",
                      figure(goal.value, goal.unit, goal.decimals, change=goal.is_change),
                      figure(goal.target, goal.unit, goal.decimals, change=goal.is_change, target=True),
                      fmt.period(goal.data_until) if goal.data_until else "")
    captions = [summary_sentence(followup.summary)]
    if followup.synthetic:
        captions.append(SYNTHETIC_NOTE)
    table.caption = " ".join(captions)
    console.print(table)
    for goal in followup.goals:
        console.print(f"\n[bold]{_FACES[goal.status]} {goal.title}[/bold]")
        console.print(goal.text, highlight=False)
        if goal.comment:
            console.print(f"[italic]Kommentar ({goal.comment.author}, "
                          f"{fmt.long_date(goal.comment.created_at.date())}): {goal.comment.text}[/italic]",
                          highlight=False)


def _indented_title(goal: GoalResult, followup: GoalFollowUp) -> str:
    depth, parent = 0, goal.parent
    while parent is not None:
        depth += 1
        parent = followup.goal(parent).parent
    return "  " * depth + goal.title

