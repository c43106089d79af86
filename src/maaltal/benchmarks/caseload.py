"""Caseload per full-time employee (sagsantal pr. årsværk) against recommended ranges (Hvidovre item 8).

A municipality's caseload in a target group is its cases over its staffing in full-time employees. The
group of municipalities gets the same: total cases over total staffing, never an average of the ratios.
Benchmarks between jobcentres often publish only the ratio per target group (Tårnby's comparison did);
such a row gives ``caseload`` instead of ``cases`` and ``staffing``, and then counts in no total.

Input: a CSV, one row per municipality and target group::

    municipality,target_group,cases,staffing,caseload,range
    Hvidovre,I alt,4164,85.9,,
    Hvidovre,Almindelige sygedagpenge,,,61,sygedagpenge

``range`` names a recommended range in ``data/caseload_ranges.yaml`` (or the file given with
``--ranges``), kept there with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.errors import MaaltalError
from maaltal.fields import Fields
from maaltal.sources import records as csv_records

REQUIRED = ("municipality", "target_group")
OPTIONAL = ("cases", "staffing", "caseload", "range")


@dataclass(frozen=True)
class Range:
    id: str
    label: str
    low: float
    high: float
    source: str

    def status(self, caseload: float) -> str:
        """``over``, ``within`` or ``under`` the recommendation."""
        return "over" if caseload > self.high else "under" if caseload < self.low else "within"


@dataclass(frozen=True)
class CaseloadRow:
    area: str
    name: str
    cases: float | None
    staffing: float | None
    caseload: float

    @property
    def from_counts(self) -> bool:
        return self.cases is not None


@dataclass(frozen=True)
class TargetGroup:
    name: str
    range: Range | None
    rows: tuple[CaseloadRow, ...]

    @property
    def average(self) -> float | None:
        """Total cases over total staffing of the rows that give both; ``None`` when none do."""
        counted = [r for r in self.rows if r.from_counts]
        staffing = sum(r.staffing for r in counted)
        return sum(r.cases for r in counted) / staffing if counted and staffing else None

    def row(self, area: str) -> CaseloadRow | None:
        return next((r for r in self.rows if r.area == area), None)


@dataclass(frozen=True)
class Caseloads:
    source: str
    focus: str | None
    focus_name: str | None
    groups: tuple[TargetGroup, ...]
    municipalities: tuple[tuple[str, str], ...]  # (id, name) in the order of the file

    def to_dict(self) -> dict:
        groups = []
        for g in self.groups:
            rng = g.range
            groups.append({
                "target_group": g.name, "average": g.average,
                "range": {"id": rng.id, "label": rng.label, "min": rng.low, "max": rng.high, "source": rng.source}
                if rng else None,
                "rows": [{"area": r.area, "name": r.name, "cases": r.cases, "staffing": r.staffing,
                          "caseload": r.caseload, "status": rng.status(r.caseload) if rng else None}
                         for r in g.rows]})
        return {"source": self.source, "focus": self.focus, "groups": groups}


def load_ranges(path: str | Path | None = None) -> dict[str, Range]:
    """The recommended ranges: the shipped file, or the analyst's own."""
    doc = yamlfile.load_or_shipped(path or None, "caseload_ranges.yaml")
    fields = Fields(doc)
    if fields.mapping(("ranges",), "filen skal have feltet ranges med et område pr. nøgle") is None:
        fields.check()
    default_source = fields.text(("source",), required=False)
    ranges = {}
    for key in fields.get(("ranges",)):
        where = ("ranges", key)
        if fields.mapping(where, "skal have label, min og max") is None:
            continue
        found = len(fields.errors)
        label = fields.text(where + ("label",))
        low, high = fields.number(where + ("min",)), fields.number(where + ("max",))
        if low is not None and high is not None and low > high:
            fields.fail(where + ("min",), "min er større end max")
        source = fields.text(where + ("source",), required=False) or default_source
        if source is None:
            fields.fail(where + ("source",), "kilden mangler (source, i området eller i filen)")
        if len(fields.errors) == found:
            ranges[str(key)] = Range(str(key), label, float(low), float(high), source)
    fields.check()
    return ranges


def load(path: str | Path, registry: AreaRegistry, ranges: dict[str, Range], focus: str | None = None
         ) -> Caseloads:
    records = csv_records.read(path, REQUIRED, OPTIONAL)
    groups: dict[str, list[CaseloadRow]] = {}
    group_range: dict[str, Range | None] = {}
    municipalities: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    for rec in records.rows:
        area = _area(rec, registry)
        group = rec.text("target_group")
        cases = rec.number("cases", required=False, minimum=0)
        staffing = rec.number("staffing", required=False, minimum=0)
        given = rec.number("caseload", required=False, minimum=0)
        range_id = rec.text("range", required=False)
        if range_id is not None and range_id not in ranges:
            rec.error(f"ukendt anbefaling '{range_id}' (kendte: {', '.join(ranges)})", "range")
        if area is None or group is None:
            continue
        caseload = _caseload(rec, cases, staffing, given)
        if caseload is None:
            continue
        key = (area[0], group.casefold())
        if key in seen:
            rec.error(f"kommune og målgruppe står også i række {seen[key]}", "target_group")
            continue
        seen[key] = rec.row
        rng = ranges.get(range_id) if range_id else None
        if rng is not None and group_range.get(group) not in (None, rng):
            rec.error("målgruppen har en anden anbefaling i en tidligere række", "range")
        if rng is not None or group not in group_range:
            group_range[group] = rng
        municipalities.setdefault(*area)
        groups.setdefault(group, []).append(CaseloadRow(area[0], area[1], cases, staffing, caseload))
    records.check()
    focus_id = registry.get(focus).id if focus else None
    if focus_id and focus_id not in municipalities:
        raise MaaltalError(f"{registry.get(focus).name} står ikke i {path}")
    return Caseloads(str(path), focus_id, registry.get(focus_id).name if focus_id else None,
                     tuple(TargetGroup(g, group_range[g], tuple(rows)) for g, rows in groups.items()),
                     tuple(municipalities.items()))


def _area(rec: csv_records.Record, registry: AreaRegistry) -> tuple[str, str] | None:
    text = rec.text("municipality")
    if text is None:
        return None
    try:
        area = registry.get(text)
    except MaaltalError as exc:
        rec.error(str(exc), "municipality")
        return None
    return area.id, area.name


def _caseload(rec: csv_records.Record, cases: float | None, staffing: float | None, given: float | None
              ) -> float | None:
    if cases is not None and staffing is not None:
        if given is not None:
            rec.error("angiv enten cases og staffing eller caseload, ikke begge", "caseload")
            return None
        if staffing == 0:
            rec.error("normeringen er 0 årsværk", "staffing")
            return None
        return cases / staffing
    if given is not None and cases is None and staffing is None:
        return given
    rec.error("angiv både cases og staffing (eller kun caseload, når kun nøgletallet kendes)",
              "staffing" if cases is not None else "cases")
    return None

