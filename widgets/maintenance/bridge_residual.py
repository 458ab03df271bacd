"""The bridge-bolus and residual-volume tab of the maintenance app.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

import itbcore
from itbcore import units
from itbcore.units import fmt

from ..app import Status, run_panel
from ..fields import QuantityField
from ..findings import FindingsView, cite, esc
from ..i18n import N_, _, message
from ..palette import colour
from ..plot import Scatter, make_figure, set_trace
from ._common import EXAMPLE_DEVICE, START, _box, _field, _result_widget, _rows, _Section

if TYPE_CHECKING:
    from . import MaintenanceApp


# ---------------------------------------------------------------------------------------------- bridge, residual
class BridgeResidualSection(_Section):
    """Bridge bolus at a change of concentration, and the residual-volume check at refill."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.residual_status = Status()
        self.old = _field(N_("Old concentration"), "bridge-old", "concentration")
        self.new = _field(N_("New concentration"), "bridge-new", "concentration")
        self.dose = _field(N_("Daily dose"), "bridge-dose", "daily_dose")
        self.length = QuantityField(
            N_("Catheter length (implant record)"),
            "cm",
            EXAMPLE_DEVICE["catheter_length"],
            limit="catheter_length",
            name=N_("catheter length"),
            key="bridge-length",
        )
        self.per_cm = QuantityField(
            N_("Catheter volume per cm (catheter documentation)"),
            "uL/cm",
            EXAMPLE_DEVICE["catheter_volume_per_length"],
            limit="catheter_volume_per_length",
            name=N_("catheter volume per length"),
            key="bridge-per-cm",
        )
        self.tubing = QuantityField(
            N_("Pump tubing volume (pump documentation)"),
            "uL",
            EXAMPLE_DEVICE["pump_tubing_volume"],
            limit="pump_tubing_volume",
            name=N_("pump tubing volume"),
            key="bridge-tubing",
        )
        self.bridge_inputs = [self.old, self.new, self.dose, self.length, self.per_cm, self.tubing]
        for f in self.bridge_inputs:
            f.on_change(lambda _f: self.refresh_bridge())
            f.on_state(lambda _f: self.refresh_bridge())
        self.bridge_result = _result_widget("bridge")
        self.bridge_findings = FindingsView()
        self.fig = make_figure(
            _("Dose delivered after the refill"),
            _("time after the refill (h)"),
            _("dose rate (µg/day)"),
            height=300,
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line_shape="hv",
                    name=_("without bridge bolus"),
                    line=dict(color=colour("violation"), width=3),
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line_shape="hv",
                    name=_("with bridge bolus"),
                    line=dict(color=colour("action"), dash="dash", width=3),
                ),
            ],
        )
        self.bridge: itbcore.BridgeBolus | None = None

        self.prev = QuantityField(
            N_("Previous fill volume"),
            value=START["residual-previous"],
            limit="reservoir_volume",
            name=N_("previous fill volume"),
            key="residual-previous",
        )
        self.r_dose = QuantityField(
            N_("Programmed daily dose"),
            value=START["residual-dose"],
            limit="daily_dose",
            name=N_("programmed daily dose"),
            key="residual-dose",
        )
        self.r_conc = _field(N_("Concentration"), "residual-concentration", "concentration")
        self.elapsed = QuantityField(
            N_("Time since that fill"),
            value=START["residual-elapsed"],
            limit="time_since_fill",
            name=N_("time since the fill"),
            key="residual-elapsed",
        )
        self.found = QuantityField(
            N_("Volume found (withdrawn)"),
            value=START["residual-found"],
            limit="found_volume",
            name=N_("volume found"),
            key="residual-found",
        )
        self.residual_inputs = [self.prev, self.r_dose, self.r_conc, self.elapsed, self.found]
        for f in self.residual_inputs:
            f.on_change(lambda _f: self.refresh_residual())
            f.on_state(lambda _f: self.refresh_residual())
        self.residual_result = _result_widget("residual")
        self.residual_findings = FindingsView(empty=N_("No discrepancy."))
        self.residual: itbcore.ResidualCheck | None = None
        #: Why each part's results are withdrawn ("" while they belong to the inputs on screen).
        self.bridge_withdrawn = self.residual_withdrawn = ""
        self.widget = W.VBox(
            [
                W.HTML(
                    '<h2 class="itb-section-title">'
                    + _(
                        "Bridge bolus when the concentration changes <small>(practice guidance: Neuromodulation "
                        "2016, Saulino et al.)</small>"
                    )
                    + "</h2><p class='itb-muted'>"
                    + esc(
                        _(
                            "Catheter and tubing volumes are device values: the defaults are examples; enter those "
                            "of the patient's pump and catheter."
                        )
                    )
                    + "</p>"
                ),
                W.VBox([self.old, self.new, self.dose, self.length, self.per_cm, self.tubing]),
                self.status,
                self.bridge_result,
                self.fig,
                self.bridge_findings,
                W.HTML(f'<h2 class="itb-section-title">{esc(_("Residual volume at refill"))}</h2>'),
                W.VBox([self.prev, self.r_dose, self.r_conc, self.elapsed, self.found]),
                self.residual_status,
                self.residual_result,
                self.residual_findings,
            ]
        )

    def update(self) -> None:
        self.refresh_bridge()
        self.refresh_residual()

    def refresh(self) -> bool:
        return self.refresh_bridge() & self.refresh_residual()

    def refresh_bridge(self) -> bool:
        """The bridge bolus as a panel (:func:`run_panel`): a refused entry withdraws its results only."""
        self.bridge_withdrawn = run_panel(
            self._update_bridge, self.status, self.bridge_inputs, [self.bridge_result, self.fig, self.bridge_findings]
        )
        if self.bridge_withdrawn:
            self.bridge = None
            return False
        self.updates += 1
        return True

    def refresh_residual(self) -> bool:
        """The residual-volume check as a panel: a refused entry withdraws its results only."""
        self.residual_withdrawn = run_panel(
            self._update_residual,
            self.residual_status,
            self.residual_inputs,
            [self.residual_result, self.residual_findings],
        )
        if self.residual_withdrawn:
            self.residual = None
            return False
        self.updates += 1
        return True

    def _update_bridge(self) -> None:
        b = itbcore.bridge_bolus(
            self.old.quantity,
            self.new.quantity,
            self.dose.quantity,
            self.length.quantity,
            self.per_cm.quantity,
            self.tubing.quantity,
        )
        self.bridge = b
        self.bridge_result.value = (
            _rows(
                [
                    (_("Dead volume (tubing + catheter)"), fmt(b.dead_volume)),
                    (_("Old solution in it"), fmt(b.old_amount)),
                    (
                        _("Without a bridge"),
                        message(
                            "{rate} for {time} instead of {dose}",
                            rate=fmt(b.dose_rate_without_bridge),
                            time=fmt(b.clear_time_new_rate),
                            dose=fmt(self.dose.quantity),
                        ),
                    ),
                    (
                        _("Bridge bolus"),
                        message("{volume} over {time}", volume=fmt(b.bolus_volume), time=fmt(b.bolus_duration)),
                    ),
                ]
            )
            + "<p>"
            + message("Source: {source}", source=cite(b.source))
            + "</p>"
        )
        dose = float(units.as_quantity(self.dose.quantity, "ug/day").magnitude)
        without = float(b.dose_rate_without_bridge.magnitude)
        t_new = float(b.clear_time_new_rate.magnitude)
        end = max(24.0, 1.5 * t_new)
        with self.fig.batch_update():
            set_trace(self.fig, 0, [0.0, t_new, end], [without, dose, dose])
            set_trace(self.fig, 1, [0.0, end], [dose, dose])
        self.bridge_findings.show(b.findings)

    def _update_residual(self) -> None:
        expected = itbcore.expected_residual(
            self.prev.quantity, self.r_dose.quantity, self.r_conc.quantity, self.elapsed.quantity
        )
        check = itbcore.residual_check(expected, self.found.quantity)
        self.residual = check
        kind = "action" if check.status == "ok" else "violation"
        head = (
            _("OK: the volume found matches the expected residual")
            if check.status == "ok"
            else _("DISCREPANCY: do not simply refill and restart (overdose risk on restart)")
        )
        self.residual_result.value = _box(
            f"<strong class='itb-sev-{kind}'>{esc(head)}</strong>"
            + _rows(
                [
                    (_("Expected"), fmt(check.expected)),
                    (_("Found"), fmt(check.found)),
                    (_("Difference (found − expected)"), fmt(check.difference)),
                    (_("Tolerance"), fmt(check.tolerance)),
                ]
            ),
            kind,
        )
        self.residual_findings.show(check.findings)

    def summary(self) -> str:
        lines: list[str] = []
        b, r = self.bridge, self.residual
        if self.bridge_withdrawn:
            lines.append(message("bridge bolus: no result: {why}", why=self.bridge_withdrawn))
        if self.residual_withdrawn:
            lines.append(message("residual: no result: {why}", why=self.residual_withdrawn))
        if b is not None:
            lines.append(
                message(
                    "bridge bolus: dead volume {volume} holding {amount}; bolus {bolus} over {duration}; without it "
                    "{rate} for {time}",
                    volume=fmt(b.dead_volume),
                    amount=fmt(b.old_amount),
                    bolus=fmt(b.bolus_volume),
                    duration=fmt(b.bolus_duration),
                    rate=fmt(b.dose_rate_without_bridge),
                    time=fmt(b.clear_time_new_rate),
                )
            )
        if r is not None:
            lines.append(
                message(
                    "residual: expected {expected}, found {found} -> {status}",
                    expected=fmt(r.expected),
                    found=fmt(r.found),
                    status=r.status,
                )
            )
        return "\n".join(lines)
