"""Exercises: a registry of builders, seeded variants, and the object a trainee works with.

For training only, not for treating patients.

An exercise is a builder function registered with :func:`exercise`.  It receives a
:class:`Draw` (a seeded random source plus the case library) and returns a
:class:`Variant`: the patient, the situation, the story, the given values and the
parts to answer, with every expected answer computed through :mod:`itbcore`.
The same seed always gives the same variant (the random source is seeded with the
exercise id and the seed, never with Python's per-process hash).

>>> ex = load_exercise("test_bolus_volume", seed=7)
>>> ex.id, ex.seed
('test_bolus_volume', 7)
>>> ex.check(ex.solution()).correct
True
>>> ex.check(1).status
'invalid'

**Solutions are for educators.**  :meth:`Exercise.solution` and :meth:`Exercise.answer_key` answer only where
the answer key lies beside the package (``exercises/solutions/ANSWER_KEY.md``: a checkout, an educator's
copy).  A trainee's install leaves the solutions out of the package (``pyproject.toml``), so there they refuse
with :class:`SolutionsWithheld`; the checker itself (:meth:`Exercise.check`) works everywhere.  In the
trainee's own kernel the checker must know the answer to check it, so a trainee who reads its internals or
works the case through :mod:`itbcore` gets it — that is the calculator they are learning; what is withheld
is the answer key, the worked solutions and, in the apps, which case is whose test (docs/EXERCISES.md).
"""

from __future__ import annotations

import hashlib
import html
import importlib
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itbcore.errors import InputError, ITBError
from itbcore.sources import DEFAULT_LABEL
from itbcore.units import as_quantity, fmt

from .cases import CaseLibrary, PatientCase, Situation, load_library
from .checking import CheckResult, ChoicePart, OrderPart, Part
from .i18n import N_, _, message
from .identity import Identity, grading

__all__ = [
    "TRAINING_NOTICE",
    "Draw",
    "Variant",
    "Exercise",
    "ExerciseDef",
    "exercise",
    "load_exercise",
    "list_exercises",
    "default_library",
    "EXERCISES",
    "SOLUTIONS",
    "SolutionsWithheld",
    "solutions_available",
]

TRAINING_NOTICE = N_("For training only — not for treating patients.")

#: Registered exercises by id (filled when :mod:`exercises.catalogue` is imported).
EXERCISES: dict[str, ExerciseDef] = {}

#: Where the worked solutions and the answer key lie in a checkout (``python -m exercises.generate``).  A
#: trainee's install has no such folder: the package leaves it out (``pyproject.toml``), and on a class hub
#: the package's folder is root's, so a trainee cannot add one beside it.
SOLUTIONS = Path(__file__).resolve().parent / "solutions"


class SolutionsWithheld(ITBError):
    """:meth:`Exercise.solution` or :meth:`Exercise.answer_key` asked where no answer key is: a trainee's install."""


def solutions_available() -> bool:
    """True where the answer key lies beside the package (a checkout, an educator's copy), False in a trainee's
    install (``deploy/class_setup.py`` installs the package without its solutions)."""
    return (SOLUTIONS / "ANSWER_KEY.md").is_file()


def _require_solutions(what: str) -> None:
    if not solutions_available():
        raise SolutionsWithheld(
            message(
                "{what} is for educators: this install holds no answer key (the solutions are left out of a "
                "trainee's install), so it gives no answer. Work the case through itbcore and check your answer "
                "with ex.check(answer); educators find the worked solutions in a checkout or their course folder.",
                what=what,
            )
        )


@dataclass(frozen=True)
class ExerciseDef:
    """A registered exercise: id, title, one-line summary and its builder.

    ``title`` and ``summary`` are the English msgids (marked ``N_`` where they are registered): translate
    them where they are shown, with ``_()``.
    """

    id: str
    title: str
    summary: str
    build: Callable[[Draw], Variant]


def exercise(ident: str, title: str, summary: str) -> Callable:
    """Register a builder ``build(draw) -> Variant`` under ``ident``."""

    def register(build: Callable[[Draw], Variant]) -> Callable[[Draw], Variant]:
        if ident in EXERCISES and EXERCISES[ident].build is not build:
            raise ValueError(f"Exercise id {ident!r} is registered twice.")
        EXERCISES[ident] = ExerciseDef(ident, title, summary, build)
        return build

    return register


class Draw:
    """The seeded random source a builder draws its case from."""

    def __init__(self, rng: random.Random, library: CaseLibrary) -> None:
        self.rng = rng
        self.library = library

    def patient(self, **filters: Any) -> PatientCase:
        """A patient of the library matching ``filters`` (see :meth:`CaseLibrary.find_patients`), by id."""
        return self.by_id(self.library.find_patients(**filters))

    def situation(self, kind: str) -> Situation:
        return self.by_id(self.library.find_situations(kind))

    def by_id(self, cases: list[Any]) -> Any:
        """One of ``cases`` chosen by its id, not its position: a seed keeps its case when the library grows.

        Rendezvous hashing: the draw takes one salt from the seeded stream (the same whatever the library
        holds) and picks the case whose ``sha256(salt, id)`` is smallest.  A case added later takes over only
        the draws it wins — about one in (cases + 1) — and every other draw keeps the case it had; a case
        removed hands its draws to the others, leaving the rest alone.
        """
        if not cases:
            raise IndexError("no case in the library matches")
        salt = self.rng.getrandbits(64)
        return min(cases, key=lambda c: hashlib.sha256(f"{salt}:{c.id}".encode()).digest())

    def situation_by_id(self, ident: str) -> Situation:
        return self.library.situation(ident)

    def quantity(self, situation: Situation, name: str, unit: str) -> Any:
        """One of the situation's ``choices[name]``, read as a Quantity in ``unit``."""
        return as_quantity(self.rng.choice(situation.choices[name]), unit, name)

    def choice(self, values: Any) -> Any:
        return self.rng.choice(list(values))

    def shuffled(self, values: Any) -> list:
        out = list(values)
        self.rng.shuffle(out)
        return out


@dataclass(frozen=True)
class Variant:
    """What a builder returns: one concrete case with its parts."""

    patient: PatientCase | None
    situation: Situation | None
    story: str
    given: dict[str, Any]
    parts: tuple[Part, ...]
    label: str = DEFAULT_LABEL


@dataclass
class Exercise:
    """One exercise variant as the trainee sees it: ``show()``, ``hint()``, ``check(answer)``."""

    definition: ExerciseDef
    seed: int
    variant: Variant
    trainee: str | None = None
    progress: Any = None
    #: True when ``trainee`` is the JupyterHub user who signed in, False for a typed name.
    signed_in: bool = False
    _hints_shown: dict[str, int] = field(default_factory=dict)

    # -- what the trainee reads -------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def title(self) -> str:
        """The exercise's title in the locale in force."""
        return _(self.definition.title)

    @property
    def given(self) -> dict[str, Any]:
        """The values of the case (Quantities), for working in code."""
        return dict(self.variant.given)

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.variant.parts

    def part(self, part: str | None = None) -> Part:
        if part is None:
            return self.parts[0]
        for p in self.parts:
            if p.id == part:
                return p
        raise InputError(
            message(
                "Exercise {exercise} has no part {part}; parts: {parts}.",
                exercise=repr(self.id),
                part=repr(part),
                parts=", ".join(p.id for p in self.parts),
            )
        )

    def markdown(self, *, seed: bool = True) -> str:
        """The case and its parts in Markdown; ``seed=False`` leaves the seed out (a test's case, whose seed
        would open it in the practice app)."""
        v = self.variant
        which = (
            message("Exercise `{exercise}`, seed {seed}.", exercise=self.id, seed=str(self.seed))
            if seed
            else message("Exercise `{exercise}`.", exercise=self.id)
        )
        lines = [f"### {self.title}", f"*{_(TRAINING_NOTICE)}*  {which}", ""]
        if self.trainee:
            who = Identity(self.trainee, self.signed_in).label()
            lines += [message("Working as **{trainee}**.", trainee=who), ""]
        if v.situation is not None:
            # the case library's own texts (exercises/cases), in the catalogue through exercises._extract
            lines += [f"**{_(v.situation.title)}.** {_(v.situation.setting)}", ""]
        if v.patient is not None:
            lines += [message("**Patient:** {patient}", patient=v.patient.describe()), ""]
        lines += [v.story, ""]
        for p in v.parts:
            lines.append(f"- **{p.id}**: {p.prompt}")
            if isinstance(p, ChoicePart) and p.options:
                lines += [f"    - {k}) {t}" for k, t in p.options.items()]
            if isinstance(p, OrderPart) and p.items:
                lines += [f"    - {k}) {t}" for k, t in p.items.items()]
            answer = message("Answer {hint}.", hint=p.answer_hint())
            lines.append(f"    - *{answer}*")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def show(self) -> None:
        """Display the case (rendered Markdown in Jupyter, plain text elsewhere)."""
        try:
            from IPython.display import Markdown, display
        except ImportError:  # pragma: no cover - IPython ships with Jupyter
            print(self.markdown())
            return
        display(Markdown(self.markdown()))

    # -- hints, checks, solutions ---------------------------------------------------------
    def hint(self, part: str | None = None) -> str:
        """The next hint for ``part`` (each call reveals one more)."""
        p = self.part(part)
        if not p.hints:
            return _("No hint for this part: read the rule in its source.")
        n = self._hints_shown.get(p.id, 0)
        text = p.hints[min(n, len(p.hints) - 1)]
        self._hints_shown[p.id] = n + 1
        if self.progress is not None and self.trainee:
            self.progress.record_hint(self.trainee, self.id, self.seed, p.id)
        return message(
            "Hint {number}/{count}: {hint}", number=min(n, len(p.hints) - 1) + 1, count=len(p.hints), hint=text
        )

    def check(self, answer: Any, part: str | None = None, *, override_reason: str | None = None) -> CheckResult:
        """Check an answer; returns a :class:`CheckResult` and never raises for bad input.

        ``override_reason`` is why an answer past the drug library's soft limit is confirmed, as
        :func:`itbcore.library.override_reason` words it; the result shows it and the progress store saves it.
        """
        if part is None and len(self.parts) > 1:
            names = ", ".join(repr(p.id) for p in self.parts)
            return CheckResult(
                self.id,
                "",
                "invalid",
                message(
                    "this exercise has several parts ({names}); say which one, e.g. ex.check(answer, part={first}).",
                    names=names,
                    first=repr(self.parts[0].id),
                ),
            )
        try:
            p = self.part(part)
        except InputError as exc:
            return CheckResult(self.id, str(part), "invalid", str(exc))
        result = p.check(answer, exercise=self.id, label=self.variant.label, override_reason=override_reason)
        if self.progress is not None and self.trainee and result.status in ("correct", "wrong"):
            self.progress.record(self.trainee, self.id, self.seed, p.id, result)
        if grading() and not result.correct:
            # nbgrader gives a check cell its points only if it runs without error
            raise NotYetCorrect(result)
        return result

    def soft_limit(self, answer: Any, part: str | None = None) -> str:
        """The drug library's soft-limit message when ``answer`` lies past the soft range of the part's limit,
        else ``""``: the practice and assessment apps hold such an answer until it is confirmed with a reason.

        >>> ex = load_exercise("initial_daily_dose", seed=0)
        >>> ex.soft_limit("2500 ug/day")[:57]
        'The daily dose (continuous infusion) 2500 µg/day is above'
        >>> ex.soft_limit("200 ug/day"), ex.soft_limit("lots")
        ('', '')
        """
        try:
            p = self.part(part)
        except InputError:
            return ""
        return p.soft_warning(answer, self.variant.label)

    def solution(self, part: str | None = None) -> Any:
        """The expected answer of ``part``, for educators: :class:`SolutionsWithheld` in a trainee's install
        (where :func:`solutions_available` is False)."""
        _require_solutions("Exercise.solution()")
        return self.part(part).expected

    def answer_key(self) -> str:
        """Markdown lines with every part's answer, rule and source, for educators (:class:`SolutionsWithheld`
        in a trainee's install)."""
        _require_solutions("Exercise.answer_key()")
        out = []
        for p in self.parts:
            value = p.expected_text()
            out.append(f"- `{p.id}`: **{value}** — {p.rule} ({p.source})")
        return "\n".join(out)

    def _repr_html_(self) -> str:  # pragma: no cover - Jupyter prefers markdown
        return f"<pre>{html.escape(self.markdown())}</pre>"


class NotYetCorrect(AssertionError):
    """A check that is not correct while nbgrader grades: the check cell fails, so it scores no points.

    Shown as the check's own feedback, never as a stack of frames.
    """

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.text())
        self.result = result

    def _render_traceback_(self) -> list[str]:  # IPython shows these lines instead of a traceback
        return self.result.text().splitlines()


_catalogue_loaded = False


def _load_catalogue() -> None:
    global _catalogue_loaded
    if _catalogue_loaded:
        return
    from . import catalogue

    for mod in pkgutil.iter_modules(catalogue.__path__):
        importlib.import_module(f"{catalogue.__name__}.{mod.name}")
    _catalogue_loaded = True


def list_exercises() -> list[ExerciseDef]:
    """Every registered exercise, sorted by id."""
    _load_catalogue()
    return [EXERCISES[k] for k in sorted(EXERCISES)]


_library: CaseLibrary | None = None


def default_library() -> CaseLibrary:
    """The packaged case library, loaded once (a bad file in it is skipped and named in ``.problems``)."""
    return _default_library()


def _default_library() -> CaseLibrary:
    global _library
    if _library is None:
        _library = load_library()
    return _library


def load_exercise(
    ident: str, seed: int = 0, *, trainee: str | None = None, progress: Any = None, library: CaseLibrary | None = None
) -> Exercise:
    """The variant of exercise ``ident`` for ``seed`` (same seed → same case).

    With ``trainee`` and ``progress`` (a :class:`exercises.progress.ProgressStore`, or ``True`` for
    the default store) every checked answer is recorded; a case of that trainee's pre- or post-test is then
    refused (:class:`exercises.assessment.CaseWithheld`) until the test is finished.
    """
    _load_catalogue()
    if ident not in EXERCISES:
        raise InputError(
            message("No exercise {exercise}; known: {known}.", exercise=repr(ident), known=", ".join(sorted(EXERCISES)))
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(message("The seed must be a whole number 0 or more, not {seed}.", seed=repr(seed)))
    definition = EXERCISES[ident]
    rng = random.Random(f"itb-exercise:{ident}:{seed}")
    variant = definition.build(Draw(rng, library or _default_library()))
    who = Identity.of(trainee)  # under JupyterHub: the signed-in user, whatever was typed
    if who.name and not who.signed_in:
        from .progress import check_trainee_name

        check_trainee_name(who.name)  # InputError past the store's longest name, before anything is saved
    if grading() or progress is False:
        progress = None  # an educator's autograde run is nobody's attempt
    elif progress is True or (progress is None and who.signed_in):
        from .progress import ProgressStore

        progress = ProgressStore() if who.name else None
    if progress is not None and who.name:
        from .assessment import check_not_withheld

        check_not_withheld(progress, who.name, ident, seed)  # CaseWithheld: a case of a test still open
    return Exercise(definition, seed, variant, trainee=who.name, progress=progress, signed_in=who.signed_in)


def _fmt(q: Any, unit: str | None = None) -> str:
    """Format helper for builders' stories."""
    return fmt(q, unit)
