"""The first daily dose after a successful test dose (label rule and practice guidance).

For training only, not for treating patients.  Re-exported by :mod:`itbcore.titration`; import from there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from ..errors import InputError
from ..i18n import gettext, message
from ..sources import (
    DEFAULT_LABEL,
    PRACTICE,
    RULE_LABELS,
    check_rule_label,
    cite,
)
from ..units import Q_, QuantityLike, _fmt_float
from .rules import _SAULINO, _SELECTION, _TWELVE_H, PRACTICE_EFFECT_THRESHOLD, TWELVE_HOURS, _bolus, _effect

__all__ = ["initial_daily_dose", "DoseOption", "InitialDoseOptions", "initial_dose_options"]


def initial_daily_dose(
    test_dose: QuantityLike,
    effect_duration: QuantityLike,
    label: str = DEFAULT_LABEL,
) -> pint.Quantity:
    """The first daily dose of the continuous infusion.

    The effective test dose when its effect lasted more than 12 h; twice the test
    dose otherwise (lionova 4.2; lioresal Dosing: phase of dose selection).  At
    exactly 12 h lioresal doubles ("up to 12 hours"); lionova ("over 12 h" / "under
    12 h") leaves it open and the suite doubles as well (label difference
    ``twelve_hour_boundary``).  Practice guidance uses 8 h: see :func:`initial_dose_options`.

    Parameters
    ----------
    test_dose : Quantity or str
        The effective test bolus, above zero and at most 100 µg.
    effect_duration : Quantity or str
        How long its effect lasted, above zero.
    label : {"lionova", "lioresal"}

    Returns
    -------
    Quantity[µg/day]

    Examples
    --------
    >>> initial_daily_dose("75 mcg", "14 h")
    <Quantity(75.0, 'microgram / day')>
    >>> initial_daily_dose("0.05 mg", "12 h", label="lioresal")
    <Quantity(100.0, 'microgram / day')>
    """
    label = check_rule_label(label)
    dose, effect = _bolus(test_dose, label), _effect(effect_duration)
    # lionova 4.2 / lioresal Dosing: phase of dose selection: "more than 12 h" → equal, otherwise double.
    factor = 1 if effect.magnitude > TWELVE_HOURS.magnitude else 2
    return Q_(float(dose.magnitude) * factor, "ug/day")


@dataclass(frozen=True)
class DoseOption:
    """One source's first daily dose: ``basis`` is ``"lionova"``, ``"lioresal"`` or ``"practice guidance"``."""

    basis: str
    dose: pint.Quantity
    rule: str
    source: str


@dataclass(frozen=True)
class InitialDoseOptions:
    """The first daily dose by each label and by practice guidance, so the difference can be shown.

    Attributes
    ----------
    test_dose, effect_duration : Quantity
        The inputs.
    options : tuple of DoseOption
        lionova, lioresal, practice guidance, in that order.
    agree : bool
        Whether all options give the same dose.
    """

    test_dose: pint.Quantity
    effect_duration: pint.Quantity
    options: tuple[DoseOption, ...]
    agree: bool

    def by(self, basis: str) -> DoseOption:
        """The option of ``basis`` (``"lionova"``, ``"lioresal"`` or ``"practice guidance"``)."""
        for option in self.options:
            if option.basis == basis:
                return option
        raise InputError(
            message(
                "No option for {basis}; choose one of: {options}.",
                basis=repr(basis),
                options=", ".join(o.basis for o in self.options),
            )
        )


def initial_dose_options(
    test_dose: QuantityLike,
    effect_duration: QuantityLike,
    side_effects: bool = False,
) -> InitialDoseOptions:
    """First daily dose under each label and under practice guidance.

    lionova 4.2: equal to the test dose over 12 h, double under 12 h (exactly 12 h
    not covered; the suite doubles).  lioresal Dosing: phase of dose selection: double
    up to 12 h, equal over 12 h.  Practice guidance (Neuromodulation 2016, Saulino et
    al.): double, or equal when the bolus effect lasted more than 8 h or the bolus
    caused side effects.

    Parameters
    ----------
    test_dose : Quantity or str
        The effective test bolus (above zero, at most 100 µg).
    effect_duration : Quantity or str
        How long its effect lasted.
    side_effects : bool
        Whether the bolus caused side effects (used by practice guidance only).

    Returns
    -------
    InitialDoseOptions

    Examples
    --------
    >>> o = initial_dose_options("50 ug", "10 h")
    >>> [(x.basis, f"{x.dose.magnitude:g}") for x in o.options]
    [('lionova', '100'), ('lioresal', '100'), ('practice guidance', '50')]
    >>> o.agree
    False
    """
    if not isinstance(side_effects, bool):
        raise InputError(f"side_effects must be True or False, not {side_effects!r}.")
    dose, effect = _bolus(test_dose), _effect(effect_duration)
    h = effect.magnitude
    twelve = _fmt_float(_TWELVE_H, "h")
    options = []
    rule: str
    for label in RULE_LABELS:
        value = initial_daily_dose(dose, effect, label=label)
        if h > _TWELVE_H:
            rule = message("effect over {hours}: the daily dose equals the test dose", hours=twelve)
        elif h < _TWELVE_H:
            rule = message("effect under {hours}: twice the test dose", hours=twelve)
        elif label == "lionova":
            rule = message(
                "effect exactly {hours}: not covered by the text (over / under {hours}); the suite doubles",
                hours=twelve,
            )
        else:
            rule = message("effect up to {hours}: twice the test dose", hours=twelve)
        options.append(DoseOption(label, value, rule, cite(label, _SELECTION[label])))
    if h > PRACTICE_EFFECT_THRESHOLD.magnitude or side_effects:
        if h > PRACTICE_EFFECT_THRESHOLD.magnitude:
            rule = gettext("effect over 8 h: the daily dose equals the test dose")
        else:
            rule = gettext("the bolus caused side effects: the daily dose equals the test dose")
        value = Q_(float(dose.magnitude), "ug/day")
    else:
        value = Q_(2 * float(dose.magnitude), "ug/day")
        rule = gettext("effect 8 h or less, no side effects: twice the test dose")
    options.append(DoseOption(PRACTICE, value, rule, _SAULINO))
    agree = len({o.dose.magnitude for o in options}) == 1
    return InitialDoseOptions(dose, effect, tuple(options), agree)
