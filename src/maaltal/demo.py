"""Synthetic demo data: plausible monthly key-figure series for all 98 municipalities, 2019–2024.

The data are made up. They follow the shapes the real series have (a seasonal pattern, the COVID-19
jump in spring 2020, the recovery, a slow rise from 2023) with levels that differ by municipality and
magnitudes proportional to each municipality's approximate size, so every feature of maaltal can be shown
without access to the official sources. Every output built on them says "syntetiske demodata".

The generator is deterministic: the same seed gives the same store, byte for byte in its figures.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from importlib import resources

from maaltal.periods import Freq, Period, PeriodRange
from maaltal.store import Observation, Snapshot, Store

SOURCE = "demo:syntetiske demodata"
DEFAULT_SEED = 2024
DEFAULT_RANGE = PeriodRange(Period(Freq.MONTH, 2019, 1), Period(Freq.MONTH, 2024, 12))

# Full-time persons per benefit group as a share of the population aged 16–66 (national level, 2019),
# and the share of them who are 18–29 years old.
BENEFIT_GROUPS: dict[str, tuple[float, float]] = {
    "a-dagpenge": (0.0210, 0.22),
    "kontanthjælp jobparat": (0.0045, 0.30),
    "kontanthjælp aktivitetsparat": (0.0110, 0.20),
    "uddannelseshjælp": (0.0075, 1.00),
    "sygedagpenge": (0.0160, 0.12),
    "jobafklaringsforløb": (0.0045, 0.10),
    "ressourceforløb": (0.0060, 0.18),
    "fleksjob": (0.0200, 0.04),
    "ledighedsydelse": (0.0035, 0.05),
    "førtidspension": (0.0480, 0.04),
}
TOTAL = "i alt"


def _populations() -> dict[str, int]:
    text = resources.files("maaltal.data").joinpath("demo_population.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: int(row["population_thousands"]) * 1000 for row in rows}


def _cycle(month: Period) -> float:
    """The business cycle as a factor on unemployment: COVID-19 in 2020, recovery, a slow rise from 2023."""
    t = month.year + (month.index - 1) / 12
    covid = 0.45 * math.exp(-((t - 2020.4) / 0.35) ** 2) + 0.15 * (2020.2 < t < 2021.5)
    trend = -0.10 * max(0.0, min(t, 2022.6) - 2021.2) + 0.08 * max(0.0, t - 2023.0)
    return 1.0 + covid + trend


def _season(month: Period) -> float:
    return 1.0 + 0.06 * math.cos((month.index - 1) / 12 * 2 * math.pi)


def generate(seed: int = DEFAULT_SEED, months: PeriodRange = DEFAULT_RANGE) -> Iterator[Observation]:
    """Every demo observation, municipality by municipality."""
    for code, population in sorted(_populations().items()):
        rng = random.Random(f"{seed}:{code}")
        yield from _municipality(code, population, rng, list(months))


def _municipality(code: str, population: int, rng: random.Random, months: list[Period]) -> Iterator[Observation]:
    level = rng.lognormvariate(0, 0.22)  # this municipality's overall level of public support
    unemployment_level = rng.uniform(0.022, 0.042)
    group_level = {g: level * rng.lognormvariate(0, 0.18) for g in BENEFIT_GROUPS}
    group_trend = {g: rng.uniform(-0.05, 0.03) for g in BENEFIT_GROUPS}
    growth = rng.uniform(-0.004, 0.008)
    for month in months:
        years = month.year - 2019 + (month.index - 1) / 12
        pop1666 = round(population * 0.635 * (1 + growth) ** years)
        pop1829 = round(population * 0.150 * (1 + growth) ** years)
        labour_force = round(pop1666 * rng.gauss(0.785, 0.002))
        gross = round(labour_force * unemployment_level * _cycle(month) * _season(month) * rng.gauss(1, 0.015))
        yield Observation("befolkning", code, month, pop1666, "personer", {"alder": "16-66"})
        yield Observation("befolkning", code, month, pop1829, "personer", {"alder": "18-29"})
        yield Observation("arbejdsstyrke", code, month, labour_force, "personer")
        yield Observation("bruttoledige", code, month, gross, "personer")
        total = total_young = total_persons = 0
        for group, (share, young_share) in BENEFIT_GROUPS.items():
            cyclical = _cycle(month) * _season(month) if group in ("a-dagpenge", "kontanthjælp jobparat") else 1
            ftp = round(pop1666 * share * group_level[group] * (1 + group_trend[group]) ** years * cyclical
                        * rng.gauss(1, 0.012))
            persons = round(ftp * rng.uniform(1.10, 1.25))
            young = round(ftp * young_share)
            total, total_young, total_persons = total + ftp, total_young + young, total_persons + persons
            yield Observation("fuldtidspersoner", code, month, ftp, "fuldtidspersoner", {"ydelse": group})
            yield Observation("personer", code, month, persons, "personer", {"ydelse": group})
        yield Observation("fuldtidspersoner", code, month, total, "fuldtidspersoner", {"ydelse": TOTAL})
        yield Observation("fuldtidspersoner", code, month, total_young, "fuldtidspersoner",
                          {"ydelse": TOTAL, "alder": "18-29"})
        yield Observation("personer", code, month, total_persons, "personer", {"ydelse": TOTAL})


def build(store: Store, seed: int = DEFAULT_SEED) -> Snapshot:
    """Write the demo data as one snapshot whose source marks it as synthetic."""
    return store.write_snapshot(generate(seed), source=SOURCE, note=f"seed {seed}")
