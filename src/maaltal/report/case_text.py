"""The text of the agenda item (dagsordenspunkt) that carries the report to the committee, in the standard
form: Resume, Sagsfremstilling, Indstilling, Bilag.

The text is written from the report model itself, so the item never says something the attached
report does not: the smiley counts and the goals not met, the developments marked as notable, and the
figures that could not be updated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from maaltal.document import Block, Bullet, BulletList, Document, Paragraph, Report, Section, SmileyOverview, Status

RECOMMENDATION = "at orienteringen tages til efterretning."


@dataclass(frozen=True)
class CaseText:
    """What the item says, part by part; :func:`document` lays it out for the renderers."""

    title: str
    resume: str
    sagsfremstilling: tuple[str, ...]
    indstilling: tuple[str, ...]
    bilag: tuple[str, ...]
    synthetic: bool


def _blocks(sections: tuple[Section, ...]) -> Iterator[tuple[Section, Block]]:
    for section in sections:
        for block in section.blocks:
            yield section, block
        yield from _blocks(section.subsections)


def build(report: Report, attachment: str) -> CaseText:
    """The item's text for ``report``, which is attached under the name ``attachment``."""
    smileys = next((b for _, b in _blocks(report.sections) if isinstance(b, SmileyOverview)), None)
    trends = next((b for s, b in _blocks(report.sections)
                   if s.id == "udviklingstendenser" and isinstance(b, BulletList)), None)
    lags = next((b for s, b in _blocks(report.sections) if s.id == "data" and isinstance(b, BulletList)), None)

    resume = (f"Udvalget orienteres om {'målopfølgning og ' if smileys else ''}nøgletal for beskæftigelsesområdet "
              f"i {report.municipality} Kommune for {report.period_label}.")
    paragraphs = [f"Administrationen har udarbejdet vedlagte rapport, der viser {report.municipality} Kommunes "
                  f"nøgletal for {report.period_label} sammenlignet med regionen og hele landet."]
    if smileys:
        counts = smileys.counts
        total = len(smileys.items)
        paragraphs.append(
            f"Af rapportens {total} mål er {counts[Status.MET]} opfyldt, {counts[Status.NOT_MET]} er ikke opfyldt, "
            f"og {counts[Status.NOT_ASSESSABLE]} kan endnu ikke vurderes.")
        not_met = [i.title for i in smileys.items if i.status is Status.NOT_MET]
        if not_met:
            paragraphs.append("Målene, der ikke er opfyldt, er: " + "; ".join(not_met) + ".")
    if trends:
        notable = [b.text for b in trends.items if b.bold] or [b.text for b in trends.items[:3]]
        heading = ("Siden forrige opfølgning er udviklingen ændret markant på disse områder:"
                   if any(b.bold for b in trends.items) else "De væsentligste udviklingstendenser er:")
        paragraphs.append(heading + " " + " ".join(notable))
    if lags:
        paragraphs.append("Enkelte tal kunne ikke opdateres til perioden: " + " ".join(b.text for b in lags.items))
    paragraphs.append(" ".join(report.sources) + ".")
    if report.synthetic:
        paragraphs.append("Bemærk: rapporten er bygget på syntetiske demodata og viser ikke officielle tal.")
    return CaseText(
        title=f"Orientering om nøgletal og målopfølgning, {report.period_label}",
        resume=resume,
        sagsfremstilling=tuple(paragraphs),
        indstilling=(RECOMMENDATION,),
        bilag=(attachment,),
        synthetic=report.synthetic,
    )


def document(report: Report, files: Sequence[str], name: str) -> Document:
    """The item's text for ``report`` as a document written under ``name``, for the agenda system.

    ``files`` are the report's files; the item attaches the PDF the committee reads, else the first."""
    text = build(report, next((f for f in files if f.endswith(".pdf")), files[0]))
    return Document(name, text.title, sections=(
        Section("resume", "Resume", (Paragraph(text.resume),)),
        Section("sagsfremstilling", "Sagsfremstilling", tuple(Paragraph(p) for p in text.sagsfremstilling)),
        Section("indstilling", "Indstilling", (Paragraph("Administrationen indstiller,"),
                                               BulletList(tuple(Bullet(p) for p in text.indstilling), numbered=True))),
        Section("bilag", "Bilag", (BulletList(tuple(Bullet(b) for b in text.bilag)),)),
    ))
