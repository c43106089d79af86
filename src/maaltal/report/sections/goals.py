"""The goal follow-up as report sections: a goal table with smileys, then one section per goal.

The goal table is what a committee reads first (Mål | Målsætning | Resultat | Status | Forklaring); an
unmet goal without the analyst's explanation reads "Forklaring mangler", and :func:`unexplained` lists
those goals so that ``maaltal report`` can warn the analyst. Each goal's section holds a line of facts,
a chart of the year with the target or the benchmark it is judged against, the generated text, a note
on the measurement when the catalogue has one, and the analyst's comment. Its figures table goes to the
XLSX. Numbers stay numbers; the sentences come from :mod:`maaltal.goals.texts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
from maaltal.goals.texts import summary_sentence

MISSING_EXPLANATION = "Forklaring mangler"
OVERVIEW_ID = "maal-oversigt"


def goal_sections(followup: GoalFollowUp, sources: Mapping[str, str] | None = None) -> tuple[Section, ...]:
    """The goal table section followed by one section per goal (bearings included); ``sources`` gives
    each goal's source line (from the snapshots its series came from)."""
    by_id = {g.id: g for g in followup.goals}
    sources = sources or {}
    table = goal_table(followup)
    overview = Section(OVERVIEW_ID, f"Målopfølgning {fmt.period(followup.period)}",
                       (table, Paragraph(summary_sentence(followup.summary)), status_table(followup, table)),
                       summary=summary_sentence(followup.summary))
    return (overview, *(_goal_section(g, followup, by_id, sources.get(g.id)) for g in followup.goals))


def goal_table(followup: GoalFollowUp) -> SmileyOverview:
    """Mål | Målsætning | Resultat | Status | Forklaring for every measured goal."""
    by_id = {g.id: g for g in followup.goals}
    return SmileyOverview(tuple(
        SmileyItem(g.id, g.title, g.status, _measured_parent(g, by_id), target=g.target_text or "–",
                   result=g.result_text or "–", explanation=_explanation(g),
                   target_phrase=_differing(g.target_phrase, g.target_text),
                   result_phrase=_differing(g.result_phrase, g.result_text))
        for g in followup.goals if not g.is_bearing))


def _differing(phrase: str, cell: str) -> str | None:
    return phrase if phrase and phrase != cell else None


def _explanation(goal: GoalResult) -> str:
    if goal.comment is not None:
        return goal.comment.text
    return MISSING_EXPLANATION if goal.status is Status.NOT_MET else ""


def unexplained(sections: Iterable[Section]) -> list[str]:
    """The titles of unmet goals without an explanation, for the analyst to fill in before the meeting."""
    return [item.title for section in sections for block in section.blocks if isinstance(block, SmileyOverview)
            for item in block.items if item.explanation == MISSING_EXPLANATION]


def status_table(followup: GoalFollowUp, overview: SmileyOverview) -> Table:
    """The goal table as plain rows, for the workbook's goal sheet (an appendix table: the printed report
    shows the same items as its smiley table)."""
    rows = tuple((i.title, _or_none(i.target), _or_none(i.result), i.status.label, i.explanation)
                 for i in overview.items)
    return Table("maal-status", f"Målenes status {fmt.period(followup.period)}",
                 (Column("goal", "Mål"), Column("target", "Målsætning"), Column("result", "Resultat"),
                  Column("status", "Status"), Column("explanation", "Forklaring")), rows, appendix=True)


def _or_none(text: str) -> str | None:
    return None if text in ("", "–") else text


def _measured_parent(goal: GoalResult, by_id: dict[str, GoalResult]) -> str | None:
    """The nearest ancestor that is itself in the overview (bearings are not)."""
    parent = goal.parent
    while parent is not None and by_id[parent].is_bearing:
        parent = by_id[parent].parent
    return parent


def _goal_section(goal: GoalResult, followup: GoalFollowUp, by_id: dict[str, GoalResult],
                  source: str | None) -> Section:
    blocks: list[Block] = [Paragraph(_facts_line(goal), style="note")]
    if goal.is_bearing:
        blocks.append(BulletList(tuple(Bullet(f"{by_id[c].title}: {by_id[c].status.label}")
                                       for c in goal.children)))
    blocks.append(Paragraph(goal.text))
    if not goal.is_bearing:
        chart = _history_chart(goal, followup, source)
        if chart is not None:
            blocks.append(chart)
    if goal.note:
        blocks.append(Paragraph(f"Note om opgørelsen: {goal.note}", style="note"))
    if goal.comment is not None:
        blocks.append(Paragraph(f"Kommentar ({goal.comment.author}, {fmt.long_date(goal.comment.created_at.date())})"
                                f": {goal.comment.text}", style="comment"))
    elif goal.status is Status.NOT_MET and not goal.is_bearing:
        blocks.append(Paragraph(f"{MISSING_EXPLANATION}: målet er ikke opfyldt, og der er ikke skrevet en "
                                "forklaring.", style="warning"))
    if not goal.is_bearing:
        blocks.append(_figures_table(goal))
    return Section(f"maal-{goal.id}", goal.title, tuple(blocks))


def _facts_line(goal: GoalResult) -> str:
    parts = [f"Status: {goal.status.label}"]
    if goal.target_text:
        parts.append(f"Målsætning: {goal.target_text}")
    if goal.sources:
        parts.append(f"Kilde: {', '.join(goal.sources)}")
    if goal.owner:
        parts.append(f"Ansvarlig: {goal.owner}")
    if goal.data_until is not None:
        parts.append(f"Data til og med {fmt.period(goal.data_until)}")
    return " ".join(fmt.sentence(part) for part in parts)


def _format(unit: str, is_change: bool) -> Format:
    if unit == "pct.":
        return Format.SHARE
    if unit == "%":
        return Format.CHANGE_PCT
    if unit == "procentpoint":
        return Format.POINTS
    return Format.CHANGE if is_change else Format.NUMBER


def _figures_table(goal: GoalResult) -> Table:
    """Value and target in the goal's unit; the year's first and latest level beside them when comparable
    (for the XLSX: the printed report says the same in its text)."""
    rows: list[tuple[str, float | None]] = [("Opgjort værdi", goal.value), ("Målsætning", goal.target)]
    dev = goal.development
    if dev is not None and goal.unit == goal.level_unit:
        rows += [(fmt.period(dev.start), dev.start_value), (fmt.period(dev.end), dev.end_value)]
    decimals = goal.decimals if goal.unit != "%" else max(goal.decimals, 1)
    columns = (Column("label", "Nøgletal"),
               Column("value", f"Værdi ({goal.unit})", _format(goal.unit, goal.is_change), decimals))
    return Table(f"maal-{goal.id}-tal", goal.title, columns, tuple(rows), appendix=True)


def _history_chart(goal: GoalResult, followup: GoalFollowUp, source: str | None) -> Chart | None:
    """The year so far against the target, or, for a goal judged against a benchmark, against the
    benchmark's own development (both as an index when their levels differ in size)."""
    if not any(v is not None for _, v in goal.history):
        return None
    area_name = followup.area_name
    labels = [fmt.period_short(p) for p, _ in goal.history]
    values = [v for _, v in goal.history]
    unit = goal.level_unit
    format_, decimals = (Format.SHARE if unit == "pct." else Format.NUMBER), goal.decimals
    description = (f"{goal.title} i {area_name} fra {fmt.period(goal.history[0][0])} til "
                   f"{fmt.period(goal.history[-1][0])}")
    series = [Series(area_name, tuple(zip(labels, values, strict=True)), highlight=True)]
    if goal.benchmark_history and any(v is not None for _, v in goal.benchmark_history):
        theirs = [v for _, v in goal.benchmark_history]
        if unit != "pct.":
            values, theirs = _index(values), _index(theirs)
            unit, format_, decimals = f"indeks ({labels[0]} = 100)", Format.NUMBER, 0
            series = [Series(area_name, tuple(zip(labels, values, strict=True)), highlight=True)]
        series.append(Series(goal.benchmark or "", tuple(zip(labels, theirs, strict=True))))
        description += f" sammenlignet med {fmt.in_text(goal.benchmark or '')}"
    elif goal.history_target is not None:
        series.append(Series("Mål", tuple((label, goal.history_target) for label in labels)))
        description += " sammenlignet med målet"
    title = f"{goal.title}: {goal.status.label.lower()}"
    if goal.result_text and goal.target_text:
        title += f" ({goal.result_text}; mål: {goal.target_text})"
    return Chart(f"maal-{goal.id}-udvikling", title, "line", unit, tuple(series), description + ".",
                 format_, decimals, source=source or _source(followup), layout="half", note=goal.note)


def _index(values: list[float | None]) -> list[float | None]:
    base = next((v for v in values if v), None)
    return [None if v is None or base is None else v / base * 100 for v in values]


def _source(followup: GoalFollowUp) -> str:
    return ("Kilde: syntetiske demodata fra maaltal (ikke officielle tal)." if followup.synthetic
            else f"Kilde: datalageret, øjebliksbillede {followup.snapshot_id}.")
