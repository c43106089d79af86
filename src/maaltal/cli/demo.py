"""``maaltal demo``: build the synthetic demo store."""

from __future__ import annotations

from typing import Annotated

import typer

from maaltal import demo as demo_data
from maaltal.cli.app import app, console, settings
from maaltal.errors import MaaltalError
from maaltal.store import Store


@app.command("demo")
def demo(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Startværdi for tilfældighederne")] = demo_data.DEFAULT_SEED,
    replace: Annotated[bool, typer.Option(help="Erstat et eksisterende demolager")] = True,
) -> None:
    """Byg et datalager med syntetiske demodata for alle 98 kommuner, månedligt 2019–2024."""
    path = settings(ctx).store_path
    if path.exists():
        with Store.open(path) as existing:
            real = [s for s in existing.snapshots() if not s.source.startswith("demo")]
        if real:
            raise MaaltalError(f"{path} indeholder andre data end demodata; vælg en anden fil med --store")
        if not replace:
            raise MaaltalError(f"{path} findes allerede")
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path) as store:
        snapshot = demo_data.build(store, seed)
    console.print(f"Syntetiske demodata: {snapshot.row_count} observationer skrevet til {path} "
                  f"(øjebliksbillede {snapshot.id}).")
