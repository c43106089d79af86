"""Notes on data that lag or are missing, so the committee knows which figures could not be updated.

Herning (item 19) had to tell its committee that the KY figures were missing on jobindsats; the report
says it by itself: for every series it uses, the newest period with data for the municipality.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from maaltal import formatting as fmt
from maaltal.document import Bullet, BulletList, Paragraph, Section
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Period
from maaltal.sources.status import SeriesAvailability


@dataclass(frozen=True)
class Lag:
    label: str
    latest: Period | None
    periods_behind: int | None


def compute(engine: KeyFigureEngine, items: Iterable[tuple[str, Indicator]], area: str, period: Period) -> list[Lag]:
    """The labelled indicators whose newest figure for the area is older than ``period`` (or absent); a
    figure hidden by discretion is there, so it is not stale."""
    lags = []
    for label, indicator in items:
        latest = engine.latest_period(indicator, area, period, hidden=True)
        if latest is None:
            lags.append(Lag(label, None, None))
        elif latest != period:
            lags.append(Lag(label, latest, period.steps_since(latest)))
    return lags


def section(lags: list[Lag], period: Period, sources: Iterable[SeriesAvailability] = ()) -> Section:
    """The lagging key figures, and the series in the store that lag behind the newest data of the others
    (whichever report uses them), with their source."""
    behind = _sources_block(sources)
    if not lags:
        return Section("data", "Data og opdatering",
                       (Paragraph(f"Alle nøgletal i rapporten er opdateret til og med {fmt.period(period)}."),
                        *behind))
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
                    BulletList(tuple(bullets)), *behind))


def _sources_block(sources: Iterable[SeriesAvailability]) -> tuple:
    items = []
    for s in sources:
        dims = ", ".join(f"{k}={v}" for k, v in s.dims.items())
        name = f"{s.series} ({dims})" if dims else s.series
        missing = s.missing
        span = fmt.period(missing[0]) if len(missing) == 1 else f"{fmt.period(missing[0])} – {fmt.period(missing[-1])}"
        items.append(Bullet(f"{name}: mangler {span}; seneste tal er fra {fmt.period(s.last)} (kilde: {s.source})."))
    if not items:
        return ()
    return (Paragraph("Serier i datalageret, der halter efter de nyeste data fra de øvrige kilder:", "note"),
            BulletList(tuple(items)))
