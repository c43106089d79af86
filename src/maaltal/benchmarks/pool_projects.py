"""Pool projects (puljeprojekter): target-group funnel, success criterion and funding schedule.

A national pool funds a municipal project and releases (part of) the money only when a success criterion
is met: a share of the effort group in job, education or paid hours in some month at or above a threshold
(Hvidovre item 11: 20 pct. of 316, reached with 22 pct. in March 2022; Herning item 20: 25 pct. of the
grant depends on 80 pct. of the target group; Gladsaxe item 11: 29 of 74 = 39 pct. against 60 pct.).

The funnel must add up (gross group = effort group + the excluded), and so must the funding schedule
(the years' amounts = the grant); a file where they do not is refused with the size of the gap.

Input: a YAML file::

    name: Flere skal med 2
    municipality: Hvidovre
    target_group:
      gross: 662
      effort: 316
      excluded:
        - {label: Vurderet på vej til rehabiliteringsteam, count: 297}
    success:
      description: Mindst 20 pct. af indsatsgruppen i job, uddannelse eller lønnede timer i en måned
      threshold: 20          # per cent
      base: effort           # effort (default when given) or gross
      measurements:
        - {period: 2022M03, share: 22}            # the share as published (STAR's monitoring: "22 pct.")
        - {period: 2022M05, reached: 75}          # or the count; "of" overrides the base: {…, of: 74}

A measurement is either the count reached (the share is computed from it) or the share as published, when
the monitoring report gives only that (Hvidovre item 11's "22 pct."): it is shown as published, with the
decimals it was written with, and never turned into a made-up count.
    funding:
      granted: 714145        # kr.
      conditional_share: 25  # per cent of the grant the criterion releases (default: all of it)
      schedule: {2021: 475058, 2022: 239087}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.benchmarks.disclosure import is_small
from maaltal.fields import Fields
from maaltal.periods import Period

RELATIVE_TOLERANCE = 1e-9  # floating-point noise only: the schedule must add up to the grant
MET, NOT_MET, NOT_ASSESSABLE = "met", "not_met", "not_assessable"


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    share_of_gross: float

    @property
    def small(self) -> bool:
        """Too few persons to show; the gross group still counts them."""
        return is_small(self.count)


@dataclass(frozen=True)
class Funnel:
    gross: int
    effort: int | None
    excluded: tuple[Stage, ...]

    @property
    def effort_share(self) -> float | None:
        return None if self.effort is None else self.effort / self.gross * 100


@dataclass(frozen=True)
class Measurement:
    """A count ``reached`` of ``of``, or a ``published`` share (with the ``decimals`` it was published with)."""

    period: Period
    reached: int | None
    of: int | None
    published: float | None = None
    decimals: int = 1

    @property
    def share(self) -> float:
        if self.published is not None:
            return self.published
        return self.reached / self.of * 100


@dataclass(frozen=True)
class Criterion:
    description: str
    threshold: float
    measurements: tuple[Measurement, ...]

    @property
    def first_met(self) -> Measurement | None:
        """The earliest measurement at or above the threshold."""
        met = [m for m in self.measurements if m.share >= self.threshold]
        return min(met, key=lambda m: m.period.end) if met else None

    @property
    def latest(self) -> Measurement | None:
        return max(self.measurements, key=lambda m: m.period.end) if self.measurements else None

    @property
    def status(self) -> str:
        if self.first_met is not None:
            return MET
        return NOT_MET if self.measurements else NOT_ASSESSABLE


@dataclass(frozen=True)
class Funding:
    granted: float
    applied: float | None
    conditional_share: float
    schedule: tuple[tuple[int, float], ...]

    @property
    def conditional(self) -> float:
        return self.granted * self.conditional_share / 100


@dataclass(frozen=True)
class PoolProject:
    name: str
    municipality: str
    pool: str | None
    source: str
    funnel: Funnel | None
    criterion: Criterion | None
    funding: Funding | None

    @property
    def released(self) -> float | None:
        """What the pool pays as things stand: the unconditional part, plus the conditional part once met."""
        if self.funding is None or self.criterion is None:
            return None
        unconditional = self.funding.granted - self.funding.conditional
        return unconditional + (self.funding.conditional if self.criterion.status == MET else 0.0)

    def to_dict(self) -> dict:
        f, c, m = self.funnel, self.criterion, self.funding
        return {
            "name": self.name, "municipality": self.municipality, "pool": self.pool, "source": self.source,
            "funnel": None if f is None else {
                "gross": f.gross, "effort": f.effort, "effort_share": f.effort_share,
                "excluded": [{"label": s.label, "suppressed": s.small,
                              "count": None if s.small else s.count,
                              "share_of_gross": None if s.small else s.share_of_gross} for s in f.excluded]},
            "success": None if c is None else {
                "description": c.description, "threshold": c.threshold, "status": c.status,
                "first_met": str(c.first_met.period) if c.first_met else None,
                "measurements": [{"period": str(x.period), "reached": x.reached, "of": x.of, "share": x.share,
                                  "published": x.published is not None} for x in c.measurements]},
            "funding": None if m is None else {
                "granted": m.granted, "applied": m.applied, "conditional_share": m.conditional_share,
                "conditional": m.conditional, "schedule": {str(y): a for y, a in m.schedule},
                "released": self.released},
        }


def load(path: str | Path) -> PoolProject:
    r = Fields(yamlfile.load(path))
    if r.mapping((), "filen skal have felterne name, municipality og mindst ét af target_group, success, "
                     "funding") is None:
        r.check()
    r.unknown((), ("name", "municipality", "pool", "source", "target_group", "success", "funding"))
    name, municipality = r.text(("name",)), r.text(("municipality",))
    pool, source = r.text(("pool",), required=False), r.text(("source",), required=False)
    funnel = _funnel(r) if r.has(("target_group",)) else None
    criterion = _criterion(r, funnel) if r.has(("success",)) else None
    funding = _funding(r) if r.has(("funding",)) else None
    r.check()
    return PoolProject(name, municipality, pool, source or str(path), funnel, criterion, funding)


def _funnel(r: Fields) -> Funnel | None:
    base = ("target_group",)
    gross = r.number(base + ("gross",), integer=True, minimum=1)
    effort = r.number(base + ("effort",), required=False, integer=True, minimum=0)
    raw = r.items(base + ("excluded",), "skal være en liste af {label, count}", required=False)
    stages = []
    for i, _ in enumerate(raw):
        label = r.text(base + ("excluded", i, "label"))
        count = r.number(base + ("excluded", i, "count"), integer=True, minimum=0)
        if label is not None and count is not None:
            stages.append((label, int(count)))
    if gross is None or len(stages) != len(raw):
        return None
    if effort is not None and effort > gross:
        r.fail(base + ("effort",), f"indsatsgruppen ({effort}) er større end bruttomålgruppen ({gross})")
        return None
    if stages and effort is None:
        r.fail(base + ("effort",), "indsatsgruppen (effort) mangler; den skal med, når der er udelukkede")
        return None
    if stages:
        accounted = effort + sum(c for _, c in stages)
        if accounted != gross:
            gap = gross - accounted
            r.fail(base + ("gross",), (
                f"målgruppen går ikke op: indsatsgruppen og de udelukkede er {fmt.number(accounted)}, "
                f"bruttomålgruppen {fmt.number(gross)}; der {'mangler' if gap > 0 else 'er'} "
                f"{fmt.number(abs(gap))} {'personer' if gap > 0 else 'for mange'}"))
            return None
    return Funnel(int(gross), int(effort) if effort is not None else None,
                  tuple(Stage(label, c, c / gross * 100) for label, c in stages))


def _criterion(r: Fields, funnel: Funnel | None) -> Criterion | None:
    base = ("success",)
    description = r.text(base + ("description",))
    threshold = r.number(base + ("threshold",), minimum=0)
    if threshold is not None and threshold > 100:
        r.fail(base + ("threshold",), "tærsklen er en procent og kan ikke være over 100")
    basis = r.get(base + ("base",)) or ("effort" if funnel and funnel.effort is not None else "gross")
    if basis not in ("effort", "gross"):
        r.fail(base + ("base",), "skal være effort (indsatsgruppen) eller gross (bruttomålgruppen)")
    default_of = None
    if funnel is not None:
        default_of = funnel.effort if basis == "effort" else funnel.gross
    raw = r.items(base + ("measurements",), "skal være en liste af {period, reached, of}", required=False)
    measurements = []
    for i, _ in enumerate(raw):
        path = base + ("measurements", i)
        period = r.period(path + ("period",))
        r.unknown(path, ("period", "reached", "of", "share"))
        if r.has(path + ("share",)):
            measurement = _published(r, path, period, default_of)
            if measurement is not None:
                measurements.append(measurement)
            continue
        reached = r.number(path + ("reached",), integer=True, minimum=0)
        of = r.number(path + ("of",), required=False, integer=True, minimum=1) or default_of
        if of is None:
            r.fail(path + ("of",), "angiv 'of' (hvor mange andelen regnes af), når målgruppen ikke er givet")
        elif reached is not None and reached > of:
            r.fail(path + ("reached",), f"{int(reached)} er flere end de {int(of)}, andelen regnes af")
        elif period is not None and reached is not None:
            measurements.append(Measurement(period, int(reached), int(of)))
    if description is None or threshold is None:
        return None
    return Criterion(description, threshold, tuple(measurements))


def _published(r: Fields, path, period: Period | None, default_of: int | None) -> Measurement | None:
    """A share as the monitoring published it; with a count too it would say the same thing twice."""
    if r.has(path + ("reached",)):
        r.fail(path + ("share",), "angiv enten reached (antal) eller share (offentliggjort andel), ikke begge")
        return None
    share = r.number(path + ("share",), minimum=0)
    if share is not None and share > 100:
        r.fail(path + ("share",), "andelen er en procent og kan ikke være over 100")
        return None
    of = r.number(path + ("of",), required=False, integer=True, minimum=1) or default_of
    if period is None or share is None:
        return None
    written = repr(float(share)).split(".")[1].rstrip("0")
    decimals = 0 if isinstance(r.get(path + ("share",)), int) else len(written)
    return Measurement(period, None, int(of) if of is not None else None, float(share), decimals)


def _funding(r: Fields) -> Funding | None:
    base = ("funding",)
    granted = r.number(base + ("granted",), minimum=0)
    applied = r.number(base + ("applied",), required=False, minimum=0)
    share = r.number(base + ("conditional_share",), required=False, minimum=0)
    if share is not None and share > 100:
        r.fail(base + ("conditional_share",), "andelen er en procent og kan ikke være over 100")
    raw = r.mapping(base + ("schedule",), "skal være år: beløb, fx {2021: 475058, 2022: 239087}",
                    required=False) or {}
    schedule = []
    for year in raw:
        path = base + ("schedule", year)
        if not isinstance(year, int) or not 1970 <= year <= 2100:
            r.fail(path, f"'{year}' er ikke et år")
            continue
        value = r.number(path, minimum=0)
        if value is not None:
            schedule.append((year, float(value)))
    if granted is None or len(schedule) != len(raw):
        return None
    if schedule:
        total = sum(a for _, a in schedule)
        gap = granted - total
        if abs(gap) > RELATIVE_TOLERANCE * max(1.0, abs(granted)):
            r.fail(base + ("schedule",), (
                f"finansieringen går ikke op: årene giver {fmt.kr(total)}, tilsagnet er {fmt.kr(granted)}; "
                f"der {'mangler' if gap > 0 else 'er'} {fmt.kr(abs(gap))}{'' if gap > 0 else ' for meget'}"))
            return None
    return Funding(float(granted), applied, 100.0 if share is None else share, tuple(sorted(schedule)))
