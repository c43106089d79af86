"""Logging in and out, and changing one's own password.

The login form has no session yet, so its CSRF token is a random value kept in a short-lived cookie and
posted back in the form (double submit); a cross-site page can neither read the cookie nor set the field.
With ``--secure-cookies`` that cookie only travels over HTTPS, so a visitor on plain http is told to use
HTTPS instead of being told that a security token is missing. Every login, failed login and logout is
in the audit log with the client's address.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from maaltal.committee.minutes import mask_cpr
from maaltal.errors import MaaltalError
from maaltal.web import audit, auth
from maaltal.web.app import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    BadForm,
    client_address,
    forget_sessions,
    is_https,
    render,
    require,
    require_post,
    site,
)

router = APIRouter()
_logged_in = Depends(require(auth.Role.READER))
_logged_in_post = Depends(require_post(auth.Role.READER))
HTTPS_NEEDED = ("Dashboardet er sat op til kun at sende cookies over HTTPS (--secure-cookies), men du bruger "
                "http://. Åbn siden med https:// i stedet.")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (``//evil.example`` or ``https://…``)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _needs_https(request: Request) -> bool:
    return site(request).config.secure_cookies and not is_https(request)


def _login_page(request: Request, next_path: str, error: str | None = None, status: int = 200) -> Response:
    token = auth.new_csrf()
    if error is None and _needs_https(request):
        error = HTTPS_NEEDED
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
        if _needs_https(request):
            return _login_page(request, _safe_next(next), HTTPS_NEEDED, 400)
        raise BadForm()
    client = client_address(request)
    typed = mask_cpr(username.strip().lower()[:100])[0]
    with site(request).db.cursor() as cur:
        try:
            user = auth.authenticate(cur, username[:100], password, client)
        except auth.LoginThrottled as exc:
            audit.record(cur, typed, "login_failed", typed, str(exc), client)
            return _login_page(request, _safe_next(next), str(exc), 429)
        if user is None:
            audit.record(cur, typed, "login_failed", typed, "forkert brugernavn eller adgangskode", client)
            return _login_page(request, _safe_next(next), "Forkert brugernavn eller adgangskode.", 401)
        token = auth.start_session(cur, user)
        audit.record(cur, user.username, "login", user.username, "", client)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(auth.SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=site(request).config.secure_cookies, path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, current: auth.Session = _logged_in_post) -> Response:
    with site(request).db.cursor() as cur:
        auth.end_session(cur, current.token_hash)
        audit.record(cur, current.user.username, "logout", current.user.username, "", client_address(request))
    forget_sessions(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_page(request: Request, error: str | None = None, done: bool = False, status: int = 200) -> Response:
    return render(request, "account.html.j2", status, error=error, done=done, min_length=auth.MIN_PASSWORD,
                  max_length=auth.MAX_PASSWORD)


@router.get("/konto", response_class=HTMLResponse)
def account(request: Request, current: auth.Session = _logged_in) -> Response:
    return _account_page(request, done=request.query_params.get("skiftet") == "ja")


@router.post("/konto/adgangskode")
def change_password(request: Request, nuvaerende: str = Form(""), ny: str = Form(""), gentag: str = Form(""),
                    current: auth.Session = _logged_in_post) -> Response:
    """The user's own new password; the present one is checked (and throttled) as a login is."""
    client = client_address(request)
    if ny != gentag:
        return _account_page(request, "De to nye adgangskoder er ikke ens.", status=400)
    with site(request).db.cursor() as cur:
        try:
            if auth.authenticate(cur, current.user.username, nuvaerende, client) is None:
                return _account_page(request, "Den nuværende adgangskode er forkert.", status=400)
            auth.set_password(cur, current.user.username, ny, keep_session=current.token_hash)
        except auth.LoginThrottled as exc:
            return _account_page(request, str(exc), status=429)
        except MaaltalError as exc:
            return _account_page(request, str(exc), status=400)
        audit.record(cur, current.user.username, "password_change", current.user.username,
                     "de øvrige sessioner er afsluttet", client)
    forget_sessions(request)
    return RedirectResponse("/konto?skiftet=ja", status_code=303)
