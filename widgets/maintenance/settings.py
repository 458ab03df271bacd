"""The old-versus-new settings tab of the maintenance app.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

import itbcore
from itbcore.i18n import gettext as core_gettext
from itbcore.units import fmt

from ..app import restore
from ..fields import QuantityField
from ..findings import FindingsView, cite, esc, findings_text
from ..i18n import N_, _, message
from ._common import START, _box, _field, _result_widget, _rows, _Section

if TYPE_CHECKING:
    from . import MaintenanceApp


# ---------------------------------------------------------------------------------------------- settings
class SettingsSection(_Section):
    """Old versus new pump settings side by side, and a Programme button refused on a violation."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        modes = list(itbcore.DELIVERY_MODES)
        # the core's codes in its words; plain codes while they read the same (the options stay the codes in English)
        labelled = [(core_gettext(m), m) for m in modes]
        shown = modes if all(label == m for label, m in labelled) else labelled
        self.old_conc = _field(N_("Concentration"), "old-concentration", "concentration", N_("old concentration"))
        self.old_dose = QuantityField(
            N_("Daily dose"), value=START["old-dose"], limit="daily_dose", name=N_("old daily dose"), key="old-dose"
        )
        self.old_mode = W.Dropdown(options=shown, value=modes[0], description=_("Mode"))
        self.new_conc = _field(N_("Concentration"), "new-concentration", "concentration", N_("new concentration"))
        self.new_dose = QuantityField(
            N_("Daily dose"), value=START["new-dose"], limit="daily_dose", name=N_("new daily dose"), key="new-dose"
        )
        self.new_mode = W.Dropdown(options=shown, value=modes[0], description=_("Mode"))
        self.watch(self.old_conc, self.old_dose, self.old_mode, self.new_conc, self.new_dose, self.new_mode)
        self.programme = W.Button(
            description=_("Programme"), icon="upload", button_style="primary", layout=W.Layout(width="auto")
        )
        self.programme.add_class("itb-field")
        self.programme.add_class("itb-field-programme")
        self.programme.on_click(lambda _b: self.press_programme())
        self.outcome = _result_widget("programme")
        self.result = _result_widget("settings")
        self.findings = FindingsView(empty=N_("No finding: no two-fold or larger change."))
        self.comparison: list = []
        self.old_settings: itbcore.PumpSettings | None = None
        self.new_settings: itbcore.PumpSettings | None = None
        col = dict(border="1px solid #ccc", padding="6px", margin="0 6px 0 0")
        columns = W.HBox(
            [
                W.VBox(
                    [
                        W.HTML(f"<strong>{esc(_('Old (in the pump)'))}</strong>"),
                        self.old_conc,
                        self.old_dose,
                        self.old_mode,
                    ],
                    layout=W.Layout(**col),
                ),
                W.VBox(
                    [
                        W.HTML(f"<strong>{esc(_('New (to programme)'))}</strong>"),
                        self.new_conc,
                        self.new_dose,
                        self.new_mode,
                    ],
                    layout=W.Layout(**col),
                ),
            ],
            layout=W.Layout(flex_flow="row wrap"),
        )
        self.outputs = [self.result, self.findings, self.outcome]
        self.widget = W.VBox([columns, self.status, self.result, self.findings, self.programme, self.outcome])

    def update(self) -> None:
        old = itbcore.PumpSettings(self.old_conc.quantity, self.old_dose.quantity, self.old_mode.value)
        new = itbcore.PumpSettings(self.new_conc.quantity, self.new_dose.quantity, self.new_mode.value)
        found = itbcore.compare_settings(old, new)
        self.old_settings, self.new_settings, self.comparison = old, new, found
        self.result.value = _rows(
            [
                ("", _("old → new")),
                (_("Concentration"), f"{fmt(old.concentration)} → {fmt(new.concentration)}"),
                (_("Daily dose"), f"{fmt(old.daily_dose)} → {fmt(new.daily_dose)}"),
                (_("Daily volume"), f"{fmt(old.daily_volume)} → {fmt(new.daily_volume)}"),
                (_("Mode"), f"{core_gettext(old.mode)} → {core_gettext(new.mode)}"),
            ]
        )
        self.findings.show(found)
        self.outcome.value = ""  # a changed setting needs a new press

    def violations(self) -> list:
        return [f for f in self.comparison if f.severity == "violation"]

    def press_programme(self) -> None:
        if not self.refresh() or self.new_settings is None:
            restore([self.outcome])  # the refusal to programme is said, while the comparison stays withdrawn
            self.outcome.value = _box(_("<strong>Not programmed:</strong> correct the settings first."), "violation")
            return
        bad = self.violations()
        if bad:
            reasons = "".join(f"<li>{esc(f.message)} {cite(f.source)}</li>" for f in bad)
            self.outcome.value = _box(
                "<strong class='itb-sev-violation'>"
                + _("Programming refused</strong> while a violation is present:")
                + f"<ul>{reasons}</ul>",
                "violation",
            )
            return
        new = self.new_settings
        self.outcome.value = _box(
            message(
                "<strong>Programmed (training simulation):</strong> {concentration}, {dose}, {mode}. Check the "
                "warnings above with a second person.",
                concentration=esc(fmt(new.concentration)),
                dose=esc(fmt(new.daily_dose)),
                mode=esc(core_gettext(new.mode)),
            ),
            "action",
        )

    def summary(self) -> str:
        o, n = self.old_settings, self.new_settings
        if o is None or n is None:
            return _("settings: none")
        return (
            message(
                "settings: {old} -> {new}",
                old=f"{fmt(o.concentration)} {fmt(o.daily_dose)} {o.mode}",
                new=f"{fmt(n.concentration)} {fmt(n.daily_dose)} {n.mode}",
            )
            + "\n  "
            + message("comparison: {findings}", findings=findings_text(self.comparison, N_("no finding")))
        )
