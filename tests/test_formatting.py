from datetime import date

from maaltal import formatting as fmt
from maaltal.periods import Period, PeriodRange


def test_danish_numbers_round_half_up():
    assert fmt.number(3603) == "3.603"
    assert fmt.number(1234567.91, 1) == "1.234.567,9"
    assert fmt.number(123.45, 1) == "123,5"      # Babel alone would give 123,4
    assert fmt.number(2.675, 2) == "2,68"
    assert fmt.number(-0.04, 1) == "0,0"
    assert fmt.number(None) == "–"


def test_units_and_signs():
    assert fmt.pct(2.625) == "2,6 pct."
    assert fmt.percent(-8.7) == "−8,7 %"
    assert fmt.signed(0.3, 1) == "+0,3" and fmt.signed(-1200) == "−1.200" and fmt.signed(0.01, 1) == "0,0"
    assert fmt.points(-0.07) == "0,1 procentpoint"
    assert fmt.value_with_unit(3603, "fuldtidspersoner") == "3.603 fuldtidspersoner"


def test_periods_and_dates_in_danish():
    assert fmt.period(Period.parse("2023M09")) == "september 2023"
    assert fmt.period(Period.parse("2023Q3")) == "3. kvartal 2023"
    assert fmt.period(Period.parse("2021QMAT04")) == "4 kvartaler til og med 4. kvartal 2021"
    assert fmt.period(PeriodRange.parse("2022M04..2022M06")) == "april–juni 2022"
    assert fmt.long_date(date(2023, 12, 6)) == "6. december 2023"


def test_a_change_is_the_unrounded_change_rounded_once_unless_both_levels_are_printed():
    # 49,4 → 55,8: the table's change cell prints +6; the printed levels 49 and 56 are 7 apart
    assert fmt.change(49.4, 55.8, "fuldtidspersoner") == "en stigning på 6 fuldtidspersoner (+13,0 %)"
    assert fmt.signed(55.8 - 49.4) == "+6"
    assert fmt.change(49.4, 55.8, "fuldtidspersoner", beside_levels=True).startswith("en stigning på 7 ")
    assert fmt.change(14.749, 14.751, "pct.") == "stort set uændret"
    assert fmt.change(14.749, 14.751, "pct.", beside_levels=True) == "en stigning på 0,1 procentpoint"


def test_actual_against_expected_adds_up_as_printed():
    """The benchmarking's table prints actual, expected and their difference in whole persons, and its
    sentence prints both levels: the difference is that of the printed levels, so the three rows add up."""
    from maaltal.report.sections.expected import Expected

    result = Expected(Period.parse("2024Q4"), 12, 98, expected=90.6, actual=100.4, source="jobindsats")
    assert result.difference == 9  # 100 against 91, not 9,8 rounded to 10
    assert "9 flere borgere på offentlig forsørgelse end det beregnede forventede antal (100 mod 91)" in \
        result.sentence("Hvidovre")
