"""The dashboard's web application: server-rendered Danish pages on the committee report model.

``create_app`` wires the pieces: the shared :class:`~maaltal.web.site.Site`, the template environment
(which imports the report's own block macros, so a table or chart looks the same on the dashboard as in
the report), security headers, and the page routers of each part of the site.

In front of everything, :class:`BodyGuard` makes an unauthenticated request cheap: it looks at the session
cookie and ``Content-Length`` before any body is read, answers an anonymous post (except the login) at
once, and caps every body — a form at :data:`FORM_LIMIT`, an analyst's upload at the upload limit —
counting a body without a length while it streams. Every error page is Danish, carries the security
headers and never shows internal exception text (that goes to the server log).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jinja2
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from maaltal import formatting as fmt
from maaltal import privacy
from maaltal.errors import MaaltalError, NoDataError
from maaltal.render import html as report_html
from maaltal.web import auth
from maaltal.web.jobs import Jobs
from maaltal.web.site import Site

SESSION_COOKIE = "maaltal_session"
LOGIN_CSRF_COOKIE = "maaltal_login_csrf"

_ENV = jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.PackageLoader("maaltal.web", "templates"),
                                jinja2.PackageLoader("maaltal.render", "templates")]),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.globals.update(report_html.GLOBALS)
_ENV.globals.update(fmt=fmt, Role=auth.Role)
_ENV.filters["cpr"] = privacy.mask  # a CPR number is never shown in clear, whatever field it is in
_log = logging.getLogger("maaltal.web")

_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"  # with --secure-cookies: browsers keep to HTTPS for a year

FORM_LIMIT = 64 * 1024          # any form, the login included
EDITOR_LIMIT = 1024 * 1024      # the catalogue editor's YAML text
MULTIPART_OVERHEAD = 64 * 1024  # an upload's boundaries and form fields around the file
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
OPEN_POSTS = ("/login",)        # the only thing an anonymous visitor may post
# What an error status says, in Danish: (title, message).
STATUS_TEXTS = {
    400: ("Forespørgslen kan ikke bruges", "Det sendte kunne ikke læses. Gå tilbage og prøv igen."),
    401: ("Log ind først", "Du skal være logget ind for at gøre dette."),
    404: ("Siden findes ikke", "Siden findes ikke. Brug menuen for at finde det, du leder efter."),
    405: ("Det kan siden ikke", "Siden kan ikke bruges på den måde. Brug menuen og formularerne på siderne."),
    413: ("Det sendte er for stort", "Det sendte er større, end dashboardet tager imod. En formular må højst "
          "fylde 64 KB; en fil til indlæsning må højst fylde det, indlæsningssiden siger."),
    422: ("Formularen er ikke udfyldt rigtigt", "Et felt mangler eller har en værdi, der ikke kan bruges. "
          "Gå tilbage, ret formularen og prøv igen."),
    500: ("Der opstod en fejl", "Der opstod en uventet fejl, og handlingen blev ikke gennemført. Fejlen er "
          "skrevet i serverens log; prøv igen, eller kontakt en administrator."),
}

# The navigation: (path, label, role needed). A link is only shown to those who may follow it.
NAV = (
    ("/", "Overblik", auth.Role.READER),
    ("/rapport", "Rapport", auth.Role.READER),
    ("/noegletal", "Nøgletal", auth.Role.READER),
    ("/datakilder", "Datakilder", auth.Role.READER),
    ("/rapporter", "Offentliggjorte rapporter", auth.Role.READER),
    ("/indlaes", "Indlæs data", auth.Role.ANALYST),
    ("/maalkatalog", "Målkatalog", auth.Role.ANALYST),
    ("/admin/brugere", "Brugere", auth.Role.ADMIN),
    ("/admin/log", "Log", auth.Role.ADMIN),
)


class NeedLogin(Exception):
    """Raised by a page that needs a logged-in user; the visitor is sent to the login page."""


class Forbidden(Exception):
    """Raised when the user's role may not do what was asked."""


class BadForm(Exception):
    """A posted form without a valid CSRF token: refused before anything is done."""


def site(request: Request) -> Site:
    return request.app.state.site


SESSION_CACHE_SECONDS = 30.0


def session(request: Request) -> auth.Session | None:
    """The visitor's session, looked up once per request (:class:`BodyGuard` may have done it already)."""
    if not hasattr(request.state, "session"):
        request.state.session = _lookup_session(request.app.state, request.cookies.get(SESSION_COOKIE))
    return request.state.session


def _lookup_session(state, token: str | None) -> auth.Session | None:
    """The session of a cookie token, kept for half a minute.

    Logging out and every change of a user empty the cache (:func:`forget_sessions`), so a revoked
    session never outlives its revocation; only expiry may be noticed up to half a minute late.
    """
    if not token:
        return None
    cache: dict = state.sessions
    hit = cache.get(token)
    if hit is not None and time.monotonic() - hit[0] < SESSION_CACHE_SECONDS:
        return hit[1]
    with state.site.db.cursor() as cur:
        current = auth.session(cur, token)
    if current is not None:
        if len(cache) > 10_000:
            cache.clear()
        cache[token] = (time.monotonic(), current)
    return current


def client_address(request: Request) -> str:
    """The client's address: the connection's peer, or with ``--trust-proxy`` the proxy's X-Forwarded-For.

    Without the option the header is ignored, whoever sends it: anyone can write it, and an address
    taken from it would let an attacker dodge the login throttling or blame another.
    """
    peer = request.client.host if request.client else "ukendt"
    if site(request).config.trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:64]
    return peer


def is_https(request: Request) -> bool:
    """Whether the visitor reached us over HTTPS (as the trusted proxy says, with ``--trust-proxy``)."""
    if site(request).config.trust_proxy and request.headers.get("x-forwarded-proto"):
        return request.headers["x-forwarded-proto"].split(",")[-1].strip().lower() == "https"
    return request.url.scheme == "https"


def forget_sessions(request: Request) -> None:
    """Drop every cached session (after a logout or a change of users)."""
    request.app.state.sessions.clear()


def require(role: auth.Role):
    """A dependency: the session of a logged-in user with at least ``role``."""
    def dependency(request: Request) -> auth.Session:
        current = session(request)
        if current is None:
            raise NeedLogin()
        if not current.user.may(role):
            raise Forbidden()
        return current
    return dependency


def require_post(role: auth.Role):
    """A dependency for posted forms: a user with ``role`` whose form carries the session's CSRF token."""
    def dependency(request: Request, csrf_token: str = Form("")) -> auth.Session:
        current = require(role)(request)
        if not auth.csrf_matches(current.csrf, csrf_token):
            raise BadForm()
        return current
    return dependency


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the site, with the navigation the visitor's role allows."""
    current = session(request)
    user = current.user if current else None
    nav = [(path, label) for path, label, role in NAV if user is not None and user.may(role)]
    text = _ENV.get_template(template).render(
        request=request, path=request.url.path, user=user, csrf=current.csrf if current else "", nav=nav,
        site=site(request), **context,
    )
    return HTMLResponse(text, status_code=status)


def render_fragment(template: str, **context: Any) -> str:
    """Template text without the page around it (cached pieces of pages)."""
    return _ENV.get_template(template).render(**context)


def error_page(request: Request, status: int, title: str | None = None, message: str | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """A Danish error page for ``status``; never fails (a bare page if even the template cannot be made)."""
    default_title, default_message = STATUS_TEXTS.get(status, STATUS_TEXTS[400 if status < 500 else 500])
    try:
        response = render(request, "error.html.j2", status, title=title or default_title,
                          message=message or default_message)
    except Exception:  # the store or a template failed too: say it plainly
        _log.exception("Fejlsiden kunne ikke vises")
        response = HTMLResponse(f"<!DOCTYPE html><html lang=\"da\"><meta charset=\"utf-8\"><title>Fejl</title>"
                                f"<h1>{title or default_title}</h1><p>{message or default_message}</p></html>",
                                status_code=status)
    response.headers.update(headers or {})
    return response


class BodyGuard:
    """Checks session and body size before any body is read (a plain ASGI middleware, before FastAPI).

    An anonymous request that would change something (any method but GET, HEAD and OPTIONS, on any path
    but the login) is answered 401 without reading a byte of its body. Every body is capped: forms at
    :data:`FORM_LIMIT`, the catalogue editor at :data:`EDITOR_LIMIT`, and the paths in ``uploads`` at
    their own limit for the role they need. A declared ``Content-Length`` over the cap is refused at
    once; a body without one is counted as it streams and cut at the cap.
    """

    def __init__(self, app, uploads: dict[str, tuple[auth.Role, int]]) -> None:
        self.app = app
        self.uploads = uploads

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        chunked = "transfer-encoding" in headers
        if scope["method"] in SAFE_METHODS and length in (None, "0") and not chunked:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        current = None
        if request.cookies.get(SESSION_COOKIE):
            current = await run_in_threadpool(_lookup_session, scope["app"].state, request.cookies[SESSION_COOKIE])
        request.state.session = current  # kept in the scope: the page does not look it up again
        if current is None and scope["method"] not in SAFE_METHODS and scope["path"] not in OPEN_POSTS:
            await error_page(request, 401)(scope, receive, send)
            return
        limit = self._limit(scope["path"], current)
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            declared = -1
        if declared is not None and not 0 <= declared <= limit:
            await error_page(request, 413 if declared > limit else 400)(scope, receive, send)
            return
        await self.app(scope, _counted(receive, limit), send)

    def _limit(self, path: str, current: auth.Session | None) -> int:
        role_and_limit = self.uploads.get(path)
        if role_and_limit is not None and current is not None and current.user.may(role_and_limit[0]):
            return role_and_limit[1]
        return EDITOR_LIMIT if path == "/maalkatalog" and current is not None else FORM_LIMIT


def _counted(receive, limit: int):
    """``receive`` that stops a body once it has brought more than ``limit`` bytes."""
    seen = 0

    async def counted_receive():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise StarletteHTTPException(413)
        return message

    return counted_receive


def security_headers(hsts: bool) -> dict[str, str]:
    """The headers every response carries; HSTS only when the site runs behind HTTPS (``--secure-cookies``)."""
    return {**_HEADERS, **({"Strict-Transport-Security": HSTS} if hsts else {})}


class SecurityHeaders:
    """Adds :data:`_HEADERS` and a cache policy to every response (a plain ASGI middleware: cheap)."""

    def __init__(self, app, hsts: bool = False) -> None:
        self.app = app
        self.headers = security_headers(hsts)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", "public, max-age=3600" if static else "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def routers() -> tuple[APIRouter, ...]:
    """The routers of the site's parts, in the order they are matched (the role tests walk them all)."""
    from maaltal.web import pages_admin, pages_analyst, pages_auth, pages_catalogue, pages_goals, pages_read
    return (pages_auth.router, pages_read.router, pages_goals.router, pages_analyst.router, pages_catalogue.router,
            pages_admin.router)


def create_app(the_site: Site) -> FastAPI:
    privacy.mask_logs()  # no CPR number in clear in any log line of the dashboard, uvicorn's included
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = threading.Thread(target=the_site.warm, name="maaltal-warm", daemon=True)
        warming.start()
        yield
        warming.join()  # the store closes after shutdown: let the first build and
        app.state.jobs.shutdown()  # a running import or publication finish first

    app = FastAPI(title="maaltal", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.site = the_site
    app.state.jobs = Jobs()
    app.state.sessions = {}

    @app.get("/static/report.css")
    def report_css() -> Response:
        return Response(report_html.stylesheet(), media_type="text/css")

    app.mount("/static", StaticFiles(packages=[("maaltal.web", "static")]), name="static")
    for router in routers():
        app.include_router(router)

    from maaltal.web import pages_analyst, pages_read  # the upload limit is the import page's
    pages_read.warm_ahead(the_site)  # an import builds the standard pages of its snapshot before it is done
    app.add_middleware(BodyGuard, uploads={
        "/indlaes": (auth.Role.ANALYST, pages_analyst.MAX_UPLOAD + MULTIPART_OVERHEAD)})
    app.add_middleware(SecurityHeaders, hsts=the_site.config.secure_cookies)

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, exc: NeedLogin) -> Response:
        if request.method != "GET":
            return error_page(request, 401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return error_page(request, 403, "Ingen adgang", "Din rolle giver ikke adgang til denne side eller handling.")

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, exc: BadForm) -> Response:
        return error_page(request, 403, "Formularen er udløbet",
                          "Formularen mangler et gyldigt sikkerhedstegn (CSRF). Genindlæs siden og prøv igen.")

    @app.exception_handler(NoDataError)
    async def no_data(request: Request, exc: NoDataError) -> Response:
        return error_page(request, 404, "Ingen data", str(exc))

    @app.exception_handler(MaaltalError)
    async def user_error(request: Request, exc: MaaltalError) -> Response:
        return error_page(request, 400, "Det gik ikke", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 422)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # runs outside the other middleware: the security headers are added here; the exception itself is
        # logged by the server once this page is sent
        response = error_page(request, 500)
        for name, value in security_headers(the_site.config.secure_cookies).items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app
