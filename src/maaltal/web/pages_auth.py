"""Logging in and out.

The login form has no session yet, so its CSRF token is a random value kept in a short-lived cookie and
posted back in the form (double submit); a cross-site page can neither read the cookie nor set the field.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from maaltal.web import auth
from maaltal.web.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE, BadForm, forget_sessions, render, require_post, site

router = APIRouter()
_logged_in_post = Depends(require_post(auth.Role.READER))


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (``//evil.example`` or ``https://…``)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, next_path: str, error: str | None = None, status: int = 200) -> Response:
    token = auth.new_csrf()
    response = render(request, "login.html.j2", status, login_csrf=token, next_path=next_path, error=error)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=site(request).config.secure_cookies, path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
          csrf_token: str = Form("")) -> Response:
    if not auth.csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise BadForm()
    client = request.client.host if request.client else "ukendt"
    with site(request).db.cursor() as cur:
        try:
            user = auth.authenticate(cur, username, password, client)
        except auth.LoginThrottled as exc:
            return _login_page(request, _safe_next(next), str(exc), 429)
        if user is None:
            return _login_page(request, _safe_next(next), "Forkert brugernavn eller adgangskode.", 401)
        token = auth.start_session(cur, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(auth.SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=site(request).config.secure_cookies, path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, current: auth.Session = _logged_in_post) -> Response:
    with site(request).db.cursor() as cur:
        auth.end_session(cur, current.token_hash)
    forget_sessions(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
