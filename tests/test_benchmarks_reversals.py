"""Reversal rates in the appeals board: Hvidovre item 5 (Ankestyrelsen's map of 2021)."""

from pathlib import Path

import pytest

from maaltal.benchmarks import reversals
from maaltal.document import Table
from maaltal.errors import InputError, InputErrors
from maaltal.report.sections.benchmarks import report_section
from tests.conftest import cli_json, run_cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "benchmarks" / "hvidovre-omgoerelser-2021.csv"


@pytest.fixture
def maps():
    return {m.name: m for m in reversals.load(EXAMPLE).maps}


def test_social_area_in_general(maps):
    m = maps["Socialområdet generelt"]
    # 86 decisions, 70 upheld, 13 remitted, 3 changed: 16 / 86 = 18,6, "19 pct." in the minutes, against 31,8
    assert m.total.decisions.total == 86 and m.total.decisions.reversed == 16
    assert round(m.total.rate) == 19 and m.total.national_rate == 31.8
    assert m.last_year.rate == 34 and m.difference_last_year == pytest.approx(16 / 86 * 100 - 34)


def test_child_handicap_is_the_sum_of_its_paragraphs(maps):
    m = maps["Børnehandicapområdet"]
    d = m.total.decisions
    assert (d.total, d.upheld, d.remitted, d.changed) == (30, 22, 7, 1)
    # "1 ændret/ophævet sag (3,3 pct.) og 7 ... hjemvist (23,3 pct.) ... omgørelsesprocenten 26,7 pct."
    assert round(d.share(d.changed), 1) == 3.3 and round(d.share(d.remitted), 1) == 23.3
    assert round(m.total.rate, 1) == 26.7 and m.total.national_rate == 35.9
    assert m.difference_national == pytest.approx(80 / 3 - 35.9)


def test_adult_handicap(maps):
    m = maps["Voksenhandicapområdet"]
    # one of nine remitted: 11,1, "11 pct." in the minutes, against 34,3 overall and 38,1 for § 100
    assert round(m.total.rate) == 11 and m.total.national_rate == 34.3
    assert m.paragraphs[0].national_rate == 38.1


def test_small_paragraphs_are_suppressed_in_outputs():
    result = reversals.load(EXAMPLE)
    section = report_section(result)
    table = next(b for b in section.blocks if isinstance(b, Table))
    rows = {r[0].strip(): r for r in table.rows}
    # § 44/45 had 1 decision and §§ 32… 4: too few to show; the map's total still counts them
    assert rows["§§ 44, 45 Personlig hjælp og ledsagelse"][1:6] == (None,) * 5
    assert rows["§§ 32, 32a, 36, 39-40 Pasningstilbud, hjemmetræning m.m."][1:6] == (None,) * 5
    assert rows["Børnehandicapområdet"][1] == 30
    # The note says what is hidden, and no more: § 42's single remitted and changed decisions and § 41's 0
    # are shown, because their paragraphs' totals (12, 13) are not small (issue 13, part 8).
    assert rows["§ 42 Tabt arbejdsfortjeneste"][1:5] == (12, 10, 1, 1)
    assert rows["§ 41 Merudgiftsydelse"][4] == 0
    assert table.note.endswith("Kort og paragraffer med 1–4 afgørelser i alt vises ikke (–) af hensyn til "
                               "diskretion; de tæller med i totalen.")
    assert "færre end 5 vises ikke" not in table.note
    paragraphs = result.to_dict()["maps"][1]["paragraphs"]
    assert paragraphs[2] == {"label": "§§ 44, 45 Personlig hjælp og ledsagelse", "suppressed": True,
                             "national_rate": None}


def test_report_text(maps):
    text = report_section(reversals.load(EXAMPLE)).blocks[0].text
    assert text == ("Socialområdet generelt: Ankestyrelsen afgjorde 86 sager i 2021; 70 blev stadfæstet, 13 hjemvist "
                    "og 3 ændret/ophævet. Omgørelsesprocenten er 18,6 pct. mod 31,8 pct. på landsplan "
                    "(13,2 procentpoint under); i 2020 var den 34,0 pct.")


def test_errors(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("year,map,paragraph,upheld,remitted,changed,rate\n2021,A,,1,2,,\n2021,B,,1,1,1,20\n"
                    "2021,C,§ 1,1,1,1,\n2021,C,§ 1,1,1,1,\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        reversals.load(path)
    messages = [str(e) for e in caught.value.errors]
    assert any("række 2, kolonne 'upheld'" in m and "alle tre" in m for m in messages)
    assert any("række 3, kolonne 'rate'" in m for m in messages)
    assert any("række 5, kolonne 'paragraph'" in m and "række 4" in m for m in messages)
    path.write_text("year,map,paragraph,upheld,remitted,changed\n2021,A,,5,5,5\n2021,A,§ 1,5,5,4\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="række 2.*stemmer ikke med summen af paragrafferne"):
        reversals.load(path)


def test_cli():
    data = cli_json("benchmark", "reversals", str(EXAMPLE))
    assert data["year"] == 2021 and round(data["maps"][0]["rate"]) == 19
    table = run_cli("benchmark", "reversals", str(EXAMPLE))
    assert table.returncode == 0 and "26,7" in table.stdout and "31,8" in table.stdout
