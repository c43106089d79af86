"""``maaltal report``: the committee report in HTML, PDF, DOCX and XLSX, and the agenda item."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maaltal.cli.app import app, console, err_console, settings
from maaltal.cli.figures import AllowEmptyOption, refusing_empty
from maaltal.cli.options import AttachOption, SnapshotOption
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period


@app.command("report")
def report(
    ctx: typer.Context,
    area: Annotated[str, typer.Option(help="Kommune: kode eller navn, fx 159 eller Gladsaxe")],
    period: Annotated[str, typer.Option(help="Rapportens periode, fx 2023M09")],
    out: Annotated[Path, typer.Option(help="Mappe, rapporten skrives til")] = Path("out"),
    format: Annotated[str, typer.Option("--format", help="Kommasepareret: html,pdf,docx,xlsx")] = "html,pdf,docx,xlsx",
    catalogue: Annotated[Path | None, typer.Option(help="Målkatalog (YAML) til målopfølgningen")] = None,
    previous: Annotated[str | None, typer.Option(help="Forrige rapports periode (markerer ændringer)")] = None,
    committee: Annotated[str | None, typer.Option(help="Udvalgets navn på forsiden")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(help="Ekstra sammenligning, fx group:vestegnen")] = None,
    keyfigures: Annotated[Path | None, typer.Option(help="Egen nøgletalsfil (YAML)")] = None,
    snapshot: SnapshotOption = None,
    attach: AttachOption = None,
    agenda: Annotated[bool, typer.Option("--agenda", help="Skriv også dagsordenspunktets tekst")] = False,
    allow_empty: AllowEmptyOption = False,
    case_number: Annotated[str | None, typer.Option("--case-number", help="Sagsnummer på dagsordenspunktet, "
                                                                          "fx 24/12345")] = None,
) -> None:
    """Byg udvalgsrapporten for en kommune og en periode fra ét øjebliksbillede."""
    from maaltal.measures import definitions as keyfigure_definitions
    from maaltal.render import files
    from maaltal.report import attachments, build, case_text
    from maaltal.report.sections import goals as goal_sections
    cfg = settings(ctx)
    formats = files.parse_formats(format)
    attached = attachments.parse(attach or [])
    with cfg.open_store(read_only=True) as store:
        engine = KeyFigureEngine(store, cfg.registry(), snapshot)
        asked = Period.parse(period)
        earlier = Period.parse(previous) if previous else None
        with refusing_empty():
            model = build.committee_report(
                engine, area, asked, catalogue=catalogue, committee=committee,
                benchmarks=benchmark or (), previous=earlier,
                keyfigures=keyfigure_definitions.load(keyfigures),
                extra_sections=attachments.sections(attached, engine, area, asked), allow_empty=allow_empty,
            )
    for title in goal_sections.unexplained(model.sections):
        err_console.print(f"Advarsel: målet '{title}' er ikke opfyldt og har ingen forklaring (Forklaring mangler)")
    written = files.write(model, out, formats)
    if agenda:
        item = case_text.document(model, [p.name for p in written], f"{files.base_name(model)}-dagsordenspunkt",
                                  case_number=case_number)
        written += files.write(item, out, ("md", "docx", "pdf"))
    for path in written:
        console.print(f"Skrevet: {path}")
    if model.synthetic:
        console.print("Bemærk: rapporten bygger på syntetiske demodata.")
