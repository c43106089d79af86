"""The files drop into a Danish office: DOCX in da-DK with page numbers, a TOC field, alt text and repeating
header rows; XLSX with number formats, dates and safe sheet names; a tagged PDF. Each is read back with the
library an office would use (python-docx, openpyxl, pypdf)."""

from __future__ import annotations

import datetime as dt
import zipfile

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from maaltal.document import (
    Bullet,
    BulletList,
    Chart,
    Column,
    Format,
    Paragraph,
    Report,
    Section,
    Series,
    SmileyItem,
    SmileyOverview,
    Status,
    Table,
)
from maaltal.render import docx as docx_render
from maaltal.render import pdf as pdf_render
from maaltal.render import xlsx as xlsx_render

# Hvidovre's gross unemployment against the region (the seed's item 9 shape) and a goal overview.
CHART = Chart("bruttoledighed-udvikling", "Bruttoledighed", "line", "pct.", (
    Series("Hvidovre", (("okt. 2023", 2.7381254876841), ("nov. 2023", 2.6), ("dec. 2023", None)), highlight=True),
    Series("Region Hovedstaden", (("okt. 2023", 2.9), ("nov. 2023", 2.8), ("dec. 2023", 2.8)))),
    "Bruttoledigheden i Hvidovre fra oktober til december 2023 sammenlignet med regionen.", Format.SHARE, 1)
TABLE = Table("bruttoledighed", "Bruttoledighed – december 2023",
              (Column("area", "Område"), Column("level", "Niveau (pct.)", Format.SHARE, 1),
               Column("count", "Antal (personer)", Format.NUMBER), Column("rank", "Placering", Format.RANK)),
              tuple(("=HYPERLINK(\"x\")" if i == 0 else f"Område {i}", 2.6, 701 + i, (83, 98)) for i in range(60)))
GOALS = Table("maal-status", "Målenes status", (Column("goal", "Mål"), Column("target", "Målsætning"),
                                                Column("result", "Resultat"), Column("status", "Status"),
                                                Column("explanation", "Forklaring")),
              (("Bruttoledighed", "3 pct.", "2,5 pct.", "Opfyldt", ""),
               ("Unge 18-29 år på offentlig forsørgelse", "10 pct.", "10,3 pct.", "Ikke opfyldt",
                "Forklaring mangler")))
OVERVIEW = SmileyOverview((SmileyItem("b", "Bruttoledighed", Status.MET),
                           SmileyItem("u", "Unge 18-29 år på offentlig forsørgelse", Status.NOT_MET)))
REPORT = Report(
    "Målopfølgning og nøgletal – Hvidovre Kommune – december 2023", "Hvidovre", "Social- og Arbejdsmarkedsudvalget",
    "december 2023", 4, "Data fra øjebliksbillede 4", None, True, (
        Section("maal-oversigt", "Målopfølgning december 2023: oversigt", (OVERVIEW, GOALS)),
        Section("udviklingstendenser", "Udviklingstendenser", (BulletList((Bullet("Bruttoledighed: fald.", True),)),)),
        Section("kilder", "Kilder og metode", (Paragraph("Tekst uden tal: intet ark."),)),
        Section("noegletal-bruttoledighed", "Bruttoledighed", (TABLE, CHART)),
        Section("noegletal-bruttoledighed-2", "Bruttoledighed", (TABLE,)),
    ), metadata={"area": "167", "period": "2023M12"})


def test_docx_is_danish_with_page_numbers_toc_alt_text_and_repeating_headers(tmp_path):
    path = tmp_path / "r.docx"
    docx_render.render(REPORT, path)
    doc = Document(str(path))
    lang = doc.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "da-DK" and doc.core_properties.language == "da-DK"
    with zipfile.ZipFile(path) as z:
        footer = next(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        body = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert " PAGE " in footer and " NUMPAGES " in footer and "Syntetiske demodata" in footer
    assert 'TOC \\o "1-3"' in body and '<w:updateFields w:val="true"/>' in settings
    images = doc.inline_shapes
    assert len(images) == 6  # the chart, three smileys in the counts and one per goal
    descriptions = [shape._inline.docPr.get("descr") for shape in images]
    assert all(descriptions) and any("sammenlignet med regionen" in d for d in descriptions)
    assert "Ikke opfyldt" in descriptions
    for table in doc.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


def test_xlsx_has_goal_status_trends_number_formats_dates_and_safe_sheet_names(tmp_path):
    path = tmp_path / "r.xlsx"
    xlsx_render.render(REPORT, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Om rapporten", "Målopfølgning december 2023", "Udviklingstendenser",
                               "Bruttoledighed", "Bruttoledighed (2)", "Udvikling over tid"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    for sheet in book.worksheets:  # the disclaimer on every sheet
        assert sheet["A2"].value.startswith("Syntetiske demodata") and sheet["A3"].value.startswith("Kilde")
    goals = [[c.value for c in row] for row in book["Målopfølgning december 2023"].iter_rows()]
    assert ["Mål", "Målsætning", "Resultat", "Status", "Forklaring"] in goals
    assert ["Unge 18-29 år på offentlig forsørgelse", "10 pct.", "10,3 pct.", "Ikke opfyldt",
            "Forklaring mangler"] in goals
    cells = [c for row in book["Bruttoledighed"].iter_rows() for c in row if c.value is not None]
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert numbers and all(c.number_format != "General" for c in numbers)  # a format on every figure
    assert any(c.value == "=HYPERLINK(\"x\")" and c.data_type == "s" for c in cells)  # text stays text
    chart_value = next(c for c in numbers if c.value == 2.7381254876841)
    assert chart_value.number_format == "#,##0.0"  # shown as 2,7, stored whole
    dates = [c for c in cells if isinstance(c.value, dt.datetime)]
    assert [d.value.date() for d in dates] == [dt.date(2023, 10, 1), dt.date(2023, 11, 1), dt.date(2023, 12, 1)]
    assert all(d.number_format == "mmm yyyy" for d in dates)
    trends = [[c.value for c in row] for row in book["Udvikling over tid"].iter_rows(min_row=5)]
    assert trends[0] == ["Figur", "Enhed", "Serie", "Måned", "Værdi"]
    assert trends[1] == ["Bruttoledighed", "pct.", "Hvidovre", dt.datetime(2023, 10, 1), 2.7381254876841]
    assert len(trends) == 1 + 5  # the empty December is left out


def test_sheet_names_are_cut_at_a_word_and_unique():
    used: set[str] = set()
    names = [xlsx_render.sheet_name(t, used) for t in (
        "Prognose for overførselsudgifter 2024", "Kontanthjælp, aktivitetsparate modtagere i alt",
        "Kontanthjælp, aktivitetsparate modtagere i alt", "Omgørelser: 2021/2022", "x" * 40)]
    assert names == ["Prognose", "Kontanthjælp, aktivitetsparate", "Kontanthjælp (2)",
                     "Omgørelser 2021 2022", "x" * 31]
    assert xlsx_render.month("jan. 2024") == dt.date(2024, 1, 1) == xlsx_render.month("januar 2024")
    assert xlsx_render.month("maj 2024") == dt.date(2024, 5, 1) and xlsx_render.month("januar") is None


def test_pdf_is_tagged_pdf_ua_in_danish(tmp_path):
    path = tmp_path / "r.pdf"
    pdf_render.render(REPORT, path)
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "da" and reader.metadata.title.startswith("Målopfølgning og nøgletal")
    assert "pdfuaid" in root["/Metadata"].get_object().get_data().decode()


def test_chart_text_is_at_least_11_px_on_a_375_px_phone():
    """Issue 13, part 7: in Chromium at a phone's width the charts' text is readable (≥ 11 px as rendered)."""
    import pytest

    from maaltal.render import html
    from tests.test_browser import ARGS, CHROMIUM, SHOTS
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.set_content(html.render(REPORT))
        sizes = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        })""")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "chart-375px.png"))
        wide = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert sizes and min(sizes) >= 11, sizes
    assert wide <= 375  # the chart scrolls inside its figure; the page itself does not
