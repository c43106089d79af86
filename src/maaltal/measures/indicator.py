"""What is measured: a series, or a share of one series in another, each with dimension filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Dims = tuple[tuple[str, str], ...]


def _freeze(dims: Mapping[str, str] | Dims | None) -> Dims:
    if not dims:
        return ()
    items = dims.items() if isinstance(dims, Mapping) else dims
    return tuple(sorted((str(k), str(v)) for k, v in items))


@dataclass(frozen=True)
class Indicator:
    """A series (``bruttoledige``), optionally over a denominator (``arbejdsstyrke``) as a share in per cent.

    ``dims`` selects the numerator's dimension values (``ydelse=kontanthjælp``); ``denominator_dims`` the
    denominator's (``alder=16-66``). A dimension not named means "in total".
    """

    series: str
    denominator: str | None = None
    dims: Dims = ()
    denominator_dims: Dims = ()

    @classmethod
    def of(cls, series: str, denominator: str | None = None, dims: Mapping[str, str] | None = None,
           denominator_dims: Mapping[str, str] | None = None) -> Indicator:
        return cls(series, denominator or None, _freeze(dims), _freeze(denominator_dims))

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    def to_dict(self) -> dict:
        return {
            "series": self.series,
            "dims": dict(self.dims),
            "denominator": self.denominator,
            "denominator_dims": dict(self.denominator_dims),
        }

    def __str__(self) -> str:
        def part(series: str, dims: Dims) -> str:
            return series + (f"[{', '.join(f'{k}={v}' for k, v in dims)}]" if dims else "")
        text = part(self.series, self.dims)
        return f"{text} / {part(self.denominator, self.denominator_dims)}" if self.denominator else text
