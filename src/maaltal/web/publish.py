"""Publishing a report: the report model of the current snapshot, written once in every format and kept.

A publication freezes what it showed: it records the snapshot it was built from, and its files are
written once into ``<store>.reports/<id>/`` and never rebuilt, so later imports or comments do not change
what the committee received.

There is one publication per snapshot and goal catalogue: publishing what is already published (a double
submit, two analysts at once) gives the existing publication instead of a second. An admin can withdraw a
publication; it stays in the store and the audit log, but readers no longer see it or its files.
"""

from __future__ import annotations

import json
import threading
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
_COLUMNS = "id, created_at, username, snapshot_id, title, folder, files, catalogue_hash, withdrawn_at, withdrawn_by"
_lock = threading.Lock()  # the look for an existing publication and the new one's record are one step


@dataclass(frozen=True)
class Publication:
    id: int
    at: datetime
    username: str
    snapshot_id: int
    title: str
    folder: str
    files: dict[str, str]  # format → file name
    catalogue_hash: str = ""
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def existing(cur: duckdb.DuckDBPyConnection, snapshot_id: int, catalogue_hash: str | None) -> Publication | None:
    """The publication (not withdrawn) of this snapshot and catalogue, if there is one."""
    row = cur.execute(f"SELECT {_COLUMNS} FROM web_publications WHERE snapshot_id = ? AND catalogue_hash = ?"
                      " AND withdrawn_at IS NULL ORDER BY id LIMIT 1", [snapshot_id, catalogue_hash or ""]).fetchone()
    return _publication(row) if row else None


def publish(cur: duckdb.DuckDBPyConnection, reports_dir: Path, report: Report, username: str,
            progress=lambda text: None) -> tuple[Publication, bool]:
    """Write ``report`` in every format, then record the publication and its audit entry.

    Returns the publication and whether it is new: one already made of the same snapshot and catalogue
    is given back as it is.
    """
    with _lock:
        found = existing(cur, report.snapshot_id, report.catalogue_hash)
        if found is not None:
            return found, False
        return _publish(cur, reports_dir, report, username, progress), True


def _publish(cur: duckdb.DuckDBPyConnection, reports_dir: Path, report: Report, username: str,
             progress) -> Publication:
    publication_id = cur.execute("SELECT nextval('web_publication_seq')").fetchone()[0]
    folder = reports_dir / f"{publication_id:04d}"
    written = {}
    for fmt in FORMATS:
        progress(f"Skriver {FORMAT_LABELS[fmt]}")
        (path,) = files.write(report, folder, [fmt])
        written[fmt] = path.name
    at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    catalogue_hash = report.catalogue_hash or ""
    with audit.LOCK, transaction(cur):  # the audit entry is chained and committed before another is chained
        cur.execute(f"INSERT INTO web_publications ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [publication_id, at, username, report.snapshot_id, report.title, folder.name,
                     json.dumps(written), catalogue_hash])
        audit.record(cur, username, "publish", f"rapport {publication_id}",
                     f"{report.title}; øjebliksbillede {report.snapshot_id}")
    return Publication(publication_id, at, username, report.snapshot_id, report.title, folder.name, written,
                       catalogue_hash)


def withdraw(cur: duckdb.DuckDBPyConnection, publication_id: int, username: str, client: str = "") -> Publication:
    """Withdraw a publication: readers no longer see it; it stays in the store, and the log says who did it."""
    with _lock, audit.LOCK:
        row = cur.execute(f"SELECT {_COLUMNS} FROM web_publications WHERE id = ?", [publication_id]).fetchone()
        if row is None:
            raise MaaltalError(f"Rapport {publication_id} findes ikke")
        if row[8] is not None:
            raise MaaltalError(f"Rapport {publication_id} er allerede trukket tilbage")
        at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        with transaction(cur):
            cur.execute("UPDATE web_publications SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
                        [at, username, publication_id])
            audit.record(cur, username, "withdraw", f"rapport {publication_id}", row[4], client)
    return _publication((*row[:8], at, username))


def publications(cur: duckdb.DuckDBPyConnection, *, withdrawn: bool = False) -> list[Publication]:
    """The publications, newest first; the withdrawn ones only when asked (for admins)."""
    where = "" if withdrawn else " WHERE withdrawn_at IS NULL"
    rows = cur.execute(f"SELECT {_COLUMNS} FROM web_publications{where} ORDER BY id DESC").fetchall()
    return [_publication(row) for row in rows]


def _publication(row: tuple) -> Publication:
    return Publication(*row[:6], json.loads(row[6]), *row[7:])


def file_path(cur: duckdb.DuckDBPyConnection, reports_dir: Path, publication_id: int, fmt: str, *,
              withdrawn: bool = False) -> Path:
    """The file of one format of a publication; an unknown one is a Danish error, never a path outside.

    A withdrawn publication's files are found only when ``withdrawn`` is asked for (admins).
    """
    row = cur.execute("SELECT folder, files, withdrawn_at FROM web_publications WHERE id = ?",
                      [publication_id]).fetchone()
    if row is None or fmt not in FORMATS or (row[2] is not None and not withdrawn):
        raise MaaltalError(f"Rapport {publication_id} i formatet '{fmt}' findes ikke")
    name = json.loads(row[1]).get(fmt)
    path = reports_dir / row[0] / name if name else None
    if path is None or not path.is_file():
        raise MaaltalError(f"Filen til rapport {publication_id} ({fmt}) mangler i {reports_dir}")
    return path
