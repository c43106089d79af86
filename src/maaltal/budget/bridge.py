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
    end: {label: Budget 2021 (august 2020), amount: 1.624, unit: mia. kr.}

A step may be stated in another unit than the bridge's (``unit: mia. kr.``), as minutes do: Horsens item 3
states the end as "1,624 mia. kr." where the steps add up to 1.624,5 mio. kr. Such a figure is taken as
rounded by the minutes to the decimals it is written with (three decimals of a billion: the nearest
million), so the bridge adds up when the gap is at most half of its last digit; the table then says that
the stated figure is rounded and what the bridge sums to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.fields import Fields
from maaltal.yamlfile import PathKey

UNITS = ("mio. kr.", "mia. kr.", "kr.")
_IN_KR = {"kr.": 1.0, "mio. kr.": 1e6, "mia. kr.": 1e9}
RELATIVE_TOLERANCE = 1e-9  # floating-point noise only: the file's own figures must add up


@dataclass(frozen=True)
class Step:
    """A label and its amount in the bridge's unit; ``stated`` is the amount as the file wrote it, in its own
    unit, when that differs (``(1.624, "mia. kr.", 3)``: amount, unit and decimals written)."""

    label: str
    amount: float
    stated: tuple[float, str, int] | None = None
    tolerance: float = 0.0  # half the last written digit of a stated amount, in the bridge's unit


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

    @property
    def decimals(self) -> int:
        """Decimals to show amounts in the bridge's unit with: one for mio. kr., three for mia. kr."""
        return {"mio. kr.": 1, "mia. kr.": 3}.get(self.unit, 0)

    @property
    def rounding_note(self) -> str | None:
        """What the minutes rounded: "Budget 2021 (august 2020) er opgivet som 1,624 mia. kr.; broen summer
        til 1.624,5 mio. kr." (None when every figure is exact)."""
        summed = self.start.amount + self.change
        stated = [s for s in (self.start, *self.adjustments, self.end) if s.stated is not None]
        if not stated or fmt.round_half_up(summed, self.decimals) == fmt.round_half_up(self.end.amount, self.decimals):
            return None
        return "; ".join(f"{s.label} er opgivet som {stated_text(s)} (afrundet)" for s in stated) + (
            f"; broen summer til {amount_text(summed, self.unit)}")

    def to_dict(self) -> dict:
        return {"title": self.title, "unit": self.unit, "source": self.source, "start": asdict(self.start),
                "adjustments": [asdict(a) for a in self.adjustments], "change": self.change,
                "end": asdict(self.end)}


def amount_text(value: float, unit: str, decimals: int | None = None) -> str:
    """``1.624,5 mio. kr.``, ``1,624 mia. kr.``, ``714.145 kr.``."""
    if unit == "mio. kr.":
        return fmt.mio_kr(value, 1 if decimals is None else decimals)
    if unit == "mia. kr.":
        return f"{fmt.number(value, 3 if decimals is None else decimals)} mia. kr."
    return fmt.kr(value)


def stated_text(step: Step) -> str:
    """The amount as the file (the minutes) wrote it."""
    if step.stated is None:
        raise ValueError("the step is in the bridge's own unit")
    value, unit, decimals = step.stated
    return amount_text(value, unit, decimals)


def load(path: str | Path) -> Bridge:
    """Read and check a bridge; it must add up."""
    doc = yamlfile.load(path)
    fields = Fields(doc)
    if fields.mapping((), "filen skal indeholde felterne title, start, adjustments og end") is None:
        fields.check()
    fields.unknown((), ("title", "unit", "start", "adjustments", "end"))
    title = fields.text(("title",))
    unit = fields.choice(("unit",), UNITS, default="mio. kr.")
    start = _step(fields, ("start",), unit)
    end = _step(fields, ("end",), unit)
    raw = fields.items(("adjustments",), "der skal være mindst én justering (en liste)")
    steps = [_step(fields, ("adjustments", i), unit) for i in range(len(raw))]
    fields.check()
    bridge = Bridge(title, unit, start, tuple(steps), end, str(path))
    gap = bridge.end.amount - (bridge.start.amount + bridge.change)
    rounding = sum(s.tolerance for s in (start, *steps, end))
    noise = RELATIVE_TOLERANCE * max(1.0, abs(bridge.start.amount), abs(bridge.end.amount))
    if abs(gap) > rounding + noise:
        direction = "mangler" if gap > 0 else "er for meget"
        raise doc.error(("end", "amount"), (
            f"broen går ikke op: {amount_text(bridge.start.amount, unit)} + justeringer på "
            f"{amount_text(bridge.change, unit)} = {amount_text(bridge.start.amount + bridge.change, unit)}, men "
            f"slutbeløbet er {amount_text(bridge.end.amount, unit)}; der {direction} "
            f"{amount_text(abs(gap), unit)} i justeringerne"))
    return bridge


def _step(fields: Fields, path: PathKey, unit: str | None) -> Step:
    """A step in the bridge's unit; one stated in another unit keeps what it stated and its decimals."""
    if fields.mapping(path, "skal have felterne label, amount og evt. unit") is None:
        return Step("", 0.0)
    fields.unknown(path, ("label", "amount", "unit"))
    label = fields.text(path + ("label",))
    amount = float(fields.number(path + ("amount",)) or 0.0)
    own = fields.choice(path + ("unit",), UNITS, default=unit)
    if own is None or unit is None or own == unit:
        return Step(label or "", amount)
    written = repr(amount).split("e")[0]
    decimals = len(written.split(".")[1].rstrip("0")) if "." in written else 0
    factor = _IN_KR[own] / _IN_KR[unit]
    return Step(label or "", amount * factor, (amount, own, decimals), 0.5 * 10 ** -decimals * factor)
