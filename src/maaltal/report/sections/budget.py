"""Report sections for the budget follow-up, the budget bridge and the transfer-spend forecast.

:func:`report_section` takes any of the three results and gives the section the committee report shows
when those data are present. Tables carry raw amounts in mio. kr.; sentences are Danish and formatted
through :mod:`maaltal.formatting`.
"""

from __future__ import annotations

from functools import singledispatch

from maaltal import formatting as fmt
from maaltal.budget.bridge import Bridge, amount_text
from maaltal.budget.followup import Amounts, BudgetFollowUp
from maaltal.budget.forecast import Forecast
from maaltal.document import Bullet, BulletList, Chart, Column, Format, Paragraph, Section, Series, Table
from maaltal.report.sections.provenance import file_source

SIGN_NOTE = "Afvigelse = budget minus forventet forbrug: positiv er mindreforbrug, negativ er merforbrug."
SYNTHETIC_NOTE = "Bemærk: forbruget er beregnet på syntetiske demodata – ikke officielle tal."


def spend_phrase(deviation: float) -> str:
    """``et merforbrug på 20,5 mio. kr.`` for a negative deviation, ``et mindreforbrug på …`` for a positive."""
    if fmt.round_half_up(deviation, 1) == 0:
        return "et forbrug svarende til budgettet"
    word = "et mindreforbrug" if deviation > 0 else "et merforbrug"
    return f"{word} på {fmt.mio_kr(abs(deviation))}"


@singledispatch
def report_section(result: object) -> Section:
    """The report section of a budget result (follow-up, bridge or forecast)."""
    raise TypeError(f"ingen rapportsektion for {type(result).__name__}")


@report_section.register
def followup_section(result: BudgetFollowUp) -> Section:
    total = result.total
    blocks: list = [Paragraph(
        f"Der forventes samlet {spend_phrase(total.deviation_adopted)} i forhold til vedtaget budget og "
        f"{spend_phrase(total.deviation_corrected)} i forhold til det korrigerede budget {result.year}.")]
    if result.service_frame:
        service = result.service_frame
        verdict = "overholdes" if service.kept else "overholdes ikke"
        blocks.append(Paragraph(f"Servicerammen {verdict}: der forventes {spend_phrase(service.deviation)} i "
                                "forhold til vedtaget budget."))
        blocks.append(Table(
            id=f"budget-serviceramme-{result.year}", title="Serviceramme (mio. kr.)",
            columns=(Column("label", ""), Column("adopted", f"Vedtaget budget {result.year}", Format.MIO_KR, 1),
                     Column("forecast", f"Forventet forbrug {result.year}", Format.MIO_KR, 1),
                     Column("deviation", f"Forventet mer-/mindreforbrug {result.year}", Format.MIO_KR, 1)),
            rows=(("Servicerammen", service.adopted, service.forecast, service.deviation),),
            note=SIGN_NOTE, source=file_source(result.source)))
    rows = []
    for f in result.frames:
        rows.append((f.name, *_amounts_row(f.amounts)))
        rows += [(f"  {x.line}", *_amounts_row(x.amounts)) for x in f.lines if x.line]
    rows.append(("I alt", *_amounts_row(total)))
    blocks.append(Table(
        id=f"budget-rammer-{result.year}", title="Rammer (mio. kr.)",
        columns=(Column("frame", "Ramme"), Column("adopted", f"Vedtaget budget {result.year}", Format.MIO_KR, 1),
                 Column("corrected", f"Korrigeret budget {result.year}", Format.MIO_KR, 1),
                 Column("forecast", f"Forventet forbrug {result.year}", Format.MIO_KR, 1),
                 Column("deviation_adopted", "Afvigelse: vedtaget budget", Format.MIO_KR, 1),
                 Column("deviation_corrected", "Afvigelse: korrigeret budget", Format.MIO_KR, 1)),
        rows=tuple(rows), emphasis=(len(rows) - 1,), note=SIGN_NOTE, source=file_source(result.source)))
    needs = [f for f in result.frames if fmt.round_half_up(f.amounts.appropriation_needed, 1) > 0]
    if needs:
        blocks.append(Paragraph("Behov for tillægsbevilling til dækning af forventet merforbrug i forhold til "
                                "korrigeret budget:"))
        blocks.append(BulletList(tuple(Bullet(f"{f.name}: {fmt.mio_kr(f.amounts.appropriation_needed)}")
                                       for f in needs)))
    else:
        blocks.append(Paragraph("Ingen ramme forventer merforbrug i forhold til korrigeret budget."))
    return Section(id=f"budgetopfoelgning-{result.year}", title=f"Budgetopfølgning {result.year}",
                   blocks=tuple(blocks), summary=fmt.capital(blocks[0].text))


def _amounts_row(a: Amounts) -> tuple[float, ...]:
    return a.adopted, a.corrected, a.forecast, a.deviation_adopted, a.deviation_corrected


@report_section.register
def bridge_section(bridge: Bridge) -> Section:
    unit = bridge.unit
    money = Format.KR if unit == "kr." else Format.MIO_KR
    decimals = bridge.decimals
    direction = "opjusteres" if bridge.change > 0 else "nedjusteres" if bridge.change < 0 else "er uændret"
    change = f" med {amount_text(abs(bridge.change), unit)}" if bridge.change else ""
    text = (f"{bridge.title} {direction}{change} fra {amount_text(bridge.start.amount, unit)} "
            f"({bridge.start.label}) til {amount_text(bridge.end.amount, unit)} ({bridge.end.label}).")
    rows = ((bridge.start.label, bridge.start.amount, None),
            *((a.label, None, a.amount) for a in bridge.adjustments),
            (bridge.end.label, bridge.end.amount, None))
    table = Table(
        id="budgetbro", title=f"{bridge.title} ({unit})",
        columns=(Column("label", "Post"), Column("amount", "Budget", money, decimals),
                 Column("change", "Ændring", Format.CHANGE, decimals)),
        rows=rows, emphasis=(0, len(rows) - 1), source=file_source(bridge.source), note=bridge.rounding_note)
    points = ((bridge.start.label, bridge.start.amount), *((a.label, a.amount) for a in bridge.adjustments),
              (bridge.end.label, bridge.end.amount))
    chart = Chart(
        id="budgetbro-vandfald", title=bridge.title, kind="waterfall", unit=unit,
        series=(Series(bridge.title, points),), format=money, decimals=decimals, source=file_source(bridge.source),
        description=(f"Vandfaldsdiagram: første og sidste søjle er budgettet før og efter "
                     f"({amount_text(bridge.start.amount, unit)} og {amount_text(bridge.end.amount, unit)}); "
                     f"søjlerne imellem er de {len(bridge.adjustments)} ændringer."))
    return Section(id="budgetbro", title=bridge.title, blocks=(Paragraph(text), table, chart), summary=text)


@report_section.register
def forecast_section(result: Forecast) -> Section:
    blocks: list = []
    text = (f"Forventet forbrug på overførsler i {result.area_name} {result.year}: "
            f"{fmt.mio_kr(result.expected)}, beregnet som fuldtidspersoner × enhedspris med faktiske tal til og "
            f"med {fmt.period(result.through)} og {result.method.description}.")
    if result.deviation is not None:
        text += fmt.sentence(f" I forhold til budgettet er det {spend_phrase(result.deviation)}")
    blocks.append(Paragraph(text))
    rows = [(g.benefit, g.average_ftp, g.unit_price, g.expected, g.budget, g.deviation) for g in result.groups]
    rows.append(("I alt", result.average_ftp, None, result.expected, result.budget,
                 result.deviation))
    blocks.append(Table(
        id=f"overfoersler-prognose-{result.year}", title=f"Prognose for overførselsudgifter {result.year}",
        columns=(Column("benefit", "Ydelse"), Column("ftp", "Fuldtidspersoner (gns. året)", Format.NUMBER),
                 Column("unit_price", "Enhedspris (kr. pr. fuldtidsperson)", Format.KR),
                 Column("expected", "Forventet forbrug (mio. kr.)", Format.MIO_KR, 1),
                 Column("budget", "Budget (mio. kr.)", Format.MIO_KR, 1),
                 Column("deviation", "Afvigelse (mio. kr.)", Format.MIO_KR, 1)),
        rows=tuple(rows), emphasis=(len(rows) - 1,), note=SIGN_NOTE,
        source=f"Kilde: fuldtidspersoner fra datalagerets øjebliksbillede {result.snapshot}; enhedspriser og "
               "budget: kommunens egne tal."))
    blocks += [Paragraph(w, style="warning") for w in result.warnings]
    if result.synthetic:
        blocks.append(Paragraph(SYNTHETIC_NOTE, style="warning"))
    bottom = (f"Budget: prognosen for overførselsudgifterne {result.year} giver et forventet forbrug på "
              f"{fmt.mio_kr(result.expected)}")
    if result.deviation is not None:
        bottom += f", {spend_phrase(result.deviation)} i forhold til budgettet på {fmt.mio_kr(result.budget)}"
    return Section(id=f"overfoersler-prognose-{result.year}", title=f"Prognose for overførselsudgifter {result.year}",
                   blocks=tuple(blocks), summary=fmt.sentence(bottom))
