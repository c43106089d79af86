"""The shapes jobindsats answers in: v2 JSON, v2 CSV and v3 JSON, parsed into one :class:`RawTable`.

- v2 JSON: ``[{"Variables":[{"Name":"area","Label":"Area"},…],"Data":[["Randers","2024M01","9,14",…]]}]``
- v2 CSV: ``;``-separated with a header row, maybe a UTF-8 BOM, decimal commas
- v3 JSON: ``{"columns":["Periode","Område",…],"rows":[["2026M04","Hele landet",…,22741]]}`` with
  native numbers and ``null`` for suppressed cells

The API's error answers are recognised here too, so a saved error page is never imported as data: v2's
bad-key text and v3's ``{"code":422,"cause":…}``.
"""

from __future__ import annotations

import json
from typing import Any

from maaltal.errors import InputError, MaaltalError
from maaltal.sources.tables import RawTable, decode, parse_csv

BAD_KEY_TEXT = "Forkert nøgle eller nøglen er udløbet."


class BadKeyError(MaaltalError):
    """jobindsats refused the key: wrong, expired, or not sent."""

    def __init__(self) -> None:
        super().__init__(
            "jobindsats afviste nøglen (forkert eller udløbet). Sæt en gyldig nøgle i miljøvariablen "
            "JOBINDSATS_KEY eller i konfigurationsfilen (jobindsats: key: …); en nøgle bestilles hos STAR.")


class ApiError(MaaltalError):
    """An error answer from the API (v3's ``{"code", "cause", "request_id"}``)."""


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
            raise InputError(f"ugyldig JSON: {exc.msg}", file=file, row=exc.lineno) from None
        return parse_json(doc, file)
    return parse_csv(text, file)


def raise_for_error_body(doc: Any) -> None:
    """Raise :class:`ApiError` if ``doc`` is v3's error answer."""
    if isinstance(doc, dict) and "code" in doc and ("cause" in doc or "message" in doc):
        cause = doc.get("cause") or doc.get("message")
        request = f" (request_id {doc['request_id']})" if doc.get("request_id") else ""
        raise ApiError(f"jobindsats afviste forespørgslen ({doc['code']}): {cause}{request}")


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
