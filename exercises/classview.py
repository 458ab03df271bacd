"""The class view's numbers: per trainee and exercise, attempts, correct answers, last activity, slips, score.

For training only, not for treating patients.

Built from what the class already keeps — each trainee's progress database (their own home, readable
by the educators' group: :func:`exercises.progress.read_attempts`) and nbgrader's gradebook (the
educator's course folder) — so nothing is copied or kept twice.

>>> from exercises.progress import Attempt
>>> a = [Attempt("1", "t1", "dilution", 3, "diluent", "glucose", False, "glucose", "check", "2026-12-02T10:00:00"),
...      Attempt("2", "t1", "dilution", 3, "diluent", "NaCl 0.9 %", True, None, "check", "2026-12-02T10:01:00")]
>>> [(r.trainee, r.exercise, r.attempts, r.correct, r.slips) for r in class_rows({"t1": a})]
[('t1', 'dilution', 2, 1, 'glucose ×1')]
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from .i18n import _
from .progress import MARKS, Attempt

__all__ = ["ClassRow", "class_rows", "gradebook_scores", "rows_csv", "csv_cell", "common_slips", "override_reasons"]


@dataclass(frozen=True)
class ClassRow:
    trainee: str
    exercise: str
    attempts: int
    correct: int
    hints: int
    last_activity: str
    slips: str
    score: float | None = None
    max_score: float | None = None
    submitted: str = ""
    #: Answers confirmed past the drug library's soft limit, each saved with its reason (:func:`override_reasons`).
    overrides: int = 0


def _slips(items: Iterable[Attempt], n: int = 3) -> str:
    counts = Counter(a.slip for a in items if a.kind == "check" and not a.correct and a.slip)
    return ", ".join(f"{code} ×{k}" for code, k in counts.most_common(n))


def class_rows(
    attempts: Mapping[str, list[Attempt]], scores: Mapping[tuple[str, str], tuple[float, float, str]] | None = None
) -> list[ClassRow]:
    """One row per trainee and exercise, from their attempts and (optionally) nbgrader's scores."""
    scores = scores or {}
    # a test's start and finish marks are no attempt at an exercise (the test's answers are its own rows)
    keys = {(t, a.exercise) for t, items in attempts.items() for a in items if a.kind not in MARKS} | set(scores)
    rows = []
    for trainee, exercise in sorted(keys):
        items = [a for a in attempts.get(trainee, []) if a.exercise == exercise and a.kind not in MARKS]
        checks = [a for a in items if a.kind == "check"]
        score, max_score, submitted = scores.get((trainee, exercise), (None, None, ""))
        rows.append(
            ClassRow(
                trainee,
                exercise,
                len(checks),
                sum(a.correct for a in checks),
                sum(a.kind == "hint" for a in items),
                items[-1].created_at[:19] if items else "",
                _slips(items),
                score,
                max_score,
                submitted,
                sum(bool(a.override_reason) for a in checks),
            )
        )
    return rows


def override_reasons(attempts: Mapping[str, list[Attempt]]) -> list[tuple[str, int]]:
    """Why the class confirmed answers past the drug library's soft limit: (reason, how many), most first.

    What a smart-pump review learns from: most soft alerts are overridden, and the reason says whether the
    limit or the practice needs a look.

    >>> from exercises.progress import Attempt
    >>> a = Attempt("1", "t1", "x", 1, "p", "2500 ug/day", False, None, "check", "2026-12-02T10:00:00", "Other: test")
    >>> override_reasons({"t1": [a]})
    [('Other: test', 1)]
    """
    counts = Counter(
        a.override_reason for items in attempts.values() for a in items if a.kind == "check" and a.override_reason
    )
    return counts.most_common()


def common_slips(attempts: Mapping[str, list[Attempt]], n: int = 5) -> list[tuple[str, str, int]]:
    """The class's most frequent slips: (exercise, slip code, how many trainees made it)."""
    seen: Counter = Counter()
    for items in attempts.values():
        for key in {(a.exercise, a.slip) for a in items if a.kind == "check" and not a.correct and a.slip}:
            seen[key] += 1
    return [(ex, slip, k) for (ex, slip), k in seen.most_common(n)]


def gradebook_scores(course_root: str | Path) -> dict[tuple[str, str], tuple[float, float, str]]:
    """(trainee, assignment) → (score, max score, submitted at) from the course's nbgrader gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    db = Path(course_root) / "gradebook.db"
    if not db.exists():
        return {}
    out = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                out[(student.id, assignment.name)] = (
                    float(sub.score),
                    float(sub.max_score),
                    str(sub.timestamp or "")[:19],
                )
    return out


#: What a spreadsheet takes for the start of a formula (OWASP, CSV injection): = + - @, tab and carriage return.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell as it is safe to open in a spreadsheet: text that starts like a formula gets a leading ``'``.

    The OWASP rule for CSV injection: a trainee's name or answer typed as ``=HYPERLINK(…)`` must reach the
    educator's spreadsheet as text, never as a formula.  Numbers are left as they are.

    >>> csv_cell("=HYPERLINK(A1)"), csv_cell("@SUM(A1)"), csv_cell("ana"), csv_cell(-1.5)
    ("'=HYPERLINK(A1)", "'@SUM(A1)", 'ana', -1.5)
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows_csv(rows: Iterable[ClassRow]) -> str:
    """The rows as CSV with a header line (what the class view's download gives); text cells that start like a
    formula are neutralised (:func:`csv_cell`)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180: a CR or LF typed inside a cell is quoted, never a new row
    w.writerow([f.name for f in fields(ClassRow)])
    for r in rows:
        w.writerow([csv_cell(v) for v in astuple(r)])
    return buf.getvalue()


class HubRefused(PermissionError):
    """The hub would not list the class for this user: only the educators' role may."""


def hub_class(
    group: str = "trainees", env: Mapping[str, str] | None = None, timeout: float = 10.0
) -> list[tuple[str, str]]:
    """(name, last activity) of every member of ``group``, asked of JupyterHub with this server's token.

    The token of an educator's server may list the class (``deploy/hub_hooks.server_token_scopes``);
    a trainee's may not, and the hub answers 403 (:class:`HubRefused`).
    """
    import json
    import os
    import urllib.error
    import urllib.request
    from urllib.parse import quote

    env = env if env is not None else os.environ
    api, token = env.get("JUPYTERHUB_API_URL"), env.get("JUPYTERHUB_API_TOKEN")
    if not api or not token:
        raise HubRefused(_("This server is not part of a JupyterHub class: there is no class to list."))

    def get(path: str) -> dict:
        req = urllib.request.Request(f"{api.rstrip('/')}/{path}", headers={"Authorization": f"token {token}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as exc:
            if exc.code in (403, 404):
                raise HubRefused(
                    _("The hub does not let this user list the class: only educators may (JupyterHub role 'educator').")
                ) from exc
            raise

    members = get(f"groups/{quote(group)}").get("users", [])
    out = []
    for name in sorted(members):
        user = get(f"users/{quote(name)}")
        out.append((name, str(user.get("last_activity") or "")[:19]))
    return out
