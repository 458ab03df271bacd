"""Pre-/post-test forms and scores, refill-mastery attempts, the assessment app, the class view's tables.

For training only, not for treating patients.
"""

from __future__ import annotations

import pytest

from exercises import assessment as forms
from exercises.assessment_app import AssessmentApp
from exercises.core import list_exercises
from exercises.progress import ProgressStore
from itbcore import assessment as core
from itbcore.errors import InputError


def test_the_test_exercises_exist_and_the_forms_differ_per_form_and_trainee():
    ids = {d.id for d in list_exercises()}
    assert set(forms.TEST_EXERCISES) <= ids
    for ex in forms.TEST_EXERCISES:
        assert forms.form_seed("Ana", "pre", ex) == forms.form_seed(" ana ", "pre", ex)  # the same trainee
    assert any(forms.form_seed("ana", "pre", ex) != forms.form_seed("ana", "post", ex) for ex in forms.TEST_EXERCISES)
    with pytest.raises(InputError):
        forms.form_seed("ana", "mid", "dilution")


def test_only_the_first_answer_of_each_part_counts(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    name = forms.form_exercise("pre", "dilution")
    store.add("ana", name, 1, "stock", "1 mL", False)
    store.add("ana", name, 1, "stock", "2 mL", True)  # a second try does not count
    store.add("ana", name, 1, "diluent", "9 mL", True)
    store.add("ana", forms.form_exercise("post", "dilution"), 2, "stock", "2 mL", True)
    scores = {s.form: s for s in forms.test_scores({"ana": store.attempts("ana")}, parts_per_form=10)}
    assert (scores["pre"].correct, scores["pre"].answered, scores["pre"].total) == (1, 2, 10)
    assert scores["post"].correct == 1 and scores["post"].percent == 10.0


def test_mastery_rows_count_attempts_until_passed(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    for ok in (False, False, True, False):
        store.add("ben", forms.MASTERY_EXERCISE, 0, "checklist", "x", ok)
    (row,) = forms.mastery_rows({"ben": store.attempts("ben"), "cy": []})
    assert (row.trainee, row.attempts, row.passed_at) == ("ben", 4, 3)


def _app(tmp_path, name="ana"):
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.trainee.value = name
    return app


def test_the_app_repeats_the_checklist_until_it_passes_and_saves_each_attempt(tmp_path):
    app = _app(tmp_path)
    m = app.mastery
    first_order = list(m.checks)
    for cb in m.checks.values():
        cb.value = True  # everything, unsafe actions too
    m.score_button.click()
    assert "Not yet" in m.result.value and "Unsafe actions chosen" in m.result.value
    assert list(m.checks) != first_order and not any(cb.value for cb in m.checks.values())  # dealt again
    for s in core.REFILL_STEPS:
        m.checks[s.code].value = True
    m.score_button.click()
    assert "Mastery standard met" in m.result.value and "Attempt 2" in m.result.value
    assert "passed at attempt 2" in app.history.value
    saved = [a for a in app.store.attempts("ana") if a.exercise == forms.MASTERY_EXERCISE]
    assert [a.correct for a in saved] == [False, True]


def test_the_pre_test_saves_the_first_answer_and_scores_at_the_end(tmp_path):
    app = _app(tmp_path)
    t = app.pre
    t.start_button.click()
    assert len(t.questions.children) == len(forms.TEST_EXERCISES) and t.parts
    first = t.parts[0]
    first.input.value = "abc"  # unreadable: refused with a message, nothing saved
    first.save_button.click()
    assert first.result is None and not first.input.disabled
    for p in t.parts:
        p.input.value = next(iter(p.part.options)) if p.part.kind == "choice" else "1 mL"
        p.save_button.click()
    answered = sum(p.result is not None for p in t.parts)
    assert answered >= 1 and all(p.input.disabled for p in t.parts if p.result is not None)
    t.score_button.click()
    assert f"of {len(t.parts)} right" in t.score.value and not app.problems
    assert "Pre-test:" in app.history.value or (app.refresh_history() or "Pre-test:" in app.history.value)


def test_the_test_needs_a_name_and_says_so(tmp_path):
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.pre.start_button.click()
    assert "Enter your name" in app.pre.status.value and not app.pre.parts


def test_the_class_view_shows_mastery_attempts_and_test_scores(tmp_path):
    from exercises.class_view_app import assessment_html

    store = ProgressStore(tmp_path / "p.sqlite")
    store.add("ana", forms.MASTERY_EXERCISE, 0, "checklist", "12/13; missed: x", False)
    store.add("ana", forms.MASTERY_EXERCISE, 1, "checklist", "13/13", True)
    store.add("ana", forms.form_exercise("pre", "dilution"), 1, "stock", "1 mL", True)
    out = assessment_html({"ana": store.attempts("ana")})
    assert "<td>ana</td><td>2</td><td>2</td>" in out and "1 / " in out and "—" in out


# --------------------------------------------------------------------------- issue 22: the assessment experience
def test_mastery_feedback_shows_the_steps_texts_not_internal_codes(tmp_path):
    # Before: "Not yet: …; unsafe action chosen: restart_despite_mismatch; critical step missed: check_prescription".
    app = _app(tmp_path)
    m = app.mastery
    for code, cb in m.checks.items():
        cb.value = code in {"restart_despite_mismatch"}
    m.score_button.click()
    page = m.result.value + app.history.value
    codes = [s.code for s in core.REFILL_STEPS + core.REFILL_UNSAFE]
    assert not [c for c in codes if c in page], page
    assert "Check the prescription against the pump" in m.result.value


def test_an_attempt_scored_before_a_name_is_entered_does_not_count(tmp_path):
    # Before: scored as "Attempt 1", not saved; with the name the next one was "Attempt 2".
    app = AssessmentApp(tmp_path / "p.sqlite")
    m = app.mastery
    for cb in m.checks.values():
        cb.value = True
    m.score_button.click()
    assert "Enter your name" in m.status.value and m.attempt == 0 and m.result.value == ""
    app.trainee.value = "ana"
    m.score_button.click()
    assert m.attempt == 1 and "Attempt 1" in m.result.value
    assert [a.seed for a in app.store.attempts("ana")] == [1]


def test_the_checklist_does_not_say_in_order_as_order_is_not_scored(tmp_path):
    # itbcore.assessment.score_refill scores the set of steps chosen (a checklist of tick boxes has no order),
    # so the app must not ask for "a refill in order".
    app = _app(tmp_path)
    assert "in order" not in app.mastery.children[0].value
    steps = [s.code for s in core.REFILL_STEPS]
    assert core.score_refill(steps) == core.score_refill(list(reversed(steps)))
