"""``maaltal audit verify``: check the dashboard's audit log for changed or deleted entries."""

from __future__ import annotations

import typer

from maaltal.cli.app import app, console, settings
from maaltal.errors import MaaltalError

audit_app = typer.Typer(help="Dashboardets log over hændelser.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Efterprøv loggens hash-kæde: navngiver den første post, der er ændret, eller hvis forgænger er slettet."""
    from maaltal.web import audit
    from maaltal.web.db import Database

    db = Database(settings(ctx).store_path)
    try:
        with db.cursor() as cur:
            result = audit.verify(cur)
    finally:
        db.close()
    if not result.ok:
        raise MaaltalError(f"Loggen er brudt ved post {result.broken_id}: {result.reason}. "
                           f"De {result.checked} poster før den er hele.")
    console.print(f"Loggen er hel: alle {result.checked} poster hænger sammen i hash-kæden.")
