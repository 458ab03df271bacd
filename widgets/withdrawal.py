"""Withdrawal: recognise it early, act in order, find the cause, and plan a stop that is never abrupt.

For training only, not for treating patients.

Four parts, each with its own inputs and status line (a refusal in one leaves the others
working with their last valid result):

* signs (:data:`itbcore.withdrawal.SIGNS`) and high-risk factors → stage, actions in order,
  differentials (:func:`itbcore.withdrawal.assess`);
* likely causes of the interruption (:func:`itbcore.withdrawal.likely_causes`) from the time
  since delivery stopped and the reservoir volume found against the one expected;
* a planned discontinuation (:func:`itbcore.withdrawal.taper`, 14–28 days) drawn as a step-down;
* a drug holiday (:func:`itbcore.maintenance.drug_holiday`): the reduction, the restart dose, the actions.

The withdrawal rules (stage, steps) are the same under both labels, so the app has no label
chooser: its steps are worded as lionova 4.4 words them, and the label differences under the outputs show how
lioresal words the bridge to a delayed restart and which signs each text lists.
Every number comes from :mod:`itbcore`; this module formats and plots.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

import itbcore.withdrawal as wd
from itbcore import library, maintenance, units
from itbcore.i18n import gettext as core_gettext

from .app import App, Status, run_panel, section
from .fields import QuantityField, field_checkbox
from .findings import FindingsView, actions_html, actions_text, badge, cite, esc, findings_text
from .i18n import N_, _, message
from .palette import colour
from .plot import Scatter, make_figure

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("withdrawal")

__all__ = ["WithdrawalApp", "build_app", "differentials_html", "stage_badge"]

#: Withdrawal stage → the severity whose colour its badge takes.
STAGE_SEVERITY = {"none": "action", "early": "warning", "advanced": "violation"}
#: The stages as a reader sees them (the codes stay the core's).
STAGE_WORDS = {"none": N_("none"), "early": N_("early"), "advanced": N_("advanced")}


def stage_word(stage: str) -> str:
    """A withdrawal stage (``"early"``) in the reader's language."""
    return _(STAGE_WORDS[stage]) if stage in STAGE_WORDS else stage


def stage_badge(stage: str) -> str:
    """The withdrawal stage as a badge in its severity's colour (this app and the deck's emergency slide)."""
    return badge(_("Withdrawal stage"), stage_word(stage), STAGE_SEVERITY[stage])


def differentials_html(codes: list[str]) -> str:
    """The differentials (codes of :data:`itbcore.withdrawal.DIFFERENTIALS`) with their sources."""
    if not codes:
        return ""
    items = "".join(
        f"<li>{esc(core_gettext(wd.DIFFERENTIALS[c][0]))} {cite(wd.DIFFERENTIALS[c][1])}</li>" for c in codes
    )
    return f"<strong>{esc(_('Think also of'))}</strong><ul class='itb-differentials itb-tight'>{items}</ul>"


def _on(widget: Any, callback) -> None:
    if isinstance(widget, QuantityField):
        widget.on_state(lambda _w: callback())  # refused or waiting for Confirm: the part's results go
    if hasattr(widget, "on_change"):
        widget.on_change(lambda _w: callback())
    else:
        widget.observe(lambda _c: callback(), "value")


class WithdrawalApp(App):
    title = N_("Withdrawal")
    intro = N_(
        "Abrupt interruption of intrathecal baclofen — a missed refill, a catheter problem, a pump fault "
        "— can progress within hours to days from returning spasticity and itching to high fever, "
        "altered mental state, rigidity and rhabdomyolysis (lionova 4.2, 4.4; lioresal Dosing: "
        "discontinuation of treatment). Tick the signs and the patient's risk factors to see the stage, "
        "what to do first and what else it may be; enter what you found at the pump to rank the likely "
        "causes; plan a planned discontinuation over 14–28 days and a drug holiday with its restart dose "
        "— gradual, never abrupt."
    )
    label_choice = False  # the same rules under lionova and lioresal; the steps in lionova's words
    label_differences = ("drug_holiday", "withdrawal_bridge", "withdrawal_signs")
    sources = (
        "lionova 4.2",
        "lionova 4.4",
        "lioresal Dosing: discontinuation of treatment",
        "lioresal Dosing: supportive therapy",
        "baclorex 3",
        N_("practice guidance: Coffey et al. 2002; Neuromodulation 2016 troubleshooting panel"),
    )

    default_signs: tuple[str, ...] = ("spasticity_return", "pruritus")

    def __init__(self, **kwargs: Any) -> None:
        self.assessment: wd.Assessment | None = None
        self.causes: wd.LikelyCauses | None = None
        self.plan: list | None = None
        self.holiday: maintenance.DrugHoliday | None = None
        self.withdrawn_parts: dict[str, str] = {}
        super().__init__(**kwargs)

    # ------------------------------------------------------------------ build
    def build(self):
        # -- signs and risk factors
        self.signs = {
            c: field_checkbox(core_gettext(s.text), f"sign-{c.replace('_', '-')}") for c, s in wd.SIGNS.items()
        }
        for c in self.default_signs:
            self.signs[c].value = True
        self.risks = {
            c: field_checkbox(core_gettext(r.text), f"risk-{c.replace('_', '-')}") for c, r in wd.HIGH_RISK.items()
        }
        for w in (*self.signs.values(), *self.risks.values()):
            w.observe(lambda _c: self._run("signs"), "value")
        cols = [
            W.VBox(
                [W.HTML(f"<strong>{esc(message('{stage} signs', stage=stage_word(stage)))}</strong>")]
                + [self.signs[c] for c, s in wd.SIGNS.items() if s.stage == stage],
                layout=W.Layout(margin="0 16px 0 0"),
            )
            for stage in ("early", "advanced")
        ]
        cols.append(
            W.VBox([W.HTML(f"<strong>{esc(_('high risk of withdrawal'))}</strong>")] + list(self.risks.values()))
        )
        self.sign_grid = W.HBox(cols)
        self.signs_status = Status()
        self.stage = W.HTML()
        self.stage.add_class("itb-result")
        self.actions = W.HTML()
        self.differentials = W.HTML()
        self.sign_findings = FindingsView()

        # -- likely causes
        self.hours = QuantityField(
            N_("Time since delivery stopped"),
            value=START["hours-since"],
            limit="elapsed",
            name=N_("time since delivery stopped"),
            key="hours-since",
        )
        self.reservoir_checked = W.Checkbox(value=True, description=_("the reservoir volume was checked"), indent=False)
        self.found = QuantityField(
            N_("Volume found in reservoir"),
            value=START["found-volume"],
            limit="found_volume",
            name=N_("volume found"),
            key="found-volume",
        )
        self.expected = QuantityField(
            N_("Volume expected"),
            value=START["expected-volume"],
            limit="found_volume",
            name=N_("volume expected"),
            key="expected-volume",
        )
        self.alarm = QuantityField(
            N_("Low-reservoir alarm"),
            value=START["alarm-volume"],
            limit="alarm_volume",
            name=N_("alarm volume"),
            key="alarm-volume",
        )
        self.programming = W.Checkbox(value=False, description=_("the programme was changed just before"), indent=False)
        for w in (self.hours, self.reservoir_checked, self.found, self.expected, self.alarm, self.programming):
            _on(w, lambda: self._run("causes"))
        self.causes_status = Status()
        self.cause_list = W.HTML()
        self.cause_list.add_class("itb-result")
        self.cause_findings = FindingsView()
        self.cause_fig = make_figure(
            _("When withdrawal usually begins"),
            _("time since delivery stopped (h)"),
            "",
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    mode="markers+text",
                    name=_("this patient"),
                    marker=dict(size=16, symbol="diamond"),
                    textposition="top center",
                )
            ],
            height=200,
        )
        self.cause_fig.update_yaxes(visible=False, range=[-1, 1])
        self.cause_fig.update_layout(margin=dict(t=40, b=45), showlegend=False)

        # -- planned discontinuation
        self.taper_dose = QuantityField(
            N_("Current daily dose"),
            value=START["taper-dose"],
            limit="daily_dose",
            name=N_("current daily dose"),
            key="taper-dose",
        )
        self.taper_days = QuantityField(
            N_("Taper length"),
            "day",
            START["taper-length"],
            limit="taper_length",
            name=N_("taper length"),
            key="taper-length",
        )
        for w in (self.taper_dose, self.taper_days):
            _on(w, lambda: self._run("taper"))
        self.taper_status = Status()
        self.taper_result = W.HTML()
        self.taper_result.add_class("itb-result")
        self.taper_fig = make_figure(
            _("Planned discontinuation: a gradual step-down, never an abrupt stop"),
            _("day of the taper"),
            _("daily dose (µg/day)"),
            traces=[Scatter(x=[], y=[], name=_("daily dose"), mode="lines+markers", line=dict(shape="hv", width=3))],
            height=300,
        )

        # -- drug holiday
        self.holiday_dose = QuantityField(
            N_("Dose now"), value=START["holiday-dose"], limit="daily_dose", name=N_("dose now"), key="holiday-dose"
        )
        self.holiday_restart = QuantityField(
            N_("Initial infusion dose"),
            value=START["holiday-restart"],
            limit="daily_dose",
            name=N_("initial infusion dose"),
            key="holiday-restart",
        )
        self.holiday_weeks = QuantityField(
            N_("Reduction over"),
            "week",
            START["holiday-weeks"],
            limit="holiday_length",
            name=N_("reduction length"),
            key="holiday-weeks",
        )
        for w in (self.holiday_dose, self.holiday_restart, self.holiday_weeks):
            _on(w, lambda: self._run("holiday"))
        self.holiday_status = Status()
        self.holiday_result = W.HTML()
        self.holiday_result.add_class("itb-result")
        self.holiday_actions = W.HTML()
        self.holiday_findings = FindingsView()
        self.holiday_fig = make_figure(
            _("Drug holiday: reduce, pause, restart at the initial dose"),
            _("day"),
            _("daily dose (µg/day)"),
            traces=[
                Scatter(x=[], y=[], name=_("reduction"), mode="lines", line=dict(shape="hv", width=3)),
                Scatter(
                    x=[],
                    y=[],
                    name=_("restart dose (then titrate again)"),
                    mode="markers+text",
                    marker=dict(size=14),
                    textposition="top center",
                ),
            ],
            height=300,
        )

        inputs = [section(_("1 · Signs: which stage, and what to do first")), self.sign_grid, self.signs_status]
        outputs = [
            self.stage,
            self.actions,
            self.differentials,
            self.sign_findings,
            section(_("2 · Why did delivery stop? Likely causes")),
            W.HBox([self.hours]),
            self.reservoir_checked,
            W.HBox([self.found, self.expected]),
            self.alarm,
            self.programming,
            self.causes_status,
            self.cause_fig,
            self.cause_list,
            self.cause_findings,
            section(_("3 · Planned discontinuation (taper)")),
            W.HBox([self.taper_dose, self.taper_days]),
            self.taper_status,
            self.taper_result,
            self.taper_fig,
            section(_("4 · Drug holiday")),
            W.HBox([self.holiday_dose, self.holiday_restart]),
            self.holiday_weeks,
            self.holiday_status,
            self.holiday_result,
            self.holiday_fig,
            self.holiday_actions,
            self.holiday_findings,
        ]
        return inputs, outputs

    # ------------------------------------------------------------------ update
    def _parts(self) -> dict[str, tuple]:
        """Each part: (compute, status, inputs, results, the attribute holding its result)."""
        return {
            "signs": (
                self._assess,
                self.signs_status,
                [*self.signs.values(), *self.risks.values()],
                [self.stage, self.actions, self.differentials, self.sign_findings],
                "assessment",
            ),
            "causes": (
                self._causes,
                self.causes_status,
                [self.hours, self.reservoir_checked, self.found, self.expected, self.alarm, self.programming],
                [self.cause_fig, self.cause_list, self.cause_findings],
                "causes",
            ),
            "taper": (
                self._taper,
                self.taper_status,
                [self.taper_dose, self.taper_days],
                [self.taper_result, self.taper_fig],
                "plan",
            ),
            "holiday": (
                self._holiday,
                self.holiday_status,
                [self.holiday_dose, self.holiday_restart, self.holiday_weeks],
                [self.holiday_result, self.holiday_fig, self.holiday_actions, self.holiday_findings],
                "holiday",
            ),
        }

    def _run(self, part: str) -> bool:
        """Run one part as a panel (:func:`run_panel`): a refused entry withdraws that part's results only."""
        compute, status, inputs, results, attr = self._parts()[part]
        why = run_panel(compute, status, inputs, results)
        self.withdrawn_parts[part] = why
        if why:
            setattr(self, attr, None)
        return not why

    def panel_inputs(self) -> list:
        return []  # every part is a panel of its own

    def update(self) -> None:
        for part in ("signs", "causes", "taper", "holiday"):
            self._run(part)

    def ticked(self, boxes: dict[str, W.Checkbox]) -> list[str]:
        return [c for c, cb in boxes.items() if cb.value]

    def _assess(self) -> bool:
        a = wd.assess(self.ticked(self.signs), risk_factors=self.ticked(self.risks))
        self.assessment = a
        self.stage.value = f"<p>{stage_badge(a.stage)} {cite(a.source)}</p>"
        self.actions.value = f"<strong>{esc(_('What to do, most urgent first'))}</strong>" + actions_html(a.actions)
        self.differentials.value = differentials_html(a.differentials)
        self.sign_findings.show(a.findings)
        return True

    def _causes(self) -> bool:
        checked = self.reservoir_checked.value
        for w in (self.found, self.expected):
            w.layout.display = None if checked else "none"
        lc = wd.likely_causes(
            self.hours.quantity,
            reservoir_volume=self.found.quantity if checked else None,
            expected_reservoir_volume=self.expected.quantity if checked else None,
            alarm_volume=self.alarm.quantity,
            recent_programming_change=self.programming.value,
        )
        self.causes = lc
        items = "".join(
            f"<li><strong>{esc(c.text)}</strong> — {esc(c.reason)} {cite(c.source)}</li>" for c in lc.causes
        )
        self.cause_list.value = (
            f"<strong>{esc(_('Check, most likely first'))}</strong><ol class='itb-causes'>{items}</ol>{cite(lc.source)}"
        )
        self.cause_findings.show(lc.findings)
        lo, hi = (float(q.to("h").magnitude) for q in lc.onset_window)
        h = float(self.hours.quantity.to("h").magnitude)
        fig = self.cause_fig
        with fig.batch_update():
            fig.data[0].x, fig.data[0].y = [h], [0]
            fig.data[0].text = [f"{units.fmt(self.hours.quantity)}"]
            fig.layout.shapes = [
                dict(
                    type="rect",
                    x0=lo,
                    x1=hi,
                    y0=-0.6,
                    y1=0.6,
                    fillcolor=colour("chart-band"),
                    line=dict(width=0),
                    layer="below",
                )
            ]
            fig.layout.annotations = [
                dict(
                    x=(lo + hi) / 2,
                    y=-0.8,
                    showarrow=False,
                    text=message(
                        "usual onset {start}–{end} (practice; labels: hours to days)",
                        start=units.fmt(lc.onset_window[0]),
                        end=units.fmt(lc.onset_window[1]),
                    ),
                )
            ]
            fig.layout.xaxis.range = [0, max(hi * 1.25, h * 1.15)]
        return True

    def _taper(self) -> bool:
        plan = wd.taper(self.taper_dose.quantity, self.taper_days.quantity)
        self.plan = plan
        days = [d for d, _q in plan]
        doses = [float(q.to("ug/day").magnitude) for _d, q in plan]
        shown = " → ".join(message("day {day}: {dose}", day=d, dose=units.fmt(q)) for d, q in plan[:3])
        last = message("day {day}: {dose}", day=plan[-1][0], dose=units.fmt(plan[-1][1]))
        reductions = message("({count} daily reductions)", count=len(plan) - 1)
        self.taper_result.value = (
            f"<p>{shown} → … → <strong>{last}</strong> {reductions} "
            f"{cite('lionova 4.2; lioresal Dosing: discontinuation of treatment')}</p>"
        )
        with self.taper_fig.batch_update():
            self.taper_fig.data[0].x, self.taper_fig.data[0].y = days, doses
        return True

    def _holiday(self) -> bool:
        h = maintenance.drug_holiday(
            self.holiday_dose.quantity, self.holiday_restart.quantity, self.holiday_weeks.quantity
        )
        self.holiday = h
        last = h.schedule[-1][0]
        said = message(
            "From <strong>{current}</strong> to {lowest} over <strong>{days} days</strong>; restart at {restart}, then "
            "titrate again. {source}",
            current=units.fmt(h.current_daily_dose),
            lowest=units.fmt(h.schedule[-1][1]),
            days=last,
            restart=f"<strong class='itb-restart'>{units.fmt(h.restart_dose)}</strong>",
            source=cite(h.source),
        )
        self.holiday_result.value = f"<p>{said}</p>"
        self.holiday_actions.value = f"<strong>{esc(_('Steps'))}</strong>" + actions_html(h.actions)
        self.holiday_findings.show(h.findings)
        fig = self.holiday_fig
        with fig.batch_update():
            fig.data[0].x = [d for d, _q in h.schedule]
            fig.data[0].y = [float(q.to("ug/day").magnitude) for _d, q in h.schedule]
            fig.data[1].x, fig.data[1].y = [last], [float(h.restart_dose.to("ug/day").magnitude)]
            fig.data[1].text = [message("restart {dose}", dose=units.fmt(h.restart_dose))]
        return True

    # ------------------------------------------------------------------ summary
    def summary(self) -> str:
        lines: list[str] = []
        a = self.assessment
        if a is not None:
            lines += [
                message(
                    "signs: {signs}; risk factors: {risks}",
                    signs=", ".join(a.signs) or _("none"),
                    risks=", ".join(a.risk_factors) or _("none"),
                ),
                message("withdrawal stage: {stage} ({source})", stage=a.stage, source=a.source),
                actions_text(a.actions),
                message("differentials: {codes}", codes=", ".join(a.differentials) or _("none")),
                findings_text(a.findings),
            ]
        lc = self.causes
        if lc is not None:
            lines += [message("likely causes: {codes}", codes=", ".join(lc.codes)), findings_text(lc.findings)]
        for part, why in self.withdrawn_parts.items():
            if why:
                lines.append(message("{part}: no result: {why}", part=part, why=why))
        if self.plan is not None:
            steps = "; ".join(message("day {day} {dose}", day=d, dose=units.fmt(q)) for d, q in self.plan)
            lines.append(message("taper: {steps}", steps=steps))
        h = self.holiday
        if h is not None:
            lines += [
                message(
                    "drug holiday: {current} to {lowest} over {days} days; restart {restart} ({source})",
                    current=units.fmt(h.current_daily_dose),
                    lowest=units.fmt(h.schedule[-1][1]),
                    days=h.schedule[-1][0],
                    restart=units.fmt(h.restart_dose),
                    source=h.source,
                ),
                actions_text(h.actions),
                findings_text(h.findings),
            ]
        return "\n".join(lines)


def build_app(**kwargs: Any) -> WithdrawalApp:
    """The withdrawal app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return WithdrawalApp(**kwargs)
