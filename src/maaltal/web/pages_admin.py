"""The admin's pages: users and roles, and the audit log (read only — nothing here edits it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal.errors import MaaltalError
from maaltal.web import audit, auth
from maaltal.web.app import forget_sessions, render, require, require_post, site

router = APIRouter(prefix="/admin")
admin = Depends(require(auth.Role.ADMIN))
admin_post = Depends(require_post(auth.Role.ADMIN))


def _users_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    with site(request).db.cursor() as cur:
        users = auth.users(cur)
    return render(request, "users.html.j2", status, users=users, error=error)


@router.get("/brugere", response_class=HTMLResponse)
def users_page(request: Request, current: auth.Session = admin) -> Response:
    return _users_page(request)


@router.post("/brugere")
def add_user(request: Request, username: str = Form(""), password: str = Form(""), role: str = Form("reader"),
             current: auth.Session = admin_post) -> Response:
    with site(request).db.cursor() as cur:
        try:
            user = auth.add_user(cur, username, password, auth.Role.parse(role))
        except MaaltalError as exc:
            return _users_page(request, str(exc), 400)
        audit.record(cur, current.user.username, "user_add", user.username, f"rolle: {user.role.label}")
    return RedirectResponse("/admin/brugere", status_code=303)


@router.post("/brugere/{username}")
def change_user(request: Request, username: str, role: str = Form(...), active: str = Form(""),
                current: auth.Session = admin_post) -> Response:
    new_role, is_active = auth.Role.parse(role), active == "ja"
    with site(request).db.cursor() as cur:
        before = auth.get_user(cur, username)
        if before is None:
            return _users_page(request, f"Brugeren '{username}' findes ikke", 404)
        if before.role is auth.Role.ADMIN and before.active and (new_role is not auth.Role.ADMIN or not is_active) \
                and auth.count_admins(cur) <= 1:
            return _users_page(request, "Den sidste administrator kan ikke fjernes.", 400)
        user = auth.change_user(cur, username, role=new_role, active=is_active)
        forget_sessions(request)
        audit.record(cur, current.user.username, "user_change", username,
                     f"rolle: {user.role.label}; {'aktiv' if user.active else 'deaktiveret'}")
    return RedirectResponse("/admin/brugere", status_code=303)


@router.get("/log", response_class=HTMLResponse)
def audit_log(request: Request, current: auth.Session = admin) -> Response:
    with site(request).db.cursor() as cur:
        entries = audit.entries(cur)
    return render(request, "audit.html.j2", entries=entries)
