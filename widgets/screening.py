"""Screening: who may be screened, the ladder of test boluses, the response to each, and the decision.

For training only, not for treating patients.  Every number comes from :mod:`itbcore.screening`
and :mod:`itbcore.patient`: the patient's warnings (:func:`~itbcore.screening.screening_warnings`),
the suggested first bolus (:func:`~itbcore.screening.initial_test_dose`), the ladder
(:func:`~itbcore.screening.screening_ladder`) with the volume of the 50 µg/mL solution for each
bolus (:func:`~itbcore.screening.test_dose_volume`), the decision after the boluses given so far
(:func:`~itbcore.screening.next_step`) and the time course of a bolus
(:func:`~itbcore.screening.bolus_timeline`).  The app only formats, plots and reports refusals.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from itbcore import library, screening, units
from itbcore.errors import EligibilityError
from itbcore.patient import CONDITIONS, MEDICINES, ORIGINS, Patient

from .app import App
from .fields import QuantityField, inline_error
from .findings import FindingsView, cite, esc, findings_text
from .palette import colour
from .plot import Bar, Scatter, make_figure

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("screening")

__all__ = ["ScreeningApp", "build_app", "MAX_BOLUSES"]

#: Rows of the ladder (itbcore.screening.MAX_BOLUSES: 25 µg steps from any start reach 100 µg within it).
MAX_BOLUSES = screening.MAX_BOLUSES
RESPONSES = (("not given yet", "none"), ("no response", "no"), ("responded", "yes"))


def _checkbox_grid(options: dict[str, str], columns: int = 3) -> tuple[W.GridBox, dict[str, W.Checkbox]]:
    boxes = {
        code: W.Checkbox(value=False, description=text, indent=False, layout=W.Layout(width="auto"))
        for code, text in options.items()
    }
    for code, box in boxes.items():
        box.add_class(f"itb-check-{code.replace('_', '-')}")
    grid = W.GridBox(
        list(boxes.values()),
        layout=W.Layout(grid_template_columns=f"repeat({columns}, minmax(14em, 1fr))", padding="4px"),
    )
    return grid, boxes


def _h(q) -> float:
    """Hours as a plain number for a plot axis."""
    return float(units.magnitude_in(q, "h"))


# Plot traces, in the order they are added.
_T_OBS, _T_OBS_LONG, _T_ONSET, _T_EFFECT, _T_EFFECT_LONG, _T_PEAK, _T_BOLUS, _T_NEXT = range(8)


class ScreeningApp(App):
    title = "Screening: test doses"
    intro = (
        "Enter a patient, then record the response to each test bolus as it is given. The app lists the "
        "warnings the screening team must act on, the ladder of boluses with the volume of the 50 µg/mL "
        "solution to draw up, the decision after each bolus, and when each effect is expected."
    )
    label_differences = (
        "under_4",
        "limited_data_age",
        "epilepsy_contraindication",
        "renal_impairment",
        "hepatic_impairment",
        "older_patients",
        "breast_feeding",
        "test_dose_endpoint",
        "observation_windows",
        "driving",
        "pregnancy",
        "bulbar_paresis",
        "alcohol",
        "medicines_only_baclorex_names",
    )
    sources = (
        "lionova 4.2 (screening phase)",
        "lionova 4.3, 4.4, 4.5 (contraindications, warnings, interactions)",
        "lionova 5.1 (onset, peak, duration)",
        "lioresal Dosing: initial phase",
        "practice guidance: Neuromodulation 2016, Boster et al. (25 or 50 µg first)",
    )

    # ------------------------------------------------------------------ build
    def build(self):
        self._quiet = False
        self.age = QuantityField("Age", value=START["age"], limit="age", name="age", width="9em")
        self.origin = W.ToggleButtons(
            options=[(o, o) for o in ORIGINS], value="spinal", description="Origin:", style={"button_width": "6em"}
        )
        self.origin.add_class("itb-field-origin")
        self.weight = QuantityField("Weight", value=START["weight"], limit="weight", name="weight", width="9em")
        med_grid, self.medicines = _checkbox_grid(MEDICINES)
        cond_grid, self.conditions = _checkbox_grid(CONDITIONS)
        self.tabs = W.Tab([med_grid, cond_grid])
        self.tabs.titles = ("Medicines", "Conditions")
        self.relies = W.Checkbox(
            False,
            description="relies on spasticity to stand, transfer or walk",
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.small_child = W.Checkbox(
            False, description="very small child", indent=False, layout=W.Layout(width="auto")
        )
        self.first_dose = QuantityField(
            "First test dose", value=START["first-test-dose"], limit="test_dose", name="first test dose", width="9em"
        )
        self.suggestion = W.HTML()
        self.suggestion.add_class("itb-suggestion")
        self.watch(
            self.age,
            self.origin,
            self.weight,
            self.relies,
            self.small_child,
            self.first_dose,
            *self.medicines.values(),
            *self.conditions.values(),
        )

        inputs = [
            W.HTML("<strong>Patient</strong>"),
            W.HBox([self.age, self.weight], layout=W.Layout(flex_flow="row wrap")),
            self.origin,
            self.tabs,
            W.HBox([self.relies, self.small_child], layout=W.Layout(flex_flow="row wrap", gap="2em")),
            W.HTML("<strong>First test bolus</strong>"),
            self.first_dose,
            self.suggestion,
        ]

        self.eligibility = W.HTML()
        self.eligibility.add_class("itb-eligibility")
        self.warnings = FindingsView("No warnings for this patient.")
        self.rows: list[dict[str, Any]] = []
        for i in range(MAX_BOLUSES):
            text = W.HTML(layout=W.Layout(width="36em"))
            toggle = W.ToggleButtons(options=list(RESPONSES), value="none", style={"button_width": "8.5em"})
            toggle.observe(lambda change, i=i: self._on_response(i), "value")
            row = W.HBox([text, toggle], layout=W.Layout(align_items="center"))
            row.add_class("itb-field")
            row.add_class(f"itb-field-bolus-{i + 1}")
            row.add_class("itb-ladder-row")
            self.rows.append({"text": text, "toggle": toggle, "box": row})
        # The app opens before any bolus is given: the trainee records each response as it comes.
        self.ladder_box = W.VBox([r["box"] for r in self.rows])
        self.decision = W.HTML()
        self.decision.add_class("itb-result")
        self.decision_findings = FindingsView("No further findings.")
        self.fig = make_figure(
            "Each test bolus: onset, peak, duration of effect and observation",
            "time since the first test bolus (h)",
            "test bolus",
            height=360,
        )
        self._add_traces()
        self.timeline_sources = W.HTML()

        outputs = [
            self.eligibility,
            W.HTML("<strong>Warnings for this patient</strong>"),
            self.warnings,
            W.HTML(
                "<strong>Test-bolus ladder</strong> (50 µg/mL solution only; one bolus per 24 h at most; "
                "record the response to each bolus given)"
            ),
            self.ladder_box,
            W.HTML("<strong>Decision</strong>"),
            self.decision,
            self.decision_findings,
            self.fig,
            self.timeline_sources,
        ]
        # Results of the last valid update (the summary reads them).
        self.patient: Patient | None = None
        self.suggested: screening.TestDoseSuggestion | None = None
        self.ladder: tuple = ()
        self.volumes: tuple = ()
        self.step: screening.ScreeningStep | None = None
        self.refusal = ""
        return inputs, outputs

    def _add_traces(self) -> None:
        fig = self.fig
        bar: dict[str, Any] = dict(orientation="h", hovertemplate="%{customdata}<extra></extra>")
        fig.add_trace(Bar(name="observe (at least 4 h)", marker_color=colour("chart-observe"), width=0.8, **bar))
        fig.add_trace(
            Bar(
                name="observe up to 8 h",
                marker=dict(color=colour("chart-observe-late"), pattern_shape="/"),
                width=0.8,
                **bar,
            )
        )
        fig.add_trace(Bar(name="onset ½–1 h", marker_color=colour("chart-onset"), width=0.35, **bar))
        fig.add_trace(Bar(name="effect", marker_color=colour("action"), width=0.35, **bar))
        fig.add_trace(
            Bar(
                name="effect may last to 8 h",
                marker=dict(color=colour("chart-effect"), pattern_shape="."),
                width=0.35,
                **bar,
            )
        )
        fig.add_trace(
            Scatter(
                name="peak ≈ 4 h",
                mode="markers",
                marker=dict(symbol="diamond", size=11, color=colour("chart-effect-ink")),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        fig.add_trace(
            Scatter(
                name="bolus given",
                mode="markers",
                marker=dict(symbol="triangle-right", size=13, color=colour("info")),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        fig.add_trace(
            Scatter(
                name="next bolus (not before)",
                mode="markers+text",
                textposition="top right",
                marker=dict(symbol="triangle-right-open", size=13, color=colour("chart-purple")),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        fig.update_layout(barmode="overlay", hovermode="closest")
        fig.update_yaxes(autorange="reversed", type="category")
        fig.update_xaxes(dtick=6, rangemode="tozero")

    # ------------------------------------------------------------------ reading inputs
    def _patient(self) -> Patient:
        return Patient(
            self.age.quantity,
            self.origin.value,
            weight=self.weight.quantity,
            medicines=frozenset(c for c, b in self.medicines.items() if b.value),
            conditions=frozenset(c for c, b in self.conditions.items() if b.value),
        )

    def _given(self, ladder) -> list[str]:
        """Responses of the boluses given so far, in order ("no" or "yes")."""
        out = []
        for row in self.rows[: len(ladder)]:
            v = row["toggle"].value
            if v == "none":
                break
            out.append(v)
            if v == "yes":
                break
        return out

    def panel_outputs(self) -> list:
        """The outputs, and each ladder row's dose and volume (a row also holds its response, an input)."""
        return [*super().panel_outputs(), *(r["text"] for r in self.rows)]

    def _on_response(self, i: int) -> None:
        if self._quiet:
            return
        self.refresh()

    # ------------------------------------------------------------------ update
    def update(self) -> None:
        label = self.label_profile
        first = self.first_dose.quantity
        patient = self._patient()
        # A patient under 4 is refused by every screening function, the warnings too (none are shown then); a
        # contraindication still shows the patient's warnings beside the refusal.
        try:
            warnings = screening.screening_warnings(patient, label)
        except EligibilityError as exc:
            self._show_ineligible(patient, [], str(exc))
            return
        try:
            patient.require_eligible(label)
        except EligibilityError as exc:
            self._show_ineligible(patient, warnings, str(exc))
            return
        is_child = patient.population == "pediatric"
        small_child = self.small_child.value and is_child
        suggestion = screening.initial_test_dose(
            patient, relies_on_spasticity=self.relies.value, very_small_child=small_child, label=label
        )
        ladder = screening.screening_ladder(patient, first, label=label)
        volumes = tuple(screening.test_dose_volume(d) for d in ladder)
        timeline = screening.bolus_timeline(label)
        responses = self._given(ladder)
        given = list(ladder[: len(responses)])
        step = screening.next_step(patient, given, responded=responses[-1] == "yes", label=label) if given else None

        # Everything was accepted: render.
        self.patient, self.suggested, self.step, self.refusal = patient, suggestion, step, ""
        self.ladder, self.volumes = ladder, volumes
        self.responses, self.timeline = responses, timeline
        self.small_child.disabled = not is_child
        self.age.error.value = "" if not self.age.error_message else self.age.error.value
        self.eligibility.value = (
            f'<div class="itb-finding itb-info">'
            f"<strong>Eligible for screening</strong> under the {esc(label)} profile: "
            f"{esc(patient.population)}, {patient.age_years:g} years, "
            f"{esc(patient.origin)} origin {cite(suggestion.label_source)}</div>"
        )
        self.suggestion.value = (
            f"<div>Suggested first bolus: <strong>{esc(units.fmt(suggestion.dose))}</strong> "
            f"({esc(units.fmt(suggestion.volume))} of 50 µg/mL) — {esc(suggestion.reason)} "
            f"{cite(suggestion.source)}; the label allows "
            f"{esc(' or '.join(units.fmt(a) for a in suggestion.alternatives))} "
            f"{cite(suggestion.label_source)}.</div>"
        )
        self.warnings.show(warnings)
        self._render_ladder(ladder, volumes, responses, timeline)
        self._render_decision(step, ladder, volumes, warnings, suggestion.label_source)
        self._render_timeline(ladder, responses, step, timeline)

    def _show_ineligible(self, patient: Patient, warnings, message: str) -> None:
        self.patient, self.step, self.refusal, self.ladder, self.volumes = patient, None, message, (), ()
        self.responses = []
        if patient.age_years < 4:
            inline_error(self.age.error, message)
        self.eligibility.value = (
            f'<div role="alert" class="itb-finding itb-violation itb-sev-violation"><strong>Not eligible for '
            f"screening</strong> under the "
            f"{esc(self.label_profile)} profile: {esc(message)}</div>"
        )
        self.suggestion.value = ""
        self.warnings.show(warnings)
        for row in self.rows:
            row["box"].layout.display = "none"
        self.decision.value = '<div class="itb-muted">No test bolus: the label does not cover this patient.</div>'
        self.decision_findings.show(())
        with self.fig.batch_update():
            for tr in self.fig.data:
                tr.x, tr.y = [], []
                if isinstance(tr, Bar):
                    tr.base = []
        self.timeline_sources.value = ""

    def _render_ladder(self, ladder, volumes, responses, timeline) -> None:
        gap = units.fmt(timeline.next_bolus)
        self._quiet = True
        try:
            for i, row in enumerate(self.rows):
                if i >= len(ladder):
                    row["box"].layout.display = "none"
                    row["toggle"].value = "none"
                    continue
                row["box"].layout.display = None
                # A bolus can be recorded once every earlier bolus was given without a response.
                open_ = i <= len(responses) and all(r == "no" for r in responses[:i])
                row["toggle"].disabled = not open_
                if not open_:
                    row["toggle"].value = "none"
                when = "day 1" if i == 0 else f"day {i + 1}, ≥ {gap} after bolus {i}"
                row["text"].value = (
                    f"<span>Bolus {i + 1} ({esc(when)}): <strong>{esc(units.fmt(ladder[i]))}</strong> — draw "
                    f"<strong>{esc(units.fmt(volumes[i]))}</strong> of 50 µg/mL</span>"
                )
        finally:
            self._quiet = False

    def _render_decision(self, step, ladder, volumes, warnings, src) -> None:
        if step is None:
            self.decision.value = _decision_box(
                "info",
                f"Give the first test bolus: {units.fmt(ladder[0])} ({units.fmt(volumes[0])} of the "
                f"50 µg/mL solution), then observe the patient for 4 to 8 h.",
                src,
            )
            self.decision_findings.show(())
            return
        if step.action == "candidate":
            text, kind = "Candidate: a positive response. Go on to pump implantation and dose titration.", "action"
        elif step.action == "escalate":
            vol = screening.test_dose_volume(step.next_dose)
            text = (
                f"Escalate: give {units.fmt(step.next_dose)} ({units.fmt(vol)} of the 50 µg/mL solution) "
                f"at least {units.fmt(step.wait)} after the last bolus."
            )
            kind = "warning"
        else:
            text, kind = (
                f"Not a candidate: no response at the maximum test dose of {units.fmt(screening.MAX_TEST_DOSE)}.",
                "violation",
            )
        self.decision.value = _decision_box(kind, text, step.source)
        seen = {f.code for f in warnings}
        self.decision_findings.show([f for f in step.findings if f.code not in seen])  # most severe first

    def _render_timeline(self, ladder, responses, step, t) -> None:
        onset0, onset1, peak = _h(t.onset[0]), _h(t.onset[1]), _h(t.peak)
        dur0, dur1, obs0, obs1, gap = (
            _h(t.duration[0]),
            _h(t.duration[1]),
            _h(t.monitor[0]),
            _h(t.monitor[1]),
            _h(t.next_bolus),
        )
        cats, starts, hover = [], [], []
        for i, r in enumerate(responses):
            word = "responded" if r == "yes" else "no response"
            cats.append(f"bolus {i + 1}: {units.fmt(ladder[i])}")
            starts.append(i * gap)
            hover.append(f"bolus {i + 1}, {units.fmt(ladder[i])}, {word}")
        n = len(cats)
        hrs = lambda v: units.fmt(units.Q_(v, "h"))  # noqa: E731
        with self.fig.batch_update():
            d = self.fig.data
            for idx, a, b, what, src in (
                (_T_OBS, 0.0, obs0, f"observe for at least {hrs(obs0)}", t.sources["monitor"]),
                (_T_OBS_LONG, obs0, obs1, f"observe for up to {hrs(obs1)}", t.sources["monitor"]),
                (_T_ONSET, onset0, onset1, f"onset {hrs(onset0)}–{hrs(onset1)} after the bolus", t.sources["onset"]),
                (_T_EFFECT, onset1, dur0, f"effect lasts at least {hrs(dur0)}", t.sources["duration"]),
                (_T_EFFECT_LONG, dur0, dur1, f"effect may last up to {hrs(dur1)}", t.sources["duration"]),
            ):
                d[idx].y = cats
                d[idx].base = [s + a for s in starts]
                d[idx].x = [b - a] * n
                d[idx].customdata = [f"{h}: {what} ({src})" for h in hover]
            d[_T_PEAK].x, d[_T_PEAK].y = [s + peak for s in starts], cats
            d[_T_PEAK].customdata = [
                f"{h}: peak effect about {hrs(peak)} after the bolus ({t.sources['peak']})" for h in hover
            ]
            d[_T_BOLUS].x, d[_T_BOLUS].y = starts, cats
            d[_T_BOLUS].customdata = [f"{h} at {hrs(s)}" for h, s in zip(hover, starts, strict=False)]
            nxt = None
            if step is None:
                nxt = (0.0, ladder[0], "bolus 1")
            elif step.action == "escalate":
                nxt = (starts[-1] + _h(step.wait), step.next_dose, f"bolus {n + 1}")
            if nxt is None:
                d[_T_NEXT].x, d[_T_NEXT].y, d[_T_NEXT].text, d[_T_NEXT].customdata = [], [], [], []
                end = (starts[-1] if starts else 0) + gap
            else:
                cat = f"{nxt[2]}: {units.fmt(nxt[1])} (next)"
                d[_T_NEXT].x, d[_T_NEXT].y = [nxt[0]], [cat]
                d[_T_NEXT].text = [f"not before {hrs(nxt[0])}"]
                d[_T_NEXT].customdata = [
                    f"{nxt[2]}, {units.fmt(nxt[1])}: not before {hrs(nxt[0])} ({t.sources['next_bolus']})"
                ]
                end = nxt[0] + gap
            self.fig.layout.xaxis.range = [-1, max(end, gap)]
            self.fig.layout.xaxis.dtick = 6 if end <= 48 else 12
        self.timeline_sources.value = (
            f'<div class="itb-muted itb-small">Onset {esc(hrs(onset0))}–{esc(hrs(onset1))}, peak about '
            f"{esc(hrs(peak))}, effect {esc(hrs(dur0))}–{esc(hrs(dur1))} ({esc(t.sources['onset'])}); observe "
            f"{esc(hrs(obs0))}–{esc(hrs(obs1))} after each bolus ({esc(t.sources['monitor'])}); next bolus not "
            f"before {esc(hrs(gap))} ({esc(t.sources['next_bolus'])}). {esc(t.note)}</div>"
        )

    # ------------------------------------------------------------------ summary
    def summary(self) -> str:
        p = self.patient
        lines = [f"label: {self.label_profile}"]
        if p is not None:
            meds = ", ".join(MEDICINES[c] for c in sorted(p.medicines)) or "none"
            conds = ", ".join(CONDITIONS[c] for c in sorted(p.conditions)) or "none"
            weight = units.fmt(p.weight) if p.weight is not None else "not given"
            lines.append(
                f"patient: {p.age_years:g} years, {p.population}, {p.origin} origin, "
                f"weight {weight}; medicines: {meds}; conditions: {conds}"
            )
        if self.refusal:
            lines.append(f"not eligible: {self.refusal}")
        elif self.suggested is None:
            lines.append("no result")
        else:
            s = self.suggested
            lines.append(
                f"suggested first test dose: {units.fmt(s.dose)} = {units.fmt(s.volume)} of 50 µg/mL "
                f"({s.source}); allowed {' or '.join(units.fmt(a) for a in s.alternatives)} "
                f"({s.label_source})"
            )
            lines.append("ladder (50 µg/mL solution, at least 24 h apart):")
            for i, (d, v) in enumerate(zip(self.ladder, self.volumes, strict=False)):
                state = self.responses[i] if i < len(self.responses) else "not given"
                state = {"no": "no response", "yes": "responded"}.get(state, state)
                lines.append(f"  bolus {i + 1}: {units.fmt(d)} = {units.fmt(v)} ({state})")
            st = self.step
            if st is None:
                lines.append("decision: give the first test bolus")
            else:
                nd = (
                    f", next {units.fmt(st.next_dose)} after {units.fmt(st.wait)}"
                    if st.next_dose is not None and st.wait is not None
                    else ""
                )
                lines.append(
                    f"decision: {st.action}{nd}; observe {units.fmt(st.monitor[0])} to "
                    f"{units.fmt(st.monitor[1])} after each bolus ({st.source})"
                )
                lines.append(self.decision_findings.text())
            t = self.timeline
            lines.append(
                f"timeline: onset {units.fmt(t.onset[0])}–{units.fmt(t.onset[1])}, peak {units.fmt(t.peak)}, "
                f"effect {units.fmt(t.duration[0])}–{units.fmt(t.duration[1])}, next bolus after "
                f"{units.fmt(t.next_bolus)}"
            )
        lines.append("warnings:")
        lines.append(findings_text(self.warnings.items, "none"))
        return "\n".join(lines)


def _decision_box(kind: str, text: str, source: str) -> str:
    word = {"action": "decision", "violation": "stop", "warning": "next step", "info": "next step"}[kind]
    return (
        f'<div class="itb-finding itb-decision itb-{esc(kind)}"><strong class="itb-severity">{word}</strong> '
        f"{esc(text)} {cite(source)}</div>"
    )


def build_app(**kwargs) -> ScreeningApp:
    """The screening app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return ScreeningApp(**kwargs)
