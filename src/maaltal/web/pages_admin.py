"""The admin's pages: users, roles and passwords, withdrawing a publication, and the audit log (read only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal.errors import MaaltalError
from maaltal.web import audit, auth, publish
from maaltal.web.app import client_address, forget_sessions, render, require, require_post, site

router = APIRouter(prefix="/admin")
admin = Depends(require(auth.Role.ADMIN))
admin_post = Depends(require_post(auth.Role.ADMIN))


def _users_page(request: Request, error: str | None = None, status: int = 200, notice: str | None = None) -> Response:
    with site(request).db.cursor() as cur:
        users = auth.users(cur)
    return render(request, "users.html.j2", status, users=users, error=error, notice=notice,
                  min_length=auth.MIN_PASSWORD, max_length=auth.MAX_PASSWORD)


@router.get("/brugere", response_class=HTMLResponse)
def users_page(request: Request, current: auth.Session = admin) -> Response:
    reset = request.query_params.get("nulstillet") == "ja"
    return _users_page(request, notice="Adgangskoden er nulstillet." if reset else None)


@router.post("/brugere")
def add_user(request: Request, username: str = Form(""), password: str = Form(""), role: str = Form("reader"),
             current: auth.Session = admin_post) -> Response:
    with site(request).db.cursor() as cur:
        try:
            user = auth.add_user(cur, username, password, auth.Role.parse(role))
        except MaaltalError as exc:
            return _users_page(request, str(exc), 400)
        audit.record(cur, current.user.username, "user_add", user.username, f"rolle: {user.role.label}",
                     client_address(request))
    return RedirectResponse("/admin/brugere", status_code=303)


@router.post("/brugere/{username}")
def change_user(request: Request, username: str, role: str = Form(...), active: str = Form(""),
                current: auth.Session = admin_post) -> Response:
    with site(request).db.cursor() as cur:
        try:
            user = auth.change_user(cur, username, role=auth.Role.parse(role), active=active == "ja")
        except MaaltalError as exc:
            return _users_page(request, str(exc), 404 if auth.get_user(cur, username) is None else 400)
        forget_sessions(request)
        audit.record(cur, current.user.username, "user_change", username,
                     f"rolle: {user.role.label}; {'aktiv' if user.active else 'deaktiveret'}", client_address(request))
    return RedirectResponse("/admin/brugere", status_code=303)


@router.post("/brugere/{username}/adgangskode")
def reset_password(request: Request, username: str, password: str = Form(""),
                   current: auth.Session = admin_post) -> Response:
    """A new password for a user who forgot theirs; their sessions end, and they choose their own later."""
    with site(request).db.cursor() as cur:
        try:
            auth.set_password(cur, username, password, keep_session=current.token_hash)
        except MaaltalError as exc:
            return _users_page(request, str(exc), 404 if auth.get_user(cur, username) is None else 400)
        forget_sessions(request)
        audit.record(cur, current.user.username, "password_reset", username, "brugerens sessioner er afsluttet",
                     client_address(request))
    return RedirectResponse("/admin/brugere?nulstillet=ja", status_code=303)


@router.post("/rapporter/{publication_id}/tilbagetraek")
def withdraw(request: Request, publication_id: int, current: auth.Session = admin_post) -> Response:
    """Withdraw a publication: it leaves the readers' list; the store and the audit log keep it."""
    with site(request).db.cursor() as cur:
        publish.withdraw(cur, publication_id, current.user.username, client_address(request))
    return RedirectResponse("/rapporter", status_code=303)


@router.get("/log", response_class=HTMLResponse)
def audit_log(request: Request, side: int = 1, bruger: str = "", handling: str = "",
              current: auth.Session = admin) -> Response:
    with site(request).db.cursor() as cur:
        page = audit.page(cur, side, username=bruger, action=handling if handling in audit.ACTIONS else "")
        names = audit.usernames(cur)
    return render(request, "audit.html.j2", page=page, usernames=names, actions=audit.ACTIONS, chosen_user=bruger,
                  chosen_action=handling)
