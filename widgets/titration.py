"""Titration: the first daily dose from the test dose, a day-by-day plan within the band, and a proposed change.

For training only, not for treating patients.  Every number comes from :mod:`itbcore.titration`:
the first daily dose under each label and under practice guidance
(:func:`~itbcore.titration.initial_dose_options`), the plan with the band allowed on each day
(:func:`~itbcore.titration.titration_plan`) and the rules a proposed change breaks
(:func:`~itbcore.titration.check_change`).  The app only formats, plots and reports refusals.
"""

from __future__ import annotations

import ipywidgets as W
import pint

from itbcore import library, titration, units
from itbcore.errors import EligibilityError, ITBError
from itbcore.i18n import gettext as core_gettext
from itbcore.patient import ORIGINS, Patient
from itbcore.sources import PRACTICE

from .app import App, Status, run_panel, withdraw
from .fields import QuantityField, QuantitySlider, clear_inline_error, inline_error
from .findings import FindingsView, cite, esc, findings_text, severity_word
from .i18n import DOMAIN, N_, _, message
from .palette import colour
from .plot import Scatter, make_figure
from .screening import word

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("titration")

__all__ = ["TitrationApp", "build_app", "EFFECT_GRID_H", "STEP_CHOICES"]

#: Effect durations (h) at which the first-daily-dose curves are drawn: every half hour to 24 h.
EFFECT_GRID_H = tuple(x / 2 for x in range(1, 49))
#: Step sizes a trainee may choose for the plan (0: the band's lower end, itbcore's default).
STEP_CHOICES = (
    (N_("lower end of the band"), 0.0),
    ("5 %", 0.05),
    ("10 %", 0.10),
    ("15 %", 0.15),
    ("20 %", 0.20),
    ("30 %", 0.30),
    ("40 %", 0.40),
)
PUMP_CHOICES = ((N_("programmable"), "programmable"), (N_("non-programmable (1 mL/day)"), "non_programmable"))
PHASES = ((N_("titration"), "titration"), (N_("maintenance"), "maintenance"))


def _basis(basis: str) -> str:
    """A first-dose basis as a reader sees it: a label key as it is, practice guidance in the core's words."""
    return core_gettext(basis) if basis == PRACTICE else basis


_BASIS_STYLE = {
    "lionova": dict(color=colour("info"), width=4, dash="solid"),
    "lioresal": dict(color=colour("violation"), width=2, dash="dash"),
    PRACTICE: dict(color=colour("action"), width=3, dash="dot"),
}


def _labelled(control: W.Widget, key: str) -> tuple[W.HBox, W.HTML]:
    """A control with an inline message area, found by the browser test as ``.itb-field-<key>``."""
    msg = W.HTML("")
    msg.add_class("itb-field-error")
    box = W.HBox([control, msg], layout=W.Layout(align_items="center"))
    box.add_class("itb-field")
    box.add_class(f"itb-field-{key}")
    return box, msg


def _pct(f: float) -> str:
    return f"{f * 100:.3g} %"


def _ud(q) -> float:
    return float(units.magnitude_in(q, "ug/day"))


class TitrationApp(App):
    title = N_("Titration")
    intro = N_(
        "The first daily dose comes from the effective test dose and how long its effect lasted: the "
        "labels use 12 h, practice guidance 8 h, and at exactly 12 h the two labels read differently. "
        "From there the dose rises day by day within a band that depends on the origin of spasticity, "
        "the patient's age and the label; there is no increase in the first 24 h, and a non-programmable "
        "pump (1 mL/day) needs 48 h between changes (lionova 4.2; lioresal Dosing: phase of dose "
        "selection). Move the effect-duration slider across 8 h and 12 h, switch the label, and check a "
        "proposed change."
    )
    label_differences = (
        "twelve_hour_boundary",
        "pediatric_titration_limits",
        "pediatric_initial_maintenance",
        "pediatric_maintenance_band",
        "change_interval_wording",
        "dose_range_12_2003",
        "catheter_tip_mass",
    )
    sources = (
        N_("lionova 4.2 (dose titration, maintenance, mode of administration)"),
        "lionova 5.1",
        "lioresal Dosing: phase of dose selection",
        "lioresal Dosing: supportive therapy",
        N_("practice guidance: Neuromodulation 2016, Saulino et al. (8 h rule)"),
    )

    # ------------------------------------------------------------------ build
    def build(self):
        # Patient and setting
        self.age = QuantityField(N_("Age"), value=START["age"], limit="age", name=N_("age"), width="9em")
        self.origin = W.ToggleButtons(
            options=[(word(o), o) for o in ORIGINS],
            value="spinal",
            description=_("Origin:"),
            style={"button_width": "6em"},
        )
        self.origin.add_class("itb-field-origin")
        self.phase = W.ToggleButtons(
            options=[(_(t), v) for t, v in PHASES],
            value="titration",
            description=_("Phase:"),
            style={"button_width": "auto"},
        )
        self.phase.add_class("itb-field-phase")
        self.pump = W.ToggleButtons(
            options=[(_(t), v) for t, v in PUMP_CHOICES],
            value="programmable",
            description=_("Pump:"),
            style={"button_width": "auto"},
        )
        self.pump.add_class("itb-field-pump")

        # 1. First daily dose
        self.test_dose = QuantityField(
            N_("Effective test dose"),
            value=START["effective-test-dose"],
            limit="test_dose",
            name=N_("test dose"),
            width="9em",
        )
        self.first_status = Status()
        self.effect = QuantitySlider(N_("Effect lasted"), "h", 12, min=0.5, max=24, step=0.5, key="effect-lasted")
        self.side_effects = W.Checkbox(
            False, description=_("the test dose caused side effects"), indent=False, layout=W.Layout(width="auto")
        )
        self.options_html = W.HTML()
        self.options_html.add_class("itb-result")
        self.options_html.add_class("itb-first-dose")
        self.fig_first = make_figure(
            _("First daily dose by how long the test dose acted"),
            _("duration of the test dose's effect (h)"),
            _("first daily dose (µg/day)"),
            height=320,
        )
        for basis, style in _BASIS_STYLE.items():
            self.fig_first.add_trace(
                Scatter(
                    name=_basis(basis),
                    mode="lines",
                    line=dict(shape="vh", **style),
                    hovertemplate="%{y:.4~g} µg/day<extra>" + _basis(basis) + "</extra>",
                )
            )
        self.fig_first.add_trace(
            Scatter(
                name=_("this patient"),
                mode="markers+text",
                textposition="middle right",
                marker=dict(size=11, color=colour("ink"), symbol="circle-open", line_width=2),
                hovertemplate="%{text}<extra></extra>",
            )
        )
        practice_h = units.magnitude_in(titration.PRACTICE_EFFECT_THRESHOLD, "h")
        label_h = units.magnitude_in(titration.TWELVE_HOURS, "h")
        self.fig_first.add_vline(
            x=practice_h,
            line=dict(color=colour("action"), dash="dot", width=1),
            annotation_text=message("{hours} h (practice)", hours=float(practice_h)),
            annotation_position="bottom left",
        )
        self.fig_first.add_vline(
            x=label_h,
            line=dict(color=colour("info"), dash="dot", width=1),
            annotation_text=message("{hours} h (labels)", hours=float(label_h)),
            annotation_position="bottom left",
        )
        self.fig_first.update_xaxes(range=[0, 24.5], dtick=2)
        self.fig_first.update_layout(hovermode="x unified")
        self._curves_key = self._plan_key = self._check_key = None

        # 2. Plan
        self.target = QuantityField(
            N_("Target daily dose"),
            value=START["target-daily-dose"],
            limit="daily_dose",
            name=N_("target daily dose"),
            width="10em",
        )
        self.step = W.Dropdown(
            options=[(_(t) if not t[0].isdigit() else t, v) for t, v in STEP_CHOICES],
            value=0.0,
            description=_("Step per change:"),
            style={"description_width": "initial"},
            layout=W.Layout(width="22em"),
        )
        self.step_box, self.step_msg = _labelled(self.step, "step")
        self.plan_status = Status()
        self.plan_html = W.HTML()
        self.plan_html.add_class("itb-plan")
        self.plan_findings = FindingsView(N_("No findings for this plan."))
        self.fig_plan = make_figure(
            _("Day-by-day plan within the allowed band"),
            _("day since the infusion started"),
            _("daily dose (µg/day)"),
            height=360,
        )
        self.fig_plan.add_trace(
            Scatter(
                name=_("band low"),
                meta=dict(column=_("allowed band, lowest")),
                mode="lines",
                line=dict(shape="hv", width=0),
                showlegend=False,
                hoverinfo="skip",
            )
        )
        self.fig_plan.add_trace(
            Scatter(
                name=_("allowed band"),
                meta=dict(column=_("allowed band, highest")),
                mode="lines",
                fill="tonexty",
                fillcolor="rgba(46,107,48,0.18)",
                line=dict(shape="hv", width=0),
                hoverinfo="skip",
            )
        )
        self.fig_plan.add_trace(
            Scatter(
                name=_("planned dose"),
                mode="lines+markers",
                line=dict(shape="hv", width=3, color=colour("info")),
                customdata=[],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        self.fig_plan.add_trace(
            Scatter(
                name=_("target"), mode="lines", line=dict(dash="dash", color=colour("chart-purple")), hoverinfo="skip"
            )
        )
        # lionova 4.2: no increase in the first 24 h (day 0 to day 1).
        self.fig_plan.add_vrect(
            x0=0,
            x1=1,
            fillcolor=colour("axis"),
            opacity=0.18,
            line_width=0,
            annotation_text=_("first 24 h: no increase"),
            annotation_position="top left",
        )
        self.fig_plan.update_layout(hovermode="closest")

        # 3. Proposed change
        self.current = QuantityField(
            N_("Current daily dose"),
            value=START["current-daily-dose"],
            limit="daily_dose",
            name=N_("current daily dose"),
            width="10em",
        )
        self.proposed = QuantityField(
            N_("Proposed daily dose"),
            value=START["proposed-daily-dose"],
            limit="daily_dose",
            name=N_("proposed daily dose"),
            width="10em",
        )
        self.since_start = QuantityField(
            N_("Time since the infusion started"),
            value=START["time-since-the-infusion-started"],
            limit="elapsed",
            name=N_("time since the infusion started"),
            width="8em",
        )
        self.since_last = QuantityField(
            N_("Time since the last change"),
            value=START["time-since-the-last-change"],
            limit="elapsed",
            name=N_("time since the last change"),
            width="8em",
        )
        self.no_change_yet = W.Checkbox(
            False, description=_("no change since the start"), indent=False, layout=W.Layout(width="auto")
        )
        self.no_effect = W.Checkbox(
            False, description=_("increases so far brought no effect"), indent=False, layout=W.Layout(width="auto")
        )
        self.check_status = Status()
        self.check_findings = FindingsView(N_("No findings."))
        self.fig_check = make_figure(
            _("The proposed change in time"),
            _("time since the infusion started (h)"),
            _("daily dose (µg/day)"),
            height=320,
        )
        self.fig_check.add_trace(
            Scatter(name=_("current dose"), mode="lines", line=dict(color=colour("info"), width=3), hoverinfo="skip")
        )
        self.fig_check.add_trace(
            Scatter(
                name=_("allowed band for this change"),
                mode="lines",
                line=dict(color="rgba(46,107,48,0.35)", width=18),
                hovertemplate="%{y:.4~g} µg/day<extra>" + esc(_("allowed band")) + "</extra>",
            )
        )
        self.fig_check.add_trace(
            Scatter(
                name=_("proposed dose"),
                mode="markers+text",
                textposition="middle right",
                marker=dict(size=14, symbol="diamond"),
                hovertemplate="%{text}<extra></extra>",
            )
        )
        self.fig_check.add_vrect(
            x0=0,
            x1=24,
            fillcolor=colour("axis"),
            opacity=0.18,
            line_width=0,
            annotation_text=_("first 24 h: no increase"),
            annotation_position="top left",
        )
        self.fig_check.update_layout(hovermode="closest")
        self.watch(
            self.age,
            self.origin,
            self.phase,
            self.pump,
            self.test_dose,
            self.effect,
            self.side_effects,
            self.target,
            self.step,
            self.current,
            self.proposed,
            self.since_start,
            self.since_last,
            self.no_change_yet,
            self.no_effect,
        )

        inputs = [
            W.HTML(f"<strong>{esc(_('Patient and pump'))}</strong>"),
            W.HBox([self.age, self.origin], layout=W.Layout(flex_flow="row wrap", gap="1em")),
            W.HBox([self.phase, self.pump], layout=W.Layout(flex_flow="row wrap", gap="1em")),
        ]
        outputs = [
            W.HTML(f"<h2>{esc(_('1. First daily dose'))}</h2>"),
            W.HBox([self.test_dose, self.side_effects], layout=W.Layout(flex_flow="row wrap", gap="1em")),
            self.effect,
            self.first_status,
            self.options_html,
            self.fig_first,
            W.HTML(
                f"<h2>{esc(_('2. Day-by-day plan'))}</h2>"
                f"<p>{esc(_('Starts at the first daily dose of the chosen label.'))}</p>"
            ),
            W.HBox([self.target, self.step_box], layout=W.Layout(flex_flow="row wrap", gap="1em")),
            self.plan_status,
            self.plan_html,
            self.fig_plan,
            self.plan_findings,
            W.HTML(f"<h2>{esc(_('3. Check a proposed change'))}</h2>"),
            W.HBox([self.current, self.proposed], layout=W.Layout(flex_flow="row wrap", gap="1em")),
            W.HBox([self.since_start, self.since_last], layout=W.Layout(flex_flow="row wrap", gap="1em")),
            W.HBox([self.no_change_yet, self.no_effect], layout=W.Layout(flex_flow="row wrap", gap="2em")),
            self.check_status,
            self.check_findings,
            self.fig_check,
        ]
        self.options: titration.InitialDoseOptions | None = None
        self.first_withdrawn = self.plan_withdrawn = self.check_withdrawn = ""
        self.plan = None
        self.check: list = []
        self.check_inputs: dict = {}
        self.refusal = ""
        return inputs, outputs

    # ------------------------------------------------------------------ update
    @property
    def pump_kind(self) -> str:
        return self.pump.value

    def panel_inputs(self) -> list:
        """The patient and pump; each numbered section is a panel of its own (:func:`run_panel`)."""
        return [self.age, self.origin, self.phase, self.pump]

    def update(self) -> None:
        label = self.label_profile
        patient = Patient(self.age.quantity, self.origin.value)
        self.first_withdrawn = run_panel(
            lambda: self._update_first_dose(label),
            self.first_status,
            [self.test_dose, self.effect, self.side_effects],
            [self.options_html, self.fig_first],
        )
        if self.first_withdrawn:
            self.options = None
            self._curves_key = None
        plan_outputs = [self.plan_html, self.fig_plan, self.plan_findings]
        check_outputs = [self.check_findings, self.fig_check]
        try:
            patient.require_eligible(label)
        except EligibilityError as exc:
            # No plan and no check for a patient the label does not cover: the last ones were another patient's.
            self.refusal = str(exc)
            inline_error(self.age.error, self.refusal)
            withdraw(plan_outputs + check_outputs)
            self.plan, self.check, self.check_inputs = None, [], {}
            self._plan_key = self._check_key = None
            self.plan_status.show(self.refusal)
            self.check_status.show(self.refusal)
            return
        if self.refusal:
            self.refusal = ""
            self._plan_key = self._check_key = None
            if not self.age.error_message:
                clear_inline_error(self.age.error)
        self.patient = patient
        # A section is recomputed only when one of its inputs changed, so moving the effect slider
        # redraws the first-dose section alone (the plan follows only when the first daily dose changes).
        # Each section is a panel: while one of its entries is refused or waits for Confirm, or the core
        # refuses it, its results are withdrawn (a result on screen belongs to the inputs on screen).
        common = (patient.age_years, patient.origin, label, self.pump_kind, self.phase.value)
        if self.options is None:
            withdraw(plan_outputs)
            self.plan, self._plan_key = None, None
            self.plan_withdrawn = _("the first daily dose above is not known.")
            self.plan_status.show(message("No plan: {why}", why=self.plan_withdrawn))
        else:
            start = self.options.by(label).dose
            plan_key = common + (_ud(start), self.target.value, self.step.value)
            if plan_key != self._plan_key or self.plan is None:
                self.plan_withdrawn = run_panel(
                    lambda: self._update_plan(patient, label, start), self.plan_status, [self.target], plan_outputs
                )
                ok = not self.plan_withdrawn
                if not ok:
                    self.plan = None
                self._plan_key = plan_key if ok else None
        check_key = common + (
            self.current.value,
            self.proposed.value,
            self.since_start.value,
            self.since_last.value,
            self.no_change_yet.value,
            self.no_effect.value,
        )
        if check_key != self._check_key or not self.check_inputs:
            # The time since the last change counts only while there was one (the field is greyed out otherwise).
            self.since_last.text.disabled = self.no_change_yet.value
            last = [] if self.no_change_yet.value else [self.since_last]
            self.check_withdrawn = run_panel(
                lambda: self._update_check(patient, label),
                self.check_status,
                [self.current, self.proposed, self.since_start, *last],
                check_outputs,
            )
            ok = not self.check_withdrawn
            if not ok:
                self.check, self.check_inputs = [], {}
            self._check_key = check_key if ok else None

    # -- 1. first daily dose
    def _update_first_dose(self, label: str) -> None:
        dose = self.test_dose.quantity
        options = titration.initial_dose_options(dose, self.effect.quantity, side_effects=self.side_effects.value)
        key = (float(dose.magnitude), self.side_effects.value)
        curves = None
        if key != self._curves_key:
            # The curves depend on the test dose and side effects only; moving the duration slider reuses them.
            grid = [
                titration.initial_dose_options(dose, units.Q_(h, "h"), side_effects=self.side_effects.value)
                for h in EFFECT_GRID_H
            ]
            curves = {o.basis: [_ud(g.by(o.basis).dose) for g in grid] for o in options.options}
        self.options = options
        rows = []
        for o in options.options:
            applied = o.basis == label
            style = ' class="itb-applied"' if applied else ""
            mark = _(" (applied)") if applied else ""
            rows.append(
                f"<tr{style}><td>{esc(_basis(o.basis))}{esc(mark)}</td><td>{esc(units.fmt(o.dose))}</td>"
                f"<td>{esc(o.rule)}</td><td>{cite(o.source)}</td></tr>"
            )
        agree = _agreement(options)
        self.options_html.value = (
            "<p>"
            + esc(
                message(
                    "Test dose {dose}, effect lasted {duration}.",
                    dose=units.fmt(options.test_dose),
                    duration=units.fmt(options.effect_duration),
                )
            )
            + f" {agree}</p>"
            '<table class="itb-table itb-padded"><thead><tr>'
            + "".join(
                f'<th class="itb-key">{esc(h)}</th>'
                for h in (_("basis"), _("first daily dose"), _("rule"), _("source"))
            )
            + "</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
        h = float(units.magnitude_in(options.effect_duration, "h"))
        with self.fig_first.batch_update():
            if curves is not None:
                for i, o in enumerate(options.options):
                    self.fig_first.data[i].x = EFFECT_GRID_H
                    self.fig_first.data[i].y = curves[o.basis]
                # Room above the highest dose for the marker labels.
                self.fig_first.layout.yaxis.range = [0, max(max(c) for c in curves.values()) * 1.25]
                self._curves_key = key
            pts = self.fig_first.data[len(_BASIS_STYLE)]
            pts.x = [h] * len(options.options)
            pts.y = [_ud(o.dose) for o in options.options]
            pts.text = [f"{_basis(o.basis)}: {units.fmt(o.dose)}" for o in options.options]
            # Labels of equal doses would overlap: lionova above, lioresal below, practice beside.
            pts.textposition = ["top right", "bottom right", "middle right"][: len(options.options)]

    # -- 2. plan
    def _update_plan(self, patient: Patient, label: str, start: pint.Quantity) -> bool:
        args = dict(pump=self.pump_kind, phase=self.phase.value, label=label)
        try:
            plan = titration.titration_plan(
                patient, start, self.target.quantity, step_fraction=self.step.value or None, **args
            )
        except ITBError as exc:
            try:
                step_refused = (
                    bool(self.step.value)
                    and titration.titration_plan(patient, start, self.target.quantity, **args) is not None
                )
            except ITBError:
                step_refused = False
            if step_refused:
                # The chosen step is what the label refuses: say so beside it too.
                inline_error(self.step_msg, str(exc))
            else:
                clear_inline_error(self.step_msg)
            raise
        clear_inline_error(self.step_msg)
        self.plan = plan
        s = plan.steps
        lo, hi = plan.band
        kind = {"increase": _("increase"), "decrease": _("decrease for side effects"), "none": _("no change")}[
            plan.direction
        ]
        every = units.fmt(plan.interval)
        template = (
            N_(
                "From <strong>{start}</strong> ({label} first daily dose) to <strong>{target}</strong>: {kind}, steps "
                "of {step} (band {low}–{high} per change), one change every {every}; the plan reaches the target on "
                "day {day} with {final} {source}."
            )
            if plan.reaches_target
            else N_(
                "From <strong>{start}</strong> ({label} first daily dose) to <strong>{target}</strong>: {kind}, steps "
                "of {step} (band {low}–{high} per change), one change every {every}; the plan does <strong>not"
                "</strong> reach the target on day {day} with {final} {source}."
            )
        )
        said = DOMAIN.message(
            template,
            start=esc(units.fmt(plan.start_dose)),
            label=esc(label),
            target=esc(units.fmt(plan.target_dose)),
            kind=esc(kind),
            step=esc(_pct(plan.step_fraction)),
            low=esc(_pct(lo)),
            high=esc(_pct(hi)),
            every=esc(every),
            day=s[-1].day,
            final=esc(units.fmt(plan.final_dose)),
            source=cite(s[0].source),
        )
        self.plan_html.value = f"<p>{said}</p>"
        self.plan_findings.show(plan.findings)
        days = [st.day for st in s]
        end = days[-1] + max(1, int(round(float(units.magnitude_in(plan.interval, "day")))))
        band_x = [st.day for st in s[1:]] + ([end] if len(s) > 1 else [])
        band_lo = [_ud(st.allowed_low) for st in s[1:]] + ([_ud(s[-1].allowed_low)] if len(s) > 1 else [])
        band_hi = [_ud(st.allowed_high) for st in s[1:]] + ([_ud(s[-1].allowed_high)] if len(s) > 1 else [])
        hover = [
            message("day {day}: {dose}", day=st.day, dose=units.fmt(st.dose))
            + (
                message(
                    " ({change}; allowed {low}–{high}, {source})",
                    change=f"{'+' if st.change >= 0 else ''}{_pct(st.change)}",
                    low=units.fmt(st.allowed_low),
                    high=units.fmt(st.allowed_high),
                    source=st.source,
                )
                if st.day
                else _(" (start)")
            )
            for st in s
        ]
        with self.fig_plan.batch_update():
            d = self.fig_plan.data
            d[0].x, d[0].y = band_x, band_lo
            d[1].x, d[1].y = band_x, band_hi
            d[1].name = message("allowed band ({low}–{high} of the day before)", low=_pct(lo), high=_pct(hi))
            d[2].x = days + [end]
            d[2].y = [_ud(st.dose) for st in s] + [_ud(s[-1].dose)]
            d[2].customdata = hover + [hover[-1]]
            d[3].x, d[3].y = [0, end], [_ud(plan.target_dose)] * 2
            self.fig_plan.layout.xaxis.range = [-0.3, end + 0.3]
        return True

    # -- 3. proposed change
    def _update_check(self, patient: Patient, label: str) -> bool:
        last = None if self.no_change_yet.value else self.since_last.quantity
        cur, new, started = self.current.quantity, self.proposed.quantity, self.since_start.quantity
        findings = titration.check_change(
            patient,
            cur,
            new,
            started,
            last,
            pump=self.pump_kind,
            phase=self.phase.value,
            label=label,
            no_effect=self.no_effect.value,
        )
        band = None
        if _ud(new) > 0 and _ud(new) != _ud(cur):
            # The band for one change from the current dose, as the plan gives it.
            one = titration.titration_plan(
                patient, cur, new, pump=self.pump_kind, phase=self.phase.value, label=label, max_steps=1
            )
            if len(one.steps) > 1:
                band = (one.steps[1].allowed_low, one.steps[1].allowed_high, one.steps[1].source)
        self.check = list(findings)  # the core gives them most severe first
        self.check_inputs = dict(current=cur, proposed=new, since_start=started, since_last=last, band=band)
        self.check_findings.show(self.check)
        worst = self.check[0].severity if self.check else "info"
        t_now = float(units.magnitude_in(started, "h"))
        t_last = t_now - float(units.magnitude_in(last, "h")) if last is not None else 0.0
        wait = float(units.magnitude_in(titration.MIN_CHANGE_INTERVAL[self.pump_kind], "h"))
        with self.fig_check.batch_update():
            d = self.fig_check.data
            d[0].x, d[0].y = [t_last, t_now], [_ud(cur)] * 2
            if band is None:
                d[1].x, d[1].y = [], []
            else:
                d[1].x, d[1].y = [t_now, t_now], [_ud(band[0]), _ud(band[1])]
            d[2].x, d[2].y = [t_now], [_ud(new)]
            d[2].marker.color = colour(worst)
            d[2].text = [f"{units.fmt(new)} ({severity_word(worst)})"]
            shapes = list(self.fig_check.layout.shapes[:1])
            annotations = list(self.fig_check.layout.annotations[:1])
            if last is not None:
                # lionova 4.2: at most one change per 24 h (48 h with a non-programmable pump).
                shapes.append(
                    dict(
                        type="rect",
                        xref="x",
                        yref="paper",
                        x0=t_last,
                        x1=t_last + wait,
                        y0=0,
                        y1=1,
                        fillcolor=colour("violation"),
                        opacity=0.08,
                        line_width=0,
                    )
                )
                annotations.append(
                    dict(
                        x=t_last + wait,
                        xref="x",
                        y=0.02,
                        yref="paper",
                        xanchor="right",
                        showarrow=False,
                        text=message("next change from {time}", time=units.fmt(units.Q_(t_last + wait, "h"))),
                        font=dict(color=colour("violation"), size=11),
                    )
                )
            self.fig_check.layout.shapes = shapes
            self.fig_check.layout.annotations = annotations
            self.fig_check.layout.xaxis.range = [-2, max(t_now, t_last + wait, 24) * 1.15 + 4]
        return True

    # ------------------------------------------------------------------ summary
    def summary(self) -> str:
        o = self.options
        lines: list[str] = [
            message(
                "label: {label}; phase: {phase}; pump: {pump}",
                label=self.label_profile,
                phase=self.phase.value,
                pump=self.pump_kind,
            )
        ]
        if o is None:
            lines.append(message("first daily dose: no result: {why}", why=self.first_withdrawn))
        else:
            lines.append(
                message(
                    "first daily dose from a test dose of {dose} whose effect lasted {duration}:",
                    dose=units.fmt(o.test_dose),
                    duration=units.fmt(o.effect_duration),
                )
            )
            lines += [f"  {_basis(x.basis)}: {units.fmt(x.dose)} — {x.rule} ({x.source})" for x in o.options]
        if self.refusal:
            lines += [
                message("not eligible: {reason}", reason=self.refusal),
                _("plan: no result: not eligible"),
                _("proposed change: no result: not eligible"),
            ]
            return "\n".join(lines)
        p = self.plan
        if p is None:
            lines.append(message("plan: no result: {why}", why=self.plan_withdrawn))
        else:
            lines.append(
                message(
                    "plan {start} → {target} ({direction}), steps of {step}, band {low}–{high}, one change per "
                    "{interval}; reaches target: {reaches}",
                    start=units.fmt(p.start_dose),
                    target=units.fmt(p.target_dose),
                    direction=p.direction,
                    step=_pct(p.step_fraction),
                    low=_pct(p.band[0]),
                    high=_pct(p.band[1]),
                    interval=units.fmt(p.interval),
                    reaches=_("yes") if p.reaches_target else _("no"),
                )
            )
            for st in p.steps:
                extra = (
                    message(
                        " ({change}; allowed {low}–{high})",
                        change=f"{'+' if st.change >= 0 else ''}{_pct(st.change)}",
                        low=units.fmt(st.allowed_low),
                        high=units.fmt(st.allowed_high),
                    )
                    if st.day
                    else ""
                )
                lines.append("  " + message("day {day}: {dose}", day=st.day, dose=units.fmt(st.dose)) + extra)
            lines.append(findings_text(p.findings))
        c = self.check_inputs
        if not c:
            lines.append(message("proposed change: no result: {why}", why=self.check_withdrawn))
        else:
            last = units.fmt(c["since_last"]) if c["since_last"] is not None else _("no change yet")
            lines.append(
                message(
                    "proposed change {current} → {proposed}, {since_start} after the start, last change: {last}:",
                    current=units.fmt(c["current"]),
                    proposed=units.fmt(c["proposed"]),
                    since_start=units.fmt(c["since_start"]),
                    last=last,
                )
            )
            if c["band"] is not None:
                lines.append(
                    "  "
                    + message(
                        "allowed for one change: {low}–{high} ({source})",
                        low=units.fmt(c["band"][0]),
                        high=units.fmt(c["band"][1]),
                        source=c["band"][2],
                    )
                )
            lines.append(findings_text(self.check))
        return "\n".join(lines)


def _agreement(options) -> str:
    """Say who agrees: the two labels with each other, and practice guidance with them (never "the labels
    disagree" when both labels give the same dose and only practice guidance differs)."""
    if options.agree:
        return esc(_("All three agree."))
    labels = {o.basis: o.dose for o in options.options if o.basis in ("lionova", "lioresal")}
    others = [o for o in options.options if o.basis not in labels]
    if len({q.magnitude for q in labels.values()}) == 1:
        dose = units.fmt(next(iter(labels.values())))
        differ = "; ".join(
            message("{basis} gives {dose}", basis=_basis(o.basis), dose=units.fmt(o.dose)) for o in others
        )
        return esc(message("The two labels agree ({dose}); {differ}.", dose=dose, differ=differ))
    return _("<strong>The labels disagree</strong>: see “where labels differ” below.")


def build_app(**kwargs) -> TitrationApp:
    """The titration app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return TitrationApp(**kwargs)
