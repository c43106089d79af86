"""Local API servers for the tests, on 127.0.0.1 and a free port, that enforce the real request syntax.

- :class:`JobindsatsV3` answers like jobindsats API v3: ``Authorization: Bearer <key>`` (else 401), lower-case
  table ids (else 404), ``GET /table/{id}?format=json`` with the table's metadata, ``GET /data/{id}`` with
  ``hierarchy.<id>=<value ids>`` only for hierarchies the table has and value ids from its metadata (else
  422 in the real error body's shape, ``{"code", "cause", "request_id"}``), ``period.<type>=<ids>|latest:N``.
  Its data answers are rows of real v3 answers (``tests/data/recorded``), filtered as the request asks.
- :class:`StatBank` answers like api.statbank.dk/v1: ``/tableinfo`` and ``/data``, where BULK needs a value
  for every variable ("Der skal vælges værdier for variabel: X") and CSV may leave out eliminable variables
  up to 1.000.000 cells. Its answers are rows of real StatBank answers, filtered as the request asks.

Which error texts are real and which are the tests' own is said in ``tests/data/recorded/README.md``.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

RECORDED = Path(__file__).parent / "data" / "recorded"
Answer = tuple[int, bytes, dict[str, str]]


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@contextmanager
def serve(respond: Callable[[Request], Answer]) -> Iterator[str]:
    """Run ``respond`` as an HTTP server on 127.0.0.1 until the block ends; yields its base address."""

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(self.command, unquote(parts.path), parse_qsl(parts.query, keep_blank_values=True),
                              dict(self.headers), body)
            status, payload, extra = respond(request)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json; charset=utf-8", **extra}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _json(status: int, doc: object) -> Answer:
    return status, json.dumps(doc, ensure_ascii=False).encode("utf-8"), {}


# jobindsats v3 -------------------------------------------------------------------------------------------


@dataclass
class V3Table:
    """One table the v3 server knows: its metadata, real answer rows, and which column shows which dimension."""

    metadata: dict
    answers: list[dict]  # real v3 answers ({"columns", "rows"}); their rows are served together
    columns: dict[str, str]  # dimension id → the answer's column ("_omrade" → "Område")

    @classmethod
    def recorded(cls, table: str, columns: dict[str, str]) -> V3Table:
        metadata = json.loads((RECORDED / f"jobindsats_v3_{table}_metadata.json").read_text(encoding="utf-8"))
        answers = [json.loads(p.read_text(encoding="utf-8"))
                   for p in sorted(RECORDED.glob(f"jobindsats_v3_{table}_*.json")) if "metadata" not in p.name]
        return cls(metadata, answers, columns)

    def hierarchies(self) -> dict[str, tuple[str, dict[str, str]]]:
        """hierarchy id → (dimension id, value id → value name)."""
        return {h["hierarchy_id"]: (d["dimension_id"], {v["value_id"]: v["value_name"]
                                                         for level in h["levels"] for v in level["values"]})
                for d in self.metadata["dimensions"] for h in d["hierarchies"]}

    def periods(self) -> dict[str, list[str]]:
        return {p["periodtype_id"]: [v["period_id"] for v in p["values"]] for p in self.metadata["periods"]}


@dataclass
class JobindsatsV3:
    """A strict jobindsats v3 server (see the module's docstring)."""

    key: str
    tables: dict[str, V3Table]
    requests: list[Request] = field(default_factory=list)

    def __call__(self, request: Request) -> Answer:
        self.requests.append(request)
        if request.headers.get("Authorization") != f"Bearer {self.key}":
            return self._error(401, "Unauthorized")
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "v3" or parts[1] not in ("table", "data"):
            return self._error(404, f"Not found: {request.path}")
        table = self.tables.get(parts[2])  # lower-case ids only, as the real API
        if table is None:
            return self._error(404, f"Unknown table: {parts[2]}")
        if parts[1] == "table":
            return _json(200, table.metadata)
        return self._data(table, request.query)

    def _data(self, table: V3Table, query: list[tuple[str, str]]) -> Answer:
        known = table.hierarchies()
        wanted: dict[str, set[str] | None] = {}  # column → names asked for (None: all)
        periods: set[str] = set()
        unknown_hierarchies = []
        for name, value in query:
            if name in ("format", "mgroup.*") or name.startswith("mgroup."):
                continue
            if name.startswith("hierarchy."):
                hierarchy = name.removeprefix("hierarchy.")
                if hierarchy not in known:
                    unknown_hierarchies.append(hierarchy)
                    continue
                dimension, values = known[hierarchy]
                ids = value.split(",")
                bad = [i for i in ids if i != "*" and i not in values]
                if bad:
                    return self._error(422, f"Unknown values for hierarchy {hierarchy}: {bad}")
                column = table.columns.get(dimension)
                if column is not None:
                    names = None if "*" in ids else {values[i] for i in ids}
                    wanted[column] = None if names is None or wanted.get(column, set()) is None \
                        else wanted.get(column, set()) | names
            elif name.startswith("period."):
                kind = name.removeprefix("period.")
                available = table.periods()
                if kind not in available:
                    return self._error(422, f"Unknown period type: {kind}")
                for one in value.split(","):
                    if one.startswith("latest:"):
                        periods |= set(available[kind][-int(one.removeprefix("latest:")):])
                    elif one in available[kind]:
                        periods.add(one)
                    else:
                        return self._error(422, f"Unknown period: {one}")
            else:
                return self._error(422, f"Unknown parameter: {name}")
        if unknown_hierarchies:
            return self._error(422, f"Unknown hierarchies: {unknown_hierarchies}")
        columns = table.answers[0]["columns"]
        rows, seen = [], set()
        for answer in table.answers:
            for row in answer["rows"]:
                cells = dict(zip(columns, row, strict=True))
                if cells["Periode"] not in periods or json.dumps(row) in seen:
                    continue
                if all(names is None or cells[column] in names for column, names in wanted.items()):
                    rows.append(row)
                    seen.add(json.dumps(row))
        return _json(200, {"columns": columns, "rows": rows})

    @staticmethod
    def _error(code: int, cause: str) -> Answer:
        """v3's error body, as in the real 422 (v3_error_422_real.json)."""
        return _json(code, {"code": code, "cause": cause, "request_id": str(uuid.uuid4())})


# StatBank ------------------------------------------------------------------------------------------------


@dataclass
class StatBankTable:
    tableinfo: dict  # /tableinfo's answer in the answer's language
    answer: str  # a real BULK/CSV answer (labels), header included
    lang: str = "en"

    @classmethod
    def recorded(cls, tableinfo: str, answer: str, lang: str = "en") -> StatBankTable:
        return cls(json.loads((RECORDED / tableinfo).read_text(encoding="utf-8")),
                   (RECORDED / answer).read_text(encoding="utf-8-sig"), lang)


@dataclass
class StatBank:
    """A StatBank server that keeps BULK's rule (see the module's docstring); one language per table."""

    tables: dict[str, StatBankTable]
    requests: list[Request] = field(default_factory=list)

    def __call__(self, request: Request) -> Answer:
        self.requests.append(request)
        body = json.loads(request.body or b"{}")
        table = self.tables.get(str(body.get("table", "")).upper())
        if table is None:
            return self._error("EXTRACT-NOTFOUND", f"Tabel findes ikke: {body.get('table', '')}")
        if body.get("lang", "da") != table.lang:
            return self._error("EXTRACT-NOTFOUND", f"testtabellen findes kun med lang={table.lang}")
        if request.path == "/v1/tableinfo":
            return _json(200, table.tableinfo)
        if request.path == "/v1/data":
            return self._data(table, body)
        return 404, b"Not found", {}

    def _data(self, table: StatBankTable, body: dict) -> Answer:
        fmt = str(body.get("format", "")).upper()
        asked = {str(v["code"]).upper(): v.get("values") or [] for v in body.get("variables") or []}
        variables = {var["id"].upper(): var for var in table.tableinfo["variables"]}
        selected: dict[str, dict[str, str] | None] = {}  # variable → code → label (None: summed out)
        cells = 1
        for key, var in variables.items():
            values = {v["id"]: v["text"] for v in var["values"]}
            codes = asked.get(key)
            if not codes:
                if fmt == "BULK" or not var["elimination"]:
                    return self._error("EXTRACT-NOTALLOWED", f"Der skal vælges værdier for variabel: {var['id']}")
                selected[key] = None
                continue
            missing = [c for c in codes if c != "*" and c not in values]
            if missing:
                return self._error("EXTRACT-NOTFOUND", f"Kan ikke finde værdien: {missing[0]} ({var['id']})")
            selected[key] = values if "*" in codes else {c: values[c] for c in codes}
            cells *= len(selected[key])
        if fmt != "BULK" and cells > 1_000_000:
            return self._error("REQUEST-LIMIT", f"Forespørgslen på op mod {cells} celler er over begrænsningen på "
                               "1.000.000 celler for denne filtype. Anvend BULK eller andet streaming format i stedet.")
        lines = table.answer.splitlines()
        header = [c.upper() for c in lines[0].split(";")]
        keep = [i for i, column in enumerate(header) if selected.get(column, {}) is not None]
        codes_asked = body.get("valuePresentation") == "Code"
        out = [";".join(lines[0].split(";")[i] for i in keep)]
        for line in lines[1:]:
            row = line.split(";")
            if all(self._matches(selected[column], row[i])
                   for i, column in enumerate(header[:-1])):
                out.append(";".join(self._code(selected[header[i]], row[i]) if codes_asked and i < len(row) - 1
                                    else row[i] for i in keep))
        text = "\r\n".join(out) + "\r\n"
        payload = text.encode("utf-8") if fmt == "BULK" else ("\ufeff" + text).encode("utf-8")
        return 200, payload, {"Content-Type": "text/csv; charset=utf-8"}

    @staticmethod
    def _matches(chosen: dict[str, str] | None, cell: str) -> bool:
        """A row is in the answer when its value was chosen; a summed-out variable shows only its total."""
        if chosen is None:
            label = cell.casefold()
            return label in ("total", "i alt") or label.endswith((", total", " i alt"))
        return cell in chosen.values()

    @staticmethod
    def _code(chosen: dict[str, str] | None, label: str) -> str:
        return next((code for code, text in (chosen or {}).items() if text == label), label)

    @staticmethod
    def _error(code: str, message: str) -> Answer:
        """StatBank's error body: {"errorTypeCode", "message"} with HTTP 400."""
        return _json(400, {"errorTypeCode": code, "message": message})
