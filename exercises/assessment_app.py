"""The assessment app: refill mastery checklist, pre-test and post-test, saved per trainee.

For training only, not for treating patients.  Used by ``exercises/assessment.ipynb`` (Voilà or
JupyterLab).  The rules are in :mod:`itbcore.assessment` (the checklist and its pass standard) and
:mod:`exercises.assessment` (the test forms and their scores); this module only lays them out.
Each tab is a panel: its buttons run through :func:`widgets.app.safe_run` into its status line; a trainee
never sees exception text.  The refill checklist is scored on the set of steps ticked
(:func:`itbcore.assessment.score_refill`: order is not scored, so the app does not ask for one), its feedback
names the steps by their texts (never their codes), and an attempt is scored only for a named trainee.

In the pre- and post-test only the first answer of a part counts.  An answer past the drug library's soft
limit is part of that rule, not a way round it: Save answer locks it and saves it at once as held (it is the
first answer, and a reloaded page shows it again, still held); the trainee completes it with a reason and
Confirm, and the confirmed answer is saved with its reason.  A started test shows the answers saved earlier.

A test's cases are its own: the questions never show their seed, and starting a form saves its start mark,
so the practice app refuses its cases until the trainee asks for the score, which finishes the form (its
finish mark; every answer is then locked, on this page and a reloaded one).
"""

from __future__ import annotations

import contextlib
import html
from typing import Any

import ipywidgets as W
import traitlets

from itbcore import assessment as core
from itbcore.errors import InputError
from itbcore.i18n import gettext as core_gettext
from widgets.app import Status, chrome, page_heading, safe_run
from widgets.findings import cite
from widgets.page import PrintButton, use_page_locale

from . import assessment as forms
from .app import (
    HOME,
    OverrideQuestion,
    _markdown_html,
    answer_widgets,
    feedback_html,
    open_store,
    page_language,
    trainee_field,
)
from .core import TRAINING_NOTICE, Exercise, load_exercise
from .i18n import N_, _, message, ngettext
from .identity import Identity
from .progress import Attempt, check_trainee_name

__all__ = ["AssessmentApp"]

ASSESSMENT_TITLE = N_("ITB assessment")
ASSESSMENT_INTRO = N_(
    "Three parts, each saved under your name for your educator: the **refill procedure** as a mastery checklist "
    "(tick the steps you would take, score the attempt, repeat until it meets the standard), a **pre-test** "
    "before the session and a **post-test** after it (the same exercises on other cases; your first answer "
    "counts).\n\n[Practice](practice.ipynb)"
)


def _esc(text: Any) -> str:
    return html.escape(str(text))


class _Guarded:
    """A panel of the assessment app: its actions run through the suite's one safe-run into its status."""

    status: Status
    problems: list[str]

    def _guard(self, fn: Any) -> Any:
        def run(*_args: Any) -> None:
            safe_run(fn, self.status, problems=self.problems)

        return run


def mastery_message(r: core.MasteryResult) -> str:
    """The scored attempt in words (the core's message names the steps by their codes; the lists below it in
    the app give each step's text)."""
    if r.passed:
        if r.missed:
            return message(
                "Mastery standard met: {score} of {total} steps, every critical step, no unsafe action "
                "({missed} missed, listed below).",
                score=r.score,
                total=r.total,
                missed=_count(len(r.missed), ngettext("{count} other step", "{count} other steps", len(r.missed))),
            )
        return message(
            "Mastery standard met: {score} of {total} steps, every critical step, no unsafe action.",
            score=r.score,
            total=r.total,
        )
    why = []
    if r.unsafe:
        n = len(r.unsafe)
        why.append(_count(n, ngettext("{count} unsafe action chosen", "{count} unsafe actions chosen", n)))
    if r.missed_critical:
        n = len(r.missed_critical)
        why.append(_count(n, ngettext("{count} critical step missed", "{count} critical steps missed", n)))
    other = len(r.missed) - len(r.missed_critical)
    at_most = core.MASTERY_STANDARD.other_missed_at_most
    if other > at_most:
        why.append(
            _count(
                other,
                ngettext(
                    "{count} other step missed (at most {at_most})",
                    "{count} other steps missed (at most {at_most})",
                    other,
                ),
                at_most=at_most,
            )
        )
    return message(
        "Not yet: {score} of {total} steps; {reasons} (listed below). Practise and try again.",
        score=r.score,
        total=r.total,
        reasons="; ".join(why),
    )


def _count(n: int, template: str, **params: Any) -> str:
    """An ``ngettext`` template (already chosen for ``n``) filled with ``count=n`` and ``params``."""
    return template.format(count=n, **params)


def readable_last(last: str) -> str:
    """A saved checklist answer ("11/13; unsafe: code, …; missed: code") with the steps' texts for its codes."""
    out = []
    for piece in str(last).split("; "):
        head, sep, codes = piece.partition(": ")
        if sep and head in ("unsafe", "missed"):
            texts = []
            for c in codes.split(", "):
                try:
                    texts.append(core_gettext(core.step(c).text))
                except InputError:
                    texts.append(c)
            out.append(f"{head}: " + " | ".join(texts))
        else:
            out.append(piece)
    return "; ".join(out)


class MasteryView(_Guarded, W.VBox):
    """The refill checklist: tick what you would do, score the attempt, repeat until the standard is met."""

    def __init__(self, app: AssessmentApp) -> None:
        self.app, self.problems = app, app.problems
        self.status = Status()
        std = core.MASTERY_STANDARD
        intro = W.HTML(
            "<p>"
            + message(
                "A refill: tick <b>every step you would take</b> and nothing you would not — some of the "
                "actions below must never be taken. The attempt passes at the mastery standard: <b>every critical "
                "step, at most {at_most} other step missed, no unsafe action</b>. Repeat until it "
                "passes; every attempt is saved for your educator {source}.",
                at_most=std.other_missed_at_most,
                source=cite(core.MASTERY_SOURCE),
            )
            + "</p>"
        )
        self.boxes = W.VBox()
        self.score_button = W.Button(description=_("Score this attempt"), button_style="primary", icon="check")
        self.score_button.add_class("itb-field-score-mastery")
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.history = W.HTML()
        self.score_button.on_click(self._guard(self.score))
        super().__init__([intro, self.boxes, self.score_button, self.status, self.result, self.history])
        self.attempt = 0
        self.deal()

    def deal(self) -> None:
        """A fresh, reshuffled checklist for the next attempt."""
        self.checks: dict[str, W.Checkbox] = {}
        for item in core.refill_options(seed=self.attempt):
            cb = W.Checkbox(
                value=False, description=core_gettext(item.text), indent=False, layout=W.Layout(width="100%")
            )
            cb.add_class("itb-field")
            cb.add_class(f"itb-field-step-{item.code.replace('_', '-')}")
            self.checks[item.code] = cb
        old, self.boxes.children = self.boxes.children, list(self.checks.values())
        for w in old:
            w.close()

    def score(self) -> None:
        if self.app.store is not None and not self.app.name():
            # an attempt is scored for a named trainee only: one scored before would not be saved nor count
            raise InputError(_("Enter your name above first: the attempt is scored and saved under it."))
        chosen = [code for code, cb in self.checks.items() if cb.value]
        r = core.score_refill(chosen)
        self.status.clear()
        self.attempt += 1
        missed = "".join(
            f"<li>{'<b>' + _('critical') + '</b>: ' if core.step(c).critical else ''}"
            f"{_esc(core_gettext(core.step(c).text))} "
            f"{cite(core.step(c).source)}</li>"
            for c in r.missed
        )
        harms = "".join(
            f"<li><b>{_esc(core_gettext(core.step(c).text))}</b> — {_esc(core_gettext(core.step(c).harm))} "
            f"{cite(core.step(c).source)}</li>"
            for c in r.unsafe
        )
        cls = "itb-callout" if r.passed else "itb-callout itb-callout-stop"
        self.result.value = (
            f"<div class='{cls}'>"
            + message("<b>Attempt {number}:</b> {result}", number=self.attempt, result=_esc(mastery_message(r)))
            + "</div>"
            + (f"<p>{_('Unsafe actions chosen:')}</p><ul>{harms}</ul>" if harms else "")
            + (f"<p>{_('Steps missed:')}</p><ul>{missed}</ul>" if missed else "")
        )
        self.app.save(
            forms.MASTERY_EXERCISE,
            self.attempt,
            "checklist",
            f"{r.score}/{r.total}"
            + (f"; unsafe: {', '.join(r.unsafe)}" if r.unsafe else "")
            + (f"; missed: {', '.join(r.missed)}" if r.missed else ""),
            r.passed,
            (r.unsafe or r.missed_critical or (None,))[0],
        )
        self.last = r
        self.deal()
        self.app.refresh_history()


class _TestPart(W.VBox):
    """One part of a test question: answer once; the feedback waits for the score.

    An answer past a soft limit is held (locked, saved as held) until it is confirmed with a reason.
    """

    def __init__(self, view: TestView, ex: Exercise, part: Any) -> None:
        self.view, self.ex, self.part = view, ex, part
        prompt, self.input = answer_widgets(part)
        self.save_button = W.Button(description=_("Save answer"), icon="save")
        self.saved = W.HTML()
        self.result: Any = None
        #: The first answer, held past a soft limit until it is confirmed with a reason, or ``None``.
        self.held: str | None = None
        self.save_button.on_click(view._guard(self.save))
        self.override = OverrideQuestion(lambda reason: view._guard(lambda: self.confirm(reason))())
        super().__init__([prompt, W.HBox([self.input, self.save_button]), self.override, self.saved])
        self.add_class("itb-test-part")
        self.add_class("itb-part")  # a11y.js names its radio group after its prompt, as in the practice app

    def _part_arg(self) -> str | None:
        return self.part.id if len(self.ex.parts) > 1 else None

    def _store_name(self) -> str:
        return forms.form_exercise(self.view.form, self.ex.id)

    def save(self) -> None:
        if self.result is not None or self.held is not None or self.view.finished:
            return
        answer = str(self.input.value)
        result = self.ex.check(self.input.value, part=self._part_arg())
        if result.status not in ("correct", "wrong"):  # unreadable: say so, nothing is saved
            self.saved.value = f"<span class='itb-callout'>{_esc(result.message)}</span>"
            return
        warning = self.ex.soft_limit(self.input.value, part=self._part_arg())
        if warning:
            # the first answer, past a soft limit: saved now as held, so neither Confirm nor a reload changes it
            self.view.app.save(
                self._store_name(), self.ex.seed, self.part.id, answer, result.correct, result.slip, kind="held"
            )
            self._hold(answer, warning)
            return
        self.view.app.save(self._store_name(), self.ex.seed, self.part.id, answer, result.correct, result.slip)
        self._keep(result, f"<i>{_('Answer saved; the feedback comes with your score.')}</i>")

    def confirm(self, reason: str) -> None:
        """Complete the held first answer with the reason it was confirmed past the soft limit, and save it."""
        if self.held is None or self.view.finished:
            return
        answer = self.held
        result = self.ex.check(answer, part=self._part_arg(), override_reason=reason)
        if result.status not in ("correct", "wrong"):  # the library in force changed under the held answer
            self.saved.value = f"<span class='itb-callout'>{_esc(result.message)}</span>"
            return
        self.view.app.save(
            self._store_name(),
            self.ex.seed,
            self.part.id,
            answer,
            result.correct,
            result.slip,
            override_reason=result.override_reason or reason,
        )
        self.held = None
        self.override.done()
        note = _("Answer saved with the reason you confirmed it; the feedback comes with your score.")
        self._keep(result, f"<i>{note}</i>")

    def restore(self, attempt: Attempt) -> None:
        """Show the first answer saved earlier for this part (locked; held again if it waits for its reason)."""
        self._show_answer(attempt.answer)
        if attempt.kind == "held":
            warning = self.ex.soft_limit(attempt.answer, part=self._part_arg()) or (
                message(
                    "The answer {answer} was held past a soft limit: confirm it is what is meant.",
                    answer=attempt.answer,
                )
            )
            self._hold(attempt.answer, warning)
            return
        result = self.ex.check(attempt.answer, part=self._part_arg(), override_reason=attempt.override_reason)
        self._keep(result, f"<i>{_('Answer saved earlier; the feedback comes with your score.')}</i>")

    def _show_answer(self, answer: str) -> None:
        with contextlib.suppress(traitlets.TraitError):  # an option no longer offered: the saved answer counts
            self.input.value = answer

    def _hold(self, answer: str, warning: str) -> None:
        self.held = answer
        self.input.disabled = self.save_button.disabled = True
        self.override.ask(warning)
        note = _(
            "This is your first answer to this part and it cannot be changed; it is saved, "
            "waiting for your reason. Choose why it is meant and press Confirm."
        )
        self.saved.value = f"<i>{note}</i>"
        self.view.progress()

    def lock(self) -> None:
        """The test is finished: nothing more is saved for this part (a held answer stays unconfirmed)."""
        self.input.disabled = self.save_button.disabled = True
        if self.held is not None:
            self.override.done()
            note = _("Held past a soft limit and not confirmed before the score: it counts as not right.")
            self.saved.value = f"<i>{note}</i>"
        elif self.result is None:
            self.saved.value = f"<i>{_('Not answered before the score.')}</i>"

    def _keep(self, result: Any, note: str) -> None:
        self.result = result
        self.input.disabled = self.save_button.disabled = True
        self.saved.value = note
        self.view.progress()


class TestView(_Guarded, W.VBox):
    """One form of the pre-/post-test: the trainee's cases, one answer per part, then the score."""

    def __init__(self, app: AssessmentApp, form: str) -> None:
        self.app, self.form, self.problems = app, form, app.problems
        self.status = Status()
        lead = (
            message(
                "The pre-test, taken before the session: one case of each of {count} exercises, chosen for your "
                "name (the other test asks the same exercises on other cases). Only your first answer to each part "
                "counts; no hints. The feedback and your score come when you ask for them, and asking ends the "
                "test: a part not answered by then stays unanswered. Until then the practice app does not open "
                "this test's cases.",
                count=len(forms.TEST_EXERCISES),
            )
            if form == "pre"
            else message(
                "The post-test, taken after the session: one case of each of {count} exercises, chosen for your "
                "name (the other test asks the same exercises on other cases). Only your first answer to each part "
                "counts; no hints. The feedback and your score come when you ask for them, and asking ends the "
                "test: a part not answered by then stays unanswered. Until then the practice app does not open "
                "this test's cases.",
                count=len(forms.TEST_EXERCISES),
            )
        )
        intro = W.HTML(f"<p>{lead}</p>")
        start = _("Start the pre-test") if form == "pre" else _("Start the post-test")
        self.start_button = W.Button(description=start, button_style="primary", icon="play")
        self.start_button.add_class(f"itb-field-start-{form}")
        self.questions = W.VBox()
        self.count = W.HTML()
        self.score_button = W.Button(description=_("Show my score"), icon="flag-checkered", disabled=True)
        self.score_button.add_class(f"itb-field-score-{form}")
        self.score = W.HTML()
        self.score.add_class("itb-result")
        self.parts: list[_TestPart] = []
        #: True once the score was shown (now or before a reload): every answer is locked.
        self.finished = False
        self.start_button.on_click(self._guard(self.start))
        self.score_button.on_click(self._guard(self.show_score))
        super().__init__(
            [intro, self.start_button, self.status, self.questions, self.count, self.score_button, self.score]
        )

    def start(self) -> None:
        name = self.app.name()
        if not name:
            raise InputError(_("Enter your name above first: the test is saved under it."))
        blocks: list[W.Widget] = []
        self.parts = []
        mine = self.app.attempts()
        earlier = forms.first_attempts(mine, self.form)  # a reloaded page: the first answers stay
        state = forms.form_state(mine, self.form)
        if state == "not started":
            self.app.mark(self.form, "start")  # its cases are closed to practice from now until the score
        for i, ident in enumerate(forms.TEST_EXERCISES, 1):
            ex = load_exercise(ident, seed=forms.form_seed(name, self.form, ident), progress=False)
            # the case without its seed: the seed would open it in the practice app
            case = W.HTML(
                "<h2>"
                + message("Question {number}: {title}", number=i, title=_esc(ex.title))
                + "</h2>"
                + _markdown_html(ex.markdown(seed=False).split("\n- **")[0].split("\n", 1)[-1])
            )
            parts = [_TestPart(self, ex, p) for p in ex.parts]
            for p in parts:
                first = earlier.get((forms.form_exercise(self.form, ident), p.part.id))
                if first is not None and first.seed == ex.seed:
                    p.restore(first)
            self.parts += parts
            blocks.append(W.VBox([case, *parts]))
        self.questions.children = blocks
        self.start_button.disabled = True
        if state == "finished":
            self._finish()
        else:
            self.score_button.disabled = False
        self.progress()

    def progress(self) -> None:
        done = sum(p.result is not None for p in self.parts)
        held = sum(p.held is not None for p in self.parts)
        saved = message("{done} of {count} answers saved.", done=done, count=len(self.parts))
        wait = " " + message("{held} held past a soft limit, waiting for your reason.", held=held) if held else ""
        self.count.value = f"<p>{saved}{wait}</p>"

    def show_score(self) -> None:
        """Finish the test (its finish mark: every answer locked, its cases open to practice) and score it."""
        if not self.finished:
            self.app.mark(self.form, "finish")
        self._finish()

    def _finish(self) -> None:
        self.finished = True
        self.score_button.disabled = True
        for p in self.parts:
            p.lock()
        right = sum(bool(p.result and p.result.correct) for p in self.parts)
        answered = sum(p.result is not None for p in self.parts)
        score = (
            message(
                "<b>Pre-test: {right} of {count} right</b> ({answered} answered). The test is finished; its "
                "cases are open for practice.",
                right=right,
                count=len(self.parts),
                answered=answered,
            )
            if self.form == "pre"
            else message(
                "<b>Post-test: {right} of {count} right</b> ({answered} answered). The test is finished; its "
                "cases are open for practice.",
                right=right,
                count=len(self.parts),
                answered=answered,
            )
        )
        self.score.value = f"<div class='itb-callout'>{score}</div>"
        for p in self.parts:
            if p.result is not None:
                p.saved.value = feedback_html(p.result)


class AssessmentApp(_Guarded, W.VBox):
    """Refill mastery, pre-test and post-test for one trainee, saved in the progress store."""

    title = N_("ITB assessment")

    def __init__(self, progress_path: Any = None) -> None:
        self.problems: list[str] = []
        self.status = Status()
        self.store_status = W.HTML()
        use_page_locale()
        self.store, self.store_status.value = open_store(progress_path)
        page_language(self.store)  # before any text: the trainee's language
        self.trainee = trainee_field()
        self.mastery = MasteryView(self)
        self.pre = TestView(self, "pre")
        self.post = TestView(self, "post")
        self.tabs = W.Tab(children=[self.mastery, self.pre, self.post])
        for i, name in enumerate((_("Refill mastery"), _("Pre-test"), _("Post-test"))):
            self.tabs.set_title(i, name)
        self.history = W.HTML()
        self.trainee.observe(lambda _c: self._guard(self.refresh_history)(), names="value")
        super().__init__(
            [
                *chrome(
                    PrintButton(),
                    notice=_(TRAINING_NOTICE),
                    intro=page_heading(_(ASSESSMENT_TITLE), _(ASSESSMENT_INTRO), home=HOME),
                ),
                self.trainee,
                self.store_status,
                self.status,
                self.tabs,
                W.HTML(f"<h2>{_('Your attempts')}</h2>"),
                self.history,
            ]
        )
        self.add_class("itb-app")
        self.refresh_history()

    def name(self) -> str:
        """The signed-in user on a class hub (JUPYTERHUB_USER, never the field: the page may send anything),
        else the typed name, stripped ("" when none); :class:`InputError` past the store's longest name."""
        name = (Identity.of(self.trainee.value).name or "").strip()
        return check_trainee_name(name) if name else ""

    def save(
        self,
        exercise: str,
        seed: int,
        part: str,
        answer: str,
        correct: bool,
        slip: str | None,
        *,
        kind: str = "check",
        override_reason: str | None = None,
    ) -> None:
        if self.store is None:
            return
        if not self.name():
            self.status.show(_("Enter your name above to save your attempts."), "info")
            return
        self.store.add(
            self.name(), exercise, seed, part, answer, correct, slip, kind=kind, override_reason=override_reason
        )

    def mark(self, form: str, kind: str) -> None:
        """Save that ``form`` of the test was started or finished (:data:`exercises.progress.MARKS`)."""
        self.save(forms.form_mark(form), 0, "test", "", False, None, kind=kind)

    def attempts(self) -> list[Attempt]:
        """The trainee's saved attempts (none without a store or a name)."""
        if self.store is None or not self.name():
            return []
        return self.store.attempts(self.name())

    def refresh_history(self) -> None:
        if self.store is None or not self.name():
            self.history.value = f"<i>{_('Enter your name to see your saved attempts.')}</i>"
            return
        mine = {self.name(): self.store.attempts(self.name())}
        rows = forms.mastery_rows(mine)
        scores = forms.test_scores(mine, forms.parts_per_form())
        out = []
        for r in rows:
            state = message("passed at attempt {number}", number=r.passed_at) if r.passed_at else _("not yet passed")
            line = message(
                "Refill mastery: {attempts} attempt(s), {state}; last {last}",
                attempts=r.attempts,
                state=state,
                last=_esc(readable_last(r.last)),
            )
            out.append(f"<li>{line}</li>")
        for s in scores:
            line = (
                message(
                    "Pre-test: {correct} of {total} right ({answered} answered)",
                    correct=s.correct,
                    total=s.total,
                    answered=s.answered,
                )
                if s.form == "pre"
                else message(
                    "Post-test: {correct} of {total} right ({answered} answered)",
                    correct=s.correct,
                    total=s.total,
                    answered=s.answered,
                )
            )
            out.append(f"<li>{line}</li>")
        self.history.value = f"<ul>{''.join(out)}</ul>" if out else f"<i>{_('No attempts saved yet.')}</i>"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}>"
