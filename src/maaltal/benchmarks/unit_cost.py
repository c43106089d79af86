"""Unit cost per benefit recipient against the national average, and what the difference is worth.

Hvidovre item 8: the employment effort and the jobcentre's administration cost 22.953 kr. per recipient
against 27.205 kr. nationally; with Hvidovre's recipients that is about 15,5 mio. kr. less than at the
national average. The worth is the difference per recipient times the municipality's recipients.

Input: a CSV ``area,unit_cost,recipients`` (kr. per recipient; recipients needed for the focus
municipality). The reference is the row for the nation ("Hele landet"); without one it is the file's
municipalities together: their total cost over their total recipients.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from maaltal.areas import NATION_ID, AreaKind, AreaRegistry
from maaltal.errors import InputError, MaaltalError
from maaltal.measures.keyfigures import rank_values
from maaltal.sources import records as csv_records


@dataclass(frozen=True)
class UnitCostRow:
    area: str
    name: str
    unit_cost: float
    recipients: float | None


@dataclass(frozen=True)
class UnitCostComparison:
    source: str
    focus: UnitCostRow
    reference_name: str
    reference_cost: float
    rank: int | None
    rank_of: int
    rows: tuple[UnitCostRow, ...]

    @property
    def difference(self) -> float:
        """Focus minus reference, kr. per recipient (negative = cheaper)."""
        return self.focus.unit_cost - self.reference_cost

    @property
    def worth(self) -> float:
        """The difference over all the focus municipality's recipients, in kr. (negative = spends less)."""
        return self.difference * self.focus.recipients

    @property
    def worth_mio(self) -> float:
        return self.worth / 1e6

    def to_dict(self) -> dict:
        return {"source": self.source, "focus": asdict(self.focus), "reference": self.reference_name,
                "reference_cost": self.reference_cost, "difference": self.difference, "worth": self.worth,
                "rank": self.rank, "rank_of": self.rank_of, "rows": [asdict(r) for r in self.rows]}


def load(path: str | Path, registry: AreaRegistry, focus: str | None = None) -> UnitCostComparison:
    records = csv_records.read(path, ("area", "unit_cost"), ("recipients",))
    rows: list[UnitCostRow] = []
    seen: dict[str, int] = {}
    for rec in records.rows:
        text = rec.text("area")
        cost = rec.number("unit_cost", minimum=0)
        recipients = rec.number("recipients", required=False, minimum=0)
        if text is None or cost is None:
            continue
        try:
            area = registry.get(text)
        except MaaltalError as exc:
            rec.error(str(exc), "area")
            continue
        if area.kind not in (AreaKind.MUNICIPALITY, AreaKind.NATION):
            rec.error("området skal være en kommune eller hele landet", "area")
            continue
        if area.id in seen:
            rec.error(f"området står også i række {seen[area.id]}", "area")
            continue
        seen[area.id] = rec.row
        rows.append(UnitCostRow(area.id, area.name, cost, recipients))
    records.check()
    municipalities = [r for r in rows if r.area != NATION_ID]
    focus_row = _focus(municipalities, registry, focus, str(path))
    if focus_row.recipients is None:
        raise InputError(f"antallet af modtagere i {focus_row.name} mangler; det skal bruges til at regne "
                         "forskellen om til kroner", file=path, row=seen[focus_row.area], column="recipients")
    nation = next((r for r in rows if r.area == NATION_ID), None)
    if nation is not None:
        reference_name, reference_cost = nation.name, nation.unit_cost
    else:
        counted = [r for r in municipalities if r.recipients]
        if len(counted) < 2:
            raise InputError("der er intet at sammenligne med: tilføj en række for Hele landet eller flere "
                             "kommuner med antal modtagere", file=path)
        reference_name = "kommunerne i filen"
        reference_cost = sum(r.unit_cost * r.recipients for r in counted) / sum(r.recipients for r in counted)
    ranks = rank_values({r.area: r.unit_cost for r in municipalities})
    rank, rank_of = ranks[focus_row.area]
    return UnitCostComparison(str(path), focus_row, reference_name, reference_cost,
                              rank if rank_of > 1 else None, rank_of, tuple(rows))


def _focus(municipalities: list[UnitCostRow], registry: AreaRegistry, focus: str | None, path: str
           ) -> UnitCostRow:
    if focus is None:
        if len(municipalities) != 1:
            raise MaaltalError(f"{path} har {len(municipalities)} kommuner; vælg én med --area")
        return municipalities[0]
    area = registry.get(focus)
    row = next((r for r in municipalities if r.area == area.id), None)
    if row is None:
        raise MaaltalError(f"{area.name} står ikke i {path}")
    return row
