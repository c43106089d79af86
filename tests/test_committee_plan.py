"""The yearly plan: what is due at which meeting, and agenda items created with their reports attached."""

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from maaltal import demo
from maaltal.committee import plan, storage
from maaltal.committee.minutes import parse_file
from maaltal.errors import InputError, MaaltalError
from maaltal.periods import Period, PeriodRange
from maaltal.render import files
from maaltal.report import plan_builders
from tests.test_minutes import HVIDOVRE

EXAMPLE = Path(__file__).parents[1] / "examples" / "aarsplan.yaml"


@pytest.mark.parametrize(("kind", "on", "lag", "expected"), [
    ("month", date(2025, 1, 13), 1, "2024M12"),
    ("month", date(2025, 3, 10), 0, "2025M03"),
    ("quarter", date(2023, 12, 6), 2, "2023Q3"),  # Gladsaxe item 8: Målopfølgning 3. kvartal 2023 in December
    ("quarter", date(2025, 5, 12), 1, "2025Q1"),
    ("quarter", date(2025, 5, 12), 2, "2025Q1"),
    ("quarter", date(2025, 5, 12), 3, "2024Q4"),
    ("year", date(2025, 2, 10), 1, "2024"),
    ("year", date(2025, 11, 10), 1, "2024"),
    ("halfyear", date(2025, 9, 8), 2, "2025Q1..2025Q2"),
    ("halfyear", date(2025, 3, 10), 2, "2024Q3..2024Q4"),
])
def test_the_data_period_of_a_meeting(kind, on, lag, expected):
    assert str(plan.data_period(kind, on, lag)) == expected


def test_the_example_plan_says_what_is_due_at_each_meeting(registry):
    loaded = plan.load(EXAMPLE, registry)
    assert loaded.area == "167" and len(loaded.meetings) == 11
    assert loaded.meetings[0].time == "16:00"
    due = {m.date: [(d.fixed.report, plan.period_label(d.period)) for d in items] for m, items in plan.schedule(loaded)}
    assert due[date(2025, 1, 13)] == [("monthly_keyfigures", "december 2024")]
    assert due[date(2025, 9, 8)] == [("monthly_keyfigures", "august 2025"), ("budget_followup", "2. kvartal 2025"),
                                     ("target_figures", "1. halvår 2025")]
    assert sum(len(items) for _, items in plan.schedule(loaded)) == 11 + 4 + 3 + 2


@pytest.mark.parametrize(("text", "message"), [
    ("fixed_items:\n  - {report: x, title: T, at: alle}\n", "linje 8, felt 'fixed_items.0.report': ukendt rapport"),
    ("fixed_items:\n  - {report: goal_followup, title: T, at: [13]}\n", "linje 8, felt 'fixed_items.0.at'"),
    ("fixed_items:\n  - {report: goal_followup, title: T, at: alle, lag_months: -1}\n", "'lag_months'"),
])
def test_a_wrong_plan_names_line_and_field(tmp_path, registry, text, message):
    file = tmp_path / "plan.yaml"
    file.write_text("committee: Udvalget\narea: 167\nmeetings:\n  - date: 2025-01-13\n  - date: 2025-02-10\n\n"
                    + text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        plan.load(file, registry)


def test_an_unknown_area_in_the_plan_is_an_error(tmp_path, registry):
    file = tmp_path / "plan.yaml"
    file.write_text("committee: U\narea: Hvidovr\nmeetings: [{date: 2025-01-13}]\n"
                    "fixed_items: [{report: goal_followup, title: T, at: alle}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="linje 2, felt 'area'.*Hvidovre"):
        plan.load(file, registry)


@pytest.fixture
def demo_store(store):
    """The synthetic demo data for December 2023 to December 2024: enough for the January 2025 meeting."""
    store.write_snapshot(demo.generate(months=PeriodRange(Period.parse("2023M12"), Period.parse("2024M12"))),
                         source=demo.SOURCE)
    return store


def test_a_meeting_gets_its_fixed_items_with_the_key_figures_attached(demo_store, registry, tmp_path):
    loaded = plan.load(EXAMPLE, registry)
    builders = {"monthly_keyfigures": plan_builders.monthly_keyfigures(demo_store, registry, files.write)}
    meeting_id, items, notes = plan.create_agenda(demo_store, loaded, date(2025, 1, 13), builders, tmp_path,
                                                  plan_builders.plan_writer(files.write))
    assert notes == []
    item, plan_item = items
    assert item.title == "Månedlig orientering om nøgletal på beskæftigelsesområdet – december 2024"
    assert item.recommendation.points == ("at tage orienteringen til efterretning.",)
    markdown, docx_file = (Path(f) for f in item.attachment_files)
    assert item.attachments == (markdown.name, docx_file.name) == ("noegletal-167-2024M12.md",
                                                                   "noegletal-167-2024M12.docx")
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Nøgletal for Hvidovre – december 2024")
    assert "| Bruttoledighed (pct.) |" in text and "syntetiske demodata" in text
    table = Document(str(docx_file)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Nøgletal", "Hvidovre", "Region Hovedstaden", "Hele landet"]
    assert table.rows[1].cells[0].text == "Bruttoledighed (pct.)"
    stored = storage.load_meeting(demo_store, meeting_id)
    assert not stored.held and stored.items == (item, plan_item)
    # The plan itself, with the fixed items of the ten coming meetings (Horsens item 7, Slagelse item 11).
    assert (plan_item.number, plan_item.title) == (2, "Punkter til kommende møder")
    coming = Document(plan_item.attachment_files[1]).tables[0]
    assert len(coming.rows) == 1 + 10 + 4 + 3 + 2
    assert [c.text for c in coming.rows[1].cells] == ["10-02-2025", "Månedlig orientering om nøgletal på "
                                                      "beskæftigelsesområdet", "januar 2025"]
    assert [c.text for c in coming.rows[-1].cells][0] == "08-12-2025"
    # Creating the same meeting again adds nothing.
    _, again, notes = plan.create_agenda(demo_store, loaded, date(2025, 1, 13), {}, tmp_path)
    assert again == [] and "findes allerede" in notes[0]


def test_the_builder_passed_in_is_called_and_kinds_without_one_get_a_note(store, registry, tmp_path):
    calls = []

    def goal_report(area, period, kind, out_dir):
        calls.append((area, str(period), kind, out_dir.name))
        file = out_dir / f"{kind}-{period}.txt"
        file.write_text("målopfølgning", encoding="utf-8")
        return [file]

    loaded = plan.load(EXAMPLE, registry)
    _, items, notes = plan.create_agenda(store, loaded, date(2025, 11, 10), {"goal_followup": goal_report}, tmp_path,
                                         plan_builders.plan_writer(files.write))
    assert calls == [("167", "2025Q3", "goal_followup", "2025-11-10")]
    assert [i.number for i in items] == [1, 2, 3, 4]
    assert items[1].attachments == ("goal_followup-2025Q3.txt",)
    assert items[0].attachments == () and items[2].attachments == ()
    assert items[3].attachments == ("aarsplan-2025-11-10.md", "aarsplan-2025-11-10.docx")
    assert (tmp_path / "2025-11-10" / "aarsplan-2025-11-10.md").read_text(encoding="utf-8").splitlines()[4] == \
        "| 08-12-2025 | Månedlig orientering om nøgletal på beskæftigelsesområdet | november 2025 |"
    assert [n.split(":")[1].strip() for n in notes] == ["ingen rapportbygger for månedlige nøgletal endnu; punktet er "
                                                        "oprettet uden bilag",
                                                        "ingen rapportbygger for budgetopfølgning endnu; punktet er "
                                                        "oprettet uden bilag"]


def test_no_items_for_a_meeting_outside_the_plan_or_already_held(store, registry, tmp_path, seeds):
    loaded = plan.load(EXAMPLE, registry)
    with pytest.raises(MaaltalError, match="intet møde den 14-01-2025"):
        plan.create_agenda(store, loaded, date(2025, 1, 14), {}, tmp_path)
    held = parse_file(seeds / HVIDOVRE).meeting
    storage.save_meeting(store, held)
    other = plan.YearPlan(held.committee, "167", (plan.PlannedMeeting(held.date),), loaded.items)
    with pytest.raises(MaaltalError, match="er holdt"):
        plan.create_agenda(store, other, held.date, {}, tmp_path)


def test_a_failing_report_builder_leaves_the_store_as_it_was(store, registry, tmp_path):
    def broken(area, period, kind, out_dir):
        raise MaaltalError("Ingen tal for målopfølgningen")

    loaded = plan.load(EXAMPLE, registry)
    with pytest.raises(MaaltalError, match="Ingen tal"):
        plan.create_agenda(store, loaded, date(2025, 11, 10), {"goal_followup": broken}, tmp_path)
    assert storage.meetings(store) == []


def test_the_plan_attaches_the_full_committee_report_with_the_goal_follow_up(demo_store, registry, tmp_path):
    """February's goal follow-up covers the 4th quarter of 2024: the report with its smileys is attached."""
    catalogue = Path(__file__).parents[1] / "examples" / "demo-hvidovre-2024.yaml"
    bound = plan_builders.committee_report(demo_store, registry, files.write, catalogue)
    loaded = plan.load(EXAMPLE, registry)
    _, items, _ = plan.create_agenda(demo_store, loaded, date(2025, 2, 10), bound, tmp_path)
    goal_item = next(i for i in items if i.title.startswith("Målopfølgning"))
    assert goal_item.attachments == ("rapport-167-2024M12.html", "rapport-167-2024M12.pdf",
                                     "rapport-167-2024M12.docx")
    html = Path(goal_item.attachment_files[0]).read_text(encoding="utf-8")
    assert "Målopfølgning og nøgletal – Hvidovre Kommune – december 2024" in html
    assert 'class="smiley-counts"' in html and "syntetiske demodata" in html.lower()
