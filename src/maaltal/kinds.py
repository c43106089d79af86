"""What a series measures, and what follows from it: the one place that decides how a figure may be
summed, hidden, carried over time, shown and talked about.

Every series has a unit (``fuldtidspersoner``, ``pct.``, ``placering`` …) and every accepted unit belongs
to one :class:`Kind`. The key-figure engine, discretion, formatting and the Danish sentences all ask the
kind instead of looking at the unit themselves, so that a rate is never summed into a region, a rank is
never hidden as a small count, and a change in percentage points is never worded as a change in per cent.

The rules per kind (see :data:`RULES`):

- *additive*: whether a region, the nation or a group is the sum of its members. Only counts and amounts
  are; a rate, rank, index or ratio of an aggregate must be published as such (or computed from stored
  numerators and denominators).
- *suppressible*: whether a small value identifies persons and must be hidden (counts of persons, and
  what is counted per person). A rate, rank, amount or index published as such is never hidden.
- *over time*: how a quarter or a year is made of months. Flows (new cases, amounts) are summed, stocks
  (full-time persons, rates, indices) are averaged over the months, and what cannot be derived from
  months (distinct persons in a period, ranks, average durations) is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from maaltal.errors import MaaltalError


class Kind(StrEnum):
    """What a series measures."""

    PERSONS = "persons"            # a count of persons: personer
    FULLTIME = "fulltime"          # full-time persons: fuldtidspersoner
    CASES = "cases"                # a count of cases, spells, decisions: sager, forløb
    AMOUNT = "amount"              # money: kr., mio. kr.
    SHARE = "share"                # a share or rate in per cent: pct.
    POINTS = "points"              # a difference of shares: procentpoint
    RANK = "rank"                  # a place in a ranking, 1 = best: placering
    INDEX = "index"                # an index: indeks
    RATIO = "ratio"                # a ratio: sager pr. årsværk
    DURATION = "duration"          # an average duration: uger


class OverTime(StrEnum):
    """How a longer period is made of a series' shorter ones (a quarter of months)."""

    SUM = "sum"            # a flow: the quarter is the sum of its months
    MEAN = "mean"          # a stock or a rate: the quarter is the average of its months
    REFUSED = "refused"    # cannot be derived from the months at all


@dataclass(frozen=True)
class Rules:
    """What follows from a kind. ``over_time_reason`` says why a refused aggregation over time is refused."""

    additive: bool
    suppressible: bool
    over_time: OverTime
    decimals: int
    over_time_reason: str = ""


RULES: dict[Kind, Rules] = {
    Kind.PERSONS: Rules(True, True, OverTime.REFUSED, 0,
                        "antal personer i en periode kan ikke udledes af månedstal, fordi den samme person "
                        "tælles i flere måneder"),
    Kind.FULLTIME: Rules(True, True, OverTime.MEAN, 0),
    Kind.CASES: Rules(True, True, OverTime.SUM, 0),
    Kind.AMOUNT: Rules(True, False, OverTime.SUM, 0),
    Kind.SHARE: Rules(False, False, OverTime.MEAN, 1),
    Kind.POINTS: Rules(False, False, OverTime.MEAN, 1),
    Kind.RANK: Rules(False, False, OverTime.REFUSED, 0,
                     "en placering for en længere periode kan ikke udledes af placeringerne i dens delperioder"),
    Kind.INDEX: Rules(False, False, OverTime.MEAN, 1),
    Kind.RATIO: Rules(False, False, OverTime.MEAN, 1),
    Kind.DURATION: Rules(False, False, OverTime.REFUSED, 1,
                         "en gennemsnitlig varighed for en længere periode kan ikke udledes af delperiodernes "
                         "gennemsnit uden antallet af forløb bag hvert"),
}

# Accepted units (compared in lower case, single-spaced; stored as written) and their kind.
UNITS: dict[str, Kind] = {
    "personer": Kind.PERSONS,
    "person": Kind.PERSONS,
    "unge": Kind.PERSONS,
    "borgere": Kind.PERSONS,
    "fuldtidspersoner": Kind.FULLTIME,
    "fuldtidsperson": Kind.FULLTIME,
    "helårspersoner": Kind.FULLTIME,
    "sager": Kind.CASES,
    "forløb": Kind.CASES,
    "afgørelser": Kind.CASES,
    "kr.": Kind.AMOUNT,
    "kr": Kind.AMOUNT,
    "mio. kr.": Kind.AMOUNT,
    "mio.kr.": Kind.AMOUNT,
    "1.000 kr.": Kind.AMOUNT,
    "pct.": Kind.SHARE,
    "pct": Kind.SHARE,
    "procent": Kind.SHARE,
    "%": Kind.SHARE,
    "procentpoint": Kind.POINTS,
    "pct.-point": Kind.POINTS,
    "pct. point": Kind.POINTS,
    "placering": Kind.RANK,
    "rang": Kind.RANK,
    "indeks": Kind.INDEX,
    "forhold": Kind.RATIO,
    "sager pr. årsværk": Kind.RATIO,
    "sager pr. sagsbehandler": Kind.RATIO,
    "uger": Kind.DURATION,
    "dage": Kind.DURATION,
}

# How a unit is written when its figure is exactly one (``1 fuldtidsperson``).
SINGULAR = {
    "personer": "person", "fuldtidspersoner": "fuldtidsperson", "helårspersoner": "helårsperson",
    "sager": "sag", "unge": "ung", "borgere": "borger", "afgørelser": "afgørelse",
    "uger": "uge", "dage": "dag", "pladser": "plads",
}


def normalise(unit: str) -> str:
    """The unit as it is compared: lower case, single spaces."""
    return " ".join(unit.strip().lower().split())


def kind_of(unit: str | None) -> Kind | None:
    """The kind of ``unit``, or ``None`` when it is not an accepted unit."""
    return UNITS.get(normalise(unit)) if unit else None


def require(unit: str) -> Kind:
    """The kind of ``unit``; an unknown unit is an error that lists the accepted ones."""
    kind = kind_of(unit)
    if kind is None:
        raise MaaltalError(unknown_unit(unit))
    return kind


def unknown_unit(unit: str) -> str:
    """The Danish message for a unit that is not accepted, with the accepted units."""
    return f"enheden '{unit}' kendes ikke (tilladte enheder: {accepted_units()})"


def accepted_units() -> str:
    return ", ".join(UNITS)


def rules(kind: Kind | None) -> Rules:
    """The rules of ``kind``. A series of unknown kind (stored before units were checked) is treated as a
    count of persons for discretion (privacy first) but is never summed across areas or over time."""
    if kind is None:
        return Rules(False, True, OverTime.REFUSED, 0, "seriens enhed er ukendt, så den kan ikke lægges sammen")
    return RULES[kind]


def is_additive(kind: Kind | None) -> bool:
    return rules(kind).additive


def is_suppressible(kind: Kind | None) -> bool:
    return rules(kind).suppressible


def decimals(kind: Kind | None, unit: str = "") -> int:
    """Decimals a figure of this kind is shown with: one for shares, points, indices, ratios and millions
    of kroner; none for counts, ranks and kroner."""
    if kind is Kind.AMOUNT and normalise(unit).startswith("mio"):
        return 1
    return rules(kind).decimals


def is_count(kind: Kind | None) -> bool:
    """Counts and amounts: the kinds whose change is also told in per cent (from a positive base)."""
    return kind in (Kind.PERSONS, Kind.FULLTIME, Kind.CASES, Kind.AMOUNT)


def has_relative_change(kind: Kind | None) -> bool:
    """Whether a change in per cent is a figure at all: not of a rank or of a difference of shares."""
    return kind not in (Kind.RANK, Kind.POINTS)


# What a figure of each kind is called in a sentence ("en andel kan ikke lægges sammen …").
NOUNS = {
    Kind.SHARE: "en andel", Kind.POINTS: "en forskel i procentpoint", Kind.RANK: "en placering",
    Kind.INDEX: "et indeks", Kind.RATIO: "et forholdstal", Kind.DURATION: "en gennemsnitlig varighed",
}


def not_aggregated_reason(unit: str) -> str:
    """Why an aggregate (region, nation, group) has no figure of a non-additive series."""
    noun = NOUNS.get(kind_of(unit), f"et tal i enheden '{unit}'")
    return f"{noun} kan ikke lægges sammen af kommunernes tal, og områdets eget tal er ikke indlæst"
