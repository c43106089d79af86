"""The goal catalogue on the dashboard: analysts read and edit it; every saved version is kept.

A saved catalogue is checked exactly as ``maaltal goals check`` checks a file (every error with its line
and field) and against the store's series; only a valid one is written, as a new file in
``<store>.catalogues/``, and from then on the pages and publications use it. The old versions stay, and
the audit log names each version by its SHA-256.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal.errors import InputErrors, MaaltalError
from maaltal.goals import check_series, loads_catalogue
from maaltal.web import audit, auth
from maaltal.web.app import client_address, render, require, require_post, site

router = APIRouter()
analyst = Depends(require(auth.Role.ANALYST))
analyst_post = Depends(require_post(auth.Role.ANALYST))
EDITOR_NAME = "målkatalog.yaml"  # the name errors point at: the text in the editor


def _page(request: Request, text: str | None = None, errors: list[str] | None = None, status: int = 200) -> Response:
    the_site = site(request)
    path = the_site.catalogue_path()
    if text is None:
        text = path.read_text(encoding="utf-8") if path is not None else ""
    folder = the_site.catalogues_dir
    versions = len(list(folder.glob("*.yaml"))) if folder.is_dir() else 0
    return render(request, "catalogue.html.j2", status, text=text, errors=errors or [], in_force=path,
                  versions=versions)


@router.get("/maalkatalog", response_class=HTMLResponse)
def catalogue_page(request: Request, current: auth.Session = analyst) -> Response:
    return _page(request)


@router.post("/maalkatalog")
def save_catalogue(request: Request, text: str = Form(""), current: auth.Session = analyst_post) -> Response:
    the_site = site(request)
    try:
        catalogue = loads_catalogue(text, the_site.registry, EDITOR_NAME)
        if catalogue.area != the_site.area.id:
            raise MaaltalError(f"Kataloget gælder {the_site.registry.get(catalogue.area).name}, men dashboardet "
                               f"viser {the_site.area.name}")
        with the_site.db.store() as store:
            check_series(catalogue, store)
    except InputErrors as exc:
        return _page(request, text, [str(e) for e in exc.errors], 400)
    except MaaltalError as exc:
        return _page(request, text, [str(exc)], 400)
    folder = the_site.catalogues_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}.yaml"
    target.write_text(text, encoding="utf-8")
    with the_site.db.cursor() as cur:
        audit.record(cur, current.user.username, "catalogue", catalogue.name,
                     f"{len(catalogue.goals)} mål; sha256 {catalogue.sha256}", client_address(request))
    the_site.bump()
    return RedirectResponse("/maalkatalog", status_code=303)
