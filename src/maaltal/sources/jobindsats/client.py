"""The jobindsats API client: asks for a table's data and returns the answer exactly as it came.

The answer is then imported by the same code as a file saved by hand (:mod:`.importer`), so a live fetch
and a recorded answer cannot differ in how they are read.

The key is taken from ``JOBINDSATS_KEY`` or from the configuration file (``$MAALTAL_CONFIG``, else
``~/.config/maaltal/config.yaml``)::

    jobindsats:
      key: "…"
      version: 3              # 2 (default) or 3
      base_url: https://…     # only to point at another server (tests, a proxy)
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from maaltal import yamlfile
from maaltal.errors import MaaltalError
from maaltal.periods import Freq, Period
from maaltal.sources.http import HttpClient
from maaltal.sources.jobindsats.answers import BAD_KEY_TEXT, ApiError, BadKeyError, raise_for_error_body

BASE_URLS = {2: "https://api.jobindsats.dk/v2", 3: "https://api.jobindsats.dk/v3"}
_V3_PERIOD_TYPES = {Freq.MONTH: "M", Freq.QUARTER: "Q", Freq.YEAR: "Y", Freq.QMAT: "QMAT"}


@dataclass(frozen=True)
class JobindsatsConfig:
    key: str | None
    version: int = 2
    base_url: str | None = None


def config_path() -> Path:
    return Path(os.environ.get("MAALTAL_CONFIG") or Path.home() / ".config" / "maaltal" / "config.yaml")


def load_config(path: str | Path | None = None) -> JobindsatsConfig:
    """The key, API version and base URL: the environment wins over the configuration file."""
    path = Path(path) if path is not None else config_path()
    section: dict = {}
    if path.exists():
        doc = yamlfile.load(path)
        found = doc.data.get("jobindsats") if isinstance(doc.data, dict) else None
        if found is not None and not isinstance(found, dict):
            raise doc.error(("jobindsats",), "skal have nøglerne key, version og base_url")
        section = found or {}
        if section.get("version", 2) not in (2, 3):
            raise doc.error(("jobindsats", "version"), "version skal være 2 eller 3")
        if not isinstance(section.get("base_url") or "", str):
            raise doc.error(("jobindsats", "base_url"), "base_url skal være en adresse, fx https://…")
    key = os.environ.get("JOBINDSATS_KEY") or section.get("key")
    return JobindsatsConfig(str(key) if key else None, int(section.get("version", 2)), section.get("base_url"))


class JobindsatsClient:
    """Fetches table data from jobindsats v2 or v3."""

    def __init__(self, key: str | None, *, version: int = 2, base_url: str | None = None, retries: int = 3,
                 backoff: float = 0.5) -> None:
        if not key:
            raise MaaltalError("Der er ingen jobindsats-nøgle. Sæt miljøvariablen JOBINDSATS_KEY eller skriv "
                               f"den i {config_path()} (jobindsats: key: …)")
        key = key.strip()
        if not key.isascii() or not key.isprintable():
            raise MaaltalError("jobindsats-nøglen indeholder tegn, der ikke kan sendes (kun ASCII uden "
                               "linjeskift); kontrollér JOBINDSATS_KEY eller konfigurationsfilen")
        if version not in BASE_URLS:
            raise MaaltalError(f"jobindsats API version {version} kendes ikke; brug 2 eller 3")
        self.version = version
        auth = key if version == 2 else f"Bearer {key}"
        self.http = HttpClient(base_url or BASE_URLS[version], headers={"Authorization": auth},
                               retries=retries, backoff=backoff, name="jobindsats")

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> JobindsatsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data(self, table: str, *, periods: list[str], areas: list[str] | None = None,
             filters: dict[str, list[str]] | None = None, fmt: str = "json") -> bytes:
        """The raw answer for ``table``: v2 as ``fmt`` (json or csv), v3 always JSON.

        ``periods`` are maaltal periods (``2022M06``, ``2022QMAT04``) or the API's own relative forms
        (v2 ``l(m:12)``, v3 ``M=latest:14``); ``areas`` are names as jobindsats writes them, or ``*``.
        """
        if not periods:
            raise MaaltalError("Angiv mindst én periode (--period), fx 2022M06 eller l(m:12)")
        areas = areas or ["*"]
        filters = filters or {}
        if self.version == 2:
            if fmt not in ("json", "csv"):
                raise MaaltalError("formatet skal være json eller csv")
            body = {"area": "*" if areas == ["*"] else areas, "period": periods, **filters}
            response = self.http.request("POST", f"data/{table}/{fmt}", json=body)
        else:
            response = self.http.request("GET", f"data/{table}", params=_v3_params(periods, areas, filters))
        return self._check(response)

    def _check(self, response: httpx.Response) -> bytes:
        text = response.text
        if response.status_code in (401, 403) or BAD_KEY_TEXT.rstrip(".") in text[:200]:
            raise BadKeyError()
        if response.status_code >= 400:
            with contextlib.suppress(json.JSONDecodeError):
                raise_for_error_body(json.loads(text))
            raise ApiError(f"jobindsats svarede {response.status_code}: {text.strip()[:200]}")
        return response.content


def _v3_params(periods: list[str], areas: list[str], filters: dict[str, list[str]]) -> list[tuple[str, str]]:
    params = [("format", "json"), ("mgroup.*", "*")]
    by_type: dict[str, list[str]] = {}
    for spec in periods:
        if "=" in spec:
            kind, value = spec.split("=", 1)
            by_type.setdefault(kind.strip().upper(), []).append(value.strip())
        else:
            period = Period.parse(spec)
            by_type.setdefault(_V3_PERIOD_TYPES[period.freq], []).append(v3_period(period))
    params += [(f"period.{kind}", ",".join(values)) for kind, values in by_type.items()]
    if areas == ["*"]:
        params += [(f"hierarchy.{h}", "*") for h in ("_nykom", "_region", "_hele_landet")]
    else:
        params.append(("dimension._omrade", ",".join(areas)))
    params += [(f"dimension.{name}", ",".join(values)) for name, values in filters.items()]
    return params


def v3_period(period: Period) -> str:
    """v3 writes quarters ``2026Q01`` and years ``2025Y01``."""
    if period.freq is Freq.QUARTER:
        return f"{period.year}Q{period.index:02d}"
    if period.freq is Freq.YEAR:
        return f"{period.year}Y01"
    return str(period)
