"""The flex-dosing tab of the maintenance app.

For training only, not for treating patients.  Part of :mod:`widgets.maintenance`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as W

import itbcore
from itbcore import library, units
from itbcore.i18n import localize_number
from itbcore.units import fmt

from ..app import close_tree, safe_run
from ..fields import QuantityField, QuantitySlider
from ..findings import FindingsView, cite, esc, findings_text, severity_word
from ..i18n import N_, _, message
from ..palette import colour
from ..plot import Scatter, make_figure, set_trace
from ._common import FLEX_START_STEPS, START, _box, _result_widget, _rows, _Section

if TYPE_CHECKING:
    from . import MaintenanceApp


# ---------------------------------------------------------------------------------------------- flex
class _StepRow(W.HBox):
    def __init__(
        self, start: str, rate: str, on_change: Callable[[], object], on_remove: Callable[[_StepRow], None], index: int
    ) -> None:
        self.start = QuantityField(
            N_("from"), "h", start, limit="hour_of_day", name=N_("step start"), key=f"flex-start-{index}", width="6em"
        )
        self.rate = QuantityField(
            N_("rate"), value=rate, limit="infusion_rate", name=N_("step rate"), key=f"flex-rate-{index}", width="7em"
        )
        self.remove = W.Button(
            description=_("Remove"), icon="minus", layout=W.Layout(width="auto"), tooltip=_("Remove this step")
        )
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
        self.add = W.Button(description=_("Add step"), icon="plus", layout=W.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_step())
        self.intended = QuantityField(
            N_("Intended (prescribed) daily dose"),
            value=START["flex-intended"],
            limit="daily_dose",
            name=N_("intended daily dose"),
            key="flex-intended",
        )
        self.effect = QuantitySlider(
            N_("Effect wanted at (hour of day)"),
            "h",
            22,
            limit="hour_of_day",
            step=0.5,
            key="flex-effect",
            readout_format=".1f",
        )
        self.effect.layout.width = "40em"
        self.from_continuous = W.Button(
            description=_("Label example: +20 % at night from the intended dose"), layout=W.Layout(width="auto")
        )
        self.from_continuous.on_click(lambda _b: self.load_label_example())
        self.watch(self.intended, self.effect)
        self.guard = _result_widget("flex-guard")
        self.result = _result_widget("flex")
        self.helper = _result_widget("flex-helper")
        self.findings = FindingsView()
        self.fig = make_figure(
            _("Programmed rate over 24 h"),
            _("hour of day (h)"),
            _("rate (µg/h)"),
            height=320,
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    line_shape="hv",
                    name=_("programmed rate"),
                    fill="tozeroy",
                    line=dict(width=3),
                ),
                Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name=_("intended dose as an hourly rate"),
                    line=dict(dash="dash", color=colour("action")),
                ),
            ],
        )
        self.fig.update_xaxes(range=[0, 24], dtick=2)
        self.programme: itbcore.FlexProgramme | None = None
        self.guard_findings: list = []
        self._loading = False
        for start, rate in FLEX_START_STEPS:
            self.add_step(start, rate, refresh=False)
        inputs = W.VBox(
            [
                W.HTML(
                    _("<strong>Steps</strong> (each runs from its start until the next; the last runs past midnight)")
                ),
                self.rows_box,
                W.HBox([self.add, self.from_continuous]),
                self.intended,
                self.effect,
                self.helper,
            ]
        )
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
            self.status.show(
                message("A pump allows at most {most} flex steps a day; remove one before adding another.", most=most)
            )
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
            self.status.show(_("A flex programme needs at least one step; add another before removing this one."))
            return
        self.rows_box.children = tuple(r for r in self.rows if r is not row)
        close_tree(row)
        self.add.disabled = False
        self.refresh()

    def load_label_example(self) -> None:
        """The "label example" button: the flex programme the core makes from the intended dose, or its refusal in
        the tab's status (through the one safe-run; the steps on screen stay)."""
        if self.intended.blocked:  # the example is built from the intended dose on screen, not an older one
            self.refresh()
            return
        safe_run(self._load_label_example, self.status)

    def _load_label_example(self) -> None:
        p = itbcore.flex_from_continuous(self.intended.quantity)
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
        intended_rate = units.as_quantity(self.intended.quantity, "ug/h", name=_("intended rate"))
        with self.fig.batch_update():
            set_trace(
                self.fig,
                0,
                t.magnitude.tolist(),
                r.magnitude.tolist(),
                hovertemplate="%{x:.3~g} h: %{y:.3~g} µg/h<extra></extra>",
            )
            set_trace(
                self.fig,
                1,
                [0, 24],
                [float(intended_rate.magnitude)] * 2,
                name=message("intended {dose} = {rate}", dose=fmt(self.intended.quantity), rate=fmt(intended_rate)),
            )
        if guard:
            worst = "violation" if any(f.severity == "violation" for f in guard) else "warning"
            items = "".join(f"<p>{esc(f.message)} {cite(f.source)}</p>" for f in guard)
            self.guard.value = _box(
                f'<strong class="itb-sev-{worst} itb-large">⚠ '
                + esc(message("Per-hour / per-day check: {severity}", severity=severity_word(worst).upper()))
                + f"</strong>{items}",
                worst,
            )
        else:
            total, intended = programme.daily_total, self.intended.quantity
            pct = (float(total.magnitude) / float(units.magnitude_in(intended, "ug/day")) - 1) * 100
            same = abs(pct) < 0.5
            said = (
                message(
                    "<strong>Per-hour / per-day check: daily total {total} equals the intended {intended}</strong> "
                    "(no mix-up of per hour and per day).",
                    total=esc(fmt(total)),
                    intended=esc(fmt(intended)),
                )
                if same
                else message(
                    "<strong>Per-hour / per-day check: daily total {total} is {change} % against the intended "
                    "{intended}</strong> — no mix-up of per hour and per day, and within a day's adjustment; check it "
                    "is what the prescription means.",
                    total=esc(fmt(total)),
                    change=localize_number(f"{pct:+.0f}"),
                    intended=esc(fmt(intended)),
                )
            )
            self.guard.value = _box(said, "action" if same else "warning")
        self.result.value = _rows(
            [
                (_("Daily total"), fmt(programme.daily_total)),
                (
                    _("Steps"),
                    "; ".join(
                        message("from {start} at {rate}", start=fmt(s.start), rate=fmt(s.rate)) for s in programme.steps
                    ),
                ),
            ]
        )
        self.helper.value = message(
            "Programme the change at <strong>{start}</strong> for an effect wanted at {effect}: {lead} before the "
            "wanted effect {source}.",
            start=esc(fmt(start_at)),
            effect=esc(fmt(self.effect.quantity)),
            lead=esc(fmt(itbcore.FLEX_EFFECT_LEAD)),
            source=cite("lionova 4.2; lioresal Dosing: mode of infusion"),
        )
        self.findings.show(programme.findings)

    def summary(self) -> str:
        p = self.programme
        if p is None:
            return _("flex: none")
        steps = "; ".join(f"{fmt(s.start)} {fmt(s.rate)}" for s in p.steps)
        return (
            message(
                "flex programme: {steps}; daily total {total} against intended {intended}",
                steps=steps,
                total=fmt(p.daily_total),
                intended=fmt(self.intended.quantity),
            )
            + "\n  "
            + message("unit check: {findings}", findings=findings_text(self.guard_findings, N_("no finding")))
        )
