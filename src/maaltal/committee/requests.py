"""The committee's own requests, found in the decisions of its minutes.

A committee asks for things in its decisions: "Administrationen udarbejder notat" (Hvidovre item 12),
"Udvalget ønsker mail med afklaring på manglende tal" (Slagelse item 6), "Punktet genoptages på kommende
udvalgsmøde" (Slagelse item 5). Each such request is followed until an answer (an item, a note or a mail)
is linked to it; this module finds them in the text, the storage module keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from maaltal import formatting as fmt
from maaltal.committee.model import AgendaItem, AnswerForm, Meeting, Request

_TRIGGERS: tuple[tuple[re.Pattern[str], AnswerForm], ...] = (
    (re.compile(r"\budarbejde[rs]?\s+(?:et\s+)?notat\b", re.IGNORECASE), AnswerForm.NOTAT),
    (re.compile(r"\bønske[rs]?\b.*\bmail\b|\bvia mail\b|\bpr\.? mail\b", re.IGNORECASE), AnswerForm.MAIL),
    (re.compile(r"\bgenoptages\b|\btil næste (?:udvalgs\s?)?møde\b|\bpå kommende (?:udvalgs\s?)?møde\b",
                re.IGNORECASE), AnswerForm.PUNKT),
)
_ASKER = re.compile(r"^([A-ZÆØÅ][\w-]+(?:\s[A-ZÆØÅ][\w-]+)*\s\([A-ZÆØÅ]\))\s+(?:spurgte|ønsker|ønskede|bad)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")
_OWNER = re.compile(r"\b(Administrationen|Forvaltningen|Jobcentret)\b", re.IGNORECASE)
_SHORT = 8  # words: a trigger sentence this short says how, not what ("Administrationen udarbejder notat.")
_MARKER = re.compile(r"^(?:[-–•*]|at)$", re.IGNORECASE)  # a list mark or "At" the minutes left on its own line
_LIST_ITEM = re.compile(r"^[-–•*]\s+")


def find_requests(meeting: Meeting) -> list[Request]:
    """Every request in the decisions of this meeting's items, in item order.

    A request in an earlier meeting's decision on an item ("Sagen genoptages med udgangspunkt i at
    fremskaffe yderligere oplysninger", Slagelse item 9 on 12 August 2019) was made at that meeting and is
    answered by the item being back on this meeting's agenda.
    """
    found: list[Request] = []
    for item in meeting.items:
        for decision in item.decisions:
            if decision.meeting_date is None or decision.meeting_date == meeting.date:
                found += _item_requests(meeting, item, decision.text)
            elif decision.meeting_date < meeting.date:
                answer = f"{meeting.committee} {fmt.short_date(meeting.date)}, punkt {item.number}: {item.title}"
                found += [replace(r, meeting_date=decision.meeting_date, item_number=None, answered_on=meeting.date,
                                  answer_form=AnswerForm.PUNKT, answer_ref=answer)
                          for r in _item_requests(meeting, item, decision.text)]
    return found


def _paragraphs(text: str) -> list[str]:
    """The decision's paragraphs, with a list mark or an "At" that the published text broke onto a line of its
    own joined to the text it belongs to (Slagelse item 5: "At" / "forvaltningen …", "-" / "I 2030 …")."""
    paragraphs: list[str] = []
    pending = ""
    for raw in text.split("\n\n"):
        paragraph = raw.replace("\n", " ").strip()
        if not paragraph:
            continue
        if _MARKER.match(paragraph):
            pending = f"{pending} {paragraph}".strip()
            continue
        paragraphs.append(f"{pending} {paragraph}".strip() if pending else paragraph)
        pending = ""
    return paragraphs


def _with_list(what: str, paragraphs: list[str], index: int) -> str:
    """A request that ends with ":" goes on in the list under it: the list is part of what was asked for."""
    if not what.rstrip().endswith(":"):
        return what
    items = []
    for paragraph in paragraphs[index + 1:]:
        if not _LIST_ITEM.match(paragraph):
            break
        items.append(_LIST_ITEM.sub("", paragraph))
    return what + "".join(f" • {item}" for item in items)


def _item_requests(meeting: Meeting, item: AgendaItem, text: str) -> list[Request]:
    requests: list[Request] = []
    paragraphs = _paragraphs(text)
    for index, paragraph in enumerate(paragraphs):
        sentences = _SENTENCE_END.split(paragraph)
        for position, sentence in enumerate(sentences):
            form = _form(sentence)
            if form is None:
                continue
            if len(sentence.split()) >= _SHORT:
                what = _with_list(sentence, paragraphs, index) if position == len(sentences) - 1 else sentence
            elif position > 0:
                what = " ".join(sentences[:position])
            elif requests:  # "Punktet genoptages …" on its own line adds to the request before it
                continue
            else:  # "Udvalget orienteres på ovenstående via mail.": the paragraphs above say what
                what = " ".join(paragraphs[:index]) or f"{item.title}: {sentence}"
            asker = _ASKER.match(paragraph)
            owner = _OWNER.search(paragraph)
            requests.append(Request(
                committee=meeting.committee, meeting_date=meeting.date, item_number=item.number,
                asked_by=asker.group(1) if asker else "Udvalget", text=what.strip(),
                owner=owner.group(1).capitalize() if owner else "Administrationen", form=form,
            ))
    return _one_per_form_and_text(requests)


def _form(sentence: str) -> AnswerForm | None:
    for pattern, form in _TRIGGERS:
        if pattern.search(sentence):
            return form
    return None


def _one_per_form_and_text(requests: list[Request]) -> list[Request]:
    """Two triggers in one sentence ("… notat til næste møde") are one request, answered as a note."""
    result: list[Request] = []
    for request in requests:
        same = next((r for r in result if r.text == request.text), None)
        if same is None:
            result.append(request)
        elif request.form is AnswerForm.NOTAT:
            result[result.index(same)] = replace(same, form=AnswerForm.NOTAT)
    return result


def due_date(request: Request, meeting_dates: Sequence[date]) -> date | None:
    """When the answer is due: the request's own date, else the committee's first meeting after the one it
    was made at (None while no later meeting is known)."""
    if request.due is not None:
        return request.due
    return next((d for d in sorted(meeting_dates) if d > request.meeting_date), None)
