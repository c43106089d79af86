"""``maaltal serve``: the dashboard (its users are ``maaltal users``, :mod:`maaltal.cli.users`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, console, settings
from maaltal.cli.options import AttachOption
from maaltal.periods import Period


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
