"""The shapes jobindsats answers in: v2 JSON, v2 CSV and v3 JSON, parsed into one :class:`RawTable`.

- v2 JSON: ``[{"Variables":[{"Name":"area","Label":"Area"},…],"Data":[["Randers","2024M01","9,14",…]]}]``
- v2 CSV: ``;``-separated with a header row, maybe a UTF-8 BOM, decimal commas
- v3 JSON: ``{"columns":["Periode","Område",…],"rows":[["2026M04","Hele landet",…,22741]]}`` with
  native numbers and ``null`` for suppressed cells
- JSON lines: one object per row, keys as the API labels its columns
  (``{"Area":"København","Periode":"2020QMAT02",…,"Placering på benchmarkranglisten":63}``), as tools that
  save an answer row by row write it

The API's error answers are recognised here too, so a saved error page is never imported as data: v2's
bad-key text and v3's ``{"code":422,"cause":…}``.

v3's table metadata (``GET /table/{id}?format=json``) is read here as well (:class:`TableMetadata`): the
client builds every data request from it, as the public v3 clients do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from maaltal.errors import InputError, MaaltalError
from maaltal.sources.tables import RawTable, decode, parse_csv

BAD_KEY_TEXT = "Forkert nøgle eller nøglen er udløbet."


class BadKeyError(MaaltalError):
    """jobindsats refused the key: wrong, expired, or not sent (v2's text, v3's 401 or 403)."""

    def __init__(self, cause: str | None = None) -> None:
        said = f" (jobindsats: {cause})" if cause else ""
        super().__init__(
            f"jobindsats afviste nøglen{said}. Nøglen er forkert, udløbet eller ikke til denne API-version. "
            "Sæt en gyldig nøgle i miljøvariablen JOBINDSATS_KEY eller i konfigurationsfilen (jobindsats: "
            "key: …); en nøgle bestilles hos STAR.")


class ApiError(MaaltalError):
    """An error answer from the API (v3's ``{"code", "cause", "request_id"}``)."""


# What v3's causes mean for the user; the API's own words are always shown as well.
_CAUSE_HINTS = (
    ("unknown hierarchies", "tabellen har ikke det hierarki; se tabellens hierarkier med --show-request"),
    ("unknown period type", "tabellen har ikke den periodetype"),
)


def parse(data: bytes | str, file: str) -> RawTable:
    """Any of the three shapes, told apart by their first character; errors become clear messages."""
    text = decode(data, file)
    stripped = text.strip()
    if not stripped:
        raise InputError("svaret er tomt", file=file)
    if BAD_KEY_TEXT.rstrip(".").casefold() in stripped[:200].casefold():
        raise BadKeyError()
    if stripped[0] in "[{":
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped[0] == "{" and exc.msg == "Extra data":
                return parse_json_lines(stripped, file)
            raise InputError(f"ugyldig JSON: {exc.msg}", file=file, row=exc.lineno) from None
        return parse_json(doc, file)
    return parse_csv(text, file)


def parse_json_lines(text: str, file: str) -> RawTable:
    """One JSON object per line, each a row; the first line's keys are the columns, and every line must
    have the same keys. Rows are numbered by their line."""
    columns: list[str] | None = None
    rows: list[list[Any]] = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"linjen er ikke ét JSON-objekt: {exc.msg}", file=file, row=number) from None
        if not isinstance(record, dict) or not record:
            raise InputError("linjen skal være ét JSON-objekt med kolonne: værdi", file=file, row=number)
        if columns is None:
            columns = list(record)
            if not all(isinstance(c, str) and c.strip() for c in columns):
                raise InputError("nøglerne skal være kolonnenavne", file=file, row=number)
        elif set(record) != set(columns):
            other = next((k for k in record if k not in columns), None) or next(c for c in columns if c not in record)
            raise InputError(f"linjen har andre nøgler end linje {numbers[0]}", file=file, row=number, column=other)
        rows.append([record[c] for c in columns])
        numbers.append(number)
    if columns is None:
        raise InputError("svaret er tomt", file=file)
    return RawTable(file, tuple(columns), rows, numbers)


def raise_for_error_body(doc: Any) -> None:
    """Raise :class:`BadKeyError` or :class:`ApiError` if ``doc`` is v3's error answer, with its cause."""
    if isinstance(doc, dict) and "code" in doc and ("cause" in doc or "message" in doc):
        cause = str(doc.get("cause") or doc.get("message"))
        if str(doc["code"]) in ("401", "403"):
            raise BadKeyError(f"{doc['code']}: {cause}")
        request = f" (request_id {doc['request_id']})" if doc.get("request_id") else ""
        hint = next((f"; {text}" for start, text in _CAUSE_HINTS if cause.casefold().startswith(start)), "")
        raise ApiError(f"jobindsats afviste forespørgslen ({doc['code']}): {cause}{request}{hint}")


def parse_json(doc: Any, file: str) -> RawTable:
    """v2's list of ``{"Variables", "Data"}`` objects or v3's ``{"columns", "rows"}``."""
    raise_for_error_body(doc)
    if isinstance(doc, dict) and "columns" in doc and "rows" in doc:
        return _table(doc["columns"], doc["rows"], file, "columns", "rows")
    if isinstance(doc, dict) and "Variables" in doc:
        doc = [doc]
    if not isinstance(doc, list) or not doc or not all(isinstance(p, dict) and "Variables" in p for p in doc):
        raise InputError("JSON-svaret har hverken jobindsats v2's form ([{Variables, Data}]) eller v3's "
                         "({columns, rows})", file=file)
    columns = _v2_columns(doc[0]["Variables"], file)
    rows: list[Any] = []
    for part in doc:
        if _v2_columns(part["Variables"], file) != columns:
            raise InputError("svarets dele har forskellige variable", file=file, column="Variables")
        if not isinstance(part.get("Data"), list):
            raise InputError("'Data' skal være en liste af rækker", file=file, column="Data")
        rows.extend(part["Data"])
    return _table(columns, rows, file, "Variables", "Data")


def _v2_columns(variables: Any, file: str) -> list[str]:
    if not isinstance(variables, list):
        raise InputError("'Variables' skal være en liste", file=file, column="Variables")
    columns = []
    for variable in variables:
        if not isinstance(variable, dict):
            raise InputError("en variabel skal have 'Name' og 'Label'", file=file, column="Variables")
        label = variable.get("Label") or variable.get("Name")
        if not isinstance(label, str) or not label.strip():
            raise InputError("en variabel mangler 'Label'", file=file, column="Variables")
        columns.append(label)
    return columns


def _table(columns: Any, rows: Any, file: str, columns_key: str, rows_key: str) -> RawTable:
    if not isinstance(columns, list) or not all(isinstance(c, str) and c.strip() for c in columns):
        raise InputError("kolonnenavnene skal være en liste af tekster", file=file, column=columns_key)
    if not isinstance(rows, list):
        raise InputError("rækkerne skal være en liste", file=file, column=rows_key)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list):
            raise InputError("en række skal være en liste af celler", file=file, row=number)
    return RawTable(file, tuple(columns), rows, range(1, len(rows) + 1))


# v3 table metadata --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hierarchy:
    """One hierarchy of a dimension (``_nykom`` of ``_omrade``): its value ids and names, in order."""

    id: str
    dimension: str
    values: tuple[tuple[str, str], ...]  # (value_id, value_name)

    def ids(self) -> set[str]:
        return {value_id for value_id, _ in self.values}


@dataclass(frozen=True)
class TableMetadata:
    """What ``GET /table/{id}?format=json`` says: period types with their periods, and the hierarchies.

    The shape, as public v3 clients read it: ``periods: [{periodtype_id, values: [{period_id}]}]``,
    ``dimensions: [{dimension_id, hierarchies: [{hierarchy_id, levels: [{values: [{value_id,
    value_name}]}]}]}]``.
    """

    table: str
    periods: dict[str, tuple[str, ...]]
    hierarchies: tuple[Hierarchy, ...]

    @classmethod
    def parse(cls, data: bytes | str, table: str, file: str) -> TableMetadata:
        text = decode(data, file).strip()
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"ugyldig JSON i tabellens metadata: {exc.msg}", file=file, row=exc.lineno) from None
        raise_for_error_body(doc)
        if isinstance(doc, list) and len(doc) == 1:
            doc = doc[0]
        if not isinstance(doc, dict) or not isinstance(doc.get("dimensions"), list):
            raise InputError("tabellens metadata skal have 'dimensions' (jobindsats v3's /table/{id})",
                             file=file, column="dimensions")
        periods: dict[str, tuple[str, ...]] = {}
        for entry in doc.get("periods") or []:
            if isinstance(entry, dict) and entry.get("periodtype_id"):
                periods[str(entry["periodtype_id"])] = tuple(
                    str(v["period_id"]) for v in entry.get("values") or [] if isinstance(v, dict) and "period_id" in v)
        hierarchies = []
        for dimension in doc["dimensions"]:
            if not isinstance(dimension, dict):
                continue
            dimension_id = str(dimension.get("dimension_id") or dimension.get("id") or "")
            for hierarchy in dimension.get("hierarchies") or []:
                if isinstance(hierarchy, dict) and hierarchy.get("hierarchy_id"):
                    values = tuple((str(v["value_id"]), str(v.get("value_name") or v["value_id"]))
                                   for level in hierarchy.get("levels") or [] if isinstance(level, dict)
                                   for v in level.get("values") or [] if isinstance(v, dict) and "value_id" in v)
                    hierarchies.append(Hierarchy(str(hierarchy["hierarchy_id"]), dimension_id, values))
        if not hierarchies:
            raise InputError("tabellens metadata har ingen hierarkier", file=file, column="dimensions")
        return cls(table, periods, tuple(hierarchies))

    def hierarchy(self, hierarchy_id: str) -> Hierarchy | None:
        return next((h for h in self.hierarchies if h.id == hierarchy_id), None)

    def of_dimension(self, dimension_id: str) -> tuple[Hierarchy, ...]:
        return tuple(h for h in self.hierarchies if h.dimension == dimension_id)
