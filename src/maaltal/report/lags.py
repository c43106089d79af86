"""Notes on data that lag or are missing, so the committee knows which figures could not be updated.

Herning (item 19) had to tell its committee that the KY figures were missing on jobindsats; the report
says it by itself: for every series it uses, the newest period with data for the municipality.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from maaltal import formatting as fmt
from maaltal.measures import Indicator, KeyFigures
from maaltal.periods import Period
from maaltal.report.model import Bullet, BulletList, Paragraph, Section


@dataclass(frozen=True)
class Lag:
    label: str
    latest: Period | None
    periods_behind: int | None


def compute(kf: KeyFigures, items: Iterable[tuple[str, Indicator]], area: str, period: Period) -> list[Lag]:
    """The labelled indicators whose newest value for the area is older than ``period`` (or absent)."""
    lags = []
    for label, indicator in items:
        latest = kf.latest_period(indicator, area, period)
        if latest is None:
            lags.append(Lag(label, None, None))
        elif latest != period:
            lags.append(Lag(label, latest, period.steps_since(latest)))
    return lags


def section(lags: list[Lag], period: Period) -> Section:
    if not lags:
        return Section("data", "Data og opdatering",
                       (Paragraph(f"Alle nøgletal i rapporten er opdateret til og med {fmt.period(period)}."),))
    bullets = []
    for lag in lags:
        if lag.latest is None:
            bullets.append(Bullet(f"{lag.label}: der er ingen tal for perioden.", bold=True))
        else:
            bullets.append(Bullet(f"{lag.label}: seneste tal er fra {fmt.period(lag.latest)} "
                                  f"({lag.periods_behind} {'periode' if lag.periods_behind == 1 else 'perioder'} "
                                  f"før {fmt.period(period)})."))
    return Section("data", "Data og opdatering",
                   (Paragraph("Disse tal kunne ikke opdateres til rapportens periode:", "warning"),
                    BulletList(tuple(bullets))))
