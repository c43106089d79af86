"""Sections from the analyst's own files: ``maaltal report --attach KIND=FILE``.

Every kind is one of :data:`maaltal.report.analyses.KINDS` and is read and built exactly as its own command
(``maaltal budget …``, ``maaltal benchmark …``) reads and builds it, so the report and the command never
disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from maaltal.document import Section
from maaltal.errors import MaaltalError
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.analyses import KINDS, AnalysisRequest


def known_kinds() -> str:
    """The kinds with what their files hold, for a help text or an error."""
    return ", ".join(f"{kind.name} ({kind.label})" for kind in KINDS.values())


def parse(specs: Sequence[str]) -> list[tuple[str, Path]]:
    """``["budget=fil.csv", …]`` → kinds and paths; an unknown kind lists the known ones."""
    result = []
    for spec in specs:
        kind, sep, path = spec.partition("=")
        if not sep or kind.strip() not in KINDS or not path.strip():
            raise MaaltalError(f"--attach '{spec}' skal være TYPE=FIL med en af typerne: {known_kinds()}")
        result.append((kind.strip(), Path(path.strip())))
    return result


def sections(attachments: Sequence[tuple[str, Path]], engine: KeyFigureEngine, area: str, period: Period
             ) -> tuple[Section, ...]:
    """The section of every attached file, read for the report's area and period."""
    result = []
    for name, path in attachments:
        kind = KINDS[name]
        request = AnalysisRequest(path, engine.registry, engine, area, year=period.year if kind.report_year else None,
                          through=period.last_month())
        result.append(kind.build_section(request))
    return tuple(result)
