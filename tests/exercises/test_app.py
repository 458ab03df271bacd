"""The practice app: serves cases, checks, hints, records progress, and never shows a traceback."""

import nbformat
import pytest

from exercises.app import PracticeApp
from exercises.core import load_exercise
from exercises.generate import ROOT


@pytest.fixture
def app(tmp_path):
    return PracticeApp(progress_path=tmp_path / "p.sqlite", seed=3)


def test_notice_and_case(app):
    assert "not for treating patients" in app.children[0].value
    assert app.exercise is not None and app.parts.children


def test_check_hint_and_progress(app):
    app.trainee.value = "ana"
    app.open_case("test_bolus_volume", 8)
    view = app.parts.children[0]
    right = load_exercise("test_bolus_volume", seed=8).solution()
    view.input.value = f"{right.to('uL').magnitude:g} uL"
    view.check_button.click()
    assert "Correct" in view.feedback.value and "lionova 4.2" in view.feedback.value
    view.input.value = "0.5"
    view.check_button.click()
    assert "bare number" in view.feedback.value and "Traceback" not in view.feedback.value
    view.hint_button.click()
    assert "Hint 1/" in view.feedback.value
    assert "test_bolus_volume" in app.progress.value
    (row,) = app.store.summary("ana")
    assert (row.attempts, row.correct, row.hints) == (1, 1, 1)


def test_choice_part_and_bad_inputs(app):
    app.open_case("flex_dosing", 2)
    views = {v.part.id: v for v in app.parts.children}
    views["night_rate"].input.value = "lots"
    views["night_rate"].check_button.click()
    assert "Cannot check" in views["night_rate"].feedback.value
    views["start_time"].check_button.click()  # nothing chosen
    assert "No answer yet" in views["start_time"].feedback.value
    views["start_time"].input.value = app.exercise.solution("start_time")
    views["start_time"].check_button.click()
    assert "Correct" in views["start_time"].feedback.value


def test_bad_seed_is_inline(app):
    app.choice.value = "refill_dates"  # opens a case of it; then a seed of it is asked for
    app.seed_box.value = -4
    app.same_button.click()
    assert "seed" in app.status.value and "Traceback" not in app.status.value


def test_unwritable_store_still_serves(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = PracticeApp(progress_path=blocker / "p.sqlite")
    assert "cannot be saved" in app.store_status.value and app.parts.children


def test_practice_notebook_builds_the_app():
    nb = nbformat.read(ROOT / "practice.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].source.rstrip().endswith("app")


def test_feedback_links_its_source_to_the_product_information_app():
    from exercises import load_exercise
    from exercises.app import feedback_html

    ex = load_exercise("which_syndrome", seed=2)
    result = ex.check(ex.solution("which"), part="which")
    markup = feedback_html(result)
    assert 'class="itb-section-link"' in markup and "product_information.ipynb?section=" in markup


def test_on_a_class_hub_the_practice_app_records_for_the_signed_in_user(tmp_path, monkeypatch):
    from exercises.app import PracticeApp
    from exercises.progress import ProgressStore

    monkeypatch.setenv("JUPYTERHUB_USER", "t1")
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=1)
    assert app.trainee.value == "t1" and app.trainee.disabled
    view = app.parts.children[0]
    view.input.value = view.part.expected if view.part.kind == "choice" else str(view.part.expected)
    view._check()
    assert [a.trainee for a in ProgressStore(tmp_path / "p.sqlite").attempts()] == ["t1"]


def test_typed_names_are_marked_not_signed_in(monkeypatch):
    from exercises import load_exercise

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    ex = load_exercise("dilution", seed=1, trainee="ana")
    assert ex.trainee == "ana" and not ex.signed_in and "not signed in" in ex.markdown()
    monkeypatch.setenv("JUPYTERHUB_USER", "t2")
    ex = load_exercise("dilution", seed=1, trainee="ana", progress=False)
    assert ex.trainee == "t2" and ex.signed_in and "t2 (signed in)" in ex.markdown()


def test_while_nbgrader_grades_a_wrong_answer_fails_its_check_cell_and_nothing_is_recorded(monkeypatch):
    import pytest

    from exercises import load_exercise
    from exercises.core import NotYetCorrect

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("JUPYTERHUB_USER", "educator")
    ex = load_exercise("which_syndrome", seed=2, progress=True)
    assert ex.progress is None
    assert ex.check(ex.solution("which"), part="which").correct
    wrong = next(k for k in ex.part("which").options if k != ex.solution("which"))
    with pytest.raises(NotYetCorrect) as err:
        ex.check(wrong, part="which")
    assert err.value._render_traceback_()[0].startswith("✘ Not yet")


def test_enter_in_an_answer_field_checks_it_once(tmp_path, monkeypatch):
    # regression: Enter in a practice answer field did nothing; now it checks, and the Check button
    # pressed after it does not record the same answer twice
    from exercises.app import PracticeApp
    from exercises.progress import ProgressStore

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=1)
    app.trainee.value = "ana"
    app.open_case("test_bolus_volume", 2)
    view = app.parts.children[0]
    assert view.input.continuous_update is False
    view.input.value = str(view.part.expected)  # what the browser sends on Enter
    assert "Correct" in view.feedback.value
    view.check_button.click()
    assert len(ProgressStore(tmp_path / "p.sqlite").attempts("ana")) == 1


# --------------------------------------------------------------------------- issue 22: the practice experience
def test_choosing_an_exercise_in_the_drop_down_loads_it(app):
    # Before: the drop-down changed nothing until "New case" was pressed.
    other = next(v for _t, v in app.choice.options if v not in ("(any exercise)", app.exercise.id))
    app.choice.value = other
    assert app.exercise.id == other and other in app.seed_box.description + app.case.value + app.exercise.id
    assert app.status.value == "" and not app.problems


def test_a_radio_question_does_not_ask_for_a_letter(app):
    # Before: "Answer as the letter of one option ('a', 'b', 'c', 'd')." above radio buttons.
    app.open_case("flex_dosing", 2)
    view = {v.part.id: v for v in app.parts.children}["start_time"]
    prompt = view.children[0].value
    assert "letter" not in prompt and "Choose one option" in prompt
    view.check_button.click()  # nothing chosen
    assert "letter" not in view.feedback.value and "replace" not in view.feedback.value


def test_no_notebook_wording_reaches_the_practice_page(app):
    # Before: Check on an empty answer said "replace ... with your answer, with its unit, …".
    app.open_case("test_bolus_volume", 8)
    view = app.parts.children[0]
    view.check_button.click()
    assert "No answer yet" in view.feedback.value and "replace" not in view.feedback.value


def test_no_unformatted_numbers_reach_the_practice_page(app):
    # Before: "Correct: 4.28571 weeks (= 30 days)" and "1e3 mL" echoed as typed; a margin of one day read
    # "1 days" in the hint (the "day" → "days" replace).
    app.open_case("refill_dates", 3)
    view = {v.part.id: v for v in app.parts.children}["days_to_alarm"]
    days = app.exercise.solution("days_to_alarm")
    view.input.value = f"{days.to('week').magnitude} weeks"
    view.check_button.click()
    assert "Correct" in view.feedback.value and "weeks" not in view.feedback.value, view.feedback.value
    from exercises.catalogue import refill_dates
    from itbcore.units import Q_, fmt

    assert fmt(Q_(refill_dates._MARGIN)) == refill_dates._MARGIN_TEXT and fmt(Q_("1 day")) == "1 day"


def test_an_unexpected_failure_shows_no_exception_text(app, monkeypatch):
    # Before: "Could not check this: <the exception's own text>".
    app.open_case("test_bolus_volume", 8)
    view = app.parts.children[0]

    def boom(*_a, **_k):
        raise KeyError("/srv/itb/secret.py")

    monkeypatch.setattr(view.ex, "soft_limit", boom)
    view.input.value = "1 mL"
    assert "secret" not in view.status.value + view.feedback.value and "KeyError" not in view.status.value
    assert "server log" in view.status.value and app.problems


def test_a_link_with_an_exercise_opens_a_case_of_it(app):
    # The product-information app links a section's exercises to ?exercise=<id>; before, the practice app
    # ignored the query and the links opened the trainee notebooks read-only.
    other = next(v for _t, v in app.choice.options if v not in ("(any exercise)", app.exercise.id))
    assert app.open_requested(f"exercise={other}&presenter=1")
    assert app.exercise.id == other and app.choice.value == other
    assert app.parts.children and app.status.message == "" and not app.problems


@pytest.mark.parametrize(
    "query",
    [
        "exercise=no_such_exercise",
        "exercise=%2e%2e%2fsolutions%2fdilution",
        "exercise=<script>alert(1)</script>",
        "exercise=" + "x" * 3000,
        "exercise=dilution%00",
    ],
)
def test_an_unknown_or_hostile_exercise_in_the_link_is_named_briefly_and_changes_nothing(app, query):
    before = (app.exercise.id, app.exercise.seed, app.choice.value)
    assert app.open_requested(query) is False
    assert (app.exercise.id, app.exercise.seed, app.choice.value) == before
    assert app.status.kind == "warning" and app.status.message.startswith("No exercise ")
    assert len(app.status.message) < 120 and "<script>" not in app.status.value
    assert "Traceback" not in app.status.value and not app.problems


def test_without_an_exercise_in_the_query_nothing_changes(app):
    before = (app.exercise.id, app.exercise.seed)
    assert app.open_requested("") is False and app.open_requested("exercise=") is False
    assert (app.exercise.id, app.exercise.seed) == before and app.status.message == ""


def test_the_practice_notebook_opens_the_exercise_its_link_names():
    nb = nbformat.read(ROOT / "practice.ipynb", as_version=4)
    (code,) = [c for c in nb.cells if c.cell_type == "code"]
    assert "app.open_requested()" in code.source
