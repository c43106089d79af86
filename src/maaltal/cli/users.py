"""``maaltal users``: the dashboard's users, the first admin included."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from maaltal.cli.app import app, console, settings
from maaltal.errors import MaaltalError

if TYPE_CHECKING:
    from maaltal.areas import AreaRegistry

users_app = typer.Typer(help="Dashboardets brugere.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Brugernavnet (små bogstaver, tal, punktum, - og _)")],
    role: Annotated[str, typer.Option(help="admin, analyst eller reader")] = "reader",
    area: Annotated[list[str] | None, typer.Option(
        help="Kommune, brugeren må indlæse tal for (kode eller navn); kan gentages. Uden: alle områder")] = None,
) -> None:
    """Opret en bruger. Adgangskoden spørges der om (eller læses fra $MAALTAL_PASSWORD)."""
    from maaltal.web import audit, auth
    from maaltal.web.db import Database

    cfg = settings(ctx)
    the_role = auth.Role.parse(role)
    areas = _municipalities(cfg.registry(), area or [])
    password = _password()
    db = Database(cfg.store_path)
    try:
        with db.cursor() as cur:
            user = auth.add_user(cur, username, password, the_role, areas)
            scope = f"; områder: {', '.join(user.areas)}" if user.areas else ""
            audit.record(cur, "kommandolinjen", "user_add", user.username, f"rolle: {user.role.label}{scope}")
    finally:
        db.close()
    within = f" og må indlæse tal for {', '.join(cfg.registry().get(a).name for a in user.areas)}" if user.areas else ""
    console.print(f"Brugeren {user.username} er oprettet med rollen {user.role.label.lower()}{within}.")


def _municipalities(registry: AreaRegistry, given: list[str]) -> list[str]:
    """The codes of the municipalities named (code or name); anything else is a Danish error."""
    from maaltal.areas import AreaKind

    codes = []
    for text in given:
        found = registry.get(text)
        if found.kind is not AreaKind.MUNICIPALITY:
            raise MaaltalError(f"--area '{text}' er ikke en kommune; en analytiker afgrænses til kommuner")
        codes.append(found.id)
    return codes


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Brugeren, der skal have en ny adgangskode")],
) -> None:
    """Giv en bruger en ny adgangskode (fx en administrator, der har glemt sin); brugerens sessioner afsluttes."""
    from maaltal.web import audit, auth
    from maaltal.web.db import Database

    password = _password()
    db = Database(settings(ctx).store_path)
    try:
        with db.cursor() as cur:
            auth.set_password(cur, username.strip().lower(), password)
            audit.record(cur, "kommandolinjen", "password_reset", username.strip().lower(),
                         "brugerens sessioner er afsluttet")
    finally:
        db.close()
    console.print(f"Brugeren {username.strip().lower()} har fået en ny adgangskode.")


def _password() -> str:
    """The password from $MAALTAL_PASSWORD, else asked for twice without echo."""
    return os.environ.get("MAALTAL_PASSWORD") or typer.prompt(
        "Adgangskode", hide_input=True, confirmation_prompt="Gentag adgangskoden")
