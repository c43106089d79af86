"""User surveys: Horsens item 4 (response rate) and Gladsaxe item 10 (against the 13 municipalities)."""

from pathlib import Path

import pytest

from maaltal.benchmarks import surveys
from maaltal.document import Table
from maaltal.errors import InputErrors
from maaltal.report.sections.benchmarks import report_section
from tests.conftest import cli_json, run_cli

EXAMPLES = Path(__file__).parents[1] / "examples" / "benchmarks"
HORSENS = EXAMPLES / "horsens-brugerundersoegelse-2020.yaml"
GLADSAXE = EXAMPLES / "gladsaxe-kl-brugerundersoegelse-2023.yaml"


def test_horsens_response_rate_and_shares():
    survey = surveys.load(HORSENS)
    # 1.424 of 3.637 = 39 pct.
    assert round(survey.own.response_rate) == 39
    preference = survey.questions[2]
    assert [a.share for a in preference.answers] == [27, 28, 39]
    assert survey.questions[3].respondents == 89 and survey.questions[0].respondents == 1424


def test_gladsaxe_against_the_comparison_group():
    survey = surveys.load(GLADSAXE)
    # 10.000 of ca. 23.000 answered in the 13 municipalities: "43 pct."
    assert round(survey.comparison.response_rate) == 43
    (answer,) = survey.questions[0].answers
    assert (answer.share, answer.comparison_share, answer.difference) == (56, 59, -3)


def test_counts_give_shares_and_small_questions_are_suppressed(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: T\nmunicipality: X\ninvited: 100\nresponded: 40\nquestions:\n"
                    "  - question: Q1\n    answers: [{answer: Ja, count: 30}, {answer: Nej, count: 10}]\n"
                    "  - question: Q2\n    respondents: 3\n    answers: [{answer: Ja, count: 2}]\n", encoding="utf-8")
    survey = surveys.load(path)
    assert [a.share for a in survey.questions[0].answers] == [75, 25]
    assert survey.questions[1].small
    table = next(b for b in report_section(survey).blocks if isinstance(b, Table))
    assert table.rows[-1] == ("Q2", "(færre end 5 svar)", None)
    assert survey.to_dict()["questions"][1]["answers"] == []


def test_errors(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: T\nmunicipality: X\ninvited: 10\nresponded: 40\nquestions:\n"
                    "  - question: Q1\n    answers:\n      - {answer: Ja, share: 80}\n"
                    "      - {answer: Nej, share: 30}\n"
                    "  - question: Q2\n    answers:\n      - {answer: Ja}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        surveys.load(path)
    messages = [str(e) for e in caught.value.errors]
    assert any("linje 4, felt 'responded'" in m for m in messages)
    assert any("linje 7, felt 'questions.0.answers'" in m and "over 100" in m for m in messages)
    assert any("linje 12, felt 'questions.1.answers.0'" in m and "count" in m for m in messages)


def test_report_and_cli():
    text = report_section(surveys.load(HORSENS)).blocks[0].text
    assert text == "1.424 af 3.637 adspurgte i Horsens svarede: en svarprocent på 39 pct."
    data = cli_json("benchmark", "survey", str(GLADSAXE))
    assert round(data["comparison"]["response_rate"]) == 43
    table = run_cli("benchmark", "survey", str(GLADSAXE))
    assert table.returncode == 0 and "−3" in table.stdout
