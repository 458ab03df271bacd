"""The suite's input fields: a quantity typed with its unit, a slider, a checkbox, and a refusal shown
at its field.

For training only, not for treating patients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from itbcore import library, units
from itbcore.errors import InputError, ITBError
from itbcore.i18n import DEFAULT_LOCALE, get_locale
from itbcore.i18n import gettext as core_gettext
from itbcore.sources import DEFAULT_LABEL

from ._kernel import server_log as log
from .findings import css_key, esc
from .i18n import _, message

__all__ = ["QuantityField", "QuantitySlider", "field_checkbox", "inline_error", "clear_inline_error"]


def _start_text(text: str, unit: str) -> str:
    """A starting value from the drug library (``"40 years"``) as the page's language writes it (``"40 år"``);
    in English, or if the text does not read as a quantity, as it is."""
    if get_locale() == DEFAULT_LOCALE or not text:
        return text
    try:
        return units.fmt(units.as_quantity(text, unit, "starting value"))
    except ITBError:
        return text


class QuantityField(W.HBox):
    """A text field for a quantity: a thin view of the drug library's spec for one quantity.

    The field holds no bounds of its own.  When the user presses Enter or leaves the field
    (``continuous_update=False``) it asks the core to read and check the text —
    :func:`itbcore.library.read` with the field's ``limit`` (a key of the drug library in force) and the
    label profile in force — and shows the core's answer in the core's words: how it read the entry
    ("read as 1500 µg/day", as a pump programmer's confirmation screen does), the refusal, or the
    soft-limit question, which waits for **Confirm** and a reason (:data:`itbcore.library.OVERRIDE_REASONS`).
    A refusal the core gives later, when the app computes (``must be above zero``, a rule of the
    module), is shown here too (:meth:`show_refusal`; the app routes it by the error's name and key).

    While the entry is refused or waits for Confirm, :attr:`blocked` says why and the app withdraws the
    results that depend on it: a result on screen always belongs to the inputs on screen.
    :attr:`quantity` is the last value the core accepted; callbacks registered with :meth:`on_change`
    run for each accepted (and, past a soft limit, confirmed) value, those of :meth:`on_state` on every
    outcome.

    >>> f = QuantityField("Test dose", limit="test_dose")
    >>> units.fmt(f.quantity), f.readback
    ('50 µg', 'read as 50 µg')
    >>> f.value = "5 mg"
    >>> f.blocked[:45], f.readback
    ('The test dose 5000 µg is above the hard limit', 'not read')

    ``label`` (and ``name``) are English texts marked ``N_`` by the caller: the field shows them translated and
    keeps its ``key`` (``.itb-field-<key>``) from the English.

    (tests/widgets/test_building_blocks.py types what users type into it.)
    """

    def __init__(
        self,
        label: str,
        unit: str | None = None,
        value: str | None = None,
        *,
        limit: str,
        name: str | None = None,
        key: str | None = None,
        placeholder: str | None = None,
        width: str = "11em",
        label_profile: Callable[[], str] | None = None,
    ) -> None:
        lim = library.limit(limit)
        self.unit = lim.unit if unit is None else unit
        if value is None:
            value = lim.default_text
        value = _start_text(value, self.unit)
        self.limit = limit
        self.name = _(name) if name else _(label).lower()
        self.key = key or css_key(label)
        self._label_profile = label_profile or (lambda: DEFAULT_LABEL)
        self._callbacks: list[Callable[[QuantityField], Any]] = []
        self._state_callbacks: list[Callable[[QuantityField], Any]] = []
        self.start_text = value
        self._quiet = False  # set while the app resets or rechecks every field (it refreshes once after)
        self.text = W.Text(
            value=value,
            description=_(label),
            continuous_update=False,
            placeholder=placeholder or message("a number in {unit}", unit=units.display_unit(self.unit)),
            style={"description_width": "initial"},
            layout=W.Layout(width="auto"),
        )
        self.text.layout.min_width = width
        self.hint = W.HTML("")
        self.hint.add_class("itb-field-hint")
        self.reason = W.Dropdown(
            options=[(_("Why confirm? choose a reason"), "")]
            + [(core_gettext(text), code) for code, text in library.OVERRIDE_REASONS.items()],
            value="",
            layout=W.Layout(display="none", width="auto"),
        )
        self.reason.add_class("itb-override-reason")
        self.reason_text = W.Text(
            value="", placeholder=_("reason (needed for 'Other')"), layout=W.Layout(display="none", width="16em")
        )
        self.reason_text.add_class("itb-override-text")
        self.confirm = W.Button(
            description=_("Confirm"),
            tooltip=_("Use this value although it is past a soft limit"),
            layout=W.Layout(display="none", width="auto"),
        )
        self.confirm.add_class("itb-confirm")
        self.confirm.on_click(lambda _b: self.confirm_pending())
        self.error = W.HTML("")
        self.error.add_class("itb-field-error")
        #: The refusal shown at the field (the reader's, the library's or the core's), or "".
        self.error_message = ""
        #: Whether :attr:`error_message` came from the core's computation (cleared when it next accepts).
        self.routed = False
        #: The soft-limit warnings of the value in force (empty inside the soft range).
        self.warnings: list[Any] = []
        #: A value past a soft limit that waits for Confirm (a :class:`itbcore.library.Reading`), or ``None``.
        self.pending: Any = None
        #: Why the value in force was confirmed past a soft limit (:func:`itbcore.library.override_reason`), or "".
        self.override = ""
        reading = self._read(value)  # a bad starting value is a programming error: raise
        self.quantity, self.warnings = reading.quantity, list(reading.warnings)
        self.readback: str = message("read as {value}", value=reading.text)
        self._show_hint()
        super().__init__(
            children=[self.text, self.hint, self.reason, self.reason_text, self.confirm, self.error],
            layout=W.Layout(align_items="center", flex_flow="row wrap"),
        )
        self.add_class("itb-field")
        self.add_class(f"itb-field-{self.key}")
        self.text.observe(self._on_text, "value")

    # -- what the app reads
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

    @property
    def blocked(self) -> str:
        """Why the entry on screen is not in force (refused, or waiting for Confirm), or ``""``."""
        if self.error_message:
            return self.error_message
        if self.pending is not None:
            return message(
                "The {name} {value} is past a soft limit and waits for you to confirm it with a reason.",
                name=self.name,
                value=self.pending.text,
            )
        return ""

    @property
    def label_profile(self) -> str:
        return self._label_profile()

    def bind_label(self, profile: Callable[[], str]) -> None:
        """Judge entries under the label profile ``profile()`` returns (the app's chooser)."""
        self._label_profile = profile

    def on_change(self, callback: Callable[[QuantityField], Any]) -> None:
        """Call ``callback(field)`` after each accepted new value."""
        self._callbacks.append(callback)

    def on_state(self, callback: Callable[[QuantityField], Any]) -> None:
        """Call ``callback(field)`` when an entry is refused or waits for Confirm (its results are withdrawn)."""
        self._state_callbacks.append(callback)

    # -- reading
    def _read(self, text: Any) -> library.Reading:
        if not isinstance(text, str):
            raise InputError(
                message(
                    "The {name} must be typed as text: a number and {unit}.",
                    name=self.name,
                    unit=units.display_unit(self.unit),
                )
            )
        return library.read(self.limit, text, unit=self.unit, name=self.name, label=self._label_profile())

    def _on_text(self, change: dict) -> None:
        try:
            reading = self._read(change["new"])
        except ITBError as exc:
            self._refuse(str(exc))
            return
        except Exception:  # noqa: BLE001 - a field never shows a traceback
            log.exception("could not read %r for %s", change["new"], self.name)
            self._refuse(
                message(
                    "The {name} could not be read; write a number and {unit}.",
                    name=self.name,
                    unit=units.display_unit(self.unit),
                )
            )
            return
        self._take(reading)

    def _take(self, reading: library.Reading, *, keep_override: bool = False) -> None:
        self.text.remove_class("itb-invalid")
        self.error_message, self.routed = "", False
        if reading.warnings and not (keep_override and self.override):
            # Past a soft limit: say so, and wait for the user to confirm with a reason (dose-error-reduction
            # practice: the reason is what a review of overrides learns from).
            self.pending = reading
            self.readback = message("read as {value}", value=reading.text)
            self._show_hint()
            ask = message("{warning} Choose a reason and press Confirm to use it.", warning=reading.warnings[0].message)
            self.error.value = f'<span role="alert" class="itb-soft-limit">⚠ {esc(ask)}</span>'
            self._show_confirm(True, reading.text)
            self._notify_state()
            return
        self._apply(reading)

    def recheck(self, notify: bool = True) -> None:
        """Read the entry again (the label profile changed): a soft limit of the new label may now ask.

        With ``notify=False`` no callback runs (the app refreshes once after rechecking every field).
        """
        self._quiet = not notify
        try:
            try:
                reading = self._read(self.text.value)
            except ITBError as exc:
                self._refuse(str(exc))
                return
            same = (
                self.override
                and reading.warnings
                and self.warnings
                and reading.warnings[0].message == self.warnings[0].message
            )
            self._take(reading, keep_override=bool(same))
        finally:
            self._quiet = False

    def confirm_pending(self) -> None:
        """Use the value that waits past a soft limit, with the reason chosen (what the Confirm button does)."""
        if self.pending is None:
            return
        try:
            reason = library.override_reason(self.reason.value, self.reason_text.value) if self.reason.value else ""
        except ITBError as exc:
            inline_error(self.error, str(exc))
            return
        if not reason:
            inline_error(
                self.error,
                message(
                    "Choose why the {name} {value} past the soft limit is confirmed, then press Confirm.",
                    name=self.name,
                    value=self.pending.text,
                ),
            )
            return
        reading = self.pending
        self.override = reason
        self._apply(reading)
        said = message("confirmed: {warning} Reason: {reason}.", warning=reading.warnings[0].message, reason=reason)
        self.error.value = f'<span class="itb-soft-limit-confirmed">⚠ {esc(said)}</span>'

    def _apply(self, reading: library.Reading) -> None:
        self.pending = None
        if not reading.warnings:
            self.override = ""
        self._show_confirm(False)
        clear_inline_error(self.error)
        self.quantity, self.warnings = reading.quantity, list(reading.warnings)
        self.readback = message("read as {value}", value=reading.text)
        self._show_hint()
        if not self._quiet:
            for cb in list(self._callbacks):
                cb(self)

    # -- refusals
    def show_refusal(self, message: str) -> None:
        """Show a refusal the core gave for the value in force (routed here by the app)."""
        self.error_message, self.routed = message, True
        inline_error(self.error, message)
        self.text.add_class("itb-invalid")

    def clear_refusal(self) -> None:
        """The core accepted the value in force: remove a refusal it gave earlier."""
        if self.routed:
            self.error_message, self.routed = "", False
            clear_inline_error(self.error)
            self.text.remove_class("itb-invalid")

    def _refuse(self, message: str) -> None:
        self.pending = None
        self._show_confirm(False)
        self.error_message, self.routed = message, False
        self.readback = _("not read")
        self._show_hint()
        inline_error(self.error, message)
        self.text.add_class("itb-invalid")
        self._notify_state()

    def reset(self, notify: bool = True) -> None:
        """Back to the starting entry, with no override (``notify=False``: no callback runs)."""
        self.override = ""
        self.reason.value, self.reason_text.value = "", ""
        self._quiet = not notify
        try:
            self.value = self.start_text
        finally:
            self._quiet = False

    # -- display
    def _notify_state(self) -> None:
        if self._quiet:
            return
        for cb in list(self._state_callbacks):
            cb(self)

    def _show_confirm(self, on: bool, shown: str = "") -> None:
        display = "" if on else "none"
        self.confirm.layout.display = self.reason.layout.display = self.reason_text.layout.display = display
        if on:
            self.confirm.description = message("Confirm {value}", value=shown)

    def _show_hint(self) -> None:
        self.hint.value = (
            f'<span class="itb-unit-hint">{esc(message("in {unit}", unit=units.display_unit(self.unit)))}</span> '
            f'<span class="itb-readback">· {esc(self.readback)}</span>'
        )


class QuantitySlider(W.FloatSlider):
    """A slider for a quantity in ``unit`` (``continuous_update=False``); read :attr:`quantity`.

    With ``limit`` (a drug-library key) its range is the library's hard range, so a slider cannot offer
    a value the core refuses; a slider over a teaching parameter that no library limit covers names its
    own ``min`` and ``max``.  ``label`` is an English text marked ``N_`` by the caller (shown translated; the
    key comes from the English).

    >>> s = QuantitySlider("Effect lasted", "h", 8, min=1, max=24, step=1)
    >>> units.fmt(s.quantity)
    '8 h'
    >>> m = QuantitySlider("Refill margin", "day", 4, limit="refill_margin")
    >>> (m.min, m.max) == (library.limit("refill_margin").hard.min, library.limit("refill_margin").hard.max)
    True
    """

    def __init__(
        self,
        label: str,
        unit: str,
        value: float,
        *,
        min: float | None = None,  # noqa: A002
        max: float | None = None,  # noqa: A002
        step: float = 1.0,
        limit: str | None = None,
        key: str | None = None,
        readout_format: str = ".3g",
        **kwargs: Any,
    ) -> None:
        if limit is not None:
            lim = library.limit(limit)
            hard = lim.hard
            f = units.magnitude_in(f"1 {lim.unit}", unit)
            min, max = hard.min * f, hard.max * f  # noqa: A001 - the keyword's names
            if not hard.max_inclusive:
                max -= step  # noqa: A001
        if min is None or max is None:
            raise InputError(f"The slider {label!r} needs a drug-library limit or its own min and max.")
        super().__init__(
            value=value,
            min=min,
            max=max,
            step=step,
            description=message("{label} ({unit})", label=_(label), unit=units.display_unit(unit)),
            continuous_update=False,
            readout_format=readout_format,
            style={"description_width": "initial"},
            layout=W.Layout(width="28em"),
            **kwargs,
        )
        self.unit = unit
        self.limit = limit
        self.key = key or css_key(label)
        self.add_class("itb-field")
        self.add_class(f"itb-field-{self.key}")

    @property
    def quantity(self):
        return units.Q_(float(self.value), units._unit(self.unit))

    def on_change(self, callback: Callable[[QuantitySlider], Any]) -> None:
        """Call ``callback(slider)`` after each new value (same interface as :class:`QuantityField`)."""
        self.observe(lambda _change: callback(self), "value")


def inline_error(target: W.HTML, message: str) -> None:
    """Show ``message`` in ``target`` (an HTML beside a control) in the style of a field's own error."""
    target.value = f'<span role="alert" class="itb-inline-error">✖ {esc(message)}</span>'


def clear_inline_error(target: W.HTML) -> None:
    """Remove the message :func:`inline_error` showed in ``target``."""
    target.value = ""


def field_checkbox(text: str, key: str) -> W.Checkbox:
    """An unticked checkbox labelled ``text`` (translated by the caller), found by the browser test as
    ``.itb-field-<key>``."""
    cb = W.Checkbox(value=False, description=text, indent=False, layout=W.Layout(width="auto"))
    cb.add_class("itb-field")
    cb.add_class(f"itb-field-{key}")
    return cb
