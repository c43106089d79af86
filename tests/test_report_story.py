"""The committee report as a chair reads it: the story on the first page, numbers that agree with
themselves, fair comparisons, 8-12 pages, provenance from the data, and what the seeds say.

The demo report is built as ``make demo`` builds it (catalogue, forecast attachment, Vestegnen), through
the command line, and read back from its PDF, HTML and agenda text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from maaltal import formatting as fmt
from maaltal.document import Chart, Section, SmileyOverview, Status, Table
from maaltal.goals import evaluate, loads_catalogue
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.render import html, svg_charts
from maaltal.report import build
from maaltal.report.sections import provenance
from maaltal.sources import observations_csv
from maaltal.sources.jobindsats import importer
from maaltal.store import Store
from tests.conftest import TEST_DATA, run_cli
from tests.test_jobindsats import as_v2_json, y30r21_rows

EXAMPLES = TEST_DATA.parents[1] / "examples"


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> tuple[Path, str]:
    """``make demo``'s report and agenda item, and what ``maaltal report`` wrote to stderr."""
    out = tmp_path_factory.mktemp("story")
    store = str(out / "demo.duckdb")
    assert run_cli("--store", store, "demo").returncode == 0
    result = run_cli("--store", store, "report", "--area", "167", "--period", "2024M12", "--previous", "2024M09",
                     "--benchmark", "group:vestegnen", "--committee", "Social- og Arbejdsmarkedsudvalget",
                     "--out", str(out), "--agenda", "--format", "html,pdf,xlsx",
                     "--catalogue", str(EXAMPLES / "demo-hvidovre-2024.yaml"),
                     "--attach", f"forecast={EXAMPLES / 'budget' / 'enhedspriser-demo.csv'}", timeout=600)
    assert result.returncode == 0, result.stderr
    return out, result.stderr


def _pdf_pages(out: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(out / "rapport-167-2024M12.pdf").pages]


def _html_text(out: Path) -> str:
    text = (out / "rapport-167-2024M12.html").read_text(encoding="utf-8")
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def _texts(out: Path) -> dict[str, str]:
    return {"pdf": " ".join(_pdf_pages(out)), "html": _html_text(out),
            "agenda": (out / "rapport-167-2024M12-dagsordenspunkt.md").read_text(encoding="utf-8")}


# 1. The first page --------------------------------------------------------------------------------

def test_the_standard_report_is_at_most_12_pages_and_its_first_page_tells_the_story(demo_out):
    out, _ = demo_out
    pages = _pdf_pages(out)
    assert 8 <= len(pages) <= 12
    first = " ".join(pages[0].split())
    assert "Sammenfatning" in first
    assert "Bruttoledighed i Hvidovre var 2,8 pct. i december 2024" in first  # level, direction, comparison
    assert "hele landet" in first and "blandt alle kommuner" in first
    for column in ("Mål", "Målsætning", "Resultat", "Status", "Forklaring"):
        assert column in first
    assert "Forklaring mangler" in first
    assert "som hele landets udvikling (−0,4 %) eller bedre" in first  # a benchmark target says what it is
    assert "merforbrug på 2,3 mio. kr." in first  # the budget's bottom line
    assert "Indhold" in " ".join(pages[0:2])


def test_unmet_goals_without_explanation_are_flagged_to_the_analyst(demo_out):
    _, stderr = demo_out
    warned = " ".join(stderr.split())
    assert "Aktivitetsparate kontanthjælpsmodtagere' er ikke opfyldt og har ingen forklaring" in warned
    assert "Unge 18-29 år på offentlig forsørgelse' er ikke opfyldt" in warned


def test_the_toc_has_page_numbers_and_synthetic_data_say_so_on_every_page(demo_out):
    out, _ = demo_out
    pages = _pdf_pages(out)
    assert re.search(r"Nøgletal i overblik\s*\.[ .]*\d+", " ".join(pages[:2]))
    assert all("syntetiske demodata" in page for page in pages)


# 2. Numbers that agree with themselves ------------------------------------------------------------

_NUMBER = r"−?\d{1,3}(?:\.\d{3})*(?:,\d+)?"
_FROM_TO = re.compile(rf"fra ({_NUMBER}) (pct\.|fuldtidspersoner|personer)[^.]*? til ({_NUMBER}) \2[^.]*?"
                      rf"svarende til (en stigning|et fald) på ({_NUMBER})")
_LEVEL_GAP = re.compile(rf"[a-zæøå]: ({_NUMBER}) pct\. i [^.:]*?\. Det er ({_NUMBER}) procentpoint "
                        rf"(over|under) [^(.]+\(({_NUMBER}) pct\.\)")


def _number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", ".").replace("−", "-"))


def contradictions(text: str) -> list[str]:
    """Every place where a text contradicts its own numbers or units."""
    text = " ".join(text.split())
    found = []
    for m in _FROM_TO.finditer(text):
        start, end, word, stated = _number(m.group(1)), _number(m.group(3)), m.group(4), _number(m.group(5))
        if abs(end - start) != stated or (word == "en stigning") != (end > start):
            found.append(m.group(0))
    for m in _LEVEL_GAP.finditer(text):
        ours, stated, side, theirs = _number(m.group(1)), _number(m.group(2)), m.group(3), _number(m.group(4))
        if abs(ours - theirs) != stated or (side == "over") != (ours > theirs):
            found.append(m.group(0))
    patterns = [r"\b1 fuldtidspersoner\b", r"stigning på 0 ", r"fald på 0 ", r"\d procent\b", r"pct\.\.",
                r"(?<![\w/])/(?:work|tmp|home|Users)/", r"\b[\w-]+\.(?:csv|yaml|duckdb)\b",
                r"\b(?:i|mod|med|over|under|end|for) Hele landet", r"(?<![\d(])\+\d+,\d+ (?:pct\.|procentpoint)"]
    for pattern in patterns:
        found += [m.group(0) for m in re.finditer(pattern, text)]
    return found


def test_the_scanner_finds_each_kind_of_contradiction():
    bad = ("Andelen er faldet fra 14,7 pct. i januar 2024 til 14,7 pct. i december 2024, svarende til et fald på "
           "0,1 procentpoint. Bruttoledighed i Hvidovre: 2,8 pct. i december 2024. Det er 0,5 procentpoint over "
           "Vestegnen (2,4 pct.). 1 fuldtidspersoner flere, en stigning på 0 fuldtidspersoner, 2,6 procent, "
           "kilde /work/x/budget.csv, sammenlignet med Hele landet, +8,3 pct. på et år, under 3 pct.. Kilde.")
    assert len(contradictions(bad)) == 10
    good = ("Andelen er steget fra 2,0 pct. i januar 2023 til 2,6 pct. i september 2023, svarende til en stigning "
            "på 0,6 procentpoint. Bruttoledighed i Hvidovre: 2,6 pct. i juni 2022 (701 personer). Det er 0,1 "
            "procentpoint under Region Hovedstaden (2,7 pct.).")
    assert contradictions(good) == []


def test_pdf_html_and_agenda_do_not_contradict_their_own_numbers(demo_out):
    out, _ = demo_out
    for medium, text in _texts(out).items():
        assert contradictions(text) == [], medium
        flat = " ".join(text.split())
        if medium != "agenda":  # the scan is not vacuous: it checks stated differences in both forms
            assert _FROM_TO.search(flat) and _LEVEL_GAP.search(flat), medium


def test_two_builds_are_identical(tmp_path):
    from maaltal import demo
    from maaltal.areas import AreaRegistry
    path = tmp_path / "demo.duckdb"
    with Store.open(path) as store:
        demo.build(store)
    renders = []
    for _ in range(2):
        with Store.open(path, read_only=True) as store:
            engine = KeyFigureEngine(store, AreaRegistry.default())
            report = build.committee_report(engine, "167", Period.parse("2024M12"),
                                            catalogue=EXAMPLES / "demo-hvidovre-2024.yaml",
                                            benchmarks=("group:vestegnen",))
            renders.append(html.render(report, for_print=True))
    assert renders[0] == renders[1]


# 3. Fair comparisons ------------------------------------------------------------------------------

def test_benefit_groups_are_ranked_by_share_not_by_head_count(demo_out):
    out, _ = demo_out
    from openpyxl import load_workbook
    workbook = load_workbook(out / "rapport-167-2024M12.xlsx")
    overview = [[c.value for c in row] for row in workbook["Nøgletal i overblik"].iter_rows()]
    header = next(r for r in overview if r[0] == "Ydelse (fuldtidspersoner)")
    assert "Nr. i Vestegnens kommuner" in header and "Nr. blandt alle" in header
    rows = [r for r in overview if r[0] in ("A-dagpenge", "Sygedagpenge", "Førtidspension")]
    group_ranks = [r[header.index("Nr. i Vestegnens kommuner")] for r in rows]
    # by head-count Hvidovre, the largest of its group, was 8 of 8 in each; per population it is not
    assert group_ranks and not all(rank == "8 af 8" for rank in group_ranks)
    assert all(r[header.index("Nr. blandt alle")].endswith("af 98") for r in rows)
    sheets = " ".join(workbook.sheetnames)
    assert "Ydelsesgrupper i detaljer" in sheets  # the detail tables left the PDF for the XLSX
    details = [[c.value for c in row] for row in workbook["Ydelsesgrupper i detaljer"].iter_rows()]
    assert any(r[0] and "de 10 bedste og de 10 dårligste af alle kommuner" in str(r[0]) for r in details)


def test_benchmark_alle_ranks_among_all_98(registry):
    every = registry.get("alle")
    assert len(every.members) == 98 and registry.get("alle kommuner") is every


def test_seeds_comparisons_read_right_from_data(hvidovre_store, registry, shared_data):
    """Hvidovre, items 8 and 9: bruttoledighed 2,6 pct., 0,1 procentpoint under the region; "nr. 83 ud af 98
    … 200 flere end det beregnede forventede antal" from the real Y30R21 file."""
    # the benchmarking as it stood at the meeting (5 September 2022): its newest period was 2021QMAT04
    rows = [r for r in y30r21_rows(shared_data) if r["Periode"] <= "2021QMAT04"]
    importer.import_answer(hvidovre_store, as_v2_json(rows), table="Y30R21", file="y30r21", registry=registry)
    engine = KeyFigureEngine(hvidovre_store, registry)
    report = build.build(engine, build.ReportRequest(area="167", period=Period.parse("2022M06"),
                                                     benchmarks=("group:vestegnen",)))
    text = " ".join(re.sub(r"<[^>]+>", " ", html.render(report)).split())
    assert "Bruttoledighed i Hvidovre var 2,6 pct. i juni 2022" in text
    assert "0,1 procentpoint under Region Hovedstaden (2,7 pct.)" in text
    assert "nr. 83 ud af 98 kommuner" in text
    assert "200 flere borgere på offentlig forsørgelse end det beregnede forventede antal (3.310 mod 3.110)" in text
    first = report.sections[0]
    assert first.id == "sammenfatning" and any("nr. 83 ud af 98" in b.text for b in first.blocks[0].items)
    assert "Kilde: jobindsats.dk, Y30R21, hentet" in text
    assert contradictions(text) == []


# 4. Charts and layout -----------------------------------------------------------------------------

@pytest.mark.parametrize(("low", "high"), [(143, 153), (2.2, 3.2), (14.1, 14.9), (0, 882.3), (435, 460)])
def test_axis_ticks_step_by_1_2_or_5(low, high):
    ticks = svg_charts.nice_ticks(low, high)
    step = Decimal(str(round(ticks[1] - ticks[0], 10)))
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in (1, 2, 5) and ticks[0] <= low and ticks[-1] >= high


def test_the_waterfall_axis_starts_near_the_smallest_total_and_labels_wrap():
    from maaltal.document import Format, Series
    points = (("Budget 2021", 1584.0), ("Midtvejsregulering af budgetgarantien", 25.4),
              ("Lov- og cirkulæreprogram", 10.6), ("Aktivitetsændringer i jobcentret", 4.5),
              ("Budget 2022", 1624.5))
    chart = Chart("bro", "Budgetbro", "waterfall", "mio. kr.", (Series("Bro", points),), "Vandfald",
                  Format.MIO_KR, 1)
    svg = svg_charts.render(chart)
    ticks = [float(t.replace(".", "").replace(",", ".")) for t in
             re.findall(r'text-anchor="end">([\d.,]+)</text>', svg)]
    assert min(ticks) > 1400  # not from 0 or −500: the adjustments stay visible
    assert ">Midtvejsregulering<" in svg and ">af budgetgarantien<" in svg  # wrapped to its column


def test_every_printed_chart_has_a_finding_title_and_a_source(demo_out):
    out, _ = demo_out
    page = (out / "rapport-167-2024M12.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure id="[^"]+" class="chart[^"]*">(.*?)</figure>', page, flags=re.S)
    assert len(figures) >= 13
    for figure in figures:
        assert 'class="chart-title"' in figure and 'class="source">Kilde: ' in figure
    assert "Bruttoledighed: 2,8 pct. i Hvidovre, 0,6 procentpoint under hele landet" in page


# 5. Provenance ------------------------------------------------------------------------------------

def test_sources_name_the_tables_and_the_date():
    from datetime import datetime
    when = datetime(2026, 12, 1, 9, 30)
    assert provenance.describe({"jobindsats:Y01A02": when}) == "jobindsats.dk, Y01A02, hentet 1. december 2026"
    assert provenance.describe({"jobindsats:y25i01": when, "jobindsats:Y01A02": when, "statbank:AUK01": when}) == (
        "jobindsats.dk, Y01A02 og Y25I01, hentet 1. december 2026; Danmarks Statistik, AUK01, hentet 1. december 2026")
    assert "syntetiske demodata" in provenance.describe({"demo:syntetiske demodata": when})
    assert provenance.file_source("/home/analytiker/budget/enhedspriser.csv") == "Kilde: kommunens egne tal."
    assert provenance.file_source("Kilde: Vejledning fra STAR") == "Kilde: Vejledning fra STAR"


# 9. What the seeds say ----------------------------------------------------------------------------

SLAGELSE = """name: Effektmål for ungeindsatsen
area: Slagelse
year: 2025
goals:
  - id: unge
    title: Andel unge, som modtager ydelse
    note: Opgørelsen er ændret fra 2023; tallene før kan ikke sammenlignes.
    indicator: {series: unge_paa_ydelse, denominator: befolkning, denominator_dimensions: {alder: 16-29}}
    measure: latest
    rule:
      type: graduated
      op: "<="
      baseline: {period: 2016, value: 12.6}
      targets: {2024: 9.5, 2025: {cut: "-25 %", value: 9.4}, 2026: "baseline - 25 %"}
"""


def test_a_graduated_target_written_as_a_cut_of_the_baseline(registry, store):
    """Slagelse item 5: a 25 % cut of 12,6 is 9,45; the typed 9,4 is flagged as disagreeing."""
    catalogue = loads_catalogue(SLAGELSE, registry, "slagelse.yaml")
    rule = catalogue.goal("unge").rule
    assert rule.target(2025) == pytest.approx(9.45) and rule.target(2026) == pytest.approx(9.45)
    assert rule.target(2024) == 9.5 and rule.stated == ((2025, 9.4),)
    assert len(catalogue.warnings) == 1
    warning = catalogue.warnings[0]
    assert "slagelse.yaml" in warning and "skrevet som 9,4" in warning and "− 25 % er 9,45" in warning
    assert fmt.number(rule.target(2025), rule.decimals(2025, 1)) == "9,45"


def test_a_note_on_a_measurement_is_carried_beside_the_figure(registry, store):
    rows = ["series,area,period,value,unit,alder"]
    rows += [f"unge_paa_ydelse,Slagelse,2025M{m:02d},{900 - m},personer," for m in range(1, 9)]
    rows += [f"befolkning,Slagelse,2025M{m:02d},10000,personer,16-29" for m in range(1, 9)]
    data = Path(store.path).parent / "slagelse.csv" if store.path else None
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    observations_csv.import_file(store, data, registry)
    followup = evaluate(loads_catalogue(SLAGELSE, registry, "slagelse.yaml"), KeyFigureEngine(store, registry),
                        "2025M08")
    goal = followup.goal("unge")
    assert goal.status is Status.MET and goal.target_text == "højst 9,45 pct."
    assert "baseline 2016: 12,6 pct. − 25 %" in goal.text and "angiver også 9,4 pct." in goal.text
    from maaltal.report.sections.goals import goal_sections
    section: Section = next(s for s in goal_sections(followup) if s.id == "maal-unge")
    chart = next(b for b in section.blocks if isinstance(b, Chart))
    assert chart.note == "Opgørelsen er ændret fra 2023; tallene før kan ikke sammenlignes."
    assert any(getattr(b, "text", "").startswith("Note om opgørelsen:") for b in section.blocks)
    assert all(b.appendix for b in section.blocks if isinstance(b, Table))
    overview = goal_sections(followup)[0].blocks[0]
    assert isinstance(overview, SmileyOverview) and overview.items[0].target == "højst 9,45 pct."
