"""Statistics Denmark's StatBank: BULK/CSV answers, ``tableinfo``, the API client and the import.

BULK and CSV answers are ``;``-separated (CSV with a BOM, BULK without), one value column (``INDHOLD``)
and the variable ids as column names, in Danish or English labels or in codes. Decimals follow the
answer's language: a comma with ``lang=da`` (``37,7``), a point with ``lang=en`` (``100.0``), so "1.250"
is 1,25 in an English answer and 1250 in a Danish one. A fetch knows the language it asked for; a saved
file's language is read from the answer itself (:func:`answer_language`). The table mapping in
``maaltal/data/statbank.yaml`` says which series a table's values go to; areas that are not ours
(abroad, provinces) are skipped and counted. A file in codes can be read with the table's ``tableinfo``,
which turns the codes of the dimension columns into labels first; tableinfo's ``suppressedDataValue``
marks the cells that are stored as suppressed.

A fetch asks ``tableinfo`` first and then BULK, which needs a value for every variable ("Der skal vælges
værdier for variabel: X"): areas and periods as asked (else ``*``), the user's filters, for an
eliminable variable without a filter its total code (``TOT``, ``IALT``: the value tableinfo lists as the
total, normally the first), for the others ``*``. An eliminable variable with no total value can only be
summed out by StatBank itself, which CSV does by leaving the variable out (up to 1.000.000 cells).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maaltal import inputfile
from maaltal.areas import AreaKind, AreaRegistry
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.periods import Freq, Period
from maaltal.sources import table_mapping, tables
from maaltal.sources.cells import decimal_comma, is_suppressed, is_total, parse_number
from maaltal.sources.http import ApiClient, HttpClient
from maaltal.sources.progress import Progress
from maaltal.sources.table_mapping import TableMapping, norm
from maaltal.store import Store

SOURCE = "statbank"
BASE_URL = "https://api.statbank.dk/v1"
CSV_CELL_LIMIT = 1_000_000  # StatBank's limit for CSV and other non-streaming formats ("Anvend BULK")


class StatBankError(MaaltalError):
    """An error answer from StatBank (an unknown table, variable or value)."""


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    elimination: bool
    time: bool
    values: dict[str, str]  # code → label

    def total_code(self) -> str | None:
        """The code of the value that sums the variable up (``TOT``, ``IALT``), or None when it has none.

        tableinfo has no field for it: ``elimination`` says the variable can be summed out, and the sum is
        listed as a value whose code or label reads "in total", as a rule the first one.
        """
        return next((code for code, label in self.values.items() if is_total(code) or is_total(label)), None)


@dataclass(frozen=True)
class TableInfo:
    """What ``/tableinfo`` says of a table: its variables with their codes and labels."""

    id: str
    text: str
    unit: str
    variables: tuple[Variable, ...]
    suppressed: str | None = None  # suppressedDataValue: how a hidden cell is written in the answer

    @classmethod
    def parse(cls, data: bytes | str, file: str) -> TableInfo:
        try:
            doc = json.loads(tables.decode(data, file))
        except json.JSONDecodeError as exc:
            raise InputError(f"ugyldig JSON: {exc.msg}", file=file, row=exc.lineno) from None
        if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
            raise InputError("tableinfo skal have 'variables'", file=file, column="variables")
        variables = []
        for i, var in enumerate(doc["variables"]):
            if not isinstance(var, dict) or not isinstance(var.get("id"), str) \
                    or not isinstance(var.get("values"), list):
                raise InputError(f"variabel nr. {i + 1} skal have 'id' og 'values'", file=file, column="variables")
            values = {str(v.get("id")): str(v.get("text", v.get("id"))) for v in var["values"] if isinstance(v, dict)}
            variables.append(Variable(var["id"], str(var.get("text", var["id"])), bool(var.get("elimination")),
                                      bool(var.get("time")), values))
        suppressed = doc.get("suppressedDataValue")
        return cls(str(doc.get("id", "")), str(doc.get("text", "")), str(doc.get("unit", "")), tuple(variables),
                   None if suppressed in (None, "") else str(suppressed).strip())

    def variable(self, column: str) -> Variable | None:
        return next((v for v in self.variables if norm(v.id) == norm(column)), None)


def mapping_for(table: str, mapping_file: str | Path | None = None) -> TableMapping:
    """The mapping of one StatBank table (:func:`maaltal.sources.table_mapping.mapping_for`)."""
    return table_mapping.mapping_for(SOURCE, table, mapping_file)


def with_labels(raw: tables.RawTable, mapping: TableMapping, info: TableInfo) -> tables.RawTable:
    """The table with the codes of its dimension columns replaced by tableinfo's labels.

    Area and time columns keep their codes: maaltal reads area codes (``000``, ``084``, ``167``) and
    StatBank's time codes directly.
    """
    keep = set(mapping.area_columns) | set(mapping.period_columns)
    lookups = {i: var.values for i, column in enumerate(raw.columns)
               if norm(column) not in keep and (var := info.variable(column)) is not None}
    if not lookups:
        return raw
    rows = [[lookups[i].get(str(cell).strip(), cell) if i in lookups else cell for i, cell in enumerate(row)]
            for row in raw.rows]
    return tables.RawTable(raw.file, raw.columns, rows, raw.row_numbers, raw.header_row)


def import_answer(store: Store, data: bytes | str, *, table: str, file: str, registry: AreaRegistry,
                  info: TableInfo | None = None, mapping_file: str | Path | None = None,
                  note: str | None = None, lang: str | None = None,
                  progress: Progress | None = None) -> tables.ImportResult:
    """Check the whole BULK/CSV answer, then write it as one snapshot; on any error nothing is written.

    ``lang`` is the language the answer was asked in (``da`` or ``en``); without it the answer's own
    labels and numbers tell (:func:`answer_language`).
    """
    mapping = mapping_for(table, mapping_file)
    raw = tables.parse_csv(tables.decode(data, file), file)
    if info is not None:
        raw = with_labels(raw, mapping, info)
    raw, errors = with_numbers(raw, mapping, lang or answer_language(raw, mapping),
                               info.suppressed if info is not None else None)
    try:
        converted = tables.convert(raw, mapping, registry, progress)
    except InputErrors as exc:
        errors += exc.errors
    if errors:
        raise InputErrors(sorted(errors, key=lambda e: e.location.row or 0))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return tables.write(store, converted, mapping, file=file, sha256=hashlib.sha256(payload).hexdigest(), note=note)


# The answer's language and numbers -------------------------------------------------------------------------

_QUARTER_EN = re.compile(r"^\d{4}Q[1-4]$")
_QUARTER_DA = re.compile(r"^\d{4}K[1-4]$")
_DECIMAL_POINT = re.compile(r"^[-+]?\d*\.(\d{1,2}|\d{4,})$")  # "100.0", "0.25": never a thousands point
_AMBIGUOUS = re.compile(r"^[-+]?\d{1,3}\.\d{3}$")  # "1.250": 1,25 in English, 1250 in Danish
_ENGLISH_AREAS = ("all denmark", "copenhagen", "abroad", "province ")
_DANISH_AREAS = ("hele landet", "københavn", "udlandet", "landsdel ")


def answer_language(raw: tables.RawTable, mapping: TableMapping) -> str:
    """``en`` or ``da``: what a saved answer's own cells say about the language it was asked in.

    Numbers speak first (a decimal comma is Danish; "100.0" is English), then labels: English quarters
    (``2007Q1``), areas ("All Denmark") and totals ("Total", "Age, total") against Danish ones (``2007K1``
    next to labels, "Hele landet", "I alt"). An answer without any sign has no decimals to misread,
    except one with a number like "1.250", which is refused rather than guessed.
    """
    keys = [norm(c) for c in raw.columns]
    values = [i for i, c in enumerate(raw.columns) if mapping.measure_for(c)[1] is not None]
    areas = [i for i, k in enumerate(keys) if k in mapping.area_columns]
    periods = [i for i, k in enumerate(keys) if k in mapping.period_columns]
    votes = {"da": 0, "en": 0}
    ambiguous = None
    for cells in raw.rows:
        for i, cell in enumerate(cells):
            text = str(cell).strip() if cell is not None else ""
            key = text.casefold()
            if i in values:
                if "," in text:
                    votes["da"] += 1
                elif _DECIMAL_POINT.match(text):
                    votes["en"] += 1
                elif _AMBIGUOUS.match(text):
                    ambiguous = ambiguous or text
            elif i in periods:
                votes["en"] += bool(_QUARTER_EN.match(text.upper()))
            elif i in areas:
                votes["en"] += key.startswith(_ENGLISH_AREAS)
                votes["da"] += key.startswith(_DANISH_AREAS)
            else:
                votes["en"] += key == "total" or key.endswith(", total")
                votes["da"] += key == "i alt" or key.endswith(" i alt")
        if votes["da"] != votes["en"] and max(votes.values()) >= 3:
            break
    if votes["da"] == votes["en"] and any(_QUARTER_DA.match(str(c[i]).strip().upper()) for c in raw.rows[:50]
                                          for i in periods if i < len(c)):
        votes["da"] += not any(str(c[i]).strip().isdigit() for c in raw.rows[:50] for i in areas if i < len(c))
    if votes["da"] == votes["en"]:
        if ambiguous:
            english = str(float(ambiguous)).replace(".", ",")
            raise InputError(f"svarets sprog kan ikke afgøres, og '{ambiguous}' er {english} i et engelsk svar, "
                             f"{ambiguous.replace('.', '')} i et dansk; hent tabellen med maaltal fetch statbank "
                             "--lang da eller en", file=raw.file)
        return "da"
    return "da" if votes["da"] > votes["en"] else "en"


def with_numbers(raw: tables.RawTable, mapping: TableMapping, lang: str, suppressed: str | None
                 ) -> tuple[tables.RawTable, list[InputError]]:
    """The table with its value cells as numbers read in ``lang``'s notation, hidden cells as None.

    A cell is hidden when it holds one of the official markers (``..``, ``-``), is empty, or holds the
    table's ``suppressedDataValue``. Cells that are not numbers are reported with row and column.
    """
    comma = decimal_comma(lang)
    values = {i for i, c in enumerate(raw.columns) if mapping.measure_for(c)[1] is not None}
    errors: list[InputError] = []
    rows = []
    for cells, number in zip(raw.rows, raw.row_numbers, strict=True):
        row = list(cells)
        for i in values & set(range(len(row))):
            text = "" if row[i] is None else str(row[i]).strip()
            if not text or is_suppressed(text) or text == suppressed:
                row[i] = None
                continue
            try:
                row[i] = parse_number(text, decimal_comma=comma)
            except ValueError as exc:
                language = "dansk" if comma else "engelsk"
                errors.append(InputError(f"{exc} (et {language} svar)", file=raw.file, row=number,
                                         column=raw.columns[i]))
                row[i] = None
        rows.append(row)
    return tables.RawTable(raw.file, raw.columns, rows, raw.row_numbers, raw.header_row), errors


def import_file(store: Store, path: str | Path, *, table: str, registry: AreaRegistry,
                tableinfo: str | Path | None = None, mapping_file: str | Path | None = None,
                progress: Progress | None = None) -> tables.ImportResult:
    """Import a BULK/CSV answer saved as a file, with its tableinfo file when it is in codes."""
    data = inputfile.read_bytes(path)
    info = TableInfo.parse(inputfile.read_bytes(tableinfo), str(tableinfo)) if tableinfo is not None else None
    return import_answer(store, data, table=table, file=str(path), registry=registry, info=info,
                         mapping_file=mapping_file, progress=progress)


# The API -----------------------------------------------------------------------------------------------


class StatBankClient(ApiClient):
    """``/tableinfo`` and ``/data`` of api.statbank.dk (no key needed)."""

    def __init__(self, *, base_url: str | None = None, lang: str = "da", retries: int = 3,
                 backoff: float = 0.5) -> None:
        if lang not in ("da", "en"):
            raise MaaltalError("sproget skal være da eller en")
        self.lang = lang
        self.http = HttpClient(base_url or BASE_URL, retries=retries, backoff=backoff, name="StatBank")

    def tableinfo(self, table: str) -> bytes:
        return self._post("tableinfo", self.tableinfo_body(table))

    def tableinfo_body(self, table: str) -> dict[str, Any]:
        return {"table": table, "format": "JSON", "lang": self.lang}

    def data(self, table: str, variables: list[dict[str, Any]], *, codes: bool = False, fmt: str = "BULK") -> bytes:
        """The BULK (or CSV) answer; ``codes`` asks for codes instead of labels (``valuePresentation=Code``)."""
        return self._post("data", self.data_body(table, variables, codes=codes, fmt=fmt))

    def data_body(self, table: str, variables: list[dict[str, Any]], *, codes: bool = False,
                  fmt: str = "BULK") -> dict[str, Any]:
        body: dict[str, Any] = {"table": table, "format": fmt, "lang": self.lang, "variables": variables}
        if codes:
            body["valuePresentation"] = "Code"
        return body

    def describe(self, path: str, body: dict[str, Any]) -> str:
        return self.http.describe("POST", path, json=body)

    def _post(self, path: str, body: dict[str, Any]) -> bytes:
        response = self.http.request("POST", path, json=body)
        if response.status_code >= 400:
            try:
                message = response.json().get("message") or response.text
            except (json.JSONDecodeError, AttributeError):
                message = response.text
            raise StatBankError(f"StatBank svarede {response.status_code}: {str(message).strip()[:300]}")
        return response.content


@dataclass(frozen=True)
class DataRequest:
    """The format and ``variables`` of a data request."""

    format: str
    variables: list[dict[str, Any]]


def data_request(info: TableInfo, mapping: TableMapping, registry: AreaRegistry, *, areas: list[str],
                 periods: list[str], filters: dict[str, list[str]]) -> DataRequest:
    """BULK with a value for every variable; CSV when an eliminable variable has no total to ask for.

    Areas and periods become StatBank codes (all when not given); a filter is sent as given; an eliminable
    variable without a filter gets its total code, any other variable ``*``.
    """
    wanted = {norm(name): values for name, values in filters.items()}
    unknown = sorted(set(wanted) - {norm(v.id) for v in info.variables})
    if unknown:
        raise MaaltalError(f"Tabel {info.id or mapping.table} har ingen variabel '{unknown[0]}'; den har "
                           f"{', '.join(v.id for v in info.variables)}")
    variables, summed_out = [], []
    for var in info.variables:
        key = norm(var.id)
        if key in wanted:
            values = wanted[key]
        elif key in mapping.area_columns:
            values = ["*"] if not areas or areas == ["*"] else [area_code(registry, a) for a in areas]
        elif var.time or key in mapping.period_columns:
            values = [time_code(p) for p in periods] if periods else ["*"]
        elif var.elimination:
            total = var.total_code()
            if total is None:
                summed_out.append(var)
                continue
            values = [total]
        else:
            values = ["*"]
        variables.append({"code": var.id, "values": values})
    if not summed_out:
        return DataRequest("BULK", variables)
    by_id = {v.id: v for v in info.variables}
    cells = math.prod(len(by_id[v["code"]].values) if v["values"] == ["*"] else len(v["values"]) for v in variables)
    if cells > CSV_CELL_LIMIT:
        limit, asked = (f"{n:,}".replace(",", ".") for n in (CSV_CELL_LIMIT, cells))
        raise MaaltalError(
            f"Variablen {summed_out[0].id} i tabel {info.id or mapping.table} har ingen total at spørge BULK om, "
            f"og CSV, der kan summere den, er begrænset til {limit} celler (her op mod {asked}); vælg værdier "
            f"for {summed_out[0].id} med --filter, eller færre områder og perioder")
    return DataRequest("CSV", variables)


def area_code(registry: AreaRegistry, ref: str) -> str:
    """StatBank's code of an area: ``000`` the nation, ``084`` a region, ``167`` a municipality."""
    area = registry.get(ref)
    if area.kind is AreaKind.REGION:
        return area.id[1:]
    if area.kind in (AreaKind.NATION, AreaKind.MUNICIPALITY):
        return area.id
    raise MaaltalError(f"{area.name} findes ikke i StatBank; brug en kommune, en region eller hele landet")


def time_code(text: str) -> str:
    """StatBank's time code of a period (``2023K3``, ``2024M01``, ``2024``); other text is passed on."""
    try:
        period = Period.parse(text)
    except MaaltalError:
        return text
    if period.freq is Freq.QUARTER:
        return f"{period.year}K{period.index}"
    if period.freq is Freq.QMAT:
        raise MaaltalError("StatBank har ikke løbende fire kvartaler; brug kvartaler (2023K3)")
    return str(period)


def fetch(store: Store, client: StatBankClient, *, table: str, registry: AreaRegistry,
          areas: list[str] | None = None, periods: list[str] | None = None,
          filters: dict[str, list[str]] | None = None, save: Path | None = None, codes: bool = False,
          mapping_file: str | Path | None = None) -> tables.ImportResult:
    """Fetch a table (tableinfo, then data) and import the answer; ``save`` keeps the raw answer.

    With ``codes`` the answer comes in codes, which the tableinfo turns into labels before the import.
    """
    mapping, info, request = plan(client, table=table, registry=registry, areas=areas, periods=periods,
                                  filters=filters, mapping_file=mapping_file)
    data = client.data(mapping.table, request.variables, codes=codes, fmt=request.format)
    if save is not None:
        save.write_bytes(data)
    where = str(save) if save is not None else f"{client.http.base_url}/data/{mapping.table}"
    return import_answer(store, data, table=mapping.table, file=where, registry=registry, info=info,
                         mapping_file=mapping_file, lang=client.lang,
                         note=f"hentet: {request.format} {json.dumps(request.variables, ensure_ascii=False)}")


def plan(client: StatBankClient, *, table: str, registry: AreaRegistry, areas: list[str] | None = None,
         periods: list[str] | None = None, filters: dict[str, list[str]] | None = None,
         mapping_file: str | Path | None = None) -> tuple[TableMapping, TableInfo, DataRequest]:
    """The table's mapping, its tableinfo (asked of StatBank) and the data request built from them."""
    mapping = mapping_for(table, mapping_file)
    info_file = f"{client.http.base_url}/tableinfo/{mapping.table}"
    info = TableInfo.parse(client.tableinfo(mapping.table), info_file)
    request = data_request(info, mapping, registry, areas=areas or ["*"], periods=periods or [],
                           filters=filters or {})
    return mapping, info, request


def show_requests(client: StatBankClient, *, table: str, registry: AreaRegistry, areas: list[str] | None = None,
                  periods: list[str] | None = None, filters: dict[str, list[str]] | None = None,
                  codes: bool = False, mapping_file: str | Path | None = None) -> list[str]:
    """The requests of a fetch as text: tableinfo (asked, to build the rest) and the data request (not sent)."""
    mapping, _, request = plan(client, table=table, registry=registry, areas=areas, periods=periods,
                               filters=filters, mapping_file=mapping_file)
    return [client.describe("tableinfo", client.tableinfo_body(mapping.table)),
            client.describe("data", client.data_body(mapping.table, request.variables, codes=codes,
                                                     fmt=request.format))]
