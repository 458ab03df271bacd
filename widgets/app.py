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
from itbcore.sources import DEFAULT_LABEL, LABEL_DIFFERENCES, RULE_LABELS, LabelDifference

from ._kernel import harden
from ._kernel import server_log as log
from .a11y import PageA11y
from .findings import cite, esc, sources_html
from .page import PrintButton, flag

__all__ = [
    "TRAINING_ONLY",
    "GENERIC_ERROR",
    "App",
    "Refreshing",
    "Status",
    "safe_callback",
    "banner",
    "hub_line",
    "library_line",
    "close_tree",
    "section",
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

#: What a user sees when something unexpected fails (the details go to the server log).
GENERIC_ERROR = (
    "Something went wrong while updating this app; the last valid result is still shown. "
    "The details were written to the server log."
)


# Errors are logged to the process's real stderr (in a Voilà kernel: the server's log, never the page);
# the kernel's memory is bounded and the browser may set only what a user changes (widgets._kernel).
harden()


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
    extra = (f' · <a href="{esc(prefix.rstrip("/"))}/voila/render/itb/educator/class_view.ipynb">Class view</a>'
             if env.get("ITB_ROLE") == "educator" else "")
    return (f'<div class="itb-hub-line">Signed in as <strong>{esc(user)}'
            f'</strong> · <a href="{esc(lab)}" target="_blank" rel="noopener">Open the exercises in JupyterLab</a>'
            f"{extra}</div>")


def banner(text: str = TRAINING_ONLY) -> W.HTML:
    """The training-only banner shown at the top of every app (with the hub line on a class hub)."""
    w = W.HTML(f'<div role="note" class="itb-banner-note">⚠ {esc(text)}{hub_line()}</div>')
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
    w = W.HTML(f'<div class="itb-library" role="note">{esc(lib.summary)} Soft limits ask you to confirm a value; '
               f'hard limits refuse it.</div>')
    w.add_class("itb-library-line")
    return w


def section(title: str) -> W.HTML:
    """A section heading inside an app."""
    return W.HTML(f'<h2 class="itb-section-title">{esc(title)}</h2>')


_LABEL_NAMES = {"lionova": "Lionova (default)", "lioresal": "Lioresal"}


def label_chooser(value: str = DEFAULT_LABEL) -> W.ToggleButtons:
    """Choose the label profile where dosing rules differ (lionova default, lioresal)."""
    w = W.ToggleButtons(
        options=[(_LABEL_NAMES.get(k, k), k) for k in RULE_LABELS],
        value=value,
        description="Label:",
        tooltips=["Norwegian SmPC (2021)", "Novartis instructions (Russian registration, 2014)"],
        style={"button_width": "auto"},
    )
    w.add_class("itb-label-chooser")
    return w


def _differences(codes: Iterable[str] | None) -> list[LabelDifference]:
    if codes is None:
        return list(LABEL_DIFFERENCES)
    by_code = {d.code: d for d in LABEL_DIFFERENCES}
    return [by_code[c] for c in codes if c in by_code]


def label_differences_html(codes: Iterable[str] | None = None, label: str | None = None) -> str:
    """HTML "where labels differ" boxes for the differences named by ``codes`` (all if None).

    The value of the chosen ``label`` is marked "applied here".
    """
    parts = []
    for d in _differences(codes):
        rows = []
        for key, value in d.values.items():
            applied = " <strong>(applied here)</strong>" if key == label else ""
            rows.append(
                f"<li><strong>{esc(key)}</strong>{applied}: {esc(value)} "
                f"{cite(d.sources.get(key, ''))}</li>"
            )
        note = f"<p>{esc(d.note)}</p>" if d.note else ""
        parts.append(
            f'<details class="itb-difference">'
            f"<summary>Where labels differ: {esc(d.topic)}</summary><ul>{''.join(rows)}</ul>{note}</details>"
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


def safe_callback(status: Status | Callable[[], Status]) -> Callable:
    """Decorate a callback so it never puts a traceback on screen.

    An :class:`itbcore.ITBError` is shown (its one-sentence message) in ``status``; any other
    exception is logged and replaced by :data:`GENERIC_ERROR`.  On success ``status`` is cleared.
    ``status`` may be a callable returning the Status (for methods: ``lambda: self.status``).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            target = status() if callable(status) and not isinstance(status, Status) else status
            try:
                result = fn(*args, **kwargs)
            except ITBError as exc:
                target.show(str(exc))
                return None
            except Exception:  # noqa: BLE001 - the user gets a short message, the log the traceback
                log.exception("unexpected error in %s", getattr(fn, "__qualname__", fn))
                target.show(GENERIC_ERROR)
                return None
            target.clear()
            return result

        return wrapper

    return decorate


# --------------------------------------------------------------------------- the app pattern
class Refreshing:
    """Re-run ``update()`` safely when watched inputs change (the :class:`App` and each tab of an app).

    The class sets ``self.status`` (a :class:`Status`) and ``self.updates = 0``, and implements
    ``update()``; an :class:`itbcore.ITBError` it raises is shown in ``status`` and leaves the
    previous outputs in place, anything else is logged and shown as :data:`GENERIC_ERROR`.
    """

    status: Status
    updates: int

    def update(self) -> None:
        raise NotImplementedError

    def watch(self, *inputs: W.Widget) -> None:
        """Re-run :meth:`update` when any of ``inputs`` changes (QuantityField, slider, dropdown…)."""
        for w in inputs:
            if hasattr(w, "on_change"):
                w.on_change(lambda _w: self.refresh())
            else:
                w.observe(lambda _change: self.refresh(), "value")

    def refresh(self) -> bool:
        """Run :meth:`update` safely; True when it completed, False when it refused or failed."""
        try:
            self.update()
        except ITBError as exc:
            self.status.show(str(exc))
            return False
        except Exception:  # noqa: BLE001 - an app never shows a traceback
            log.exception("unexpected error updating %s", type(self).__name__)
            self.status.show(GENERIC_ERROR)
            return False
        self.status.clear()
        self.updates += 1
        return True


class App(Refreshing, W.VBox):
    """Base of every app: banner, title, label chooser, inputs, status, outputs, sources.

    Subclasses set the class attributes and implement :meth:`build` and :meth:`update`
    (plus :meth:`summary`).  ``build()`` returns ``(inputs, outputs)``, two lists of widgets;
    register inputs with :meth:`watch` so a change re-runs :meth:`update` through the safe
    wrapper.  ``update()`` reads ``self.label_profile`` and the inputs, calls :mod:`itbcore`,
    and writes the outputs; an :class:`itbcore.ITBError` it raises is shown in
    ``self.status`` and leaves the previous outputs in place.
    """

    #: The app's name (its repr; the notebook's markdown heading says the same).
    title: str = "ITB training app"
    #: One short paragraph under the heading (optional; HTML allowed).
    intro: str = ""
    #: Codes of :data:`itbcore.LABEL_DIFFERENCES` relevant to this app (shown under the outputs).
    label_differences: tuple[str, ...] = ()
    #: Whether the app shows the label-profile chooser.
    label_choice: bool = True
    #: Citations listed at the bottom (add the ones your results carry).
    sources: tuple[str, ...] = ()
    #: Whether the app shows the presenter-view and reset controls (a slide has the deck's own).
    toolbar: bool = True

    def __init__(self, label: str = DEFAULT_LABEL) -> None:
        self.banner = banner()
        self.library_line = library_line()
        # The notebook's markdown carries the H1; the app adds only its short intro.
        self.heading = W.HTML(f"<p>{self.intro}</p>" if self.intro else "")
        self.label = label_chooser(label)
        self.status = Status()
        self.differences = label_differences_box(self.label_differences, label) if self.label_differences else None
        self.sources_box = W.HTML(sources_html(self.sources))
        self.updates = 0  # how many times update() completed; tests and the benchmark read it
        inputs, outputs = self.build()
        self.inputs, self.outputs = list(inputs), list(outputs)
        self.presenter = W.ToggleButton(value=False, description="Presenter view", icon="desktop",
                                        tooltip="Large type across the whole width of the screen, for a room "
                                                "(or open the app with ?presenter=1)",
                                        layout=W.Layout(width="auto"))
        self.presenter.add_class("itb-field-presenter")
        self.reset_button = W.Button(description="Reset to start", icon="undo",
                                     tooltip="Every input back to where the app started", layout=W.Layout(width="auto"))
        self.reset_button.add_class("itb-field-reset")
        self.presenter.observe(lambda change: self.set_presenter(change["new"]), "value")
        self.reset_button.on_click(lambda _b: self.reset())
        children: list[W.Widget] = [self.banner, PageA11y(), self.library_line, self.heading]
        if self.toolbar:
            self.print_button = PrintButton()  # only where there is a toolbar (a slide has none)
            bar = W.HBox([self.presenter, self.reset_button, self.print_button])
            bar.add_class("itb-toolbar")
            children.append(bar)
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
        self.refresh()
        self._start = _input_values(self)
        if self.toolbar and flag("presenter"):  # outside Voilà's preheat (the browser does it there: a11y.js)
            self.set_presenter(True)

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

    def reset(self) -> None:
        """Every input back to its starting value, then one recomputation (the "Reset to start" button)."""
        for widget, value in self._start:
            if widget.value != value:
                widget.value = value
        self.status.clear()
        self.refresh()

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
        self.refresh()

    def __repr__(self) -> str:
        # Short and stable: nbval compares the text/plain of the app cell.
        return f"<{type(self).__name__}: {self.title}>"


_NOT_INPUTS = (W.HTML, W.HTMLMath, W.Label, W.Output, W.Valid)


def _input_values(root: W.Widget) -> list[tuple[W.Widget, Any]]:
    """(widget, value) of every input under ``root`` (the presenter toggle excluded), in tree order."""
    out: list[tuple[W.Widget, Any]] = []
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if not isinstance(w, W.Widget) or id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, W.ValueWidget) and not isinstance(w, _NOT_INPUTS) and "itb-field-presenter" not in \
                w._dom_classes and not getattr(w, "disabled", False):
            out.append((w, deepcopy(w.value)))
        for child in getattr(w, "children", ()) or ():
            walk(child)

    walk(root)
    return out


def print_summary(app: App) -> None:
    """Print ``app.summary()`` for nbval; prints nothing when the notebook is served by Voilà."""
    if not in_voila():
        print(app.summary())
