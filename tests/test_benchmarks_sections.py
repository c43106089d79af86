"""Every budget and benchmark result becomes its own report section, built from the shipped examples."""

from pathlib import Path

import pytest

from maaltal.benchmarks import caseload, pool_projects, reversals, surveys, unit_cost
from maaltal.budget import bridge, followup
from maaltal.document import Section, Table
from maaltal.report.sections.benchmarks import report_section as benchmark_section
from maaltal.report.sections.budget import report_section as budget_section

EXAMPLES = Path(__file__).parents[1] / "examples"


def test_each_example_gives_one_section_with_a_table_or_text(registry):
    bench = EXAMPLES / "benchmarks"
    sections = [
        budget_section(followup.load(EXAMPLES / "budget" / "gladsaxe-2023.csv")),
        budget_section(bridge.load(EXAMPLES / "budget" / "horsens-2021-bro.yaml")),
        benchmark_section(caseload.load(bench / "hvidovre-sagsantal-2022.csv", registry, caseload.load_ranges(),
                                        "Hvidovre")),
        benchmark_section(unit_cost.load(bench / "hvidovre-enhedsomkostninger-2020.csv", registry)),
        benchmark_section(reversals.load(bench / "hvidovre-omgoerelser-2021.csv")),
        *(benchmark_section(pool_projects.load(p)) for p in sorted(bench.glob("*.yaml"))
          if "undersoegelse" not in p.name),
        *(benchmark_section(surveys.load(p)) for p in sorted(bench.glob("*undersoegelse*.yaml"))),
    ]
    assert all(isinstance(s, Section) and s.blocks for s in sections)
    assert len({s.id for s in sections}) == len(sections) == 10
    tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
    assert all(len(row) == len(t.columns) for t in tables for row in t.rows)


def test_an_unknown_result_has_no_section():
    with pytest.raises(TypeError):
        budget_section(object())
    with pytest.raises(TypeError):
        benchmark_section(object())
