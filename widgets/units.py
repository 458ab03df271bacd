"""Units and strengths: the same dose written in µg and mg, and its volume at each strength.

For training only, not for treating patients.  The smallest real app of the suite and the
worked example of the :class:`widgets.app.App` pattern: it uses only :mod:`itbcore.units`.
"""

from __future__ import annotations

import ipywidgets as W

from itbcore import library, units
from itbcore.formulations import FORMULATIONS, volumes_at_strengths

from .app import App
from .fields import QuantityField
from .i18n import N_, _, message
from .plot import Bar, make_figure, set_trace

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("units")

__all__ = ["UnitsApp", "build_app", "STRENGTHS"]

#: The strengths of the solution for intrathecal use (itbcore.formulations: lionova 2, 6.5).
STRENGTHS = tuple(f.key for f in FORMULATIONS.values())


class UnitsApp(App):
    title = N_("Units and strengths")
    intro = N_(
        "A dose written in mg where µg was meant is a thousand-fold error; the wrong strength of "
        "solution is a forty-fold one. Type a dose (`50 µg`, `50 mcg`, `0.05 mg`) and press Enter: the "
        "app writes it in both units and shows the volume it needs at each strength of the solution "
        "(lionova 2, 6.5)."
    )
    label_choice = False
    sources = (N_("lionova 2 (strengths)"), N_("lionova 6.5 (ampoules)"))

    def build(self):
        self.dose = QuantityField(N_("Dose"), value=START["dose"], limit="bolus_dose", name=N_("dose"))
        self.watch(self.dose)
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.fig = make_figure(
            _("Volume of this dose at each strength"),
            _("strength"),
            _("volume (mL)"),
            traces=[Bar(x=[], y=[], name=_("volume"), texttemplate="%{y:.3~g} " + units.display_unit("mL"))],
        )
        self.fig.update_xaxes(type="category")
        return [self.dose], [self.result, self.fig]

    def volumes(self):
        return [(f.key, v) for f, v in volumes_at_strengths(self.dose.quantity)]

    def update(self):
        dose = self.dose.quantity
        vols = self.volumes()
        rows = "".join(
            "<li>"
            + message("at {strength}: {volume}", strength=units.fmt(units.as_quantity(s, "ug/mL")), volume=units.fmt(v))
            + "</li>"
            for s, v in vols
        )
        self.result.value = (
            f"<p><strong>{units.fmt(dose, 'ug')}</strong> = <strong>{units.fmt(dose, 'mg')}</strong></p><ul>{rows}</ul>"
        )
        set_trace(
            self.fig, 0, [units.fmt(units.as_quantity(s, "ug/mL")) for s, _v in vols], [v.magnitude for _s, v in vols]
        )

    def summary(self):
        dose = self.dose.quantity
        lines = [
            message(
                "dose: {micrograms} = {milligrams}", micrograms=units.fmt(dose, "ug"), milligrams=units.fmt(dose, "mg")
            )
        ]
        lines += [
            message(
                "volume at {strength}: {volume}", strength=units.fmt(units.as_quantity(s, "ug/mL")), volume=units.fmt(v)
            )
            for s, v in self.volumes()
        ]
        return "\n".join(lines)


def build_app(**kwargs) -> UnitsApp:
    """The units-and-strengths app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return UnitsApp(**kwargs)
