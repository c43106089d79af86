"""Meetings and requests in a real DuckDB store: round trips, atomic imports, requests open until answered."""

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from maaltal.committee import storage
from maaltal.committee.minutes import parse_file
from maaltal.committee.model import AnswerForm, Request
from maaltal.committee.requests import find_requests
from maaltal.errors import MaaltalError
from tests.test_minutes import HVIDOVRE, SLAGELSE


def test_a_meeting_comes_back_as_it_was_stored(store, seeds):
    meeting = parse_file(seeds / HVIDOVRE).meeting
    meeting_id = storage.save_meeting(store, meeting, find_requests(meeting), source_file=HVIDOVRE)
    assert storage.load_meeting(store, meeting_id) == meeting
    assert storage.meetings(store) == [(meeting_id, meeting.committee, meeting.date, True)]


def test_a_second_import_of_the_same_meeting_is_refused_and_changes_nothing(store, seeds):
    meeting = parse_file(seeds / SLAGELSE).meeting
    storage.save_meeting(store, meeting, find_requests(meeting))
    with pytest.raises(MaaltalError, match="allerede indlæst"):
        storage.save_meeting(store, meeting, find_requests(meeting))
    assert len(storage.requests(store)) == 4 and len(storage.requests(store, open_only=True)) == 3


def test_a_failing_import_leaves_the_store_unchanged(store, seeds):
    meeting = parse_file(seeds / HVIDOVRE).meeting
    doubled = replace(meeting, items=(*meeting.items, meeting.items[-1]))  # item 12 twice: fails at the end
    with pytest.raises(duckdb.ConstraintException):
        storage.save_meeting(store, doubled, find_requests(meeting))
    assert storage.meetings(store) == [] and storage.requests(store) == []


def test_a_request_is_open_until_answered(store, seeds):
    meeting = parse_file(seeds / HVIDOVRE).meeting
    storage.save_meeting(store, meeting, find_requests(meeting))
    next_meeting = date(2022, 10, 3)
    first, second = storage.requests(store, committee=meeting.committee, open_at=next_meeting)
    assert first.is_open and first.asked_by == "Idris Yorulmaz (A)"
    assert storage.requests(store, open_at=meeting.date) == []  # not open before it was made
    answered = storage.answer_request(store, second.id, on=date(2022, 9, 20), form=AnswerForm.NOTAT,
                                      ref="Notat om tildelte førtidspensioner 2017-2021")
    assert not answered.is_open and answered.answer_form is AnswerForm.NOTAT
    assert [r.id for r in storage.requests(store, open_at=next_meeting)] == [first.id]
    with pytest.raises(MaaltalError, match="allerede besvaret den 20-09-2022"):
        storage.answer_request(store, second.id, on=date(2022, 9, 21), form=AnswerForm.MAIL, ref="x")
    with pytest.raises(MaaltalError, match="før mødet"):
        storage.answer_request(store, first.id, on=date(2022, 9, 1), form=AnswerForm.MAIL, ref="x")
    with pytest.raises(MaaltalError, match="Anmodning 99 findes ikke"):
        storage.request(store, 99)


def test_minutes_replace_the_planned_agenda_of_the_same_meeting(store, seeds):
    held = parse_file(seeds / HVIDOVRE).meeting
    planned_id = storage.save_meeting(store, replace(held, items=(), held=False))
    assert storage.meetings(store) == [(planned_id, held.committee, held.date, False)]
    assert storage.save_meeting(store, held) == planned_id
    assert storage.load_meeting(store, planned_id) == held


def test_a_request_answered_in_later_minutes_is_not_added_again_by_the_earlier_ones(store, seeds):
    later = parse_file(seeds / SLAGELSE).meeting
    storage.save_meeting(store, later, find_requests(later))
    earlier = replace(later, date=date(2019, 8, 12), items=())
    asked = [r for r in find_requests(later) if r.meeting_date == earlier.date]
    storage.save_meeting(store, earlier, [replace(r, answered_on=None, answer_form=None, answer_ref=None)
                                          for r in asked])
    (stored,) = storage.requests(store, open_at=date(2019, 9, 1))
    assert stored.answered_on == date(2019, 9, 2)  # still the one the later minutes answered


def test_a_request_added_by_hand_never_stores_a_cpr_number(store):
    request_id = storage.add_request(store, Request("Udvalget", date(2024, 2, 1), 3, "Udvalget",
                                                    "Svar til borger 010203-1234", form=AnswerForm.MAIL))
    assert storage.request(store, request_id).text == "Svar til borger XXXXXX-XXXX"
