"""Trainee progress: every checked answer saved to a local SQLite file that survives restarts.

For training only, not for treating patients.

The file is ``ITB_PROGRESS_DB`` if that environment variable is set, else
``~/.itb-training/progress.sqlite``; a path given to :class:`ProgressStore` wins
over both.  Writes are single transactions in WAL mode with a busy timeout, so
two notebooks of the same trainee may write at once.

Every attempt is also appended as one JSON line to a journal beside the database
(``progress.sqlite.journal``).  If the database is found corrupt or truncated, it
is moved aside (``*.corrupt-<time>``), every row still readable is copied into a
new file, and the journal restores the rest — so no earlier record is lost.

>>> import tempfile, os
>>> store = ProgressStore(os.path.join(tempfile.mkdtemp(), "p.sqlite"))
>>> _ = store.add("ana", "test_bolus_volume", 3, "volume", "0.5 mL", True)
>>> [(r.exercise, r.correct) for r in store.attempts("ana")]
[('test_bolus_volume', True)]
>>> store.summary("ana")[0].solved
1
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

__all__ = ["ProgressStore", "Attempt", "ExerciseSummary", "default_progress_path", "ENV_VAR"]

ENV_VAR = "ITB_PROGRESS_DB"
_COLUMNS = ("uid", "trainee", "exercise", "seed", "part", "answer", "correct", "slip", "kind", "created_at")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
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
CREATE INDEX IF NOT EXISTS attempts_trainee ON attempts (trainee, exercise);
"""


def default_progress_path() -> Path:
    """``$ITB_PROGRESS_DB`` or ``~/.itb-training/progress.sqlite``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".itb-training" / "progress.sqlite"


@dataclass(frozen=True)
class Attempt:
    uid: str
    trainee: str
    exercise: str
    seed: int
    part: str
    answer: str
    correct: bool
    slip: str | None
    kind: str
    created_at: str


@dataclass(frozen=True)
class ExerciseSummary:
    """Per exercise: attempts, correct answers, distinct (seed, part) solved, hints taken, last activity."""

    exercise: str
    attempts: int
    correct: int
    solved: int
    hints: int
    last: str


class ProgressStore:
    """Attempts of trainees in a SQLite file (see the module docstring for path and recovery)."""

    def __init__(self, path: str | os.PathLike | None = None, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path).expanduser() if path is not None else default_progress_path()
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.busy_timeout = busy_timeout
        self.recovered_from: Path | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open_or_recover()

    # -- connection ----------------------------------------------------------------------
    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path or self.path), timeout=self.busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        return conn

    def _init(self, conn: sqlite3.Connection) -> None:
        for _ in range(50):
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.executescript(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:  # another process is creating the schema
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.1)
        raise sqlite3.OperationalError(f"database {self.path} stayed locked")

    def _healthy(self) -> bool:
        try:
            conn = self._connect()
            try:
                self._init(conn)
                row = conn.execute("PRAGMA quick_check").fetchone()
                return row is not None and row[0] == "ok"
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return False

    def _open_or_recover(self) -> None:
        if self._healthy():
            self._replay_journal()
            return
        self._recover()

    def _recover(self) -> None:
        """Move the bad file aside, copy every readable row into a fresh file, then replay the journal."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        bad = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        rows = []
        if self.path.exists():
            shutil.move(str(self.path), str(bad))
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    shutil.move(str(side), str(bad) + suffix)
            rows = list(_readable_rows(bad))
            self.recovered_from = bad
        conn = self._connect()
        try:
            self._init(conn)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                f"INSERT OR IGNORE INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
        self._replay_journal()

    def _replay_journal(self) -> None:
        """Insert journal lines the database lacks (a crash between the two writes, or a recovery)."""
        if not self.journal.exists():
            return
        rows = []
        with open(self.journal, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                    rows.append(tuple(rec[c] for c in _COLUMNS))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
        if not rows:
            return
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                f"INSERT OR IGNORE INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    # -- writing ---------------------------------------------------------------------------
    def add(self, trainee: str, exercise: str, seed: int, part: str, answer: str, correct: bool,
            slip: str | None = None, kind: str = "check") -> Attempt:
        """Save one attempt atomically; returns it."""
        if not str(trainee).strip():
            raise ValueError("The trainee name is empty.")
        attempt = Attempt(uuid.uuid4().hex, str(trainee).strip(), exercise, int(seed), part, str(answer),
                          bool(correct), slip, kind, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds"))
        values = (attempt.uid, attempt.trainee, attempt.exercise, attempt.seed, attempt.part, attempt.answer,
                  int(attempt.correct), attempt.slip, attempt.kind, attempt.created_at)
        try:
            self._insert(values)
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            self._append_journal(attempt)
            self._recover()
            return attempt
        self._append_journal(attempt)
        return attempt

    def _insert(self, values: tuple) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", values
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _append_journal(self, attempt: Attempt) -> None:
        line = (json.dumps(attempt.__dict__, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)  # one write of one line with O_APPEND: lines from two processes never interleave
            os.fsync(fd)
        finally:
            os.close(fd)

    def record(self, trainee: str, exercise: str, seed: int, part: str, result: Any) -> Attempt:
        """Save a :class:`exercises.checking.CheckResult`."""
        return self.add(trainee, exercise, seed, part, result.answer_text, result.correct, result.slip)

    def record_hint(self, trainee: str, exercise: str, seed: int, part: str) -> Attempt:
        return self.add(trainee, exercise, seed, part, "", False, None, kind="hint")

    # -- reading ---------------------------------------------------------------------------
    def attempts(self, trainee: str | None = None) -> list[Attempt]:
        """Every attempt (of one trainee), oldest first."""
        conn = self._connect()
        try:
            sql = f"SELECT {', '.join(_COLUMNS)} FROM attempts"
            args: tuple = ()
            if trainee is not None:
                sql += " WHERE trainee = ?"
                args = (trainee,)
            rows = conn.execute(sql + " ORDER BY created_at, id", args).fetchall()
        finally:
            conn.close()
        return [Attempt(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9]) for r in rows]

    def trainees(self) -> list[str]:
        return sorted({a.trainee for a in self.attempts()})

    def summary(self, trainee: str) -> list[ExerciseSummary]:
        """One line per exercise the trainee has tried."""
        by: dict[str, list[Attempt]] = {}
        for a in self.attempts(trainee):
            by.setdefault(a.exercise, []).append(a)
        out = []
        for ex, items in sorted(by.items()):
            checks = [a for a in items if a.kind == "check"]
            solved = {(a.seed, a.part) for a in checks if a.correct}
            out.append(ExerciseSummary(ex, len(checks), sum(a.correct for a in checks), len(solved),
                                       sum(a.kind == "hint" for a in items), items[-1].created_at[:19]))
        return out

    def summary_markdown(self, trainee: str) -> str:
        """The summary as a Markdown table."""
        rows = self.summary(trainee)
        if not rows:
            return f"No attempts saved yet for {trainee}."
        lines = [f"Progress of **{trainee}**", "", "| exercise | attempts | correct | parts solved | hints | last |",
                 "|---|---|---|---|---|---|"]
        lines += [f"| {r.exercise} | {r.attempts} | {r.correct} | {r.solved} | {r.hints} | {r.last} |" for r in rows]
        return "\n".join(lines)


def _readable_rows(path: Path) -> Iterator[tuple]:
    """Rows still readable in a damaged database, read in id ranges so one bad page loses only itself."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.DatabaseError:
        return
    cols = ", ".join(_COLUMNS)
    try:
        try:
            yield from conn.execute(f"SELECT {cols} FROM attempts").fetchall()
            return
        except sqlite3.DatabaseError:
            pass
        try:
            top = conn.execute("SELECT max(id) FROM attempts").fetchone()[0] or 0
        except sqlite3.DatabaseError:
            top = 100_000
        step = 64
        for lo in range(0, top + 1, step):
            try:
                yield from conn.execute(f"SELECT {cols} FROM attempts WHERE id >= ? AND id < ?",
                                        (lo, lo + step)).fetchall()
            except sqlite3.DatabaseError:
                for i in range(lo, lo + step):
                    try:
                        yield from conn.execute(f"SELECT {cols} FROM attempts WHERE id = ?", (i,)).fetchall()
                    except sqlite3.DatabaseError:
                        continue
    finally:
        conn.close()
