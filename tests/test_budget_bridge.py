"""Budget bridge between two budget versions: Horsens item 3 (25 August 2020), 1,584 → 1,624 mia. kr."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maaltal import formatting as fmt
from maaltal.budget import bridge
from maaltal.document import Chart, Table
from maaltal.errors import InputError, InputErrors
from maaltal.report.sections.budget import report_section
from tests.conftest import cli_json, run_cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "budget" / "horsens-2021-bro.yaml"


def test_horsens_bridge_adds_up():
    result = bridge.load(EXAMPLE)
    # The minutes print "10,6 mio. kr." without a sign: it must be +10,6 for the six adjustments to make the
    # stated +40,5. 1.584 + 40,5 = 1.624,5 mio. kr., which the minutes round to "1,624 mia. kr."; we follow
    # the arithmetic.
    assert result.change == pytest.approx(40.5)
    assert [a.amount for a in result.adjustments] == [-0.2, 22.0, 6.5, 10.6, -0.4, 2.0]
    assert result.start.amount + result.change == pytest.approx(result.end.amount) == pytest.approx(1624.5)


def test_a_bridge_that_does_not_add_up_is_refused_with_the_gap(tmp_path):
    # The seed's end figure taken literally (1,624 mia.) leaves 0,5 mio. kr. unexplained.
    text = EXAMPLE.read_text(encoding="utf-8").replace("amount: 1624.5", "amount: 1624.0")
    path = tmp_path / "bro.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        bridge.load(path)
    message = str(caught.value)
    line = next(i for i, x in enumerate(text.splitlines(), start=1) if "1624.0" in x)
    assert f"fil {path}, linje {line}, felt 'end.amount'" in message
    assert "1.584,0 mio. kr. + justeringer på 40,5 mio. kr. = 1.624,5 mio. kr." in message
    assert "slutbeløbet er 1.624,0 mio. kr.; der er for meget 0,5 mio. kr. i justeringerne" in message
    # and leaving out the sign's fix (−10,6) gives a gap of 21,2 the other way
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("amount: 10.6", "amount: -10.6"), encoding="utf-8")
    with pytest.raises(InputError, match="der mangler 21,2 mio. kr. i justeringerne"):
        bridge.load(path)


def test_the_minutes_end_in_mia_kr_with_their_own_rounding(tmp_path):
    """Issue 13, part 9: Horsens states the end as "1,624 mia. kr." where the steps sum to 1.624,5 mio. kr.:
    a figure written to the nearest million is read as rounded, and the table says so."""
    path = tmp_path / "bro.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "  amount: 1624.5", "  amount: 1.624\n  unit: mia. kr."), encoding="utf-8")
    result = bridge.load(path)
    assert result.end.amount == pytest.approx(1624.0) and result.end.stated == (1.624, "mia. kr.", 3)
    assert result.rounding_note == ("Budget 2021 (fra august 2020) er opgivet som 1,624 mia. kr. (afrundet); broen "
                                    "summer til 1.624,5 mio. kr.")
    table = next(b for b in report_section(result).blocks if isinstance(b, Table))
    assert table.note == result.rounding_note
    # one million off is more than the minutes' rounding: refused
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 1.624\n", "amount: 1.623\n"), encoding="utf-8")
    with pytest.raises(InputError, match="der er for meget 1,5 mio. kr. i justeringerne"):
        bridge.load(path)


def test_a_bridge_kept_in_mia_kr(tmp_path):
    path = tmp_path / "bro.yaml"
    path.write_text("title: Budget\nunit: mia. kr.\nstart: {label: Før, amount: 1.584}\nadjustments:\n"
                    "  - {label: Ledighed, amount: 0.0405}\nend: {label: Efter, amount: 1.6245}\n", encoding="utf-8")
    result = bridge.load(path)
    assert result.rounding_note is None and result.decimals == 3
    text = report_section(result).blocks[0].text
    assert "opjusteres med 0,041 mia. kr. fra 1,584 mia. kr. (Før) til 1,625 mia. kr. (Efter)" in text


def test_malformed_bridge_names_lines_and_fields(tmp_path):
    path = tmp_path / "bro.yaml"
    path.write_text("title: B\nstart: {label: Før, amount: 10}\nadjustments:\n  - {label: '', amount: x}\n"
                    "end: {label: Efter}\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        bridge.load(path)
    messages = [str(e) for e in caught.value.errors]
    assert any("linje 4, felt 'adjustments.0.label'" in m for m in messages)
    assert any("linje 4, felt 'adjustments.0.amount'" in m and "'x'" in m for m in messages)
    assert any("linje 5, felt 'end.amount'" in m for m in messages)
    assert any("linje 6, felt 'colour'" in m and "ukendt felt" in m for m in messages)


def test_report_section_has_table_and_waterfall():
    section = report_section(bridge.load(EXAMPLE))
    assert section.blocks[0].text == (
        "Beskæftigelses- og Integrationsudvalgets budget 2021 opjusteres med 40,5 mio. kr. fra 1.584,0 mio. kr. "
        "(Budget 2021 (fra maj 2020)) til 1.624,5 mio. kr. (Budget 2021 (fra august 2020)).")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert len(table.rows) == 8 and table.emphasis == (0, 7)
    chart = next(b for b in section.blocks if isinstance(b, Chart))
    assert chart.kind == "waterfall"
    points = chart.series[0].points
    assert points[0][1] + sum(v for _, v in points[1:-1]) == pytest.approx(points[-1][1])


def test_cli_table_json_and_refusal(tmp_path):
    data = cli_json("budget", "bridge", str(EXAMPLE))
    assert data["change"] == pytest.approx(40.5) and len(data["adjustments"]) == 6
    table = run_cli("budget", "bridge", str(EXAMPLE))
    assert table.returncode == 0 and "+22,0" in table.stdout and "1.624,5" in table.stdout
    # a long folder name: in a pipe the message must stay on one line whatever the path's length
    folder = tmp_path / ("en lang sti med æøå " * 4)
    folder.mkdir()
    bad = folder / "bro.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("amount: 22.0", "amount: 2.0"), encoding="utf-8")
    refused = run_cli("budget", "bridge", str(bad))
    assert refused.returncode == 2 and "der mangler 20,0 mio. kr." in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Traceback" not in refused.stderr


@settings(deadline=None)
@given(start=st.integers(0, 10**7), steps=st.lists(st.integers(-10**5, 10**5), min_size=1, max_size=8),
       gap=st.integers(-10**4, 10**4))
def test_any_bridge_is_accepted_exactly_when_it_adds_up(tmp_path_factory, start, steps, gap):
    # amounts in tenths of mio. kr., as budgets are typed
    adjustments = "".join(f"  - {{label: J{i}, amount: {s / 10}}}\n" for i, s in enumerate(steps))
    end = (start + sum(steps) + gap) / 10
    path = tmp_path_factory.mktemp("bro") / "bro.yaml"
    path.write_text(f"title: B\nstart: {{label: Før, amount: {start / 10}}}\nadjustments:\n{adjustments}"
                    f"end: {{label: Efter, amount: {end}}}\n", encoding="utf-8")
    if gap == 0:
        assert bridge.load(path).change == pytest.approx(sum(steps) / 10)
    else:
        with pytest.raises(InputError, match=f"der {'mangler' if gap > 0 else 'er for meget'} "
                                             f"{fmt.number(abs(gap) / 10, 1)} mio. kr."):
            bridge.load(path)
