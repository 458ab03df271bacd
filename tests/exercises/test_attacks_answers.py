"""The answers are in the trainee's package (issue 21, item 4): ``Exercise.solution(part)`` answered any exercise,
the post-test's included; the pre/post test printed each case's seed; and "Open seed" in the practice app then gave
the same case with hints and unlimited checks before the first counted answer.

Each test is named after what the attack got; each failed on the code before its fix (27ffc00).
"""

import json
import os
import re
import subprocess
import sys

import ipywidgets as W

from exercises import assessment as forms
from exercises.app import PracticeApp
from exercises.assessment_app import AssessmentApp
from exercises.core import load_exercise
from exercises.progress import ProgressStore
from itbcore.errors import ITBError

EX = "test_bolus_volume"  # the first question of every form: one part, a quantity


def _shown(widget) -> str:
    """Every string a trainee's page can show of ``widget`` and what it holds: values, descriptions, options,
    placeholders, tooltips, tab titles."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        for attr in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, attr, None)
            if isinstance(v, str):
                out.append(v)
        for attr in ("titles", "_options_labels"):
            out += [str(t) for t in (getattr(w, attr, None) or ())]
        stack += [c for c in getattr(w, "children", ()) if isinstance(c, W.Widget)]
    return "\n".join(out)


# -- Exercise.solution() answers the post-test in a trainee's install ------------------------------------------
_TRAINEE_KERNEL = r"""
import json
import exercises
from exercises import load_exercise
from exercises.assessment import form_seed
from itbcore.errors import ITBError

ex = load_exercise("test_bolus_volume", seed=form_seed("t1", "post", "test_bolus_volume"))
out = {"file": exercises.__file__, "check": ex.check("1 mL").status}
for name, call in (("solution", ex.solution), ("answer_key", ex.answer_key)):
    try:
        out[name] = {"answer": str(call())}
    except Exception as exc:
        out[name] = {"refused": type(exc).__name__, "itb": isinstance(exc, ITBError), "message": str(exc)}
print(json.dumps(out))
"""


def test_solution_answers_the_post_test(trainee_install, tmp_path):
    # Before: in the wheel a class installs, t1's post-test case (seed 7504) gave ex.solution() -> "2.0 ml" and
    # ex.answer_key() -> "- `volume`: **2 mL** — … (lionova 4.2; …)".
    _wheel, site = trainee_install
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "NBGRADER_EXECUTION")}
    env.update(PYTHONPATH=str(site), ITB_PROGRESS_DB=str(tmp_path / "p.sqlite"))
    proc = subprocess.run(
        [sys.executable, "-c", _TRAINEE_KERNEL], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(site)), out["file"]  # the install, not the checkout
    assert out["check"] in ("correct", "wrong")  # the checker still works: that is what a trainee needs
    for name in ("solution", "answer_key"):
        got = out[name]
        assert "answer" not in got, f"ex.{name}() answered the post-test in a trainee's install: {got['answer']!r}"
        assert got["refused"] == "SolutionsWithheld" and got["itb"], got
        assert "educator" in got["message"] and "answer key" in got["message"], got["message"]
    leaked = [str(p) for p in site.rglob("*") if re.search(r"ANSWER_KEY|exercises/(solutions|source)", str(p))]
    assert not leaked, leaked


def test_solution_is_refused_where_no_answer_key_is_beside_the_package(monkeypatch, tmp_path):
    # the same rule in process: what decides is the answer key beside the package (a checkout, an educator's copy)
    from exercises import core

    ex = load_exercise(EX, seed=3)
    assert ex.check(ex.solution()).correct  # a checkout: the educator's helpers work
    monkeypatch.setattr(core, "SOLUTIONS", tmp_path / "not-installed")
    for call in (ex.solution, ex.answer_key):
        try:
            got = call()
        except ITBError as exc:
            assert type(exc).__name__ == "SolutionsWithheld" and "answer key" in str(exc)
        else:
            raise AssertionError(f"answered without an answer key beside the package: {got!r}")


# -- the pre/post test prints each case's seed -------------------------------------------------------------------
def test_the_test_prints_each_cases_seed(tmp_path):
    # Before: every question read "For training only — not for treating patients.  Exercise `withdrawal_call`,
    # seed 4752." (ana's post-test), the seed to type into the practice app.
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.trainee.value = "ana"
    for view in (app.pre, app.post):
        view.start_button.click()
    for view in (app.pre, app.post):
        for p in view.parts:
            p.input.value = next(iter(p.part.options)) if p.part.kind == "choice" else "1 mL"
            p.save_button.click()
        view.score_button.click()
    app.refresh_history()
    shown = _shown(app)
    found = re.search(r".{0,80}seed.{0,20}", shown, re.IGNORECASE | re.DOTALL)
    assert found is None, f"the test shows a case's seed: {found.group(0)!r}"
    assert not app.problems


# -- "Open seed" gives the test's case with hints and unlimited checks -------------------------------------------
def _open_post_test(path, name="ana"):
    test = AssessmentApp(path)
    test.trainee.value = name
    test.post.start_button.click()
    assert test.post.parts and not test.problems
    return test


def _attack_message(practice, seed):
    """What the practice app handed out when it opened the test's case."""
    view = practice.parts.children[0]
    view.hint_button.click()
    hint = view.feedback.value
    right = practice.exercise.solution()
    checks = []
    for answer in ("9 mL", f"{right.to('mL').magnitude:g} mL"):
        view.input.value = answer
        view.check_button.click()
        checks.append(re.sub(r"<[^>]+>", "", view.feedback.value)[:60])
    return f"practice opened the post-test's case ({EX}, seed {seed}): {hint!r}, then {checks}"


def test_open_seed_gives_the_test_case_with_hints(tmp_path):
    # Before: the practice app opened ana's post-test case (test_bolus_volume, seed 6804) with "Hint 1/3: Which
    # ampoule is used for screening? Only one strength is allowed for a test bolus." and checked "9 mL" ("✘ Not
    # yet"), then "1 mL" ("✔ Correct"), before ana had saved any answer to the post-test.
    path = tmp_path / "p.sqlite"
    _open_post_test(path)
    seed = forms.form_seed("ana", "post", EX)
    practice = PracticeApp(progress_path=path, seed=1)
    practice.trainee.value = "ana"
    practice.choice.value = EX  # opens a case of EX at once (not one of the open test: drawn again)
    before = (practice.exercise.id, practice.exercise.seed, practice.case.value, practice.parts.children)
    saved = len(ProgressStore(path).attempts())
    practice.seed_box.value = seed
    practice.same_button.click()
    if (practice.exercise.id, practice.exercise.seed) == (EX, seed):
        raise AssertionError(_attack_message(practice, seed))
    # refused in the status, in words; nothing else changed: the case on show, its fields, the store
    assert "post-test" in practice.status.value and "finish" in practice.status.value, practice.status.value
    assert "Traceback" not in practice.status.value and not practice.problems
    assert (practice.exercise.id, practice.exercise.seed, practice.case.value, practice.parts.children) == before
    assert len(ProgressStore(path).attempts()) == saved


def test_open_seed_under_another_typed_name_gives_the_test_case(tmp_path):
    # A server without sign-in: the test is taken as "ana", the practice app typed as "bob" (or no name).
    # Before: the case opened (seed 6804) with its hints, under "bob" and under no name.
    path = tmp_path / "p.sqlite"
    _open_post_test(path)
    seed = forms.form_seed("ana", "post", EX)
    for typed in ("bob", ""):
        practice = PracticeApp(progress_path=path, seed=1)
        practice.trainee.value = typed
        practice.choice.value = EX
        practice.seed_box.value = seed
        practice.same_button.click()
        if (practice.exercise.id, practice.exercise.seed) == (EX, seed):
            raise AssertionError(f"typed {typed!r}: " + _attack_message(practice, seed))
        assert "post-test" in practice.status.value and not practice.problems


def test_new_case_draws_the_open_tests_case(tmp_path):
    # "New case" draws a seed at random: it must never land on a case of the open test either (it draws again).
    # Before: a draw of 6804 opened ana's post-test case.
    path = tmp_path / "p.sqlite"
    _open_post_test(path)
    seed = forms.form_seed("ana", "post", EX)
    practice = PracticeApp(progress_path=path, seed=1)
    practice.trainee.value = "ana"
    practice.choice.value = EX
    draws = iter([seed, seed, 17])
    practice.rng.randrange = lambda _n: next(draws)
    practice.new_button.click()
    assert (practice.exercise.id, practice.exercise.seed) == (EX, 17), "New case opened the post-test's case"
    assert practice.status.value == "" and not practice.problems


def test_a_recorded_notebook_opens_the_test_case_while_the_test_is_open(tmp_path):
    # load_exercise(..., trainee=..., progress=...) is the practice route of a notebook that records.
    # Before: it returned the case ("Hint 1/3: Which ampoule is used for screening? …"), recorded as practice.
    path = tmp_path / "p.sqlite"
    _open_post_test(path)
    seed = forms.form_seed("ana", "post", EX)
    try:
        ex = load_exercise(EX, seed=seed, trainee="ana", progress=ProgressStore(path))
    except ITBError as exc:
        assert type(exc).__name__ == "CaseWithheld" and "post-test" in str(exc), exc
    else:
        raise AssertionError(f"load_exercise opened the post-test's case: {ex.hint()!r}")
    # another seed of the same exercise is practice as before
    assert load_exercise(EX, seed=(seed + 1) % 10_000, trainee="ana", progress=ProgressStore(path)).seed != seed


def test_answers_are_saved_after_the_score_was_shown(tmp_path):
    # Showing the score ends the test (its feedback is shown, its cases open to practice): an answer left out
    # before it cannot be saved afterwards, on this page or a reloaded one.  Before: a part left unanswered at
    # the score was still saved later, as its first answer — after practising its case.
    path = tmp_path / "p.sqlite"
    test = _open_post_test(path)
    first, rest = test.post.parts[0], test.post.parts[1:]
    for p in rest:
        p.input.value = next(iter(p.part.options)) if p.part.kind == "choice" else "1 mL"
        p.save_button.click()
    test.post.score_button.click()
    first.input.value = "1 mL"
    first.save_button.click()
    saved = [a for a in ProgressStore(path).attempts("ana") if a.exercise == forms.form_exercise("post", EX)]
    assert not saved, f"an answer saved after the score: {saved}"
    assert first.input.disabled and first.save_button.disabled
    again = AssessmentApp(path)
    again.trainee.value = "ana"
    again.post.start_button.click()
    assert all(p.input.disabled and p.save_button.disabled for p in again.post.parts)
    assert "right" in again.post.score.value  # the finished test shows its score again
    assert not again.problems and not test.problems


def test_after_the_test_is_finished_practice_opens_its_cases(tmp_path):
    # What stays as it was: a finished test's cases are practice again.  Before, the pre-test not yet taken
    # (test_bolus_volume, seed 9360) opened too; a trainee's own cases are closed until that test is finished.
    path = tmp_path / "p.sqlite"
    test = _open_post_test(path)
    test.post.score_button.click()
    seed = forms.form_seed("ana", "post", EX)
    practice = PracticeApp(progress_path=path, seed=1)
    practice.trainee.value = "ana"
    practice.open_case(EX, seed)
    assert (practice.exercise.id, practice.exercise.seed) == (EX, seed) and practice.status.value == ""
    # the pre-test, not taken yet: its cases stay closed to ana's practice
    pre = forms.form_seed("ana", "pre", EX)
    if pre != seed:
        practice.choice.value = EX
        practice.seed_box.value = pre
        practice.same_button.click()
        assert practice.exercise.seed == seed and "pre-test" in practice.status.value
