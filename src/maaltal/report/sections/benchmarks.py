"""Report sections for the operational benchmarks: caseloads, unit costs, reversal rates, pool projects and
user surveys.

:func:`report_section` takes any of the five results and gives the section the committee report shows
when those data are present. Tables carry raw numbers; sentences are Danish and formatted through
:mod:`maaltal.formatting`. Counts below :data:`maaltal.benchmarks.disclosure.MIN_COUNT` are not shown.
"""

from __future__ import annotations

from functools import singledispatch

from maaltal import formatting as fmt
from maaltal.areas import slug
from maaltal.benchmarks.caseload import Caseloads, Range, TargetGroup
from maaltal.benchmarks.disclosure import MIN_COUNT, note
from maaltal.benchmarks.pool_projects import PoolProject
from maaltal.benchmarks.reversals import Line, ReversalMap, Reversals
from maaltal.benchmarks.surveys import Survey
from maaltal.benchmarks.unit_cost import UnitCostComparison
from maaltal.document import Column, Format, Paragraph, Section, Status, Table
from maaltal.report.sections.provenance import file_source

STATUS_WORDS = {"over": "over", "within": "inden for", "under": "under"}


@singledispatch
def report_section(result: object) -> Section:
    """The report section of a benchmark result."""
    raise TypeError(f"ingen rapportsektion for {type(result).__name__}")


def _range_text(rng: Range) -> str:
    return f"{fmt.number(rng.low)}–{fmt.number(rng.high)}"


@report_section.register
def caseload_section(result: Caseloads) -> Section:
    blocks: list = []
    columns = (Column("group", "Målgruppe"), *(Column(area, name, Format.NUMBER, 1)
                                               for area, name in result.municipalities),
               Column("total", "Gruppen samlet", Format.NUMBER, 1))
    rows = tuple((g.name, *(_caseload(g, area) for area, _ in result.municipalities), g.average)
                 for g in result.groups)
    if result.focus:
        blocks.append(Paragraph(_focus_text(result)))
    blocks.append(Table(
        id="sagsantal", title="Sagsantal pr. årsværk", columns=columns, rows=rows, source=file_source(result.source),
        note=("Gruppen samlet: alle sager over alle årsværk i de kommuner, hvor begge er oplyst (ikke et "
              "gennemsnit af forholdstallene).")))
    ranged = [g for g in result.groups if g.range and result.focus and g.row(result.focus)]
    if ranged:
        rows = tuple((g.range.label, g.name, g.row(result.focus).caseload, _range_text(g.range),
                      STATUS_WORDS[g.range.status(g.row(result.focus).caseload)]) for g in ranged)
        blocks.append(Table(
            id="sagsantal-anbefaling", title=f"{result.focus_name} mod de vejledende sagstal",
            columns=(Column("range", "Anbefaling"), Column("group", "Målgruppe"),
                     Column("caseload", result.focus_name, Format.NUMBER, 1),
                     Column("recommended", "Vejledende sagstal"), Column("status", "Vurdering")),
            rows=rows, source=file_source(ranged[0].range.source)))
    return Section(id="sagsantal", title="Sagsantal pr. årsværk", blocks=tuple(blocks))


def _caseload(group: TargetGroup, area: str) -> float | None:
    row = group.row(area)
    return row.caseload if row else None


def _focus_text(result: Caseloads) -> str:
    sentences = []
    for g in result.groups:
        row = g.row(result.focus)
        if row is None or not row.from_counts:
            continue
        text = (f"{g.name}: {result.focus_name} har {fmt.number(row.caseload, 1)} sager pr. årsværk "
                f"({fmt.number(row.cases)} sager / {fmt.number(row.staffing, 1)} årsværk)")
        if g.average is not None and len(g.rows) > 1:
            text += f" mod {fmt.number(g.average, 1)} for de {len(g.rows)} kommuner samlet"
        sentences.append(text + ".")
    by_status: dict[str, list[str]] = {}
    for g in result.groups:
        row = g.row(result.focus)
        if g.range and row:
            by_status.setdefault(g.range.status(row.caseload), []).append(
                f"{g.range.label.lower()} ({fmt.number(row.caseload, 1)} mod {_range_text(g.range)})")
    for status, items in by_status.items():
        sentences.append(f"Sagstallet er {STATUS_WORDS[status]} det vejledende for {_join(items)}.")
    return " ".join(sentences)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


@report_section.register
def unit_cost_section(result: UnitCostComparison) -> Section:
    focus = result.focus
    side = "lavere" if result.difference < 0 else "højere"
    text = (f"Enhedsomkostningerne i {focus.name} er {fmt.kr(focus.unit_cost)} pr. ydelsesmodtager mod "
            f"{fmt.kr(result.reference_cost)} i {result.reference_name}: {fmt.kr(abs(result.difference))} "
            f"{side} pr. modtager. Med {fmt.number(focus.recipients)} modtagere svarer det til "
            f"{fmt.mio_kr(abs(result.worth_mio))} {'mindre' if result.worth < 0 else 'mere'} end ved "
            f"gennemsnittet.")
    if result.rank:
        text += f" {focus.name} er nr. {result.rank} af {result.rank_of} kommuner (1 = lavest)."
    table = Table(
        id="enhedsomkostninger", title="Enhedsomkostninger pr. ydelsesmodtager",
        columns=(Column("area", "Område"), Column("unit_cost", "Kr. pr. ydelsesmodtager", Format.KR),
                 Column("recipients", "Ydelsesmodtagere", Format.NUMBER)),
        rows=tuple((r.name, r.unit_cost, r.recipients) for r in result.rows),
        emphasis=tuple(i for i, r in enumerate(result.rows) if r.area == focus.area), source=file_source(result.source))
    return Section(id="enhedsomkostninger", title="Enhedsomkostninger", blocks=(Paragraph(text), table))


@report_section.register
def reversals_section(result: Reversals) -> Section:
    blocks: list = []
    rows, emphasis = [], []
    for m in result.maps:
        blocks.append(Paragraph(_map_text(m, result.year)))
        emphasis.append(len(rows))
        rows.append(_line_row(m.total, m.name, m.last_year.rate if m.last_year else None))
        rows += [_line_row(p, f"  {p.label}", None) for p in m.paragraphs]
    blocks.append(Table(
        id=f"omgoerelser-{result.year}", title=f"Omgørelser i Ankestyrelsen {result.year}",
        columns=(Column("label", "Kort / paragraf"), Column("decided", "Afgjort", Format.NUMBER),
                 Column("upheld", "Stadfæstet", Format.NUMBER), Column("remitted", "Hjemvist", Format.NUMBER),
                 Column("changed", "Ændret/ophævet", Format.NUMBER),
                 Column("rate", "Omgørelsesprocent", Format.SHARE, 1),
                 Column("national", "Landsplan", Format.SHARE, 1),
                 Column("last_year", str(result.year - 1), Format.SHARE, 1)),
        rows=tuple(rows), emphasis=tuple(emphasis), source=file_source(result.source),
        note="Omgørelsesprocent: hjemviste og ændrede/ophævede afgørelser i pct. af de realitetsbehandlede."
             + (" " + note("Kort og paragraffer", "afgørelser") if any(
                 line.small for m in result.maps for line in (m.total, *m.paragraphs)) else "")))
    return Section(id=f"omgoerelser-{result.year}", title=f"Omgørelsesprocenter {result.year}", blocks=tuple(blocks))


def _line_row(line: Line, label: str, last_year: float | None) -> tuple:
    d = line.decisions
    if line.small:
        return (label, None, None, None, None, None, line.national_rate, last_year)
    return (label, d.total if d else None, d.upheld if d else None, d.remitted if d else None,
            d.changed if d else None, line.rate, line.national_rate, last_year)


def _map_text(m: ReversalMap, year: int) -> str:
    d = m.total.decisions
    text = f"{m.name}: "
    if d is not None:
        text += (f"Ankestyrelsen afgjorde {fmt.number(d.total)} sager i {year}; {fmt.number(d.upheld)} blev "
                 f"stadfæstet, {fmt.number(d.remitted)} hjemvist og {fmt.number(d.changed)} ændret/ophævet. ")
    text += f"Omgørelsesprocenten er {fmt.pct(m.total.rate)}"
    if m.difference_national is not None:
        side = "under" if m.difference_national < 0 else "over"
        text += (f" mod {fmt.pct(m.total.national_rate)} på landsplan ({fmt.points(m.difference_national)} "
                 f"{side})")
    if m.last_year is not None and m.last_year.rate is not None:
        text += f"; i {year - 1} var den {fmt.pct(m.last_year.rate)}"
    return fmt.sentence(text)


@report_section.register
def pool_section(project: PoolProject) -> Section:
    blocks: list = []
    intro = f"{project.name} ({project.municipality})"
    blocks.append(Paragraph(fmt.sentence(intro + (f", finansieret af {project.pool}" if project.pool else ""))))
    f = project.funnel
    if f is not None and (f.effort is not None or f.excluded):
        rows = [("Bruttomålgruppe", f.gross, 100.0)]
        if f.effort is not None:
            rows.append(("Indsatsgruppe", f.effort, f.effort_share))
        rows += [(s.label, None, None) if s.small else (s.label, s.count, s.share_of_gross) for s in f.excluded]
        blocks.append(Table(
            id=f"pulje-{slug(project.name)}-maalgruppe", title="Målgruppen",
            columns=(Column("stage", ""), Column("count", "Personer", Format.NUMBER),
                     Column("share", "Andel af bruttomålgruppen (pct.)", Format.SHARE, 0)),
            rows=tuple(rows), emphasis=(1,) if f.effort is not None else (), source=file_source(project.source),
            note=note("Grupper", "personer") if any(s.small for s in f.excluded) else None))
    elif f is not None:
        blocks.append(Paragraph(f"Målgruppen er {fmt.number(f.gross)} personer."))
    if project.criterion is not None:
        blocks.append(Paragraph(_criterion_text(project)))
    if project.funding is not None:
        blocks += _funding_blocks(project)
    return Section(id=f"pulje-{slug(project.name)}", title=project.name, blocks=tuple(blocks))


def _criterion_text(project: PoolProject) -> str:
    c = project.criterion
    status = Status(c.status)
    text = (f"Succeskriterium (mindst {fmt.pct(c.threshold, 0)}): {fmt.sentence(c.description)} "
            f"Status: {status.label}")
    shown = c.first_met or c.latest
    if shown is None:
        return text + " – der er endnu ingen opgørelse."
    if shown.published is not None:  # as published: no count behind it
        of = f" af {fmt.number(shown.of)}" if shown.of else ""
        text += f" – {fmt.pct(shown.share, shown.decimals)}{of} (offentliggjort andel) i {fmt.period(shown.period)}"
    else:
        text += (f" – {fmt.pct(shown.share)} ({fmt.number(shown.reached)} af {fmt.number(shown.of)}) i "
                 f"{fmt.period(shown.period)}")
    if c.first_met is not None:
        text += ", første gang kriteriet var nået"
    return text + "."


def _funding_blocks(project: PoolProject) -> list:
    m = project.funding
    text = f"Tilsagn: {fmt.kr(m.granted)}"
    if m.applied is not None:
        text += f" (ansøgt: {fmt.kr(m.applied)})"
    text = fmt.sentence(text)
    if m.conditional_share < 100:
        text += (f" {fmt.pct(m.conditional_share, 0)} af tilsagnet ({fmt.kr(m.conditional)}) udbetales kun, "
                 "hvis succeskriteriet nås")
    else:
        text += " Det fulde beløb forudsætter, at succeskriteriet nås"
    if project.criterion is not None and project.criterion.status == "met":
        text += f"; kriteriet er nået, så {fmt.kr(project.released)} udløses"
    blocks: list = [Paragraph(fmt.sentence(text))]
    if m.schedule:
        rows = tuple((str(year), amount) for year, amount in m.schedule) + (("I alt", m.granted),)
        blocks.append(Table(
            id=f"pulje-{slug(project.name)}-finansiering", title="Finansiering pr. år",
            columns=(Column("year", "År"), Column("amount", "Kr.", Format.KR)),
            rows=rows, emphasis=(len(rows) - 1,), source=file_source(project.source)))
    return blocks


@report_section.register
def survey_section(survey: Survey) -> Section:
    sentences = []
    own, comparison = survey.own, survey.comparison
    if own.response_rate is not None:
        sentences.append(f"{fmt.number(own.responded)} af {fmt.number(own.invited)} adspurgte i {own.name} "
                         f"svarede: en svarprocent på {fmt.pct(own.response_rate, 0)}")
    if comparison is not None and comparison.response_rate is not None:
        sentences.append(f"I sammenligningsgruppen ({comparison.name}) svarede {fmt.number(comparison.responded)} "
                         f"af {fmt.number(comparison.invited)}: {fmt.pct(comparison.response_rate, 0)}")
    rows = []
    for q in survey.questions:
        if q.small:
            rows.append((q.question, f"(færre end {MIN_COUNT} svar)", None, None, None))
            continue
        rows += [(q.question, a.answer, a.share, a.comparison_share, a.difference) for a in q.answers]
    columns = [Column("question", "Spørgsmål"), Column("answer", "Svar"),
               Column("share", f"{own.name} (pct.)", Format.SHARE, 0)]
    if comparison is not None:
        columns += [Column("comparison", f"{comparison.name} (pct.)", Format.SHARE, 0),
                    Column("difference", "Forskel (pct.-point)", Format.POINTS, 0)]
    else:
        rows = [r[:3] for r in rows]
    blocks = ([Paragraph(" ".join(fmt.sentence(x) for x in sentences))] if sentences else []) + [Table(
        id=f"undersoegelse-{slug(survey.title)}", title=survey.title, columns=tuple(columns), rows=tuple(rows),
        source=file_source(survey.source),
        note=note("Spørgsmål", "svar") if any(q.small for q in survey.questions) else None)]
    return Section(id=f"undersoegelse-{slug(survey.title)}", title=survey.title, blocks=tuple(blocks))
