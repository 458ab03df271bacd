"""Building blocks every Voilà app of the suite uses.

For training only, not for treating patients.

An app is a subclass of :class:`App` (an ``ipywidgets.VBox``): it builds its inputs and
outputs, recomputes in :meth:`App.update` by calling :mod:`itbcore`, and reports its
clinical numbers as plain text in :meth:`App.summary` (nbval compares that text).
Widgets only format, plot and report errors; every number comes from :mod:`itbcore`.
See ``docs/APPS.md`` for the pattern.
"""
from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from typing import Any
from urllib.parse import urlencode

import ipywidgets as W

import itbcore
from itbcore import library, units
from itbcore.errors import InputError, ITBError
from itbcore.label_map import citation_parts
from itbcore.sources import DEFAULT_LABEL, LABEL_DIFFERENCES, RULE_LABELS, LabelDifference

from ._kernel import harden
from ._kernel import server_log as log
from .a11y import PageA11y
from .page import PrintButton, flag
from .plot import PLOTLY_ESM_ENV, Bar, Figure, Scatter, Trace

__all__ = [
    "TRAINING_ONLY",
    "GENERIC_ERROR",
    "SEVERITY_COLOURS",
    "banner",
    "library_line",
    "close_tree",
    "label_chooser",
    "label_differences_html",
    "label_differences_box",
    "QuantityField",
    "QuantitySlider",
    "Status",
    "safe_callback",
    "findings_html",
    "findings_text",
    "FindingsView",
    "make_figure",
    "Figure",
    "Scatter",
    "Bar",
    "PLOTLY_ESM_ENV",
    "set_trace",
    "sources_html",
    "cite",
    "linked_citation",
    "section_href",
    "App",
    "Refreshing",
    "print_summary",
    "in_voila",
    "css_key",
    "esc",
    "section",
    "inline_error",
    "clear_inline_error",
    "FieldGuard",
    "field_checkbox",
    "actions_html",
    "actions_text",
    "room_for_legend",
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

#: Severity → colour; the severity word is always written too, colour is never the only cue.
SEVERITY_COLOURS = {
    "info": "#1f5fa8",
    "warning": "#8a5a00",
    "violation": "#b3261e",
    "action": "#2e6b30",
}

# Errors are logged to the process's real stderr (in a Voilà kernel: the server's log, never the page);
# the kernel's memory is bounded and the browser may set only what a user changes (widgets._kernel).
harden()


def in_voila() -> bool:
    """True inside a kernel started by Voilà (it sets ``VOILA_PREHEAT``/``VOILA_KERNEL_ID``)."""
    return any(k in os.environ for k in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_BASE_URL"))


def css_key(text: str) -> str:
    """A CSS-class-safe key: ``"Test dose"`` → ``"test-dose"``.

    >>> css_key("Test dose (µg)")
    'test-dose'
    """
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def esc(text: Any) -> str:
    """``text`` (any object, as ``str``) escaped for HTML, quotes included.

    >>> esc('<b> "µg"')
    '&lt;b&gt; &quot;µg&quot;'
    """
    return html.escape(str(text), quote=True)


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
    return (f'<div class="itb-hub-line" style="font-weight:400;margin-top:4px">Signed in as <strong>{esc(user)}'
            f'</strong> · <a href="{esc(lab)}" target="_blank" rel="noopener">Open the exercises in JupyterLab</a>'
            f"{extra}</div>")


def banner(text: str = TRAINING_ONLY) -> W.HTML:
    """The training-only banner shown at the top of every app (with the hub line on a class hub)."""
    w = W.HTML(
        f'<div role="note" style="background:#fff4ce;border:2px solid #8a5a00;border-radius:4px;'
        f'padding:6px 10px;font-weight:600;color:#3d2a00">⚠ {esc(text)}{hub_line()}</div>'
    )
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
            f'<details class="itb-difference" style="border-left:4px solid #6b4fa0;padding:2px 8px;margin:4px 0">'
            f"<summary>Where labels differ: {esc(d.topic)}</summary><ul>{''.join(rows)}</ul>{note}</details>"
        )
    return "".join(parts)


def label_differences_box(codes: Iterable[str] | None = None, label: str | None = None) -> W.HTML:
    """A widget of :func:`label_differences_html`; update with ``box.value = label_differences_html(...)``."""
    w = W.HTML(label_differences_html(codes, label))
    w.add_class("itb-differences")
    return w


# --------------------------------------------------------------------------- inputs
class QuantityField(W.HBox):
    """A text field for a quantity: unit hint, "read as" confirmation, soft-limit confirmation, inline error.

    The text is read with :func:`itbcore.units.as_quantity` when the user presses Enter or leaves the
    field (``continuous_update=False``) and the field shows how it read the entry ("read as 1500
    µg/day"), as a pump programmer's confirmation screen does.  With ``limit`` (a key of the drug
    library, :mod:`itbcore.library`) the field's unit, starting value and bounds come from the
    library: a value past the hard range is refused with the library's message, a value past the
    soft range waits for the user to press **Confirm** before it is used.  A bad entry (empty, not
    a number, no or wrong unit, past a bound) shows a specific message next to the field and keeps
    :attr:`quantity` at the last good value; callbacks registered with :meth:`on_change` run only
    for good (and, past a soft limit, confirmed) values.

    >>> f = QuantityField("Test dose", limit="test_dose")
    >>> units.fmt(f.quantity), f.readback
    ('50 µg', 'read as 50 µg')

    (tests/widgets/test_common.py types what users type into it.)
    """

    def __init__(
        self,
        label: str,
        unit: str | None = None,
        value: str | None = None,
        *,
        limit: str | None = None,
        name: str | None = None,
        min: Any = None,  # noqa: A002 - mirrors ipywidgets' names
        max: Any = None,  # noqa: A002
        min_inclusive: bool = True,
        key: str | None = None,
        placeholder: str | None = None,
        width: str = "11em",
        label_profile: Callable[[], str] | None = None,
        positive: bool = False,
    ) -> None:
        lim = library.limit(limit) if limit is not None else None
        if unit is None:
            if lim is None:
                raise InputError("A QuantityField needs a unit or a drug-library limit.")
            unit = lim.unit
        if value is None:
            if lim is None or lim.default is None:
                raise InputError(f"The field {label!r} needs a starting value.")
            value = f"{lim.default:g} {lim.unit}"
        self.unit = unit
        self.limit = limit
        self.name = name or label.lower()
        self.key = key or css_key(label)
        self._label_profile = label_profile or (lambda: DEFAULT_LABEL)
        if positive:  # above zero (the drug library's hard range may start at zero)
            min, min_inclusive = units.Q_(0, units._parse_unit(unit)), False  # noqa: A001 - the keyword's name
        self.min = None if min is None else units.as_quantity(min, unit, name=f"lower bound of the {self.name}")
        self.max = None if max is None else units.as_quantity(max, unit, name=f"upper bound of the {self.name}")
        self.min_inclusive = min_inclusive
        self._callbacks: list[Callable[[QuantityField], Any]] = []
        self.text = W.Text(
            value=value,
            description=label,
            continuous_update=False,
            placeholder=placeholder or units._example(unit),
            style={"description_width": "initial"},
            layout=W.Layout(width="auto"),
        )
        self.text.layout.min_width = width
        self.hint = W.HTML("")
        self.hint.add_class("itb-field-hint")
        self.confirm = W.Button(description="Confirm", tooltip="Use this value although it is past a soft limit",
                                layout=W.Layout(display="none", width="auto"))
        self.confirm.add_class("itb-confirm")
        self.confirm.on_click(lambda _b: self.confirm_pending())
        self.error = W.HTML("")
        self.error.add_class("itb-field-error")
        self.error_message = ""
        #: The soft-limit warnings of the value in force (empty inside the soft range).
        self.warnings: list[Any] = []
        #: A value past a soft limit that waits for Confirm, or ``None``.
        self.pending: Any = None
        self.quantity, self.warnings = self._parse(value)  # a bad default is a programming error: raise
        self.readback = f"read as {units.fmt(self.quantity)}"
        self._show_hint()
        super().__init__(children=[self.text, self.hint, self.confirm, self.error],
                         layout=W.Layout(align_items="center", flex_flow="row wrap"))
        self.add_class("itb-field")
        self.add_class(f"itb-field-{self.key}")
        self.text.observe(self._on_text, "value")

    @property
    def value(self) -> str:
        """The text in the field; setting it behaves as if the user typed it and pressed Enter."""
        return self.text.value

    @value.setter
    def value(self, text: str) -> None:
        if text == self.text.value:
            self._on_text({"new": text})
        else:
            self.text.value = text

    def on_change(self, callback: Callable[[QuantityField], Any]) -> None:
        """Call ``callback(field)`` after each good new value."""
        self._callbacks.append(callback)

    def _parse(self, text: Any) -> tuple[Any, list[Any]]:
        if not isinstance(text, str):
            raise InputError(f"The {self.name} must be typed as text such as '{units._example(self.unit)}'.")
        q = units.as_quantity(text, self.unit, name=self.name)
        shown = units.fmt(q)
        # said as typed: a tiny negative reformatted reads as noise ("-0.000000003 kg")
        if q.magnitude < 0 and self.min is not None and self.min.magnitude >= 0:
            raise InputError(f"The {self.name} cannot be negative; {text.strip()!r} was typed.")
        if self.min is not None and (q < self.min or (not self.min_inclusive and q == self.min)):
            word = "at least" if self.min_inclusive else "above"
            raise InputError(f"The {self.name} must be {word} {units.fmt(self.min)}; {shown} was entered.")
        if self.max is not None and q > self.max:
            raise InputError(f"The {self.name} must be at most {units.fmt(self.max)}; {shown} was entered.")
        warnings: list[Any] = []
        if self.limit is not None:
            warnings = library.check(self.limit, float(q.magnitude), self.unit, self.name, self._label_profile())
        return q, warnings

    def _on_text(self, change: dict) -> None:
        try:
            q, warnings = self._parse(change["new"])
        except ITBError as exc:
            self._show_error(str(exc))
            return
        except Exception:  # noqa: BLE001 - a field never shows a traceback
            log.exception("could not read %r for %s", change["new"], self.name)
            self._show_error(f"The {self.name} could not be read; write a number and a unit.")
            return
        self.text.remove_class("itb-invalid")
        self.error_message = ""
        if warnings:
            # Past a soft limit: say so, and wait for the user to confirm (dose-error-reduction practice).
            self.pending = (q, warnings)
            self.readback = f"read as {units.fmt(q)}"
            self._show_hint()
            self.error.value = (f'<span role="alert" class="itb-soft-limit">⚠ {esc(warnings[0].message)} '
                                f'Press Confirm to use it.</span>')
            self.confirm.layout.display = ""
            self.confirm.description = f"Confirm {units.fmt(q)}"
            return
        self._apply(q, warnings)

    def confirm_pending(self) -> None:
        """Use the value that waits past a soft limit (what the Confirm button does)."""
        if self.pending is None:
            return
        q, warnings = self.pending
        self._apply(q, warnings)
        self.error.value = (f'<span class="itb-soft-limit-confirmed">⚠ confirmed: '
                            f'{esc(warnings[0].message)}</span>')

    def _apply(self, q: Any, warnings: list[Any]) -> None:
        self.pending = None
        self.confirm.layout.display = "none"
        clear_inline_error(self.error)
        self.quantity, self.warnings = q, warnings
        self.readback = f"read as {units.fmt(q)}"
        self._show_hint()
        for cb in list(self._callbacks):
            cb(self)

    def _show_hint(self) -> None:
        self.hint.value = (f'<span class="itb-unit-hint">in {esc(units.display_unit(self.unit))}</span> '
                           f'<span class="itb-readback">· {esc(self.readback)}</span>')

    def _show_error(self, message: str) -> None:
        self.pending = None
        self.confirm.layout.display = "none"
        self.error_message = message
        inline_error(self.error, message)
        self.text.add_class("itb-invalid")


class QuantitySlider(W.FloatSlider):
    """A slider for a quantity in ``unit`` (``continuous_update=False``); read :attr:`quantity`.

    >>> s = QuantitySlider("Effect lasted", "h", 8, min=1, max=24, step=1)
    >>> units.fmt(s.quantity)
    '8 h'
    """

    def __init__(self, label: str, unit: str, value: float, *, min: float, max: float, step: float = 1.0,  # noqa: A002
                 key: str | None = None, readout_format: str = ".3g", **kwargs: Any) -> None:
        super().__init__(
            value=value, min=min, max=max, step=step,
            description=f"{label} ({units.display_unit(unit)})",
            continuous_update=False,
            readout_format=readout_format,
            style={"description_width": "initial"},
            layout=W.Layout(width="28em"),
            **kwargs,
        )
        self.unit = unit
        self.key = key or css_key(label)
        self.add_class("itb-field")
        self.add_class(f"itb-field-{self.key}")

    @property
    def quantity(self):
        return units.Q_(float(self.value), units._unit(self.unit))

    def on_change(self, callback: Callable[[QuantitySlider], Any]) -> None:
        """Call ``callback(slider)`` after each new value (same interface as :class:`QuantityField`)."""
        self.observe(lambda _change: callback(self), "value")


# --------------------------------------------------------------------------- inline refusals
def inline_error(target: W.HTML, message: str) -> None:
    """Show ``message`` in ``target`` (an HTML beside a control) in the style of a field's own error."""
    target.value = (f'<span role="alert" style="color:{SEVERITY_COLOURS["violation"]}">✖ {esc(message)}</span>')


def clear_inline_error(target: W.HTML) -> None:
    """Remove the message :func:`inline_error` showed in ``target``."""
    target.value = ""


class FieldGuard:
    """The last value of a :class:`QuantityField` that :mod:`itbcore` accepted.

    A QuantityField checks that an entry is a number with the right unit; whether the dose is
    allowed is for :mod:`itbcore` to say.  :meth:`read` runs ``check(quantity)``; when itbcore
    refuses, the refusal is shown next to the field and the last accepted value is returned,
    so the rest of the app keeps its last valid result.
    """

    def __init__(self, field: QuantityField, check: Callable[[Any], Any]) -> None:
        self.field = field
        self.check = check
        check(field.quantity)  # a refused default is a programming error: raise
        self.accepted = field.quantity
        self._shown = ""

    @property
    def refused(self) -> str:
        """The refusal shown next to the field, or ``""``."""
        return self._shown if self._shown and self.field.error_message == self._shown else ""

    def read(self) -> Any:
        f = self.field
        if f.error_message and f.error_message != self._shown:
            # The field could not read the entry (no unit, not a number): its own message stays.
            return self.accepted
        try:
            self.check(f.quantity)
        except ITBError as exc:
            self._shown = f.error_message = str(exc)
            inline_error(f.error, str(exc))
            f.text.add_class("itb-invalid")
            return self.accepted
        if self._shown:
            self._shown = f.error_message = ""
            clear_inline_error(f.error)
            f.text.remove_class("itb-invalid")
        self.accepted = f.quantity
        return self.accepted


def field_checkbox(text: str, key: str) -> W.Checkbox:
    """An unticked checkbox labelled ``text``, found by the browser test as ``.itb-field-<key>``."""
    cb = W.Checkbox(value=False, description=text, indent=False, layout=W.Layout(width="auto"))
    cb.add_class("itb-field")
    cb.add_class(f"itb-field-{key}")
    return cb


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
        colour = SEVERITY_COLOURS.get(kind, SEVERITY_COLOURS["violation"])
        self.value = (
            f'<div role="alert" style="border-left:4px solid {colour};padding:4px 8px;color:{colour}">'
            f"{esc(message)}</div>"
        )

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


# --------------------------------------------------------------------------- findings and actions
def _severity(item: Any) -> str:
    return getattr(item, "severity", None) or "action"


def findings_html(items: Iterable[Any], empty: str = "No findings.") -> str:
    """HTML for :class:`itbcore.Finding` / :class:`itbcore.Action` objects, severity-coloured, with sources."""
    rows = []
    for item in items:
        sev = _severity(item)
        colour = SEVERITY_COLOURS.get(sev, "#333")
        text = getattr(item, "message", None) or getattr(item, "text", "")
        rows.append(
            f'<div class="itb-finding itb-{esc(sev)}" style="border-left:5px solid {colour};padding:3px '
            '8px;margin:3px 0">'
            f'<strong style="color:{colour};text-transform:uppercase;font-size:0.85em">{esc(sev)}</strong> '
            f"{esc(text)} {cite(item.source)}</div>"
        )
    return "".join(rows) or f'<div class="itb-finding itb-none" style="color:#555">{esc(empty)}</div>'


def findings_text(items: Iterable[Any], empty: str = "No findings.") -> str:
    """Plain-text lines ``[severity] message (source)`` for summaries and tests."""
    lines = [
        f"[{_severity(i)}] {getattr(i, 'message', None) or getattr(i, 'text', '')} ({i.source})" for i in items
    ]
    return "\n".join(lines) or empty


class FindingsView(W.HTML):
    """An HTML widget showing findings or actions; :attr:`items` holds what is shown."""

    def __init__(self, empty: str = "No findings.") -> None:
        super().__init__(findings_html((), empty))
        self.empty = empty
        self.items: tuple = ()
        self.add_class("itb-findings")

    def show(self, items: Iterable[Any]) -> None:
        self.items = tuple(items)
        self.value = findings_html(self.items, self.empty)

    def text(self) -> str:
        return findings_text(self.items, self.empty)


def actions_html(actions: Any, empty: str = "No action needed.") -> str:
    """An ordered list of :class:`itbcore.Action` (most urgent first), each with its source."""
    items = "".join(
        f'<li style="margin:2px 0"><span class="itb-action">{esc(a.text)}</span> '
        f'{cite(a.source)}</li>' for a in actions)
    if not items:
        return f'<p class="itb-actions itb-none" style="color:#555">{esc(empty)}</p>'
    return (f'<ol class="itb-actions" style="border-left:5px solid {SEVERITY_COLOURS["action"]};'
            f'padding-left:2.2em;margin:4px 0">{items}</ol>')


def actions_text(actions: Any, empty: str = "No action needed.") -> str:
    """Numbered plain-text lines ``1. text (source)`` for summaries and tests."""
    return "\n".join(f"{i}. {a.text} ({a.source})" for i, a in enumerate(actions, 1)) or empty


# --------------------------------------------------------------------------- plots
#: The suite's look, as a plotly.js layout template (plotly.js applies it under each figure's layout).
_TEMPLATE: dict[str, Any] = {"layout": {
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#222"},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "colorway": ["#1f5fa8", "#b3261e", "#2e6b30", "#8a5a00", "#6b4fa0", "#0f7c80"],
    "xaxis": {"showgrid": True, "gridcolor": "#e5e5e5", "zeroline": False, "linecolor": "#888", "ticks": "outside"},
    "yaxis": {"showgrid": True, "gridcolor": "#e5e5e5", "zeroline": False, "linecolor": "#888", "ticks": "outside"},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "hovermode": "x unified",
}}


def make_figure(title: str, x_title: str, y_title: str, *, traces: Sequence[Trace] = (),
                height: int = 360) -> Figure:
    """A figure (:class:`widgets.plot.Figure`) in the suite's template; update it with :func:`set_trace`.

    Axis titles carry the unit (``"time (h)"``, ``"CSF baclofen (ng/mL)"``).  Served by the
    suite's launcher, the figure's front end imports plotly.js from the server once per page.
    """
    return Figure(data=list(traces), layout=dict(
        template=deepcopy(_TEMPLATE), title=dict(text=title), height=height,
        xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title))))


def set_trace(fig: Figure, index: int, x: Any, y: Any, **props: Any) -> None:
    """Replace trace ``index``'s data (and any other properties) in one message to the browser."""
    with fig.batch_update():
        trace = fig.data[index]
        trace.x = x
        trace.y = y
        for k, v in props.items():
            setattr(trace, k, v)


def room_for_legend(fig: Figure) -> None:
    """Put the title above the legend (the suite's template puts the legend just above the plot)."""
    fig.update_layout(margin=dict(t=95), title=dict(y=0.97, yanchor="top", x=0.01, xanchor="left"))


# --------------------------------------------------------------------------- sources
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCT_INFORMATION = os.path.join(_ROOT, "notebooks", "product_information.ipynb")


def section_href(citation: str) -> str:
    """The link that opens ``citation``'s section in the product-information app.

    Relative to the running notebook's folder (Voilà and Jupyter start the kernel there), so it works
    under any base URL — a plain Voilà server, a JupyterHub user's server, Binder.
    """
    try:
        page = os.path.relpath(PRODUCT_INFORMATION, os.getcwd()).replace(os.sep, "/")
    except ValueError:  # another drive
        page = "product_information.ipynb"
    return f"{page}?{urlencode({'section': citation})}"


def linked_citation(source: str) -> str:
    """``source`` as HTML, each label section in it a link to its section in the product-information app.

    Practice guidance and remarks stay plain text; a citation the label map does not know stays plain too
    (the label-map tests catch it; an app never fails over a link).
    """
    try:
        parts = citation_parts(source)
    except Exception:  # noqa: BLE001 - a link is never worth a failure on screen
        return esc(source)
    out = []
    for text, entry in parts:
        if entry is None:
            out.append(esc(text))
            continue
        lead, core, tail = _split_space(text)
        title = f"{entry.section} in the product-information app (opens a new tab)"
        out.append(f'{lead}<a class="itb-section-link" href="{esc(section_href(entry.section))}" target="_blank" '
                   f'rel="noopener" title="{esc(title)}">{esc(core)}</a>{tail}')
    return "".join(out)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def cite(source: str, after: str = "") -> str:
    """``<cite>(source)</cite>`` with its sections linked (:func:`linked_citation`); ``after`` is escaped text
    added inside the parentheses."""
    return f'<cite class="itb-cite">({linked_citation(source)}{esc(after)})</cite>'


def sources_html(sources: Iterable[str]) -> str:
    items = "".join(f"<li>{linked_citation(s)}</li>" for s in dict.fromkeys(sources))
    if not items:
        return ""
    return f'<div class="itb-sources"><strong>Sources</strong><ul>{items}</ul></div>'


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
