"""Progress store: survives concurrent writers, a killed writer and a corrupt or truncated file."""

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time

from exercises import load_exercise
from exercises.progress import ProgressStore, default_progress_path


def _writer(path, name, n):
    store = ProgressStore(path)
    for i in range(n):
        store.add(name, "test_bolus_volume", i, "volume", f"{i} mL", i % 2 == 0)


def test_path_from_argument_env_and_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ITB_PROGRESS_DB", str(tmp_path / "env.sqlite"))
    assert default_progress_path() == tmp_path / "env.sqlite"
    assert ProgressStore().path == tmp_path / "env.sqlite"
    assert ProgressStore(tmp_path / "arg.sqlite").path == tmp_path / "arg.sqlite"
    monkeypatch.delenv("ITB_PROGRESS_DB")
    assert default_progress_path().parts[-3:] == (".itb-training", "default", "progress.sqlite")
    monkeypatch.setenv("ITB_COURSE", "ward-7 ITB")
    assert default_progress_path().parts[-3:] == (".itb-training", "ward-7ITB", "progress.sqlite")


def test_records_survive_a_new_store(tmp_path):
    path = tmp_path / "p.sqlite"
    ex = load_exercise("test_bolus_volume", seed=1, trainee="ana", progress=ProgressStore(path))
    ex.check(ex.solution())
    ex.check(ex.solution() * 1000)
    ex.check(5)  # refused input is not an attempt
    ex.hint()
    again = ProgressStore(path)  # as after a kernel restart
    rows = again.attempts("ana")
    assert [(r.correct, r.slip, r.kind) for r in rows] == [
        (True, None, "check"),
        (False, "unit_x1000", "check"),
        (False, None, "hint"),
    ]
    (line,) = again.summary("ana")
    assert (line.exercise, line.attempts, line.correct, line.solved, line.hints) == ("test_bolus_volume", 2, 1, 1, 1)
    assert "test_bolus_volume" in again.summary_markdown("ana")


def test_concurrent_writers_lose_nothing(tmp_path):
    path = str(tmp_path / "p.sqlite")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, name, 40)) for name in ("ana", "ben")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = ProgressStore(path)
    assert len(store.attempts("ana")) == 40 and len(store.attempts("ben")) == 40
    assert sorted(a.seed for a in store.attempts("ben")) == list(range(40))


_KILLED = """
import sys
from exercises.progress import ProgressStore
store = ProgressStore(sys.argv[1])
i = 0
while True:
    store.add("kim", "refill_dates", i, "days_to_alarm", f"{i} day", True)
    print(i, flush=True)
    i += 1
"""


def test_killed_writer_keeps_committed_records(tmp_path):
    path = tmp_path / "p.sqlite"
    ProgressStore(path).add("ana", "flex_dosing", 1, "night_rate", "12 ug/h", True)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, str(path)], stdout=subprocess.PIPE, text=True)
    committed = -1
    deadline = time.time() + 60
    while committed < 30 and time.time() < deadline:
        committed = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = ProgressStore(path)
    seeds = {a.seed for a in store.attempts("kim")}
    assert set(range(committed + 1)) <= seeds
    assert len(store.attempts("ana")) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _fill(path, n):
    store = ProgressStore(path, per_minute=None)  # a bulk fill, past the per-minute quota of a trainee
    for i in range(n):
        store.add("ana", "initial_daily_dose", i, "daily_dose", f"{i} ug/day", True)
    return store


def test_truncated_file_loses_no_record(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 300)
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 3)
    store = ProgressStore(path, per_minute=None)
    assert store.recovered_from is not None and store.recovered_from.exists()
    assert sorted(a.seed for a in store.attempts("ana")) == list(range(300))
    store.add("ana", "initial_daily_dose", 300, "daily_dose", "1 ug/day", False)
    assert len(ProgressStore(path).attempts("ana")) == 301


def test_garbage_file_loses_no_record(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 50)
    with open(path, "r+b") as fh:
        fh.write(b"this is not a database" * 10)
    store = ProgressStore(path)
    assert len(store.attempts("ana")) == 50


def test_corrupt_file_without_journal_keeps_readable_rows(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 400)
    os.remove(str(path) + ".journal")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 4] = b"\xff" * page  # one damaged page in the middle
    path.write_bytes(bytes(data))
    store = ProgressStore(path, per_minute=None)
    kept = {a.seed for a in store.attempts("ana")}
    assert 0 < len(kept) <= 400  # what was readable is kept; the store works again
    store.add("ana", "x", 1, "p", "1 mL", True)


def test_missing_file_is_created(tmp_path):
    path = tmp_path / "deep" / "dir" / "p.sqlite"
    store = ProgressStore(path)
    assert store.attempts() == [] and path.exists()


# ------------------------------------------------------------------ what a class does to the store
import json as _json
import os as _os
import stat as _stat

import pytest

from exercises.progress import ProgressStoreError


def test_database_is_0600_in_a_0700_folder(tmp_path):
    store = ProgressStore(tmp_path / "course" / "p.sqlite")
    store.add("ana", "dilution", 1, "stock_volume", "4 mL", True)
    assert _stat.S_IMODE(_os.stat(tmp_path / "course").st_mode) == 0o700
    for f in (store.path, store.journal, store.key_file):
        assert _stat.S_IMODE(_os.stat(f).st_mode) == 0o600, f


def test_a_read_only_database_is_reported_never_replaced(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite"
    _fill(path, 3)
    before = path.read_bytes()
    real = _os.access  # the tests run as root, whom permission bits do not stop: the store asks os.access
    monkeypatch.setattr(_os, "access", lambda p, mode: False if str(p) == str(path) else real(p, mode))
    with pytest.raises(ProgressStoreError, match="read-only"):
        ProgressStore(path)
    assert path.read_bytes() == before and not list(tmp_path.glob("*.corrupt-*"))


def test_a_read_only_folder_is_reported_never_replaced(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite"
    _fill(path, 3)
    real = _os.access
    monkeypatch.setattr(_os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real(p, mode))
    with pytest.raises(ProgressStoreError, match="not writable"):
        ProgressStore(path)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_journal_line_of_the_wrong_type_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 2)
    with open(path.with_name("p.sqlite.journal"), "a", encoding="utf-8") as fh:
        fh.write('{"uid": 5, "trainee": [], "seed": "x"}\n[1, 2, 3]\n"text"\nnull\n')
    store = ProgressStore(path)
    assert len(store.attempts("ana")) == 2 and store.skipped == 4


def test_forged_journal_lines_are_not_replayed(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 1)
    journal = path.with_name("p.sqlite.journal")
    good = _json.loads(journal.read_text(encoding="utf-8").splitlines()[0])
    forged = dict(good, uid="f" * 32, trainee="bob", correct=True)  # the old signature does not fit
    unsigned = {k: v for k, v in forged.items() if k != "mac"} | {"uid": "e" * 32}
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write(_json.dumps(forged) + "\n" + _json.dumps(unsigned) + "\n")
    path.unlink()  # force a recovery that replays the journal
    store = ProgressStore(path)
    assert store.trainees() == ["ana"] and store.skipped == 2


def test_truncated_file_and_lost_journal_keep_the_backup_rows(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 25)  # a backup every 20 writes
    path.with_name("p.sqlite.journal").unlink()
    for side in ("-wal", "-shm"):
        if _os.path.exists(str(path) + side):
            _os.unlink(str(path) + side)
    path.write_bytes(b"")  # truncated to nothing: sqlite would take it for a new, empty database
    store = ProgressStore(path)
    assert len(store.attempts("ana")) >= 21  # never emptier than the backup and the journal together


def test_recovery_is_never_emptier_than_database_and_journal_together(tmp_path):
    path = tmp_path / "p.sqlite"
    _fill(path, 5)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\0" * 100)
    store = ProgressStore(path)
    assert len(store.attempts("ana")) == 5
