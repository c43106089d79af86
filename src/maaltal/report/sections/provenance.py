"""Where a figure comes from, told from the store's own snapshots: "Kilde: jobindsats.dk, Y01A02, hentet
1. december 2026".

Each snapshot records its source (``jobindsats:Y01A02``, ``statbank:AUK01``, ``csv:observations``,
``demo:…``) and when it was written; a key figure's source line names every table its series came from
and the date of the newest snapshot of each. Synthetic data say so, and a file's path is never printed:
the analyst's own files are "kommunens egne tal".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePath

from maaltal import formatting as fmt
from maaltal.measures import KeyFigureEngine

SYNTHETIC_SOURCE = "syntetiske demodata fra maaltal (ikke officielle tal)"
OWN_FILE = "kommunens egne tal"
_PUBLISHERS = {"jobindsats": "jobindsats.dk", "statbank": "Danmarks Statistik"}


def series_sources(engine: KeyFigureEngine) -> dict[str, dict[str, datetime]]:
    """Per series: each source that brought observations of it, with its newest import (once per engine)."""
    def compute() -> dict[str, dict[str, datetime]]:
        result: dict[str, dict[str, datetime]] = {}
        for coverage in engine.store.coverage(snapshot=engine.snapshot.id):
            found = result.setdefault(coverage.series, {})
            for source in coverage.sources:
                found[source] = max(found.get(source, coverage.last_import), coverage.last_import)
        return result
    return engine.memo("provenance:series_sources", compute)


def line(engine: KeyFigureEngine, series: Iterable[str]) -> str:
    """The source line of the figures made of ``series``."""
    known = series_sources(engine)
    found: dict[str, datetime] = {}
    for name in series:
        for source, imported in known.get(name, {}).items():
            found[source] = max(found.get(source, imported), imported)
    return "Kilde: " + (describe(found) if found else "datalageret") + "."


def describe(sources: dict[str, datetime]) -> str:
    """``jobindsats.dk, Y01A02 og Y25I01, hentet 1. december 2026; Danmarks Statistik, AUK01, hentet …``."""
    by_publisher: dict[str, tuple[list[str], datetime]] = {}
    for source in sorted(sources):
        publisher, table = _parts(source)
        tables, newest = by_publisher.get(publisher, ([], sources[source]))
        if table and table not in tables:
            tables.append(table)
        by_publisher[publisher] = (tables, max(newest, sources[source]))
    parts = []
    for publisher, (tables, newest) in by_publisher.items():
        if publisher == SYNTHETIC_SOURCE:
            parts.append(f"{publisher}, dannet {fmt.long_date(newest.date())}")
            continue
        named = f"{publisher}, {_join(tables)}" if tables else publisher
        verb = "hentet" if publisher in _PUBLISHERS.values() else "indlæst"
        parts.append(f"{named}, {verb} {fmt.long_date(newest.date())}")
    return "; ".join(parts)


def file_source(source: str | None) -> str | None:
    """An attachment's source as the reader may see it: the analyst's own text, or "kommunens egne tal"
    where the source is only the file it was read from (a path says nothing to a committee and may say
    too much about a file server)."""
    if not source:
        return None
    text = source.removeprefix("Kilde:").strip()
    if _is_path(text):
        return f"Kilde: {OWN_FILE}."
    return source if source.startswith("Kilde") else f"Kilde: {text}"


def _is_path(text: str) -> bool:
    if "/" in text or "\\" in text:
        return True
    return PurePath(text).suffix.lower() in {".csv", ".yaml", ".yml", ".xlsx", ".json", ".txt", ".duckdb"}


def _parts(source: str) -> tuple[str, str | None]:
    kind, _, rest = source.partition(":")
    if kind == "demo":
        return SYNTHETIC_SOURCE, None
    if kind in _PUBLISHERS:
        return _PUBLISHERS[kind], rest.upper() or None
    if kind == "spells":
        return "kommunens forløbsdata", None
    return OWN_FILE, None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
