"""Publishing a report: the report model of the current snapshot, written once in every format and kept.

A publication freezes what it showed: it records the snapshot it was built from, and its files are
written once into ``<store>.reports/<id>/`` and never rebuilt, so later imports or comments do not change
what the committee received.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from maaltal.document import Report
from maaltal.errors import MaaltalError
from maaltal.render import files
from maaltal.store.transaction import transaction
from maaltal.web import audit

FORMATS = files.FORMATS
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}


@dataclass(frozen=True)
class Publication:
    id: int
    at: datetime
    username: str
    snapshot_id: int
    title: str
    folder: str
    files: dict[str, str]  # format → file name


def publish(cur: duckdb.DuckDBPyConnection, reports_dir: Path, report: Report, username: str,
            progress=lambda text: None) -> Publication:
    """Write ``report`` in every format, then record the publication and its audit entry."""
    publication_id = cur.execute("SELECT nextval('web_publication_seq')").fetchone()[0]
    folder = reports_dir / f"{publication_id:04d}"
    written = {}
    for fmt in FORMATS:
        progress(f"Skriver {FORMAT_LABELS[fmt]}")
        (path,) = files.write(report, folder, [fmt])
        written[fmt] = path.name
    at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with transaction(cur):
        cur.execute("INSERT INTO web_publications VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [publication_id, at, username, report.snapshot_id, report.title, folder.name, json.dumps(written)])
        audit.record(cur, username, "publish", f"rapport {publication_id}",
                     f"{report.title}; øjebliksbillede {report.snapshot_id}")
    return Publication(publication_id, at, username, report.snapshot_id, report.title, folder.name, written)


def publications(cur: duckdb.DuckDBPyConnection) -> list[Publication]:
    rows = cur.execute("SELECT id, created_at, username, snapshot_id, title, folder, files FROM web_publications"
                       " ORDER BY id DESC").fetchall()
    return [Publication(*row[:6], json.loads(row[6])) for row in rows]


def file_path(cur: duckdb.DuckDBPyConnection, reports_dir: Path, publication_id: int, fmt: str) -> Path:
    """The file of one format of a publication; an unknown one is a Danish error, never a path outside."""
    row = cur.execute("SELECT folder, files FROM web_publications WHERE id = ?", [publication_id]).fetchone()
    if row is None or fmt not in FORMATS:
        raise MaaltalError(f"Rapport {publication_id} i formatet '{fmt}' findes ikke")
    name = json.loads(row[1]).get(fmt)
    path = reports_dir / row[0] / name if name else None
    if path is None or not path.is_file():
        raise MaaltalError(f"Filen til rapport {publication_id} ({fmt}) mangler i {reports_dir}")
    return path
