"""The first page: what a committee member should know if they read nothing else.

In the manner of Statistics Denmark's "Nyt": three to five sentences, each with a level, a direction and
the comparison that matters (the nation, the comparable municipalities); then the goal table and the
budget's bottom line. Every figure is the one printed further on, worded by :mod:`maaltal.formatting`.
"""

from __future__ import annotations

from collections.abc import Sequence

from maaltal import formatting as fmt
from maaltal.areas import ALL_ID
from maaltal.document import Bullet, BulletList, Paragraph, Section, SmileyOverview
from maaltal.kinds import Kind
from maaltal.periods import Period
from maaltal.report.sections.keyfigures import KeyFigureResult

MAX_SHARES = 2  # the first shares of the catalogue lead (bruttoledighed, offentlig forsørgelse)


def findings(results: Sequence[KeyFigureResult], period: Period, extra: Sequence[str] = ()) -> list[str]:
    """Three to five finding sentences: the leading shares, the benefit groups that moved most against the
    nation, and ``extra`` (the goals' and the budget's bottom lines, expected vs actual)."""
    sentences = [s for s in (_share(r, period) for r in results if r.is_share) if s][:MAX_SHARES]
    moved = _benefit_groups(results)
    if moved:
        sentences.append(moved)
    return (sentences + list(extra))[:5]


def _share(result: KeyFigureResult, period: Period) -> str | None:
    table, label = result.table, result.definition.label
    focus = table.focus
    if focus.value is None or table.kind is not Kind.SHARE:
        return None
    text = f"{label} i {focus.name} var {fmt.pct(focus.value)} i {fmt.period(period)}"
    if focus.compare_value is not None:
        change = fmt.change(focus.compare_value, focus.value, table.unit)
        text += f", {change} på et år"
    text += "."
    nation = next((r for r in table.rows if r.area == "000" and r.value is not None), None)
    comparisons = []
    if nation is not None:
        gap = fmt.gap(focus.value, nation.value, table.unit)
        comparisons.append(f"{gap} hele landet ({fmt.pct(nation.value)})" if gap
                           else f"på niveau med hele landet ({fmt.pct(nation.value)})")
    for group in (r for r in table.rows if r.role == "benchmark" and r.kind == "group"):
        rank = result.rank(group.area)
        if rank is not None:
            comparisons.append(f"nr. {rank.rank} af {rank.rank_of} i {group.name}")
    everyone = result.rank(ALL_ID)
    if everyone is not None:
        comparisons.append(f"nr. {everyone.rank} af {everyone.rank_of} blandt alle kommuner")
    if comparisons:
        text += " Det er " + _join(comparisons) + "."
    return text


def _benefit_groups(results: Sequence[KeyFigureResult]) -> str | None:
    """The benefit group that rose most against the nation and the one that fell most."""
    moves = []
    for r in results:
        if r.is_share or r.table.focus.change_pct is None:
            continue
        nation = next((x for x in r.table.rows if x.area == "000"), None)
        if nation is None or nation.change_pct is None:
            continue
        moves.append((r.table.focus.change_pct - nation.change_pct, r, nation.change_pct))
    if not moves:
        return None
    moves.sort(key=lambda m: m[0])
    parts = []
    worst, best = moves[-1], moves[0]
    if fmt.round_half_up(worst[0], 1) > 0:
        parts.append(f"{worst[1].definition.label.lower()} {_moved(worst[1].table.focus.change_pct)} "
                     f"(hele landet: {_moved(worst[2])})")
    if fmt.round_half_up(best[0], 1) < 0 and best is not worst:
        parts.append(f"{best[1].definition.label.lower()} {_moved(best[1].table.focus.change_pct)} "
                     f"(hele landet: {_moved(best[2])})")
    if not parts:
        return None
    return "Størst afvigelse fra landet blandt ydelsesgrupperne på et år: " + " og ".join(parts) + "."


def _moved(change_pct: float) -> str:
    if fmt.round_half_up(change_pct, 1) == 0:
        return "stort set uændret"
    return f"{'op' if change_pct > 0 else 'ned'} {fmt.number(abs(change_pct), 1)} pct."


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def section(sentences: Sequence[str], goals: SmileyOverview | None, bottom_lines: Sequence[str]) -> Section:
    """The first page: findings, the goal table, the budget's bottom line."""
    blocks: list = []
    if sentences:
        blocks.append(BulletList(tuple(Bullet(s) for s in sentences)))
    if goals is not None:
        blocks.append(goals)
    for line in bottom_lines:
        blocks.append(Paragraph(line))
    return Section("sammenfatning", "Sammenfatning", tuple(blocks))
