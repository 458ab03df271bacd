"""Assessment: the pre-/post-test built from the exercises, and the refill mastery checklist's attempts.

For training only, not for treating patients.

**Pre-/post-test.** One form of :data:`TEST_EXERCISES` (one case of each), taken before the session
(``pre``) and after it (``post``).  The two forms ask the same exercises on different cases: a
trainee's case for an exercise is fixed by their name, the form and the exercise
(:func:`form_seed`), so reloading the page gives the same test, and the post-test is not the pre-test
again.  Only the **first** checked answer of each part counts (:func:`test_scores`).  An answer past the
drug library's soft limit is held until the trainee confirms it with a reason: it is saved at once as a
``held`` attempt, which fixes it as the first answer of that part (reloading the page does not clear it), and
it scores as its confirmation (the next check of the same answer) says — not right while unconfirmed.  The
attempts are
saved in the progress store under the exercise ``pre-test:<id>`` / ``post-test:<id>``, so the class
view reads them with every other attempt.

**A test's cases are the test's.**  Starting a form saves a ``start`` mark and showing its score a ``finish``
mark (exercise ``pre-test`` / ``post-test``, :func:`form_state`); the score ends the form, and no answer is
saved after it.  Until a trainee's form is finished its cases are withheld from practice
(:func:`withheld_by`, :class:`CaseWithheld`): the practice app and a recording :func:`exercises.load_exercise`
refuse the trainee's own pre- and post-test cases until each is finished, and the cases of every other
trainee with a test open in the same store (a server without sign-in, where any name can be typed).  The
apps never show a test case's seed (:meth:`exercises.core.Exercise.markdown` with ``seed=False``).

**Refill mastery.** Each scored checklist (:func:`itbcore.assessment.score_refill`) is saved as one
attempt of :data:`MASTERY_EXERCISE` (answer: the score and what was missed; correct: passed), so the
educator sees how many attempts each trainee needed (:func:`mastery_rows`).

>>> form_seed("ana", "pre", "refill_dates") == form_seed("ana", "pre", "refill_dates")
True
>>> form_seed("ana", "pre", "refill_dates") != form_seed("ana", "post", "refill_dates")
True
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from itbcore.errors import InputError, ITBError

from .i18n import _, message
from .progress import MARKS, Attempt

__all__ = [
    "FORMS",
    "TEST_EXERCISES",
    "MASTERY_EXERCISE",
    "form_seed",
    "form_exercise",
    "parts_per_form",
    "first_attempts",
    "test_scores",
    "TestScore",
    "MasteryRow",
    "mastery_rows",
    "CaseWithheld",
    "form_mark",
    "form_state",
    "withheld_by",
    "check_not_withheld",
]

#: The two forms of the test.
FORMS = ("pre", "post")
#: One case of each, covering screening, titration, refill, dilution, PK, overdose and withdrawal.
TEST_EXERCISES = (
    "test_bolus_volume",
    "initial_daily_dose",
    "titration_increase",
    "refill_dates",
    "dilution",
    "csf_half_life",
    "overdose_management",
    "withdrawal_call",
)
#: The progress store's exercise name for the refill checklist.
MASTERY_EXERCISE = "refill-mastery"


def _checked(form: str) -> str:
    if form not in FORMS:
        raise InputError(message("The test form is 'pre' or 'post', not {form}.", form=repr(form)))
    return form


class CaseWithheld(ITBError):
    """A case of a pre- or post-test asked for practice while that test is open (started or not yet finished)."""


def form_mark(form: str) -> str:
    """The progress store's exercise name of the start and finish marks of ``form`` (``"post-test"``)."""
    return f"{_checked(form)}-test"


def form_state(items: Iterable[Attempt], form: str) -> str:
    """``"not started"``, ``"open"`` or ``"finished"``: what the marks among a trainee's ``items`` say of ``form``.

    >>> start = Attempt("1", "ana", "pre-test", 0, "test", "", False, None, "start", "t1")
    >>> form_state([], "pre"), form_state([start], "pre"), form_state([start], "post")
    ('not started', 'open', 'not started')
    >>> form_state([start, Attempt("2", "ana", "pre-test", 0, "test", "", False, None, "finish", "t2")], "pre")
    'finished'
    """
    kinds = {a.kind for a in items if a.exercise == form_mark(form)}
    return "finished" if "finish" in kinds else "open" if "start" in kinds else "not started"


def withheld_by(store: Any, trainee: str | None, exercise: str, seed: int) -> tuple[str, str] | None:
    """``(trainee, form)`` of the test whose case ``(exercise, seed)`` is, while that test is not finished; else None.

    Checked: ``trainee``'s own forms not yet finished (taken or not: their cases are theirs alone), and every
    other trainee's form that is open in ``store`` (started, not finished).  ``store`` may be ``None`` (no store
    could be opened: nothing is known finished).
    """
    if exercise not in TEST_EXERCISES:
        return None
    marks = store.attempts(kinds=MARKS) if store is not None and hasattr(store, "attempts") else []
    key = _name_key
    finished = {(key(a.trainee), a.exercise) for a in marks if a.kind == "finish"}
    candidates = {
        (a.trainee, form) for a in marks for form in FORMS if a.kind == "start" and a.exercise == form_mark(form)
    }
    if trainee and trainee.strip():
        candidates |= {(trainee.strip(), form) for form in FORMS}
    for name, form in sorted(candidates, key=lambda c: (c[0] != (trainee or "").strip(), c)):
        if (key(name), form_mark(form)) not in finished and form_seed(name, form, exercise) == seed:
            return name, form
    return None


def check_not_withheld(store: Any, trainee: str | None, exercise: str, seed: int) -> None:
    """:class:`CaseWithheld`, saying whose test holds it and when it opens, for a case :func:`withheld_by` names."""
    held = withheld_by(store, trainee, exercise, seed)
    if held is None:
        return
    name, form = held
    mine = trainee is not None and _name_key(name) == _name_key(trainee)
    if mine and form == "pre":
        text = _(
            "This case is a question of your pre-test: it opens for practice when you finish your pre-test "
            "(Show my score in the assessment app). Choose another case (New case, or another seed)."
        )
    elif mine:
        text = _(
            "This case is a question of your post-test: it opens for practice when you finish your post-test "
            "(Show my score in the assessment app). Choose another case (New case, or another seed)."
        )
    elif form == "pre":
        text = _(
            "This case is a question of the pre-test of a trainee taking it on this server: it opens for practice "
            "when that test is finished. Choose another case (New case, or another seed)."
        )
    else:
        text = _(
            "This case is a question of the post-test of a trainee taking it on this server: it opens for practice "
            "when that test is finished. Choose another case (New case, or another seed)."
        )
    raise CaseWithheld(text)


def _name_key(name: str) -> str:
    return name.strip().casefold()


def form_exercise(form: str, exercise: str) -> str:
    """The progress store's exercise name of ``exercise`` in ``form`` (``"pre-test:refill_dates"``)."""
    return f"{_checked(form)}-test:{exercise}"


@functools.cache
def parts_per_form() -> int:
    """How many answers one form asks for (every exercise has the same parts whatever its case)."""
    from .core import load_exercise

    return sum(len(load_exercise(i, seed=0, progress=False).parts) for i in TEST_EXERCISES)


def form_seed(trainee: str, form: str, exercise: str) -> int:
    """The case a trainee gets for ``exercise`` in ``form``: stable for them, different between forms."""
    _checked(form)
    return zlib.crc32(f"{trainee.strip().casefold()}\x1f{form}\x1f{exercise}".encode()) % 10_000


@dataclass(frozen=True)
class TestScore:
    """A trainee's score on one form: parts right at the first answer, parts answered, parts in the form."""

    trainee: str
    form: str
    correct: int
    answered: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


def first_attempts(items: Iterable[Attempt], form: str) -> dict[tuple[str, str], Attempt]:
    """(exercise, part) -> the attempt that decides the first answer of that part in ``form``.

    The first check of a part, or, when its first answer was held past a soft limit, the check that
    confirmed that same answer (the held attempt itself while it is unconfirmed).

    >>> held = Attempt("1", "ana", "pre-test:x", 1, "dose", "2500 ug/day", True, None, "held", "t1")
    >>> other = Attempt("2", "ana", "pre-test:x", 1, "dose", "200 ug/day", True, None, "check", "t2")
    >>> confirmed = Attempt("3", "ana", "pre-test:x", 1, "dose", "2500 ug/day", True, None, "check", "t3",
    ...                     "Prescribed dose, checked with the prescriber")
    >>> first_attempts([held, other], "pre")[("pre-test:x", "dose")].kind
    'held'
    >>> first_attempts([held, other, confirmed], "pre")[("pre-test:x", "dose")].uid
    '3'
    """
    prefix = f"{form}-test:"
    first: dict[tuple[str, str], Attempt] = {}
    for a in sorted(items, key=lambda a: a.created_at):
        if not a.exercise.startswith(prefix) or a.kind not in ("check", "held"):
            continue
        key = (a.exercise, a.part)
        decided = first.get(key)
        if decided is None:
            first[key] = a
        elif decided.kind == "held" and a.kind == "check" and a.answer == decided.answer:
            first[key] = a  # the confirmation of the held first answer
    return first


def _first_answers(items: Iterable[Attempt], form: str) -> dict[tuple[str, str], bool]:
    """(exercise, part) -> whether its first answer was right (a held answer: not while unconfirmed)."""
    return {key: a.kind == "check" and a.correct for key, a in first_attempts(items, form).items()}


def test_scores(attempts: Mapping[str, list[Attempt]], parts_per_form: int) -> list[TestScore]:
    """Per trainee and form taken: the first answers that were right, out of ``parts_per_form``."""
    out = []
    for trainee in sorted(attempts):
        for form in FORMS:
            first = _first_answers(attempts[trainee], form)
            if first:
                out.append(TestScore(trainee, form, sum(first.values()), len(first), parts_per_form))
    return out


@dataclass(frozen=True)
class MasteryRow:
    """A trainee's refill-mastery attempts: how many, passed at which attempt (0: not yet), the last score."""

    trainee: str
    attempts: int
    passed_at: int
    last: str
    last_time: str


def mastery_rows(attempts: Mapping[str, list[Attempt]]) -> list[MasteryRow]:
    """One row per trainee who scored the refill checklist at least once."""
    rows = []
    for trainee in sorted(attempts):
        items = sorted(
            (a for a in attempts[trainee] if a.exercise == MASTERY_EXERCISE and a.kind == "check"),
            key=lambda a: a.created_at,
        )
        if not items:
            continue
        passed_at = next((i + 1 for i, a in enumerate(items) if a.correct), 0)
        rows.append(MasteryRow(trainee, len(items), passed_at, items[-1].answer, items[-1].created_at[:19]))
    return rows
