"""``maaltal fetch standard``: every table the standard key figures and the report use, from both APIs.

What is fetched is data (``maaltal/data/standard.yaml``): per source the tables, their filters, period type
and the periods a table covers (kontanthjælp is Y36A02/Y38A02 until the 2025 reform and Y60A02 after it,
under the same series names). Every table is fetched for all areas: regions, RAR areas and groups are sums
of their municipalities, and ranks need all 98.

Each table's answer is checked against its mapping exactly as a single fetch is (:func:`tables.convert`);
nothing is written until every table of both sources has been fetched and checked. Then each source's
observations are written as one snapshot (source ``jobindsats:standard`` or ``statbank:standard``), whose
note lists the tables, their periods and how derived series were made ("arbejdsstyrke afledt af Y25I01 …").
A table the API does not have, or has no periods of in the range, is reported as missing with the cause
instead of stopping the others; a refused key or an answer of an unexpected shape stops the fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.errors import MaaltalError
from maaltal.fields import Fields
from maaltal.periods import Period
from maaltal.sources import statbank, table_mapping, tables
from maaltal.sources.http import HttpError
from maaltal.sources.jobindsats import answers
from maaltal.sources.jobindsats.client import JobindsatsClient
from maaltal.store import Observation, Snapshot, Store

SOURCES = ("jobindsats", "statbank")
_PERIOD_TYPES = ("M", "Q", "QMAT", "Y")

Step = Callable[[str], None]  # told the table about to be fetched, for a progress bar


@dataclass(frozen=True)
class TableRequest:
    """One table of the standard fetch, as ``standard.yaml`` lists it."""

    source: str
    table: str
    why: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    period_type: str = "M"
    first: Period | None = None  # the table covers periods from …
    last: Period | None = None  # … until
    latest: int = 0  # at least the table's newest periods, however old (the benchmark is twice a year)


@dataclass(frozen=True)
class TableOutcome:
    """What came of one table: its observations and periods, or why it is missing."""

    request: TableRequest
    observations: int = 0
    suppressed: int = 0
    first: Period | None = None
    last: Period | None = None
    missing: str | None = None  # why nothing came ("ikke udgivet …", the API's own cause)
    derived: tuple[str, ...] = ()


@dataclass(frozen=True)
class StandardResult:
    """The snapshots written (one per source that brought data) and every table's outcome."""

    snapshots: dict[str, Snapshot]
    outcomes: tuple[TableOutcome, ...]

    @property
    def missing(self) -> tuple[TableOutcome, ...]:
        return tuple(o for o in self.outcomes if o.missing)


def load(path: str | Path | None = None) -> list[TableRequest]:
    """The tables of the standard fetch: the packaged ``standard.yaml``, or a file of the same form."""
    doc = yamlfile.load_or_shipped(path, "standard.yaml")
    f = Fields(doc)
    f.unknown((), SOURCES)
    result = []
    for source in SOURCES:
        for i in range(len(f.items((source,), f"'{source}' skal være en liste af tabeller", required=False) or [])):
            where = (source, i)
            if f.mapping(where, "hver tabel skal have 'table' og 'why'") is None:
                continue
            f.unknown(where, ("table", "why", "filters", "periods", "from", "until", "latest"))
            filters = f.mapping(where + ("filters",), "'filters' skal være navn: værdi(er)", required=False) or {}
            period_type = (f.choice(where + ("periods",), _PERIOD_TYPES, default="M") or "M")
            table, why = f.text(where + ("table",)), f.text(where + ("why",))
            first, last = f.period(where + ("from",), required=False), f.period(where + ("until",), required=False)
            latest = f.integer(where + ("latest",), low=0, high=100, default=0) or 0
            if table and why:
                result.append(TableRequest(source, table.upper(), why, _values(filters), period_type, first, last,
                                           latest))
    f.check(alone=True)
    return result


def _values(filters: dict) -> dict[str, list[str]]:
    return {str(k): [str(v) for v in (values if isinstance(values, list) else [values])]
            for k, values in filters.items()}


def fetch(store: Store, registry: AreaRegistry, requests: list[TableRequest], *, start: Period,
          jobindsats: JobindsatsClient | None, statbank_client: statbank.StatBankClient | None,
          step: Step | None = None) -> StandardResult:
    """Fetch and check every table, then write one snapshot per source; see the module's docstring."""
    collected: dict[str, list[tuple[TableRequest, tables.Converted]]] = {s: [] for s in SOURCES}
    outcomes: list[TableOutcome] = []
    for request in requests:
        if step is not None:
            step(request.table)
        client = jobindsats if request.source == "jobindsats" else statbank_client
        if client is None:
            outcomes.append(TableOutcome(request, missing="kilden blev ikke spurgt"))
            continue
        try:
            converted = (_jobindsats(jobindsats, registry, request, start) if request.source == "jobindsats"
                         else _statbank(statbank_client, registry, request, start))
        except _Missing as exc:
            outcomes.append(TableOutcome(request, missing=str(exc)))
            continue
        collected[request.source].append((request, converted))
        periods = sorted({o.period for o in converted.observations})
        outcomes.append(TableOutcome(request, len(converted.observations), converted.suppressed, periods[0],
                                     periods[-1], derived=converted.derived))
    snapshots = {}
    for source, parts in collected.items():
        if parts:
            snapshots[source] = _write(store, source, parts, start)
    return StandardResult(snapshots, tuple(outcomes))


class _Missing(MaaltalError):
    """A table that did not come: not published (in the range), or refused by the API for this table."""


def _jobindsats(client: JobindsatsClient, registry: AreaRegistry, request: TableRequest, start: Period
                ) -> tables.Converted:
    mapping = table_mapping.mapping_for("jobindsats", request.table)
    try:
        meta = client.metadata(request.table)
    except (answers.ApiError, HttpError) as exc:
        raise _Missing(f"ikke udgivet i jobindsats' API v3 ({exc})") from None
    known = meta.periods.get(request.period_type, ())
    newest = set(known[-request.latest:]) if request.latest else set()
    ids = [p for p in known if _within(p, request, start) or p in newest]
    if not ids:
        raise _Missing(f"ingen perioder ({request.period_type}) fra {_range(request, start)} i tabellen")
    data = client.send(client.data_request(request.table, periods=[f"{request.period_type}={','.join(ids)}"],
                                           filters=request.filters))
    file = f"{client.http.base_url}/data/{request.table.lower()}"
    return tables.convert(answers.parse(data, file), mapping, registry)


def _statbank(client: statbank.StatBankClient, registry: AreaRegistry, request: TableRequest, start: Period
              ) -> tables.Converted:
    mapping = statbank.mapping_for(request.table)
    try:
        info = statbank.TableInfo.parse(client.tableinfo(mapping.table),
                                        f"{client.http.base_url}/tableinfo/{mapping.table}")
    except (statbank.StatBankError, HttpError) as exc:
        raise _Missing(f"ikke udgivet i StatBank ({exc})") from None
    time = next((v for v in info.variables if v.time), None)
    codes = [code for code in (time.values if time else {}) if _within(code, request, start)]
    if not codes:
        raise _Missing(f"ingen perioder fra {_range(request, start)} i tabellen")
    plan = statbank.data_request(info, mapping, registry, areas=["*"], periods=codes, filters=request.filters)
    data = client.data(mapping.table, plan.variables, fmt=plan.format)
    file = f"{client.http.base_url}/data/{mapping.table}"
    raw = tables.parse_csv(tables.decode(data, file), file)
    raw, errors = statbank.with_numbers(raw, mapping, client.lang, info.suppressed)
    if errors:
        raise MaaltalError("\n".join(str(e) for e in errors[:10]))
    return tables.convert(raw, mapping, registry)


def _within(text: str, request: TableRequest, start: Period) -> bool:
    """Whether a period id of the API (``2024M01``, ``2024Q01``, ``2022QMAT04``, ``2024K1``) is in range."""
    try:
        period = Period.parse(text)
    except MaaltalError:
        return False
    first = max(start, request.first, key=lambda p: p.start) if request.first else start
    return period.end >= first.start and (request.last is None or period.start <= request.last.end)


def _range(request: TableRequest, start: Period) -> str:
    first = max(start, request.first, key=lambda p: p.start) if request.first else start
    return f"{first}" + (f" til {request.last}" if request.last else "")


def _write(store: Store, source: str, parts: list[tuple[TableRequest, tables.Converted]], start: Period
           ) -> Snapshot:
    """One snapshot of a source's tables; two tables giving the same observation is an error, as it is
    within one table (Y36A02 and Y60A02 must not overlap)."""
    seen: dict[tuple, str] = {}
    observations: list[Observation] = []
    for request, converted in parts:
        for obs in converted.observations:
            key = (obs.series, obs.area, obs.period, tuple(sorted(obs.dims.items())))
            if key in seen:
                raise MaaltalError(f"{request.table} og {seen[key]} giver begge {obs.series} {dict(obs.dims)} for "
                                   f"{obs.area} {obs.period}; ret perioderne (from/until) i standardhentningen")
            seen[key] = request.table
            observations.append(obs)
    listed = ", ".join(f"{r.table} ({len(c.observations)} obs.)" for r, c in parts)
    derived = [note for _, c in parts for note in c.derived]
    note = "; ".join([f"standardhentning fra {start}: {listed}", *derived])
    return store.write_snapshot(observations, source=f"{source}:standard", note=note)
