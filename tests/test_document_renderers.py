"""One renderer per medium: the meeting's minutes, the agenda item's text and the key-figure overview are
documents like the report, and HTML, PDF, DOCX and Markdown each lay them out with the same words.

The minutes are Hvidovre's of 5 September 2022 (a vote on item 5 fell on a tie); the agenda item carries
Gladsaxe's goal follow-up of the 3rd quarter 2023 (3 met, 4 not met, 3 not assessable, item 8); the
overview is Hvidovre's gross unemployment of June 2022 (item 9: 2,6 pct., 701 persons).
"""

import ast
import re
from html import unescape
from pathlib import Path

import pytest
from docx import Document as DocxFile
from pypdf import PdfReader

from maaltal.committee.minutes import parse_file
from maaltal.measures import KeyFigureEngine
from maaltal.measures import definitions as keyfigure_definitions
from maaltal.measures import overview as overview_builder
from maaltal.periods import Period
from maaltal.render import files
from maaltal.report import build, case_text, monthly_overview
from maaltal.report import meeting as meeting_document
from maaltal.sources import observations_csv
from tests.conftest import TEST_DATA
from tests.test_minutes import HVIDOVRE

MEDIA = ("html", "pdf", "docx", "md")
SRC = Path(__file__).parents[1] / "src" / "maaltal"


def _text(path: Path) -> str:
    """What a reader of the file sees, as one line of words."""
    if path.suffix == ".html":
        text = unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", path.read_text(encoding="utf-8"), flags=re.S))
    elif path.suffix == ".pdf":
        text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    elif path.suffix == ".docx":
        doc = DocxFile(str(path))
        text = " ".join([doc.sections[0].header.paragraphs[0].text, *(p.text for p in doc.paragraphs),
                         *(c.text for t in doc.tables for row in t.rows for c in row.cells)])
    else:
        text = re.sub(r"[*#|]", " ", path.read_text(encoding="utf-8"))
    return " ".join(text.split())


def test_every_medium_renders_the_minutes(seeds, tmp_path):
    minutes = meeting_document.build(parse_file(seeds / HVIDOVRE).meeting, meeting_document.MeetingDocumentKind.MINUTES)
    paths = files.write(minutes, tmp_path, MEDIA)
    assert [p.name for p in paths] == [f"referat-2022-09-05.{m}" for m in MEDIA]
    for path in paths:
        text = _text(path)
        for words in ("REFERAT Social- og Arbejdsmarkedsudvalget d. 05-09-2022", "Mødedato",
                      "Mandag d. 5. september 2022 kl. 12:00", "Maria Durhuus (Afbud)", "Indholdsfortegnelse",
                      "Punkt 5: Danmarkskort over Ankestyrelsens omgørelsesprocenter",
                      "Beslutning i Social- og Arbejdsmarkedsudvalget den 07-06-2022",
                      "at drøfte danmarkskortet over Ankestyrelsens omgørelsesprocenter",
                      "Bortfaldet pga. stemmelighed."):
            assert words in text, (path.suffix, words)
    for path in paths[1:3]:  # the media with pages carry the running head
        assert "Referat – Social- og Arbejdsmarkedsudvalget – 05-09-2022" in _text(path)
    for path in paths[2:]:  # numbered from 1 in every item; HTML and PDF number an <ol> themselves
        assert "1. at drøfte danmarkskortet over Ankestyrelsens omgørelsesprocenter" in _text(path)
    html = paths[0].read_text(encoding="utf-8")
    # The items alone are the top headings; the table of contents sits at the level of an item's parts.
    assert len(re.findall(r"<h2>Punkt \d+: ", html)) == len(re.findall(r"<h2>", html)) == 12
    assert "<h3>Indholdsfortegnelse</h3>" in html and "<ol>" in html


@pytest.fixture
def gladsaxe_report(store, registry):
    observations_csv.import_file(store, TEST_DATA / "gladsaxe_maal_2023.csv", registry)
    catalogue = Path(__file__).parents[1] / "examples" / "gladsaxe-2023.yaml"
    return build.committee_report(KeyFigureEngine(store, registry), "159", Period.parse("2023M09"),
                                  catalogue=catalogue, committee="Beskæftigelses- og Integrationsudvalget")


def test_every_medium_renders_the_agenda_items_text(gladsaxe_report, tmp_path):
    item = case_text.document(gladsaxe_report, ["rapport-159-2023M09.html", "rapport-159-2023M09.pdf"],
                              "rapport-159-2023M09-dagsordenspunkt")
    for path in files.write(item, tmp_path, MEDIA):
        text = _text(path)
        for words in ("Orientering om nøgletal og målopfølgning, september 2023", "Beslutningstema", "Resume",
                      "Sagsfremstilling", "Økonomi", "Retsgrundlag", "Høring", "Sagen har ikke været i høring.",
                      "Af de 10 mål er 3 opfyldt og 4 ikke opfyldt, og 3 kan endnu ikke vurderes.",
                      "Administrationen indstiller,", "at orienteringen tages til efterretning.", "Bilag",
                      # the item attaches the PDF the committee reads, by its title
                      "Bilag 1: Målopfølgning og nøgletal for Gladsaxe, september 2023 (PDF)"):
            assert words in text, (path.suffix, words)
        assert "rapport-159-2023M09.html" not in text


def test_the_overview_document_opens_with_gross_unemployment(hvidovre_store, registry, tmp_path):
    """The headline is chosen where the document is built; the renderers only lay out its paragraphs."""
    engine = KeyFigureEngine(hvidovre_store, registry)
    result = overview_builder.build(engine, keyfigure_definitions.load(), "167", Period.parse("2022M06"))
    document = monthly_overview.document(result, {a.id: a.name for a in registry})
    assert document.blocks[0].text.startswith("Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer).")
    for path in files.write(document, tmp_path, MEDIA):
        text = _text(path)
        assert "Nøgletal for Hvidovre – juni 2022 Bruttoledighed i Hvidovre: 2,6 pct." in text, path.suffix
        assert "Bruttoledighed (pct.) 2,6 (" in text, path.suffix


def _maaltal_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maaltal."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "maaltal":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("maaltal.")}
    return found


@pytest.mark.parametrize(("package", "above"), [
    ("committee", {"report", "render", "demo", "app", "publish", "web", "cli"}),
    ("render", {"demo", "app", "publish", "web", "cli"}),
])
def test_committee_and_render_import_nothing_above_them(package, above):
    """The house is one-way: committee holds facts for the report layer, renderers lay out documents."""
    upward = {f"{p.relative_to(SRC)}: {sorted(_maaltal_imports(p) & above)}"
              for p in (SRC / package).rglob("*.py") if _maaltal_imports(p) & above}
    assert upward == set()
