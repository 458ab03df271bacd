"""The practice app: random cases, answer fields, Check and Hint buttons, feedback with sources, progress.

For training only, not for treating patients.  Used by ``exercises/practice.ipynb``
(JupyterLab or Voilà).  The app is panels (docs/APPS.md): each case part and the app itself
run their buttons through :func:`widgets.app.safe_run` into their own status line, so a refusal is its
message and anything unexpected a generic line (the traceback in the server's log); a trainee never sees
exception text.  It speaks to a trainee, not a notebook: choosing an exercise opens a case of it, a radio
question says "Choose one option", an empty Check says "No answer yet".

An answer past the soft limit of the drug-library limit its part names is not checked yet: as a smart
pump does, the app shows the library's message, asks why it is meant (a reason of
:data:`itbcore.library.OVERRIDE_REASONS`, free text for "Other") and checks it on **Confirm**; the result
shows the reason and the progress store saves it with the attempt.  An answer past the hard limit is
checked at once: wrong, with the library's message.

A case of a pre- or post-test is not opened while that test is open (:func:`exercises.assessment.withheld_by`):
"Open seed" says so in the status and changes nothing else, and "New case" draws again.
"""

from __future__ import annotations

import html
import random
import sqlite3
from typing import Any

import ipywidgets as W

from itbcore import library
from itbcore.errors import InputError, ITBError
from itbcore.i18n import LOCALES
from itbcore.i18n import gettext as core_gettext
from itbcore.units import Q_, fmt
from widgets._kernel import server_log
from widgets.app import HOME_FROM_BESIDE, Status, chrome, close_tree, page_heading, safe_run
from widgets.findings import linked_citation
from widgets.page import PrintButton, explicit_locale, param, prefer, use_page_locale

from .assessment import CaseWithheld, check_not_withheld
from .core import TRAINING_NOTICE, Exercise, list_exercises, load_exercise
from .i18n import N_, _, message
from .identity import Identity
from .progress import ProgressStore, check_trainee_name

__all__ = ["PracticeApp", "OverrideQuestion", "answer_widgets", "feedback_html"]

_ANY = N_("(any exercise)")


def answer_widgets(part: Any) -> tuple[W.HTML, W.Widget]:
    """The prompt of one part and the input its kind takes (choices, an order of letters, a text)."""
    # the part's id is the notebook's name for it (ex.check(answer, part=...)): on a page the prompt says it all
    prompt = W.HTML(f"<b>{html.escape(part.prompt)}</b><br><i>{html.escape(app_hint(part))}</i>")
    field: W.Widget
    if part.kind == "choice":
        field = W.RadioButtons(
            options=[(f"{k}) {t}", k) for k, t in part.options.items()], value=None, layout=W.Layout(width="auto")
        )
    elif part.kind == "order":
        items = "; ".join(f"{k}) {t}" for k, t in part.items.items())
        prompt.value += f"<br>{html.escape(items)}"
        field = W.Text(placeholder=_("letters in order, e.g. b, a, c"), continuous_update=False)
    else:
        example = message("e.g. {example}", example=fmt(Q_(0.5, "mL"))) if part.kind == "quantity" else _("YYYY-MM-DD")
        field = W.Text(placeholder=example, continuous_update=False)
    return prompt, field


def app_hint(part: Any) -> str:
    """How to answer ``part`` in the app (the notebook's wording speaks of letters and of replacing ``...``)."""
    if part.kind == "choice":
        return _("Choose one option.")
    if part.kind == "order":
        return message("Type the letters in order, e.g. {letters}.", letters=", ".join(sorted(part.items)))
    return message("Answer {hint}.", hint=part.answer_hint())


def missing_message(part: Any) -> str:
    """What the app says when Check is pressed with no answer (never the notebook's "replace ...")."""
    return (
        _("No answer yet: choose an option, then press Check.")
        if part.kind == "choice"
        else message("No answer yet: type it, then press Check. {how}", how=app_hint(part))
    )


class OverrideQuestion(W.VBox):
    """The smart pump's question for an answer past a soft limit: the library's message, why it is meant
    (:data:`itbcore.library.OVERRIDE_REASONS`, free text for "Other") and **Confirm**.

    Hidden until :meth:`ask`; Confirm calls ``on_confirm(reason)`` with the reason as
    :func:`itbcore.library.override_reason` words it, or shows the library's refusal (no reason chosen,
    "Other" without words) beside the button and waits.
    """

    def __init__(self, on_confirm: Any) -> None:
        self.on_confirm = on_confirm
        self.message = W.HTML()
        self.reason = W.Dropdown(
            options=[(_("Why confirm? choose a reason"), "")]
            + [(core_gettext(text), code) for code, text in library.OVERRIDE_REASONS.items()],
            value="",
            layout=W.Layout(width="auto"),
        )
        self.reason.add_class("itb-override-reason")
        self.reason_text = W.Text(value="", placeholder=_("reason (needed for 'Other')"), layout=W.Layout(width="16em"))
        self.reason_text.add_class("itb-override-text")
        self.confirm_button = W.Button(
            description=_("Confirm"),
            icon="check-circle",
            button_style="warning",
            tooltip=_("Check this answer although it is past a soft limit"),
        )
        self.confirm_button.add_class("itb-confirm")
        self.error = Status()
        self.confirm_button.on_click(lambda _b: self.confirm())
        super().__init__(
            [self.message, W.HBox([self.reason, self.reason_text, self.confirm_button]), self.error],
            layout=W.Layout(display="none"),
        )
        self.add_class("itb-override")

    @property
    def waiting(self) -> bool:
        return self.layout.display != "none"

    def ask(self, warning: str) -> None:
        """Show the library's soft-limit ``warning`` and wait for a reason and Confirm."""
        self.reason.value, self.reason_text.value = "", ""
        self.error.clear()
        self.message.value = (
            '<div class="itb-callout itb-callout-warning" role="alert">'
            + message(
                "⚠ {warning}<br>Not checked yet: choose why it is meant and press Confirm, or change your answer.",
                warning=html.escape(warning),
            )
            + "</div>"
        )
        self.layout.display = ""

    def done(self) -> None:
        self.layout.display = "none"
        self.message.value = ""
        self.error.clear()

    def confirm(self) -> None:
        """What the Confirm button does: the reason, or the refusal beside the button."""
        if not self.waiting:
            return
        if not self.reason.value:
            self.error.show(
                _("Choose why the answer past the soft limit is meant (a reason from the list), then press Confirm.")
            )
            return
        # "Other" without words is the library's refusal, shown beside the button
        safe_run(
            lambda: self.on_confirm(library.override_reason(self.reason.value, self.reason_text.value)), self.error
        )


class _PartView(W.VBox):
    """Prompt, answer input, Check and Hint buttons and the feedback of one part."""

    def __init__(self, app: PracticeApp, ex: Exercise, part: Any) -> None:
        self.app, self.ex, self.part = app, ex, part
        prompt, self.input = answer_widgets(part)
        if isinstance(self.input, W.Text):
            # Enter (or leaving the field) sends the text and checks it, as the Check button does
            self.input.observe(lambda _c: self._safe(self._check)(None), names="value")
        self._last_checked: Any = object()
        self.check_button = W.Button(description=_("Check"), button_style="primary", icon="check")
        self.hint_button = W.Button(description=_("Hint"), icon="question")
        self.feedback = W.HTML()
        self.status = Status()  # this part's refusals and failures (the feedback is the check's result)
        self.check_button.on_click(self._safe(self._check))
        self.hint_button.on_click(self._safe(self._hint))
        #: The answer that waits past a soft limit for a reason and Confirm, or ``None``.
        self.held: Any = None
        self.override = OverrideQuestion(lambda reason: self._safe(lambda: self._confirm(reason))(None))
        super().__init__(
            [
                prompt,
                W.HBox([self.input, self.check_button, self.hint_button]),
                self.override,
                self.status,
                self.feedback,
            ],
            layout=W.Layout(border="1px solid #ddd", padding="4px", margin="4px 0"),
        )
        self.add_class("itb-part")
        self.add_class(f"itb-part-{part.id}")

    def _safe(self, fn: Any) -> Any:
        def run(_button: Any) -> None:
            if safe_run(fn, self.status, problems=self.app.problems):
                self.feedback.value = ""

        return run

    def _check(self) -> None:
        value = self.input.value
        if value == self._last_checked:  # Enter, then the Check button: one attempt, not two
            return
        self._last_checked = value
        self.status.clear()
        self.held = None
        self.override.done()
        warning = self.ex.soft_limit(value, part=self._part_arg())
        if warning:  # past the soft limit: not checked (nor saved) until it is confirmed with a reason
            self.held = value
            self.override.ask(warning)
            self.feedback.value = ""
            return
        self._show(self.ex.check(value, part=self._part_arg()))

    def _confirm(self, reason: str) -> None:
        """Check the held answer, confirmed past the soft limit for ``reason``, and save it with the reason."""
        if self.held is None or self.input.value != self.held:  # changed meanwhile: that answer is checked anew
            self._last_checked = object()
            self._check()
            return
        value, self.held = self.held, None
        self.override.done()
        self._show(self.ex.check(value, part=self._part_arg(), override_reason=reason))

    def _part_arg(self) -> str | None:
        return self.part.id if len(self.ex.parts) > 1 else None

    def _show(self, result: Any) -> None:
        if result.status == "missing":
            self.feedback.value = f'<span class="itb-sev-info">{html.escape(missing_message(self.part))}</span>'
            return
        self.feedback.value = feedback_html(result)
        if result.status in ("correct", "wrong"):
            self.app.record(self.ex, self.part.id, result)

    def _hint(self) -> None:
        self.status.clear()
        text = self.ex.hint(self.part.id)
        self.app.record_hint(self.ex, self.part.id)
        self.feedback.value = f'<span class="itb-sev-info">{html.escape(text)}</span>'


def open_store(progress_path: Any = None) -> tuple[ProgressStore | None, str]:
    """The trainee's progress store, or ``None`` and the message to show when it cannot be opened.

    The detail (a path on the server) goes to the server's log, never to the trainee's page.
    """
    try:
        return ProgressStore(progress_path), ""
    except Exception as exc:  # noqa: BLE001 - the app still works; attempts are just not saved
        server_log.warning("progress store not available: %s", exc)
        return None, (
            "<div class='itb-callout'>"
            + _("Attempts cannot be saved on this server right now; ask the educator (the server's log says why).")
            + "</div>"
        )


def page_language(store: ProgressStore | None) -> str:
    """Set the page's language for its trainee and return it: ``?lang=`` (remembered for a trainee signed in
    through the class hub), else the language they chose on an earlier visit, else the browser's
    (:func:`widgets.page.page_locale`).  Called before the app builds any text."""
    who = Identity.of(None)
    if store is not None and who.signed_in and who.name:
        explicit, name = explicit_locale(), who.name
        try:
            if explicit in LOCALES:
                if store.language(name) != explicit:
                    store.set_language(name, explicit)
            else:
                prefer(store.language(name))
        except (ITBError, OSError, sqlite3.Error):  # the language is a convenience: never worth a failure
            server_log.warning("could not read or save %s's language", who.name, exc_info=True)
    return use_page_locale()


def trainee_field() -> W.Text:
    """The trainee's name: on a class hub the one who signed in (it cannot be changed), else typed."""
    who = Identity.of(None)
    if who.signed_in:
        field = W.Text(
            description=_("Trainee"), value=who.name, disabled=True, tooltip=_("signed in through the class hub")
        )
    else:
        field = W.Text(description=_("Trainee"), placeholder=_("your name (this server has no sign-in)"))
    field.add_class("itb-field")
    field.add_class("itb-field-trainee")
    return field


class PracticeApp(W.VBox):
    """Serve random exercise variants; save every checked answer for the named trainee."""

    def __init__(self, progress_path: Any = None, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.problems: list[str] = []
        self.status = Status()
        self.store_status = W.HTML()
        use_page_locale()
        self.store, self.store_status.value = open_store(progress_path)
        page_language(self.store)  # before any text: the trainee's language
        defs = list_exercises()
        self.trainee = trainee_field()
        self.choice = W.Dropdown(
            description=_("Exercise"), options=[(_(_ANY), _ANY)] + [(_(d.title), d.id) for d in defs], value=_ANY
        )
        self.seed_box = W.IntText(description=_("Seed"), value=0, layout=W.Layout(width="180px"))
        self.new_button = W.Button(description=_("New case"), icon="random", button_style="primary")
        self.new_button.add_class("itb-field-new-case")
        self.same_button = W.Button(description=_("Open seed"), icon="folder-open")
        self.case = W.HTML()
        self.parts = W.VBox()
        self.progress = W.HTML()
        self.new_button.on_click(lambda _b: self._guard(self.new_case))
        self.same_button.on_click(lambda _b: self._guard(lambda: self.open_case(self._chosen(), self.seed_box.value)))
        self.trainee.observe(lambda _c: self._guard(self.refresh_progress), names="value")
        # choosing an exercise opens a case of it (no "New case" needed)
        self.choice.observe(lambda _c: self._guard(self._on_choice), names="value")
        super().__init__(
            [
                *chrome(  # print: the case sheet on one page
                    PrintButton(),
                    notice=_(TRAINING_NOTICE),
                    intro=page_heading(_(PRACTICE_TITLE), _(PRACTICE_INTRO), home=HOME),
                ),
                W.HTML(f"<h2>{_('ITB practice: checked exercises')}</h2>"),  # the case's headings are h3
                W.HBox([self.trainee, self.choice]),
                W.HBox([self.seed_box, self.new_button, self.same_button]),
                self.store_status,
                self.status,
                self.case,
                self.parts,
                W.HTML(f"<h2>{_('Progress')}</h2>"),
                self.progress,
            ]
        )
        self.add_class("itb-app")
        self._guard(self.new_case)

    # -- actions --------------------------------------------------------------------------
    def _guard(self, fn: Any) -> None:
        """Run an action through the suite's one safe-run: a refusal is its message, anything else a generic
        line (the traceback in the server's log)."""
        safe_run(fn, self.status, problems=self.problems)

    def _on_choice(self) -> None:
        """An exercise chosen in the drop-down opens a case of it at once (one already on show stays)."""
        shown = getattr(getattr(self, "exercise", None), "id", None)
        if self.choice.value == _ANY or shown != self.choice.value:
            self.new_case()

    def open_requested(self, query: str | None = None) -> bool:
        """Open the exercise the page was asked for (``practice.ipynb?exercise=dilution``): the
        product-information app links each section's exercises here.

        Under Voilà the query string comes with the request (with preheated kernels Voilà hands it over when
        the page is asked for; this call waits for it there, as the product-information app's ``?section=``);
        anywhere else there is none and nothing changes.  An id that is not an exercise of the library is
        named in the status (shortened) and the case on show stays.
        """
        wanted = param("exercise", query)
        if wanted is None or not wanted.strip():
            return False
        if wanted not in {d.id for d in list_exercises()}:
            shown = wanted if len(wanted) <= 40 else wanted[:40] + "…"
            self.status.show(f"No exercise {shown!r} in the library; choose one from the list.", "warning")
            return False
        self.choice.value = wanted  # opens a case of it (_on_choice)
        return self.choice.value == wanted

    def _chosen(self) -> str:
        value = self.choice.value
        return self.rng.choice([d.id for d in list_exercises()]) if value == _ANY else value

    def new_case(self) -> None:
        for _attempt in range(100):  # a draw that lands on a case of an open test draws again
            ident, seed = self._chosen(), self.rng.randrange(10_000)
            if self._withheld(ident, seed) is None:
                break
        self.open_case(ident, seed)

    def _withheld(self, ident: str, seed: int) -> CaseWithheld | None:
        """The refusal when ``(ident, seed)`` is a case of a test still open (this trainee's or one in the store)."""
        try:
            name = self._name()
        except InputError:  # a name too long is said elsewhere; the other trainees' open tests still count
            name = ""
        try:
            check_not_withheld(self.store, name, ident, int(seed))
        except CaseWithheld as exc:
            return exc
        return None

    def open_case(self, ident: str, seed: int) -> None:
        if seed is None or seed < 0:
            raise InputError(_("The seed must be a whole number 0 or more."))
        refused = self._withheld(ident, seed)
        if refused is not None:  # said in the status; the case on show, its fields and the store stay as they are
            self.status.show(str(refused), "warning")
            return
        self.exercise = load_exercise(ident, seed=int(seed), progress=False)  # this app records, once
        self.seed_box.value = int(seed)
        self.status.clear()
        md = self.exercise.markdown().split("\n- **")[0]  # the case; the parts get their own fields
        self.case.value = _markdown_html(md)
        old, self.parts.children = self.parts.children, [_PartView(self, self.exercise, p) for p in self.exercise.parts]
        for view in old:  # the replaced case's widgets are closed, not left to pile up (400 clicks → 16,328 comms)
            close_tree(view)
        self.refresh_progress()

    # -- progress -------------------------------------------------------------------------
    def _name(self) -> str:
        """The signed-in user on a class hub (JUPYTERHUB_USER, never the field: the page may send anything),
        else the typed name, stripped ("" when none); :class:`InputError` past the store's longest name."""
        name = (Identity.of(self.trainee.value).name or "").strip()
        return check_trainee_name(name) if name else ""

    def record(self, ex: Exercise, part: str, result: Any) -> None:
        if self.store is None:
            return

        def save() -> None:
            if not self._name():
                self.status.show(_("Enter your name above to save your progress."), "info")
                return
            self.store.record(self._name(), ex.id, ex.seed, part, result)  # type: ignore[union-attr]
            self.refresh_progress()

        # a name too long, or past the store's quota: said in the status; the feedback still shows
        safe_run(save, self.status, problems=self.problems)

    def record_hint(self, ex: Exercise, part: str) -> None:
        def save() -> None:
            if self.store is not None and self._name():
                self.store.record_hint(self._name(), ex.id, ex.seed, part)
            self.refresh_progress()

        safe_run(save, self.status, problems=self.problems)

    def refresh_progress(self) -> None:
        if self.store is None:
            self.progress.value = f"<i>{_('Progress is not being saved.')}</i>"
            return

        def refused(exc: ITBError) -> None:  # a name too long: said where the name is asked, nothing saved
            self.progress.value = f"<i>{html.escape(str(exc))}</i>"

        safe_run(self._show_progress, self.status, refused=refused, problems=self.problems)

    def _show_progress(self) -> None:
        assert self.store is not None
        name = self._name()
        if not name:
            self.progress.value = f"<i>{_('Enter your name to see and save your progress.')}</i>"
            return
        rows = self.store.summary(self._name())
        if not rows:
            none_yet = message("No attempts saved yet for {trainee}.", trainee=html.escape(self._name()))
            self.progress.value = f"<i>{none_yet}</i>"
            return
        body = "".join(
            f"<tr><td>{html.escape(r.exercise)}</td><td>{r.attempts}</td><td>{r.correct}</td>"
            f"<td>{r.solved}</td><td>{r.hints}</td><td>{html.escape(r.last)}</td></tr>"
            for r in rows
        )
        heads = "".join(
            f"<th>{h}</th>"
            for h in (_("exercise"), _("attempts"), _("correct"), _("parts solved"), _("hints"), _("last"))
        )
        saved_where = _("Saved on this server (where: the educator's set-up).")
        self.progress.value = f"<table><tr>{heads}</tr>{body}</table><small>{saved_where}</small>"


#: Where the home page is, from the exercises' folder.
HOME = HOME_FROM_BESIDE
PRACTICE_TITLE = N_("ITB practice")
PRACTICE_INTRO = N_(
    "Random cases from the exercise library, checked through `itbcore`. Enter your name to save your progress "
    "(in `~/.itb-training/progress.sqlite`, or the file named by `ITB_PROGRESS_DB`). Write every answer with its "
    "unit — `0.5 mL` and `500 µL` are the same answer; a bare number is refused. Wrong answers are told which rule "
    "and source they missed, and common slips are named."
)


def feedback_html(result: Any) -> str:
    """A check's feedback, its source linked to the section in the product-information app."""
    return result.html(cite=linked_citation)


def _markdown_html(md: str) -> str:
    """Minimal Markdown for the case text (headings, bold, italics, code), escaped first."""
    import re

    out = []
    for line in html.escape(md).split("\n"):
        if line.startswith("### "):
            out.append(f"<h3>{line[4:]}</h3>")
            continue
        line = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", line)
        line = re.sub(r"\*(.+?)\*", r"<i>\1</i>", line)
        line = re.sub(r"`(.+?)`", r"<code>\1</code>", line)
        out.append(line + "<br>" if line else "")
    return "".join(out)
