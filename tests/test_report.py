"""The committee report: built from a snapshot, rendered to HTML, PDF, DOCX and XLSX, read back."""

from __future__ import annotations

import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from maaltal import narrative
from maaltal.areas import AreaRegistry
from maaltal.document import Bullet, BulletList, Paragraph, Report, Section, SmileyItem, SmileyOverview, Status
from maaltal.measures import KeyFigureEngine, definitions
from maaltal.periods import Period
from maaltal.render import files, html
from maaltal.report import build, case_text
from maaltal.report.sections import keyfigures
from maaltal.sources import observations_csv
from maaltal.store import Store
from tests.conftest import TEST_DATA, run_cli

JUNE = Period.parse("2022M06")


@pytest.fixture(scope="module")
def demo_store(demo_store_file):
    """The session's demo store; every test here only reads it."""
    return demo_store_file


@pytest.fixture(scope="module")
def demo_report(demo_store):
    with Store.open(demo_store, read_only=True) as store:
        engine = KeyFigureEngine(store, AreaRegistry.default())
        request = build.ReportRequest(area="167", period=Period.parse("2024M12"), committee="Social- og "
                                      "Arbejdsmarkedsudvalget", benchmarks=("group:vestegnen",),
                                      previous=Period.parse("2024M09"))
        return build.build(engine, request)


def test_hvidovre_seed_figures_in_the_report(hvidovre_store, registry):
    engine = KeyFigureEngine(hvidovre_store, registry)
    from maaltal.measures import Indicator
    from maaltal.measures.definitions import KeyFigureDef
    gross = KeyFigureDef("bruttoledighed", "Bruttoledighed", Indicator.of("bruttoledige", "arbejdsstyrke"), "lower")
    request = build.ReportRequest(area="167", period=JUNE, benchmarks=("group:vestegnen",), keyfigures=(gross,))
    report = build.build(engine, request)
    text = html.render(report)
    assert "Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer)" in text
    assert "0,1 procentpoint under Region Hovedstaden (2,7 pct.)" in text
    assert "Nr. 2 af 8 i Vestegnens kommuner" in text
    # the source is the snapshot's own: a generic CSV is the municipality's own figures, with its import date
    assert re.search(r"Kilde: kommunens egne tal, indlæst \d+\. \w+ \d{4}", text)
    # only April–June exist: the year-ago comparison is missing and no data lag is claimed for June
    assert "Alle nøgletal i rapporten er opdateret til og med juni 2022" in text


def test_html_is_self_contained_and_reproducible(demo_store, demo_report):
    first = html.render(demo_report)
    with Store.open(demo_store, read_only=True) as store:
        engine = KeyFigureEngine(store, AreaRegistry.default())
        again = build.build(engine, build.ReportRequest(
            area="167", period=Period.parse("2024M12"), committee="Social- og Arbejdsmarkedsudvalget",
            benchmarks=("group:vestegnen",), previous=Period.parse("2024M09")))
    assert html.render(again) == first
    assert "http://" not in first.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in first and "<script" not in first
    assert first.count("<svg") >= 13 and "<desc>" in first
    assert "Syntetiske demodata" in first and 'lang="da"' in first


def _with_case_text(report, out, formats):
    """The report's files, then the agenda item's text as Markdown, DOCX and PDF, as ``maaltal report --agenda``."""
    written = files.write(report, out, formats)
    item = case_text.document(report, [p.name for p in written], f"{files.base_name(report)}-dagsordenspunkt")
    return written + files.write(item, out, ("md", "docx", "pdf"))


def test_all_formats_open_with_danish_figures(demo_report, tmp_path):
    paths = _with_case_text(demo_report, tmp_path, files.FORMATS)
    assert [p.suffix for p in paths] == [".html", ".pdf", ".docx", ".xlsx", ".md", ".docx", ".pdf"]
    focus = next(b for s in demo_report.sections if s.id == "noegletal-bruttoledighed" for b in s.blocks
                 if hasattr(b, "rows"))
    level = f"{focus.rows[0][1]:.1f}".replace(".", ",")

    pdf_text = "\n".join(page.extract_text() for page in PdfReader(paths[1]).pages)
    assert "syntetiske demodata" in pdf_text.lower()
    assert f"Bruttoledighed i Hvidovre: {level} pct." in pdf_text.replace("\n", " ")
    assert "Side 1 af" in pdf_text

    docx_text = "\n".join(p.text for p in Document(paths[2]).paragraphs)
    assert f"Bruttoledighed i Hvidovre: {level} pct." in docx_text and "Syntetiske demodata" in docx_text
    tables = Document(paths[2]).tables
    assert any(t.rows[1].cells[0].text == "Hvidovre" and t.rows[1].cells[1].text == level for t in tables)

    workbook = load_workbook(paths[3])
    assert workbook.sheetnames[0] == "Om rapporten"
    sheet = workbook[next(n for n in workbook.sheetnames if n.endswith("Bruttoledighed"))]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    hvidovre = next(row for row in cells if row[0] == "Hvidovre")
    assert isinstance(hvidovre[1], float) and f"{hvidovre[1]:.1f}".replace(".", ",") == level

    agenda_md = paths[4].read_text(encoding="utf-8")
    for heading in ("## Resume", "## Sagsfremstilling", "## Indstilling", "## Bilag"):
        assert heading in agenda_md
    assert "at orienteringen tages til efterretning" in agenda_md and "syntetiske demodata" in agenda_md
    assert "Bilag 1: Nøgletalsrapport for Hvidovre, december 2024 (PDF)" in agenda_md  # a title, not a file name


def test_trends_mark_notable_changes_in_bold(demo_report):
    trends = next(s for s in demo_report.sections if s.id == "udviklingstendenser")
    bullets = next(b for b in trends.blocks if isinstance(b, BulletList))
    assert bullets.items and all(b.text.split(":")[1].strip().startswith(("en stigning", "et fald", "stort set"))
                                 for b in bullets.items)
    for bullet in bullets.items:
        assert bullet.bold == ("siden september 2024" in bullet.text or "I september 2024 var det" in bullet.text)
        assert "+" not in bullet.text and "hele landet:" in bullet.text  # words, not signs; the nation beside
        assert "Vestegnens kommuner:" in bullet.text  # and the comparable municipalities


def test_lagging_series_is_noted(store, registry, tmp_path):
    observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    report = build.build(KeyFigureEngine(store, registry),
                         build.ReportRequest(area="167", period=Period.parse("2022M08")))
    text = html.render(report)
    assert "Bruttoledighed: seneste tal er fra juni 2022 (2 perioder før august 2022)" in text
    assert "Offentlig forsørgelse i alt" in text  # a key figure without data is named


def test_agenda_item_counts_smileys():
    overview = SmileyOverview((SmileyItem("a", "Flere i job", Status.MET),
                               SmileyItem("b", "Færre unge", Status.NOT_MET),
                               SmileyItem("c", "Tilfredshed", Status.NOT_ASSESSABLE)))
    report = Report("R", "Gladsaxe", None, "september 2023", 1, "v", None, False,
                    (Section("maal", "Mål", (overview,)),
                     Section("udviklingstendenser", "U", (BulletList((Bullet("x", True),)),))))
    item = case_text.build(report, ["r.pdf"])
    text = " ".join(b.text if isinstance(b, Paragraph) else " ".join(i.text for i in b.items)
                    for b in item.sagsfremstilling)
    assert "Af de 3 mål er 1 opfyldt og 1 ikke opfyldt, og 1 kan endnu ikke vurderes." in text
    assert "Færre unge" in text
    assert item.bilag == ("Bilag 1: Målopfølgning og nøgletal for Gladsaxe, september 2023 (PDF)",)


def test_report_command(demo_store, tmp_path):
    result = run_cli("--store", str(demo_store), "report", "--area", "167", "--period", "2024M12", "--out",
                     str(tmp_path), "--format", "html,xlsx", "--agenda")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "rapport-167-2024M12-dagsordenspunkt.docx", "rapport-167-2024M12-dagsordenspunkt.md",
        "rapport-167-2024M12-dagsordenspunkt.pdf", "rapport-167-2024M12.html", "rapport-167-2024M12.xlsx"]
    bad = run_cli("--store", str(demo_store), "report", "--area", "167", "--period", "2024M12", "--format", "odt")
    assert bad.returncode == 2 and "Ukendt format 'odt'" in bad.stderr


def test_horsens_unmet_development_goal_is_told_in_words_in_the_agenda_item(store, registry, tmp_path):
    """Horsens item 1: the ready-for-work group rose 56,2 % against 12,6 % nationally (not met). The goal
    table's cells are signed ("+56,2 %"); the agenda item's sentences say the developments in words."""
    from pathlib import Path
    observations_csv.import_file(store, TEST_DATA / "horsens_kontanthjaelp.csv", registry)
    catalogue = Path(__file__).parents[1] / "examples" / "horsens-2020.yaml"
    report = build.committee_report(KeyFigureEngine(store, registry), "615", Period.parse("2020M06"),
                                    catalogue=catalogue)
    overview = next(b for s in report.sections for b in s.blocks if isinstance(b, SmileyOverview))
    ready = next(i for i in overview.items if i.status is Status.NOT_MET)
    assert (ready.result, ready.target) == ("+56,2 %", "som hele landets udvikling (+12,6 %) eller bedre")
    agenda = _with_case_text(report, tmp_path, ("html",))[1].read_text(encoding="utf-8")
    assert ("Jobparate kontanthjælpsmodtagere: en stigning på 56,2 pct. mod målsætningen som hele landets "
            "udvikling (en stigning på 12,6 pct.) eller bedre.") in agenda
    assert not re.search(r"[+−]\d", agenda)


def test_gladsaxe_goal_follow_up_renders_3_4_3(store, registry, tmp_path):
    """Gladsaxe item 8: the smiley overview of the 3rd quarter 2023 with its figures, in every format."""
    observations_csv.import_file(store, TEST_DATA / "gladsaxe_maal_2023.csv", registry)
    from pathlib import Path
    catalogue = Path(__file__).parents[1] / "examples" / "gladsaxe-2023.yaml"
    report = build.committee_report(KeyFigureEngine(store, registry), "159", Period.parse("2023M09"),
                                    catalogue=catalogue, committee="Beskæftigelses- og Integrationsudvalget")
    overview = next(b for s in report.sections for b in s.blocks if isinstance(b, SmileyOverview))
    assert overview.counts == {Status.MET: 3, Status.NOT_MET: 4, Status.NOT_ASSESSABLE: 3}
    assert report.catalogue_hash and len(report.catalogue_hash) == 64
    paths = _with_case_text(report, tmp_path, ("html", "pdf", "docx"))
    text = paths[0].read_text(encoding="utf-8")
    assert 'aria-label="glad smiley: Opfyldt"' in text and 'aria-label="sur smiley: Ikke opfyldt"' in text
    counts = re.findall(r'<span class="n">(\d+)</span> <span>([a-zæø ]+)</span>', text)
    assert counts == [("3", "opfyldt"), ("4", "ikke opfyldt"), ("3", "kan ikke vurderes")]
    for figure in ("steget fra 2,0 pct. i januar 2023 til 2,6 pct. i september 2023",
                   "svarende til en stigning på 0,6 procentpoint"):
        assert figure in text
    pdf_text = " ".join(page.extract_text() for page in PdfReader(paths[1]).pages).replace("\n", " ")
    assert "3 opfyldt" in pdf_text.replace("  ", " ") and "8,2" in pdf_text
    agenda_md = paths[3].read_text(encoding="utf-8")
    assert "Af de 10 mål er 3 opfyldt og 4 ikke opfyldt, og 3 kan endnu ikke vurderes." in agenda_md


def test_budget_and_benchmark_files_become_report_sections(store, registry, tmp_path):
    """Issue 6, part 9: each part appears as its own section when its data are given."""
    from pathlib import Path

    from maaltal.report import attachments
    examples = Path(__file__).parents[1] / "examples"
    observations_csv.import_file(store, TEST_DATA / "hvidovre_bruttoledighed_2022.csv", registry)
    engine = KeyFigureEngine(store, registry)
    attached = attachments.parse([
        f"budget={examples / 'budget/gladsaxe-2023.csv'}", f"bridge={examples / 'budget/horsens-2021-bro.yaml'}",
        f"caseload={examples / 'benchmarks/hvidovre-sagsantal-2022.csv'}",
        f"unitcost={examples / 'benchmarks/hvidovre-enhedsomkostninger-2020.csv'}",
        f"reversals={examples / 'benchmarks/hvidovre-omgoerelser-2021.csv'}",
        f"pool={examples / 'benchmarks/hvidovre-flere-skal-med-2.yaml'}",
        f"survey={examples / 'benchmarks/horsens-brugerundersoegelse-2020.yaml'}"])
    september = Period.parse("2023M09")  # the budget file is for 2023; a 2022 report would refuse it
    extra = attachments.sections(attached, engine, "167", september)
    report = build.committee_report(engine, "167", september, extra_sections=extra)
    text = html.render(report)
    for figure in ("917,3", "1.624,5", "48,5", "22.953", "26,7", "662", "1.424"):
        assert figure in text, figure
    assert len({s.id for s in extra}) == 7
    with pytest.raises(Exception, match="TYPE=FIL"):
        attachments.parse(["regnskab=x.csv"])


def test_a_lagging_source_is_named_in_the_report(store, registry):
    """Herning item 19: the KY data stopped in September while a-dagpenge ran to December."""
    from tests.test_sources_status import herning_store
    herning_store(store)
    report = build.build(KeyFigureEngine(store, registry),
                         build.ReportRequest(area="657", period=Period.parse("2020M12")))
    text = html.render(report)
    assert ("fuldtidspersoner (ydelse=kontanthjælp): mangler oktober 2020 – december 2020; seneste tal er fra "
            "september 2020 (kilde: jobindsats:Y36A02)") in text


def test_small_counts_are_hidden_in_the_report(store, registry):
    """Fewer than 5 persons: the level, the count and the development are not shown, in tables, charts
    or text; the region's figures still are."""
    from maaltal.measures import Indicator
    from maaltal.measures.definitions import KeyFigureDef
    from maaltal.store import Observation
    months = [Period.parse(m) for m in ("2023M06", "2024M06")]
    store.write_snapshot(
        [Observation("ledige", "825", m, v, "personer") for m, v in zip(months, (6, 3), strict=True)]
        + [Observation("styrke", "825", m, 900, "personer") for m in months]
        + [Observation("ledige", "1081", m, 9000, "personer") for m in months]
        + [Observation("styrke", "1081", m, 300000, "personer") for m in months], source="t")
    definition = KeyFigureDef("ledighed", "Ledighed", Indicator.of("ledige", "styrke"), "lower")
    report = build.build(KeyFigureEngine(store, registry), build.ReportRequest(
        area="825", period=months[1], keyfigures=(definition,)))
    section = next(s for s in report.sections if s.id == "noegletal-ledighed")
    table = next(b for b in section.blocks if hasattr(b, "rows"))
    laesoe, region = table.rows[0], table.rows[1]
    assert laesoe[0] == "Læsø" and laesoe[1:] == (None, None, None, None)
    assert region[0] == "Region Nordjylland" and region[1] == pytest.approx(3.0)
    text = html.render(report)
    assert "bygger på færre end 5 personer og vises ikke" in text and "0,3 pct." not in text


def test_sentences_are_told_of_the_printed_figures(demo_store, demo_report):
    """No "en stigning på 0 fuldtidspersoner", no "1 fuldtidspersoner", and a difference of levels is the
    difference of the printed levels (14,7 against 14,2 is 0,5 procentpoint; unrounded it was 0,4)."""
    text = html.render(demo_report)
    with Store.open(demo_store, read_only=True) as store:  # the benefit groups' sentences, as `figures` writes
        engine = KeyFigureEngine(store, AreaRegistry.default())
        results, _ = keyfigures.compute(engine, definitions.load(), "167", Period.parse("2024M12"),
                                        ["1084", "000", "group:vestegnen"])
    sentences = " ".join(narrative.keyfigure(r.table, r.definition.label) for r in results)
    assert "147 fuldtidspersoner i december 2024, uændret siden december 2023" in sentences
    assert "(871 fuldtidspersoner), 1 fuldtidsperson flere end i december 2023" in sentences
    assert "Det er 0,5 procentpoint over Vestegnens kommuner (14,2 pct.)" in text
    assert "en stigning på 0 " not in text and " 1 fuldtidspersoner" not in text


def test_agenda_item_has_every_section_with_the_forecast_and_unmet_goals(demo_store, tmp_path):
    """Issue 13, part 6: the demo's item as `make demo` writes it, read back from Markdown, DOCX and PDF."""
    from pathlib import Path

    from maaltal.report import attachments
    examples = Path(__file__).parents[1] / "examples"
    with Store.open(demo_store, read_only=True) as store:
        engine = KeyFigureEngine(store, AreaRegistry.default())
        december = Period.parse("2024M12")
        extra = attachments.sections(attachments.parse([f"forecast={examples / 'budget/enhedspriser-demo.csv'}"]),
                                     engine, "167", december)
        report = build.committee_report(engine, "167", december, catalogue=examples / "demo-hvidovre-2024.yaml",
                                        previous=Period.parse("2024M09"), extra_sections=extra)
    item = case_text.document(report, ["rapport-167-2024M12.html", "rapport-167-2024M12.pdf",
                                       "rapport-167-2024M12.xlsx"], "punkt", case_number="24/12345")
    md, docx_path, pdf_path = files.write(item, tmp_path, ("md", "docx", "pdf"))
    texts = {".md": md.read_text(encoding="utf-8"),
             ".docx": "\n".join(p.text for p in Document(docx_path).paragraphs),
             ".pdf": " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)}
    for suffix, text in texts.items():
        flat = " ".join(text.split())
        for words in ("Beslutningstema", "Resume", "Sagsfremstilling", "Økonomi", "Retsgrundlag", "Høring",
                      "Indstilling", "Bilag", "24/12345", "Sagen har ikke været i høring.",
                      "Lov om organisering og understøttelse af beskæftigelsesindsatsen",
                      "et merforbrug på 2,3 mio. kr.",  # the forecast's bottom line
                      "Af de 5 mål er 3 opfyldt og 2 ikke opfyldt.",
                      "Unge 18-29 år på offentlig forsørgelse: 10,3 pct. mod målsætningen under 10 pct.",
                      "Bilag 1: Målopfølgning og nøgletal for Hvidovre, december 2024 (PDF)",
                      "Bilag 2: Data bag rapporten for Hvidovre, december 2024 (Excel)"):
            assert words in flat, (suffix, words)
        assert "rapport-167-2024M12.pdf" not in flat and flat.count("Siden forrige opfølgning") == 0
    resume = texts[".md"].split("## Resume")[1].split("##")[0]
    assert "2 ikke opfyldt" in resume and "merforbrug på 2,3 mio. kr." in resume and "10,3 pct." in resume
    sagsfremstilling = texts[".md"].split("## Sagsfremstilling")[1].split("## Økonomi")[0]
    assert sagsfremstilling.count("\n- ") >= 4  # bullets, not one paragraph


def test_agenda_item_without_budget_files_does_not_assume_no_economy(demo_report):
    item = case_text.build(demo_report, ["rapport-167-2024M12.pdf"])
    assert item.economy == ("Økonomien indgår ikke i denne opfølgning: der er ikke vedlagt budgetopfølgning eller "
                            "prognose for overførselsudgifterne.",)
    assert not any("ingen økonomiske konsekvenser" in e for e in item.economy)
    assert item.case_number is None and item.hoering == "Sagen har ikke været i høring."


def test_the_fixed_texts_are_the_municipalitys_own_file(tmp_path, demo_report):
    own = tmp_path / "tekster.yaml"
    own.write_text("beslutningstema: Tema for {municipality} {period}\nbeslutningstema_without_goals: Nøgletal "
                   "for {municipality}\nretsgrundlag: [Lov om en aktiv beskæftigelsesindsats § 1]\nhoering: Sagen "
                   "har været i høring i Handicaprådet.\neconomy_not_included: Ingen økonomi.\nindstilling_intro: "
                   "Direktøren indstiller,\nindstilling: [at orienteringen tages til efterretning.]\n",
                   encoding="utf-8")
    item = case_text.build(demo_report, ["r.pdf"], texts=case_text.load_texts(own))
    assert item.beslutningstema == "Nøgletal for Hvidovre" and item.hoering.endswith("Handicaprådet.")
    own.write_text("beslutningstema: x\nhoring: y\n", encoding="utf-8")
    with pytest.raises(Exception, match="ukendt felt 'horing'"):
        case_text.load_texts(own)


def test_agenda_item_economy_from_the_budget_follow_up_and_bridge():
    """Gladsaxe item 1's bottom line (20,5 mio. kr. over the adopted budget) and Horsens item 3's bridge."""
    from pathlib import Path

    from maaltal.budget import bridge, followup
    from maaltal.report.sections.budget import report_section
    examples = Path(__file__).parents[1] / "examples" / "budget"
    sections = (report_section(followup.load(examples / "gladsaxe-2023.csv", 2023)),
                report_section(bridge.load(examples / "horsens-2021-bro.yaml")))
    report = Report("R", "Gladsaxe", None, "september 2023", 1, "v", None, False, sections)
    budget, bridge_line = case_text.build(report, ["r.pdf"]).economy
    # 937,8 − 931,7 = 6,1 against the corrected budget, as printed
    assert budget == ("Budgetopfølgningen 2023 forventer et samlet forbrug på 937,8 mio. kr. mod et korrigeret "
                      "budget på 931,7 mio. kr.: et merforbrug på 6,1 mio. kr. (i forhold til vedtaget budget et "
                      "merforbrug på 20,5 mio. kr.).")
    assert bridge_line.startswith("Beskæftigelses- og Integrationsudvalgets budget 2021 opjusteres med 40,5 mio. kr.")
