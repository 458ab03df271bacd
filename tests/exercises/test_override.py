"""Answers judged by the drug library: wrong past the hard limit, held past the soft limit until confirmed with a
reason (practice and assessment apps), the reason saved with the attempt; the store's migration that keeps it.

For training only, not for treating patients.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing as mp
import sqlite3

import pytest

from exercises import assessment as forms
from exercises.app import PracticeApp
from exercises.assessment_app import AssessmentApp
from exercises.checking import CONFIRMED, HARD_LIMIT_SLIP, QuantityPart
from exercises.classview import class_rows, override_reasons, rows_csv
from exercises.core import list_exercises, load_exercise
from exercises.progress import MARKS, SCHEMA_VERSION, ProgressStore, read_attempts
from itbcore import library
from itbcore.errors import InputError, UnitError
from itbcore.units import Q_, fmt

# initial_daily_dose, seed 0: 50 µg/day expected.  The daily-dose limits are the library's (soft 12–2003 µg/day
# from lionova 4.2 / lioresal supportive therapy, hard 3000 µg/day local protocol); answers are formatted from it.
_DAILY = library.limit("daily_dose")
_PAST_SOFT = f"{_DAILY.soft.max + 497:g} ug/day"  # 2500 µg/day: above the soft range, within the hard range
_PAST_HARD = f"{_DAILY.hard.max * 10:g} ug/day"  # 30000 µg/day: matches no slip of the case
_REASON = library.OVERRIDE_REASONS["prescribed"]


def _views(app):
    return {v.part.id: v for v in app.parts.children}


# ------------------------------------------------------------------------------------------------ the part
def test_the_parts_that_are_values_of_a_library_limit_name_it():
    named = {
        (d.id, p.id): p.limit
        for d in list_exercises()
        for p in load_exercise(d.id, seed=0).parts
        if getattr(p, "limit", None)
    }
    assert named == {
        ("flex_dosing", "night_rate"): "infusion_rate",
        ("flex_dosing", "daily_total"): "daily_dose",
        ("initial_daily_dose", "daily_dose"): "daily_dose",
        ("pocket_fill_residual", "expected_residual"): "found_volume",
        ("refill_dates", "days_to_alarm"): "time_since_fill",
        ("screening_next_step", "next_dose"): "test_dose",
        ("titration_increase", "max_daily_dose"): "daily_dose",
        ("titration_violation", "max_allowed"): "daily_dose",
    }


@pytest.mark.parametrize("seed", range(20))
def test_no_right_answer_is_past_its_limits(seed):
    for d in list_exercises():
        ex = load_exercise(d.id, seed=seed)
        for p in ex.parts:
            if getattr(p, "limit", None):
                assert ex.soft_limit(p.expected, p.id) == "", (d.id, seed, p.id)
                assert ex.check(p.expected, part=p.id).correct, (d.id, seed, p.id)


def test_a_limit_must_exist_and_be_of_the_answers_kind():
    with pytest.raises(InputError, match="no limit"):
        QuantityPart("x", "?", "1 mL", unit="mL", limit="daly_dose")
    with pytest.raises(UnitError):
        QuantityPart("x", "?", "1 mL", unit="mL", limit="daily_dose")


def test_past_the_hard_limit_is_wrong_with_the_librarys_message():
    ex = load_exercise("initial_daily_dose", seed=0)
    r = ex.check(_PAST_HARD)
    assert r.status == "wrong" and r.slip == HARD_LIMIT_SLIP
    assert (
        r.message.startswith(
            "The daily dose (continuous infusion) 30\u202f000 µg/day is above the hard limit of "
            f"{fmt(Q_(_DAILY.hard.max, 'ug/day'))}"
        )
        and _DAILY.hard.source in r.message
    )
    thousandfold = ex.check(f"{ex.solution().to('ug/day').magnitude:g} mg/day")  # the mg/µg slip, past the hard limit
    assert thousandfold.slip == "unit_x1000" and "hard limit" in thousandfold.message
    assert "1000 times too large" in thousandfold.message
    assert ex.check("-5 ug/day").status == "wrong"  # a negative dose is past the hard range too


def test_zero_means_none_and_is_left_to_the_rule():
    # screening_next_step asks "0 µg if no further test bolus is given"; the test-dose limit excludes zero
    ex = load_exercise("screening_next_step", seed=0)
    assert ex.solution("next_dose").magnitude == 0
    assert ex.check("0 ug", part="next_dose").correct
    over = ex.check(f"{library.limit('test_dose').hard.max + 25:g} ug", part="next_dose")
    assert over.status == "wrong" and "maximum test dose" in over.message  # lionova 4.2: at most 100 µg


def test_in_a_notebook_a_soft_limit_answer_is_checked_with_the_library_note():
    ex = load_exercise("initial_daily_dose", seed=0)
    assert "above the soft limit" in ex.soft_limit(_PAST_SOFT)
    plain = ex.check(_PAST_SOFT)
    assert plain.status == "wrong" and plain.override_reason is None and "Soft limit: The daily dose" in plain.text()
    confirmed = ex.check(_PAST_SOFT, override_reason=_REASON)
    assert confirmed.override_reason == _REASON and f"{CONFIRMED}: {_REASON}" in confirmed.text()
    assert f"{CONFIRMED}: {_REASON}" in confirmed.html()
    inside = ex.check(ex.solution(), override_reason=_REASON)  # nothing to confirm: no reason kept
    assert inside.correct and inside.override_reason is None and CONFIRMED not in inside.text()


# ------------------------------------------------------------------------------------------ practice app
@pytest.fixture
def practice(tmp_path):
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=3)
    app.trainee.value = "ana"
    app.open_case("initial_daily_dose", 0)
    return app


def test_practice_holds_a_soft_limit_answer_until_it_is_confirmed_with_a_reason(practice, tmp_path):
    view = _views(practice)["daily_dose"]
    view.input.value = _PAST_SOFT  # what the browser sends on Enter
    q = view.override
    bound = fmt(Q_(_DAILY.soft.max, "ug/day"))  # 2003 µg/day, lionova 4.2
    assert q.waiting and f"above the soft limit of {bound}" in q.message.value and "Not checked yet" in q.message.value
    assert view.feedback.value == "" and practice.store.attempts("ana") == []  # not checked, nothing saved
    view.check_button.click()  # the same answer again: still waiting, still nothing saved
    assert q.waiting and practice.store.attempts("ana") == []

    q.confirm_button.click()  # no reason chosen
    assert q.waiting and "Choose why the answer past the soft limit is meant" in q.error.value
    q.reason.value = "other"  # "Other" without words
    q.confirm_button.click()
    assert q.waiting and "needs a few words" in q.error.value and practice.store.attempts("ana") == []
    assert [code for _text, code in q.reason.options][1:] == list(library.OVERRIDE_REASONS)

    q.reason_text.value = "  long-standing dose  after a pump change "
    q.confirm_button.click()
    assert not q.waiting and "Not yet" in view.feedback.value
    assert f"{CONFIRMED}: Other: long-standing dose after a pump change" in view.feedback.value
    (saved,) = ProgressStore(tmp_path / "p.sqlite").attempts("ana")  # read back from a new store
    assert (saved.answer, saved.correct, saved.override_reason) == (
        _PAST_SOFT,
        False,
        "Other: long-standing dose after a pump change",
    )
    assert "Traceback" not in view.feedback.value + q.error.value and not practice.problems


def test_practice_a_changed_answer_drops_the_question_and_is_checked_as_usual(practice):
    view = _views(practice)["daily_dose"]
    view.input.value = _PAST_SOFT
    assert view.override.waiting
    view.input.value = _PAST_HARD  # past the hard limit: checked at once, wrong, with the library's message
    assert not view.override.waiting and "above the hard limit" in view.feedback.value
    view.input.value = str(view.part.expected)
    assert "Correct" in view.feedback.value and CONFIRMED not in view.feedback.value
    assert [(a.correct, a.override_reason) for a in practice.store.attempts("ana")] == [(False, None), (True, None)]


def test_practice_accepts_a_decimal_comma_with_a_leading_zero(tmp_path):
    # 0,075 mg is 75 µg (a decimal comma, as Norwegian records write it; itbcore.units reads it)
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=3)
    app.open_case("screening_next_step", 3)
    view = _views(app)["next_dose"]
    assert view.part.expected.to("ug").magnitude == pytest.approx(75)
    view.input.value = "0,075 mg"
    assert "Correct" in view.feedback.value, view.feedback.value
    assert not view.override.waiting


# ---------------------------------------------------------------------------------------- assessment app
def _test_part(app, exercise="initial_daily_dose"):
    app.pre.start_button.click()
    return next(p for p in app.pre.parts if p.ex.id == exercise)


def test_assessment_holds_the_first_answer_past_a_soft_limit_and_saves_it_with_its_reason(tmp_path):
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.trainee.value = "ana"
    part = _test_part(app)
    part.input.value = _PAST_SOFT
    part.save_button.click()
    assert part.held == _PAST_SOFT and part.result is None and part.override.waiting
    assert part.input.disabled and part.save_button.disabled  # the first answer: it cannot be changed now
    assert "held past a soft limit" in app.pre.count.value
    saved = [a for a in app.store.attempts("ana") if a.kind not in MARKS]  # beside the test's start mark
    (held,) = saved
    assert (held.kind, held.answer, held.override_reason) == ("held", _PAST_SOFT, None)

    part.override.confirm_button.click()  # no reason: refused, nothing more saved
    assert "Choose why" in part.override.error.value and app.store.attempts("ana", kinds=("check", "held")) == saved
    part.override.reason.value = "prescribed"
    part.override.confirm_button.click()
    assert part.held is None and part.result is not None and not part.override.waiting
    assert part.result.override_reason == _REASON and "with the reason" in part.saved.value
    checks = [a for a in ProgressStore(tmp_path / "p.sqlite").attempts("ana") if a.kind == "check"]
    assert [(a.answer, a.override_reason) for a in checks] == [(_PAST_SOFT, _REASON)]
    app.pre.score_button.click()
    assert f"{CONFIRMED}: {_REASON}" in part.saved.value and not app.problems


def test_assessment_a_held_answer_cannot_be_swapped_by_reloading_the_page(tmp_path):
    first = AssessmentApp(tmp_path / "p.sqlite")
    first.trainee.value = "ana"
    part = _test_part(first)
    part.input.value = _PAST_SOFT
    part.save_button.click()  # warned, then the page is reloaded instead of confirming

    again = AssessmentApp(tmp_path / "p.sqlite")
    again.trainee.value = "ana"
    part = _test_part(again)
    assert part.held == _PAST_SOFT and part.input.value == _PAST_SOFT and part.input.disabled
    assert part.override.waiting and "above the soft limit" in part.override.message.value
    score = {s.form: s for s in forms.test_scores({"ana": again.store.attempts("ana")}, 16)}["pre"]
    assert (score.correct, score.answered) == (0, 1)  # held, unconfirmed: answered, not right

    # a different answer saved for that part later does not count: the held one is the first answer
    right = str(part.part.expected)
    again.store.add("ana", forms.form_exercise("pre", part.ex.id), part.ex.seed, part.part.id, right, True)
    score = {s.form: s for s in forms.test_scores({"ana": again.store.attempts("ana")}, 16)}["pre"]
    assert score.correct == 0
    part.override.reason.value = "patient_plan"
    part.override.confirm_button.click()
    first_answer = forms.first_attempts(again.store.attempts("ana"), "pre")[(f"pre-test:{part.ex.id}", part.part.id)]
    assert (first_answer.answer, first_answer.override_reason) == (_PAST_SOFT, library.OVERRIDE_REASONS["patient_plan"])


def test_assessment_a_confirmed_right_answer_scores(tmp_path, monkeypatch):
    # a narrower local soft range makes the right answer one to confirm: confirmed, it counts as right
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.trainee.value = "ana"
    part = _test_part(app)
    monkeypatch.setattr(QuantityPart, "soft_warning", lambda self, answer, label="lionova": "past a soft limit")
    part.input.value = str(part.part.expected)
    part.save_button.click()
    assert part.held is not None and part.result is None
    part.override.reason.value = "teaching_error"
    part.override.confirm_button.click()
    assert part.result.correct
    score = {s.form: s for s in forms.test_scores({"ana": app.store.attempts("ana")}, 16)}["pre"]
    assert (score.correct, score.answered) == (1, 1)


def test_assessment_a_reloaded_test_shows_the_answers_saved_earlier(tmp_path):
    app = AssessmentApp(tmp_path / "p.sqlite")
    app.trainee.value = "ana"
    part = _test_part(app)
    part.input.value = str(part.part.expected)
    part.save_button.click()
    again = AssessmentApp(tmp_path / "p.sqlite")
    again.trainee.value = "ana"
    part = _test_part(again)
    assert part.result is not None and part.result.correct and part.input.disabled
    assert "saved earlier" in part.saved.value and "1 of" in again.pre.count.value


# ---------------------------------------------------------------------------------------------- class view
def test_the_class_rows_count_confirmed_overrides_and_the_reasons(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.add("ana", "initial_daily_dose", 0, "daily_dose", _PAST_SOFT, False, override_reason=_REASON)
    store.add("ana", "initial_daily_dose", 0, "daily_dose", "50 ug/day", True)
    store.add("ana", "pre-test:initial_daily_dose", 1, "daily_dose", _PAST_SOFT, False, kind="held")
    attempts = {"ana": store.attempts("ana")}
    by = {r.exercise: r for r in class_rows(attempts)}
    assert by["initial_daily_dose"].overrides == 1 and by["initial_daily_dose"].attempts == 2
    assert by["pre-test:initial_daily_dose"].attempts == 0  # a held answer is not a checked attempt
    assert override_reasons(attempts) == [(_REASON, 1)]
    assert rows_csv(class_rows(attempts)).splitlines()[0].endswith(",overrides")


# -------------------------------------------------------------------------------------- store: migration
_V1_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    trainee TEXT NOT NULL,
    exercise TEXT NOT NULL,
    seed INTEGER NOT NULL,
    part TEXT NOT NULL,
    answer TEXT NOT NULL,
    correct INTEGER NOT NULL,
    slip TEXT,
    kind TEXT NOT NULL DEFAULT 'check',
    created_at TEXT NOT NULL
);
CREATE INDEX attempts_trainee ON attempts (trainee, exercise);
"""
_V1_COLUMNS = ("uid", "trainee", "exercise", "seed", "part", "answer", "correct", "slip", "kind", "created_at")


def _v1_row(i):
    return (
        f"{i:032x}",
        "ana",
        "refill_dates",
        i,
        "days_to_alarm",
        f"{i} day",
        i % 2,
        None,
        "check",
        f"2026-01-01T10:00:{i:02d}+00:00",
    )


def _old_database(path, rows=3):
    """A progress file as the store wrote it before schema versions (user_version 0, no override_reason)."""
    conn = sqlite3.connect(path)
    conn.executescript(_V1_SCHEMA)
    conn.executemany(
        f"INSERT INTO attempts ({', '.join(_V1_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [_v1_row(i) for i in range(rows)],
    )
    conn.commit()
    conn.close()


def _old_journal_line(path, key, row):
    """A journal line as the store wrote it before version 2: signed over the version-1 columns."""
    rec = dict(zip(_V1_COLUMNS, row, strict=True))
    rec["correct"] = bool(rec["correct"])
    payload = json.dumps(rec, ensure_ascii=False, sort_keys=True)
    rec["mac"] = hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
    with open(path.with_name(path.name + ".journal"), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def test_an_old_database_is_migrated_and_keeps_every_record(tmp_path):
    path = tmp_path / "p.sqlite"
    _old_database(path)
    key = b"k" * 32
    path.with_name("p.sqlite.key").write_bytes(key)
    _old_journal_line(path, key, _v1_row(0))  # already in the file
    _old_journal_line(path, key, _v1_row(7))  # a crash between the two writes: only in the journal

    store = ProgressStore(path)
    assert store.skipped == 0  # the old lines verify against the columns they were signed with
    rows = store.attempts("ana")
    assert [a.seed for a in rows] == [0, 1, 2, 7] and all(a.override_reason is None for a in rows)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert "override_reason" in {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
    conn.close()

    store.add("ana", "initial_daily_dose", 0, "daily_dose", _PAST_SOFT, False, override_reason=_REASON)
    again = ProgressStore(path)  # opened once more: nothing migrated twice, the reason read back
    assert again.attempts("ana")[-1].override_reason == _REASON and len(again.attempts("ana")) == 5
    path.unlink()  # a lost file: rebuilt from the journal, old lines and new together
    assert [a.override_reason for a in ProgressStore(path).attempts("ana")] == [None] * 4 + [_REASON]


def test_the_class_view_reads_a_file_not_yet_migrated(tmp_path):
    path = tmp_path / "p.sqlite"
    _old_database(path)
    rows = read_attempts(path)  # read-only: it never migrates another trainee's file
    assert [a.seed for a in rows] == [0, 1, 2] and all(a.override_reason is None for a in rows)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_an_old_backup_still_restores_a_lost_file(tmp_path):
    path = tmp_path / "p.sqlite"
    _old_database(path.with_name("p.sqlite.bak"), rows=5)  # the backup taken before the upgrade
    path.write_bytes(b"")  # the file truncated to nothing
    assert [a.seed for a in ProgressStore(path).attempts("ana")] == [0, 1, 2, 3, 4]


def _open(path):
    ProgressStore(path).add("ben", "dilution", 1, "stock_volume", "4 mL", True, override_reason="Other: x")


def test_stores_opening_an_old_file_at_once_migrate_it_once(tmp_path):
    path = str(tmp_path / "p.sqlite")
    _old_database(path)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(path,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = ProgressStore(path)
    assert len(store.attempts("ana")) == 3 and [a.override_reason for a in store.attempts("ben")] == ["Other: x"] * 4


def test_a_journal_line_with_a_reason_of_the_wrong_type_is_skipped(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path)
    store.add("ana", "dilution", 1, "stock_volume", "4 mL", True, override_reason=_REASON)
    journal = path.with_name("p.sqlite.journal")
    rec = json.loads(journal.read_text(encoding="utf-8"))
    assert rec["override_reason"] == _REASON
    bad = dict(rec, uid="a" * 32, override_reason=["not", "text"])
    bad.pop("mac")
    payload = json.dumps({k: bad[k] for k in (*_V1_COLUMNS, "override_reason")}, ensure_ascii=False, sort_keys=True)
    bad["mac"] = hmac.new(store._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(bad) + "\n")
    again = ProgressStore(path)
    assert again.skipped == 1 and len(again.attempts("ana")) == 1
    with pytest.raises(InputError):
        store.add("ana", "dilution", 1, "stock_volume", "4 mL", True, kind="guess")
