"""Maintenance and refill: refill plan, dilution and ampoules, flex dosing, bridge bolus and residual
volume, and the old-versus-new settings check before programming.

For training only, not for treating patients.  Five tabs over :mod:`itbcore.pump`,
:mod:`itbcore.formulations` and :mod:`itbcore.maintenance`; every number comes from an
:mod:`itbcore` call, the widgets only format, plot and report errors.  Each tab is a panel
(:func:`widgets.app.run_panel`) with its own status line under its inputs: a refused entry withdraws
that tab's results (the bridge-bolus and residual parts of their tab are a panel each) and leaves the
other tabs' results in place.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

import itbcore
from itbcore import library, units
from itbcore.errors import DiluentError, ITBError
from itbcore.units import fmt

from .app import App, Refreshing, Status, close_tree, restore, run_panel
from .fields import QuantityField, QuantitySlider, clear_inline_error, inline_error
from .findings import FindingsView, cite, esc, findings_text
from .palette import colour
from .plot import Bar, Figure, Scatter, make_figure, set_trace

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("maintenance")

log = logging.getLogger("widgets")

__all__ = ["MaintenanceApp", "build_app", "TABS", "TAB_RECORDS", "TabRecord", "EXAMPLE_DEVICE"]

#: Tab titles, in order.

#: Example device values for the bridge bolus (the drug library's starting values).  They are device settings
#: the user enters from the pump and catheter documentation and the implant record.
EXAMPLE_DEVICE = {"catheter_length": START["bridge-length"], "catheter_volume_per_length": START["bridge-per-cm"],
                  "pump_tubing_volume": START["bridge-tubing"]}
#: The flex programme the tab starts with, and where an added step starts.
FLEX_START_STEPS = ((START["flex-step-1-start"], START["flex-step-1-rate"]),
                    (START["flex-step-2-start"], START["flex-step-2-rate"]))


def _field(label: str, key: str, limit: str, name: str | None = None) -> QuantityField:
    """A quantity field that starts at the drug library's value for ``key`` (:data:`START`) and is read and
    checked by the library's ``limit``; ``name`` (for messages) defaults to the label in lower case."""
    return QuantityField(label, value=START[key], limit=limit, name=name or label.lower(), key=key)


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d is not None else "—"


def _box(html_text: str, kind: str = "info") -> str:
    return f'<div class="itb-box itb-{esc(kind)}">{html_text}</div>'


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th class='itb-key'>{esc(k)}</th><td>{esc(v)}</td></tr>"
                    for k, v in pairs)
    return f"<table class='itb-result-table'>{cells}</table>"


def _room(fig: Figure) -> Figure:
    """Room above the plot for the title and, under it, the legend (they overlap in the template)."""
    fig.update_layout(margin=dict(t=95), title=dict(y=0.98, yanchor="top"))
    return fig


def _result_widget(key: str) -> W.HTML:
    w = W.HTML()
    w.add_class("itb-result")
    w.add_class(f"itb-result-{key}")
    return w


class _Section(Refreshing):
    """One tab: its inputs, a status line under them, and outputs; refreshed on its own inputs."""

    #: the tab's content (set by each section)
    widget: W.Widget

    def __init__(self, app: MaintenanceApp) -> None:
        self.app = app
        self.status = Status()
        self.updates = 0

    def summary(self) -> str:
        """The tab's numbers as plain text (each section says its own)."""
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------- refill
_NO_DATE = "Give the date of this fill (the dates of the alarm and the refill count from it)."


class RefillSection(_Section):
    """Refill plan: reservoir draining to the alarm and to empty, the refill date and what set it."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.reservoir = _field("Reservoir volume", "refill-reservoir", "reservoir_volume")
        self.concentration = _field("Concentration", "refill-concentration", "concentration")
        self.dose = _field("Daily dose", "refill-dose", "daily_dose")
        self.alarm = _field("Alarm volume (device setting)", "refill-alarm", "alarm_volume", "alarm volume")
        self.fill_date = W.DatePicker(description="Fill date", value=dt.date.today(),
                                      style={"description_width": "initial"})
        self.fill_date.add_class("itb-field")
        self.fill_date.add_class("itb-field-refill-date")
        self.date_error = W.HTML("")
        self.date_error.add_class("itb-field-error")
        self.margin = QuantitySlider("Refill margin before the alarm", "day", 4, limit="refill_margin", step=1,
                                     key="refill-margin", readout_format=".0f")
        self.margin.layout.width = "40em"
        self.watch(self.reservoir, self.concentration, self.dose, self.alarm, self.margin)
        self.fill_date.observe(self._on_date, "value")
        self.result = _result_widget("refill")
        self.findings = FindingsView()
        self.fig = _room(make_figure("Reservoir volume after this fill", "date", "volume in reservoir (mL)", height=380,
                               traces=[
                                   Scatter(x=[], y=[], mode="lines", name="reservoir volume",
                                              line=dict(width=3)),
                                   Scatter(x=[], y=[], mode="lines", name="alarm volume",
                                              line=dict(dash="dash", color=colour("warning"))),
                                   Scatter(x=[], y=[], mode="markers+text", name="alarm / empty",
                                              textposition="top right",
                                              marker=dict(size=11, color=colour("violation"))),
                                   Scatter(x=[], y=[], mode="lines+markers+text", name="recommended refill",
                                              textposition="top left",
                                              line=dict(color=colour("action"), width=2),
                                              marker=dict(size=[0, 12], color=colour("action"))),
                                   Scatter(x=[], y=[], mode="lines", name="refill cap",
                                              line=dict(dash="dot", color=colour("chart-purple"))),
                               ]))
        self.plan: itbcore.RefillPlan | None = None
        inputs = W.VBox([self.reservoir, self.concentration, self.dose, self.alarm,
                         W.HBox([self.fill_date, self.date_error]), self.margin])
        self.outputs = [self.result, self.fig, self.findings]
        self.widget = W.VBox([inputs, self.status, *self.outputs])

    def _on_date(self, change: dict) -> None:
        if change["new"] is None:
            inline_error(self.date_error, _NO_DATE)
        else:
            clear_inline_error(self.date_error)
        self.refresh()

    def update(self) -> None:
        fill = self.fill_date.value
        if fill is None:  # the plan's dates count from the fill: no plan without it
            raise itbcore.InputError(_NO_DATE)
        plan = itbcore.refill_plan(self.reservoir.quantity, self.concentration.quantity, self.dose.quantity,
                                   alarm_volume=self.alarm.quantity, fill_date=fill,
                                   margin=self.margin.quantity, label=self.app.label_profile)
        at_refill = itbcore.expected_residual(plan.reservoir_volume, plan.daily_dose, plan.concentration,
                                              plan.refill_after)
        self.plan = plan
        start = dt.datetime.combine(fill, dt.time())

        def at(days: Any) -> dt.datetime:
            return start + dt.timedelta(days=float(units.as_quantity(days, "day").magnitude))

        t_alarm, t_empty, t_refill = at(plan.days_to_alarm), at(plan.days_to_empty), at(plan.refill_after)
        res, alarm = float(plan.reservoir_volume.magnitude), float(plan.alarm_volume.magnitude)
        cap_days, cap_name = plan.interval_cap or (None, "")
        fig = self.fig
        with fig.batch_update():
            set_trace(fig, 0, [start, t_alarm, t_empty], [res, alarm, 0.0],
                      hovertemplate="%{x|%Y-%m-%d}: %{y:.3~g} mL<extra></extra>")
            set_trace(fig, 1, [start, t_empty], [alarm, alarm], name=f"alarm volume {fmt(plan.alarm_volume)}")
            set_trace(fig, 2, [t_alarm, t_empty], [alarm, 0.0],
                      text=[f"alarm {_date(plan.alarm_date)}", f"empty {_date(plan.empty_date)}"])
            set_trace(fig, 3, [t_refill, t_refill], [0.0, float(at_refill.magnitude)],
                      text=["", f"refill {_date(plan.refill_date)}"],
                      name=f"recommended refill ({plan.limited_by})")
            if cap_days is not None:
                t_cap = at(cap_days)
                set_trace(fig, 4, [t_cap, t_cap], [0.0, res], name=f"{cap_name} ({fmt(cap_days.to('day'))})",
                          visible=True)
            else:
                set_trace(fig, 4, [], [], visible=False)
            # a little room after the empty day so its label is not cut off
            fig.update_xaxes(range=[start - dt.timedelta(days=2), t_empty + (t_empty - start) * 0.12])
        days_to_refill = fmt(plan.refill_after)
        self.result.value = (
            _rows([
                ("Daily volume", fmt(plan.daily_volume)),
                ("Low-reservoir alarm", f"after {fmt(plan.days_to_alarm)}, on {_date(plan.alarm_date)}"),
                ("Reservoir empty", f"after {fmt(plan.days_to_empty)}, on {_date(plan.empty_date)}"),
                ("Volume left at the refill", fmt(at_refill)),
            ])
            + _box(f"<strong>Refill after {esc(days_to_refill)}, on {esc(_date(plan.refill_date))}</strong> — "
                   f"limited by: <strong>{esc(plan.limited_by)}</strong> (label profile {esc(plan.label)})",
                   "action")
        )
        self.findings.show(plan.findings)

    def summary(self) -> str:
        p = self.plan
        if p is None:
            return "refill plan: none"
        return "\n".join([
            f"refill plan ({p.label}): {fmt(p.reservoir_volume)} of {fmt(p.concentration)} at {fmt(p.daily_dose)}, "
            f"alarm at {fmt(p.alarm_volume)}, margin {fmt(p.margin)}",
            f"  daily volume {fmt(p.daily_volume)}; alarm after {fmt(p.days_to_alarm)}; empty after "
            f"{fmt(p.days_to_empty)}",
            f"  refill after {fmt(p.refill_after)} (limited by {p.limited_by}); dates: fill {_date(p.fill_date)}, "
            f"refill {_date(p.refill_date)}, alarm {_date(p.alarm_date)}, empty {_date(p.empty_date)}",
        ])


# ---------------------------------------------------------------------------------------------- dilution
class DilutionSection(_Section):
    """Dilution with sodium chloride 0.9 % and the ampoules a fill needs."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.stock = _field("Stock (ampoule strength)", "dilution-stock", "concentration", "stock concentration")
        self.target = _field("Target concentration", "dilution-target", "concentration")
        self.volume = _field("Final (fill) volume", "dilution-volume", "reservoir_volume", "final volume")
        self.diluent = W.Text(value="sodium chloride 0.9%", description="Diluent", continuous_update=False,
                              style={"description_width": "initial"}, layout=W.Layout(width="22em"))
        self.diluent_error = W.HTML("")
        self.diluent_error.add_class("itb-field-error")
        self.diluent_error_message = ""
        diluent_row = W.HBox([self.diluent, self.diluent_error], layout=W.Layout(align_items="center"))
        diluent_row.add_class("itb-field")
        diluent_row.add_class("itb-field-diluent")
        self.watch(self.stock, self.target, self.volume, self.diluent)
        self.result = _result_widget("dilution")
        self.findings = FindingsView()
        self.fig = _room(make_figure("What goes into the syringe, and what is discarded", "volume (mL)", "", height=240,
                               traces=[
                                   Bar(x=[], y=[], orientation="h", name="stock",
                                          marker_color=colour("info"), texttemplate="%{x:.3~g} mL"),
                                   Bar(x=[], y=[], orientation="h", name="sodium chloride 0.9 %",
                                          marker_color=colour("chart-light"), texttemplate="%{x:.3~g} mL"),
                                   Bar(x=[], y=[], orientation="h", name="discarded from opened ampoules",
                                          marker_color=colour("chart-grey"), texttemplate="%{x:.3~g} mL"),
                               ]))
        self.fig.update_layout(barmode="stack")
        self.dilution: itbcore.Dilution | None = None
        self.fill: itbcore.FillRequirement | None = None
        inputs = W.VBox([self.stock, self.target, self.volume, diluent_row])
        self.outputs = [self.result, self.fig, self.findings]
        self.widget = W.VBox([inputs, self.status, *self.outputs])

    def _show_diluent_error(self, message: str) -> None:
        self.diluent_error_message = message
        inline_error(self.diluent_error, message)

    def update(self) -> None:
        try:
            itbcore.check_diluent(self.diluent.value)
        except DiluentError as exc:
            # The refusal belongs to the diluent field (and the tab's results are withdrawn).
            self._show_diluent_error(str(exc))
            raise
        self.diluent_error_message = ""
        clear_inline_error(self.diluent_error)
        d = itbcore.dilution(self.stock.quantity, self.target.quantity, self.volume.quantity,
                             diluent=self.diluent.value)
        fill = itbcore.ampoules_for_fill(self.target.quantity, self.volume.quantity, stock=self.stock.quantity)
        self.dilution, self.fill = d, fill
        self.result.value = _rows([
            ("Stock to draw", f"{fmt(d.stock_volume)} of {fmt(d.stock)}"),
            ("Diluent to add", f"{fmt(d.diluent_volume)} of {d.diluent}"),
            ("Final", f"{fmt(d.final_volume)} of {fmt(d.target)} ({fmt(d.amount)} baclofen)"),
            ("Ampoules to open",
             f"{fill.ampoules} × {fmt(fill.stock.ampoule_volume)} of {fmt(fill.stock.concentration)}"
                                 f" (single use)"),
            ("Discarded", fmt(fill.discarded_volume)),
            ("Sodium in the fill", f"{fmt(fill.sodium)} ({fmt(fill.sodium_mmol)})"),
        ])
        y = ["fill"]
        with self.fig.batch_update():
            set_trace(self.fig, 0, [float(d.stock_volume.magnitude)], y)
            set_trace(self.fig, 1, [float(d.diluent_volume.magnitude)], y)
            set_trace(self.fig, 2, [float(fill.discarded_volume.to("mL").magnitude)], y)
        first: dict[str, itbcore.Finding] = {}  # each finding once, at its first place
        for f in d.findings + fill.findings:
            first.setdefault(f.code, f)
        self.findings.show(list(first.values()))

    def summary(self) -> str:
        d, f = self.dilution, self.fill
        if d is None or f is None:
            return "dilution: none"
        return (f"dilution: {fmt(d.final_volume)} of {fmt(d.target)} from {fmt(d.stock)}: stock {fmt(d.stock_volume)}"
                f" + {d.diluent} {fmt(d.diluent_volume)}\n"
                f"  ampoules: {f.ampoules} × {fmt(f.stock.ampoule_volume)}; discarded {fmt(f.discarded_volume)}; "
                f"sodium {fmt(f.sodium)} ({fmt(f.sodium_mmol)})")


# ---------------------------------------------------------------------------------------------- flex
class _StepRow(W.HBox):
    def __init__(self, start: str, rate: str, on_change: Callable[[], object], on_remove: Callable[[_StepRow], None],
                 index: int) -> None:
        self.start = QuantityField("from", "h", start, limit="hour_of_day", name="step start",
                                   key=f"flex-start-{index}", width="6em")
        self.rate = QuantityField("rate", value=rate, limit="infusion_rate", name="step rate",
                                  key=f"flex-rate-{index}", width="7em")
        self.remove = W.Button(description="Remove", icon="minus", layout=W.Layout(width="auto"),
                               tooltip="Remove this step")
        for f in (self.start, self.rate):
            f.on_change(lambda _f: on_change())
            f.on_state(lambda _f: on_change())  # refused or waiting for Confirm: the programme is withdrawn
        self.remove.on_click(lambda _b: on_remove(self))
        super().__init__([self.start, self.rate, self.remove], layout=W.Layout(align_items="center"))


class FlexSection(_Section):
    """Flex dosing editor: steps, the 24 h rate plot, daily total and the per-hour/per-day guard."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self._next_index = 0
        self.rows_box = W.VBox()
        self.add = W.Button(description="Add step", icon="plus", layout=W.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_step())
        self.intended = QuantityField("Intended (prescribed) daily dose", value=START["flex-intended"],
                                      limit="daily_dose", name="intended daily dose", key="flex-intended")
        self.effect = QuantitySlider("Effect wanted at (hour of day)", "h", 22, limit="hour_of_day", step=0.5,
                                     key="flex-effect", readout_format=".1f")
        self.effect.layout.width = "40em"
        self.from_continuous = W.Button(description="Label example: +20 % at night from the intended dose",
                                        layout=W.Layout(width="auto"))
        self.from_continuous.on_click(lambda _b: self.load_label_example())
        self.watch(self.intended, self.effect)
        self.guard = _result_widget("flex-guard")
        self.result = _result_widget("flex")
        self.helper = _result_widget("flex-helper")
        self.findings = FindingsView()
        self.fig = _room(make_figure("Programmed rate over 24 h", "hour of day (h)", "rate (µg/h)", height=320, traces=[
            Scatter(x=[], y=[], mode="lines", line_shape="hv", name="programmed rate", fill="tozeroy",
                       line=dict(width=3)),
            Scatter(x=[], y=[], mode="lines", name="intended dose as an hourly rate",
                       line=dict(dash="dash", color=colour("action"))),
        ]))
        self.fig.update_xaxes(range=[0, 24], dtick=2)
        self.programme: itbcore.FlexProgramme | None = None
        self.guard_findings: list = []
        self._loading = False
        for start, rate in FLEX_START_STEPS:
            self.add_step(start, rate, refresh=False)
        inputs = W.VBox([
            W.HTML("<strong>Steps</strong> (each runs from its start until the next; the last runs past midnight)"),
            self.rows_box, W.HBox([self.add, self.from_continuous]), self.intended, self.effect, self.helper,
        ])
        self.outputs = [self.guard, self.result, self.fig, self.findings]
        self.widget = W.VBox([inputs, self.status, *self.outputs])

    @property
    def rows(self) -> list[_StepRow]:
        return list(self.rows_box.children)

    def panel_inputs(self) -> list:
        return [*super().panel_inputs(), *(f for r in self.rows for f in (r.start, r.rate))]

    def add_step(self, start: str | None = None, rate: str | None = None, refresh: bool = True) -> _StepRow | None:
        rows = self.rows
        most = int(library.limit("flex_steps").hard.max)  # what a programmable pump allows (drug library)
        if len(rows) >= most:
            self.status.show(f"A pump allows at most {most} flex steps a day; remove one before adding another.")
            self.add.disabled = True
            return None
        if start is None:
            start = START["flex-new-step-start"]
        if rate is None:
            rate = rows[-1].rate.value if rows else FLEX_START_STEPS[0][1]
        row = _StepRow(start, rate, self.refresh, self.remove_step, self._next_index)
        for f in (row.start, row.rate):  # a step added later is judged under the label in force too
            f.bind_label(lambda: self.app.label_profile)
            f.recheck(notify=False)
        self._next_index += 1
        self.rows_box.children = tuple(rows) + (row,)
        self.add.disabled = len(self.rows) >= most
        if refresh:
            self.refresh()
        return row

    def reset(self) -> None:
        """The programme the tab starts with (the app's "Reset to start" resets the steps too)."""
        old, self.rows_box.children = self.rows, ()
        for r in old:
            close_tree(r)
        for start, rate in FLEX_START_STEPS:
            self.add_step(start, rate, refresh=False)
        self.add.disabled = False

    def remove_step(self, row: _StepRow) -> None:
        if len(self.rows) <= 1:
            self.status.show("A flex programme needs at least one step; add another before removing this one.")
            return
        self.rows_box.children = tuple(r for r in self.rows if r is not row)
        close_tree(row)
        self.add.disabled = False
        self.refresh()

    def load_label_example(self) -> None:
        if self.intended.blocked:  # the example is built from the intended dose on screen, not an older one
            self.refresh()
            return
        try:
            p = itbcore.flex_from_continuous(self.intended.quantity)
        except ITBError as exc:
            self.status.show(str(exc))
            return
        old, self.rows_box.children = self.rows, ()
        for r in old:
            close_tree(r)
        for s in p.steps:
            self.add_step(fmt(s.start), fmt(s.rate, "ug/h", digits=4), refresh=False)
        self.refresh()

    def update(self) -> None:
        programme = itbcore.flex_programme([(r.start.quantity, r.rate.quantity) for r in self.rows])
        guard = itbcore.flex_unit_check(programme, self.intended.quantity)
        start_at = itbcore.flex_start_for_effect(self.effect.quantity)
        self.programme, self.guard_findings = programme, guard
        t, r = programme.step_function()
        intended_rate = units.as_quantity(self.intended.quantity, "ug/h", name="intended rate")
        with self.fig.batch_update():
            set_trace(self.fig, 0, t.magnitude.tolist(), r.magnitude.tolist(),
                      hovertemplate="%{x:.3~g} h: %{y:.3~g} µg/h<extra></extra>")
            set_trace(self.fig, 1, [0, 24], [float(intended_rate.magnitude)] * 2,
                      name=f"intended {fmt(self.intended.quantity)} = {fmt(intended_rate)}")
        if guard:
            worst = "violation" if any(f.severity == "violation" for f in guard) else "warning"
            items = "".join(f"<p>{esc(f.message)} {cite(f.source)}</p>" for f in guard)
            self.guard.value = _box(f'<strong class="itb-sev-{worst} itb-large">'
                                    f"⚠ Per-hour / per-day check: {worst.upper()}</strong>{items}", worst)
        else:
            total, intended = programme.daily_total, self.intended.quantity
            pct = (float(total.magnitude) / float(units.magnitude_in(intended, "ug/day")) - 1) * 100
            same = abs(pct) < 0.5
            self.guard.value = _box(
                f"<strong>Per-hour / per-day check: daily total {esc(fmt(total))} "
                + ("equals" if same else f"is {pct:+.0f} % against")
                + f" the intended {esc(fmt(intended))}</strong>"
                + (" (no mix-up of per hour and per day)." if same else
                   " — no mix-up of per hour and per day, and within a day's adjustment; check it is what the "
                   "prescription means."), "action" if same else "warning")
        self.result.value = _rows([
            ("Daily total", fmt(programme.daily_total)),
            ("Steps", "; ".join(f"from {fmt(s.start)} at {fmt(s.rate)}" for s in programme.steps)),
        ])
        self.helper.value = (f"Programme the change at <strong>{esc(fmt(start_at))}</strong> for an effect wanted at "
                             f"{esc(fmt(self.effect.quantity))}: {esc(fmt(itbcore.FLEX_EFFECT_LEAD))} before the "
                             f"wanted effect "
                             f"{cite('lionova 4.2; lioresal Dosing: mode of infusion')}.")
        self.findings.show(programme.findings)

    def summary(self) -> str:
        p = self.programme
        if p is None:
            return "flex: none"
        steps = "; ".join(f"{fmt(s.start)} {fmt(s.rate)}" for s in p.steps)
        return (f"flex programme: {steps}; daily total {fmt(p.daily_total)} against intended "
                f"{fmt(self.intended.quantity)}\n  unit check: {findings_text(self.guard_findings, 'no finding')}")


# ---------------------------------------------------------------------------------------------- bridge, residual
class BridgeResidualSection(_Section):
    """Bridge bolus at a change of concentration, and the residual-volume check at refill."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        self.residual_status = Status()
        self.old = _field("Old concentration", "bridge-old", "concentration")
        self.new = _field("New concentration", "bridge-new", "concentration")
        self.dose = _field("Daily dose", "bridge-dose", "daily_dose")
        self.length = QuantityField("Catheter length (implant record)", "cm", EXAMPLE_DEVICE["catheter_length"],
                                    limit="catheter_length", name="catheter length", key="bridge-length")
        self.per_cm = QuantityField("Catheter volume per cm (catheter documentation)", "uL/cm",
                                    EXAMPLE_DEVICE["catheter_volume_per_length"], limit="catheter_volume_per_length",
                                    name="catheter volume per length", key="bridge-per-cm")
        self.tubing = QuantityField("Pump tubing volume (pump documentation)", "uL",
                                    EXAMPLE_DEVICE["pump_tubing_volume"], limit="pump_tubing_volume",
                                    name="pump tubing volume", key="bridge-tubing")
        self.bridge_inputs = [self.old, self.new, self.dose, self.length, self.per_cm, self.tubing]
        for f in self.bridge_inputs:
            f.on_change(lambda _f: self.refresh_bridge())
            f.on_state(lambda _f: self.refresh_bridge())
        self.bridge_result = _result_widget("bridge")
        self.bridge_findings = FindingsView()
        self.fig = _room(make_figure("Dose delivered after the refill", "time after the refill (h)",
                                     "dose rate (µg/day)",
                               height=300, traces=[
                                   Scatter(x=[], y=[], mode="lines", line_shape="hv", name="without bridge bolus",
                                              line=dict(color=colour("violation"), width=3)),
                                   Scatter(x=[], y=[], mode="lines", line_shape="hv", name="with bridge bolus",
                                              line=dict(color=colour("action"), dash="dash", width=3)),
                               ]))
        self.bridge: itbcore.BridgeBolus | None = None

        self.prev = QuantityField("Previous fill volume", value=START["residual-previous"], limit="reservoir_volume",
                                  name="previous fill volume", key="residual-previous")
        self.r_dose = QuantityField("Programmed daily dose", value=START["residual-dose"], limit="daily_dose",
                                    name="programmed daily dose", key="residual-dose")
        self.r_conc = _field("Concentration", "residual-concentration", "concentration")
        self.elapsed = QuantityField("Time since that fill", value=START["residual-elapsed"], limit="time_since_fill",
                                     name="time since the fill", key="residual-elapsed")
        self.found = QuantityField("Volume found (withdrawn)", value=START["residual-found"], limit="found_volume",
                                   name="volume found", key="residual-found")
        self.residual_inputs = [self.prev, self.r_dose, self.r_conc, self.elapsed, self.found]
        for f in self.residual_inputs:
            f.on_change(lambda _f: self.refresh_residual())
            f.on_state(lambda _f: self.refresh_residual())
        self.residual_result = _result_widget("residual")
        self.residual_findings = FindingsView(empty="No discrepancy.")
        self.residual: itbcore.ResidualCheck | None = None
        #: Why each part's results are withdrawn ("" while they belong to the inputs on screen).
        self.bridge_withdrawn = self.residual_withdrawn = ""
        self.widget = W.VBox([
            W.HTML("<h2 class=\"itb-section-title\">Bridge bolus when the concentration changes "
                   "<small>(practice guidance: Neuromodulation 2016, Saulino et al.)</small></h2>"
                   "<p class='itb-muted'>Catheter and tubing volumes are device values: the defaults are "
                   "examples; enter those of the patient's pump and catheter.</p>"),
            W.VBox([self.old, self.new, self.dose, self.length, self.per_cm, self.tubing]), self.status,
            self.bridge_result, self.fig, self.bridge_findings,
            W.HTML("<h2 class=\"itb-section-title\">Residual volume at refill</h2>"),
            W.VBox([self.prev, self.r_dose, self.r_conc, self.elapsed, self.found]), self.residual_status,
            self.residual_result, self.residual_findings,
        ])

    def update(self) -> None:
        self.refresh_bridge()
        self.refresh_residual()

    def refresh(self) -> bool:
        return self.refresh_bridge() & self.refresh_residual()

    def refresh_bridge(self) -> bool:
        """The bridge bolus as a panel (:func:`run_panel`): a refused entry withdraws its results only."""
        self.bridge_withdrawn = run_panel(self._update_bridge, self.status, self.bridge_inputs,
                                          [self.bridge_result, self.fig, self.bridge_findings])
        if self.bridge_withdrawn:
            self.bridge = None
            return False
        self.updates += 1
        return True

    def refresh_residual(self) -> bool:
        """The residual-volume check as a panel: a refused entry withdraws its results only."""
        self.residual_withdrawn = run_panel(self._update_residual, self.residual_status, self.residual_inputs,
                                            [self.residual_result, self.residual_findings])
        if self.residual_withdrawn:
            self.residual = None
            return False
        self.updates += 1
        return True

    def _update_bridge(self) -> None:
        b = itbcore.bridge_bolus(self.old.quantity, self.new.quantity, self.dose.quantity, self.length.quantity,
                                 self.per_cm.quantity, self.tubing.quantity)
        self.bridge = b
        self.bridge_result.value = _rows([
            ("Dead volume (tubing + catheter)", fmt(b.dead_volume)),
            ("Old solution in it", fmt(b.old_amount)),
            ("Without a bridge", f"{fmt(b.dose_rate_without_bridge)} for {fmt(b.clear_time_new_rate)} "
                                 f"instead of {fmt(self.dose.quantity)}"),
            ("Bridge bolus", f"{fmt(b.bolus_volume)} over {fmt(b.bolus_duration)}"),
        ]) + f"<p>Source: {cite(b.source)}</p>"
        dose = float(units.as_quantity(self.dose.quantity, "ug/day").magnitude)
        without = float(b.dose_rate_without_bridge.magnitude)
        t_new = float(b.clear_time_new_rate.magnitude)
        end = max(24.0, 1.5 * t_new)
        with self.fig.batch_update():
            set_trace(self.fig, 0, [0.0, t_new, end], [without, dose, dose])
            set_trace(self.fig, 1, [0.0, end], [dose, dose])
        self.bridge_findings.show(b.findings)

    def _update_residual(self) -> None:
        expected = itbcore.expected_residual(self.prev.quantity, self.r_dose.quantity, self.r_conc.quantity,
                                             self.elapsed.quantity)
        check = itbcore.residual_check(expected, self.found.quantity)
        self.residual = check
        kind = "action" if check.status == "ok" else "violation"
        head = ("OK: the volume found matches the expected residual" if check.status == "ok"
                else "DISCREPANCY: do not simply refill and restart (overdose risk on restart)")
        self.residual_result.value = _box(
            f"<strong class='itb-sev-{kind}'>{esc(head)}</strong>"
            + _rows([("Expected", fmt(check.expected)), ("Found", fmt(check.found)),
                     ("Difference (found − expected)", fmt(check.difference)), ("Tolerance", fmt(check.tolerance))]),
            kind)
        self.residual_findings.show(check.findings)

    def summary(self) -> str:
        lines = []
        b, r = self.bridge, self.residual
        if self.bridge_withdrawn:
            lines.append(f"bridge bolus: no result: {self.bridge_withdrawn}")
        if self.residual_withdrawn:
            lines.append(f"residual: no result: {self.residual_withdrawn}")
        if b is not None:
            lines.append(f"bridge bolus: dead volume {fmt(b.dead_volume)} holding {fmt(b.old_amount)}; bolus "
                         f"{fmt(b.bolus_volume)} over {fmt(b.bolus_duration)}; without it "
                         f"{fmt(b.dose_rate_without_bridge)} for {fmt(b.clear_time_new_rate)}")
        if r is not None:
            lines.append(f"residual: expected {fmt(r.expected)}, found {fmt(r.found)} -> {r.status}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- settings
class SettingsSection(_Section):
    """Old versus new pump settings side by side, and a Programme button refused on a violation."""

    def __init__(self, app: MaintenanceApp) -> None:
        super().__init__(app)
        modes = list(itbcore.DELIVERY_MODES)
        self.old_conc = _field("Concentration", "old-concentration", "concentration", "old concentration")
        self.old_dose = QuantityField("Daily dose", value=START["old-dose"], limit="daily_dose", name="old daily dose",
                                      key="old-dose")
        self.old_mode = W.Dropdown(options=modes, value=modes[0], description="Mode")
        self.new_conc = _field("Concentration", "new-concentration", "concentration", "new concentration")
        self.new_dose = QuantityField("Daily dose", value=START["new-dose"], limit="daily_dose", name="new daily dose",
                                      key="new-dose")
        self.new_mode = W.Dropdown(options=modes, value=modes[0], description="Mode")
        self.watch(self.old_conc, self.old_dose, self.old_mode, self.new_conc, self.new_dose, self.new_mode)
        self.programme = W.Button(description="Programme", icon="upload", button_style="primary",
                                  layout=W.Layout(width="auto"))
        self.programme.add_class("itb-field")
        self.programme.add_class("itb-field-programme")
        self.programme.on_click(lambda _b: self.press_programme())
        self.outcome = _result_widget("programme")
        self.result = _result_widget("settings")
        self.findings = FindingsView(empty="No finding: no two-fold or larger change.")
        self.comparison: list = []
        self.old_settings: itbcore.PumpSettings | None = None
        self.new_settings: itbcore.PumpSettings | None = None
        col = dict(border="1px solid #ccc", padding="6px", margin="0 6px 0 0")
        columns = W.HBox([
            W.VBox([W.HTML("<strong>Old (in the pump)</strong>"), self.old_conc, self.old_dose, self.old_mode],
                   layout=W.Layout(**col)),
            W.VBox([W.HTML("<strong>New (to programme)</strong>"), self.new_conc, self.new_dose, self.new_mode],
                   layout=W.Layout(**col)),
        ], layout=W.Layout(flex_flow="row wrap"))
        self.outputs = [self.result, self.findings, self.outcome]
        self.widget = W.VBox([columns, self.status, self.result, self.findings, self.programme, self.outcome])

    def update(self) -> None:
        old = itbcore.PumpSettings(self.old_conc.quantity, self.old_dose.quantity, self.old_mode.value)
        new = itbcore.PumpSettings(self.new_conc.quantity, self.new_dose.quantity, self.new_mode.value)
        found = itbcore.compare_settings(old, new)
        self.old_settings, self.new_settings, self.comparison = old, new, found
        self.result.value = _rows([
            ("", "old → new"),
            ("Concentration", f"{fmt(old.concentration)} → {fmt(new.concentration)}"),
            ("Daily dose", f"{fmt(old.daily_dose)} → {fmt(new.daily_dose)}"),
            ("Daily volume", f"{fmt(old.daily_volume)} → {fmt(new.daily_volume)}"),
            ("Mode", f"{old.mode} → {new.mode}"),
        ])
        self.findings.show(found)
        self.outcome.value = ""  # a changed setting needs a new press

    def violations(self) -> list:
        return [f for f in self.comparison if f.severity == "violation"]

    def press_programme(self) -> None:
        if not self.refresh() or self.new_settings is None:
            restore([self.outcome])  # the refusal to programme is said, while the comparison stays withdrawn
            self.outcome.value = _box("<strong>Not programmed:</strong> correct the settings first.", "violation")
            return
        bad = self.violations()
        if bad:
            reasons = "".join(f"<li>{esc(f.message)} {cite(f.source)}</li>" for f in bad)
            self.outcome.value = _box(f"<strong class='itb-sev-violation'>Programming refused"
                                      f"</strong> while a violation is present:<ul>{reasons}</ul>", "violation")
            return
        new = self.new_settings
        self.outcome.value = _box(
            f"<strong>Programmed (training simulation):</strong> {esc(fmt(new.concentration))}, "
            f"{esc(fmt(new.daily_dose))}, {esc(new.mode)}. Check the warnings above with a second person.",
            "action")

    def summary(self) -> str:
        o, n = self.old_settings, self.new_settings
        if o is None or n is None:
            return "settings: none"
        return (f"settings: {fmt(o.concentration)} {fmt(o.daily_dose)} {o.mode} -> {fmt(n.concentration)} "
                f"{fmt(n.daily_dose)} {n.mode}\n  comparison: {findings_text(self.comparison, 'no finding')}")


# ---------------------------------------------------------------------------------------------- the app
@dataclass(frozen=True)
class TabRecord:
    """One tab of the maintenance app: its title, the app attribute that holds it, its section class."""

    title: str
    name: str
    section: type[_Section]


#: One record per tab, in order: its title, the app attribute that holds it, its section class.
TAB_RECORDS: tuple[TabRecord, ...] = (
    TabRecord("Refill plan", "refill", RefillSection),
    TabRecord("Dilution, ampoules", "dilution", DilutionSection),
    TabRecord("Flex dosing", "flex", FlexSection),
    TabRecord("Bridge, residual", "bridge", BridgeResidualSection),
    TabRecord("Old vs new", "settings", SettingsSection),
)
#: The tabs' titles, in order.
TABS = tuple(t.title for t in TAB_RECORDS)


class MaintenanceApp(App):
    title = "Maintenance and refill"
    intro = ("Plan the next refill so the reservoir never empties, prepare the fill, program a flex "
             "day, bridge a change of concentration, check the volume found at refill, and compare old "
             "and new settings before programming.")
    label_differences = ("pump_stability", "storage", "observation_windows", "dose_range_12_2003", "drug_holiday",
                         "drug_holiday_restart", "pediatric_dose_rise", "solution_ph_tonicity")
    sources = ("lionova 4.2, 4.4, 6.2, 6.3, 6.6 (refill, dilution, flex dosing)",
               "lioresal Special instructions (re-fill); Instructions for use of the infusion system; "
               "Dosing: mode of infusion; Stability of the drug",
               "practice guidance: device documentation; Neuromodulation 2016, Saulino et al.")

    #: One record per tab, in order (:data:`TAB_RECORDS`).
    TAB_RECORDS = TAB_RECORDS

    def build(self):
        # A tab is built when it is first shown (or first used from Python: ``app.flex``), so a page
        # becomes interactive with the first tab's widgets only; the others follow on a click.
        self._built: dict[str, _Section] = {}
        self._waiting = W.HTML("<p class='itb-muted'>Preparing this tab…</p>")
        self.tabs = W.Tab(children=[self._waiting] * len(self.TAB_RECORDS))
        for i, tab in enumerate(self.TAB_RECORDS):
            self.tabs.set_title(i, tab.title)
        self.tabs.add_class("itb-tabs")
        self.tabs.observe(self._on_tab, "selected_index")
        self._section(0, refresh=False)  # the app's first refresh() updates it
        return [], [self.tabs]

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:  # no tab selected: nothing to build
            self._section(change["new"])

    def _section(self, index: int, refresh: bool = True) -> _Section:
        """Tab ``index``'s section, built (and, after the app's start, shown for the current label) on first use."""
        tab = self.TAB_RECORDS[index]
        section = self._built.get(tab.name)
        if section is None:
            section = self._built[tab.name] = tab.section(self)
            children = list(self.tabs.children)
            children[index] = section.widget
            self.tabs.children = children
            if refresh:
                # Built after the app: the label in force and "Reset to start" reach its inputs too.
                self.adopt(section.widget)
                section.refresh()
        return section

    @property
    def sections(self) -> tuple[_Section, ...]:
        """All five sections (building those not shown yet)."""
        return tuple(self._section(i) for i in range(len(self.TAB_RECORDS)))

    def tab(self, name: str) -> _Section:
        """The section of the tab whose record is named ``name`` (built on first use)."""
        for i, tab in enumerate(self.TAB_RECORDS):
            if tab.name == name:
                return self._section(i)
        raise AttributeError(f"The maintenance app has no tab {name!r}.")

    refill = property(lambda self: self.tab("refill"), doc="The refill-plan tab.")
    dilution = property(lambda self: self.tab("dilution"), doc="The dilution-and-ampoules tab.")
    flex = property(lambda self: self.tab("flex"), doc="The flex-dosing tab.")
    bridge = property(lambda self: self.tab("bridge"), doc="The bridge-bolus and residual-volume tab.")
    settings = property(lambda self: self.tab("settings"), doc="The old-versus-new settings tab.")

    def parts(self) -> list:
        """The tabs built so far (a flex programme's steps are reset by its tab)."""
        return list(self._built.values())

    def update(self) -> None:
        # Each tab reports its own refusals next to its inputs; one bad tab never blocks the others.
        for s in tuple(self._built.values()):
            s.refresh()

    def summary(self) -> str:
        return "\n".join(s.summary() for s in self.sections)


def build_app(**kwargs) -> MaintenanceApp:
    """The maintenance-and-refill app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return MaintenanceApp(**kwargs)
