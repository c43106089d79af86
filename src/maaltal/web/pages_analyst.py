"""The analyst's actions: upload an import file, follow its progress, publish the report.

An upload is kept in ``<store>.uploads/`` (the snapshot names it, so what was imported can be found
again) and imported by the same atomic importer as ``maaltal import observations``: the whole file is
checked before one snapshot is written, and a failed file leaves the store as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal import formatting as fmt
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.sources import plausibility
from maaltal.sources import registry as importers
from maaltal.web import audit, auth, publish
from maaltal.web.app import client_address, render, require, require_post, site
from maaltal.web.jobs import HELD, Job
from maaltal.web.site import Site

router = APIRouter()
analyst = Depends(require(auth.Role.ANALYST))
analyst_post = Depends(require_post(auth.Role.ANALYST))
MAX_UPLOAD = 200 * 1024 * 1024
# The importers an upload can go through (the registry's uploadable kinds): Danish label and file endings.
KINDS = {i.kind: (i.label, i.endings) for i in importers.uploadable()}


def _jobs(request: Request):
    return request.app.state.jobs


@router.get("/indlaes", response_class=HTMLResponse)
def import_form(request: Request, current: auth.Session = analyst) -> Response:
    return _form(request)


def _form(request: Request, error: str | None = None, status: int = 200) -> Response:
    return render(request, "import.html.j2", status, error=error, kinds=KINDS)


@router.post("/indlaes")
def import_upload(request: Request, fil: Annotated[UploadFile, File()], kilde: Annotated[str, Form()] = "observations",
                  tabel: Annotated[str, Form()] = "", current: auth.Session = analyst_post) -> Response:
    the_site = site(request)
    name = _safe_name(fil.filename or "")
    if kilde not in KINDS:
        return _form(request, f"Ukendt kilde '{kilde}'.", 400)
    table = tabel.strip().upper()
    if importers.importer(kilde).needs_table and not re.fullmatch(r"[A-Z0-9]{3,12}", table):
        return _form(request, "Skriv tabellens id (fx Y01A02 eller AUK01) for et svar fra jobindsats eller StatBank.",
                     400)
    if not name.lower().endswith(KINDS[kilde][1]):
        return _form(request, f"Filen skal være {' eller '.join(KINDS[kilde][1])} til {KINDS[kilde][0]}.", 400)
    folder = the_site.db.path.with_name(the_site.db.path.name + ".uploads")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{stamp}-{name}"
    size = 0
    with target.open("wb") as out:
        while chunk := fil.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                out.close()
                target.unlink()
                return _form(request, "Filen er større end 200 MB.", 413)
            out.write(chunk)
    client = client_address(request)
    upload = Upload(target, name, size, kilde, table, current.user.areas)
    job = _jobs(request).submit(f"Import af {name}", current.user.username,
                                lambda j: _audited_import(the_site, j, upload, client))
    return RedirectResponse(f"/job/{job.id}", status_code=303)


@dataclass(frozen=True)
class Upload:
    """A file received for import: where it is kept, what the analyst called it, and what it may hold."""

    path: Path
    name: str
    size: int
    kind: str
    table: str
    scope: tuple[str, ...]  # the analyst's municipalities; none: every area
    accepted: bool = False  # the analyst has seen the plausibility findings and confirmed the figures


@router.post("/job/{job_id}/bekraeft")
def confirm_import(request: Request, job_id: str, current: auth.Session = analyst_post) -> Response:
    """The analyst confirms figures an import was held for: the same file is imported again, accepting them,
    and the confirmation (with what was found) goes in the audit log."""
    jobs = _jobs(request)
    held = jobs.get(job_id)
    if held is None or held.username != current.user.username or held.state != HELD or held.pending is None:
        raise MaaltalError("Der er ingen tilbageholdt import at bekræfte her (den kan være bekræftet allerede)")
    upload: Upload = replace(held.pending, accepted=True)
    held.pending = None
    the_site, client = site(request), client_address(request)
    with the_site.db.cursor() as cur:
        audit.record(cur, current.user.username, "import_confirmed", upload.name,
                     "; ".join(held.errors)[:1000], client)
    job = jobs.submit(f"Import af {upload.name} (bekræftet)", current.user.username,
                      lambda j: _audited_import(the_site, j, upload, client))
    return RedirectResponse(f"/job/{job.id}", status_code=303)


def _audited_import(the_site: Site, job: Job, upload: Upload, client: str) -> None:
    """The import, with a failed or held one in the audit log too (what failed, not the whole error list)."""
    try:
        _import(the_site, job, upload, client)
    except plausibility.Implausible as exc:
        job.pending = upload  # kept, with its file, until the analyst confirms or leaves it
        with the_site.db.cursor() as cur:
            audit.record(cur, job.username, "import_held", upload.name,
                         f"{exc.total} usandsynlige tal, fx {exc.lines[0]}"[:500], client)
        raise
    except Exception as exc:
        reason = f"{len(exc.errors)} fejl i filen" if isinstance(exc, InputErrors) else \
            str(exc) if isinstance(exc, MaaltalError) else "uventet fejl (se serverens log)"
        with the_site.db.cursor() as cur:
            audit.record(cur, job.username, "import_failed", upload.name, reason[:500], client)
        raise


def _import(the_site: Site, job: Job, upload: Upload, client: str = "") -> None:
    path, name = upload.path, upload.name
    job.step(f"Filen {name} er modtaget ({fmt.number(upload.size)} byte)")
    job.step("Kontrollerer hele filen og skriver ét øjebliksbillede")
    request = importers.ImportRequest(
        the_site.registry, table=upload.table or None, progress=job.progress, scope=upload.scope,
        accept_implausible=upload.accepted,
        implausible_hint="Se tallene efter. Er de rigtige, så bekræft dem nedenfor; ellers ret filen.")
    with the_site.db.store() as store:
        try:
            imported = importers.importer(upload.kind).run(store, path, request)
            snapshot, extra = imported.snapshot, imported.details
        except plausibility.Implausible as exc:
            raise exc.renamed(name) from None  # the file is kept for the confirmation
        except InputErrors as exc:
            path.unlink(missing_ok=True)
            raise InputErrors([_renamed(e, name) for e in exc.errors]) from None
        except InputError as exc:
            path.unlink(missing_ok=True)
            raise _renamed(exc, name) from None
        except MaaltalError as exc:
            path.unlink(missing_ok=True)
            raise MaaltalError(str(exc).replace(str(path), name)) from None
        audit.record(store.connection, job.username, "import", f"øjebliksbillede {snapshot.id}",
                     f"{name}: {snapshot.row_count} observationer; sha256 {snapshot.sha256}"
                     + ("; usandsynlige tal bekræftet" if upload.accepted else ""), client)
        job.step(f"Øjebliksbillede {snapshot.id} er skrevet med {fmt.number(snapshot.row_count)} observationer"
                 + (f"; {extra}" if extra else ""))
    job.step("Bygger rapportens tal og de faste sider på det nye øjebliksbillede")
    try:
        the_site.imported(snapshot.id)
    except MaaltalError as exc:  # the data are in; the report just cannot be built from them yet
        job.step(f"Rapporten kan ikke bygges endnu: {exc}")
    job.result_link = ("/datakilder", "Se datakilderne")


def _renamed(error: InputError, name: str) -> InputError:
    """The error as the analyst knows the file: by its own name, not the folder it was kept in."""
    return InputError(error.reason, file=name, row=error.location.row, column=error.location.column)


def _safe_name(filename: str) -> str:
    base = Path(filename.replace("\\", "/")).name
    return re.sub(r"[^\w.-]", "_", base)[:100] or "upload.csv"


@router.get("/job/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, current: auth.Session = analyst) -> Response:
    job = _jobs(request).get(job_id)
    if job is None or job.username != current.user.username and not current.user.may(auth.Role.ADMIN):
        raise MaaltalError("Jobbet findes ikke (det kan være ryddet væk efter en genstart)")
    return render(request, "job.html.j2", job=job)


@router.post("/publicer")
def publish_report(request: Request, bekraeft: Annotated[str, Form()] = "",
                   oejebliksbillede: Annotated[int | None, Form()] = None,
                   current: auth.Session = analyst_post) -> Response:
    """Publish after a confirmation of what is published; what is already published is not made again."""
    the_site = site(request)
    report = the_site.report(fresh=True)  # the newest model: its snapshot is frozen
    with the_site.db.cursor() as cur:
        already = publish.existing(cur, report.snapshot_id, report.catalogue_hash)
    if bekraeft != "ja" or already is not None or oejebliksbillede != report.snapshot_id:
        note = None
        if bekraeft == "ja" and already is None:
            note = (f"Der er kommet nye data (øjebliksbillede {report.snapshot_id}), siden du bad om at "
                    "offentliggøre. Se efter, og bekræft igen.")
        return render(request, "publish_confirm.html.j2", report=report, already=already, note=note)

    def work(job: Job) -> None:
        job.step(f"Rapporten bygges fra øjebliksbillede {report.snapshot_id}")
        with the_site.db.cursor() as cur:
            publication, new = publish.publish(cur, the_site.db.reports_dir, report, job.username, job.step)
        job.step(f"Rapport {publication.id} er offentliggjort" if new else
                 f"Rapporten var allerede offentliggjort som rapport {publication.id}; der er ikke lavet en ny")
        job.result_link = ("/rapporter", "Se de offentliggjorte rapporter")

    job = _jobs(request).submit("Offentliggørelse af rapporten", current.user.username, work, lane="publish")
    return RedirectResponse(f"/job/{job.id}", status_code=303)
