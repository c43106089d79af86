"""The goal follow-up as report sections: a smiley overview, then one section per goal.

Each goal's section holds what the committee reads in a "målopfølgning": a line of facts (status, source,
owner, data period), its figures, a chart of the year so far against the target, the generated text and
the analyst's comment. Numbers stay numbers; the sentences come from :mod:`maaltal.goals.texts`.
"""

from __future__ import annotations

from maaltal import formatting as fmt
from maaltal.document import (
    Block,
    Bullet,
    BulletList,
    Chart,
    Column,
    Format,
    Paragraph,
    Section,
    Series,
    SmileyItem,
    SmileyOverview,
    Status,
    Table,
)
from maaltal.goals.evaluate import GoalFollowUp, GoalResult
from maaltal.goals.texts import figure, summary_sentence

MISSING_EXPLANATION = "Forklaring mangler"


def goal_sections(followup: GoalFollowUp) -> tuple[Section, ...]:
    """The smiley overview section followed by one section per goal (bearings included)."""
    by_id = {g.id: g for g in followup.goals}
    items = tuple(SmileyItem(g.id, g.title, g.status, _measured_parent(g, by_id))
                  for g in followup.goals if not g.is_bearing)
    overview = Section("maal-oversigt", f"Målopfølgning {fmt.period(followup.period)}: oversigt",
                       (SmileyOverview(items), Paragraph(summary_sentence(followup.summary)),
                        status_table(followup)))
    return (overview, *(_goal_section(g, followup, by_id) for g in followup.goals))


def status_table(followup: GoalFollowUp) -> Table:
    """Mål | Målsætning | Resultat | Status | Forklaring for every measured goal: what the agenda item and the
    workbook's goal sheet show. An unmet goal without the analyst's comment reads "Forklaring mangler"."""
    rows = []
    for g in followup.goals:
        if g.is_bearing:
            continue
        explanation = g.comment.text if g.comment else MISSING_EXPLANATION if g.status is Status.NOT_MET else ""
        rows.append((g.title, figure(g.target, g.unit, g.decimals, change=g.is_change, target=True) or None,
                     figure(g.value, g.unit, g.decimals, change=g.is_change) or None, g.status.label, explanation))
    return Table("maal-status", f"Målenes status {fmt.period(followup.period)}",
                 (Column("goal", "Mål"), Column("target", "Målsætning"), Column("result", "Resultat"),
                  Column("status", "Status"), Column("explanation", "Forklaring")), tuple(rows))


def _measured_parent(goal: GoalResult, by_id: dict[str, GoalResult]) -> str | None:
    """The nearest ancestor that is itself in the overview (bearings are not)."""
    parent = goal.parent
    while parent is not None and by_id[parent].is_bearing:
        parent = by_id[parent].parent
    return parent


def _goal_section(goal: GoalResult, followup: GoalFollowUp, by_id: dict[str, GoalResult]) -> Section:
    blocks: list[Block] = [Paragraph(_facts_line(goal), style="note")]
    if goal.is_bearing:
        blocks.append(BulletList(tuple(Bullet(f"{by_id[c].title}: {by_id[c].status.label}")
                                       for c in goal.children)))
    else:
        blocks.append(_figures_table(goal))
        chart = _history_chart(goal, followup.area_name)
        if chart is not None:
            blocks.append(chart)
    blocks.append(Paragraph(goal.text))
    if goal.comment is not None:
        blocks.append(Paragraph(f"Kommentar ({goal.comment.author}, {fmt.long_date(goal.comment.created_at.date())})"
                                f": {goal.comment.text}", style="comment"))
    return Section(f"maal-{goal.id}", goal.title, tuple(blocks))


def _facts_line(goal: GoalResult) -> str:
    parts = [f"Status: {goal.status.label}"]
    if goal.sources:
        parts.append(f"Kilde: {', '.join(goal.sources)}")
    if goal.owner:
        parts.append(f"Ansvarlig: {goal.owner}")
    if goal.data_until is not None:
        parts.append(f"Data til og med {fmt.period(goal.data_until)}")
    return ". ".join(parts) + "."


def _format(unit: str, is_change: bool) -> Format:
    if unit == "pct.":
        return Format.SHARE
    if unit == "%":
        return Format.CHANGE_PCT
    if unit == "procentpoint":
        return Format.POINTS
    return Format.CHANGE if is_change else Format.NUMBER


def _figures_table(goal: GoalResult) -> Table:
    """Value and target in the goal's unit; the year's first and latest level beside them when comparable."""
    rows: list[tuple[str, float | None]] = [("Opgjort værdi", goal.value), ("Målsætning", goal.target)]
    dev = goal.development
    if dev is not None and goal.unit == goal.level_unit:
        rows += [(fmt.period(dev.start), dev.start_value), (fmt.period(dev.end), dev.end_value)]
    decimals = goal.decimals if goal.unit != "%" else max(goal.decimals, 1)
    columns = (Column("label", "Nøgletal"),
               Column("value", f"Værdi ({goal.unit})", _format(goal.unit, goal.is_change), decimals))
    return Table(f"maal-{goal.id}-tal", goal.title, columns, tuple(rows))


def _history_chart(goal: GoalResult, area_name: str) -> Chart | None:
    if not any(v is not None for _, v in goal.history):
        return None
    labels = [fmt.period_short(p) for p, _ in goal.history]
    series = [Series(area_name, tuple(zip(labels, (v for _, v in goal.history), strict=True)), highlight=True)]
    description = (f"{goal.title} i {area_name} fra {fmt.period(goal.history[0][0])} til "
                   f"{fmt.period(goal.history[-1][0])}")
    if goal.history_target is not None:
        series.append(Series("Mål", tuple((label, goal.history_target) for label in labels)))
        description += " sammenlignet med målet"
    unit = goal.level_unit
    return Chart(f"maal-{goal.id}-udvikling", goal.title, "line", unit, tuple(series), description + ".",
                 Format.SHARE if unit == "pct." else Format.NUMBER, goal.decimals)
