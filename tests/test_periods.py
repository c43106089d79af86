from datetime import date

import pytest

from maaltal.errors import PeriodError
from maaltal.periods import Freq, Period, PeriodRange


@pytest.mark.parametrize(("text", "canonical", "freq"), [
    ("2022M06", "2022M06", Freq.MONTH),
    ("2022m6", "2022M06", Freq.MONTH),
    ("2023Q3", "2023Q3", Freq.QUARTER),
    ("2026Q01", "2026Q1", Freq.QUARTER),   # jobindsats v3
    ("2023K3", "2023Q3", Freq.QUARTER),    # Statistics Denmark
    ("2023", "2023", Freq.YEAR),
    ("2025Y01", "2025", Freq.YEAR),        # jobindsats v3
    ("2022QMAT04", "2022QMAT04", Freq.QMAT),
])
def test_parse_official_spellings(text, canonical, freq):
    period = Period.parse(text)
    assert str(period) == canonical
    assert period.freq is freq


@pytest.mark.parametrize("text", ["2022M13", "2022M00", "2023Q5", "2023K0", "22M06", "juni 2022", "", "2022QMAT5"])
def test_bad_periods_are_refused_with_the_text(text):
    with pytest.raises(PeriodError, match="er ikke en periode"):
        Period.parse(text)


def test_arithmetic_and_order():
    june = Period.parse("2022M06")
    assert june + 7 == Period.parse("2023M01")
    assert june - 6 == Period.parse("2021M12")
    assert june.year_ago() == Period.parse("2021M06")
    assert Period.parse("2023Q1").year_ago() == Period.parse("2022Q1")
    assert Period.parse("2022M05") < june
    assert june.steps_since(Period.parse("2021M06")) == 12
    with pytest.raises(PeriodError):
        _ = june < Period.parse("2022Q2")


def test_calendar_of_periods():
    assert Period.parse("2023Q3").months() == [Period.parse(m) for m in ("2023M07", "2023M08", "2023M09")]
    qmat = Period.parse("2022QMAT04")
    assert qmat.start == date(2022, 1, 1) and qmat.end == date(2022, 12, 31)
    assert Period.parse("2021QMAT02").start == date(2020, 7, 1)
    assert Period.parse("2024M02").days == 29
    assert Period.parse("2023").days == 365
    assert Period.parse("2023M08").quarter() == Period.parse("2023Q3")


def test_windows():
    sep = Period.parse("2023M09")
    ytd = sep.year_to_date()
    assert len(ytd) == 9 and ytd.start == Period.parse("2023M01")
    assert list(Period.parse("2023Q3").year_to_date()) == [Period.parse(f"2023Q{i}") for i in (1, 2, 3)]
    assert len(sep.calendar_year()) == 12
    assert sep.last_n(12).start == Period.parse("2022M10")
    assert Period.parse("2023M03") in ytd and Period.parse("2023M10") not in ytd


def test_ranges_parse_and_validate():
    assert len(PeriodRange.parse("2022M01..2022M06")) == 6
    assert len(PeriodRange.parse("2022M01:2022M06")) == 6
    assert len(PeriodRange.parse("2022Q1-2023Q4")) == 8
    assert len(PeriodRange.parse("2023M05")) == 1
    with pytest.raises(PeriodError):
        PeriodRange.parse("2023M06..2023M01")
    with pytest.raises(PeriodError):
        PeriodRange.parse("2023M06..2023Q4")
