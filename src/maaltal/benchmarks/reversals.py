"""Reversal rates in the appeals board (omgørelsesprocenter i Ankestyrelsen), Hvidovre item 5.

A decision the board remits (hjemvist) or changes/annuls (ændret/ophævet) counts as reversed; the rate is
the reversed share of all decisions on the merits: (remitted + changed) / (upheld + remitted + changed).
Each map (socialområdet generelt, børnehandicap, voksenhandicap) is compared with the national rate and
with last year. A map's counts are its own row or, when it has none, the sum of its paragraphs.

Input: a CSV, one row per year, map and paragraph (empty paragraph = the map itself)::

    year;map;paragraph;upheld;remitted;changed;rate;national_rate
    2021;Socialområdet generelt;;70;13;3;;31,8
    2020;Socialområdet generelt;;;;;34;36,2

Where only the published rate is known (often for last year), ``rate`` gives it instead of the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from maaltal.benchmarks.disclosure import is_small
from maaltal.errors import InputError
from maaltal.sources import records as csv_records

REQUIRED = ("year", "map")
OPTIONAL = ("paragraph", "upheld", "remitted", "changed", "rate", "national_rate")


@dataclass(frozen=True)
class Decisions:
    upheld: int
    remitted: int
    changed: int

    @property
    def total(self) -> int:
        return self.upheld + self.remitted + self.changed

    @property
    def reversed(self) -> int:
        return self.remitted + self.changed

    def share(self, count: int) -> float | None:
        return count / self.total * 100 if self.total else None

    def __add__(self, other: Decisions) -> Decisions:
        return Decisions(self.upheld + other.upheld, self.remitted + other.remitted, self.changed + other.changed)


@dataclass(frozen=True)
class Line:
    """A map's or a paragraph's decisions in one year, or only its published rate."""

    label: str
    decisions: Decisions | None
    published_rate: float | None
    national_rate: float | None

    @property
    def rate(self) -> float | None:
        if self.decisions is not None:
            return self.decisions.share(self.decisions.reversed)
        return self.published_rate

    @property
    def small(self) -> bool:
        """Too few decisions to show the counts and the rate (they would point at persons)."""
        return self.decisions is not None and is_small(self.decisions.total)

    def to_dict(self) -> dict:
        d = self.decisions
        if self.small:
            return {"label": self.label, "suppressed": True, "national_rate": self.national_rate}
        return {"label": self.label, "suppressed": False,
                "upheld": d.upheld if d else None, "remitted": d.remitted if d else None,
                "changed": d.changed if d else None, "decided": d.total if d else None,
                "remitted_share": d.share(d.remitted) if d else None,
                "changed_share": d.share(d.changed) if d else None,
                "rate": self.rate, "national_rate": self.national_rate}


@dataclass(frozen=True)
class ReversalMap:
    name: str
    year: int
    total: Line
    paragraphs: tuple[Line, ...]
    last_year: Line | None

    @property
    def difference_national(self) -> float | None:
        if self.total.rate is None or self.total.national_rate is None:
            return None
        return self.total.rate - self.total.national_rate

    @property
    def difference_last_year(self) -> float | None:
        if self.total.rate is None or self.last_year is None or self.last_year.rate is None:
            return None
        return self.total.rate - self.last_year.rate


@dataclass(frozen=True)
class Reversals:
    source: str
    year: int
    maps: tuple[ReversalMap, ...]

    def to_dict(self) -> dict:
        return {"source": self.source, "year": self.year, "maps": [
            {"map": m.name, **m.total.to_dict(), "difference_national": m.difference_national,
             "last_year": m.last_year.to_dict() if m.last_year else None,
             "difference_last_year": m.difference_last_year,
             "paragraphs": [p.to_dict() for p in m.paragraphs]} for m in self.maps]}


@dataclass
class _Row:
    row: int
    year: int
    map: str
    paragraph: str | None
    line: Line


def load(path: str | Path, year: int | None = None) -> Reversals:
    rows = _read(path)
    years = sorted({r.year for r in rows})
    if year is None:
        year = years[-1]
    elif year not in years:
        raise InputError(f"filen har ingen rækker for {year}", file=path)
    maps = []
    for name in dict.fromkeys(r.map for r in rows if r.year == year):
        maps.append(_map(path, rows, name, year))
    return Reversals(str(path), year, tuple(maps))


def _map(path: str | Path, rows: list[_Row], name: str, year: int) -> ReversalMap:
    own = next((r for r in rows if r.year == year and r.map == name and r.paragraph is None), None)
    paragraphs = [r for r in rows if r.year == year and r.map == name and r.paragraph is not None]
    counted = [p.line.decisions for p in paragraphs if p.line.decisions is not None]
    summed = sum(counted[1:], counted[0]) if counted and len(counted) == len(paragraphs) else None
    national = own.line.national_rate if own else None
    if own is not None and own.line.decisions is not None:
        total = own.line
        if summed is not None and summed != total.decisions:
            raise InputError(f"kortets egne tal ({total.decisions.total} afgørelser) stemmer ikke med summen af "
                             f"paragrafferne ({summed.total})", file=path, row=own.row, column="upheld")
    elif summed is not None:
        total = Line(name, summed, None, national)
    elif own is not None and own.line.published_rate is not None:
        total = own.line
    else:
        first = own or paragraphs[0]
        raise InputError(f"kortet '{name}' har hverken tal eller omgørelsesprocent for {year}", file=path,
                         row=first.row, column="map")
    prior = next((r.line for r in rows if r.year == year - 1 and r.map == name and r.paragraph is None), None)
    return ReversalMap(name, year, Line(name, total.decisions, total.published_rate, national),
                       tuple(p.line for p in paragraphs), prior)


def _read(path: str | Path) -> list[_Row]:
    records = csv_records.read(path, REQUIRED, OPTIONAL)
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    for rec in records.rows:
        year = rec.number("year", integer=True, minimum=1970)
        name = rec.text("map")
        paragraph = rec.text("paragraph", required=False)
        counts = [rec.number(c, required=False, integer=True, minimum=0) for c in ("upheld", "remitted", "changed")]
        rate = rec.number("rate", required=False, minimum=0)
        national = rec.number("national_rate", required=False, minimum=0)
        if year is None or name is None:
            continue
        given = [c is not None for c in counts]
        if any(given) and not all(given):
            rec.error("angiv alle tre antal (upheld, remitted, changed), også 0", "upheld")
            continue
        if all(given) and rate is not None:
            rec.error("angiv enten antallene eller den offentliggjorte procent, ikke begge", "rate")
            continue
        key = (int(year), name.casefold(), (paragraph or "").casefold())
        if key in seen:
            rec.error(f"samme år, kort og paragraf står også i række {seen[key]}", "paragraph")
            continue
        seen[key] = rec.row
        decisions = Decisions(*(int(c) for c in counts)) if all(given) else None
        rows.append(_Row(rec.row, int(year), name, paragraph,
                         Line(paragraph or name, decisions, rate, national)))
    records.check()
    return rows
