"""The dashboard's web application: server-rendered Danish pages on the committee report model.

``create_app`` wires the pieces: the shared :class:`~maaltal.web.site.Site`, the template environment
(which imports the report's own block macros, so a table or chart looks the same on the dashboard as in
the report), security headers, and the page routers of each part of the site.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jinja2
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders

from maaltal import formatting as fmt
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

_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
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
    """The visitor's session, looked up once per request and kept for half a minute.

    Logging out and every change of a user empty the cache (:func:`forget_sessions`), so a revoked
    session never outlives its revocation; only expiry may be noticed up to half a minute late.
    """
    if not hasattr(request.state, "session"):
        token = request.cookies.get(SESSION_COOKIE)
        cache: dict = request.app.state.sessions
        hit = cache.get(token) if token else None
        if hit is not None and time.monotonic() - hit[0] < SESSION_CACHE_SECONDS:
            request.state.session = hit[1]
        else:
            with site(request).db.cursor() as cur:
                request.state.session = auth.session(cur, token)
            if token and request.state.session is not None:
                if len(cache) > 10_000:
                    cache.clear()
                cache[token] = (time.monotonic(), request.state.session)
    return request.state.session


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


class SecurityHeaders:
    """Adds :data:`_HEADERS` and a cache policy to every response (a plain ASGI middleware: cheap)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
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

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, exc: NeedLogin) -> Response:
        if request.method != "GET":
            return render(request, "error.html.j2", 401, title="Log ind først",
                          message="Du skal være logget ind for at gøre dette.")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html.j2", 403, title="Ingen adgang",
                      message="Din rolle giver ikke adgang til denne side eller handling.")

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, exc: BadForm) -> Response:
        return render(request, "error.html.j2", 403, title="Formularen er udløbet",
                      message="Formularen mangler et gyldigt sikkerhedstegn (CSRF). Genindlæs siden og prøv igen.")

    @app.exception_handler(NoDataError)
    async def no_data(request: Request, exc: NoDataError) -> Response:
        return render(request, "error.html.j2", 404, title="Ingen data", message=str(exc))

    @app.exception_handler(MaaltalError)
    async def user_error(request: Request, exc: MaaltalError) -> Response:
        return render(request, "error.html.j2", 400, title="Det gik ikke", message=str(exc))

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        return render(request, "error.html.j2", 404, title="Siden findes ikke",
                      message="Siden findes ikke. Brug menuen for at finde det, du leder efter.")

    return app
