"""The shared pieces the budget and benchmark inputs stand on: amounts in Danish, the hand-kept CSV reader."""

import pytest

from maaltal import formatting as fmt
from maaltal.errors import InputError, InputErrors
from maaltal.sources import records


def test_amounts_in_danish():
    assert fmt.kr(714145) == "714.145 kr."
    assert fmt.kr(22953.4) == "22.953 kr."
    assert fmt.mio_kr(131.7) == "131,7 mio. kr."
    assert fmt.mio_kr(15.498540) == "15,5 mio. kr."
    assert fmt.mio_kr(1624.5) == "1.624,5 mio. kr."
    assert fmt.mio_kr(None) == "–"


def test_records_read_danish_and_english_numbers_and_skip_comments(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("# a comment naming the source\nname;amount;flag\nA;1.234,5;ja\n\nB;-2;\n", encoding="utf-8")
    table = records.read(path, ("name", "amount"), ("flag",))
    assert [r.row for r in table.rows] == [3, 5]
    assert [r.number("amount") for r in table.rows] == [1234.5, -2]
    assert [r.flag("flag") for r in table.rows] == [True, False]
    table.check()
    english = tmp_path / "b.csv"
    english.write_text("name,amount\nA,1234.5\n", encoding="utf-8")
    assert records.read(english, ("name", "amount")).rows[0].number("amount") == 1234.5


def test_records_report_every_problem_with_row_and_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,amount\nA,1,2\nB,x\nC,2.5\n", encoding="utf-8")
    table = records.read(path, ("name", "amount"))
    for rec in table.rows:
        rec.number("amount", integer=True)
    with pytest.raises(InputErrors) as caught:
        table.check()
    messages = [str(e) for e in caught.value.errors]
    assert messages[0] == f"fil {path}, række 2: rækken har 3 felter, overskriften 2"
    assert f"fil {path}, række 3, kolonne 'amount'" in messages[1]
    assert "'2.5' skal være et helt tal" in messages[2]


def test_records_refuse_unknown_and_missing_columns(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,amuont\nA,1\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        records.read(path, ("name", "amount"))
    messages = [str(e) for e in caught.value.errors]
    assert any("række 1, kolonne 'amount'" in m and "mangler" in m for m in messages)
    assert any("række 1, kolonne 'amuont'" in m and "ukendt kolonne" in m for m in messages)
    with pytest.raises(InputError, match="findes ikke"):
        records.read(tmp_path / "none.csv", ("name",))


def test_a_sentence_ends_with_one_full_stop():
    assert fmt.sentence(f"i 2020 var den {fmt.pct(34)}") == "i 2020 var den 34,0 pct."
    assert fmt.sentence("Målgruppen er 233 personer") == "Målgruppen er 233 personer."
