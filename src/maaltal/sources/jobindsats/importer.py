"""Import a jobindsats answer, saved by hand or fetched live, as one validated snapshot.

Both ways go through :func:`import_answer`: parse the answer (:mod:`.answers`), check every row against
the table's mapping (:func:`maaltal.sources.tables.convert`), then write it in one transaction with
source ``jobindsats:<TABLE>``. Any error leaves the store as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from maaltal import inputfile
from maaltal.areas import AreaRegistry
from maaltal.sources import table_mapping, tables
from maaltal.sources.jobindsats import answers
from maaltal.sources.jobindsats.client import JobindsatsClient
from maaltal.sources.progress import Progress
from maaltal.sources.table_mapping import TableMapping
from maaltal.store import Store

SOURCE = "jobindsats"


def mapping_for(table: str, mapping_file: str | Path | None = None) -> TableMapping:
    """The mapping of one jobindsats table (:func:`maaltal.sources.table_mapping.mapping_for`)."""
    return table_mapping.mapping_for(SOURCE, table, mapping_file)


def import_answer(store: Store, data: bytes | str, *, table: str, file: str, registry: AreaRegistry,
                  mapping_file: str | Path | None = None, note: str | None = None,
                  progress: Progress | None = None) -> tables.ImportResult:
    """Check the whole answer, then write it as one snapshot; on any error nothing is written."""
    mapping = mapping_for(table, mapping_file)
    raw = answers.parse(data, file)
    converted = tables.convert(raw, mapping, registry, progress)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return tables.write(store, converted, mapping, file=file, sha256=hashlib.sha256(payload).hexdigest(), note=note)


def import_file(store: Store, path: str | Path, *, table: str, registry: AreaRegistry,
                mapping_file: str | Path | None = None, progress: Progress | None = None) -> tables.ImportResult:
    """Import an answer saved as a file (JSON or CSV, v2 or v3)."""
    path = Path(path)
    return import_answer(store, inputfile.read_bytes(path), table=table, file=str(path), registry=registry,
                         mapping_file=mapping_file, progress=progress)


def fetch(store: Store, client: JobindsatsClient, *, table: str, periods: list[str], registry: AreaRegistry,
          areas: list[str] | None = None, filters: dict[str, list[str]] | None = None, fmt: str = "json",
          save: Path | None = None, mapping_file: str | Path | None = None) -> tables.ImportResult:
    """Fetch a table and import the answer; ``save`` keeps the raw answer as a file first."""
    mapping = mapping_for(table, mapping_file)
    data = client.data(mapping.table, periods=periods, areas=areas, filters=filters, fmt=fmt)
    if save is not None:
        save.write_bytes(data)
    where = str(save) if save is not None else f"{client.http.base_url}/data/{mapping.table}"
    return import_answer(store, data, table=mapping.table, file=where, registry=registry,
                         mapping_file=mapping_file, note=f"hentet: perioder {', '.join(periods)}")
