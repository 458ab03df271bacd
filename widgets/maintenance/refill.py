"""The refill-plan tab of the maintenance app.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as W

import itbcore
from itbcore import units
from itbcore.units import fmt

from ..fields import QuantitySlider, clear_inline_error, inline_error
from ..findings import FindingsView, esc
from ..i18n import N_, _, message
from ..palette import colour
from ..plot import Scatter, make_figure, set_trace
from ._common import _box, _date, _field, _result_widget, _rows, _Section

if TYPE_CHECKING:
    from . import MaintenanceApp


# ---------------------------------------------------------------------------------------------- refill
_NO_DATE = N_("Give the date of this fill (the dates of the alarm and the refill count from it).")


class RefillSection(_Section):
    """Refill plan: reservoir draining to the alarm and to empty, the refill date and what set it."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.reservoir = _field(N_("Reservoir volume"), "refill-reservoir", "reservoir_volume")
        self.concentration = _field(N_("Concentration"), "refill-concentration", "concentration")
        self.dose = _field(N_("Daily dose"), "refill-dose", "daily_dose")
        self.alarm = _field(N_("Alarm volume (device setting)"), "refill-alarm", "alarm_volume", N_("alarm volume"))
        self.fill_date = W.DatePicker(
            description=_("Fill date"), value=dt.date.today(), style={"description_width": "initial"}
        )
        self.fill_date.add_class("itb-field")
        self.fill_date.add_class("itb-field-refill-date")
        self.date_error = W.HTML("")
        self.date_error.add_class("itb-field-error")
        self.margin = QuantitySlider(
            N_("Refill margin before the alarm"),
            "day",
            4,
            limit="refill_margin",
            step=1,
            key="refill-margin",
            readout_format=".0f",
        )
        self.margin.layout.width = "40em"
        self.watch(self.reservoir, self.concentration, self.dose, self.alarm, self.margin)
        self.fill_date.observe(self._on_date, "value")
        self.result = _result_widget("refill")
        self.findings = FindingsView()
        self.fig = make_figure(
            _("Reservoir volume after this fill"),
            _("date"),
            _("volume in reservoir (mL)"),
            height=380,
            traces=[
                Scatter(x=[], y=[], mode="lines", name=_("reservoir volume"), line=dict(width=3)),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name=_("alarm volume"),
                    line=dict(dash="dash", color=colour("warning")),
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="markers+text",
                    name=_("alarm / empty"),
                    textposition="top right",
                    marker=dict(size=11, color=colour("violation")),
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines+markers+text",
                    name=_("recommended refill"),
                    textposition="top left",
                    line=dict(color=colour("action"), width=2),
                    marker=dict(size=[0, 12], color=colour("action")),
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name=_("refill cap"),
                    line=dict(dash="dot", color=colour("chart-purple")),
                ),
            ],
        )
        self.plan: itbcore.RefillPlan | None = None
        inputs = W.VBox(
            [
                self.reservoir,
                self.concentration,
                self.dose,
                self.alarm,
                W.HBox([self.fill_date, self.date_error]),
                self.margin,
            ]
        )
        self.outputs = [self.result, self.fig, self.findings]
        self.widget = W.VBox([inputs, self.status, *self.outputs])

    def _on_date(self, change: dict) -> None:
        if change["new"] is None:
            inline_error(self.date_error, _(_NO_DATE))
        else:
            clear_inline_error(self.date_error)
        self.refresh()

    def update(self) -> None:
        fill = self.fill_date.value
        if fill is None:  # the plan's dates count from the fill: no plan without it
            raise itbcore.InputError(_(_NO_DATE))
        plan = itbcore.refill_plan(
            self.reservoir.quantity,
            self.concentration.quantity,
            self.dose.quantity,
            alarm_volume=self.alarm.quantity,
            fill_date=fill,
            margin=self.margin.quantity,
            label=self.app.label_profile,
        )
        at_refill = itbcore.expected_residual(
            plan.reservoir_volume, plan.daily_dose, plan.concentration, plan.refill_after
        )
        self.plan = plan
        start = dt.datetime.combine(fill, dt.time())

        def at(days: Any) -> dt.datetime:
            return start + dt.timedelta(days=float(units.as_quantity(days, "day").magnitude))

        t_alarm, t_empty, t_refill = at(plan.days_to_alarm), at(plan.days_to_empty), at(plan.refill_after)
        res, alarm = float(plan.reservoir_volume.magnitude), float(plan.alarm_volume.magnitude)
        cap_days, cap_name = plan.interval_cap or (None, "")
        fig = self.fig
        with fig.batch_update():
            set_trace(
                fig,
                0,
                [start, t_alarm, t_empty],
                [res, alarm, 0.0],
                hovertemplate="%{x|%Y-%m-%d}: %{y:.3~g} mL<extra></extra>",
            )
            set_trace(
                fig,
                1,
                [start, t_empty],
                [alarm, alarm],
                name=message("alarm volume {volume}", volume=fmt(plan.alarm_volume)),
            )
            set_trace(
                fig,
                2,
                [t_alarm, t_empty],
                [alarm, 0.0],
                text=[
                    message("alarm {date}", date=_date(plan.alarm_date)),
                    message("empty {date}", date=_date(plan.empty_date)),
                ],
            )
            set_trace(
                fig,
                3,
                [t_refill, t_refill],
                [0.0, float(at_refill.magnitude)],
                text=["", message("refill {date}", date=_date(plan.refill_date))],
                name=message("recommended refill ({limited_by})", limited_by=plan.limited_by),
            )
            if cap_days is not None:
                t_cap = at(cap_days)
                set_trace(
                    fig, 4, [t_cap, t_cap], [0.0, res], name=f"{cap_name} ({fmt(cap_days.to('day'))})", visible=True
                )
            else:
                set_trace(fig, 4, [], [], visible=False)
            # a little room after the empty day so its label is not cut off
            fig.update_xaxes(range=[start - dt.timedelta(days=2), t_empty + (t_empty - start) * 0.12])
        days_to_refill = fmt(plan.refill_after)
        self.result.value = _rows(
            [
                (_("Daily volume"), fmt(plan.daily_volume)),
                (
                    _("Low-reservoir alarm"),
                    message("after {time}, on {date}", time=fmt(plan.days_to_alarm), date=_date(plan.alarm_date)),
                ),
                (
                    _("Reservoir empty"),
                    message("after {time}, on {date}", time=fmt(plan.days_to_empty), date=_date(plan.empty_date)),
                ),
                (_("Volume left at the refill"), fmt(at_refill)),
            ]
        ) + _box(
            message(
                "<strong>Refill after {time}, on {date}</strong> — limited by: <strong>{limited_by}</strong> (label "
                "profile {label})",
                time=esc(days_to_refill),
                date=esc(_date(plan.refill_date)),
                limited_by=esc(plan.limited_by),
                label=esc(plan.label),
            ),
            "action",
        )
        self.findings.show(plan.findings)

    def summary(self) -> str:
        p = self.plan
        if p is None:
            return _("refill plan: none")
        return "\n".join(
            [
                message(
                    "refill plan ({label}): {volume} of {concentration} at {dose}, alarm at {alarm}, margin {margin}",
                    label=p.label,
                    volume=fmt(p.reservoir_volume),
                    concentration=fmt(p.concentration),
                    dose=fmt(p.daily_dose),
                    alarm=fmt(p.alarm_volume),
                    margin=fmt(p.margin),
                ),
                "  "
                + message(
                    "daily volume {volume}; alarm after {alarm}; empty after {empty}",
                    volume=fmt(p.daily_volume),
                    alarm=fmt(p.days_to_alarm),
                    empty=fmt(p.days_to_empty),
                ),
                "  "
                + message(
                    "refill after {time} (limited by {limited_by}); dates: fill {fill}, refill {refill}, alarm "
                    "{alarm}, empty {empty}",
                    time=fmt(p.refill_after),
                    limited_by=p.limited_by,
                    fill=_date(p.fill_date),
                    refill=_date(p.refill_date),
                    alarm=_date(p.alarm_date),
                    empty=_date(p.empty_date),
                ),
            ]
        )
