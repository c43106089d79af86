"""Areas: the 98 municipalities, the 5 regions, the RAR areas, the nation and benchmark groups.

An area is named by an id everywhere in maaltal: a municipality by its 3-digit code (``167``), a region by
its 4-digit code (``1084``), the nation by ``000``, an RAR area by ``rar:<name>`` and a benchmark group by
``group:<name>``. :meth:`AreaRegistry.get` also takes the names the official sources use ("Hvidovre",
"Region Hovedstaden", "Hele landet", "All Denmark", "RAR Vestjylland", StatBank's ``084``), so importers
and users can say what they see.
"""

from __future__ import annotations

import csv
import difflib
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import resources
from pathlib import Path

from maaltal import yamlfile
from maaltal.errors import InputError, UnknownAreaError
from maaltal.fields import Fields
from maaltal.yamlfile import PathKey

ALL_ID = "alle"  # the built-in group of all 98 municipalities: ``--benchmark alle`` ranks among them
NATION_ID = "000"

REGIONS: dict[str, str] = {
    "1081": "Region Nordjylland",
    "1082": "Region Midtjylland",
    "1083": "Region Syddanmark",
    "1084": "Region Hovedstaden",
    "1085": "Region Sjælland",
}


class AreaKind(StrEnum):
    NATION = "nation"
    REGION = "region"
    RAR = "rar"
    MUNICIPALITY = "municipality"
    GROUP = "group"


@dataclass(frozen=True)
class Area:
    """One area. Aggregates (nation, region, RAR area, group) list their member municipalities."""

    id: str
    kind: AreaKind
    name: str
    region: str | None = None
    rar: str | None = None
    members: tuple[str, ...] = ()
    source: str | None = None

    @property
    def is_aggregate(self) -> bool:
        return self.kind is not AreaKind.MUNICIPALITY

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind.value, "name": self.name, "region": self.region, "rar": self.rar,
                "members": list(self.members), "source": self.source}


def slug(text: str) -> str:
    """Lower-case ASCII id part: "Østjylland" → "oestjylland", "Vest- og Sydsjælland" → "vest-og-sydsjaelland"."""
    text = text.strip().lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def _key(text: str) -> str:
    return " ".join(str(text).strip().casefold().split())


class AreaRegistry:
    """All known areas and the names they go by. Build it with :meth:`default`."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self._areas: dict[str, Area] = {}
        self._aliases: dict[str, str] = {}
        for area in areas:
            self._add(area)

    def _add(self, area: Area, aliases: Iterable[str] = ()) -> None:
        self._areas[area.id] = area
        for alias in (area.id, area.name, *aliases):
            self._aliases[_key(alias)] = area.id

    # Construction -------------------------------------------------------------------------------

    @classmethod
    def default(cls, groups_file: str | Path | None = None) -> AreaRegistry:
        """The shipped master data and benchmark groups, plus a user's groups file if given.

        Without ``groups_file`` the environment variable ``MAALTAL_GROUPS`` is used when set.
        """
        registry = cls(())
        rows = list(_read_municipalities())
        municipalities = [m for m, _ in rows]
        for code, name in REGIONS.items():
            members = tuple(m.id for m in municipalities if m.region == code)
            region = Area(code, AreaKind.REGION, name, members=members)
            registry._add(region, aliases=(code[1:], name.removeprefix("Region ")))
        for rar_name in sorted({m.rar for m in municipalities if m.rar}):
            members = tuple(m.id for m in municipalities if m.rar == rar_name)
            area = Area(f"rar:{slug(rar_name)}", AreaKind.RAR, f"RAR {rar_name}", members=members)
            registry._add(area, aliases=(f"rar {rar_name}",))
        nation = Area(NATION_ID, AreaKind.NATION, "Hele landet", members=tuple(m.id for m in municipalities))
        registry._add(nation, aliases=("0", "hele landet", "landet", "all denmark", "danmark", "landsplan"))
        every = Area(ALL_ID, AreaKind.GROUP, "Alle kommuner", members=nation.members,
                     source="Alle 98 kommuner: placering blandt hele landets kommuner")
        registry._add(every, aliases=("alle kommuner", "group:alle"))
        for municipality, aliases in rows:
            rar_id = f"rar:{slug(municipality.rar)}" if municipality.rar else None
            registry._add(replace(municipality, rar=rar_id), aliases=(*aliases, f"{municipality.name} kommune"))
        registry.load_groups(resources.files("maaltal.data").joinpath("groups.yaml"))
        user_file = groups_file or os.environ.get("MAALTAL_GROUPS")
        if user_file:
            registry.load_groups(Path(user_file))
        return registry

    def load_groups(self, path: Path | resources.abc.Traversable) -> None:
        """Add (or replace) the benchmark groups in a YAML file; members must be known municipalities."""
        fields = Fields(yamlfile.loads(path.read_text(encoding="utf-8"), str(path)))
        groups = fields.mapping(("groups",), "filen skal have en nøgle 'groups' med en gruppe pr. navn")
        for name in groups or {}:
            where = ("groups", name)
            members = fields.items(where + ("members",), "en gruppe skal have en ikke-tom liste 'members'")
            ids = [self._member(fields, where + ("members", i), str(member)) for i, member in enumerate(members)]
            if members and None not in ids:
                self._add(Area(f"group:{slug(str(name))}", AreaKind.GROUP, fields.text(where + ("name",),
                               required=False) or str(name), members=tuple(ids),
                               source=fields.text(where + ("source",), required=False)))
        fields.check(alone=True)

    def _member(self, fields: Fields, path: PathKey, ref: str) -> str | None:
        """The id of a group's member, which must be a known municipality."""
        try:
            area = self.get(ref)
        except UnknownAreaError as exc:
            fields.fail(path, str(exc))
            return None
        if area.kind is not AreaKind.MUNICIPALITY:
            fields.fail(path, f"'{ref}' er ikke en kommune")
            return None
        return area.id

    # Look-up ------------------------------------------------------------------------------------

    def get(self, ref: str) -> Area:
        """The area an id or a name refers to; an unknown one gives the closest names as a hint."""
        area_id = self._aliases.get(_key(ref))
        if area_id is None and _key(ref).startswith(("rar:", "group:")):
            area_id = self._aliases.get(_key(ref).replace(" ", "-"))
        if area_id is None:
            raise UnknownAreaError(self._unknown_message(ref))
        return self._areas[area_id]

    def _unknown_message(self, ref: str) -> str:
        close = difflib.get_close_matches(_key(ref), list(self._aliases), n=3, cutoff=0.75)
        hint = ""
        if close:
            names = sorted({f"{self._areas[self._aliases[c]].name} ({self._aliases[c]})" for c in close})
            hint = f"; mente du {' eller '.join(names)}?"
        return f"Ukendt område '{ref}'{hint}"

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and _key(ref) in self._aliases

    def __iter__(self) -> Iterator[Area]:
        return iter(self._areas.values())

    def of_kind(self, kind: AreaKind | str) -> list[Area]:
        kind = AreaKind(kind)
        return [a for a in self._areas.values() if a.kind is kind]

    def municipalities(self) -> list[Area]:
        return self.of_kind(AreaKind.MUNICIPALITY)

    def region_of(self, ref: str) -> Area:
        area = self.get(ref)
        if area.region is None:
            raise UnknownAreaError(f"{area.name} ligger ikke i én region")
        return self._areas[area.region]

    def rar_of(self, ref: str) -> Area | None:
        area = self.get(ref)
        return self._areas[area.rar] if area.rar else None

    def benchmarks(self, ref: str, extra: Iterable[str] = ()) -> list[str]:
        """The areas ``ref`` is compared with, as ids: the one answer for the overview, the report and the
        dashboard. A municipality gets its region, its RAR area where that is a real part of the region, and
        the nation; any other area the nation; then any ``extra`` areas, each once.

        RAR Hovedstaden, Sjælland and Nordjylland are their region (give or take Bornholm), so showing them
        would only repeat the region's figures; RAR Vestjylland beside Region Midtjylland says something.
        """
        area = self.get(ref)
        if area.kind is not AreaKind.MUNICIPALITY:
            chosen = [self._areas[NATION_ID]] if area.id != NATION_ID else []
        else:
            region, rar = self.region_of(area.id), self.rar_of(area.id)
            distinct_rar = [rar] if rar is not None and len(rar.members) < len(region.members) - 1 else []
            chosen = [region, *distinct_rar, self._areas[NATION_ID]]
        chosen += [self.get(e) for e in extra]
        return list(dict.fromkeys(a.id for a in chosen))

    def members(self, ref: str) -> tuple[str, ...]:
        """The municipalities an area consists of (a municipality consists of itself)."""
        area = self.get(ref)
        return area.members if area.is_aggregate else (area.id,)


# The spellings the sources use beside the official names.
_EXTRA_ALIASES = {"820": ("Vesthimmerland",), "101": ("Kobenhavn", "Københavns Kommune")}


def _read_municipalities() -> Iterator[tuple[Area, list[str]]]:
    """The packaged municipalities with their other spellings; ``rar`` holds the RAR name here."""
    text = resources.files("maaltal.data").joinpath("municipalities.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        if row["region"] not in REGIONS:
            raise InputError(f"ukendt regionskode {row['region']}", file="municipalities.csv",
                             column="region")
        aliases = [row["name_en"]] if row["name_en"] else []
        aliases += _EXTRA_ALIASES.get(row["code"], ())
        yield Area(row["code"], AreaKind.MUNICIPALITY, row["name"], row["region"], row["rar"] or None), aliases
