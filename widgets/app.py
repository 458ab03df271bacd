"""The app pattern: every Voilà app of the suite is an :class:`App`.

For training only, not for treating patients.

An app is a subclass of :class:`App` (an ``ipywidgets.VBox``): it builds its inputs and
outputs, recomputes in :meth:`App.update` by calling :mod:`itbcore`, and reports its
clinical numbers as plain text in :meth:`App.summary` (nbval compares that text).
Widgets only format, plot and report errors; every number comes from :mod:`itbcore`.
See ``docs/APPS.md`` for the pattern; the building blocks are in :mod:`widgets.fields`
(inputs), :mod:`widgets.findings` (findings, actions, sources) and :mod:`widgets.plot` (figures).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any

import ipywidgets as W

import itbcore
from itbcore import library
from itbcore.errors import ITBError
from itbcore.i18n import LOCALES, get_locale, language_name
from itbcore.i18n import gettext as core_gettext
from itbcore.sources import DEFAULT_LABEL, LABEL_DIFFERENCES, PRACTICE, RULE_LABELS, LabelDifference
from itbcore.units import fmt

from ._kernel import server_log as log
from .fields import QuantityField
from .findings import PRACTICE_WORDS, cite, esc, sources_html, translated_source
from .i18n import N_, _, message
from .page import PrintButton, flag, use_page_locale

__all__ = [
    "TRAINING_ONLY",
    "GENERIC_ERROR",
    "App",
    "Refreshing",
    "Status",
    "safe_run",
    "safe_callback",
    "run_panel",
    "withdraw",
    "restore",
    "quantity_fields",
    "banner",
    "hub_line",
    "library_line",
    "difference_source",
    "close_tree",
    "section",
    "toolbar",
    "chrome",
    "label_chooser",
    "label_differences_html",
    "label_differences_box",
    "print_summary",
    "in_voila",
]

#: The notice at the top of every app.
TRAINING_ONLY: str = getattr(
    itbcore,
    "TRAINING_ONLY",
    "For training only — not for treating patients. Follow your local protocol and the product "
    "information in practice.",
)

#: What a user sees when something unexpected fails (the details go to the server log); shown translated.
GENERIC_ERROR = N_(
    "Something went wrong while updating this app, so its result is not shown (a result on screen always "
    "belongs to the inputs on screen). The details were written to the server log."
)


def in_voila() -> bool:
    """True inside a kernel started by Voilà (it sets ``VOILA_PREHEAT``/``VOILA_KERNEL_ID``)."""
    return any(k in os.environ for k in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_BASE_URL"))


# --------------------------------------------------------------------------- banner and labels
def hub_line(env: Any = None) -> str:
    """On a class hub: who is signed in, and JupyterLab one click away (for the exercises); else ""."""
    env = os.environ if env is None else env
    user, prefix = env.get("JUPYTERHUB_USER"), env.get("JUPYTERHUB_SERVICE_PREFIX")
    if not user or not prefix:
        return ""
    lab = f"{prefix.rstrip('/')}/lab/tree/itb/exercises/trainee"
    extra = (
        f' · <a href="{esc(prefix.rstrip("/"))}/voila/render/itb/educator/class_view.ipynb">{esc(_("Class view"))}</a>'
        if env.get("ITB_ROLE") == "educator"
        else ""
    )
    signed_in = message("Signed in as <strong>{user}</strong>", user=esc(user))
    return (
        f'<div class="itb-hub-line">{signed_in}'
        f' · <a href="{esc(lab)}" target="_blank" rel="noopener">{esc(_("Open the exercises in JupyterLab"))}</a>'
        f"{extra}</div>"
    )


def language_links() -> str:
    """The language chooser: a link per language, each named in its own language (CLDR); the page's script
    (``a11y.js``) keeps the page's other parameters (``?presenter=1``, ``?section=``) on them and sets the
    document's ``lang`` from ``data-itb-locale``."""
    here = get_locale()
    links = " · ".join(
        f'<a class="itb-lang" href="?lang={loc}" hreflang="{loc}" lang="{loc}" data-itb-lang="{loc}"'
        + (' aria-current="true"' if loc == here else "")
        + f">{esc(language_name(loc))}</a>"
        for loc in LOCALES
    )
    return f'<nav class="itb-languages" aria-label="Language" data-itb-locale="{here}">{links}</nav>'


def banner(text: str = TRAINING_ONLY) -> W.HTML:
    """The training-only banner shown at the top of every app (with the hub line on a class hub) and the
    language chooser.

    The core's notice is translated here (the core's catalogue); a ``text`` of the caller's comes translated."""
    use_page_locale()  # every page's top: the page's language, also where the banner is all (the home page)
    shown = core_gettext(text) if text == TRAINING_ONLY else text
    w = W.HTML(f'<div role="note" class="itb-banner-note">⚠ {esc(shown)}{hub_line()}</div>{language_links()}')
    w.add_class("itb-banner")
    return w


def close_tree(widget: W.Widget) -> None:
    """Close ``widget`` and every widget inside it (their comms too), e.g. the parts of a replaced case, so a
    page that keeps replacing content does not pile up widget models in the kernel and the browser."""
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if not isinstance(w, W.Widget) or id(w) in seen:
            return
        seen.add(id(w))
        for child in getattr(w, "children", ()) or ():
            walk(child)
        for name in ("layout", "style"):
            sub = getattr(w, name, None)
            if isinstance(sub, W.Widget):
                walk(sub)
        w.close()

    walk(widget)


def library_line() -> W.HTML:
    """Which drug library is in force (its soft and hard limits bound every field)."""
    lib = library.active_library()
    text = message("{library} Soft limits ask you to confirm a value; hard limits refuse it.", library=lib.summary)
    w = W.HTML(f'<div class="itb-library" role="note">{esc(text)}</div>')
    w.add_class("itb-library-line")
    return w


def toolbar(*tools: W.Widget) -> W.HBox:
    """The app's toolbar row (presenter view, reset, print…): one class for the page's CSS and print layout."""
    bar = W.HBox(list(tools))
    bar.add_class("itb-toolbar")
    return bar


@functools.cache
def _markdown() -> Callable[[str], str]:
    import mistune  # nbconvert's Markdown renderer

    return mistune.create_markdown(escape=True, plugins=["table"])  # type: ignore[return-value]


def markdown_html(text: str) -> str:
    """A translated text written in Markdown (emphasis, ``code``, links, lists, tables) as HTML; any HTML in the
    text itself is escaped, never rendered."""
    return _markdown()(text)


#: Where the home page is, from the notebooks' folder.
HOME = "index.ipynb"
#: Where it is from a folder beside it (``exercises/``, the educator's folder of the class view).
HOME_FROM_BESIDE = f"../notebooks/{HOME}"


def page_heading(
    title: str,
    intro: str = "",
    *,
    level: int = 1,
    home: str | None = HOME,
    more: tuple[str, str] | None = None,
) -> W.HTML:
    """A page's (or a slide's) heading and its introduction, in the page's language: ``title`` and ``intro``
    (Markdown) come translated; ``more`` is a (summary, Markdown) pair folded under the introduction; ``home``
    is the link back to the home page (relative to the page; ``None`` for none).  The notebooks hold no text of
    their own: every word a page shows comes through a catalogue."""
    parts = [f'<h{level} class="itb-page-title">{esc(title)}</h{level}>']
    if intro:
        parts.append(f'<div class="itb-intro">{markdown_html(intro)}</div>')
    if more is not None:
        summary, body = more
        parts.append(f'<details class="itb-more"><summary>{esc(summary)}</summary>{markdown_html(body)}</details>')
    if home:
        parts.append(f'<p class="itb-home-link"><a href="{esc(home)}">← {esc(_("Home"))}</a></p>')
    w = W.HTML("".join(parts))
    w.add_class("itb-heading")
    return w


def chrome(*tools: W.Widget, notice: str = TRAINING_ONLY, intro: W.Widget | None = None) -> list[W.Widget]:
    """The top of every app's page: the training-only banner, the page's heading and introduction (``intro``,
    :func:`page_heading`), the drug library in force and, with ``tools``, the toolbar (presenter view, reset,
    print).  An app is its panels below this chrome: :class:`App`, the practice, assessment and class-view apps
    and the teaching deck's title slide.  The banner is ``[0]``, the library line ``[-2]`` with tools, else
    ``[-1]``."""
    top: list[W.Widget] = [banner(notice)]
    if intro is not None:
        top.append(intro)
    top.append(library_line())
    return top + [toolbar(*tools)] if tools else top


def section(title: str) -> W.HTML:
    """A section heading inside an app (``title`` comes translated)."""
    return W.HTML(f'<h2 class="itb-section-title">{esc(title)}</h2>')


_LABEL_NAMES = {"lionova": N_("Lionova (default)"), "lioresal": "Lioresal"}


def label_chooser(value: str = DEFAULT_LABEL) -> W.ToggleButtons:
    """Choose the label profile where dosing rules differ (lionova default, lioresal)."""
    w = W.ToggleButtons(
        options=[(_(_LABEL_NAMES[k]) if k in _LABEL_NAMES else k, k) for k in RULE_LABELS],
        value=value,
        description=_("Label:"),
        tooltips=[_("Norwegian SmPC (2021)"), _("Novartis instructions (Russian registration, 2014)")],
        style={"button_width": "auto"},
    )
    w.add_class("itb-label-chooser")
    return w


def _differences(codes: Iterable[str] | None) -> list[LabelDifference]:
    if codes is None:
        return list(LABEL_DIFFERENCES)
    by_code = {d.code: d for d in LABEL_DIFFERENCES}
    return [by_code[c] for c in codes if c in by_code]


def difference_source(key: str) -> str:
    """Who says a value of a label difference: a label's key as it is, "practice guidance" in the page's
    language."""
    return _(PRACTICE_WORDS) if key == PRACTICE else key


def label_differences_html(codes: Iterable[str] | None = None, label: str | None = None) -> str:
    """HTML "where labels differ" boxes for the differences named by ``codes`` (all if None).

    The value of the chosen ``label`` is marked "applied here".
    """
    parts = []
    for d in _differences(codes):
        rows = []
        for key, value in d.values.items():
            applied = f" <strong>{esc(_('(applied here)'))}</strong>" if key == label else ""
            shown = difference_source(key)
            rows.append(f"<li><strong>{esc(shown)}</strong>{applied}: {esc(value)} {cite(d.sources.get(key, ''))}</li>")
        note = f"<p>{esc(d.note)}</p>" if d.note else ""  # a difference's texts are translated when read
        topic = message("Where labels differ: {topic}", topic=d.topic)
        parts.append(
            f'<details class="itb-difference"><summary>{esc(topic)}</summary><ul>{"".join(rows)}</ul>{note}</details>'
        )
    return "".join(parts)


def label_differences_box(codes: Iterable[str] | None = None, label: str | None = None) -> W.HTML:
    """A widget of :func:`label_differences_html`; update with ``box.value = label_differences_html(...)``."""
    w = W.HTML(label_differences_html(codes, label))
    w.add_class("itb-differences")
    return w


# --------------------------------------------------------------------------- status and errors
class Status(W.HTML):
    """The app's status area: the latest refusal or failure, empty when all is well."""

    def __init__(self) -> None:
        super().__init__("")
        self.add_class("itb-status")
        self.message = ""
        self.kind = ""

    def show(self, message: str, kind: str = "violation") -> None:
        self.message, self.kind = message, kind
        self.value = f'<div role="alert" class="itb-status-message itb-{esc(kind)}">{esc(message)}</div>'

    def clear(self) -> None:
        self.message, self.kind, self.value = "", "", ""


def safe_run(
    fn: Callable[[], Any],
    status: Status,
    *,
    refused: Callable[[ITBError], str | None] | None = None,
    failed: Callable[[], None] | None = None,
    problems: list[str] | None = None,
    kind: str = "violation",
) -> str:
    """Run ``fn`` for a panel: the suite's one path from an exception to a message on the page.

    A refusal of the core (an :class:`itbcore.ITBError`) becomes its one-sentence message in ``status``
    (``refused(exc)`` may route it to a field first and return the status text to show instead; ``kind`` is the
    refusal's severity on the page: ``"violation"``, or ``"warning"`` for a request naming nothing known); anything
    else is logged with its traceback on the server (and appended to ``problems``, for tests) and the page
    gets :data:`GENERIC_ERROR` — never the exception's text, class or a path.  ``failed()`` then runs (a
    panel withdraws its results).  Returns ``""`` when ``fn`` completed (``status`` is left as ``fn`` set
    it), else the message shown.
    """
    import traceback

    try:
        fn()
    except ITBError as exc:
        text = (refused(exc) if refused is not None else None) or str(exc) or _("Refused.")
        status.show(text, kind)
        return text
    except Exception:  # noqa: BLE001 - the page gets a short message, the server log the traceback
        log.exception("unexpected error in %s", getattr(fn, "__qualname__", fn))
        if problems is not None:
            problems.append(traceback.format_exc())
        if failed is not None:
            failed()
        generic = _(GENERIC_ERROR)
        status.show(generic)
        return generic
    return ""


def safe_callback(status: Status | Callable[[], Status], problems: list[str] | None = None) -> Callable:
    """Decorate a callback (a button's ``on_click``, an ``observe`` handler) to run through :func:`safe_run`.

    ``status`` may be a callable returning the Status (for methods: ``lambda: self.status``).  The callback's
    arguments (the button, the change) are passed on; the status is not cleared on success (the callback
    writes its own result).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            target = status() if callable(status) and not isinstance(status, Status) else status
            safe_run(lambda: fn(*args, **kwargs), target, problems=problems)

        return wrapper

    return decorate


# --------------------------------------------------------------------------- results belong to their inputs
def quantity_fields(root: Any) -> list[QuantityField]:
    """Every :class:`QuantityField` under ``root`` (a widget or a list of widgets), in tree order."""
    out: list[QuantityField] = []
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if isinstance(w, (list, tuple)):
            for x in w:
                walk(x)
            return
        if not isinstance(w, W.Widget) or id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, QuantityField):
            out.append(w)
            return
        for child in getattr(w, "children", ()) or ():
            walk(child)

    walk(root)
    return out


def _holds_inputs(w: W.Widget) -> bool:
    return isinstance(w, QuantityField) or bool(_input_values(w))


def withdraw(outputs: Iterable[W.Widget]) -> None:
    """Hide ``outputs``: they belonged to inputs that are no longer on screen (the suite's one rule).

    A widget that holds inputs is never hidden (a panel lists its results, but an app's outputs may
    interleave inputs with them)."""
    for w in outputs:
        if "itb-withdrawn" not in w._dom_classes and not _holds_inputs(w):
            w.add_class("itb-withdrawn")
            w.layout.display = "none"


def restore(outputs: Iterable[W.Widget]) -> None:
    """Show ``outputs`` again: they were just recomputed from the inputs on screen."""
    for w in outputs:
        if "itb-withdrawn" in w._dom_classes:
            w.remove_class("itb-withdrawn")
            w.layout.display = ""


def _route(exc: ITBError, fields: list[QuantityField]) -> QuantityField | None:
    """The field a refusal of the core belongs to: the one it names, else the only one of its library key."""
    name, key = getattr(exc, "name", None), getattr(exc, "key", None)
    if name:
        named = [f for f in fields if f.name == name]
        if len(named) == 1:
            return named[0]
    if key:
        keyed = [f for f in fields if f.limit == key]
        if len(keyed) == 1:
            return keyed[0]
    return None


def run_panel(compute: Callable[[], Any], status: Status, inputs: Iterable[Any], outputs: Iterable[W.Widget]) -> str:
    """Compute a panel's results from its inputs, or withdraw them: the suite's one rule for a result on screen.

    While an input is refused or waits for Confirm, ``compute`` is not run and ``outputs`` are hidden, with
    the reason in ``status``.  A refusal of the core (an :class:`itbcore.ITBError`) is shown at the field it
    names (by the error's ``name``, else its drug-library ``key``) and in ``status``, and the outputs are
    hidden; anything unexpected is logged and replaced by :data:`GENERIC_ERROR`.  Returns ``""`` when the
    results are the inputs' own, else why they were withdrawn.
    """
    fields = quantity_fields(list(inputs))
    outputs = list(outputs)
    blocked = next((f for f in fields if f.blocked and not f.routed), None)
    if blocked is not None:
        withdraw(outputs)
        waiting = blocked.pending is not None
        why = blocked.blocked
        status.show(
            message("No result yet: {why}", why=why)
            if waiting
            else message(
                "No result: {why} The results return when the {name} is corrected.", why=why, name=blocked.name
            ),
            "warning" if waiting else "violation",
        )
        return why
    restore(outputs)  # before computing: a panel inside this one may withdraw its own results

    reason = ""

    def refused(exc: ITBError) -> str:
        nonlocal reason
        target = _route(exc, fields)
        for f in fields:
            if f is not target:
                f.clear_refusal()
        if target is not None:
            target.show_refusal(str(exc))
        withdraw(outputs)
        reason = str(exc)
        return message("No result: {why}", why=reason)

    why = safe_run(compute, status, refused=refused, failed=lambda: withdraw(outputs))
    if why:
        return reason or why
    for f in fields:
        f.clear_refusal()
    confirmed = [f for f in fields if f.override and f.warnings]
    if confirmed:
        status.show(
            " ".join(
                message(
                    "Confirmed past a soft limit: the {name} {value} — reason: {reason}.",
                    name=f.name,
                    value=fmt(f.quantity),
                    reason=f.override,
                )
                for f in confirmed
            ),
            "info",
        )
    else:
        status.clear()
    return ""


# --------------------------------------------------------------------------- the app pattern
class Refreshing:
    """Re-run ``update()`` safely when watched inputs change (the :class:`App` and each tab of an app).

    The class sets ``self.status`` (a :class:`Status`) and ``self.updates = 0``, implements ``update()``
    and lists the widgets ``update()`` writes in ``self.outputs``.  :meth:`refresh` follows
    :func:`run_panel`: while a watched field is refused or waits for Confirm, or when the core refuses,
    the outputs are withdrawn (hidden) and the reason shown; ``summary()`` then says "no result".
    """

    status: Status
    updates: int
    outputs: list[W.Widget]
    #: Why the results are withdrawn ("" while they belong to the inputs on screen).
    withdrawn: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fn = cls.__dict__.get("summary")
        if fn is not None and not getattr(fn, "_says_withdrawn", False):

            @functools.wraps(fn)
            def summary(self: Refreshing) -> str:
                if self.withdrawn:
                    return message("no result: {why}", why=self.withdrawn)
                return fn(self)

            summary._says_withdrawn = True  # type: ignore[attr-defined]
            cls.summary = summary  # type: ignore[attr-defined]

    def update(self) -> None:
        raise NotImplementedError

    def panel_inputs(self) -> list[Any]:
        """The inputs whose refusal withdraws this panel's results (default: every watched input)."""
        return list(getattr(self, "_watched", []))

    def panel_outputs(self) -> list[W.Widget]:
        """The results withdrawn while an input is refused (default: ``self.outputs``; a panel adds a result
        that sits beside an input, in a box the rule never hides)."""
        return list(getattr(self, "outputs", []))

    def watch(self, *inputs: W.Widget) -> None:
        """Re-run :meth:`update` when any of ``inputs`` changes (QuantityField, slider, dropdown…)."""
        if not hasattr(self, "_watched"):
            self._watched: list[Any] = []
        for w in inputs:
            self._watched.append(w)
            if isinstance(w, QuantityField):
                w.on_change(lambda _w: self.refresh())
                w.on_state(lambda _w: self.refresh())
            elif hasattr(w, "on_change"):
                w.on_change(lambda _w: self.refresh())
            else:
                w.observe(lambda _change: self.refresh(), "value")

    def refresh(self) -> bool:
        """Run :meth:`update` through :func:`run_panel`; True when the results belong to the inputs."""
        self.withdrawn = run_panel(self.update, self.status, self.panel_inputs(), self.panel_outputs())
        if self.withdrawn:
            return False
        self.updates += 1
        return True


class App(Refreshing, W.VBox):
    """Base of every app: banner, title, label chooser, inputs, status, outputs, sources.

    Subclasses set the class attributes and implement :meth:`build` and :meth:`update`
    (plus :meth:`summary`).  ``build()`` returns ``(inputs, outputs)``, two lists of widgets;
    register inputs with :meth:`watch` so a change re-runs :meth:`update` through the safe
    wrapper.  ``update()`` reads ``self.label_profile`` and the inputs, calls :mod:`itbcore`,
    and writes the outputs; an :class:`itbcore.ITBError` it raises is shown in
    ``self.status`` (and at the field it names) and the outputs are withdrawn (:func:`run_panel`).
    """

    #: The app's name (its heading and repr), marked ``N_`` and shown translated.
    title: str = N_("ITB training app")
    #: What the app teaches and how to use it, under the heading (optional; Markdown), marked ``N_`` and shown
    #: translated.  The notebook holds no text of its own.
    intro: str = ""
    #: More about the app, folded under the introduction: (summary, Markdown), both marked ``N_``; or ``None``.
    more: tuple[str, str] | None = None
    #: The link back to the home page, relative to the app's notebook (``None``: none).
    home: str | None = HOME
    #: Codes of :data:`itbcore.LABEL_DIFFERENCES` relevant to this app (shown under the outputs).
    label_differences: tuple[str, ...] = ()
    #: Whether the app shows the label-profile chooser.
    label_choice: bool = True
    #: Citations listed at the bottom (add the ones your results carry); one with words of its own (a label
    #: section and what it says) is marked ``N_`` and shown translated, a bare citation is not translated.
    sources: tuple[str, ...] = ()
    #: Whether the app shows the presenter-view and reset controls (a slide has the deck's own).
    toolbar: bool = True
    #: Whether the app's page starts with :func:`chrome` (banner, library line, toolbar); a slide has none of its
    #: own (the deck's title slide carries the chrome).
    page_chrome: bool = True

    def __init__(self, label: str = DEFAULT_LABEL) -> None:
        use_page_locale()  # every text below is built in the page's language
        self.heading = self.page_heading()
        self.label = label_chooser(label)
        self.status = Status()
        self.differences = label_differences_box(self.label_differences, label) if self.label_differences else None
        self.sources_box = W.HTML(sources_html([self.translate(x) for x in self.sources]))
        self.updates = 0  # how many times update() completed; tests and the benchmark read it
        inputs, outputs = self.build()
        self.inputs, self.outputs = list(inputs), list(outputs)
        self.presenter = W.ToggleButton(
            value=False,
            description=_("Presenter view"),
            icon="desktop",
            tooltip=_(
                "Large type across the whole width of the screen, for a room (or open the app with ?presenter=1)"
            ),
            layout=W.Layout(width="auto"),
        )
        self.presenter.add_class("itb-field-presenter")
        self.reset_button = W.Button(
            description=_("Reset to start"),
            icon="undo",
            tooltip=_("Every input back to where the app started"),
            layout=W.Layout(width="auto"),
        )
        self.reset_button.add_class("itb-field-reset")
        self.presenter.observe(lambda change: self.set_presenter(change["new"]), "value")
        self.reset_button.on_click(lambda _b: self.reset())
        tools: list[W.Widget] = []
        if self.toolbar and self.page_chrome:
            self.print_button = PrintButton()  # only where there is a toolbar (a slide has none)
            tools = [self.presenter, self.reset_button, self.print_button]
        top = chrome(*tools, intro=self.heading) if self.page_chrome else [self.heading]
        #: The chrome's banner and library line (``None`` on a slide: the deck's title slide carries them).
        self.banner: W.HTML | None = top[0] if self.page_chrome else None
        self.library_line: W.HTML | None = top[2] if self.page_chrome else None
        children: list[W.Widget] = list(top)
        if self.label_choice:
            children.append(self.label)
        self.inputs_box = W.VBox(self.inputs, layout=W.Layout(margin="4px 0"))
        self.outputs_box = W.VBox(self.outputs, layout=W.Layout(margin="4px 0"))
        self.inputs_box.add_class("itb-inputs")
        self.outputs_box.add_class("itb-outputs")
        children += [self.inputs_box, self.status, self.outputs_box]
        if self.differences is not None:
            children.append(self.differences)
        children.append(self.sources_box)
        super().__init__(children=children, layout=W.Layout(max_width="1100px", padding="4px"))
        self.add_class("itb-app")
        self.label.observe(self._on_label, "value")
        self._start: list[tuple[W.Widget, Any]] = []
        self.adopt(self)
        self.refresh()
        if self.toolbar and flag("presenter"):  # outside Voilà's preheat (the browser does it there: a11y.js)
            self.set_presenter(True)

    def page_heading(self) -> W.HTML:
        """The app's heading (its translated title, an H1; an H2 on a slide) and introduction."""
        t = self.translate
        more = (t(self.more[0]), t(self.more[1])) if self.more else None
        level = 1 if self.page_chrome else 2
        home = self.home if self.page_chrome else None
        return page_heading(t(self.title), t(self.intro) if self.intro else "", level=level, more=more, home=home)

    def translate(self, text: str) -> str:
        """A text of the app's class attributes (title, intro, more, sources) in the page's language: the widgets'
        catalogue; an app of another package (the class view) reads its own."""
        return translated_source(text)

    # -- in front of a room
    def set_presenter(self, on: bool) -> None:
        """Presenter view: large type and the full width of the screen (the toggle in the app's toolbar)."""
        if self.presenter.value != on:
            self.presenter.value = on  # comes back here through the observer
            return
        if on:
            self.add_class("itb-presenter")
            self.layout.max_width = "none"
        else:
            self.remove_class("itb-presenter")
            self.layout.max_width = "1100px"

    def adopt(self, root: W.Widget) -> None:
        """Bind the fields under ``root`` to the app's label profile and remember where its inputs start.

        The app adopts its own tree when it is built; a part built later (a tab shown for the first time,
        a flex step added) is adopted then, so the label in force and "Reset to start" reach it too.
        """
        known = {id(w) for w, _v in self._start}
        for f in quantity_fields(root):
            f.bind_label(lambda: self.label.value)
            if self.label.value != DEFAULT_LABEL:
                f.recheck(notify=False)
        self._start += [(w, v) for w, v in _input_values(root) if id(w) not in known]

    def reset(self) -> None:
        """Every input of every part back to its starting value, then one recomputation ("Reset to start")."""
        fields = quantity_fields(self)
        for f in fields:
            f.reset(notify=False)
        in_fields = {id(w) for f in fields for w in (f.text, f.reason, f.reason_text)}
        for widget, value in self._start:
            if id(widget) not in in_fields and widget.value != value:
                widget.value = value
        for part in self.parts():
            reset = getattr(part, "reset", None)
            if callable(reset):
                reset()
        self.status.clear()
        self.refresh()

    def parts(self) -> list[Any]:
        """The app's panels with state of their own beyond their inputs (tabs, slides); default none."""
        return []

    def panel_inputs(self) -> list[Any]:
        """The app's own fields and watched inputs (a part with its own panel lists its own)."""
        return [*super().panel_inputs(), *self.inputs]

    # -- for subclasses
    def build(self) -> tuple[list[W.Widget], list[W.Widget]]:
        raise NotImplementedError

    def update(self) -> None:
        raise NotImplementedError

    def summary(self) -> str:
        """The clinical numbers of the current state as plain text (nbval compares it)."""
        raise NotImplementedError

    # -- wiring
    @property
    def label_profile(self) -> str:
        """The chosen label profile key (``"lionova"`` or ``"lioresal"``)."""
        return self.label.value

    def _on_label(self, change: dict) -> None:
        if self.differences is not None:
            self.differences.value = label_differences_html(self.label_differences, change["new"])
        for f in quantity_fields(self):  # a limit of the new label may refuse or question an entry
            f.recheck(notify=False)
        self.refresh()

    def __repr__(self) -> str:
        # Short and stable: nbval compares the text/plain of the app cell.
        return f"<{type(self).__name__}: {self.translate(self.title)}>"


_NOT_INPUTS = (W.HTML, W.HTMLMath, W.Label, W.Output, W.Valid)


def _input_values(root: W.Widget) -> list[tuple[W.Widget, Any]]:
    """(widget, value) of every input under ``root`` (the presenter toggle excluded), in tree order."""
    out: list[tuple[W.Widget, Any]] = []
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if not isinstance(w, W.Widget) or id(w) in seen:
            return
        seen.add(id(w))
        if (
            isinstance(w, W.ValueWidget)
            and not isinstance(w, _NOT_INPUTS)
            and "itb-field-presenter" not in w._dom_classes
            and not getattr(w, "disabled", False)
        ):
            out.append((w, deepcopy(w.value)))
        for child in getattr(w, "children", ()) or ():
            walk(child)

    walk(root)
    return out


def print_summary(app: App) -> None:
    """Print ``app.summary()`` for nbval; prints nothing when the notebook is served by Voilà."""
    if not in_voila():
        print(app.summary())
