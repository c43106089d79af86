"""The table mappings: which column of an official table becomes which maaltal series or dimension.

Kept as data in ``maaltal/data/jobindsats.yaml`` and ``maaltal/data/statbank.yaml`` (the comments there
describe the form); a user adds or overrides tables with a file of the same form (``--mapping``).
Errors in a mapping file name its line and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maaltal import kinds, yamlfile
from maaltal.errors import MaaltalError
from maaltal.sources.cells import is_total

# A dimension value that means "in total": it is omitted (or stored as the spec's ``total``).
TOTAL = object()
# The sources with a packaged mapping file, by the name a user knows them by.
SOURCE_NAMES = {"jobindsats": "jobindsats", "statbank": "StatBank"}


def norm(label: str) -> str:
    """The form column labels and values are compared in: case-folded, single spaces."""
    return " ".join(str(label).strip().casefold().split())


@dataclass(frozen=True)
class MeasureSpec:
    series: str
    unit: str


# An age or an age band as a label reads after its unit is stripped: "16", "16-24", "60+", "60 og derover".
_AGES = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?(\+|\s+og\s+derover|\s+and\s+over)?$")
OPEN_END = 10_000  # the upper end of an open band ("60 år og derover")


def age_interval(value: str) -> tuple[int, int] | None:
    """The ages a dimension value covers, ``(16, 16)`` for "16", ``(16, 24)`` for "16-24", ``(60, OPEN_END)``
    for "60+"; ``None`` for anything that is not an age."""
    match = _AGES.match(norm(value))
    if match is None:
        return None
    low = int(match.group(1))
    if match.group(3):
        return low, OPEN_END
    high = int(match.group(2)) if match.group(2) else low
    return (low, high) if high >= low else None


@dataclass(frozen=True)
class AgeRange:
    """A band summed from a table's single ages or narrower bands: ``16-66`` is the sum of 16, 17, …, 66."""

    label: str
    low: int
    high: int

    def covers(self, interval: tuple[int, int]) -> bool:
        return self.low <= interval[0] and interval[1] <= self.high


@dataclass(frozen=True)
class DerivedSpec:
    """A series a table publishes only as a count and a rate of it: ``count ÷ rate × 100``.

    The labour force is such a series: Y25I01 gives the full-time unemployed and their share of the labour
    force, so the labour force is ``fuldtidsledige ÷ pct. × 100`` (rounded to whole persons; the rate's one
    decimal makes it exact to about 2 %). Made only from rows whose dimensions are all totals.
    """

    series: str
    unit: str
    count: str  # normalised column label of the count
    rate: str  # normalised column label of the rate in per cent
    count_label: str
    rate_label: str
    dims: Mapping[str, str] = field(default_factory=dict)

    def note(self, table: str) -> str:
        """The provenance a snapshot carries: where the series came from and how."""
        return f"{self.series} afledt af {table}: '{self.count_label}' ÷ '{self.rate_label}' × 100"


@dataclass(frozen=True)
class DimensionSpec:
    """How one dimension column's values become a maaltal dimension (or choose the series)."""

    name: str
    values: Mapping[str, str | None] = field(default_factory=dict)  # normalised label → value; None = total
    totals: frozenset[str] = frozenset()
    total: str | None = None  # the value a total is stored as; None = the dimension is omitted
    series: Mapping[str, str] = field(default_factory=dict)  # normalised label → series it routes to
    strip: tuple[str, ...] = ()  # endings removed from kept labels ("16-24 år" and "16-24 years" → "16-24")
    ranges: tuple[AgeRange, ...] = ()  # age bands summed from the values ("16-66" of single ages)
    keep: bool = True  # whether the values summed into ranges are stored themselves
    subtotals: bool = False  # only the labels in ``totals`` are totals; other "… i alt" are subtotals, kept

    def ranges_of(self, value: str) -> tuple[AgeRange, ...]:
        """The ranges a (mapped) value is part of."""
        interval = age_interval(value) if self.ranges else None
        return tuple(r for r in self.ranges if r.covers(interval)) if interval else ()

    def value(self, cell: str) -> object:
        """The maaltal value of a cell: a text, or :data:`TOTAL`."""
        key = norm(cell)
        if key in self.values:
            mapped = self.values[key]
            return TOTAL if mapped is None else mapped
        if key in self.totals or (not self.subtotals and is_total(key)):
            return TOTAL
        for ending in self.strip:
            if key.endswith(ending) and len(key) > len(ending):
                return key.removesuffix(ending).strip()
        return key


@dataclass(frozen=True)
class TableMapping:
    """Where one table's columns go. Built from the YAML by :func:`load_mappings`."""

    source: str
    table: str
    name: str
    area_columns: tuple[str, ...]
    period_columns: tuple[str, ...]
    measures: Mapping[str, MeasureSpec | None]  # normalised label → measure; None = skipped on purpose
    dimensions: Mapping[str, DimensionSpec]  # normalised column label → spec
    dims: Mapping[str, str] = field(default_factory=dict)  # defaults every observation gets
    derived: tuple[DerivedSpec, ...] = ()

    def measure_for(self, label: str) -> tuple[bool, MeasureSpec | None]:
        """(known, spec) for a column: known measures match exactly or as the label's last part.

        jobindsats writes a measure as "Gruppe: Måling" in CSV answers and as "Måling" elsewhere.
        """
        key = norm(label)
        candidates = [key, key.rsplit(": ", 1)[-1]]
        for candidate in candidates:
            if candidate in self.measures:
                return True, self.measures[candidate]
        return False, None


@dataclass(frozen=True)
class _Shared:
    """What a mapping file says for all its tables; a user's file inherits the packaged file's."""

    area_columns: tuple[str, ...]
    period_columns: tuple[str, ...]
    value_columns: tuple[str, ...]
    dimensions: Mapping[str, DimensionSpec]
    layouts: Mapping[str, Mapping[str, MeasureSpec | None]]


def load_mappings(source: str, path: str | Path | None = None) -> dict[str, TableMapping]:
    """The packaged mapping of a source (``jobindsats`` or ``statbank``), plus a user's file if given.

    A user's file has the same form; its tables replace or add to the packaged ones, and it may use the
    packaged file's column names, dimensions and layouts.
    """
    mappings, shared = _parse_mappings(source, yamlfile.shipped(f"{source}.yaml"), None)
    if path is not None:
        mappings.update(_parse_mappings(source, yamlfile.load(path), shared)[0])
    return mappings


def mapping_for(source: str, table: str, mapping_file: str | Path | None = None) -> TableMapping:
    """The mapping of one table of a source, from the packaged file and a user's (``--mapping``); an
    unknown table is an error that names the known ones."""
    mappings = load_mappings(source, mapping_file)
    mapping = mappings.get(table.strip().upper())
    if mapping is None:
        raise MaaltalError(f"Tabellen '{table}' er ikke kortlagt for {SOURCE_NAMES.get(source, source)}. Kendte "
                           f"tabeller: {', '.join(sorted(mappings))}. Tilføj den i en kortlægningsfil (--mapping).")
    return mapping


def _parse_mappings(source: str, doc: yamlfile.YamlDocument, inherited: _Shared | None
                    ) -> tuple[dict[str, TableMapping], _Shared]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise doc.error(("tables",), "kortlægningen skal have en nøgle 'tables' med en tabel pr. id")
    for key in ("dimensions", "layouts"):
        if not isinstance(data.get(key) or {}, dict):
            raise doc.error((key,), f"'{key}' skal være navn: beskrivelse")
    layouts = dict(inherited.layouts) if inherited else {}
    for name, layout in (data.get("layouts") or {}).items():
        measures = layout.get("measures") if isinstance(layout, dict) else None
        if not isinstance(measures, dict):
            raise doc.error(("layouts", name), "et layout skal have 'measures'")
        layouts[name] = {norm(k): _measure(doc, ("layouts", name, "measures", k), v) for k, v in measures.items()}
    shared = _Shared(
        _names(doc, data, "area_columns", inherited.area_columns if inherited else None),
        _names(doc, data, "period_columns", inherited.period_columns if inherited else None),
        _names(doc, data, "value_columns", inherited.value_columns if inherited else ()),
        {**(inherited.dimensions if inherited else {}),
         **{norm(k): _dimension(doc, ("dimensions", k), v) for k, v in (data.get("dimensions") or {}).items()}},
        layouts,
    )
    return {str(table_id).upper(): _table(source, doc, str(table_id), spec, shared)
            for table_id, spec in data["tables"].items()}, shared


def _table(source: str, doc: yamlfile.YamlDocument, table_id: str, spec: Any, shared: _Shared) -> TableMapping:
    where = ("tables", table_id)
    if not isinstance(spec, dict):
        raise doc.error(where, "en tabel skal beskrives med nøgler (measures, measure, layout, dims, dimensions)")
    measures: dict[str, MeasureSpec | None] = {}
    if "layout" in spec:
        if spec["layout"] not in shared.layouts:
            raise doc.error(where + ("layout",), f"ukendt layout '{spec['layout']}'")
        measures.update(shared.layouts[spec["layout"]])
    if not isinstance(spec.get("measures") or {}, dict):
        raise doc.error(where + ("measures",), "'measures' skal være kolonne: {series, unit}")
    measures.update({norm(k): _measure(doc, where + ("measures", k), v)
                     for k, v in (spec.get("measures") or {}).items()})
    if "measure" in spec:
        one = _measure(doc, where + ("measure",), spec["measure"])
        measures.update({column: one for column in shared.value_columns})
    if not any(measures.values()):
        raise doc.error(where, "tabellen skal have mindst én måling (measures, measure eller layout)")
    if not isinstance(spec.get("dimensions") or {}, dict):
        raise doc.error(where + ("dimensions",), "'dimensions' skal være kolonne: beskrivelse")
    own = {norm(k): _dimension(doc, where + ("dimensions", k), v) for k, v in (spec.get("dimensions") or {}).items()}
    dims = spec.get("dims") or {}
    if not isinstance(dims, dict):
        raise doc.error(where + ("dims",), "'dims' skal være dimension: værdi")
    derived = _derived(doc, where + ("derived",), spec.get("derived"))
    for item in derived:
        for label in (item.count, item.rate):
            measures.setdefault(label, None)  # the columns a series is derived from are known columns
    return TableMapping(source, table_id.upper(), str(spec.get("name") or table_id), shared.area_columns,
                        shared.period_columns, measures, {**shared.dimensions, **own},
                        {str(k): str(v) for k, v in dims.items()}, derived)


def _derived(doc: yamlfile.YamlDocument, where: tuple, spec: Any) -> tuple[DerivedSpec, ...]:
    """``derived: [{series, unit, count, rate, dims}]``: series made of a count and its rate in per cent."""
    if spec is None:
        return ()
    if not isinstance(spec, list):
        raise doc.error(where, "'derived' skal være en liste af {series, unit, count, rate}")
    result = []
    for i, item in enumerate(spec):
        here = where + (i,)
        if not isinstance(item, dict) or not all(item.get(k) for k in ("series", "unit", "count", "rate")):
            raise doc.error(here, "en afledt serie skal have 'series', 'unit', 'count' og 'rate'")
        if kinds.kind_of(str(item["unit"])) is None:
            raise doc.error(here + ("unit",), kinds.unknown_unit(str(item["unit"])))
        if not isinstance(item.get("dims") or {}, dict):
            raise doc.error(here + ("dims",), "'dims' skal være dimension: værdi")
        result.append(DerivedSpec(str(item["series"]), str(item["unit"]), norm(item["count"]), norm(item["rate"]),
                                  str(item["count"]), str(item["rate"]),
                                  {str(k): str(v) for k, v in (item.get("dims") or {}).items()}))
    return tuple(result)


def _names(doc: yamlfile.YamlDocument, data: dict, key: str, default: tuple[str, ...] | None) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        if default is None:
            raise doc.error((key,), f"'{key}' mangler (en liste af kolonnenavne)")
        return tuple(default)
    if not isinstance(value, list) or not value:
        raise doc.error((key,), f"'{key}' skal være en liste af kolonnenavne")
    return tuple(norm(v) for v in value)


def _measure(doc: yamlfile.YamlDocument, where: tuple, spec: Any) -> MeasureSpec | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or not spec.get("series") or not spec.get("unit"):
        raise doc.error(where, "en måling skal have 'series' og 'unit' (eller være tom for at springe over)")
    if kinds.kind_of(str(spec["unit"])) is None:
        raise doc.error(where + ("unit",), kinds.unknown_unit(str(spec["unit"])))
    return MeasureSpec(str(spec["series"]), str(spec["unit"]))


def _dimension(doc: yamlfile.YamlDocument, where: tuple, spec: Any) -> DimensionSpec:
    if not isinstance(spec, dict) or not spec.get("name"):
        raise doc.error(where, "en dimension skal have et 'name'")
    for key in ("values", "series"):
        if not isinstance(spec.get(key) or {}, dict):
            raise doc.error(where + (key,), f"'{key}' skal være etiket: værdi")
    for key in ("totals", "strip", "ranges"):
        if not isinstance(spec.get(key) or [], list):
            raise doc.error(where + (key,), f"'{key}' skal være en liste, fx [I alt, Total], [år, years] eller [16-66]")
    ranges = []
    for label in spec.get("ranges") or ():
        interval = age_interval(str(label))
        if interval is None or interval[1] == OPEN_END:
            raise doc.error(where + ("ranges",), f"'{label}' er ikke et aldersinterval som 16-66")
        ranges.append(AgeRange(str(label), *interval))
    for key, default in (("keep", True), ("subtotals", False)):
        if not isinstance(spec.get(key, default), bool):
            raise doc.error(where + (key,), f"'{key}' skal være true eller false")
    return DimensionSpec(
        name=str(spec["name"]),
        values={norm(k): (None if v is None else str(v)) for k, v in (spec.get("values") or {}).items()},
        totals=frozenset(norm(t) for t in spec.get("totals") or ()),
        total=None if spec.get("total") is None else str(spec["total"]),
        series={norm(k): str(v) for k, v in (spec.get("series") or {}).items()},
        strip=tuple(" " + norm(e) for e in spec.get("strip") or ()),
        ranges=tuple(ranges),
        keep=spec.get("keep", True),
        subtotals=spec.get("subtotals", False),
    )
