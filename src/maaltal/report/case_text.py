"""The agenda item (dagsordenspunkt) that carries the report to the committee, in the form the seeds use:
Beslutningstema, Resume, Sagsfremstilling, Økonomi, Retsgrundlag, Høring, Indstilling and Bilag, with an
optional case number.

The figures are written from the report model itself, so the item never says something the attached
report does not: the goals' status table (with target, result and explanation), the developments marked
as notable, the figures that could not be updated, and the bottom lines of an attached forecast, budget
follow-up or budget bridge. The fixed wording (the decision theme, the legal basis, the consultation, the
recommendation) is data the municipality edits: ``maaltal/data/case_text.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from maaltal import formatting as fmt
from maaltal import yamlfile
from maaltal.document import (
    Block,
    Bullet,
    BulletList,
    Document,
    KeyValueList,
    Paragraph,
    Report,
    Section,
    SmileyOverview,
    Status,
    Table,
)
from maaltal.fields import Fields
from maaltal.report.sections.budget import spend_phrase

FORECAST_TABLE = "overfoersler-prognose-"
FOLLOWUP_TABLE = "budget-rammer-"
BRIDGE_TABLE = "budgetbro"
_TEXT_FIELDS = ("beslutningstema", "beslutningstema_without_goals", "retsgrundlag", "hoering",
                "economy_not_included", "indstilling_intro", "indstilling")
# What each attached file format is called in a Bilag title.
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "html": "HTML"}


@dataclass(frozen=True)
class FixedTexts:
    """The municipality's own wording of the item's fixed parts (:data:`maaltal/data/case_text.yaml`)."""

    beslutningstema: str
    beslutningstema_without_goals: str
    retsgrundlag: tuple[str, ...]
    hoering: str
    economy_not_included: str
    indstilling_intro: str
    indstilling: tuple[str, ...]


def load_texts(path: str | Path | None = None) -> FixedTexts:
    """The shipped texts, or the municipality's own file in the same form; every field is required."""
    doc = yamlfile.load_or_shipped(path or None, "case_text.yaml")
    fields = Fields(doc)
    if fields.mapping((), f"filen skal have felterne {', '.join(_TEXT_FIELDS)}") is None:
        fields.check()
    fields.unknown((), _TEXT_FIELDS)
    single = {name: fields.text((name,)) for name in _TEXT_FIELDS if name not in ("retsgrundlag", "indstilling")}
    lists = {name: tuple(" ".join(t.split()) for t in fields.texts((name,)))
             for name in ("retsgrundlag", "indstilling")}
    fields.check()
    return FixedTexts(**single, **lists)


@dataclass(frozen=True)
class CaseText:
    """What the item says, part by part; :func:`document` lays it out for the renderers."""

    title: str
    case_number: str | None
    beslutningstema: str
    resume: str
    sagsfremstilling: tuple[Block, ...]
    economy: tuple[str, ...]
    retsgrundlag: tuple[str, ...]
    hoering: str
    indstilling_intro: str
    indstilling: tuple[str, ...]
    bilag: tuple[str, ...]
    synthetic: bool


def _blocks(sections: tuple[Section, ...]) -> Iterator[tuple[Section, Block]]:
    for section in sections:
        for block in section.blocks:
            yield section, block
        yield from _blocks(section.subsections)


@dataclass(frozen=True)
class _Cells:
    """A table row by its column keys."""

    values: dict[str, object]

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


def _rows(table: Table) -> list[_Cells]:
    keys = [c.key for c in table.columns]
    return [_Cells(dict(zip(keys, row, strict=True))) for row in table.rows]


def _table(report: Report, prefix: str) -> Table | None:
    return next((b for _, b in _blocks(report.sections) if isinstance(b, Table) and b.id.startswith(prefix)), None)


def _total(table: Table) -> _Cells:
    """The table's total: its last emphasised row (the "I alt" of a budget table)."""
    return _rows(table)[table.emphasis[-1] if table.emphasis else -1]


# The parts ---------------------------------------------------------------------------------------

def _goal_facts(report: Report) -> tuple[SmileyOverview | None, list[_Cells]]:
    """The goals' overview and the unmet goals as a sentence tells them: a development in words ("en
    stigning på 1,6 pct."), where the table's cell has a sign."""
    smileys = next((b for _, b in _blocks(report.sections) if isinstance(b, SmileyOverview)), None)
    return smileys, [_Cells({"goal": i.title, "target": _told(i.target_phrase or i.target),
                             "result": _told(i.result_phrase or i.result), "explanation": i.explanation})
                     for i in (smileys.items if smileys else ()) if i.status is Status.NOT_MET]


def _told(text: str | None) -> str | None:
    """A cell's text for a sentence; none for an empty or unknown one ("–")."""
    return None if text in (None, "", "–") else text


def _goal_count(smileys: SmileyOverview) -> str:
    """``Af de 5 mål er 3 opfyldt og 2 ikke opfyldt.``: only the statuses that occur, none said as "0"."""
    counts = smileys.counts
    assessed = [f"{counts[s]} {w}" for s, w in ((Status.MET, "opfyldt"), (Status.NOT_MET, "ikke opfyldt"))
                if counts[s]]
    pending = counts[Status.NOT_ASSESSABLE]
    if not assessed:
        return f"Ingen af de {len(smileys.items)} mål kan endnu vurderes."
    text = f"Af de {len(smileys.items)} mål er {' og '.join(assessed)}"
    return text + (f", og {pending} kan endnu ikke vurderes." if pending else ".")


def _unmet(row: _Cells) -> str:
    """``Unge 18-29 år …: 10,3 pct. mod målsætningen 10 pct.``, with the explanation or its absence."""
    text = f"{row['goal']}"
    if row["result"]:
        text += f": {row['result']}" + (f" mod målsætningen {row['target']}" if row["target"] else "")
    text = fmt.sentence(text)
    if row["explanation"]:
        text += f" {fmt.sentence(str(row['explanation']))}"
    return text


def _trends(report: Report) -> tuple[str, list[str]] | None:
    """A lead-in and the developments: those marked notable since the last report, else the first three.
    The repeated "Siden forrige opfølgning er udviklingen …" goes into the lead-in, said once."""
    trends = next((b for s, b in _blocks(report.sections)
                   if s.id == "udviklingstendenser" and isinstance(b, BulletList)), None)
    if trends is None or not trends.items:
        return None
    notable = [b.text for b in trends.items if b.bold]
    if not notable:
        return "De væsentligste udviklingstendenser:", [b.text for b in trends.items[:3]]
    since = "Siden forrige opfølgning er udviklingen "
    return ("Udviklingen har ændret sig markant siden forrige opfølgning på disse områder:",
            [t.replace(since, "Udviklingen er ") for t in notable])


def _lags(report: Report) -> list[str]:
    lags = next((b for s, b in _blocks(report.sections) if s.id == "data" and isinstance(b, BulletList)), None)
    return [b.text for b in lags.items] if lags else []


def _economy(report: Report) -> list[str]:
    """The bottom lines of the attached forecast, budget follow-up and budget bridge."""
    lines = []
    if (table := _table(report, FORECAST_TABLE)) is not None:
        total = _total(table)
        year = table.id.removeprefix(FORECAST_TABLE)
        text = (f"Prognosen for overførselsudgifterne {year} viser et forventet forbrug på "
                f"{fmt.mio_kr(total['expected'])}")
        if total["budget"] is not None:
            text += (f" mod et budget på {fmt.mio_kr(total['budget'])}: "
                     f"{spend_phrase(total['deviation'])}")
        lines.append(fmt.sentence(text))
    if (table := _table(report, FOLLOWUP_TABLE)) is not None:
        total = _total(table)
        year = table.id.removeprefix(FOLLOWUP_TABLE)
        lines.append(fmt.sentence(
            f"Budgetopfølgningen {year} forventer et samlet forbrug på {fmt.mio_kr(total['forecast'])} mod et "
            f"korrigeret budget på {fmt.mio_kr(total['corrected'])}: {spend_phrase(total['deviation_corrected'])} "
            f"(i forhold til vedtaget budget {spend_phrase(total['deviation_adopted'])})"))
    if (table := _table(report, BRIDGE_TABLE)) is not None:
        bridge = next(s for s, b in _blocks(report.sections) if b is table)
        lines.append(next((b.text for b in bridge.blocks if isinstance(b, Paragraph)), table.title))
    return lines


def _resume(report: Report, smileys: SmileyOverview | None, not_met: list[_Cells], economy: list[str],
            trends: tuple[str, list[str]] | None) -> str:
    """The message: the goals' count, the goals not met with their figures, and the economy's bottom line
    (else the first notable development)."""
    parts = []
    if smileys:
        parts.append(_goal_count(smileys))
        shown = [r for r in not_met if r["result"]][:2]
        if shown:
            parts.append("Ikke opfyldt: " + " og ".join(
                f"{r['goal']} ({r['result']} mod målsætningen {r['target']})" if r["target"]
                else f"{r['goal']} ({r['result']})" for r in shown) + ".")
    if economy:
        parts.append(economy[0])
    elif trends and trends[1]:
        parts.append(trends[1][0])
    if not parts:
        parts.append(f"Udvalget orienteres om nøgletal for beskæftigelsesområdet i {report.municipality} Kommune "
                     f"for {report.period_label}.")
    return " ".join(parts)


def _sagsfremstilling(report: Report, smileys: SmileyOverview | None, not_met: list[_Cells],
                      trends: tuple[str, list[str]] | None) -> tuple[Block, ...]:
    blocks: list[Block] = [Paragraph(
        f"Administrationen har udarbejdet vedlagte rapport, der viser {report.municipality} Kommunes nøgletal "
        f"for {report.period_label} sammenlignet med regionen og hele landet"
        + (" samt status på udvalgets mål." if smileys else "."))]
    if smileys:
        blocks.append(Paragraph(_goal_count(smileys) + (" Målene, der ikke er opfyldt:" if not_met else "")))
        if not_met:
            blocks.append(BulletList(tuple(Bullet(_unmet(r)) for r in not_met)))
    if trends:
        blocks += [Paragraph(trends[0]), BulletList(tuple(Bullet(t) for t in trends[1]))]
    lags = _lags(report)
    if lags:
        blocks += [Paragraph("Enkelte tal kunne ikke opdateres til perioden:"),
                   BulletList(tuple(Bullet(t) for t in lags))]
    blocks.append(Paragraph(fmt.sentence(" ".join(report.sources)), "note"))
    if report.synthetic:
        blocks.append(Paragraph("Bemærk: rapporten er bygget på syntetiske demodata og viser ikke officielle tal.",
                                "warning"))
    return tuple(blocks)


def attachment_titles(report: Report, files: Sequence[str]) -> tuple[str, ...]:
    """``Bilag 1: Nøgletalsrapport for Hvidovre, december 2024 (PDF)``: the PDF the committee reads first,
    then the workbook with the data; the HTML and DOCX are the same report and are not attached twice."""
    kind = "Målopfølgning og nøgletal" if _goal_facts(report)[0] else "Nøgletalsrapport"
    chosen = [f for f in files if f.endswith(".pdf")] or [f for f in files if not f.endswith(".xlsx")][:1]
    chosen += [f for f in files if f.endswith(".xlsx")]
    titles = []
    for number, name in enumerate(chosen, start=1):
        suffix = name.rsplit(".", 1)[-1].lower()
        what = (f"Data bag rapporten for {report.municipality}, {report.period_label}" if suffix == "xlsx"
                else f"{kind} for {report.municipality}, {report.period_label}")
        titles.append(f"Bilag {number}: {what} ({_FORMAT_NAMES.get(suffix, suffix.upper())})")
    return tuple(titles)


def build(report: Report, files: Sequence[str], *, case_number: str | None = None,
          texts: FixedTexts | None = None) -> CaseText:
    """The item's text for ``report``, whose files (names, not paths) are attached."""
    texts = texts or load_texts()
    smileys, not_met = _goal_facts(report)
    trends = _trends(report)
    economy = _economy(report)
    fill = {"municipality": report.municipality, "period": report.period_label,
            "year": report.metadata.get("period", "")[:4]}
    theme = texts.beslutningstema if smileys else texts.beslutningstema_without_goals
    return CaseText(
        title=f"Orientering om nøgletal{' og målopfølgning' if smileys else ''}, {report.period_label}",
        case_number=case_number,
        beslutningstema=theme.format(**fill),
        resume=_resume(report, smileys, not_met, economy, trends),
        sagsfremstilling=_sagsfremstilling(report, smileys, not_met, trends),
        economy=tuple(economy) or (texts.economy_not_included,),
        retsgrundlag=texts.retsgrundlag,
        hoering=texts.hoering,
        indstilling_intro=texts.indstilling_intro,
        indstilling=texts.indstilling,
        bilag=attachment_titles(report, files),
        synthetic=report.synthetic,
    )


def document(report: Report, files: Sequence[str], name: str, *, case_number: str | None = None,
             texts: FixedTexts | None = None) -> Document:
    """The item's text for ``report`` as a document written under ``name``, for the agenda system."""
    text = build(report, files, case_number=case_number, texts=texts)
    head = (KeyValueList((("Sagsnr.", text.case_number),)),) if text.case_number else ()
    return Document(name, text.title, head, sections=(
        Section("beslutningstema", "Beslutningstema", (Paragraph(text.beslutningstema),)),
        Section("resume", "Resume", (Paragraph(text.resume),)),
        Section("sagsfremstilling", "Sagsfremstilling", text.sagsfremstilling),
        Section("oekonomi", "Økonomi", tuple(Paragraph(p) for p in text.economy)),
        Section("retsgrundlag", "Retsgrundlag", tuple(Paragraph(p) for p in text.retsgrundlag)),
        Section("hoering", "Høring", (Paragraph(text.hoering),)),
        Section("indstilling", "Indstilling", (Paragraph(text.indstilling_intro),
                                               BulletList(tuple(Bullet(p) for p in text.indstilling), numbered=True))),
        Section("bilag", "Bilag", tuple(Paragraph(b) for b in text.bilag)),
    ))
