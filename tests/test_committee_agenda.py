"""Agenda and minutes out, read back: DOCX with python-docx, PDF text with pypdf, written by the renderers
every document goes through."""

from dataclasses import replace
from datetime import date

from docx import Document
from pypdf import PdfReader

from maaltal import formatting as fmt
from maaltal.committee.minutes import parse_file
from maaltal.committee.requests import find_requests
from maaltal.document import Table
from maaltal.render import files
from maaltal.report import meeting as meeting_document
from maaltal.report.meeting import MeetingDocumentKind as Kind
from tests.test_minutes import GLADSAXE, HVIDOVRE


def test_minutes_as_docx_have_the_layout_of_the_seeds(seeds, tmp_path):
    meeting = parse_file(seeds / HVIDOVRE).meeting
    (path,) = files.write(meeting_document.build(meeting, Kind.MINUTES), tmp_path, ["docx"])
    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "REFERAT Social- og Arbejdsmarkedsudvalget d. 05-09-2022"
    assert "Mødedato Mandag d. 5. september 2022 kl. 12:00" in paragraphs
    assert ("Mødedeltagere Silas Fisker, Marie-Louise Jørgensen, Karin Kofod, Maria Durhuus (Afbud), "
            "Idris Yorulmaz") in paragraphs
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 12
    assert headings[4].startswith("Punkt 5: Danmarkskort over Ankestyrelsens") and headings[4].endswith("(D)")
    assert paragraphs.count("Beslutning i Social- og Arbejdsmarkedsudvalget den 07-06-2022") == 1  # item 8: udsat
    assert paragraphs.count("Beslutning i Social- og Arbejdsmarkedsudvalget den 05-09-2022") == 12
    assert "1. at drøfte danmarkskortet over Ankestyrelsens omgørelsesprocenter indenfor det sociale område i 2021." \
        in paragraphs  # every item's points are numbered from 1
    assert sum(p.startswith("1. at ") for p in paragraphs) == 9  # items 3-11
    assert any(p.startswith("2. at godkende, at der ikke udarbejdes en handleplan") for p in paragraphs)
    (vote,) = doc.tables
    assert [c.text for c in vote.rows[1].cells] == ["Ad 2.", "A, C", "F, Ø", "–", "Bortfaldet pga. stemmelighed."]
    assert doc.sections[0].header.paragraphs[0].text == "Referat – Social- og Arbejdsmarkedsudvalget – 05-09-2022"


def test_an_agenda_lists_open_requests_and_no_decisions(seeds, tmp_path):
    meeting = parse_file(seeds / HVIDOVRE).meeting
    open_requests = [replace(r, id=n) for n, r in enumerate(find_requests(meeting), start=1)]
    document = meeting_document.build(meeting, Kind.AGENDA, open_requests)
    doc = Document(str(files.write(document, tmp_path, ["docx"])[0]))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0].startswith("DAGSORDEN ")
    assert "Udvalgets udestående anmodninger" in paragraphs
    assert not any(p.startswith("Beslutning i ") for p in paragraphs)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(meeting_document.REQUEST_HEADER)
    assert [c.text for c in table.rows[2].cells][:4] == ["2", "05-09-2022", "12", "Marie-Louise Jørgensen (F)"]
    assert table.rows[2].cells[7].text == "næste møde"  # no later meeting known
    dates = [date(2022, 9, 5), date(2022, 10, 3), date(2022, 11, 7)]
    at_next = meeting_document.build(replace(meeting, date=date(2022, 10, 3)), Kind.AGENDA, open_requests, dates)
    assert _request_rows(at_next)[0][7] == "dette møde"
    later = meeting_document.build(replace(meeting, date=date(2022, 11, 7)), Kind.AGENDA, open_requests, dates)
    assert _request_rows(later)[0][7] == "03-10-2022 (overskredet)"  # due at the next meeting, still open after it

    empty = meeting_document.build(meeting, Kind.AGENDA, [])
    assert any(b.text == "Der er ingen ubesvarede anmodninger fra tidligere møder." for s in empty.sections
               for b in s.blocks if s.id == "anmodninger")


def _request_rows(document):
    return next(b for s in document.sections for b in s.blocks if isinstance(b, Table)).rows


def test_minutes_as_pdf_read_back(seeds, tmp_path):
    meeting = parse_file(seeds / GLADSAXE).meeting
    (path,) = files.write(meeting_document.build(meeting, Kind.MINUTES), tmp_path, ["pdf"])
    reader = PdfReader(str(path))
    first = " ".join(reader.pages[0].extract_text().split())  # lines wrap where the page ends
    assert "REFERAT Beskæftigelses- og Integrationsudvalget d. 06-12-2023" in first
    assert "Onsdag d. 6. december 2023 kl. 19:00" in first
    assert "Side 1 af" in first and "Referat – Beskæftigelses- og Integrationsudvalget – 06-12-2023" in first
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Punkt 13: Lukket: Mundtlige meddelelser" in text and "Lukket punkt." in text
    assert "tillægsbevilling på 32,9 mio. kr." in text
    assert "Økonomiudvalget 12.12.2023" in text


def test_the_dates_minutes_write():
    assert fmt.meeting_date(date(2023, 12, 6)) == "Onsdag d. 6. december 2023"
    assert fmt.short_date(date(2019, 9, 2)) == "02-09-2019"
