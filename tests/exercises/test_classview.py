"""The class view's numbers and its refusals (the hub test drives it for real: tests/hub).

For training only, not for treating patients.
"""

from __future__ import annotations

import pytest

from exercises.classview import HubRefused, class_rows, common_slips, hub_class, rows_csv
from exercises.progress import Attempt, ProgressStore, ProgressStoreError, read_attempts


def _a(trainee, exercise, correct, slip=None, kind="check", at="2026-12-02T10:00:00"):
    return Attempt("u", trainee, exercise, 1, "p", "x", correct, slip, kind, at)


def test_rows_count_attempts_correct_hints_slips_and_carry_the_score():
    attempts = {
        "t1": [
            _a("t1", "dilution", False, "glucose"),
            _a("t1", "dilution", True),
            _a("t1", "dilution", False, kind="hint", at="2026-12-02T10:05:00"),
        ],
        "t2": [_a("t2", "dilution", False, "glucose"), _a("t2", "refill_dates", False, "days_to_empty")],
    }
    rows = class_rows(
        attempts,
        {("t1", "dilution"): (3.0, 3.0, "2026-12-02 11:00:00"), ("t3", "dilution"): (0.0, 3.0, "2026-12-02 11:00:00")},
    )
    by = {(r.trainee, r.exercise): r for r in rows}
    assert (by["t1", "dilution"].attempts, by["t1", "dilution"].correct, by["t1", "dilution"].hints) == (2, 1, 1)
    assert by["t1", "dilution"].score == 3.0 and by["t1", "dilution"].last_activity == "2026-12-02T10:05:00"
    assert by["t3", "dilution"].attempts == 0  # submitted without practising: still a row
    assert common_slips(attempts)[0] == ("dilution", "glucose", 2)
    csv = rows_csv(rows).splitlines()
    assert csv[0].startswith("trainee,exercise,attempts,correct,hints") and len(csv) == 1 + len(rows)


def test_off_a_hub_there_is_no_class_to_list():
    with pytest.raises(HubRefused, match="not part of a JupyterHub class"):
        hub_class(env={})


def test_another_trainees_records_that_cannot_be_read_are_named_not_crashed(tmp_path):
    store = ProgressStore(tmp_path / "t1" / "progress.sqlite")
    store.add("t1", "dilution", 1, "diluent", "glucose", False, "glucose")
    assert len(read_attempts(store.path)) == 1
    store.path.chmod(0o000)
    try:
        import os

        if os.geteuid() != 0:  # root reads anything; the hub test checks this as a real other user
            with pytest.raises(ProgressStoreError, match="cannot be read by this user"):
                read_attempts(store.path)
    finally:
        store.path.chmod(0o600)
    with pytest.raises(FileNotFoundError):
        read_attempts(tmp_path / "nobody" / "progress.sqlite")


def test_the_class_view_off_a_hub_says_it_is_not_available(monkeypatch):
    from exercises.class_view_app import build_app

    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    app = build_app()
    assert "Not available" in app.table.value and app.rows == []


def test_a_trainee_file_that_fails_shows_no_exception_text_in_the_class_view(monkeypatch, tmp_path):
    # Before: "t1: PermissionError: [Errno 13] Permission denied: '/home/t1/itb/progress.sqlite'" and
    # "t2: KeyError: …" in the table: an exception's class and a path on the page.
    import exercises.class_view_app as cv

    monkeypatch.setattr(cv, "hub_class", lambda: [("t1", ""), ("t2", ""), ("t3", "")])
    monkeypatch.setattr(cv, "gradebook_scores", lambda _root: {})

    def fails(name, *_a, **_k):
        if name == "t3":
            raise ProgressStoreError("/home/t3/itb/progress.sqlite is not shown: it cannot be read by this user.")
        if name == "t1":
            raise PermissionError(13, "Permission denied", "/home/t1/itb/progress.sqlite")
        raise KeyError("secret")

    monkeypatch.setattr(cv, "read_trainee", fails)
    app = cv.build_app(course_root=tmp_path)
    page = app.table.value
    assert "t1" in page and "t2" in page and "could not be read" in page, page
    assert "t3: it cannot be read by this user." in page
    assert "/home/" not in page and "Error" not in page and "secret" not in page, page
