"""A budget bridge between two versions of a budget: start, named adjustments, end (Horsens item 3).

A bridge is only worth showing when it adds up: start + adjustments = end. One that does not is refused
with the size and direction of the gap, because a sign left out (Horsens' "10,6 mio. kr.") is exactly the
slip a committee cannot see in a finished table.

Input: a YAML file::

    title: Beskæftigelses- og Integrationsudvalgets budget 2021
    unit: mio. kr.            # or kr.
    start: {label: Budget 2021 (maj 2020), amount: 1584}
    adjustments:
      - {label: Øget ledighed som følge af COVID-19, amount: 22.0}
    end: {label: Budget 2021 (august 2020), amount: 1624.5}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.fields import Fields
from maaltal.yamlfile import PathKey

UNITS = ("mio. kr.", "kr.")
RELATIVE_TOLERANCE = 1e-9  # floating-point noise only: the file's own figures must add up


@dataclass(frozen=True)
class Step:
    label: str
    amount: float


@dataclass(frozen=True)
class Bridge:
    title: str
    unit: str
    start: Step
    adjustments: tuple[Step, ...]
    end: Step
    source: str

    @property
    def change(self) -> float:
        return sum(a.amount for a in self.adjustments)

    def to_dict(self) -> dict:
        return {"title": self.title, "unit": self.unit, "source": self.source, "start": asdict(self.start),
                "adjustments": [asdict(a) for a in self.adjustments], "change": self.change,
                "end": asdict(self.end)}


def amount_text(value: float, unit: str) -> str:
    return fmt.mio_kr(value) if unit == "mio. kr." else fmt.kr(value)


def load(path: str | Path) -> Bridge:
    """Read and check a bridge; it must add up."""
    doc = yamlfile.load(path)
    fields = Fields(doc)
    if fields.mapping((), "filen skal indeholde felterne title, start, adjustments og end") is None:
        fields.check()
    fields.unknown((), ("title", "unit", "start", "adjustments", "end"))
    title = fields.text(("title",))
    unit = fields.choice(("unit",), UNITS, default="mio. kr.")
    start = _step(fields, ("start",))
    end = _step(fields, ("end",))
    raw = fields.items(("adjustments",), "der skal være mindst én justering (en liste)")
    steps = [_step(fields, ("adjustments", i)) for i in range(len(raw))]
    fields.check()
    bridge = Bridge(title, unit, start, tuple(steps), end, str(path))
    gap = bridge.end.amount - (bridge.start.amount + bridge.change)
    if abs(gap) > RELATIVE_TOLERANCE * max(1.0, abs(bridge.start.amount), abs(bridge.end.amount)):
        direction = "mangler" if gap > 0 else "er for meget"
        raise doc.error(("end", "amount"), (
            f"broen går ikke op: {amount_text(bridge.start.amount, unit)} + justeringer på "
            f"{amount_text(bridge.change, unit)} = {amount_text(bridge.start.amount + bridge.change, unit)}, men "
            f"slutbeløbet er {amount_text(bridge.end.amount, unit)}; der {direction} "
            f"{amount_text(abs(gap), unit)} i justeringerne"))
    return bridge


def _step(fields: Fields, path: PathKey) -> Step:
    if fields.mapping(path, "skal have felterne label og amount") is None:
        return Step("", 0.0)
    label = fields.text(path + ("label",))
    amount = fields.number(path + ("amount",))
    return Step(label or "", float(amount or 0.0))
