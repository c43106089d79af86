"""Local API servers for the tests, on 127.0.0.1 and a free port, that enforce the real request syntax.

- :class:`JobindsatsV3` answers like jobindsats API v3: ``Authorization: Bearer <key>`` (else 401), lower-case
  table ids (else 404), ``GET /table/{id}?format=json`` with the table's metadata, ``GET /data/{id}`` with
  ``hierarchy.<id>=<value ids>`` only for hierarchies the table has and value ids from its metadata (else
  422 in the real error body's shape, ``{"code", "cause", "request_id"}``), ``period.<type>=<ids>|latest:N``.
  Its data answers are rows of real v3 answers (``tests/data/recorded``), filtered as the request asks.
  Where no real answer exists for a table (y60a02, the benefit tables), :class:`Generated` makes rows in the
  real shape from the table's metadata: counts scaled from the municipalities' real populations (FOLK1AM),
  shares computed from them, small counts suppressed (``null``); regions and the nation are the sums.
- :class:`StatBank` answers like api.statbank.dk/v1: ``/tableinfo`` and ``/data``, where BULK needs a value
  for every variable ("Der skal vælges værdier for variabel: X") and CSV may leave out eliminable variables
  up to 1.000.000 cells. Its answers are rows of real StatBank answers, filtered as the request asks.

Which error texts are real and which are the tests' own is said in ``tests/data/recorded/README.md``.
"""

from __future__ import annotations

import csv
import itertools
import json
import threading
import uuid
import zlib
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
    generated: Generated | None = None  # rows made in the real shape where no real answer has them

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
        columns = table.answers[0]["columns"] if table.answers else table.generated.columns(table, wanted)
        rows, seen, real = [], set(), set()
        for answer in table.answers:
            for row in answer["rows"]:
                cells = dict(zip(columns, row, strict=True))
                if cells["Periode"] not in periods or json.dumps(row) in seen:
                    continue
                if all(names is None or cells[column] in names for column, names in wanted.items()):
                    rows.append(row)
                    seen.add(json.dumps(row))
                    real.add(tuple(cells[c] for c in columns if c in table.columns.values() or c == "Periode"))
        if table.generated is not None:
            rows += table.generated.rows(table, columns, sorted(periods), wanted, real)
        return _json(200, {"columns": columns, "rows": rows})

    @staticmethod
    def _error(code: int, cause: str) -> Answer:
        """v3's error body, as in the real 422 (v3_error_422_real.json)."""
        return _json(code, {"code": code, "cause": cause, "request_id": str(uuid.uuid4())})


# Generated answers in the real shape ----------------------------------------------------------------------

REGIONS = {"1081": "Region Nordjylland", "1082": "Region Midtjylland", "1083": "Region Syddanmark",
           "1084": "Region Hovedstaden", "1085": "Region Sjælland"}


def municipalities() -> list[dict[str, str]]:
    """The 98 municipalities as maaltal ships them (code, name, name_en, region)."""
    path = Path(__file__).parents[1] / "src" / "maaltal" / "data" / "municipalities.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def populations() -> dict[str, int]:
    """Each municipality's real population (FOLK1AM, 2026M02, the recorded excerpt), by its name."""
    english = {m["name_en"] or m["name"]: m["name"] for m in municipalities()}
    text = (RECORDED / "statbank_folk1am_en.csv").read_text(encoding="utf-8-sig")
    return {english[row["OMRÅDE"]]: int(row["INDHOLD"]) for row in csv.DictReader(text.splitlines(), delimiter=";")
            if row["TID"] == "2026M02" and row["OMRÅDE"] in english}


def area_dimension() -> dict:
    """v3 metadata's area dimension: ``_nykom`` (nation and municipalities) and ``_region``."""
    towns = [{"value_id": f"/{m['region'][2:]}/{m['code']}/", "value_name": m["name"]} for m in municipalities()]
    regions = [{"value_id": f"/{code[2:]}/", "value_name": name} for code, name in REGIONS.items()]
    top = {"value_id": "/", "value_name": "Hele landet"}
    return {"dimension_id": "_omrade", "hierarchies": [
        {"hierarchy_id": "_nykom", "levels": [{"level_id": "_nykom_0", "values": [top]},
                                              {"level_id": "_nykom_2", "values": towns}]},
        {"hierarchy_id": "_region", "levels": [{"level_id": "_region_0", "values": [top]},
                                               {"level_id": "_region_1", "values": regions}]}]}


@dataclass
class Generated:
    """Rows for a table without a recorded answer, made from its metadata and real populations.

    ``dimensions``: dimension id → (column, [(value name, weight)]) with the total first (weight 1);
    ``measures``: column → ``("count", per inhabitant)`` or ``("pct", count column, share of inhabitants)``.
    A count below 5 is suppressed (``null``), as jobindsats does; regions and the nation are sums.
    """

    table: str
    dimensions: dict[str, tuple[str, list[tuple[str, float]]]]
    measures: dict[str, tuple]
    periods: dict[str, list[str]]

    def metadata(self) -> dict:
        dims = [area_dimension()] + [
            {"dimension_id": dim, "hierarchies": [{"hierarchy_id": dim, "levels": [{"level_id": f"{dim}_1", "values": [
                {"value_id": "/" if i == 0 else f"/{i}/", "value_name": name}
                for i, (name, _) in enumerate(values)]}]}]}
            for dim, (_, values) in self.dimensions.items()]
        return {"table_id": self.table, "table_name": self.table, "mgroups": [],
                "periods": [{"periodtype_id": kind, "values": [{"period_id": p} for p in ids]}
                            for kind, ids in self.periods.items()],
                "dimensions": dims}

    def columns(self, table: V3Table, wanted: dict[str, set[str] | None]) -> list[str]:
        asked = [column for dim, (column, _) in self.dimensions.items() if column in wanted]
        return ["Periode", "Område", *asked, *self.measures]

    def rows(self, table: V3Table, columns: list[str], periods: list[str], wanted: dict[str, set[str] | None],
             real: set[tuple]) -> list[list]:
        population = populations()
        towns = municipalities()
        areas = wanted.get("Område")
        by_column = {column: values for column, values in self.dimensions.values()}
        dims = [c for c in columns if c in by_column]
        choices = [[(n, w) for n, w in by_column[c] if wanted.get(c) is None or n in wanted[c]] for c in dims]
        result = []
        for period, combo in itertools.product(periods, itertools.product(*choices)):
            names = tuple(n for n, _ in combo)
            weight = 1.0
            for _, w in combo:
                weight *= w
            counts = {m["name"]: self._counts(population[m["name"]], weight, period, m["code"] + "".join(names))
                      for m in towns}
            groups = {"Hele landet": [m["name"] for m in towns],
                      **{name: [m["name"] for m in towns if m["region"] == code] for code, name in REGIONS.items()}}
            for area in [*groups, *counts]:
                if areas is not None and area not in areas or (period, area, *names) in real:
                    continue
                members = groups.get(area, [area])
                values = {k: sum(counts[m][k] for m in members) for k in counts[members[0]]}
                people = sum(population[m] for m in members)
                result.append([period, area, *names, *self._cells(values, people)])
        return result

    def _counts(self, people: int, weight: float, period: str, key: str) -> dict[str, float]:
        wobble = 0.9 + (zlib.crc32(f"{self.table}{key}{period}".encode()) % 200) / 1000
        return {column: round(people * spec[1] * weight * wobble)
                for column, spec in self.measures.items() if spec[0] == "count"}

    def _cells(self, counts: dict[str, float], people: int) -> list:
        cells = []
        for column, spec in self.measures.items():
            if spec[0] == "count":
                cells.append(counts[column] if counts[column] >= 5 else None)
            else:
                count = counts[spec[1]]
                cells.append(round(count / (people * spec[2]) * 100, 1) if count >= 5 else None)
        return cells


def v3_table(generated: Generated, columns: dict[str, str] | None = None, answers: list[dict] | None = None
             ) -> V3Table:
    """A v3 table whose metadata is made from ``generated``; real ``answers`` are served where they have rows."""
    dims = {"_omrade": "Område", **{dim: column for dim, (column, _) in generated.dimensions.items()}}
    return V3Table(generated.metadata(), answers or [], {**dims, **(columns or {})}, generated)


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


AGES = 100  # FOLK1AM's single ages as generated here: 0 … 99 years


def _age_label(age: int) -> str:
    return "1 year" if age == 1 else f"{age} years"


def folk1am() -> StatBankTable:
    """FOLK1AM with the real totals (``statbank_folk1am_en.csv``) and single ages generated from them.

    The recorded answer has only "Age, total"; each total is split over the ages 0-99 by a fixed profile
    (flat to 79, thinning after), so the single ages add up to the real total. Its tableinfo is made from
    the answer's own labels (codes illustrative, as StatBank's: ``IALT`` for the total age).
    """
    real = (RECORDED / "statbank_folk1am_en.csv").read_text(encoding="utf-8-sig").splitlines()
    weights = [1.0 if age < 80 else max(0.05, 1 - (age - 79) / 20) for age in range(AGES)]
    lines = [real[0]]
    for line in real[1:]:
        area, sex, age, period, total = line.split(";")
        lines.append(line)
        shares = [int(total) * w / sum(weights) for w in weights]
        counts = [int(x) for x in shares]
        counts[40] += int(total) - sum(counts)
        lines += [f"{area};{sex};{_age_label(a)};{period};{counts[a]}" for a in range(AGES)]
    english = {m["name_en"] or m["name"]: m["code"] for m in municipalities()}
    areas = {"All Denmark": "000", **{name: code[1:] for code, name in REGIONS.items()}, **english}
    seen = list(dict.fromkeys(line.split(";")[0] for line in real[1:]))
    periods = list(dict.fromkeys(line.split(";")[3] for line in real[1:]))
    variables = [
        {"id": "OMRÅDE", "text": "region", "elimination": True, "time": False,
         "values": [{"id": areas.get(name, name), "text": name} for name in seen]},
        {"id": "KØN", "text": "sex", "elimination": True, "time": False,
         "values": [{"id": "TOT", "text": "Total"}]},
        {"id": "ALDER", "text": "age", "elimination": True, "time": False,
         "values": [{"id": "IALT", "text": "Age, total"}]
         + [{"id": str(a), "text": _age_label(a)} for a in range(AGES)]},
        {"id": "Tid", "text": "time", "elimination": False, "time": True,
         "values": [{"id": p, "text": p} for p in periods]},
    ]
    info = {"id": "FOLK1AM", "text": "Population the first day of the month", "unit": "number",
            "suppressedDataValue": "0", "variables": variables}
    return StatBankTable(info, "\n".join(lines) + "\n", "en")


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


# The servers of `maaltal fetch standard` -----------------------------------------------------------------


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year}M{month:02d}" <= last:
        result.append(f"{year}M{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def _benefit(rate: float) -> dict[str, tuple]:
    """The benefit tables' measures (SOURCES.md): persons, full-time persons and their two shares."""
    return {"Antal personer": ("count", rate * 1.15), "Antal fuldtidspersoner": ("count", rate),
            "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år": ("pct", "Antal fuldtidspersoner", 0.5),
            "Fuldtidspersoner i pct. af befolkningen 16-66 år": ("pct", "Antal fuldtidspersoner", 0.64)}


def _real(name: str) -> dict:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def standard_jobindsats(key: str) -> JobindsatsV3:
    """Every table of the standard fetch: real answers where recorded (y25i01, y25i09 for the nation;
    y30r21's real rows), generated rows in the real shape elsewhere (README of ``tests/data/recorded``)."""
    months = {"M": _months("2024M07", "2026M04")}
    before, after = {"M": _months("2024M07", "2025M06")}, {"M": _months("2025M07", "2026M04")}
    kon = {"_kon": ("Køn", [("Køn i alt", 1.0), ("Mænd", 0.5), ("Kvinder", 0.5)])}
    simple = {"y01a02": 0.012, "y07a02": 0.011, "y08a02": 0.012, "y09a02": 0.0012, "y10a02": 0.027,
              "y11a02": 0.004, "y12a02": 0.002}
    tables = {t: v3_table(Generated(t, kon, _benefit(r), months)) for t, r in simple.items()}
    ages = [("Alder i alt", 1.0), ("16-17 år", 0.01), ("18-24 år", 0.1), ("25-29 år", 0.07), ("30-39 år", 0.15),
            ("40-49 år", 0.17), ("50-59 år", 0.25), ("60 år og derover", 0.25)]
    tables["ptva02"] = v3_table(Generated("ptva02", {**kon, "_aldera": ("Alder", ages)}, _benefit(0.1), months))
    visitation = [("Visitationskategori i alt", 1.0), ("Jobparat", 0.3), ("Aktivitetsparat", 0.7)]
    tables["y36a02"] = v3_table(Generated("y36a02", {**kon, "_viskat": ("Visitationskategori", visitation)},
                                          _benefit(0.012), before))
    tables["y38a02"] = v3_table(Generated("y38a02", kon, _benefit(0.004), before))
    reform = [("Visitationskategori i alt", 1.0), ("Jobparat", 0.25), ("Aktivitetsparat", 0.55),
              ("Uddannelsesparat", 0.2)]
    rates = [("Kontanthjælpssats i alt", 1.0), ("Voksensats", 0.8), ("Ungesats", 0.2)]
    tables["y60a02"] = v3_table(Generated(
        "y60a02", {**kon, "_viskat_1int": ("Visitationskategori", reform), "_kth_sats": ("Kontanthjælpssats", rates)},
        _benefit(0.016), after))
    unemployment = {"M": _months("2024M07", "2026M06")}
    groups = {"_ygrpi09": ("Ydelsesgrupper", [("Ydelsesgrupper i alt", 1.0), ("A-dagpenge", 0.6),
                                              ("Kontanthjælp", 0.4)]),
              "_akassebl": ("A-kasse", [("I alt", 1.0), ("Ingen a-kasse", 0.2)])}
    tables["y25i01"] = v3_table(Generated("y25i01", {**kon, **groups}, {
        "Antal ledige personer": ("count", 0.018), "Antal ledige fuldtidspersoner": ("count", 0.014),
        "Ledige fuldtidspersoner i pct. af arbejdsstyrken 16-66 år": ("pct", "Antal ledige fuldtidspersoner", 0.5),
        "Ledige fuldtidspersoner i pct. af befolkningen 16-66 år": ("pct", "Antal ledige fuldtidspersoner", 0.64),
    }, unemployment), answers=[_real("jobindsats_v3_y25i01_total.json")])
    tables["y25i09"] = v3_table(Generated("y25i09", {**kon, **groups}, {
        "Antal langtidsledige fuldtidspersoner": ("count", 0.0025), "Antal langtidsledige personer": ("count", 0.003),
        "Antal bruttoledige personer": ("count", 0.018),
        "Andel langtidsledige personer ift. bruttoledige personer": ("pct", "Antal langtidsledige personer", 0.018),
    }, unemployment), answers=[_real("jobindsats_v3_y25i09_total.json")])
    benchmark = _real("y30r21_real_rows.json")
    meta = Generated("y30r21", {"_ygrp_y30r21": ("Ydelsesgrupper", [("Ydelsesgrupper i alt", 1.0)])}, {},
                     {"QMAT": sorted({row[0] for row in benchmark["rows"]})}).metadata()
    tables["y30r21"] = V3Table(meta, [benchmark], {"_omrade": "Område", "_ygrp_y30r21": "Ydelsesgrupper"})
    return JobindsatsV3(key, tables)


def standard_statbank() -> StatBank:
    """StatBank with FOLK1AM (real totals, generated single ages: :func:`folk1am`)."""
    return StatBank({"FOLK1AM": folk1am()})
