"""Statistics Denmark's StatBank: BULK/CSV answers, ``tableinfo``, the API client and the import.

BULK and CSV answers are ``;``-separated with a decimal comma and a BOM, one value column (``INDHOLD``)
and the variable ids as column names, in Danish or English labels or in codes. The table mapping in
``maaltal/data/statbank.yaml`` says which series a table's values go to; areas that are not ours
(abroad, provinces) are skipped and counted. A file in codes can be read with the table's ``tableinfo``,
which turns the codes of the dimension columns into labels first.

A fetch asks ``tableinfo`` first: variables that may be eliminated (summed out) and that the user did
not filter are left out, so StatBank answers with their totals; the others are asked for in full.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maaltal.areas import AreaKind, AreaRegistry
from maaltal.errors import InputError, MaaltalError
from maaltal.periods import Freq, Period
from maaltal.sources import table_mapping, tables
from maaltal.sources.http import HttpClient
from maaltal.sources.progress import Progress
from maaltal.sources.table_mapping import TableMapping, norm
from maaltal.store import Store

SOURCE = "statbank"
BASE_URL = "https://api.statbank.dk/v1"


class StatBankError(MaaltalError):
    """An error answer from StatBank (an unknown table, variable or value)."""


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    elimination: bool
    time: bool
    values: dict[str, str]  # code → label


@dataclass(frozen=True)
class TableInfo:
    """What ``/tableinfo`` says of a table: its variables with their codes and labels."""

    id: str
    text: str
    unit: str
    variables: tuple[Variable, ...]

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
        return cls(str(doc.get("id", "")), str(doc.get("text", "")), str(doc.get("unit", "")), tuple(variables))

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
                  note: str | None = None, progress: Progress | None = None) -> tables.ImportResult:
    """Check the whole BULK/CSV answer, then write it as one snapshot; on any error nothing is written."""
    mapping = mapping_for(table, mapping_file)
    raw = tables.parse_csv(tables.decode(data, file), file)
    if info is not None:
        raw = with_labels(raw, mapping, info)
    converted = tables.convert(raw, mapping, registry, progress)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return tables.write(store, converted, mapping, file=file, sha256=hashlib.sha256(payload).hexdigest(), note=note)


def import_file(store: Store, path: str | Path, *, table: str, registry: AreaRegistry,
                tableinfo: str | Path | None = None, mapping_file: str | Path | None = None,
                progress: Progress | None = None) -> tables.ImportResult:
    """Import a BULK/CSV answer saved as a file, with its tableinfo file when it is in codes."""
    data = _read(Path(path))
    info = TableInfo.parse(_read(Path(tableinfo)), str(tableinfo)) if tableinfo is not None else None
    return import_answer(store, data, table=table, file=str(path), registry=registry, info=info,
                         mapping_file=mapping_file, progress=progress)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("filen findes ikke", file=path) from None
    except IsADirectoryError:
        raise InputError("er en mappe, ikke en fil", file=path) from None


# The API -----------------------------------------------------------------------------------------------


class StatBankClient:
    """``/tableinfo`` and ``/data`` of api.statbank.dk (no key needed)."""

    def __init__(self, *, base_url: str | None = None, lang: str = "da", retries: int = 3,
                 backoff: float = 0.5) -> None:
        if lang not in ("da", "en"):
            raise MaaltalError("sproget skal være da eller en")
        self.lang = lang
        self.http = HttpClient(base_url or BASE_URL, retries=retries, backoff=backoff, name="StatBank")

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> StatBankClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tableinfo(self, table: str) -> bytes:
        return self._post("tableinfo", {"table": table, "format": "JSON", "lang": self.lang})

    def data(self, table: str, variables: list[dict[str, Any]], *, codes: bool = False) -> bytes:
        """The BULK answer; ``codes`` asks for codes instead of labels (``valuePresentation=Code``)."""
        body = {"table": table, "format": "BULK", "lang": self.lang, "variables": variables}
        if codes:
            body["valuePresentation"] = "Code"
        return self._post("data", body)

    def _post(self, path: str, body: dict[str, Any]) -> bytes:
        response = self.http.request("POST", path, json=body)
        if response.status_code >= 400:
            try:
                message = response.json().get("message") or response.text
            except (json.JSONDecodeError, AttributeError):
                message = response.text
            raise StatBankError(f"StatBank svarede {response.status_code}: {str(message).strip()[:300]}")
        return response.content


def request_variables(info: TableInfo, mapping: TableMapping, registry: AreaRegistry, *,
                      areas: list[str], periods: list[str], filters: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The ``variables`` of a data request: areas and periods as StatBank codes, the rest per tableinfo."""
    wanted = {norm(name): values for name, values in filters.items()}
    unknown = sorted(set(wanted) - {norm(v.id) for v in info.variables})
    if unknown:
        raise MaaltalError(f"Tabel {info.id or mapping.table} har ingen variabel '{unknown[0]}'; den har "
                           f"{', '.join(v.id for v in info.variables)}")
    result = []
    for var in info.variables:
        key = norm(var.id)
        if key in mapping.area_columns:
            values = ["*"] if not areas or areas == ["*"] else [area_code(registry, a) for a in areas]
        elif var.time or key in mapping.period_columns:
            values = [time_code(p) for p in periods] if periods else ["*"]
        elif key in wanted:
            values = wanted[key]
        elif var.elimination:
            continue
        else:
            values = ["*"]
        result.append({"code": var.id, "values": values})
    return result


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
    mapping = mapping_for(table, mapping_file)
    info_file = f"{client.http.base_url}/tableinfo/{mapping.table}"
    info = TableInfo.parse(client.tableinfo(mapping.table), info_file)
    variables = request_variables(info, mapping, registry, areas=areas or ["*"], periods=periods or [],
                                  filters=filters or {})
    data = client.data(mapping.table, variables, codes=codes)
    if save is not None:
        save.write_bytes(data)
    where = str(save) if save is not None else f"{client.http.base_url}/data/{mapping.table}"
    return import_answer(store, data, table=mapping.table, file=where, registry=registry, info=info,
                         mapping_file=mapping_file, note=f"hentet: {json.dumps(variables, ensure_ascii=False)}")
