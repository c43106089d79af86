"""Unit cost per recipient against the national average: Hvidovre item 8, section 3."""

from pathlib import Path

import pytest

from maaltal.benchmarks import unit_cost
from maaltal.errors import InputError, InputErrors, MaaltalError
from maaltal.report.sections.benchmarks import report_section
from tests.conftest import cli_json, run_cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "benchmarks" / "hvidovre-enhedsomkostninger-2020.csv"


def test_hvidovre_against_the_national_average(registry):
    result = unit_cost.load(EXAMPLE, registry)
    assert result.focus.name == "Hvidovre" and result.reference_name == "Hele landet"
    assert result.difference == 22953 - 27205 == -4252
    # The minutes: "ca. 15,5 mio. kr. lavere". The recipients (3.645) are not stated there; the example
    # derives them from that very figure, so this checks the computation, not the seed.
    assert result.worth == -4252 * 3645
    assert round(result.worth / 1e6, 1) == -15.5


def test_report_sentence(registry):
    text = report_section(unit_cost.load(EXAMPLE, registry)).blocks[0].text
    assert text.startswith("Enhedsomkostningerne i Hvidovre er 22.953 kr. pr. ydelsesmodtager mod 27.205 kr. i "
                           "Hele landet: 4.252 kr. lavere pr. modtager.")
    assert "svarer det til 15,5 mio. kr. mindre end ved gennemsnittet." in text


def test_without_a_national_row_the_municipalities_together_are_the_reference(tmp_path, registry):
    path = tmp_path / "u.csv"
    path.write_text("area,unit_cost,recipients\nHvidovre,20000,1000\nBrøndby,30000,3000\nGlostrup,25000,1000\n",
                    encoding="utf-8")
    result = unit_cost.load(path, registry, "Glostrup")
    assert result.reference_cost == (20000 * 1000 + 30000 * 3000 + 25000 * 1000) / 5000
    assert (result.rank, result.rank_of) == (2, 3)


def test_errors(tmp_path, registry):
    path = tmp_path / "u.csv"
    path.write_text("area,unit_cost,recipients\nHvidovre,22953,\nHele landet,27205,\n", encoding="utf-8")
    with pytest.raises(InputError, match="række 2, kolonne 'recipients'"):
        unit_cost.load(path, registry)
    path.write_text("area,unit_cost\nRegion Hovedstaden,1\nHvidovre,-1\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        unit_cost.load(path, registry)
    messages = [str(e) for e in caught.value.errors]
    assert any("række 2, kolonne 'area'" in m and "kommune eller hele landet" in m for m in messages)
    assert any("række 3, kolonne 'unit_cost'" in m for m in messages)
    with pytest.raises(MaaltalError, match="Brøndby står ikke i"):
        unit_cost.load(EXAMPLE, registry, "Brøndby")


def test_cli():
    data = cli_json("benchmark", "unitcost", str(EXAMPLE))
    assert data["difference"] == -4252 and round(data["worth"] / 1e6, 1) == -15.5
    table = run_cli("benchmark", "unitcost", str(EXAMPLE), "--area", "Hvidovre")
    assert table.returncode == 0 and "22.953" in table.stdout and "15,5 mio. kr." in table.stdout
