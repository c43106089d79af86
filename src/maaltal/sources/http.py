"""HTTP for the API clients: one configurable base URL, retries with back-off, Danish errors.

The official APIs answer 503 or time out now and then while they load new figures; a fetch retries
those (and 429, 502, 504 and dropped connections) a few times with growing pauses before it gives up.
Any other answer is handed back to the client, which knows what the API's errors mean.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from maaltal.errors import MaaltalError

RETRY_STATUS = frozenset({429, 502, 503, 504})


class HttpError(MaaltalError):
    """The server could not be reached, or kept failing after the retries."""


class HttpClient:
    """A thin wrapper around :class:`httpx.Client` for one API."""

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None, retries: int = 3,
                 backoff: float = 0.5, timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 name: str = "serveren") -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.name = name
        self._sleep = sleep
        self._client = httpx.Client(base_url=self.base_url, headers=dict(headers or {}), timeout=timeout,
                                    follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, *, params: Any = None, json: Any = None) -> httpx.Response:
        """The answer to one request, after up to ``retries`` further tries on passing failures."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        attempt = 0
        while True:
            try:
                response = self._client.request(method, url, params=params, json=json)
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
