"""Analyst comments: kept with author and time, the newest per goal and period shown, never a snapshot."""

from datetime import datetime

import pytest

from maaltal.errors import MaaltalError
from maaltal.goals import comments
from maaltal.periods import Period


def test_newest_comment_per_goal_and_period_wins(store):
    assert comments.for_period(store, "159", "2023M09") == {}
    comments.add(store, "159", "opkvalificering", "2023M09", "Første udkast", "A", now=datetime(2023, 11, 1, 9))
    comments.add(store, "159", "opkvalificering", "2023M09", " Den manglende målopfyldelse skyldes … ", "B",
                 now=datetime(2023, 11, 2, 9))
    comments.add(store, "159", "opkvalificering", "2023M06", "Andet kvartal", "A", now=datetime(2023, 8, 1, 9))
    comments.add(store, "101", "opkvalificering", "2023M09", "En anden kommune", "C")
    shown = comments.for_period(store, "159", Period.parse("2023M09"))
    assert list(shown) == ["opkvalificering"]
    assert (shown["opkvalificering"].text, shown["opkvalificering"].author) == ("Den manglende målopfyldelse "
                                                                                "skyldes …", "B")
    assert shown["opkvalificering"].to_dict()["time"] == "2023-11-02 09:00:00"
    assert store.connection.execute("SELECT count(*) FROM goal_comments").fetchone()[0] == 4
    assert store.snapshots() == []


def test_empty_comment_or_author_is_refused(store):
    with pytest.raises(MaaltalError, match="Kommentaren er tom"):
        comments.add(store, "159", "g", "2023M09", "  ", "A")
    with pytest.raises(MaaltalError, match="forfatter"):
        comments.add(store, "159", "g", "2023M09", "Tekst", " ")
