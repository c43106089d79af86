"""The committee cycle as a user runs it: real subprocesses on a real DuckDB file.

Hvidovre's minutes of 5 September 2022 are imported; the two requests of item 12 are open before the
next meeting (3 October 2022 in a yearly plan written for the test) and in its agenda, until an answer is
linked. The plan's key-figure item is built from Hvidovre's gross unemployment of June 2022 (item 9).
"""


from docx import Document

from tests.conftest import TEST_DATA, cli_json, run_cli
from tests.test_minutes import HVIDOVRE, SLAGELSE

PLAN = """committee: Social- og Arbejdsmarkedsudvalget
area: Hvidovre
meetings:
  - {date: 2022-10-03, time: "16:00", place: Rådhuset}
fixed_items:
  - report: monthly_keyfigures
    title: Orientering - Bruttoledigheden i Hvidovre
    at: alle
    period: month
    lag_months: 4
"""


def test_a_request_stays_open_until_answered_in_maaltal_and_in_the_next_agenda(tmp_path, seeds):
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "import", "observations", str(TEST_DATA / "hvidovre_bruttoledighed_2022.csv")
                   ).returncode == 0
    imported = run_cli("--store", store, "minutes", "import", str(seeds / HVIDOVRE))
    assert imported.returncode == 0, imported.stderr
    assert "som møde 1: 12 punkter, 12 beslutninger, 2 anmodninger." in " ".join(imported.stdout.split())
    assert "Fraværende: Maria Durhuus" in imported.stdout
    open_requests = cli_json("--store", store, "requests", "list")
    assert [(r["id"], r["asked_by"], r["form"]) for r in open_requests] == [
        (1, "Idris Yorulmaz (A)", "notat"), (2, "Marie-Louise Jørgensen (F)", "notat")]
    # The minutes of that meeting count the two requests raised at it, not the none open before it.
    minutes = run_cli("--store", store, "agenda", "1", "--minutes", "--out", str(tmp_path), "--format", "docx")
    assert minutes.returncode == 0, minutes.stderr
    assert "Referat for møde 1 (2 anmodninger stillet på mødet)" in " ".join(minutes.stdout.split())

    plan_file = tmp_path / "aarsplan.yaml"
    plan_file.write_text(PLAN, encoding="utf-8")
    created = run_cli("--store", store, "plan", str(plan_file), "--meeting", "2022-10-03", "--create",
                      "--out", str(tmp_path / "bilag"))
    assert created.returncode == 0, created.stderr
    assert "Møde 2" in created.stdout and "1 punkter oprettet" in created.stdout
    attachment = tmp_path / "bilag" / "2022-10-03" / "noegletal-167-2022M06.md"
    assert "| Bruttoledighed (pct.) | 2,6 (" in attachment.read_text(encoding="utf-8")  # 701 / 26.900 ledige

    agenda = run_cli("--store", store, "agenda", "2", "--out", str(tmp_path), "--format", "docx")
    assert agenda.returncode == 0, agenda.stderr
    assert "2 åbne anmodninger" in agenda.stdout
    doc = Document(str(tmp_path / "dagsorden-2022-10-03.docx"))
    assert [row.cells[3].text for row in doc.tables[0].rows[1:]] == ["Idris Yorulmaz (A)", "Marie-Louise Jørgensen (F)"]
    assert "Punkt 1: Orientering - Bruttoledigheden i Hvidovre – juni 2022 (O)" in [p.text for p in doc.paragraphs]

    answered = run_cli("--store", store, "requests", "answer", "1", "--item", "2:1")
    assert answered.returncode == 0, answered.stderr
    still_open = cli_json("--store", store, "requests", "list", "--before", "2022-10-03")
    assert [(r["id"], r["due_by"]) for r in still_open] == [(2, "2022-10-03")]  # due at the planned meeting
    run_cli("--store", store, "agenda", "2", "--out", str(tmp_path), "--format", "docx")
    doc = Document(str(tmp_path / "dagsorden-2022-10-03.docx"))
    assert [row.cells[0].text for row in doc.tables[0].rows[1:]] == ["2"]
    everything = cli_json("--store", store, "requests", "list", "--all")
    assert everything[0]["answer_ref"] == ("Social- og Arbejdsmarkedsudvalget 03-10-2022, punkt 1: "
                                           "Orientering - Bruttoledigheden i Hvidovre – juni 2022")


def test_minutes_show_and_a_refused_second_import(tmp_path, seeds):
    store = str(tmp_path / "s.duckdb")
    assert run_cli("--store", store, "minutes", "import", str(seeds / SLAGELSE)).returncode == 0
    again = run_cli("--store", store, "minutes", "import", str(seeds / SLAGELSE))
    assert again.returncode == 2 and "allerede indlæst" in again.stderr and "Traceback" not in again.stderr
    shown = cli_json("--store", store, "minutes", "show", "1")
    assert shown["id"] == 1 and len(shown["items"]) == 11
    assert shown["items"][6]["case_number"] == "330-2019-59178"
    assert len(cli_json("--store", store, "requests", "list")) == 3


def test_a_file_that_is_not_minutes_is_refused_and_the_store_unchanged(tmp_path):
    store = str(tmp_path / "s.duckdb")
    bad = tmp_path / "noter.txt"
    bad.write_text("REFERAT Udvalget d. 01-02-2024\n\nPunkt 1: A\n\nPunkt 1: B\n", encoding="utf-8")
    result = run_cli("--store", store, "minutes", "import", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"fil {bad}, række 5, kolonne 'Punkt': punkt 1 findes to gange" in " ".join(result.stderr.split())
    shown = run_cli("--store", store, "minutes", "show", "--format", "json")  # reading creates no store either
    assert shown.returncode == 2 and "findes ikke" in shown.stderr and not (tmp_path / "s.duckdb").exists()


def test_the_example_plan_and_its_errors(tmp_path):
    schedule = cli_json("plan", "examples/aarsplan.yaml")
    assert len(schedule) == 11 and schedule[2]["items"][1]["period_label"] == "2. halvår 2024"
    wrong = run_cli("plan", "examples/aarsplan.yaml", "--meeting", "2025-13-01")
    assert wrong.returncode == 2 and "ÅÅÅÅ-MM-DD" in wrong.stderr
