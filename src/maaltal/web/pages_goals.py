"""The goal pages: one page per goal of the catalogue (chart, figures, text, comment), and the analyst's
comment form. A comment is stored by :mod:`maaltal.goals.comments` like ``maaltal goals comment`` does,
written in the audit log, and shows in the report (and so on the pages) at once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal.committee.minutes import mask_cpr
from maaltal.errors import MaaltalError
from maaltal.goals import comments as goal_comments
from maaltal.goals import load_catalogue
from maaltal.measures import KeyFigureEngine
from maaltal.web import audit, auth
from maaltal.web.app import client_address, render, render_fragment, require, require_post, site

router = APIRouter(prefix="/maal")
reader = Depends(require(auth.Role.READER))
analyst_post = Depends(require_post(auth.Role.ANALYST))
MAX_COMMENT = 4000


def _goal_page(request: Request, goal_id: str, error: str | None = None, status: int = 200) -> Response:
    the_site = site(request)
    report = the_site.report()
    section = next((s for s in report.sections if s.id == f"maal-{goal_id}" and goal_id != "oversigt"), None)
    if section is None:
        raise MaaltalError(f"Målet '{goal_id}' findes ikke i målkataloget")
    body = the_site.fragment(report, f"goal:{goal_id}",
                             lambda: render_fragment("_sections.html.j2", sections=[section]))
    return render(request, "goal.html.j2", status, report=report, section=section, goal_id=goal_id, body=body,
                  error=error, max_comment=MAX_COMMENT)


@router.get("/{goal_id}", response_class=HTMLResponse)
def goal_page(request: Request, goal_id: str, current: auth.Session = reader) -> Response:
    return _goal_page(request, goal_id)


@router.post("/{goal_id}/kommentar")
def comment(request: Request, goal_id: str, text: str = Form(""), current: auth.Session = analyst_post) -> Response:
    the_site = site(request)
    path = the_site.catalogue_path()
    if path is None:
        raise MaaltalError("Dashboardet har intet målkatalog; start det med --catalogue")
    catalogue = load_catalogue(path, the_site.registry)
    catalogue.goal(goal_id)  # an unknown goal is a Danish error
    text, _ = mask_cpr(text)  # a CPR number typed into a comment is never stored
    if not text.strip():
        return _goal_page(request, goal_id, "Skriv kommentaren, før du gemmer.", 400)
    if len(text) > MAX_COMMENT:
        return _goal_page(request, goal_id, f"Kommentaren må højst være {MAX_COMMENT} tegn.", 400)
    with the_site.db.store() as store:
        period = the_site.period(KeyFigureEngine(store, the_site.registry))
        saved = goal_comments.add(store, catalogue.area, goal_id, period, text, current.user.username)
        audit.record(store.connection, current.user.username, "comment", f"mål {goal_id}",
                     f"{period}: {saved.text}", client_address(request))
    the_site.bump()
    return RedirectResponse(f"/maal/{goal_id}", status_code=303)
