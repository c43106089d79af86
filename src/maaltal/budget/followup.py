"""Budget follow-up by frame: adopted and corrected budget against the forecast, as in Gladsaxe's table 2.

The corrected budget is the adopted budget plus the supplementary appropriations given during the year and
the carry-overs from last year. Deviations follow the seeds' sign convention: budget minus forecast, so a
positive deviation is an underspend (mindreforbrug) and a negative one an overspend (merforbrug). A frame
whose forecast exceeds its corrected budget needs a supplementary appropriation of the difference. The
service frame (servicerammen, agreed between KL and the government) is checked on its own against the
adopted budget of the lines that fall under it.

Input: a CSV with one row per year, frame and line, amounts in mio. kr.::

    year;frame;line;adopted;supplementary;carried_over;forecast;service_frame
    2023;Aktivering;;131,7;0;6,2;138,2;nej
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from maaltal.errors import InputError
from maaltal.sources import records as csv_records

REQUIRED = ("year", "frame", "adopted", "forecast")
OPTIONAL = ("line", "supplementary", "carried_over", "service_frame")


@dataclass(frozen=True)
class Amounts:
    """The amounts of a line, a frame or the total, in mio. kr."""

    adopted: float
    supplementary: float
    carried_over: float
    forecast: float

    @property
    def corrected(self) -> float:
        return self.adopted + self.supplementary + self.carried_over

    @property
    def deviation_adopted(self) -> float:
        """Adopted budget minus forecast: positive = underspend, negative = overspend."""
        return self.adopted - self.forecast

    @property
    def deviation_corrected(self) -> float:
        """Corrected budget minus forecast: positive = underspend, negative = overspend."""
        return self.corrected - self.forecast

    @property
    def appropriation_needed(self) -> float:
        """The supplementary appropriation that would cover the forecast overspend on the corrected budget."""
        return max(0.0, -self.deviation_corrected)

    @classmethod
    def total(cls, parts: Iterable[Amounts]) -> Amounts:
        parts = list(parts)
        return cls(sum(p.adopted for p in parts), sum(p.supplementary for p in parts),
                   sum(p.carried_over for p in parts), sum(p.forecast for p in parts))

    def to_dict(self) -> dict:
        return {**asdict(self), "corrected": self.corrected, "deviation_adopted": self.deviation_adopted,
                "deviation_corrected": self.deviation_corrected,
                "appropriation_needed": self.appropriation_needed}


@dataclass(frozen=True)
class BudgetLine:
    frame: str
    line: str | None
    amounts: Amounts
    service_frame: bool
    row: int | None = None  # in the input file, for error messages


@dataclass(frozen=True)
class Frame:
    name: str
    amounts: Amounts
    lines: tuple[BudgetLine, ...]

    def to_dict(self) -> dict:
        return {"frame": self.name, **self.amounts.to_dict(),
                "lines": [{"line": x.line, "service_frame": x.service_frame, **x.amounts.to_dict()}
                          for x in self.lines if x.line]}


@dataclass(frozen=True)
class ServiceFrameCheck:
    """The lines under the service frame: their adopted budget against their forecast."""

    adopted: float
    forecast: float

    @property
    def deviation(self) -> float:
        return self.adopted - self.forecast

    @property
    def kept(self) -> bool:
        return self.forecast <= self.adopted

    def to_dict(self) -> dict:
        return {**asdict(self), "deviation": self.deviation, "kept": self.kept}


@dataclass(frozen=True)
class BudgetFollowUp:
    """One year's follow-up of a committee's frames."""

    year: int
    source: str
    frames: tuple[Frame, ...]
    total: Amounts
    service_frame: ServiceFrameCheck | None

    def to_dict(self) -> dict:
        return {"year": self.year, "source": self.source, "unit": "mio. kr.",
                "frames": [f.to_dict() for f in self.frames], "total": self.total.to_dict(),
                "service_frame": self.service_frame.to_dict() if self.service_frame else None}


def read(path: str | Path) -> list[tuple[int, BudgetLine]]:
    """Every row of the file as (year, line); all problems are reported together."""
    records = csv_records.read(path, REQUIRED, OPTIONAL)
    result: list[tuple[int, BudgetLine]] = []
    seen: dict[tuple, int] = {}
    for rec in records.rows:
        year = rec.number("year", integer=True, minimum=1970)
        frame = rec.text("frame")
        line = rec.text("line", required=False)
        adopted = rec.number("adopted")
        supplementary = rec.number("supplementary", required=False) or 0.0
        carried_over = rec.number("carried_over", required=False) or 0.0
        forecast = rec.number("forecast")
        service = rec.flag("service_frame")
        if None in (year, frame, adopted, forecast):
            continue
        key = (year, frame.casefold(), (line or "").casefold())
        if key in seen:
            rec.error(f"samme år, ramme og linje står også i række {seen[key]}", "line")
            continue
        seen[key] = rec.row
        amounts = Amounts(adopted, supplementary, carried_over, forecast)
        result.append((int(year), BudgetLine(frame, line, amounts, service, rec.row)))
    records.check()
    return result


def follow_up(rows: list[tuple[int, BudgetLine]], source: str, year: int | None = None) -> BudgetFollowUp:
    """Frames (in the order of the file), their total and the service-frame check for ``year`` (default:
    the latest year in the file)."""
    years = sorted({y for y, _ in rows})
    if year is None:
        year = years[-1]
    elif year not in years:
        raise InputError(f"filen har ingen rækker for {year} (den har {', '.join(map(str, years))})", file=source)
    lines = [x for y, x in rows if y == year]
    names = list(dict.fromkeys(x.frame for x in lines))
    frames = []
    for name in names:
        members = tuple(x for x in lines if x.frame == name)
        whole = next((x for x in members if x.line is None), None)
        if whole is not None and len(members) > 1:
            raise InputError(f"rammen '{name}' har både en række uden linje og rækker med linjer; den ville "
                             "tælle dobbelt", file=source, row=whole.row, column="line")
        frames.append(Frame(name, Amounts.total(x.amounts for x in members), members))
    service_lines = [x for x in lines if x.service_frame]
    service = (ServiceFrameCheck(sum(x.amounts.adopted for x in service_lines),
                                 sum(x.amounts.forecast for x in service_lines)) if service_lines else None)
    return BudgetFollowUp(year, source, tuple(frames), Amounts.total(f.amounts for f in frames), service)


def load(path: str | Path, year: int | None = None) -> BudgetFollowUp:
    return follow_up(read(path), str(path), year)
