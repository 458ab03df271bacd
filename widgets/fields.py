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
from itbcore.sources import DEFAULT_LABEL

from ._kernel import server_log as log
from .findings import css_key, esc

__all__ = ["QuantityField", "QuantitySlider", "FieldGuard", "field_checkbox", "inline_error", "clear_inline_error"]


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

    (tests/widgets/test_building_blocks.py types what users type into it.)
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


def inline_error(target: W.HTML, message: str) -> None:
    """Show ``message`` in ``target`` (an HTML beside a control) in the style of a field's own error."""
    target.value = f'<span role="alert" class="itb-inline-error">✖ {esc(message)}</span>'


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
