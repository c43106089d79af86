"""Read published minutes (referater) in their text form into the committee model.

Municipalities publish minutes from a handful of agenda systems, each with its own house style: Markdown
headings (Horsens, Gladsaxe), plain text with "Punkt N: …" lines (Herning, Hvidovre, Slagelse),
decisions headed "Beslutning" or "Beslutning i <udvalg> den <dato>", absentees as "Afbud X",
"Fraværende: X (V)" or "X deltog ikke i mødet", tables of contents with dotted leaders. The parser reads
the text line by line into sections by their headings; what it cannot place is kept with its line number
and reported, never dropped, so an analyst can see what an unknown house style did.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from maaltal import privacy
from maaltal.committee.model import (
    AgendaItem,
    Decision,
    ItemKind,
    Meeting,
    Recommendation,
    UnplacedText,
    Vote,
)
from maaltal.errors import InputError
from maaltal.formatting import MONTHS
from maaltal.inputfile import read_text

_ITEM = re.compile(r"^Punkt\s+(\d+)\s*:\s*(.*)$")
_CASE = re.compile(r"^(?:Sagsnr\.?:?\s*)?(\d[0-9A-Za-z]*(?:[./-][0-9A-Za-z]+)+)(?:\s+Dok\.\s?nr\.?:?\s*(\S+))?$")
_DOC_NO = re.compile(r"^Dok\.\s?nr\.?:?\s*(\S+)$")
_DECISION = re.compile(r"^Beslutning(?:\s+i\s+(.+?)\s+den\s+(.+?))?\s*:?$")
_HEADER_TITLE = re.compile(r"^REFERAT\s+(.+?)(?:\s+d\.\s+(\d{1,2}-\d{1,2}-\d{4}))?$")
_DATE_LINE = re.compile(r"^d\.\s+(\d{1,2}-\d{1,2}-\d{4})$")
_MEETING_DATE = re.compile(r"^Mødedato\s+(.*?)(?:\s+kl\.\s*(\d{1,2}[:.]\d{2}))?$")
_TOC_HEAD = re.compile(r"^In+d?holdsfortegnelse$", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"^(.*?)(?:\s*\.{2,}\s*|\t+\s*)(\d+)$")
_POINT = re.compile(r"^(?:-\s*)?(?:(\d+)\.\s*)?(at\b.*)$|^(?:-\s*)?(\d+)\.\s+(.+)$", re.IGNORECASE)
_RECOMMENDS = re.compile(r"\bindstiller\b(?:,?\s*at)?(?:\s+til\s.*)?[,:]?$", re.IGNORECASE)
_ABSENT_AFBUD = re.compile(r"^Afbud:?\s+(.+?)\.?$")
_ABSENT_FRAVAER = re.compile(r"^Fraværende:\s*(.*)$")
_ABSENT_SENTENCE = re.compile(r"^(.+?) deltog ikke i mødet\.?$")
_VOTE_POINT = re.compile(r"^Ad\s+(\d+)\.?\s*(.*)$")
_VOTE_PART = re.compile(r"^(For|Imod|Undlod(?: at stemme)?|Hverken for eller imod)\s*:\s*(.+)$", re.IGNORECASE)
_ABSTAIN_SENTENCE = re.compile(r"^(.+?) undlod at stemme\.?$")
_POSTPONED = re.compile(r"^(?:udsat|sagen udsættes|punktet udsættes)\b|\bgenoptages\b", re.IGNORECASE)
_KIND_SUFFIX = re.compile(r"\s*\(([BDO])\)$")
_KIND_PREFIX = re.compile(r"^(Beslutning|Drøftelse|Orientering)\s+-\s+")
_ELECTION_PERIOD = re.compile(r"\s*\(?\d{4}-\d{4}\)?$")
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?) Kommunes?\b")
_DOC_PREFIX = re.compile(r"^\d{3}-\d{4}-$")
_DOC_NUMBERED = re.compile(r"^(?:\d{3}-\d{4}-)?\d{5,}\s+(.+)$")
_ONWARD = re.compile(r"anbefale over for|forelægges til behandling i|til godkendelse i|indgår som led i|"
                     r"oversendes til", re.IGNORECASE)
_BODY = re.compile(r"[A-ZÆØÅ][a-zæøå]+- og [A-ZÆØÅa-zæøå][a-zæøå]*udvalget|[A-ZÆØÅ][a-zæøå]*udvalget|Byrådet|"
                   r"[Kk]ommunalbestyrelsen|[Rr]egionsrådet")

# Headings that open a section of an item, by their lower-cased text; the value is where the text goes.
_SECTIONS = {
    "resume": "resume", "resumé": "resume",
    "sagsfremstilling": "sagsfremstilling",
    "indstilling": "indstilling",
    "bilag": "bilag",
    "relateret behandling": "related", "tidligere behandling": "related",
    "kommende behandlingsforløb": "next",
    "meddelelse": "decision", "meddelelser": "decision",
}
_NAMED_SECTIONS = {
    "beslutningstema", "kommunikation", "baggrund", "retligt grundlag", "handlemuligheder", "vurdering",
    "økonomiske og personalemæssige konsekvenser", "konsekvenser for andre udvalg",
    "politiske beslutninger og aftaler", "økonomiske konsekvenser", "retsgrundlag", "høring", "kompetence",
    "deltager i sagens behandling", "deltagere i sagens behandling",
}


@dataclass(frozen=True)
class ParsedMinutes:
    """A parsed file: the meeting, its table of contents and what the parser wants the analyst to see."""

    meeting: Meeting
    toc: tuple[str, ...]
    warnings: tuple[str, ...]


def clean(line: str) -> str:
    """A line without Markdown heading marks, bold marks and escapes: the words the minutes say."""
    text = re.sub(r"^#+\s*", "", line.strip())
    text = text.replace("**", "").replace("\\_", "_").replace("\\", "")
    return text.strip()


def parse_danish_date(text: str) -> date | None:
    """``05-09-2022``, ``06.12.2023`` or ``2. september 2019`` (a weekday in front is ignored)."""
    text = text.strip().rstrip(":").strip()
    numeric = re.search(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})", text)
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        return _safe_date(year, month, day)
    written = re.search(r"(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", text.lower())
    if written and written.group(2) in MONTHS:
        return _safe_date(int(written.group(3)), MONTHS.index(written.group(2)) + 1, int(written.group(1)))
    return None


def mask_cpr(text: str) -> tuple[str, list[int]]:
    """The text with anything shaped like a CPR number masked whole (``XXXXXX-XXXX``), and the lines it was on.

    Published minutes should hold none, but a draft or an attachment pasted in may: it is never stored.
    The one masker of :mod:`maaltal.privacy`, sparing the case and journal numbers minutes are full of
    ("sag 27-010203-1234")."""
    return privacy.masked_lines(text, whole=True, spare_case_numbers=True)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_file(path: str | Path) -> ParsedMinutes:
    """Read minutes from a UTF-8 text file; a file that is not minutes is an :class:`InputError`."""
    return parse_text(read_text(path), str(path))


def parse_text(text: str, file: str = "<tekst>") -> ParsedMinutes:
    text, masked = mask_cpr(text)
    lines = [clean(raw) for raw in text.splitlines()]
    starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if not starts:
        raise InputError("ingen dagsordenspunkter fundet (linjer som 'Punkt 1: Titel')", file=file)
    header = _parse_header(lines[:starts[0]], file)
    items, warnings = [], []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        item = _ItemParser(lines, start, end).parse()
        if any(i.number == item.number for i in items):
            raise InputError(f"punkt {item.number} findes to gange", file=file, row=start + 1, column="Punkt")
        items.append(item)
    if header.toc and len(header.toc) != len(items):
        warnings.append(f"indholdsfortegnelsen har {len(header.toc)} punkter, teksten {len(items)}")
    else:
        warnings += _toc_differences(header.toc, items)
    for item in items:
        if not item.closed and item.decision_at(header.date) is None:
            warnings.append(f"punkt {item.number} ({item.title}) har ingen beslutning")
    absentees = _merge(header.absentees, *(i.absentees for i in items),
                       *(d.absentees for i in items for d in i.decisions if d.meeting_date in (None, header.date)))
    meeting = Meeting(
        committee=header.committee, date=header.date, time=header.time, place=header.place,
        municipality=_municipality(text), participants=header.participants, absentees=absentees,
        items=tuple(items), unplaced=header.unplaced,
    )
    if masked:
        warnings.append(f"CPR-nummerlignende tal er maskeret og gemmes ikke (linje {', '.join(map(str, masked))})")
    unplaced = meeting.all_unplaced()
    if unplaced:
        warnings.append(f"{len(unplaced)} linjer kunne ikke placeres i et afsnit; de er gemt som uplaceret tekst")
    return ParsedMinutes(meeting, header.toc, tuple(warnings))


def _toc_differences(toc: tuple[str, ...], items: list[AgendaItem]) -> list[str]:
    """Titles the table of contents writes otherwise than the item (it may cut a long title short)."""
    found = []
    for entry, item in zip(toc, items, strict=False):
        listed = _title(item.number, entry)[1]
        if not item.title.startswith(listed):
            found.append(f"punkt {item.number}: indholdsfortegnelsen skriver '{listed}', punktet '{item.title}'")
    return found


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for name in group:
            seen.setdefault(name, None)
    return tuple(seen)


def _municipality(text: str) -> str | None:
    """The municipality the minutes name most often ("Hvidovre Kommune"): the header never says it."""
    counts = Counter(_MUNICIPALITY.findall(text))
    return counts.most_common(1)[0][0] if counts else None


@dataclass
class _Header:
    committee: str = ""
    date: date | None = None
    time: str | None = None
    place: str | None = None
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    toc: tuple[str, ...] = ()
    unplaced: tuple[UnplacedText, ...] = ()


def _parse_header(lines: list[str], file: str) -> _Header:
    header = _Header()
    toc: list[str] = []
    unplaced: list[UnplacedText] = []
    in_toc = False
    place_open = False
    for number, line in enumerate(lines, start=1):
        if not line:
            place_open = False
            continue
        if m := _HEADER_TITLE.match(line):
            header.committee = _ELECTION_PERIOD.sub("", m.group(1)).strip()
            header.date = parse_danish_date(m.group(2)) if m.group(2) else header.date
        elif m := _DATE_LINE.match(line):
            header.date = header.date or parse_danish_date(m.group(1))
        elif m := _MEETING_DATE.match(line):
            header.date = header.date or parse_danish_date(m.group(1))
            header.time = m.group(2).replace(".", ":") if m.group(2) else None
        elif line.startswith("Mødested"):
            header.place = line.removeprefix("Mødested").strip()
            place_open = True
        elif line.startswith("Mødedeltagere"):
            names = [n.strip() for n in line.removeprefix("Mødedeltagere").split(",") if n.strip()]
            header.participants = tuple(re.sub(r"\s*\(Afbud\)$", "", n) for n in names)
            header.absentees = tuple(re.sub(r"\s*\(Afbud\)$", "", n) for n in names if n.endswith("(Afbud)"))
        elif _TOC_HEAD.match(line):
            in_toc = True
        elif in_toc and (m := _TOC_ENTRY.match(line)):
            toc.append(m.group(1).strip())
        elif place_open:
            separator = " " if (header.place or "").endswith(",") else ", "
            header.place = f"{header.place}{separator}{line}" if header.place else line
        else:
            unplaced.append(UnplacedText(number, line))
    if not header.committee:
        raise InputError("overskriften 'REFERAT <udvalg> d. <dato>' mangler", file=file, row=1)
    if header.date is None:
        raise InputError("mødedatoen kan ikke læses (hverken 'd. DD-MM-ÅÅÅÅ' eller 'Mødedato …')", file=file,
                         column="Mødedato")
    header.toc = tuple(toc)
    header.unplaced = tuple(unplaced)
    return header


@dataclass
class _DecisionDraft:
    meeting_date: date | None
    body: str | None
    lines: list[str] = field(default_factory=list)
    absentees: list[str] = field(default_factory=list)


class _ItemParser:
    """One item, from its "Punkt N:" line to the next: headings open sections, the rest is their text."""

    def __init__(self, lines: list[str], start: int, end: int) -> None:
        self.lines, self.start, self.end = lines, start, end
        self.sections: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.decisions: list[_DecisionDraft] = []
        self.absentees: list[str] = []
        self.unplaced: list[UnplacedText] = []
        self.case_number: str | None = None
        self.closed = False
        self.return_to: str | None = None  # the section an inline indstilling interrupted
        self.nested = False  # the resume is a subsection of the sagsfremstilling (Gladsaxe)

    def parse(self) -> AgendaItem:
        m = _ITEM.match(self.lines[self.start])
        number, title, kind, closed = _title(int(m.group(1)), m.group(2))
        self.closed = closed
        current: str | None = None
        seen_content = False
        for index in range(self.start + 1, self.end):
            line = self.lines[index]
            if not line:
                if current is not None:
                    self._append(current, "")
                continue
            if self._absentee(line, current):
                continue
            heading = self._heading(line, current)
            if heading is not None:
                current = heading
                continue
            if not seen_content and self.case_number is None and (c := _CASE.match(line)):
                self.case_number = c.group(1)
                seen_content = True
                continue
            seen_content = True
            if self._metadata(line, title):
                continue
            current = self._section_for(line, current)
            if current is None:
                self.unplaced.append(UnplacedText(index + 1, line))
            elif current == "bilag":
                self._bilag(line)
            else:
                self._append(current, line)
        return self._build(number, title, kind)

    # Line kinds -------------------------------------------------------------------------------------

    def _absentee(self, line: str, current: str | None) -> bool:
        if m := _ABSENT_AFBUD.match(line):
            self.absentees.append(m.group(1).strip())
            return True
        target = self.decisions[-1].absentees if current == "decision" and self.decisions else self.absentees
        if m := _ABSENT_FRAVAER.match(line):
            target.extend(_names(m.group(1)))
            return True
        if current == "decision" and (m := _ABSENT_SENTENCE.match(line)):
            target.extend(_names(m.group(1)))
            return True
        return False

    def _heading(self, line: str, current: str | None) -> str | None:
        """The section a heading line opens, or None when the line is not a heading."""
        if m := _DECISION.match(line):
            self.decisions.append(_DecisionDraft(parse_danish_date(m.group(2)) if m.group(2) else None,
                                                 m.group(1)))
            self.return_to = None
            return "decision"
        key = line.rstrip(":").strip().lower()
        if key in _SECTIONS:
            section = _SECTIONS[key]
            if section == "decision":
                self.decisions.append(_DecisionDraft(None, None))
            elif section == "resume" and current == "sagsfremstilling" and not self._has_text("sagsfremstilling"):
                self.return_to = "sagsfremstilling"  # a resume nested in the sagsfremstilling: one paragraph
                self.nested = True
            else:
                self.return_to = None
            return section
        if key in _NAMED_SECTIONS and self.nested and current in ("resume", "sagsfremstilling"):
            self.return_to = None  # Gladsaxe: "Baggrund" is a subheading of the sagsfremstilling
            self._append("sagsfremstilling", line)
            return "sagsfremstilling"
        if key in _NAMED_SECTIONS:
            self.return_to = None
            name = line.rstrip(":").strip()
            self.sections.setdefault(name, [])
            if name not in self.order:
                self.order.append(name)
            return name
        if key.startswith("kompetence:"):
            self._append("Kompetence", line.split(":", 1)[1].strip())
            if "Kompetence" not in self.order:
                self.order.append("Kompetence")
            return "Kompetence"
        return None

    def _metadata(self, line: str, title: str) -> bool:
        """Slagelse's repeated "3. Titel", "Sagsnr.: …", "Dok.nr.: …" and "Åbent"/"Lukket" lines."""
        if line in ("Åbent", "Åben"):
            self.closed = False
            return True
        if line == "Lukket":
            self.closed = True
            return True
        repeated = re.match(r"^\d+\.\s+(.+)$", line)
        if repeated and _title(0, repeated.group(1))[1] == title:
            return True
        if line.startswith("Sagsnr") and (c := _CASE.match(line)):
            self.case_number = self.case_number or c.group(1)
            if c.group(2):
                self._document_number(c.group(2))
            return True
        if d := _DOC_NO.match(line):
            self._document_number(d.group(1))
            return True
        return False

    def _document_number(self, number: str) -> None:
        """Slagelse gives each item's document its own number beside the case number: kept as a section."""
        self.sections.setdefault("Dok.nr.", []).append(number)
        if "Dok.nr." not in self.order:
            self.order.insert(0, "Dok.nr.")

    def _section_for(self, line: str, current: str | None) -> str | None:
        """The section a text line belongs to when no heading says it: Herning and Gladsaxe write the
        indstilling inside the text ("Direktøren … indstiller", then the points, then the text goes on), and
        Gladsaxe's resume inside the sagsfremstilling is its first paragraph only."""
        if current == "indstilling" and self.return_to and not _POINT.match(line) and self._has_points():
            back, self.return_to = self.return_to, None
            return back
        if current not in ("indstilling", "decision", "bilag", "related", "next") and len(line) < 300 \
                and _RECOMMENDS.search(line):
            self.return_to = current
            return "indstilling"
        if current == "resume" and self.return_to == "sagsfremstilling" and self._has_text("resume") \
                and self.sections["resume"][-1] == "":
            self.return_to = None
            return "sagsfremstilling"
        return current

    def _bilag(self, line: str) -> None:
        """Attachments, without Slagelse's document numbers (sometimes broken over two lines)."""
        if _DOC_PREFIX.match(line):  # "330-2019-" with the rest of the number on the next line
            return
        numbered = _DOC_NUMBERED.match(line)
        self._append("bilag", numbered.group(1) if numbered else line)

    def _append(self, section: str, line: str) -> None:
        if section == "decision":
            if not self.decisions:
                self.decisions.append(_DecisionDraft(None, None))
            self.decisions[-1].lines.append(line)
            return
        self.sections.setdefault(section, []).append(line)

    def _has_text(self, section: str) -> bool:
        return any(self.sections.get(section, []))

    def _has_points(self) -> bool:
        return any(_POINT.match(line) for line in self.sections.get("indstilling", []) if line)

    # Building ---------------------------------------------------------------------------------------

    def _build(self, number: int, title: str, kind: ItemKind | None) -> AgendaItem:
        named = tuple((name, _text(self.sections[name])) for name in self.order if _text(self.sections[name]))
        attachments = tuple(dict.fromkeys(line for line in self.sections.get("bilag", []) if line))
        return AgendaItem(
            number=number, title=title, case_number=self.case_number, kind=kind, closed=self.closed,
            resume=_text(self.sections.get("resume", [])),
            sagsfremstilling=_text(self.sections.get("sagsfremstilling", [])),
            recommendation=_recommendation(self.sections.get("indstilling", [])),
            decisions=tuple(_decision(d) for d in self.decisions if _text(d.lines) or d.absentees),
            attachments=attachments,
            related=tuple(line for line in self.sections.get("related", []) if line),
            next_bodies=tuple(line for line in self.sections.get("next", []) if line) or self._onward(),
            sections=named, absentees=tuple(dict.fromkeys(self.absentees)), unplaced=tuple(self.unplaced),
        )


    def _onward(self) -> tuple[str, ...]:
        """Where the item goes next when no "Kommende behandlingsforløb" says it: the bodies the
        indstilling or the decision sends it on to ("… at anbefale over for Økonomiudvalget og
        Kommunalbestyrelsen", "… forelægges til behandling i Økonomi- og Erhvervsudvalget og Byrådet")."""
        lines = [line for section in ("indstilling", "decision") for line in
                 (self.sections.get(section, []) if section == "indstilling"
                  else [x for d in self.decisions for x in d.lines]) if line]
        bodies: dict[str, None] = {}
        for line in lines:
            for sentence in re.split(r"(?<=\.)\s+", line):
                trigger = _ONWARD.search(sentence)
                if trigger:
                    for body in _BODY.findall(sentence[trigger.end():]):
                        bodies.setdefault(body[0].upper() + body[1:], None)
        return tuple(bodies)


def _title(number: int, raw: str) -> tuple[int, str, ItemKind | None, bool]:
    """Number, title, kind and closedness from "Punkt N:" text: "Lukket: …", "… (B)", "Beslutning - …"."""
    title = raw.strip()
    closed = False
    if title.lower().startswith("lukket:"):
        closed = True
        title = title[len("lukket:"):].strip() or "Lukket punkt"
    kind = None
    if m := _KIND_SUFFIX.search(title):
        kind = ItemKind(m.group(1))
        title = title[:m.start()].strip()
    elif m := _KIND_PREFIX.match(title):
        kind = {"Beslutning": ItemKind.BESLUTNING, "Drøftelse": ItemKind.DROEFTELSE,
                "Orientering": ItemKind.ORIENTERING}[m.group(1)]
        title = title[m.end():].strip()
    elif title.startswith("Orientering om "):
        kind = ItemKind.ORIENTERING
    return number, title, kind, closed


def _names(text: str) -> list[str]:
    text = text.strip().rstrip(".")
    if not text:
        return []
    return [n.strip() for n in re.split(r",\s*|\s+og\s+", text) if n.strip()]


def _text(lines: list[str]) -> str:
    """Lines as paragraphs: blank lines separate paragraphs, runs of them count once."""
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def _recommendation(lines: list[str]) -> Recommendation | None:
    content = [line for line in lines if line]
    if not content:
        return None
    intro, points = [], []
    for line in content:
        if m := _POINT.match(line):
            points.append((m.group(2) or m.group(4)).strip())
        elif points:
            points[-1] = f"{points[-1]} {line}"
        else:
            intro.append(line)
    return Recommendation(" ".join(intro), tuple(points))


def _decision(draft: _DecisionDraft) -> Decision:
    text = _text(draft.lines)
    lines = [line for line in draft.lines if line]
    return Decision(
        text=text, meeting_date=draft.meeting_date, body=draft.body,
        postponed=bool(lines) and any(_POSTPONED.search(line) for line in lines),
        votes=_votes(lines), absentees=tuple(dict.fromkeys(draft.absentees)),
    )


def _votes(lines: list[str]) -> tuple[Vote, ...]:
    """Votes per party group: "Ad 2." / "For: Gruppe A og C." / "Imod: …" / the outcome line after."""
    votes: list[Vote] = []
    point: str | None = None
    parts: dict[str, tuple[str, ...]] = {}
    outcome: str | None = None
    last_plain: str | None = None  # "… vedtog indstillingen." before "Venstre undlod at stemme."

    def flush() -> None:
        nonlocal parts, outcome
        if parts:
            votes.append(Vote(point, parts.get("for", ()), parts.get("imod", ()), parts.get("undlod", ()),
                              outcome or last_plain))
        parts, outcome = {}, None

    for line in lines:
        if m := _VOTE_POINT.match(line):
            flush()
            point, last_plain = m.group(1), m.group(2) or None
        elif m := _VOTE_PART.match(line):
            side = m.group(1).lower()
            key = "for" if side == "for" else "imod" if side == "imod" else "undlod"
            parts[key] = _groups(m.group(2))
        elif m := _ABSTAIN_SENTENCE.match(line):
            parts["undlod"] = _groups(m.group(1))
        elif parts and outcome is None:
            outcome = line
        elif not parts:
            last_plain = line
    flush()
    return tuple(votes)


def _groups(text: str) -> tuple[str, ...]:
    """"Gruppe F og gruppe Ø. Gruppe F med henvisning til …" → ("F", "Ø"): the first sentence names them."""
    first = re.split(r"\.\s", text.strip(), maxsplit=1)[0].rstrip(".")
    first = re.sub(r"\b[Gg]ruppe(?:rne)?\s+", "", first)
    return tuple(n.strip() for n in re.split(r",\s*|\s+og\s+", first) if n.strip())
