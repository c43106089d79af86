"""A real dashboard on 127.0.0.1 and a free port, served by uvicorn in a thread, for the web and browser tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from maaltal.web import auth
from maaltal.web.app import create_app
from maaltal.web.db import Database
from maaltal.web.site import Site, SiteConfig
from tests.conftest import copy_demo_store

PASSWORDS = {"admin": "admin-kodeord-1", "analytiker": "analytiker-kodeord-1", "laeser": "laeser-kodeord-1"}
ROLES = {"admin": auth.Role.ADMIN, "analytiker": auth.Role.ANALYST, "laeser": auth.Role.READER}


@dataclass
class LiveServer:
    url: str
    site: Site
    app: object

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)

    def login(self, username: str, password: str | None = None) -> httpx.Client:
        """A client logged in as ``username`` through the real login form."""
        client = self.client()
        response = login(client, username, password or PASSWORDS[username])
        assert response.status_code == 303, response.text
        return client

    def csrf(self, client: httpx.Client, page: str = "/") -> str:
        """The CSRF token of the client's session, as a page's forms carry it."""
        return form_token(client.get(page).text)


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                       "next": "/"})


def demo_store(tmp_path_factory, name: str) -> Path:
    """A copy of the synthetic demo store, built once per test session (it takes a few seconds)."""
    return copy_demo_store(tmp_path_factory, name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(store_path: Path, *, users: bool = True, **config) -> Iterator[LiveServer]:
    """Run the dashboard over ``store_path`` until the block ends; with the three test users unless told."""
    db = Database(store_path)
    site = Site(db, SiteConfig(**{"area": "167", **config}))
    if users:
        with db.cursor() as cur:
            for name, role in ROLES.items():
                auth.add_user(cur, name, PASSWORDS[name], role)
    app = create_app(site)
    port = free_port()
    # as `maaltal serve` runs it: X-Forwarded-For is the dashboard's to trust (--trust-proxy), not uvicorn's
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           proxy_headers=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", site, app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        db.close()
