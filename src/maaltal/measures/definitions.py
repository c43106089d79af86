"""The catalogue of standard key figures: which indicators an overview shows, with Danish labels.

Shipped as ``maaltal/data/keyfigures.yaml``; a municipality can keep its own file in the same format.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from maaltal import yamlfile
from maaltal.measures.indicator import Indicator


@dataclass(frozen=True)
class KeyFigureDef:
    id: str
    label: str
    indicator: Indicator
    better: str  # "lower" or "higher"

    @property
    def descending(self) -> bool:
        """Whether rank 1 goes to the highest value."""
        return self.better == "higher"


def load(path: str | Path | None = None) -> list[KeyFigureDef]:
    """The key figures of ``path``, or the shipped standard set."""
    if path is None:
        text = resources.files("maaltal.data").joinpath("keyfigures.yaml").read_text(encoding="utf-8")
        doc = yamlfile.loads(text, "keyfigures.yaml")
    else:
        doc = yamlfile.load(path)
    items = doc.data.get("keyfigures") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise doc.error(("keyfigures",), "filen skal have en liste 'keyfigures'")
    result = []
    for i, item in enumerate(items):
        where = ("keyfigures", i)
        if not isinstance(item, dict):
            raise doc.error(where, "hvert nøgletal skal være en tabel med id, label og series")
        for required in ("id", "label", "series"):
            if not item.get(required):
                raise doc.error(where + (required,), f"feltet '{required}' mangler")
        better = item.get("better", "lower")
        if better not in ("lower", "higher"):
            raise doc.error(where + ("better",), "'better' skal være lower eller higher")
        for dims_field in ("dims", "denominator_dims"):
            if dims_field in item and not isinstance(item[dims_field], dict):
                raise doc.error(where + (dims_field,), f"'{dims_field}' skal være en tabel af navn: værdi")
        indicator = Indicator.of(str(item["series"]), item.get("denominator"), item.get("dims"),
                                 item.get("denominator_dims"))
        result.append(KeyFigureDef(str(item["id"]), str(item["label"]), indicator, better))
    return result
