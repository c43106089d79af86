"""The one field validator behind every YAML input: each problem with file, line and dotted field, all at once."""

import datetime as dt

import pytest

from maaltal import yamlfile
from maaltal.areas import AreaRegistry
from maaltal.budget import bridge
from maaltal.errors import InputError, InputErrors
from maaltal.fields import Fields
from maaltal.goals import loads_catalogue

PLAN = """\
committee: Beskæftigelsesudvalget
meetings:
  - date: 2025-01-13
  - date: 13-02-2025
goals:
  - id: aktivering
    year: 1999
    rule: {type: threshold, op: "=>", value: høj}
    sources: [Beskæftigelsesplan 2023, 7]
"""


def fields() -> Fields:
    return Fields(yamlfile.loads(PLAN, "plan.yaml"))


def test_every_problem_is_named_with_file_line_and_field():
    f = fields()
    assert f.text(("committee",)) == "Beskæftigelsesudvalget"
    assert f.text(("area",)) is None
    assert f.date(("meetings", 0, "date"), "skriv ÅÅÅÅ-MM-DD") == dt.date(2025, 1, 13)
    assert f.date(("meetings", 1, "date"), "skriv ÅÅÅÅ-MM-DD") is None
    goal = ("goals", 0)
    assert f.integer(goal + ("year",), low=2000, high=2100) is None
    assert f.choice(goal + ("rule", "op"), ("<", "<=", ">", ">=")) is None
    assert f.number(goal + ("rule", "value")) is None
    assert f.texts(goal + ("sources",)) == ()
    f.unknown(goal, ("id", "title", "rule", "sources"))
    with pytest.raises(InputErrors) as caught:
        f.check()
    assert [str(e) for e in caught.value.errors] == [
        "fil plan.yaml, linje 1, felt 'area': feltet 'area' mangler",  # a missing field: the mapping's line
        "fil plan.yaml, linje 4, felt 'meetings.1.date': skriv ÅÅÅÅ-MM-DD",
        "fil plan.yaml, linje 7, felt 'goals.0.year': 'year' skal være et helt tal fra 2000 til 2100",
        "fil plan.yaml, linje 8, felt 'goals.0.rule.op': ukendt op '=>'; vælg <, <=, > eller >=",
        "fil plan.yaml, linje 8, felt 'goals.0.rule.value': 'value' skal være et tal, ikke 'høj' "
        "(decimalpunktum, fx 8.2)",
        "fil plan.yaml, linje 9, felt 'goals.0.sources': 'sources' skal være en liste af tekster",
        "fil plan.yaml, linje 7, felt 'goals.0.year': ukendt felt 'year'; tilladt her: id, rule, sources, title",
    ]


def test_numbers_lists_and_mappings():
    f = Fields(yamlfile.loads("gross: 662\neffort: -3\nshare: 120\nexcluded: {a: 1}\nnone: []\n", "p.yaml"))
    assert f.number(("gross",), integer=True, minimum=1) == 662
    assert f.number(("effort",), minimum=0) is None
    assert f.number(("share",), maximum=100) is None
    assert f.number(("missing",), required=False) is None and f.number(("missing",), default=0.0) == 0.0
    assert f.items(("excluded",), "skal være en liste") == []
    assert f.items(("none",), "mindst én") == [] and f.items(("none",), "", required=False) == []
    assert f.mapping(("excluded",), "") == {"a": 1} and f.mapping(("missing",), "", required=False) is None
    assert [e.reason for e in f.errors] == ["'effort' må ikke være under 0", "'share' må ikke være over 100",
                                            "skal være en liste", "mindst én"]
    assert [e.location.row for e in f.errors] == [2, 3, 4, 5]


def test_one_problem_alone_is_raised_as_itself():
    f = fields()
    f.text(("area",))
    with pytest.raises(InputError, match="feltet 'area' mangler"):
        f.check(alone=True)


def test_the_inputs_use_the_one_validator(tmp_path, registry: AreaRegistry):
    """A catalogue and a bridge word the same problem the same way: the wording lives in one place."""
    catalogue = ("name: Mål\narea: 167\nyear: 2024\ngoals:\n  - id: a\n    title: A\n"
                 "    indicator: {series: bruttoledige}\n    rule: {type: threshold, op: '<', value: lav}\n")
    with pytest.raises(InputErrors) as caught:
        loads_catalogue(catalogue, registry, "katalog.yaml")
    assert [str(e) for e in caught.value.errors] == [
        "fil katalog.yaml, linje 8, felt 'goals.0.rule.value': 'value' skal være et tal, ikke 'lav' "
        "(decimalpunktum, fx 8.2)"]
    path = tmp_path / "bro.yaml"
    path.write_text("title: B\nstart: {label: Før, amount: 10}\nadjustments:\n  - {label: x, amount: lav}\n"
                    "end: {label: Efter, amount: 10}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        bridge.load(path)
    assert [str(e) for e in caught.value.errors] == [
        f"fil {path}, linje 4, felt 'adjustments.0.amount': 'amount' skal være et tal, ikke 'lav' "
        "(decimalpunktum, fx 8.2)"]
