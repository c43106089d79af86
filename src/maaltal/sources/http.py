"""HTTP for the API clients: one configurable base URL, retries with back-off, Danish errors.

The official APIs answer 503 or time out now and then while they load new figures; a fetch retries
those (and 429, 502, 504 and dropped connections) a few times with growing pauses before it gives up.
Any other answer is handed back to the client, which knows what the API's errors mean.

Query strings are written as the public jobindsats v3 clients write them: ``:``, ``,``, ``*`` and ``/``
unescaped (``period.M=2024M01,2024M02&hierarchy._nykom=/``), so the URL a user sees with
``--show-request`` is the URL that is sent. :meth:`HttpClient.describe` shows a request without its key.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlencode

from maaltal.errors import MaaltalError

if TYPE_CHECKING:
    import httpx

RETRY_STATUS = frozenset({429, 502, 503, 504})
_QUERY_SAFE = ":,*/"
_SECRET_HEADERS = ("authorization",)


class HttpError(MaaltalError):
    """The server could not be reached, or kept failing after the retries."""


class HttpClient:
    """A thin wrapper around :class:`httpx.Client` for one API. httpx is loaded when a client is made, not
    with the importers (which every import command loads) that only read files."""

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None, retries: int = 3,
                 backoff: float = 0.5, timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 name: str = "serveren") -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.name = name
        self._sleep = sleep
        import httpx

        self._client = httpx.Client(base_url=self.base_url, headers=dict(headers or {}), timeout=timeout,
                                    follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str, params: Sequence[tuple[str, str]] | None = None) -> str:
        """The full address of a request, with its query string as it is sent."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        return f"{url}?{urlencode(list(params), safe=_QUERY_SAFE)}" if params else url

    def describe(self, method: str, path: str, *, params: Sequence[tuple[str, str]] | None = None,
                 json: Any = None) -> str:
        """A request as text for the user: method, URL, headers with the key masked, and the JSON body."""
        lines = [f"{method} {self.url(path, params)}"]
        for name, value in self._client.headers.items():
            if name.lower() in _SECRET_HEADERS:
                scheme = value.split(" ", 1)[0] + " " if " " in value else ""
                lines.append(f"  {name.title()}: {scheme}***")
        if json is not None:
            lines.append("  " + jsonlib.dumps(json, ensure_ascii=False))
        return "\n".join(lines)

    def request(self, method: str, path: str, *, params: Sequence[tuple[str, str]] | None = None,
                json: Any = None) -> httpx.Response:
        """The answer to one request, after up to ``retries`` further tries on passing failures."""
        import httpx

        url = self.url(path, params)
        attempt = 0
        while True:
            try:
                response = self._client.request(method, url, json=json)
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise HttpError(f"{self.name} ({self.base_url}) kunne ikke nås efter {attempt + 1} forsøg: "
                                    f"{type(exc).__name__}") from None
                response = None
            else:
                if response.status_code not in RETRY_STATUS:
                    return response
                if attempt == self.retries:
                    raise HttpError(f"{self.name} svarede {response.status_code} efter {attempt + 1} forsøg; "
                                    "prøv igen senere")
            self._sleep(self._pause(attempt, response))
            attempt += 1

    def _pause(self, attempt: int, response: httpx.Response | None) -> float:
        """Exponential back-off, or the server's Retry-After (in seconds) when it says so."""
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), 60.0)
        return self.backoff * 2 ** attempt


class ApiClient:
    """What every API client shares: one :class:`HttpClient` (``self.http``), closed when done, usable as a
    context manager (``with JobindsatsClient(...) as client:``)."""

    http: HttpClient

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
