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
from itbcore.i18n import gettext as core_gettext
from itbcore.patient import CONDITIONS, MEDICINES, ORIGINS, Patient

from .app import App
from .fields import QuantityField, inline_error
from .findings import FindingsView, cite, esc, findings_text, or_join
from .i18n import N_, _, message
from .palette import colour
from .plot import Bar, Scatter, make_figure

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("screening")

__all__ = ["ScreeningApp", "build_app", "MAX_BOLUSES"]

#: Rows of the ladder (itbcore.screening.MAX_BOLUSES: 25 µg steps from any start reach 100 µg within it).
MAX_BOLUSES = screening.MAX_BOLUSES
RESPONSES = ((N_("not given yet"), "none"), (N_("no response"), "no"), (N_("responded"), "yes"))
#: The core's codes as a reader sees them (the codes stay the values).
WORDS = {"spinal": N_("spinal"), "cerebral": N_("cerebral"), "adult": N_("adult"), "pediatric": N_("pediatric")}


def word(code: str) -> str:
    """A patient code (origin, population) in the reader's language."""
    return _(WORDS[code]) if code in WORDS else code


def _checkbox_grid(options: dict[str, str], columns: int = 3) -> tuple[W.GridBox, dict[str, W.Checkbox]]:
    boxes = {
        code: W.Checkbox(value=False, description=core_gettext(text), indent=False, layout=W.Layout(width="auto"))
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
    title = N_("Screening: test doses")
    intro = N_(
        "Before a pump is implanted, a test bolus of the 50 µg/mL solution shows whether intrathecal "
        "baclofen helps. Enter the patient (age, origin, medicines and conditions) to see who may be "
        "screened and what the team must watch; then record the response to each bolus as it is given. "
        "The app shows the volume to draw for each bolus, the decision after each one (candidate, "
        "escalate by 25 µg after at least 24 h, or not a candidate at 100 µg), and a timeline of onset, "
        "peak, duration and the 4–8 h observation after each bolus (lionova 4.2; lioresal Dosing: "
        "initial phase). Try a patient aged 3 under each label profile."
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
        N_("lionova 4.2 (screening phase)"),
        N_("lionova 4.3, 4.4, 4.5 (contraindications, warnings, interactions)"),
        N_("lionova 5.1 (onset, peak, duration)"),
        "lioresal Dosing: initial phase",
        N_("practice guidance: Neuromodulation 2016, Boster et al. (25 or 50 µg first)"),
    )

    # ------------------------------------------------------------------ build
    def build(self):
        self._quiet = False
        self.age = QuantityField(N_("Age"), value=START["age"], limit="age", name=N_("age"), width="9em")
        self.origin = W.ToggleButtons(
            options=[(word(o), o) for o in ORIGINS],
            value="spinal",
            description=_("Origin:"),
            style={"button_width": "6em"},
        )
        self.origin.add_class("itb-field-origin")
        self.weight = QuantityField(N_("Weight"), value=START["weight"], limit="weight", name=N_("weight"), width="9em")
        med_grid, self.medicines = _checkbox_grid(MEDICINES)
        cond_grid, self.conditions = _checkbox_grid(CONDITIONS)
        self.tabs = W.Tab([med_grid, cond_grid])
        self.tabs.titles = (_("Medicines"), _("Conditions"))
        self.relies = W.Checkbox(
            False,
            description=_("relies on spasticity to stand, transfer or walk"),
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.small_child = W.Checkbox(
            False, description=_("very small child"), indent=False, layout=W.Layout(width="auto")
        )
        self.first_dose = QuantityField(
            N_("First test dose"),
            value=START["first-test-dose"],
            limit="test_dose",
            name=N_("first test dose"),
            width="9em",
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
            W.HTML(f"<strong>{esc(_('Patient'))}</strong>"),
            W.HBox([self.age, self.weight], layout=W.Layout(flex_flow="row wrap")),
            self.origin,
            self.tabs,
            W.HBox([self.relies, self.small_child], layout=W.Layout(flex_flow="row wrap", gap="2em")),
            W.HTML(f"<strong>{esc(_('First test bolus'))}</strong>"),
            self.first_dose,
            self.suggestion,
        ]

        self.eligibility = W.HTML()
        self.eligibility.add_class("itb-eligibility")
        self.warnings = FindingsView(N_("No warnings for this patient."))
        self.rows: list[dict[str, Any]] = []
        for i in range(MAX_BOLUSES):
            text = W.HTML(layout=W.Layout(width="36em"))
            toggle = W.ToggleButtons(
                options=[(_(t), v) for t, v in RESPONSES], value="none", style={"button_width": "8.5em"}
            )
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
        self.decision_findings = FindingsView(N_("No further findings."))
        self.fig = make_figure(
            _("Each test bolus: onset, peak, duration of effect and observation"),
            _("time since the first test bolus (h)"),
            _("test bolus"),
            height=360,
        )
        self._add_traces()
        self.timeline_sources = W.HTML()

        outputs = [
            self.eligibility,
            W.HTML(f"<strong>{esc(_('Warnings for this patient'))}</strong>"),
            self.warnings,
            W.HTML(
                _(
                    "<strong>Test-bolus ladder</strong> (50 µg/mL solution only; one bolus per 24 h at most; "
                    "record the response to each bolus given)"
                )
            ),
            self.ladder_box,
            W.HTML(f"<strong>{esc(_('Decision'))}</strong>"),
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
        fig.add_trace(Bar(name=_("observe (at least 4 h)"), marker_color=colour("chart-observe"), width=0.8, **bar))
        fig.add_trace(
            Bar(
                name=_("observe up to 8 h"),
                marker=dict(color=colour("chart-observe-late"), pattern_shape="/"),
                width=0.8,
                **bar,
            )
        )
        fig.add_trace(Bar(name=_("onset ½–1 h"), marker_color=colour("chart-onset"), width=0.35, **bar))
        fig.add_trace(Bar(name=_("effect"), marker_color=colour("action"), width=0.35, **bar))
        fig.add_trace(
            Bar(
                name=_("effect may last to 8 h"),
                marker=dict(color=colour("chart-effect"), pattern_shape="."),
                width=0.35,
                **bar,
            )
        )
        fig.add_trace(
            Scatter(
                name=_("peak ≈ 4 h"),
                mode="markers",
                marker=dict(symbol="diamond", size=11, color=colour("chart-effect-ink")),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        fig.add_trace(
            Scatter(
                name=_("bolus given"),
                mode="markers",
                marker=dict(symbol="triangle-right", size=13, color=colour("info")),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
        fig.add_trace(
            Scatter(
                name=_("next bolus (not before)"),
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
        eligible = message(
            "<strong>Eligible for screening</strong> under the {label} profile: {population}, {age} years, "
            "{origin} origin",
            label=esc(label),
            population=esc(word(patient.population)),
            age=float(patient.age_years),
            origin=esc(word(patient.origin)),
        )
        self.eligibility.value = f'<div class="itb-finding itb-info">{eligible} {cite(suggestion.label_source)}</div>'
        suggested = message(
            "Suggested first bolus: <strong>{dose}</strong> ({volume} of 50 µg/mL) — {reason} {source}; the label "
            "allows {alternatives} {label_source}.",
            dose=esc(units.fmt(suggestion.dose)),
            volume=esc(units.fmt(suggestion.volume)),
            reason=esc(suggestion.reason),
            source=cite(suggestion.source),
            alternatives=esc(or_join(units.fmt(a) for a in suggestion.alternatives)),
            label_source=cite(suggestion.label_source),
        )
        self.suggestion.value = f"<div>{suggested}</div>"
        self.warnings.show(warnings)
        self._render_ladder(ladder, volumes, responses, timeline)
        self._render_decision(step, ladder, volumes, warnings, suggestion.label_source)
        self._render_timeline(ladder, responses, step, timeline)

    def _show_ineligible(self, patient: Patient, warnings, reason: str) -> None:
        self.patient, self.step, self.refusal, self.ladder, self.volumes = patient, None, reason, (), ()
        self.responses = []
        if patient.age_years < 4:
            inline_error(self.age.error, reason)
        refused = message(
            "<strong>Not eligible for screening</strong> under the {label} profile: {reason}",
            label=esc(self.label_profile),
            reason=esc(reason),
        )
        self.eligibility.value = (
            f'<div role="alert" class="itb-finding itb-violation itb-sev-violation">{refused}</div>'
        )
        self.suggestion.value = ""
        self.warnings.show(warnings)
        for row in self.rows:
            row["box"].layout.display = "none"
        self.decision.value = (
            f'<div class="itb-muted">{esc(_("No test bolus: the label does not cover this patient."))}</div>'
        )
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
                when = (
                    message("day {day}", day=1)
                    if i == 0
                    else message("day {day}, ≥ {gap} after bolus {bolus}", day=i + 1, gap=gap, bolus=i)
                )
                text = message(
                    "Bolus {bolus} ({when}): <strong>{dose}</strong> — draw <strong>{volume}</strong> of 50 µg/mL",
                    bolus=i + 1,
                    when=esc(when),
                    dose=esc(units.fmt(ladder[i])),
                    volume=esc(units.fmt(volumes[i])),
                )
                row["text"].value = f"<span>{text}</span>"
        finally:
            self._quiet = False

    def _render_decision(self, step, ladder, volumes, warnings, src) -> None:
        if step is None:
            self.decision.value = _decision_box(
                "info",
                message(
                    "Give the first test bolus: {dose} ({volume} of the 50 µg/mL solution), then observe the "
                    "patient for 4 to 8 h.",
                    dose=units.fmt(ladder[0]),
                    volume=units.fmt(volumes[0]),
                ),
                src,
            )
            self.decision_findings.show(())
            return
        if step.action == "candidate":
            text, kind = _("Candidate: a positive response. Go on to pump implantation and dose titration."), "action"
        elif step.action == "escalate":
            vol = screening.test_dose_volume(step.next_dose)
            text = message(
                "Escalate: give {dose} ({volume} of the 50 µg/mL solution) at least {wait} after the last bolus.",
                dose=units.fmt(step.next_dose),
                volume=units.fmt(vol),
                wait=units.fmt(step.wait),
            )
            kind = "warning"
        else:
            text, kind = (
                message(
                    "Not a candidate: no response at the maximum test dose of {dose}.",
                    dose=units.fmt(screening.MAX_TEST_DOSE),
                ),
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
            said = _("responded") if r == "yes" else _("no response")
            cats.append(message("bolus {bolus}: {dose}", bolus=i + 1, dose=units.fmt(ladder[i])))
            starts.append(i * gap)
            hover.append(
                message("bolus {bolus}, {dose}, {response}", bolus=i + 1, dose=units.fmt(ladder[i]), response=said)
            )
        n = len(cats)
        hrs = lambda v: units.fmt(units.Q_(v, "h"))  # noqa: E731
        with self.fig.batch_update():
            d = self.fig.data
            for idx, a, b, what, src in (
                (_T_OBS, 0.0, obs0, message("observe for at least {time}", time=hrs(obs0)), t.sources["monitor"]),
                (_T_OBS_LONG, obs0, obs1, message("observe for up to {time}", time=hrs(obs1)), t.sources["monitor"]),
                (
                    _T_ONSET,
                    onset0,
                    onset1,
                    message("onset {start}–{end} after the bolus", start=hrs(onset0), end=hrs(onset1)),
                    t.sources["onset"],
                ),
                (
                    _T_EFFECT,
                    onset1,
                    dur0,
                    message("effect lasts at least {time}", time=hrs(dur0)),
                    t.sources["duration"],
                ),
                (
                    _T_EFFECT_LONG,
                    dur0,
                    dur1,
                    message("effect may last up to {time}", time=hrs(dur1)),
                    t.sources["duration"],
                ),
            ):
                d[idx].y = cats
                d[idx].base = [s + a for s in starts]
                d[idx].x = [b - a] * n
                d[idx].customdata = [f"{h}: {what} ({src})" for h in hover]
            d[_T_PEAK].x, d[_T_PEAK].y = [s + peak for s in starts], cats
            d[_T_PEAK].customdata = [
                message(
                    "{bolus}: peak effect about {time} after the bolus ({source})",
                    bolus=h,
                    time=hrs(peak),
                    source=t.sources["peak"],
                )
                for h in hover
            ]
            d[_T_BOLUS].x, d[_T_BOLUS].y = starts, cats
            d[_T_BOLUS].customdata = [
                message("{bolus} at {time}", bolus=h, time=hrs(s)) for h, s in zip(hover, starts, strict=False)
            ]
            nxt = None
            if step is None:
                nxt = (0.0, ladder[0], message("bolus {bolus}", bolus=1))
            elif step.action == "escalate":
                nxt = (starts[-1] + _h(step.wait), step.next_dose, message("bolus {bolus}", bolus=n + 1))
            if nxt is None:
                d[_T_NEXT].x, d[_T_NEXT].y, d[_T_NEXT].text, d[_T_NEXT].customdata = [], [], [], []
                end = (starts[-1] if starts else 0) + gap
            else:
                cat = message("{bolus}: {dose} (next)", bolus=nxt[2], dose=units.fmt(nxt[1]))
                d[_T_NEXT].x, d[_T_NEXT].y = [nxt[0]], [cat]
                d[_T_NEXT].text = [message("not before {time}", time=hrs(nxt[0]))]
                d[_T_NEXT].customdata = [
                    message(
                        "{bolus}, {dose}: not before {time} ({source})",
                        bolus=nxt[2],
                        dose=units.fmt(nxt[1]),
                        time=hrs(nxt[0]),
                        source=t.sources["next_bolus"],
                    )
                ]
                end = nxt[0] + gap
            self.fig.layout.xaxis.range = [-1, max(end, gap)]
            self.fig.layout.xaxis.dtick = 6 if end <= 48 else 12
        course = message(
            "Onset {onset_start}–{onset_end}, peak about {peak}, effect {effect_start}–{effect_end} "
            "({onset_source}); observe {observe_start}–{observe_end} after each bolus ({monitor_source}); next "
            "bolus not before {gap} ({next_source}). {note}",
            onset_start=hrs(onset0),
            onset_end=hrs(onset1),
            peak=hrs(peak),
            effect_start=hrs(dur0),
            effect_end=hrs(dur1),
            onset_source=t.sources["onset"],
            observe_start=hrs(obs0),
            observe_end=hrs(obs1),
            monitor_source=t.sources["monitor"],
            gap=hrs(gap),
            next_source=t.sources["next_bolus"],
            note=t.note,
        )
        self.timeline_sources.value = f'<div class="itb-muted itb-small">{esc(course)}</div>'

    # ------------------------------------------------------------------ summary
    def summary(self) -> str:
        p = self.patient
        lines: list[str] = [message("label: {label}", label=self.label_profile)]
        if p is not None:
            meds = ", ".join(core_gettext(MEDICINES[c]) for c in sorted(p.medicines)) or _("none")
            conds = ", ".join(core_gettext(CONDITIONS[c]) for c in sorted(p.conditions)) or _("none")
            weight = units.fmt(p.weight) if p.weight is not None else _("not given")
            lines.append(
                message(
                    "patient: {age} years, {population}, {origin} origin, weight {weight}; medicines: {medicines}; "
                    "conditions: {conditions}",
                    age=float(p.age_years),
                    population=word(p.population),
                    origin=word(p.origin),
                    weight=weight,
                    medicines=meds,
                    conditions=conds,
                )
            )
        if self.refusal:
            lines.append(message("not eligible: {reason}", reason=self.refusal))
        elif self.suggested is None:
            lines.append(_("no result"))
        else:
            s = self.suggested
            lines.append(
                message(
                    "suggested first test dose: {dose} = {volume} of 50 µg/mL ({source}); allowed {alternatives} "
                    "({label_source})",
                    dose=units.fmt(s.dose),
                    volume=units.fmt(s.volume),
                    source=s.source,
                    alternatives=or_join(units.fmt(a) for a in s.alternatives),
                    label_source=s.label_source,
                )
            )
            lines.append(_("ladder (50 µg/mL solution, at least 24 h apart):"))
            for i, (d, v) in enumerate(zip(self.ladder, self.volumes, strict=False)):
                response = self.responses[i] if i < len(self.responses) else "none"
                state = {"no": _("no response"), "yes": _("responded")}.get(response, _("not given"))
                lines.append(
                    "  "
                    + message(
                        "bolus {bolus}: {dose} = {volume} ({state})",
                        bolus=i + 1,
                        dose=units.fmt(d),
                        volume=units.fmt(v),
                        state=state,
                    )
                )
            st = self.step
            if st is None:
                lines.append(_("decision: give the first test bolus"))
            else:
                nd = (
                    message(", next {dose} after {wait}", dose=units.fmt(st.next_dose), wait=units.fmt(st.wait))
                    if st.next_dose is not None and st.wait is not None
                    else ""
                )
                lines.append(
                    message(
                        "decision: {action}{next}; observe {start} to {end} after each bolus ({source})",
                        action=st.action,
                        next=nd,
                        start=units.fmt(st.monitor[0]),
                        end=units.fmt(st.monitor[1]),
                        source=st.source,
                    )
                )
                lines.append(self.decision_findings.text())
            t = self.timeline
            lines.append(
                message(
                    "timeline: onset {onset_start}–{onset_end}, peak {peak}, effect {effect_start}–{effect_end}, "
                    "next bolus after {gap}",
                    onset_start=units.fmt(t.onset[0]),
                    onset_end=units.fmt(t.onset[1]),
                    peak=units.fmt(t.peak),
                    effect_start=units.fmt(t.duration[0]),
                    effect_end=units.fmt(t.duration[1]),
                    gap=units.fmt(t.next_bolus),
                )
            )
        lines.append(_("warnings:"))
        lines.append(findings_text(self.warnings.items, N_("none")))
        return "\n".join(lines)


def _decision_box(kind: str, text: str, source: str) -> str:
    said = {"action": N_("decision"), "violation": N_("stop"), "warning": N_("next step"), "info": N_("next step")}
    word = esc(_(said[kind]))
    return (
        f'<div class="itb-finding itb-decision itb-{esc(kind)}"><strong class="itb-severity">{word}</strong> '
        f"{esc(text)} {cite(source)}</div>"
    )


def build_app(**kwargs) -> ScreeningApp:
    """The screening app (an :class:`~widgets.app.App`, an ipywidgets VBox)."""
    return ScreeningApp(**kwargs)
