"""The jobindsats API client: asks for a table's data and returns the answer exactly as it came.

The answer is then imported by the same code as a file saved by hand (:mod:`.importer`), so a live fetch
and a recorded answer cannot differ in how they are read.

API v3 is the default (public notes quoting STAR say v2 is served only until 30 September 2026). A v3
data request is built from the table's metadata, as the public v3 clients build theirs:

- ``GET /table/{id}?format=json`` first, with the table id in lower case and ``Authorization: Bearer <key>``;
- ``GET /data/{id}?format=json&mgroup.*=*&period.M=2024M01,2024M02&hierarchy._nykom=<value id>,…``: areas
  and dimension filters are ``hierarchy.<hierarchy_id>=<value_id>[,…]`` with the names the user gave looked
  up in the metadata (``*`` all values, ``/`` the top), and only hierarchies the table has; periods are
  ``period.<type>=<ids>`` or ``period.<type>=latest:N``.

v2 (``--version 2``) posts ``{"area", "period", "_<dimension>": […]}`` with the bare key and periods in v2's
spelling (``2023Q03``, ``2023Y01``, ``2022QMAT04``, ``l(m:12)``).

The key is taken from ``JOBINDSATS_KEY`` or from the configuration file (``$MAALTAL_CONFIG``, else
``~/.config/maaltal/config.yaml``)::

    jobindsats:
      key: "…"
      version: 3              # 3 (default) or 2
      base_url: https://…     # only to point at another server (tests, a proxy)
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from maaltal import yamlfile
from maaltal.errors import MaaltalError
from maaltal.periods import Freq, Period
from maaltal.sources.http import ApiClient, HttpClient
from maaltal.sources.jobindsats.answers import (
    BAD_KEY_TEXT,
    ApiError,
    BadKeyError,
    Hierarchy,
    TableMetadata,
    raise_for_error_body,
)

BASE_URLS = {2: "https://api.jobindsats.dk/v2", 3: "https://api.jobindsats.dk/v3"}
DEFAULT_VERSION = 3
AREA_DIMENSION = "_omrade"
_V3_PERIOD_TYPES = {Freq.MONTH: "M", Freq.QUARTER: "Q", Freq.YEAR: "Y", Freq.QMAT: "QMAT"}
_LATEST = re.compile(r"^latest:\d+$", re.IGNORECASE)
_SHOWN = 15  # valid names listed in an error


@dataclass(frozen=True)
class JobindsatsConfig:
    key: str | None
    version: int = DEFAULT_VERSION
    base_url: str | None = None


@dataclass(frozen=True)
class ApiRequest:
    """One request as it is sent: what ``--show-request`` prints and what :meth:`JobindsatsClient.send` sends."""

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    body: Any = None


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
        if section.get("version", DEFAULT_VERSION) not in (2, 3):
            raise doc.error(("jobindsats", "version"), "version skal være 2 eller 3")
        if not isinstance(section.get("base_url") or "", str):
            raise doc.error(("jobindsats", "base_url"), "base_url skal være en adresse, fx https://…")
    key = os.environ.get("JOBINDSATS_KEY") or section.get("key")
    return JobindsatsConfig(str(key) if key else None, int(section.get("version", DEFAULT_VERSION)),
                            section.get("base_url"))


class JobindsatsClient(ApiClient):
    """Fetches table data from jobindsats v3 (default) or v2."""

    def __init__(self, key: str | None, *, version: int = DEFAULT_VERSION, base_url: str | None = None,
                 retries: int = 3, backoff: float = 0.5) -> None:
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
        self._metadata: dict[str, TableMetadata] = {}

    def data(self, table: str, *, periods: list[str], areas: list[str] | None = None,
             filters: dict[str, list[str]] | None = None, fmt: str = "json") -> bytes:
        """The raw answer for ``table``: v2 as ``fmt`` (json or csv), v3 as JSON.

        ``periods`` are maaltal periods (``2022M06``, ``2023Q3``, ``2022QMAT04``) or the API's relative
        forms (v2 ``l(m:12)``, v3 ``M=latest:14``); ``areas`` are names as jobindsats writes them, or ``*``;
        ``filters`` map a dimension (``_kon``) to names or value ids.
        """
        return self.send(self.data_request(table, periods=periods, areas=areas, filters=filters, fmt=fmt))

    def requests(self, table: str, *, periods: list[str], areas: list[str] | None = None,
                 filters: dict[str, list[str]] | None = None, fmt: str = "json") -> list[ApiRequest]:
        """Every request a fetch makes, in order: v3's metadata request, then the data request."""
        data = self.data_request(table, periods=periods, areas=areas, filters=filters, fmt=fmt)
        return [self.metadata_request(table), data] if self.version == 3 else [data]

    def data_request(self, table: str, *, periods: list[str], areas: list[str] | None = None,
                     filters: dict[str, list[str]] | None = None, fmt: str = "json") -> ApiRequest:
        """The data request; for v3 it is built from the table's metadata (fetched once per table)."""
        if not periods:
            raise MaaltalError("Angiv mindst én periode (--period), fx 2022M06, 2023Q3 eller M=latest:12")
        areas = areas or ["*"]
        filters = filters or {}
        if self.version == 2:
            if fmt not in ("json", "csv"):
                raise MaaltalError("formatet skal være json eller csv")
            body = {"area": "*" if areas == ["*"] else areas, "period": [v2_period(p) for p in periods], **filters}
            return ApiRequest("POST", f"data/{table}/{fmt}", body=body)
        meta = self.metadata(table)
        return ApiRequest("GET", f"data/{table_id(table)}", tuple(v3_params(meta, periods, areas, filters)))

    def metadata_request(self, table: str) -> ApiRequest:
        return ApiRequest("GET", f"table/{table_id(table)}", (("format", "json"),))

    def metadata(self, table: str) -> TableMetadata:
        """The table's v3 metadata: its periods and hierarchies with their value ids."""
        key = table_id(table)
        if key not in self._metadata:
            request = self.metadata_request(table)
            self._metadata[key] = TableMetadata.parse(self.send(request), key, self.http.url(request.path))
        return self._metadata[key]

    def describe(self, request: ApiRequest) -> str:
        """The request as the user may see it: URL, parameters and body, the key masked."""
        return self.http.describe(request.method, request.path, params=request.params, json=request.body)

    def send(self, request: ApiRequest) -> bytes:
        response = self.http.request(request.method, request.path, params=request.params or None,
                                     json=request.body)
        return self._check(response)

    def _check(self, response: httpx.Response) -> bytes:
        text = response.text
        if BAD_KEY_TEXT.rstrip(".") in text[:200]:
            raise BadKeyError()
        if response.status_code >= 400:
            with contextlib.suppress(json.JSONDecodeError):
                raise_for_error_body(json.loads(text))
            if response.status_code in (401, 403):
                raise BadKeyError(f"{response.status_code}: {text.strip()[:200]}")
            raise ApiError(f"jobindsats svarede {response.status_code}: {text.strip()[:200]}")
        return response.content


def table_id(table: str) -> str:
    """v3's spelling of a table id: lower case (``y01a02``), as every public v3 client writes it."""
    return table.strip().lower()


# v3 requests ---------------------------------------------------------------------------------------------


def v3_params(meta: TableMetadata, periods: Sequence[str], areas: Sequence[str],
              filters: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The query of a v3 data request, every name resolved to a value id of the table's metadata."""
    params = [("format", "json"), ("mgroup.*", "*")]
    params += _period_params(meta, periods)
    chosen = [(_hierarchy_for(meta, name, values), values) for name, values in filters.items()]
    if not any(h.dimension == AREA_DIMENSION for h, _ in chosen):
        params += _area_params(meta, areas)
    for hierarchy, values in chosen:
        params.append((f"hierarchy.{hierarchy.id}", ",".join(_value_ids(meta, hierarchy, values))))
    return params


def v3_period(period: Period) -> tuple[str, str]:
    """(period type, period id) in v3's spelling: ``M 2024M01``, ``Q 2026Q01``, ``Y 2025Y01``, ``QMAT 2022QMAT04``."""
    if period.freq is Freq.QUARTER:
        return "Q", f"{period.year}Q{period.index:02d}"
    if period.freq is Freq.YEAR:
        return "Y", f"{period.year}Y01"
    return _V3_PERIOD_TYPES[period.freq], str(period)


def _period_params(meta: TableMetadata, periods: Sequence[str]) -> list[tuple[str, str]]:
    by_type: dict[str, list[str]] = {}
    for spec in periods:
        text = spec.strip().removeprefix("period.")
        if "=" in text:
            kind, value = (part.strip() for part in text.split("=", 1))
            kind = kind.upper()
        elif _LATEST.match(text):
            if len(meta.periods) != 1:
                raise MaaltalError(f"Skriv periodetypen foran '{text}', fx M={text}; tabel {meta.table} har "
                                   f"periodetyperne {', '.join(meta.periods) or '(ingen oplyst)'}")
            kind, value = next(iter(meta.periods)), text
        else:
            kind, value = v3_period(Period.parse(text))
        if meta.periods and kind not in meta.periods:
            raise MaaltalError(f"Tabel {meta.table} har ikke periodetypen {kind} ('{spec}'); den har "
                               f"{', '.join(meta.periods)}")
        for one in (v.strip() for v in value.split(",") if v.strip()):
            known = meta.periods.get(kind)
            if not _LATEST.match(one) and known and one not in known:
                raise MaaltalError(f"Perioden {one} findes ikke i tabel {meta.table}; de nyeste er "
                                   f"{', '.join(sorted(known)[-6:])}")
            by_type.setdefault(kind, []).append(one.lower() if _LATEST.match(one) else one)
    return [(f"period.{kind}", ",".join(values)) for kind, values in by_type.items()]


def _area_params(meta: TableMetadata, areas: Sequence[str]) -> list[tuple[str, str]]:
    """Areas as ``hierarchy.<area hierarchy>=<value ids>``; all areas as ``*`` in each area hierarchy."""
    hierarchies = meta.of_dimension(AREA_DIMENSION)
    if list(areas) == ["*"]:
        return [(f"hierarchy.{h.id}", "*") for h in hierarchies]
    if not hierarchies:
        raise MaaltalError(f"Tabel {meta.table} har ingen områdedimension; udelad --area")
    chosen: dict[str, list[str]] = {}
    for name in areas:
        found = next(((h, value_id) for h in hierarchies for value_id, value_name in h.values
                      if _norm(value_name) == _norm(name) or value_id == name), None)
        if found is None:
            raise _unknown("område", name, meta.table, _names(hierarchies))
        chosen.setdefault(found[0].id, []).append(found[1])
    return [(f"hierarchy.{hierarchy_id}", ",".join(ids)) for hierarchy_id, ids in chosen.items()]


def _hierarchy_for(meta: TableMetadata, name: str, values: Sequence[str]) -> Hierarchy:
    """The hierarchy a filter names: a hierarchy id, or a dimension id (with or without ``_``)."""
    key = name.strip().removeprefix("hierarchy.")
    key = key if key.startswith("_") else f"_{key}"
    if (found := meta.hierarchy(key)) is not None:
        return found
    candidates = meta.of_dimension(key)
    for hierarchy in candidates:
        if all(v in ("*", "/") or _lookup(hierarchy, v) is not None for v in values):
            return hierarchy
    if candidates:
        return candidates[0]
    raise MaaltalError(f"Tabel {meta.table} har ingen dimension eller hierarki '{name}'; den har "
                       f"{', '.join(h.id for h in meta.hierarchies)}")


def _value_ids(meta: TableMetadata, hierarchy: Hierarchy, values: Sequence[str]) -> list[str]:
    ids = []
    for value in values:
        if value == "*" or value.startswith("level:"):
            ids.append(value)
            continue
        found = _lookup(hierarchy, value)
        if found is None:
            raise _unknown(f"værdi for {hierarchy.id}", value, meta.table, _names([hierarchy]))
        ids.append(found)
    return ids


def _lookup(hierarchy: Hierarchy, value: str) -> str | None:
    """The value id of a name (or of a value id itself) in one hierarchy."""
    return next((value_id for value_id, value_name in hierarchy.values
                 if value_id == value or _norm(value_name) == _norm(value)), None)


def _names(hierarchies: Sequence[Hierarchy]) -> list[str]:
    seen: dict[str, None] = {}
    for hierarchy in hierarchies:
        seen.update((name, None) for _, name in hierarchy.values)
    return list(seen)


def _unknown(what: str, name: str, table: str, valid: list[str]) -> MaaltalError:
    """A Danish error naming the valid names (a reasonable number of them) and the closest ones.

    Names that contain what was written ("FOA" → "FOAs A-kasse") come first, else difflib's closest.
    """
    by_key = {_norm(v): v for v in valid}
    close = [v for k, v in by_key.items() if _norm(name) in k][:3] \
        or [by_key[k] for k in difflib.get_close_matches(_norm(name), list(by_key), n=3, cutoff=0.6)]
    shown = ", ".join(valid[:_SHOWN]) + (f" … og {len(valid) - _SHOWN} flere" if len(valid) > _SHOWN else "")
    hint = f" Mente du {' eller '.join(repr(c) for c in close)}?" if close else ""
    return MaaltalError(f"Ukendt {what} '{name}' i tabel {table}; gyldige: {shown}.{hint}")


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


# v2 requests ---------------------------------------------------------------------------------------------


def v2_period(text: str) -> str:
    """A period in v2's spelling: ``2023Q3`` → ``2023Q03``, ``2023`` → ``2023Y01``; ``l(m:12)`` is passed on."""
    cleaned = text.strip()
    if "=" in cleaned or cleaned.lower().startswith(("latest", "period.")):
        raise MaaltalError(f"'{text}' er API v3's form; v2 skriver seneste perioder som fx l(m:12)")
    try:
        period = Period.parse(cleaned)
    except MaaltalError:
        return cleaned
    if period.freq is Freq.QUARTER:
        return f"{period.year}Q{period.index:02d}"
    if period.freq is Freq.YEAR:
        return f"{period.year}Y01"
    return str(period)
