"""The catalogue of standard key figures: which indicators an overview shows, with Danish labels.

Shipped as ``maaltal/data/keyfigures.yaml``; a municipality can keep its own file in the same format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from maaltal import yamlfile
from maaltal.fields import Fields
from maaltal.measures.indicator import Indicator
from maaltal.periods import Period


@dataclass(frozen=True)
class Break:
    """A break in a key figure's series (the 2025 reform moved kontanthjælp to a new table): from which
    period, and the note a report shows beside a figure that spans it."""

    period: Period
    text: str


@dataclass(frozen=True)
class KeyFigureDef:
    id: str
    label: str
    indicator: Indicator
    better: str  # "lower" or "higher"
    breaks: tuple[Break, ...] = ()

    def breaks_between(self, start: Period, end: Period) -> tuple[Break, ...]:
        """The breaks a comparison from ``start`` to ``end`` spans (a break at ``end`` itself included)."""
        return tuple(b for b in self.breaks
                     if start.start < b.period.start <= end.start or start.end < b.period.start <= end.end)

    @property
    def descending(self) -> bool:
        """Whether rank 1 goes to the highest value."""
        return self.better == "higher"


def load(path: str | Path | None = None) -> list[KeyFigureDef]:
    """The key figures of ``path``, or the shipped standard set."""
    doc = yamlfile.load_or_shipped(path, "keyfigures.yaml")
    f = Fields(doc)
    items = f.items(("keyfigures",), "filen skal have en liste 'keyfigures'")
    result = []
    for i in range(len(items)):
        where = ("keyfigures", i)
        if f.mapping(where, "hvert nøgletal skal være en tabel med id, label og series") is None:
            continue
        keyfigure_id, label, series = (f.text(where + (key,)) for key in ("id", "label", "series"))
        better = f.choice(where + ("better",), ("lower", "higher"), default="lower")
        dims, denominator_dims = (f.mapping(where + (key,), f"'{key}' skal være en tabel af navn: værdi",
                                            required=False) for key in ("dims", "denominator_dims"))
        breaks = []
        for j in range(len(f.items(where + ("breaks",), "'breaks' skal være en liste af {period, text}",
                                   required=False) or [])):
            period, text = f.period(where + ("breaks", j, "period")), f.text(where + ("breaks", j, "text"))
            if period and text:
                breaks.append(Break(period, text))
        if keyfigure_id and label and series and better:
            indicator = Indicator.of(series, f.text(where + ("denominator",), required=False), dims,
                                     denominator_dims)
            result.append(KeyFigureDef(keyfigure_id, label, indicator, better, tuple(breaks)))
    f.check(alone=True)
    return result


def label(indicator: Indicator, definitions: Sequence[KeyFigureDef] | None = None) -> str:
    """The name a reader sees for ``indicator``: the catalogue's label for the same figure (its numerator's
    label for a count of it: "Offentlig forsørgelse i alt" for the full-time persons on all benefits), else
    the series and its dimension values in words ("Fuldtidspersoner, ydelse i alt") — never the internal
    ``fuldtidspersoner[ydelse=i alt]``."""
    catalogue = load() if definitions is None else definitions
    exact = next((d.label for d in catalogue if d.indicator == indicator), None)
    if exact is not None:
        return exact
    numerator = (indicator.series, indicator.dims)
    if not indicator.is_share:
        same = next((d.label for d in catalogue if (d.indicator.series, d.indicator.dims) == numerator), None)
        if same is not None:
            return same

    def words(series: str, dims: tuple[tuple[str, str], ...]) -> str:
        name = series.replace("_", " ")
        return ", ".join([name[:1].upper() + name[1:], *(f"{k} {v}" for k, v in dims)])

    text = words(indicator.series, indicator.dims)
    if indicator.denominator:
        text += f" i pct. af {words(indicator.denominator, indicator.denominator_dims).lower()}"
    return text
