"""The goal follow-up as report sections (for the committee report the lead builds)."""

from datetime import datetime

from maaltal.document import Bullet, BulletList, Chart, Paragraph, SmileyOverview, Table
from maaltal.goals import evaluate, load_catalogue
from maaltal.goals.comments import Comment
from maaltal.measures import KeyFigureEngine
from maaltal.periods import Period
from maaltal.report.sections.goals import goal_sections
from maaltal.sources import observations_csv
from tests.conftest import TEST_DATA
from tests.test_goals_gladsaxe import CATALOGUE as GLADSAXE

EXAMPLES = TEST_DATA.parents[1] / "examples"


def test_gladsaxe_report_sections(store, registry):
    observations_csv.import_file(store, TEST_DATA / "gladsaxe_maal_2023.csv", registry)
    note = Comment("opkvalificering", Period.parse("2023M09"), "Den manglende målopfyldelse skyldes …", "A",
                   datetime(2023, 11, 20, 10, 0))
    followup = evaluate(load_catalogue(GLADSAXE, registry), KeyFigureEngine(store, registry), "2023M09",
                        {"opkvalificering": note})
    quarter = evaluate(load_catalogue(GLADSAXE, registry), KeyFigureEngine(store, registry), "2023Q3")
    assert quarter.summary == followup.summary  # "3. kvartal 2023" reads the monthly series up to September
    sections = goal_sections(followup)
    assert [s.id for s in sections][:2] == ["maal-oversigt", "maal-virksomhedsrettet-aktivering"]
    overview = sections[0].blocks[0]
    assert isinstance(overview, SmileyOverview)
    assert overview.counts == followup.summary
    section = next(s for s in sections if s.id == "maal-opkvalificering")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["Opgjort værdi", "Målsætning", "januar 2023", "september 2023"]
    chart = next(b for b in section.blocks if isinstance(b, Chart))
    assert [s.name for s in chart.series] == ["Gladsaxe", "Mål"] and len(chart.series[0].points) == 9
    assert {v for _, v in chart.series[1].points} == {followup.goal("opkvalificering").target}
    comments = [b for b in section.blocks if isinstance(b, Paragraph) and b.style == "comment"]
    assert comments[0].text == "Kommentar (A, 20. november 2023): Den manglende målopfyldelse skyldes …"


def test_a_bearing_lists_its_goals_and_the_overview_skips_it(store, registry):
    observations_csv.import_file(store, TEST_DATA / "horsens_kontanthjaelp.csv", registry)
    followup = evaluate(load_catalogue(EXAMPLES / "horsens-2020.yaml", registry), KeyFigureEngine(store, registry),
                        "2020M06")
    sections = goal_sections(followup)
    items = sections[0].blocks[0].items
    assert [(i.goal_id, i.parent) for i in items] == [
        ("kontanthjaelp", None), ("aktivitetsparate", "kontanthjaelp"), ("jobparate", "kontanthjaelp")]
    bearing = next(s for s in sections if s.id == "maal-faerre-offentligt-forsoergede")
    bullets = next(b for b in bearing.blocks if isinstance(b, BulletList))
    assert bullets.items == (Bullet("Kontanthjælpsmodtagere, udvikling mod landsgennemsnittet: Opfyldt"),)
    total = next(s for s in sections if s.id == "maal-kontanthjaelp")
    table = next(b for b in total.blocks if isinstance(b, Table))
    assert table.columns[1].format == "change_pct" and table.columns[1].label == "Værdi (%)"
