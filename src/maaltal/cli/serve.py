"""``maaltal serve`` (the dashboard) and ``maaltal users`` (its users, the first admin included)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from maaltal.areas import AreaKind, AreaRegistry
from maaltal.cli.app import app, console, settings
from maaltal.cli.options import AttachOption
from maaltal.errors import MaaltalError
from maaltal.periods import Period

users_app = typer.Typer(help="Dashboardets brugere.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command("serve")
def serve(
    ctx: typer.Context,
    area: Annotated[str, typer.Option(help="Kommunen, dashboardet viser: kode eller navn, fx 167 eller Hvidovre")],
    period: Annotated[str | None, typer.Option(help="Rapportens periode (standard: den nyeste måned)")] = None,
    previous: Annotated[str | None, typer.Option(help="Forrige rapports periode (markerer ændringer)")] = None,
    committee: Annotated[str | None, typer.Option(help="Udvalgets navn")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(help="Ekstra sammenligning, fx group:vestegnen")] = None,
    keyfigures: Annotated[Path | None, typer.Option(help="Egen nøgletalsfil (YAML)")] = None,
    catalogue: Annotated[Path | None, typer.Option(help="Målkatalog (YAML): målsider, smileys og kommentarer")] = None,
    attach: AttachOption = None,
    host: Annotated[str, typer.Option(help="Adressen, der lyttes på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Porten, der lyttes på")] = 8000,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", help="Send kun cookies over HTTPS og bed browseren holde sig til HTTPS (HSTS)")] = False,
    trust_proxy: Annotated[bool, typer.Option(
        "--trust-proxy", help="Tag klientens adresse fra X-Forwarded-For (kun bag en proxy, der selv sætter den)")
    ] = False,
) -> None:
    """Start dashboardet: siderne til udvalg, ledere og analytikere (stop med Ctrl+C)."""
    import uvicorn

    from maaltal.report import attachments
    from maaltal.web import auth
    from maaltal.web.app import create_app
    from maaltal.web.db import Database
    from maaltal.web.site import Site, SiteConfig

    cfg = settings(ctx)
    config = SiteConfig(
        area=area, period=Period.parse(period) if period else None,
        previous=Period.parse(previous) if previous else None, committee=committee,
        benchmarks=tuple(benchmark or ()), keyfigures_file=keyfigures, groups_file=cfg.groups_file,
        catalogue=catalogue, attachments=tuple(attachments.parse(attach or [])), secure_cookies=secure_cookies,
        trust_proxy=trust_proxy,
    )
    db = Database(cfg.store_path)
    try:
        site = Site(db, config)
        with db.cursor() as cur:
            if auth.count_admins(cur) == 0:
                console.print("Bemærk: der er ingen administrator endnu; opret en med "
                              "'maaltal users add NAVN --role admin'.")
        console.print(f"Dashboardet kører på http://{host}:{port}/ (datalager {cfg.store_path}).")
        # the dashboard reads X-Forwarded-For itself, and only with --trust-proxy: uvicorn must not
        uvicorn.run(create_app(site), host=host, port=port, log_level="warning", workers=1, proxy_headers=False)
    finally:
        db.close()


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
