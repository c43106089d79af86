"""The committee cycle on the command line: ``maaltal minutes``, ``plan``, ``requests`` and ``agenda``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from maaltal import formatting as fmt
from maaltal.cli.app import app, console, print_json, settings
from maaltal.cli.options import FormatOption, OutputFormat
from maaltal.committee.model import AnswerForm, Request, to_json
from maaltal.errors import MaaltalError

if TYPE_CHECKING:
    from rich.table import Table

minutes_app = typer.Typer(help="Referater: indlæs publicerede referater og vis møder.", no_args_is_help=True)
requests_app = typer.Typer(help="Udvalgets anmodninger til administrationen, fulgt til de er besvaret.",
                           no_args_is_help=True)
app.add_typer(minutes_app, name="minutes")
app.add_typer(requests_app, name="requests")


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MaaltalError(f"{option} '{text}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2025-03-10") from None


# minutes ------------------------------------------------------------------------------------------

@minutes_app.command("import")
def minutes_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Referatet som tekst (UTF-8)")],
    municipality: Annotated[str | None, typer.Option(help="Kommunen (standard: den, referatet nævner mest)")
                            ] = None,
) -> None:
    """Indlæs et referat: møde, punkter, beslutninger, fravær, afstemninger og udvalgets anmodninger."""
    from maaltal.committee import storage
    from maaltal.committee.minutes import parse_file
    from maaltal.committee.requests import find_requests
    parsed = parse_file(file)
    meeting = parsed.meeting
    if municipality:
        meeting = replace(meeting, municipality=municipality)
    found = find_requests(meeting)
    with settings(ctx).open_store() as store:
        meeting_id = storage.save_meeting(store, meeting, found, source_file=str(file))
    decisions = sum(1 for i in meeting.items if i.decision_at(meeting.date))
    console.print(f"Indlæst referat fra {meeting.committee} den {fmt.short_date(meeting.date)} som møde {meeting_id}: "
                  f"{len(meeting.items)} punkter, {decisions} beslutninger, {len(found)} anmodninger.",
                  highlight=False)
    if meeting.absentees:
        console.print("Fraværende: " + ", ".join(meeting.absentees), highlight=False)
    for warning in parsed.warnings:
        console.print(f"Bemærk: {warning}", highlight=False)
    for number, text in meeting.all_unplaced():
        where = f"punkt {number}" if number is not None else "før punkterne"
        console.print(f"  Uplaceret tekst ({where}, linje {text.line}): {text.text}", highlight=False)


@minutes_app.command("show")
def minutes_show(
    ctx: typer.Context,
    meeting: Annotated[int | None, typer.Argument(help="Mødets nummer; uden nummer vises alle møder")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Vis et møde med punkter og beslutninger, eller listen over møder."""
    from rich.table import Table

    from maaltal.committee import storage

    with settings(ctx).open_store(read_only=True) as store:
        if meeting is None:
            rows = storage.meetings(store)
            if format == "json":
                print_json([{"id": i, "committee": c, "date": d.isoformat(), "held": h} for i, c, d, h in rows])
                return
            table = Table("Møde", "Udvalg", "Dato", "Status", title="Møder", title_justify="left")
            for i, c, d, h in rows:
                table.add_row(str(i), c, fmt.short_date(d), "referat" if h else "dagsorden")
            console.print(table)
            return
        found = storage.load_meeting(store, meeting)
    if format == "json":
        print_json({"id": meeting, **to_json(found)})
        return
    console.print(f"{found.committee} den {fmt.short_date(found.date)}" + (f" kl. {found.time}" if found.time else "")
                  + (f", {found.place}" if found.place else ""), highlight=False)
    table = Table("Punkt", "Titel", "Art", "Sagsnr.", "Beslutning", title_justify="left")
    for item in found.items:
        decision = item.decision_at(found.date)
        text = "lukket punkt" if item.closed else decision.text.split("\n\n")[0] if decision else ""
        table.add_row(str(item.number), item.title, item.kind.label if item.kind else "", item.case_number or "",
                      text)
    console.print(table)


# plan ---------------------------------------------------------------------------------------------

@app.command("plan")
def plan(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Årsplanen (YAML), fx examples/aarsplan.yaml")],
    meeting: Annotated[str | None, typer.Option(help="Kun dette møde (ÅÅÅÅ-MM-DD)")] = None,
    create: Annotated[bool, typer.Option("--create", help="Opret mødets faste punkter med bilag")] = False,
    out: Annotated[Path, typer.Option(help="Mappe til bilagene")] = Path("out/bilag"),
    catalogue: Annotated[Path | None, typer.Option(
        help="Målkatalog: målopfølgning og måltal får udvalgsrapporten som bilag")] = None,
    attach: Annotated[list[str] | None, typer.Option(
        help="Datafil til budgetopfølgningens rapport: TYPE=FIL, fx budget=budget.csv; kan gentages")] = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Årsplanen: hvilke faste punkter skal på hvilket møde, og for hvilken periode."""
    from maaltal.committee import plan as year_plan
    from maaltal.render import files
    from maaltal.report import attachments as report_attachments
    from maaltal.report import plan_builders
    cfg = settings(ctx)
    registry = cfg.registry()
    loaded = year_plan.load(file, registry)
    if create:
        if meeting is None:
            raise MaaltalError("--create kræver --meeting ÅÅÅÅ-MM-DD: punkterne oprettes ét møde ad gangen")
        attached = report_attachments.parse(attach or [])
        with cfg.open_store() as store:
            write = files.write
            builders = {"monthly_keyfigures": plan_builders.monthly_keyfigures(store, registry, write),
                        **plan_builders.committee_report(store, registry, write, catalogue, attached)}
            meeting_id, items, notes = year_plan.create_agenda(store, loaded, _date(meeting, "--meeting"), builders,
                                                               out, plan_builders.plan_writer(write))
        console.print(f"Møde {meeting_id} ({loaded.committee} den {fmt.short_date(_date(meeting, '--meeting'))}): "
                      f"{len(items)} punkter oprettet.", highlight=False)
        for item in items:
            attached_files = ", ".join(item.attachment_files) or "uden bilag"
            console.print(f"  Punkt {item.number}: {item.title} – {attached_files}", highlight=False)
        for note in notes:
            console.print(f"Bemærk: {note}", highlight=False)
        return
    chosen = [(loaded.meeting(_date(meeting, "--meeting")), year_plan.due(loaded, _date(meeting, "--meeting")))] \
        if meeting else year_plan.schedule(loaded)
    if format == "json":
        print_json([{"date": m.date.isoformat(), "time": m.time, "place": m.place,
                     "items": [{"report": d.fixed.report, "title": d.fixed.title, "kind": d.fixed.kind.value,
                                "period": str(d.period), "period_label": year_plan.period_label(d.period)}
                               for d in due]} for m, due in chosen])
        return
    from rich.table import Table

    table = Table("Møde", "Punkt", "Periode", "Rapport", title=f"Årsplan for {loaded.committee}", title_justify="left")
    for m, due in chosen:
        for index, entry in enumerate(due):
            table.add_row(fmt.short_date(m.date) if index == 0 else "", entry.fixed.title,
                          year_plan.period_label(entry.period), year_plan.REPORT_KINDS[entry.fixed.report])
        if loaded.plan_item:
            table.add_row("" if due else fmt.short_date(m.date), loaded.plan_item.title, "", "årsplanen")
    console.print(table)


# requests -----------------------------------------------------------------------------------------

def _request_table(found: list[Request], dues: list[date | None], title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=console.is_terminal)  # a pipe: the text's own width
    for name in ("Nr.", "Stillet", "Punkt"):
        table.add_column(name, no_wrap=True)
    table.add_column("Spurgt af")
    table.add_column("Anmodning", ratio=2)
    table.add_column("Svar som", no_wrap=True)
    table.add_column("Frist", no_wrap=True)
    table.add_column("Status", ratio=None if all(r.is_open for r in found) else 1)
    for r, due in zip(found, dues, strict=True):
        status = "åben" if r.is_open else f"besvaret {fmt.short_date(r.answered_on)} ({r.answer_ref})"
        table.add_row(str(r.id), fmt.short_date(r.meeting_date), str(r.item_number or ""), r.asked_by, r.text,
                      r.form.label, fmt.short_date(due) if due else "næste møde", status)
    return table


@requests_app.command("list")
def requests_list(
    ctx: typer.Context,
    committee: Annotated[str | None, typer.Option(help="Kun dette udvalg")] = None,
    before: Annotated[str | None, typer.Option(help="Åbne før mødet denne dato (ÅÅÅÅ-MM-DD)")] = None,
    all: Annotated[bool, typer.Option("--all", help="Også besvarede")] = False,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Udvalgets anmodninger; standard: de ubesvarede."""
    from maaltal.committee import storage
    from maaltal.committee.requests import due_date
    with settings(ctx).open_store(read_only=True) as store:
        found = storage.requests(store, committee=committee, open_at=_date(before, "--before") if before else None,
                                 open_only=not all and before is None)
        dates: dict[str, list[date]] = {}
        for _, name, day, _ in storage.meetings(store):
            dates.setdefault(name, []).append(day)
    dues = [due_date(r, dates.get(r.committee, [])) for r in found]
    if format == "json":
        print_json([{**to_json(r), "due_by": due.isoformat() if due else None}
                    for r, due in zip(found, dues, strict=True)])
        return
    title = ("Anmodninger" if all else "Ubesvarede anmodninger") + (f" før mødet {before}" if before else "")
    title += f" – {committee}" if committee else ""
    console.print(_request_table(found, dues, title))


@requests_app.command("add")
def requests_add(
    ctx: typer.Context,
    meeting: Annotated[int, typer.Option(help="Mødet, hvor anmodningen blev stillet")],
    text: Annotated[str, typer.Option(help="Hvad udvalget bad om")],
    asked_by: Annotated[str, typer.Option(help="Hvem spurgte")] = "Udvalget",
    item: Annotated[int | None, typer.Option(help="Punktet, hvor den blev stillet")] = None,
    owner: Annotated[str, typer.Option(help="Hvem svarer")] = "Administrationen",
    form: Annotated[AnswerForm, typer.Option(help="Svarform: punkt, notat eller mail")] = AnswerForm.NOTAT,
    due: Annotated[str | None, typer.Option(help="Frist (ÅÅÅÅ-MM-DD); standard: næste møde")] = None,
) -> None:
    """Registrér en anmodning, som referatet ikke formulerede, så den blev fundet."""
    from maaltal.committee import storage
    with settings(ctx).open_store() as store:
        held = storage.load_meeting(store, meeting)
        request_id = storage.add_request(store, Request(
            held.committee, held.date, item, asked_by, text, owner, form, _date(due, "--due") if due else None))
    console.print(f"Anmodning {request_id} registreret ({held.committee}, {fmt.short_date(held.date)}).",
                  highlight=False)


@requests_app.command("answer")
def requests_answer(
    ctx: typer.Context,
    request: Annotated[int, typer.Argument(help="Anmodningens nummer")],
    item: Annotated[str | None, typer.Option(help="Besvaret ved et dagsordenspunkt: MØDE:PUNKT, fx 3:5")] = None,
    form: Annotated[AnswerForm | None, typer.Option(help="Svarform, når svaret er et notat eller en mail")] = None,
    ref: Annotated[str | None, typer.Option(help="Svaret: notatets titel, mailens emne …")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Svardato (ÅÅÅÅ-MM-DD); standard: i dag")] = None,
) -> None:
    """Knyt svaret til en anmodning: et punkt på et møde, et notat eller en mail."""
    from maaltal.committee import storage
    with settings(ctx).open_store() as store:
        if item:
            meeting_text, _, number_text = item.partition(":")
            if not (meeting_text.isdigit() and number_text.isdigit()):
                raise MaaltalError(f"--item '{item}' skal skrives MØDE:PUNKT, fx 3:5")
            answered_in = storage.load_meeting(store, int(meeting_text))
            try:
                answer_item = answered_in.item(int(number_text))
            except KeyError:
                raise MaaltalError(f"Møde {meeting_text} har intet punkt {number_text}") from None
            answered = storage.answer_request(
                store, request, on=answered_in.date, form=AnswerForm.PUNKT,
                ref=f"{answered_in.committee} {fmt.short_date(answered_in.date)}, punkt {answer_item.number}: "
                    f"{answer_item.title}")
        else:
            if form is None or not ref:
                raise MaaltalError("Angiv enten --item MØDE:PUNKT eller både --form (notat/mail) og --ref")
            answered = storage.answer_request(store, request, on=_date(on, "--date") if on else date.today(),
                                              form=form, ref=ref)
    console.print(f"Anmodning {request} er besvaret den {fmt.short_date(answered.answered_on)}: {answered.answer_ref}",
                  highlight=False)


# agenda -------------------------------------------------------------------------------------------

@app.command("agenda")
def agenda(
    ctx: typer.Context,
    meeting: Annotated[int, typer.Argument(help="Mødets nummer (se maaltal minutes show)")],
    minutes: Annotated[bool, typer.Option("--minutes", help="Referat i stedet for dagsorden")] = False,
    out: Annotated[Path, typer.Option(help="Mappe til dokumenterne")] = Path("out"),
    format: Annotated[list[str] | None, typer.Option("--format", help="docx og/eller pdf (standard: begge)")
                      ] = None,
) -> None:
    """Dagsorden (med udvalgets åbne anmodninger) eller referat for et møde, som DOCX og PDF."""
    from maaltal.committee import storage
    from maaltal.render import files
    from maaltal.report import meeting as meeting_document
    formats = format or ["docx", "pdf"]
    unknown = [f for f in formats if f not in ("docx", "pdf")]
    if unknown:
        raise MaaltalError(f"Ukendt format: {', '.join(unknown)}; brug docx eller pdf")
    with settings(ctx).open_store(read_only=True) as store:
        found = storage.load_meeting(store, meeting)
        if minutes and not found.held:
            raise MaaltalError(f"Møde {meeting} er ikke holdt endnu (intet referat); vis dagsordenen uden --minutes")
        open_requests = storage.requests(store, committee=found.committee, open_at=found.date)
        raised = storage.requests(store, committee=found.committee, raised_on=found.date) if minutes else []
        dates = [d for _, _, d, _ in storage.meetings(store, found.committee)]
    kind = meeting_document.MeetingDocumentKind.MINUTES if minutes else meeting_document.MeetingDocumentKind.AGENDA
    written = files.write(meeting_document.build(found, kind, open_requests, dates), out,
                          [f for f in ("docx", "pdf") if f in formats])
    # An agenda lists the requests still open before the meeting; minutes record those raised at it.
    counted = (f"{len(raised)} anmodninger stillet på mødet" if minutes
               else f"{len(open_requests)} åbne anmodninger")
    console.print(f"{kind.value.capitalize()} for møde {meeting} ({counted}): "
                  + ", ".join(str(p) for p in written), highlight=False)
