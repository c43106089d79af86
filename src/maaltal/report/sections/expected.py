"""Expected vs actual: the ministry's benchmarking of recipients (jobindsats Y30R21), where the store has it.

Hvidovre (item 8): "På den seneste opgørelse var Hvidovre placeret som nr. 83 ud af 98 kommuner.
Sammenligningen viste, at Hvidovre havde 200 flere borgere på offentlig forsørgelse end det beregnede
forventede antal." The same sentence from the imported table: rank, actual, expected and their difference.
"""

from __future__ import annotations

from dataclasses import dataclass

from maaltal import formatting as fmt
from maaltal.document import Column, Format, Paragraph, Section, Table
from maaltal.measures import Indicator, KeyFigureEngine
from maaltal.periods import Freq, Period
from maaltal.report.sections import provenance

RANK, EXPECTED, ACTUAL = "benchmark_placering", "benchmark_forventet", "benchmark_faktisk"
TOTAL = (("ydelse", "i alt"),)


@dataclass(frozen=True)
class Expected:
    period: Period
    rank: int
    of: int
    expected: float
    actual: float
    source: str

    @property
    def difference(self) -> float:
        """Actual minus expected as the two are printed (whole persons), so that the table's three rows add up
        and the sentence, which prints both, says the same: 100,4 against 90,6 is 100 against 91, 9 more."""
        return float(fmt.shown(self.actual, "personer") - fmt.shown(self.expected, "personer"))

    def sentence(self, area_name: str) -> str:
        diff = self.difference
        if diff == 0:
            compared = "lige så mange borgere på offentlig forsørgelse som det beregnede forventede antal"
        else:
            word = "flere" if diff > 0 else "færre"
            compared = (f"{fmt.number(abs(diff))} {word} borgere på offentlig forsørgelse end det "
                        "beregnede forventede antal")
        return (f"På den seneste benchmarking ({fmt.period(self.period)}) var {area_name} nr. {self.rank} ud af "
                f"{self.of} kommuner og havde {compared} ({fmt.number(self.actual)} mod "
                f"{fmt.number(self.expected)}).")


def compute(engine: KeyFigureEngine, area: str, period: Period) -> Expected | None:
    """The newest benchmarking up to ``period`` (four quarters ending by it), ``None`` when not imported."""
    if not all(engine.has_series(s) for s in (RANK, EXPECTED, ACTUAL)):
        return None
    last = period.last_month().quarter()
    up_to = Period(Freq.QMAT, last.year, last.index)
    rank_ind = Indicator(RANK, dims=TOTAL)
    found = engine.latest_period(rank_ind, area, up_to)
    if found is None:
        return None
    table = engine.table(rank_ind, area, found)
    expected = engine.value(Indicator(EXPECTED, dims=TOTAL), area, found).value
    actual = engine.value(Indicator(ACTUAL, dims=TOTAL), area, found).value
    if table.focus.value is None or expected is None or actual is None:
        return None
    return Expected(found, int(table.focus.value), table.ranked_of or 98, expected, actual,
                    provenance.line(engine, (RANK, EXPECTED, ACTUAL)))


def section(result: Expected, area_name: str) -> Section:
    table = Table("benchmark-forventet", f"Faktisk og forventet antal på offentlig forsørgelse, "
                  f"{fmt.period(result.period)}",
                  (Column("label", ""), Column("value", "Antal", Format.NUMBER)),
                  (("Faktisk antal", result.actual), ("Forventet antal", result.expected),
                   ("Forskel", result.difference)), source=result.source)
    return Section("benchmark-forventet", "Faktisk mod forventet antal på offentlig forsørgelse",
                   (Paragraph(result.sentence(area_name)), table,
                    Paragraph("Nr. 1 har færrest på offentlig forsørgelse i forhold til det forventede antal, "
                              "som Beskæftigelsesministeriet beregner ud fra kommunens rammevilkår.", "note")))
