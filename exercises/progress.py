"""Trainee progress: every checked answer saved to a local SQLite file that survives restarts.

For training only, not for treating patients.

The file is ``ITB_PROGRESS_DB`` if that environment variable is set, else
``~/.itb-training/<course>/progress.sqlite`` with the course named by ``ITB_COURSE``
(default ``default``): one database per served course.  A path given to
:class:`ProgressStore` wins over both.  The folder is created 0700 and the files
0600 (only the serving user reads them).  Writes are single transactions in WAL mode
with a busy timeout, so two notebooks of the same trainee may write at once.

Every attempt is also appended as one JSON line to a journal beside the database
(``progress.sqlite.journal``), signed with a key only this store can read
(``progress.sqlite.key``, HMAC-SHA256): a line that is malformed, of the wrong types or
not signed by the store is skipped and counted (:attr:`ProgressStore.skipped`), never
replayed and never fatal.  Every 20 writes a backup (``progress.sqlite.bak``) is taken.
If the database is found corrupt, truncated or emptied, it is moved aside
(``*.corrupt-<time>``), and the rows still readable, the backup and the journal are merged
into a new file — so recovery never leaves fewer records than they hold together.
A database that cannot be written (read-only, no permission) is reported as such
(:class:`ProgressStoreError`) and never taken for a corrupt one.

**Schema versions** (``PRAGMA user_version``; a file from before versioning reads 0): version 1 is the
first table; version 2 adds ``override_reason``, why an answer past the drug library's soft limit was
confirmed.  Opening a store migrates its file in one ``BEGIN IMMEDIATE`` transaction (``ALTER TABLE … ADD
COLUMN``: existing rows keep every value and read ``None`` for the reason), so two notebooks opening an old
file at once migrate it once.  Readers that never write (the class view's :func:`read_attempts`, recovery
from a damaged file or an older backup) read ``NULL`` for a column the file does not have yet, and a journal
line written before version 2 (no ``override_reason`` key) is verified against the columns it was signed with.

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
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import stat
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itbcore.errors import InputError
from itbcore.i18n import LOCALES

__all__ = [
    "ProgressStore",
    "ProgressStoreError",
    "Attempt",
    "ExerciseSummary",
    "default_progress_path",
    "ENV_VAR",
    "COURSE_ENV",
    "MARKS",
    "SETTINGS",
    "GROUP_READ_ENV",
    "read_attempts",
    "check_trainee_name",
    "MAX_NAME_LENGTH",
    "MAX_ATTEMPTS_PER_MINUTE",
    "MAX_ATTEMPTS_TOTAL",
]

ENV_VAR = "ITB_PROGRESS_DB"
COURSE_ENV = "ITB_COURSE"
#: Set (to 1) by the class hub: the educators' group may read the database (files 0640, no WAL, whose
#: shared-memory file a reader would need to write); the folder's group and mode come from the hub.
GROUP_READ_ENV = "ITB_PROGRESS_GROUP_READ"


def _group_read() -> bool:
    return os.environ.get(GROUP_READ_ENV, "") not in ("", "0")


#: The marks of a pre-/post-test (exercise ``pre-test`` / ``post-test``): started, and finished (its score shown).
MARKS = ("start", "finish")
#: check: a checked answer; hint: a hint taken; held: a test answer past a soft limit, held for its reason
#: (it fixes the first answer of that part; the confirmation follows as a check); start, finish: :data:`MARKS`.
#: Kinds that record a trainee's setting, not an attempt: ``language``, the language they chose for the apps
#: (itbcore.i18n.LOCALES).  Kept, signed and erased with their progress; :meth:`ProgressStore.attempts` leaves
#: them out unless asked for by kind.
SETTINGS = ("language",)
_KINDS = ("check", "hint", "held", *MARKS, *SETTINGS)
_BACKUP_EVERY = 20


class ProgressStoreError(OSError):
    """The progress database cannot be used as it is (read-only, no permission): the message says which."""


#: The schema version this code writes (``PRAGMA user_version``); see the module docstring.
SCHEMA_VERSION = 2
#: The columns of version 1 (what a journal line from before version 2 was signed over).
_COLUMNS_V1 = ("uid", "trainee", "exercise", "seed", "part", "answer", "correct", "slip", "kind", "created_at")
_COLUMNS = (*_COLUMNS_V1, "override_reason")
#: Version -> the columns it adds to the version before it (name, declaration), added once, in order.
_ADDED_COLUMNS: dict[int, tuple[tuple[str, str], ...]] = {
    2: (("override_reason", "TEXT"),),
}
#: The longest trainee name the store takes (refused past it, everywhere a name enters: :func:`check_trainee_name`).
MAX_NAME_LENGTH = 200
#: Attempts (checks, hints, held answers) one trainee may save per minute, and in all: a loop saving 200 in
#: 10 s is refused (InputError) instead of filling the class's disk and the class view.
MAX_ATTEMPTS_PER_MINUTE = 60
MAX_ATTEMPTS_TOTAL = 20_000
#: The longest override reason kept (the library's reason with its note fits well within it).
_MAX_REASON = 400
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
    created_at TEXT NOT NULL,
    override_reason TEXT
);
CREATE INDEX IF NOT EXISTS attempts_trainee ON attempts (trainee, exercise);
"""


def default_progress_path() -> Path:
    """``$ITB_PROGRESS_DB``, or ``~/.itb-training/<$ITB_COURSE or default>/progress.sqlite``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    course = "".join(c for c in os.environ.get(COURSE_ENV, "default") if c.isalnum() or c in "-_") or "default"
    return Path.home() / ".itb-training" / course / "progress.sqlite"


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
    #: Why an answer past the drug library's soft limit was confirmed (``None``: nothing to confirm).
    override_reason: str | None = None


def _attempt(row: tuple) -> Attempt:
    """An :class:`Attempt` from a row of :data:`_COLUMNS`."""
    return Attempt(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8], row[9], row[10])


@dataclass(frozen=True)
class ExerciseSummary:
    """Per exercise: attempts, correct answers, distinct (seed, part) solved, hints taken, last activity."""

    exercise: str
    attempts: int
    correct: int
    solved: int
    hints: int
    last: str


def check_trainee_name(name: object) -> str:
    """The trainee name as the store keeps it (stripped), or :class:`InputError` when it is empty or longer
    than :data:`MAX_NAME_LENGTH` characters (a longer one was accepted, then lost at recovery)."""
    text = str(name if name is not None else "").strip()
    if not text:
        raise InputError("The trainee name is empty.")
    if len(text) > MAX_NAME_LENGTH:
        raise InputError(f"A trainee name is at most {MAX_NAME_LENGTH} characters; this one has {len(text)}.")
    return text


class ProgressStore:
    """Attempts of trainees in a SQLite file (see the module docstring for path and recovery)."""

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        *,
        busy_timeout: float = 30.0,
        per_minute: int | None = MAX_ATTEMPTS_PER_MINUTE,
        per_trainee: int | None = MAX_ATTEMPTS_TOTAL,
    ) -> None:
        #: The quotas of :meth:`add` (``None``: none, for a bulk import or a test that fills a store).
        self.per_minute, self.per_trainee = per_minute, per_trainee
        self.path = Path(path).expanduser() if path is not None else default_progress_path()
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.backup = self.path.with_name(self.path.name + ".bak")
        self.key_file = self.path.with_name(self.path.name + ".key")
        self.busy_timeout = busy_timeout
        self.recovered_from: Path | None = None
        #: Journal lines skipped as malformed, mistyped or not signed by this store (reported, never replayed).
        self.skipped = 0
        self._writes = 0
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        self._check_access()
        self._key = self._load_key()
        self._open_or_recover()
        self._private(self.path)

    # -- access ----------------------------------------------------------------------------
    def _check_access(self) -> None:
        """Refuse a database that cannot be written, saying so (never taken for corruption)."""
        folder = self.path.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ProgressStoreError(f"The progress folder {folder} is not writable by this server.")
        for p in (self.path, self.journal):
            if p.exists() and not os.access(p, os.R_OK | os.W_OK):
                raise ProgressStoreError(
                    f"The progress file {p} is read-only or not readable by this server; "
                    "fix its permissions (it is left as it is)."
                )

    @staticmethod
    def _private(p: Path) -> None:
        mode = 0o640 if _group_read() else 0o600
        for f in (p, Path(str(p) + "-wal"), Path(str(p) + "-shm")):
            try:
                if f.exists():
                    os.chmod(f, mode)
            except OSError:
                pass

    def _load_key(self) -> bytes:
        try:
            fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.key_file.read_bytes()
        key = secrets.token_bytes(32)
        try:
            os.write(fd, key)
        finally:
            os.close(fd)
        return key

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    # -- connection ----------------------------------------------------------------------
    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path or self.path), timeout=self.busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        return conn

    def _init(self, conn: sqlite3.Connection) -> None:
        for _ in range(50):
            try:
                conn.execute("PRAGMA journal_mode = DELETE" if _group_read() else "PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.executescript(_SCHEMA)
                _migrate(conn)
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
        except sqlite3.OperationalError as exc:
            if _not_permitted(exc):
                raise ProgressStoreError(
                    f"The progress database {self.path} cannot be written ({exc}); it is left as it is."
                ) from None
            return False
        except sqlite3.DatabaseError:
            return False

    def _count(self) -> int:
        conn = self._connect()
        try:
            return conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        finally:
            conn.close()

    def _open_or_recover(self) -> None:
        if self._healthy():
            if self.backup.exists() and self._count() == 0:
                # emptied or truncated to nothing (sqlite takes an empty file for a new database)
                self._insert_rows(list(_readable_rows(self.backup)))
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
        if self.backup.exists():
            rows += list(_readable_rows(self.backup))
        conn = self._connect()
        try:
            self._init(conn)
        finally:
            conn.close()
        self._insert_rows(rows)
        self._replay_journal()

    def _insert_rows(self, rows: list[tuple]) -> None:
        # an erased trainee's rows from before their erasure never come back (a backup, a damaged copy, a journal)
        tombs = self._tombstone_times()
        if tombs:
            rows = [r for r in rows if not (r[1] in tombs and str(r[9]) <= tombs[r[1]])]
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

    def _replay_journal(self) -> None:
        """Insert journal lines the database lacks (a crash between the two writes, or a recovery)."""
        if not self.journal.exists():
            return
        rows = []
        with open(self.journal, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                row = self._journal_row(line)
                if row is None:
                    if line.strip() and not line.startswith('{"erase"'):
                        self.skipped += 1  # cut short by a crash, mistyped, or not signed by this store
                    continue
                rows.append(row)
            # a tombstone line (an erasure) is not a row: never counted as skipped
        self._insert_rows(rows)

    # -- writing ---------------------------------------------------------------------------
    def add(
        self,
        trainee: str,
        exercise: str,
        seed: int,
        part: str,
        answer: str,
        correct: bool,
        slip: str | None = None,
        kind: str = "check",
        override_reason: str | None = None,
    ) -> Attempt:
        """Save one attempt atomically; returns it.

        ``override_reason`` is why an answer past the drug library's soft limit was confirmed
        (:func:`itbcore.library.override_reason`); ``kind`` is one of check, hint and held, or a test's mark
        (:data:`MARKS`, saved by the assessment app).
        """
        trainee = check_trainee_name(trainee)
        if kind not in _KINDS:
            raise InputError(f"An attempt is one of {', '.join(_KINDS)}, not {kind!r}.")
        reason = " ".join(str(override_reason).split())[:_MAX_REASON] if override_reason else None
        attempt = Attempt(
            uuid.uuid4().hex,
            str(trainee).strip(),
            exercise,
            int(seed),
            part,
            str(answer),
            bool(correct),
            slip,
            kind,
            _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds"),
            reason,
        )
        values = (
            attempt.uid,
            attempt.trainee,
            attempt.exercise,
            attempt.seed,
            attempt.part,
            attempt.answer,
            int(attempt.correct),
            attempt.slip,
            attempt.kind,
            attempt.created_at,
            attempt.override_reason,
        )
        try:
            self._insert(values, attempt.trainee)
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            if _not_permitted(exc):
                raise ProgressStoreError(
                    f"The progress database {self.path} cannot be written ({exc}); it is left as it is."
                ) from None
            self._append_journal(attempt)
            self._recover()
            return attempt
        self._append_journal(attempt)
        self._writes += 1
        if self._writes % _BACKUP_EVERY == 1:
            self._take_backup()
        return attempt

    def _check_quota(self, conn: sqlite3.Connection, trainee: str) -> None:
        """Refuse an attempt past :data:`MAX_ATTEMPTS_PER_MINUTE` or :data:`MAX_ATTEMPTS_TOTAL` (under the write lock,
        so two notebooks of the same trainee share one quota)."""
        since = (_dt.datetime.now(_dt.UTC) - _dt.timedelta(minutes=1)).isoformat(timespec="microseconds")
        recent, total = conn.execute(
            "SELECT sum(created_at >= ?), count(*) FROM attempts WHERE trainee = ?", (since, trainee)
        ).fetchone()
        if self.per_minute is not None and (recent or 0) >= self.per_minute:
            raise InputError(
                f"Not saved: {trainee} has saved {self.per_minute} attempts in the last minute, "
                "the most the store takes; wait a minute and check again."
            )
        if self.per_trainee is not None and total >= self.per_trainee:
            raise InputError(
                f"Not saved: {trainee} has {self.per_trainee} saved attempts, the most the store keeps "
                "per trainee; ask an educator."
            )

    # -- erasure ---------------------------------------------------------------------------
    def erase(self, trainee: str) -> int:
        """Delete every record of ``trainee`` for good; returns how many rows the database held.

        Erasure is real: the rows are deleted with ``secure_delete`` and the file vacuumed (no freed page keeps
        them), the journal is rewritten without their lines and ends with a signed tombstone that replay honours
        (a line of theirs from before the erasure, from any copy of the journal, is never replayed), the backup is
        taken again, and the copies kept aside at a recovery (``*.corrupt-*``) lose their rows too (a copy too
        damaged to edit is removed: its readable rows were merged at that recovery).  Attempts saved after the
        erasure are kept as usual.
        """
        trainee = check_trainee_name(trainee)
        at = _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")
        conn = self._connect()
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")  # the write lock: no attempt is saved while the journal is rewritten
            try:
                n = conn.execute("DELETE FROM attempts WHERE trainee = ?", (trainee,)).rowcount
                self._rewrite_journal(trainee, at)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("VACUUM")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        if self.backup.exists():
            self.backup.unlink()
        self._take_backup()
        for copy in self.path.parent.glob(self.path.name + ".corrupt-*"):
            if copy.name.endswith(("-wal", "-shm")):
                continue
            _purge_copy(copy, trainee)
        return n

    def _rewrite_journal(self, trainee: str, at: str) -> None:
        """The journal without ``trainee``'s lines, ending with a signed tombstone, put in place atomically."""
        tomb = {"erase": trainee, "at": at}
        tomb["mac"] = self._sign(json.dumps({"erase": trainee, "at": at}, ensure_ascii=False, sort_keys=True))
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                if self.journal.exists():
                    with open(self.journal, encoding="utf-8", errors="replace") as fh:
                        for line in fh:
                            try:
                                rec = json.loads(line)
                            except ValueError:
                                rec = None
                            if isinstance(rec, dict) and rec.get("trainee") == trainee:
                                continue
                            if line.strip():
                                out.write(line if line.endswith("\n") else line + "\n")
                out.write(json.dumps(tomb, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, self.journal)

    def _tombstone_times(self) -> dict[str, str]:
        """trainee -> the time of their latest erasure, from the signed tombstones in the journal."""
        out: dict[str, str] = {}
        if not self.journal.exists():
            return out
        with open(self.journal, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if '"erase"' not in line:
                    continue
                try:
                    rec = json.loads(line)
                    who, at, mac = rec["erase"], rec["at"], rec["mac"]
                    payload = json.dumps({"erase": who, "at": at}, ensure_ascii=False, sort_keys=True)
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(mac, str) and hmac.compare_digest(mac, self._sign(payload)) and isinstance(at, str):
                    out[who] = max(at, out.get(who, ""))
        return out

    def _take_backup(self) -> None:
        """Copy the database to ``progress.sqlite.bak`` (sqlite's online backup, consistent while in use)."""
        try:
            src, dst = self._connect(), sqlite3.connect(str(self.backup))
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            os.chmod(self.backup, 0o600)
        except (sqlite3.Error, OSError):
            pass  # a missed backup is retried at the next write batch; the journal still holds every attempt

    def _insert(self, values: tuple, trainee: str | None = None) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            if trainee is not None and (self.per_minute is not None or self.per_trainee is not None):
                try:
                    self._check_quota(conn, trainee)
                except InputError:
                    conn.execute("ROLLBACK")
                    raise
            conn.execute(
                f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", values
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _journal_row(self, line: str) -> tuple | None:
        """The row a journal line holds, or ``None`` when it is malformed, mistyped or not signed by this store."""
        try:
            rec = json.loads(line)
            mac = rec.pop("mac")
            # a line written before version 2 has no override_reason and was signed without it
            signed = _COLUMNS if "override_reason" in rec else _COLUMNS_V1
            payload = json.dumps({c: rec[c] for c in signed}, ensure_ascii=False, sort_keys=True)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._sign(payload)):
            return None
        ok = (
            isinstance(rec["uid"], str)
            and len(rec["uid"]) == 32
            and isinstance(rec["trainee"], str)
            and 0 < len(rec["trainee"]) <= 200
            and all(isinstance(rec[c], str) for c in ("exercise", "part", "answer", "kind", "created_at"))
            and isinstance(rec["seed"], int)
            and not isinstance(rec["seed"], bool)
            and isinstance(rec["correct"], (bool, int))
            and rec["kind"] in _KINDS
            and (rec["slip"] is None or isinstance(rec["slip"], str))
            and (
                rec.get("override_reason") is None
                or isinstance(rec["override_reason"], str)
                and len(rec["override_reason"]) <= _MAX_REASON
            )
        )
        if not ok:
            return None
        try:
            _dt.datetime.fromisoformat(rec["created_at"])
        except ValueError:
            return None
        return tuple(int(rec[c]) if c == "correct" else rec.get(c) for c in _COLUMNS)

    def _append_journal(self, attempt: Attempt) -> None:
        rec = dict(attempt.__dict__)
        payload = json.dumps({c: rec[c] for c in _COLUMNS}, ensure_ascii=False, sort_keys=True)
        rec["mac"] = self._sign(payload)
        line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)  # one write of one line with O_APPEND: lines from two processes never interleave
            os.fsync(fd)
        finally:
            os.close(fd)

    def record(self, trainee: str, exercise: str, seed: int, part: str, result: Any) -> Attempt:
        """Save a :class:`exercises.checking.CheckResult` (with the reason it was confirmed past a soft limit)."""
        return self.add(
            trainee,
            exercise,
            seed,
            part,
            result.answer_text,
            result.correct,
            result.slip,
            override_reason=getattr(result, "override_reason", None),
        )

    def record_hint(self, trainee: str, exercise: str, seed: int, part: str) -> Attempt:
        return self.add(trainee, exercise, seed, part, "", False, None, kind="hint")

    # -- reading ---------------------------------------------------------------------------
    def attempts(self, trainee: str | None = None, *, kinds: tuple[str, ...] | None = None) -> list[Attempt]:
        """Every attempt (of one trainee; of these ``kinds`` only), oldest first."""
        conn = self._connect()
        try:
            sql = f"SELECT {', '.join(_COLUMNS)} FROM attempts"
            where, args = [], []
            if trainee is not None:
                where.append("trainee = ?")
                args.append(trainee)
            if kinds is not None:
                where.append(f"kind IN ({', '.join('?' * len(kinds))})")
                args += list(kinds)
            else:
                where.append(f"kind NOT IN ({', '.join('?' * len(SETTINGS))})")
                args += list(SETTINGS)
            if where:
                sql += " WHERE " + " AND ".join(where)
            rows = conn.execute(sql + " ORDER BY created_at, id", tuple(args)).fetchall()
        finally:
            conn.close()
        return [_attempt(r) for r in rows]

    def set_language(self, trainee: str, locale: str) -> None:
        """Remember the language ``trainee`` chose for the apps (one of :data:`itbcore.i18n.LOCALES`)."""
        if locale not in LOCALES:
            raise InputError(f"The language {str(locale)[:20]!r} is not one of the suite's: {', '.join(LOCALES)}.")
        self.add(trainee, "_settings", 0, "language", locale, False, kind="language")

    def language(self, trainee: str) -> str | None:
        """The language ``trainee`` last chose (:meth:`set_language`), or None."""
        chosen = [a.answer for a in self.attempts(trainee, kinds=SETTINGS) if a.answer in LOCALES]
        return chosen[-1] if chosen else None

    def trainees(self) -> list[str]:
        return sorted({a.trainee for a in self.attempts()})

    def summary(self, trainee: str) -> list[ExerciseSummary]:
        """One line per exercise the trainee has tried."""
        by: dict[str, list[Attempt]] = {}
        for a in self.attempts(trainee):
            if a.kind in MARKS:  # a test started or finished: no attempt at an exercise
                continue
            by.setdefault(a.exercise, []).append(a)
        out = []
        for ex, items in sorted(by.items()):
            checks = [a for a in items if a.kind == "check"]
            solved = {(a.seed, a.part) for a in checks if a.correct}
            out.append(
                ExerciseSummary(
                    ex,
                    len(checks),
                    sum(a.correct for a in checks),
                    len(solved),
                    sum(a.kind == "hint" for a in items),
                    items[-1].created_at[:19],
                )
            )
        return out

    def summary_markdown(self, trainee: str) -> str:
        """The summary as a Markdown table."""
        rows = self.summary(trainee)
        if not rows:
            return f"No attempts saved yet for {trainee}."
        lines = [
            f"Progress of **{trainee}**",
            "",
            "| exercise | attempts | correct | parts solved | hints | last |",
            "|---|---|---|---|---|---|",
        ]
        lines += [f"| {r.exercise} | {r.attempts} | {r.correct} | {r.solved} | {r.hints} | {r.last} |" for r in rows]
        return "\n".join(lines)


#: The class view reads a trainee's file only up to this size (a trainee's database is kilobytes to a few MB).
MAX_READ_BYTES = 64 * 1024 * 1024
#: The most rows the class view takes from one trainee's file (far above :data:`MAX_ATTEMPTS_TOTAL`).
MAX_READ_ROWS = 100_000
#: How long one query of the class view may run on one trainee's file before it is interrupted (seconds).
READ_TIMEOUT = 2.0


def _refuse(p: Path, why: str) -> ProgressStoreError:
    return ProgressStoreError(f"{p} is not shown: {why}")


def _open_nofollow(p: Path, within: Path | None) -> int:
    """A read-only descriptor of ``p`` that follows no symbolic link below ``within`` (none at all in the last
    component), opened non-blocking so a FIFO never makes the reader wait."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    if within is None:
        return os.open(p, flags)
    rel = p.relative_to(within).parts
    # O_PATH: a home of mode 0711 can be walked through without being listed
    dirflags = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY
    fd = os.open(within, dirflags)
    try:
        for i, part in enumerate(rel[:-1]):
            try:
                nxt = os.open(part, dirflags | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if os.path.islink(os.path.join(within, *rel[: i + 1])):
                    raise _refuse(
                        p,
                        f"the folder {part!r} on its path is a symbolic link (a trainee's file is "
                        "read where it is, never through a link).",
                    ) from None
                raise exc
            os.close(fd)
            fd = nxt
        return os.open(rel[-1], flags, dir_fd=fd)
    finally:
        os.close(fd)


def read_attempts(
    path: str | os.PathLike,
    *,
    trainee: str | None = None,
    owner: int | None = None,
    within: str | os.PathLike | None = None,
    timeout: float = READ_TIMEOUT,
) -> list[Attempt]:
    """Every attempt in someone else's progress database, read without trusting it (the class view).

    The file is the trainee's own, so everything in it is theirs to shape.  It is opened without following a
    symbolic link (none below ``within``, when given: a trainee's home), non-blocking (a FIFO is refused, never
    waited on), must be a regular file of at most :data:`MAX_READ_BYTES` owned by ``owner`` (their uid, when
    known: a link or a copy of another trainee's file is not shown as theirs), and is read into memory once
    (``sqlite3`` ``deserialize``: no lock, journal or WAL file of theirs is ever opened, nothing is written).
    ``attempts`` must be a table (a VIEW of that name is refused), every query is interrupted after
    ``timeout`` seconds (a progress handler), at most :data:`MAX_READ_ROWS` rows are taken, and every value
    must be of the store's type (no BLOB, a known kind, an ISO time, names within :data:`MAX_NAME_LENGTH`) and
    every row ``trainee``'s when given.  Anything else raises :class:`ProgressStoreError` naming the file and
    what is wrong, so the caller shows the rest of the class.

    Raises :class:`ProgressStoreError` when this user may not read it (not an educator) and
    ``FileNotFoundError`` when there is none yet; never writes, never recovers.
    """
    p = Path(path)
    base = Path(within) if within is not None else None
    try:
        fd = _open_nofollow(p, base)
    except ProgressStoreError:
        raise
    except FileNotFoundError:
        if p.parent.exists() and not os.access(p.parent, os.R_OK | os.X_OK):
            raise ProgressStoreError(
                f"{p.parent} cannot be read by this user (only its trainee and the educators' group can)."
            ) from None
        raise FileNotFoundError(p) from None
    except PermissionError:
        raise ProgressStoreError(
            f"{p} cannot be read by this user (only its trainee and the educators' group can)."
        ) from None
    except OSError as exc:
        if os.path.islink(p):  # O_NOFOLLOW: ELOOP
            raise _refuse(
                p, "it is a symbolic link (a trainee's file is read where it is, never through a link)."
            ) from None
        raise ProgressStoreError(f"{p} could not be opened: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(p, "it is not a regular file (a FIFO, a device or a folder).")
        if owner is not None and st.st_uid != owner:
            raise _refuse(p, f"it belongs to user id {st.st_uid}, not to its trainee (id {owner}).")
        if st.st_size > MAX_READ_BYTES:
            raise _refuse(p, f"it is {st.st_size} bytes, more than the {MAX_READ_BYTES} read.")
        chunks, size = [], 0
        while size <= MAX_READ_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_READ_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_READ_BYTES:
            raise _refuse(p, f"it grew past the {MAX_READ_BYTES} bytes read.")
    finally:
        os.close(fd)
    data = bytearray(b"".join(chunks))
    if len(data) >= 20 and data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
        data[18:20] = b"\x01\x01"  # a WAL-mode header: read the copy as a rollback-journal file (nothing to replay)
    return _attempts_from_bytes(p, bytes(data), trainee, timeout)


def _attempts_from_bytes(p: Path, data: bytes, trainee: str | None, timeout: float) -> list[Attempt]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        deadline = time.monotonic() + timeout
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            if data:
                conn.deserialize(data)
            conn.execute("PRAGMA query_only = 1")
            conn.execute("PRAGMA trusted_schema = 0")  # no function of the trainee's schema runs as a side effect
            kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'attempts'").fetchone()
            if kind is None:
                return []  # a file with no attempts table yet: nothing to show
            if kind[0] != "table":
                raise _refuse(p, f"'attempts' is a {kind[0]}, not the store's table.")
            # a trainee's file not yet migrated (their store has not opened it since): NULL for what it lacks
            cur = conn.execute(f"SELECT {_select_list(conn)} FROM attempts ORDER BY created_at, id")
            rows = cur.fetchmany(MAX_READ_ROWS + 1)
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise _refuse(p, f"reading it took longer than {timeout:g} s.") from None
            raise ProgressStoreError(f"{p} could not be read: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise ProgressStoreError(f"{p} could not be read: {exc}") from None
    finally:
        conn.close()
    if len(rows) > MAX_READ_ROWS:
        raise _refuse(p, f"it holds more than {MAX_READ_ROWS} rows.")
    bad = [i for i, r in enumerate(rows) if not _row_ok(r, trainee)]
    if bad:
        foreign = sum(1 for i in bad if _row_ok(rows[i], None)) if trainee is not None else 0
        why = (
            f"{foreign} row(s) are another trainee's"
            if foreign
            else f"{len(bad)} row(s) are not of the store's types (first: row {bad[0] + 1})"
        )
        raise _refuse(p, f"{why}; the file was not written by this suite's store as it is.")
    return [_attempt(r) for r in rows]


def _row_ok(r: tuple, trainee: str | None) -> bool:
    """A row of :data:`_COLUMNS` holds what the store writes: text where text belongs (never a BLOB), and so on."""
    uid, who, exercise, seed, part, answer, correct, slip, kind, created, reason = r
    texts = (uid, who, exercise, part, answer, kind, created)
    if not all(type(t) is str for t in texts):
        return False
    if not (
        0 < len(who) <= MAX_NAME_LENGTH
        and len(uid) <= 64
        and len(exercise) <= 200
        and len(part) <= 200
        and len(answer) <= 10_000
        and len(created) <= 40
    ):
        return False
    if type(seed) is not int or correct not in (0, 1) or type(correct) is not int or kind not in _KINDS:
        return False
    if slip is not None and (type(slip) is not str or len(slip) > 200):
        return False
    if reason is not None and (type(reason) is not str or len(reason) > _MAX_REASON):
        return False
    try:
        _dt.datetime.fromisoformat(created)
    except ValueError:
        return False
    return trainee is None or who == trainee


def _purge_copy(copy: Path, trainee: str) -> None:
    """Delete ``trainee``'s rows from a copy kept aside at a recovery, or the copy when it cannot be edited."""
    try:
        conn = sqlite3.connect(str(copy), timeout=1, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("DELETE FROM attempts WHERE trainee = ?", (trainee,))
            conn.execute("VACUUM")
        finally:
            conn.close()
    except sqlite3.Error:
        copy.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(copy) + suffix).unlink(missing_ok=True)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the file up to :data:`SCHEMA_VERSION`, once, whoever else opens it at the same time."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")  # the version is read again under the write lock: one migration only
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        have = _table_columns(conn)
        for target in range(max(version, 1) + 1, SCHEMA_VERSION + 1):  # 0: a file from before versioning
            for column, declaration in _ADDED_COLUMNS[target]:
                if column not in have:  # a file this code created has it already
                    conn.execute(f"ALTER TABLE attempts ADD COLUMN {column} {declaration}")
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _table_columns(conn: sqlite3.Connection) -> set[str]:
    return {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}


def _select_list(conn: sqlite3.Connection) -> str:
    """:data:`_COLUMNS` as a SELECT list, ``NULL`` for each column an older file does not have."""
    try:
        have = _table_columns(conn)
    except sqlite3.DatabaseError:
        have = set()
    if not have:  # the schema cannot be read: ask for every column and let the query say what is wrong
        return ", ".join(_COLUMNS)
    return ", ".join(c if c in have else f"NULL AS {c}" for c in _COLUMNS)


def _not_permitted(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("readonly", "read-only", "unable to open", "permission", "access permission"))


def _readable_rows(path: Path) -> Iterator[tuple]:
    """Rows still readable in a damaged database, read in id ranges so one bad page loses only itself."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.DatabaseError:
        return
    cols = _select_list(conn)  # an older file or backup: NULL for the columns it does not have
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
                yield from conn.execute(
                    f"SELECT {cols} FROM attempts WHERE id >= ? AND id < ?", (lo, lo + step)
                ).fetchall()
            except sqlite3.DatabaseError:
                for i in range(lo, lo + step):
                    try:
                        yield from conn.execute(f"SELECT {cols} FROM attempts WHERE id = ?", (i,)).fetchall()
                    except sqlite3.DatabaseError:
                        continue
    finally:
        conn.close()
