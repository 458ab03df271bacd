"""Overdose: how refill and programming errors overdose a patient, the signs, what to do first.

For training only, not for treating patients.

Three parts, each a panel (:func:`widgets.app.run_panel`) with its own inputs and status line: a
refused entry withdraws that part's results and leaves the others' in place:

* an error scenario from :data:`itbcore.scenarios.SCENARIOS` with its settings → the dose
  delivered against the dose intended (the factor) and the CSF concentration curves of both
  (:func:`itbcore.scenarios.simulate`);
* a checklist of :data:`itbcore.overdose.SIGNS` → severity and the actions in order
  (:func:`itbcore.overdose.assess`);
* the physostigmine regimen of the lioresal label (:func:`itbcore.overdose.physostigmine`),
  shown beside the disagreement: practice guidance advises against it, lionova names no antidote.

Every number comes from :mod:`itbcore`; this module formats and plots.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

import itbcore.overdose as od
from itbcore import library, scenarios, units
from itbcore.i18n import gettext as core_gettext
from itbcore.i18n import localize_number
from itbcore.patient import Patient
from itbcore.sources import PRACTICE, differences

from .app import App, Status, difference_source, run_panel, section
from .fields import QuantityField, QuantitySlider, field_checkbox
from .findings import FindingsView, actions_html, actions_text, badge, cite, esc, findings_text
from .i18n import N_, _, message
from .plot import Scatter, make_figure
from .screening import word

__all__ = ["OverdoseApp", "build_app", "SCENARIO_FIELDS"]


#: The settings each scenario shows as a quantity field: (setting, label, unit).  Settings not
#: listed keep the registry's default (a pocket fill's amount is concentration × volume).
SCENARIO_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pocket_fill": (
        ("concentration", N_("Concentration"), "ug/mL"),
        ("volume", N_("Refill volume"), "mL"),
        ("daily_dose", N_("Programmed daily dose"), "ug/day"),
        ("residual_volume", N_("Residual volume before refill"), "mL"),
    ),
    "access_port_injection": (
        ("concentration", N_("Concentration"), "ug/mL"),
        ("volume", N_("Volume injected"), "mL"),
        ("daily_dose", N_("Programmed daily dose"), "ug/day"),
        ("residual_volume", N_("Residual volume in reservoir"), "mL"),
    ),
    "flex_mixup": (("intended_daily_dose", N_("Intended daily dose"), "ug/day"),),
    "concentration_mismatch": (
        ("programmed_concentration", N_("Programmed concentration"), "ug/mL"),
        ("filled_concentration", N_("Filled concentration"), "ug/mL"),
        ("daily_dose", N_("Programmed daily dose"), "ug/day"),
    ),
    "unit_slip": (("intended", N_("Intended daily dose"), "ug/day"),),
    "too_fast_titration": (("start", N_("Starting daily dose"), "ug/day"),),
}

#: The drug-library limit that bounds each scenario setting: by unit, with the volumes that are not fills apart.
_LIMIT_BY_UNIT = {"ug/mL": "concentration", "mL": "reservoir_volume", "ug/day": "daily_dose"}
SCENARIO_LIMITS = {("residual_volume", "mL"): "found_volume", ("volume", "mL"): "found_volume"}

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("overdose")

#: Overdose grade → the severity whose colour its badge takes.
_GRADE_SEVERITY = {"none": "action", "mild": "info", "moderate": "warning", "severe": "violation"}
#: The grades as a reader sees them (the codes stay the stylesheet's and the core's).
GRADE_WORDS = {"none": N_("none"), "mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}


def grade_word(grade: str) -> str:
    """An overdose grade (``"moderate"``) in the reader's language."""
    return _(GRADE_WORDS[grade]) if grade in GRADE_WORDS else grade


class OverdoseApp(App):
    title = N_("Overdose")
    intro = N_(
        "Refill and programming errors are the usual road to an intrathecal baclofen overdose (lionova "
        "4.4, 4.9; lioresal Overdose). Choose an error — a pocket fill, an injection through the "
        "catheter access port, a flex dose programmed per hour, a concentration mismatch, a mg/µg slip, "
        "titration too fast — and compare the dose delivered with the dose intended and the CSF "
        "concentration curves of both. Then tick the signs to grade the overdose and see what to do "
        "first, in order and with its source, and look up the physostigmine regimen of the lioresal "
        "label beside the practice guidance that advises against it (lionova names no antidote)."
    )
    label_differences = ("physostigmine", "csf_drain_timing", "seizures_in_recovery", "overdose_signs")
    sources = (
        "lionova 4.9",
        "lioresal Overdose",
        "baclorex 3",
        "lionova 4.4",
        "lionova 4.2",
        N_("practice guidance: reported incidents (FDA Class I recall 2011; Neuromodulation 2016)"),
        N_("practice guidance: Neuromodulation 2016, troubleshooting panel"),
    )

    #: Signs ticked when the app opens.
    default_signs: tuple[str, ...] = ("hypotonia", "drowsiness")

    def __init__(self, label: str = "lionova", scenario: str = "access_port_injection") -> None:
        self._initial_scenario = scenario
        self.result: scenarios.ScenarioResult | None = None
        self.simulation: scenarios.Simulation | None = None
        self.assessment: od.Assessment | None = None
        self.regimen: od.Regimen | None = None
        #: Why each part's results are withdrawn ("" while they belong to the inputs on screen).
        self.withdrawn_parts: dict[str, str] = {}
        super().__init__(label=label)

    # ------------------------------------------------------------------ build
    def build(self):
        # -- scenario
        self.scenario = W.Dropdown(
            options=[(core_gettext(s.title), code) for code, s in scenarios.SCENARIOS.items()],
            value=self._initial_scenario,
            description=_("Error scenario"),
            style={"description_width": "initial"},
            layout=W.Layout(width="auto"),
        )
        self.scenario.add_class("itb-field")
        self.scenario.add_class("itb-field-scenario")
        self.fields: dict[str, dict[str, Any]] = {}
        self.setting_boxes: dict[str, W.VBox] = {}
        for code, spec in SCENARIO_FIELDS.items():
            defaults = scenarios.SCENARIOS[code].defaults
            ws: dict[str, Any] = {}
            for name, label, unit in spec:
                ws[name] = QuantityField(
                    label,
                    unit,
                    defaults[name],
                    limit=SCENARIO_LIMITS.get((name, unit), _LIMIT_BY_UNIT[unit]),
                    key=f"{code}-{name}",
                )
            if code == "unit_slip":
                ws["slip"] = W.Dropdown(
                    options=[(core_gettext(text).capitalize(), k) for k, (text, _f) in scenarios.UNIT_SLIPS.items()],
                    value=defaults["slip"],
                    description=_("Slip"),
                    style={"description_width": "initial"},
                    layout=W.Layout(width="auto"),
                )
            if code == "too_fast_titration":
                ws["daily_increase_fraction"] = QuantitySlider(
                    N_("Daily increase given"),
                    "percent",
                    100 * defaults["daily_increase_fraction"],
                    min=5,
                    max=200,
                    step=5,
                    key="daily-increase",
                    readout_format=".0f",
                )
                ws["days"] = W.IntSlider(
                    value=defaults["days"],
                    min=1,
                    max=10,
                    description=_("Daily increases"),
                    continuous_update=False,
                    style={"description_width": "initial"},
                )
                ws["origin"] = W.ToggleButtons(
                    options=[(word("spinal"), "spinal"), (word("cerebral"), "cerebral")],
                    value=defaults["origin"],
                    description=_("Origin"),
                )
                ws["population"] = W.ToggleButtons(
                    options=[(word("adult"), "adult"), (_("child"), "pediatric")],
                    value=defaults["population"],
                    description=_("Patient"),
                )
            self.fields[code] = ws
            box = W.VBox(list(ws.values()))
            self.setting_boxes[code] = box
            for w in ws.values():
                self._on(w, self._update_scenario)
        self.scenario.observe(lambda _c: self._update_scenario(), "value")
        self.log_axis = W.Checkbox(value=False, description=_("logarithmic concentration axis"), indent=False)
        self.log_axis.observe(lambda _c: self._update_scenario(), "value")
        self.scenario_status = Status()
        self.scenario_result = W.HTML()
        self.scenario_result.add_class("itb-result")
        self.scenario_findings = FindingsView()
        self.fig = make_figure(
            _("CSF baclofen after the error: delivered against intended"),
            _("time after the error (h)"),
            _("CSF baclofen (ng/mL)"),
            traces=[
                Scatter(x=[], y=[], name=_("intended"), mode="lines", line=dict(dash="dash", width=2)),
                Scatter(x=[], y=[], name=_("delivered"), mode="lines", line=dict(width=3)),
            ],
            height=360,
        )

        # -- signs
        self.signs = {
            code: field_checkbox(f"{core_gettext(s.text)} [{grade_word(s.severity)}]", f"sign-{code.replace('_', '-')}")
            for code, s in od.SIGNS.items()
        }
        for code in self.default_signs:
            self.signs[code].value = True
        # about the patient, not a sign: kept apart from the sign columns so it is never read as one
        self.lp_contraindicated = W.Checkbox(
            value=False,
            description=_(
                "The patient: lumbar puncture is contraindicated (decides whether CSF can be drained; not a sign)"
            ),
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.lp_contraindicated.add_class("itb-field")
        self.lp_contraindicated.add_class("itb-field-lp-contraindicated")
        for w in (*self.signs.values(), self.lp_contraindicated):
            w.observe(lambda _c: self._update_signs(), "value")
        by_grade = {g: [self.signs[c] for c, s in od.SIGNS.items() if s.severity == g] for g in od.SEVERITIES[1:]}
        sign_grid = W.HBox(
            [
                W.VBox(
                    [W.HTML(f"<strong>{esc(message('{grade} class', grade=grade_word(g)))}</strong>")] + boxes,
                    layout=W.Layout(margin="0 16px 0 0"),
                )
                for g, boxes in by_grade.items()
            ]
        )
        self.signs_status = Status()
        self.grade = W.HTML()
        self.grade.add_class("itb-result")
        self.actions = W.HTML()
        self.sign_findings = FindingsView()

        # -- physostigmine
        self.age = W.IntSlider(
            value=40,
            min=4,
            max=90,
            description=_("Age (years)"),
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.age.add_class("itb-field")
        self.age.add_class("itb-field-age")
        self.weight = QuantityField(
            N_("Body weight"), value=START["weight"], limit="weight", name=N_("body weight"), key="weight"
        )
        for w in (self.age, self.weight):
            self._on(w, self._update_physostigmine)
        self.physo_status = Status()
        self.physo_warning = W.HTML()
        self.physo_result = W.HTML()
        self.physo_result.add_class("itb-result")
        self.physo_cautions = FindingsView()

        inputs = [
            section(_("1 · An error and what it delivers")),
            self.scenario,
            *self.setting_boxes.values(),
            self.scenario_status,
        ]
        outputs = [
            self.scenario_result,
            self.log_axis,
            self.fig,
            self.scenario_findings,
            section(_("2 · Signs: how severe, and what to do first")),
            sign_grid,
            W.HTML(f"<strong>{esc(_('About the patient'))}</strong>"),
            self.lp_contraindicated,
            self.signs_status,
            self.grade,
            self.actions,
            self.sign_findings,
            section(_("3 · Physostigmine: the label and practice disagree")),
            self.physo_warning,
            W.HBox([self.age, self.weight]),
            self.physo_status,
            self.physo_result,
            self.physo_cautions,
        ]
        return inputs, outputs

    @staticmethod
    def _on(widget: Any, callback) -> None:
        if isinstance(widget, QuantityField):
            widget.on_state(lambda _w: callback())  # refused or waiting for Confirm: the part's results go
        if hasattr(widget, "on_change"):
            widget.on_change(lambda _w: callback())
        else:
            widget.observe(lambda _c: callback(), "value")

    # ------------------------------------------------------------------ update
    def panel_inputs(self) -> list:
        return []  # every part is a panel of its own

    def _run(self, part: str, compute, status: Status, inputs: list, results: list, *attrs: str) -> bool:
        """Run one part as a panel (:func:`run_panel`): a refused entry withdraws that part's results only."""
        why = run_panel(compute, status, inputs, results)
        self.withdrawn_parts[part] = why
        if why:
            for attr in attrs:
                setattr(self, attr, None)
        return not why

    def update(self) -> None:
        self._update_scenario()
        self._update_signs()
        self._update_physostigmine()

    def scenario_kwargs(self) -> dict[str, Any]:
        """The settings of the chosen scenario as itbcore arguments (quantities, codes)."""
        code = self.scenario.value
        kwargs: dict[str, Any] = {}
        for name, w in self.fields[code].items():
            if name == "daily_increase_fraction":
                kwargs[name] = float(w.quantity.to("").magnitude)
            elif isinstance(w, QuantityField):
                kwargs[name] = w.quantity
            else:
                kwargs[name] = w.value
        if code == "too_fast_titration":
            kwargs["label"] = self.label_profile
        return kwargs

    def _update_scenario(self) -> bool:
        code = self.scenario.value
        for c, box in self.setting_boxes.items():  # the chosen scenario's settings, also while withdrawn
            box.layout.display = None if c == code else "none"
        return self._run(
            "scenario",
            self._scenario,
            self.scenario_status,
            [self.scenario, self.log_axis, *self.fields[code].values()],
            [self.scenario_result, self.fig, self.scenario_findings],
            "result",
            "simulation",
        )

    def _scenario(self) -> bool:
        code = self.scenario.value
        result = scenarios.SCENARIOS[code](**self.scenario_kwargs())
        sim = scenarios.simulate(result, hours=result.duration)
        self.result, self.simulation = result, sim
        self.scenario_result.value = self._result_html(result, sim)
        self.scenario_findings.show(result.findings)
        t = sim.times.to("h").magnitude
        with self.fig.batch_update():
            self.fig.data[0].x, self.fig.data[0].y = t, sim.intended.to("ng/mL").magnitude
            self.fig.data[1].x, self.fig.data[1].y = t, sim.delivered.to("ng/mL").magnitude
            self.fig.layout.yaxis.type = "log" if self.log_axis.value else "linear"
            self.fig.layout.yaxis.title.text = (
                _("CSF baclofen (ng/mL, log scale)") if self.log_axis.value else _("CSF baclofen (ng/mL)")
            )
            self.fig.layout.title.text = message("CSF baclofen: {scenario}", scenario=result.title)
        return True

    @staticmethod
    def _factor_text(r: scenarios.ScenarioResult) -> str:
        if r.delivered_amount is not None:
            return message(
                "{amount} = {factor} × the intended daily dose ({intended})",
                amount=units.fmt(r.delivered_amount),
                factor=localize_number(f"{r.factor:.3g}"),
                intended=units.fmt(r.intended_daily_dose),
            )
        assert r.delivered_rate is not None  # a scenario delivers an amount or a rate
        factor = localize_number(f"{r.factor:.3g}")
        return f"{units.fmt(r.delivered_rate)} ÷ {units.fmt(r.intended_daily_dose)} = ×{factor}"

    def _result_html(self, r: scenarios.ScenarioResult, sim: scenarios.Simulation) -> str:
        kind = "violation" if r.factor != 1 else "info"
        said = (
            _("overdose") if r.is_overdose else (_("under-dose: withdrawal risk") if r.factor < 1 else _("as intended"))
        )
        delivered = []
        if r.delivered_amount is not None:
            delivered.append(
                message("{amount} at once into the {route}", amount=units.fmt(r.delivered_amount), route=esc(r.route))
            )
        if r.delivered_rate is not None and r.code != "pocket_fill":
            delivered.append(
                message("{rate} by {route}", rate=units.fmt(r.delivered_rate), route=esc(r.route))
                if r.delivered_amount is None
                else message("{rate} by the pump", rate=units.fmt(r.delivered_rate))
            )
        peak = message(
            "{delivered} delivered, {intended} intended (one-compartment model, lionova 5.2)",
            delivered=units.fmt(sim.peak_delivered),
            intended=units.fmt(sim.peak_intended),
        )
        return (
            f'<div class="itb-finding itb-{kind}">'
            f"<p class='itb-tight'><em>{esc(r.explanation)}</em></p>"
            f"<table class='itb-table'>"
            f"<tr><td>{esc(_('intended'))}</td>"
            f"<td><strong>{units.fmt(r.intended_daily_dose)}</strong></td></tr>"
            f"<tr><td>{esc(_('delivered'))}</td>"
            f"<td><strong>{'; '.join(delivered) or '—'}</strong></td></tr>"
            f"<tr><td>{esc(_('factor'))}</td><td><strong class='itb-factor itb-sev-{kind}'>"
            f"{esc(self._factor_text(r))}</strong> — {esc(said)}</td></tr>"
            f"<tr><td>{esc(_('CSF peak'))}</td><td>{peak}</td></tr>"
            f"</table>{cite(r.source)}</div>"
        )

    def _update_signs(self) -> bool:
        return self._run(
            "signs",
            self._signs,
            self.signs_status,
            [*self.signs.values(), self.lp_contraindicated],
            [self.grade, self.actions, self.sign_findings],
            "assessment",
        )

    def ticked_signs(self) -> list[str]:
        return [c for c, cb in self.signs.items() if cb.value]

    def _signs(self) -> bool:
        a = od.assess(
            self.ticked_signs(), lumbar_puncture_contraindicated=self.lp_contraindicated.value, label=self.label_profile
        )
        self.assessment = a
        self.grade.value = (
            f"<p>{badge(_('Overdose grade'), grade_word(a.severity), _GRADE_SEVERITY[a.severity])} "
            f"{cite(a.source, message('; label profile {label}', label=a.label))}</p>"
        )
        self.actions.value = f"<strong>{esc(_('What to do, most urgent first'))}</strong>" + actions_html(a.actions)
        self.sign_findings.show(a.findings)
        return True

    def _update_physostigmine(self) -> bool:
        self.physo_warning.value = self._physo_warning_html()  # the disagreement is shown whatever is entered
        child = Patient(self.age.value, "spinal").population != "adult"
        self.weight.layout.display = None if child else "none"  # an adult's dose does not depend on the weight
        return self._run(
            "physostigmine",
            self._physostigmine,
            self.physo_status,
            [self.age, self.weight] if child else [self.age],
            [self.physo_result, self.physo_cautions],
            "regimen",
        )

    def _physostigmine(self) -> bool:
        patient = Patient(self.age.value, "spinal")
        child = patient.population != "adult"
        r = od.physostigmine(patient, weight=self.weight.quantity if child else None)
        self.regimen = r
        self.physo_result.value = self._regimen_html(r)
        self.physo_cautions.show(r.cautions)
        return True

    def _physo_warning_html(self) -> str:
        (diff,) = differences("physostigmine")
        label = self.label_profile
        applied = ' class="itb-applied"'
        rows = "".join(
            f"<li{applied if k == label else ''}><strong>{esc(difference_source(k))}</strong>: {esc(v)} "
            f"{cite(diff.sources.get(k, ''))}{esc(_(' ← profile applied')) if k == label else ''}</li>"
            for k, v in diff.values.items()
        )
        head = (
            _(
                "Under the lionova profile there is no antidote: supportive care only. The regimen below is the "
                "lioresal label's, shown for comparison."
            )
            if label == "lionova"
            else _("The lioresal label lists physostigmine; practice guidance advises against it in most overdoses.")
        )
        return (
            f'<div class="itb-physostigmine-warning itb-callout itb-callout-stop" role="note">'
            f'<strong class="itb-sev-violation">⚠ {esc(head)}</strong><ul class="itb-tight">{rows}</ul></div>'
        )

    @staticmethod
    def _regimen_html(r: od.Regimen) -> str:
        lo, hi = r.dose_range
        dose = units.fmt(r.dose) if lo == hi else message("{low} to {high}", low=units.fmt(lo), high=units.fmt(hi))
        if r.over is not None:
            how = message(
                "{route} over {start} to {end}",
                route=esc(r.route),
                start=units.fmt(r.over[0]),
                end=units.fmt(r.over[1]),
            )
        else:
            assert r.max_rate is not None  # a dose given without a time window has a highest rate
            how = message(
                "{route} at no more than {rate} (at least {duration})",
                route=esc(r.route),
                rate=units.fmt(r.max_rate),
                duration=units.fmt(r.min_duration),
            )
        repeat = (
            message(
                "{dose} every {start} to {end}, {until}",
                dose=units.fmt(r.repeat.dose),
                start=units.fmt(r.repeat.interval[0]),
                end=units.fmt(r.repeat.interval[1]),
                until=esc(r.repeat.until),
            )
            if r.repeat.interval
            else message("{dose}, {until}", dose=units.fmt(r.repeat.dose), until=esc(r.repeat.until))
        )
        cap = units.fmt(r.max_total) if r.max_total is not None else _("none set by the label")
        who = _("adult") if r.population == "adult" else _("child (dosed by weight, capped)")
        return (
            f"<table class='itb-regimen itb-table'><tr><td>{esc(_('patient'))}</td><td>{who}</td></tr>"
            f"<tr><td>{esc(_('dose'))}</td><td><strong>{dose}</strong> {how}</td></tr>"
            f"<tr><td>{esc(_('repeat'))}</td><td>{repeat}</td></tr>"
            f"<tr><td>{esc(_('maximum total'))}</td><td>{cap}</td></tr></table>"
            f"{cite(r.source, message(' — label profile {label} only', label=r.label))}"
        )

    # ------------------------------------------------------------------ summary
    def summary(self) -> str:
        lines: list[str] = [message("label profile: {label}", label=self.label_profile)]
        lines += [
            message("{part}: no result: {why}", part=part, why=why) for part, why in self.withdrawn_parts.items() if why
        ]
        r, sim = self.result, self.simulation
        if r is not None and sim is not None:
            lines += [
                message("scenario: {scenario}", scenario=r.title),
                message("intended: {dose}", dose=units.fmt(r.intended_daily_dose)),
                message("factor: {factor}", factor=self._factor_text(r)),
                message(
                    "CSF peak delivered: {delivered}; intended: {intended}",
                    delivered=units.fmt(sim.peak_delivered),
                    intended=units.fmt(sim.peak_intended),
                ),
                findings_text(r.findings),
            ]
        a = self.assessment
        if a is not None:
            lines += [
                message("signs: {signs}", signs=", ".join(a.signs) or _("none")),
                message("overdose grade: {grade} ({source})", grade=a.severity, source=a.source),
                actions_text(a.actions),
                findings_text(a.findings),
            ]
        g = self.regimen
        if g is not None:
            lines.append(
                message(
                    "physostigmine ({source}, {population}): {dose} per dose; maximum total {cap}; "
                    "practice: {practice}",
                    source=g.source,
                    population=g.population,
                    dose=units.fmt(g.dose),
                    cap=units.fmt(g.max_total) if g.max_total is not None else _("none"),
                    practice=differences("physostigmine")[0].values[PRACTICE],
                )
            )
        return "\n".join(lines)


def build_app(**kwargs: Any) -> OverdoseApp:
    """The overdose app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return OverdoseApp(**kwargs)
