"""Teaching deck: one patient from screening to a withdrawal emergency, one compact widget per slide.

For training only, not for treating patients.

``notebooks/teaching_deck.ipynb`` is served with Voilà's reveal template (its notebook
metadata says ``"voila": {"template": "reveal"}``) and shows the widgets built here, one per
slide.  The slides share one patient and pass their results on, so a change on one slide
carries through the story: the test dose that worked starts the titration, the titration's
target is the dose in the pump, the pump's plan sets the volumes found at the missed refill.

Each slide widget is a small :class:`widgets.app.App`: it fits a 960 × 700 slide (no
chrome of its own: the title slide carries :func:`widgets.app.chrome`, the training-only notice and the
drug library in force), calls :mod:`itbcore` and only formats and plots.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pint

import itbcore.withdrawal as wd
from itbcore import library, pump, screening, titration, units
from itbcore.formulations import PUMP_FORMULATIONS
from itbcore.i18n import gettext as core_gettext
from itbcore.patient import Patient

from .app import TRAINING_ONLY, App, chrome, page_heading
from .fields import QuantityField, QuantitySlider
from .findings import FindingsView, actions_html, actions_text, cite, esc, findings_text
from .home import APPS
from .i18n import N_, _, message
from .page import use_page_locale
from .palette import colour
from .plot import Bar, Scatter, make_figure
from .withdrawal import differentials_html, stage_badge

#: Where the fields start: the drug library's starting values for this app.
START = library.starting_values("deck")

__all__ = [
    "PATIENT",
    "PATIENT_TEXT",
    "Deck",
    "build_deck",
    "ScreeningSlide",
    "TitrationSlide",
    "RefillSlide",
    "MissedRefillSlide",
    "EmergencySlide",
]


#: The deck's patient: an adult with spasticity of spinal origin.
PATIENT = Patient(34, "spinal", weight=units.as_quantity(START["patient-weight"], "kg", "weight"))
#: The patient's story (translated; ``{age}`` and ``{weight}`` are :data:`PATIENT`'s).
PATIENT_TEXT = N_(
    "Mr K., {age} years, {weight}: spinal cord injury at T4 (spinal origin) with severe spasticity that oral "
    "baclofen no longer controls."
)


def patient_text() -> str:
    """:data:`PATIENT_TEXT` in the page's language, with the patient's age and weight."""
    weight = units.fmt(PATIENT.weight) if PATIENT.weight is not None else ""
    return message(PATIENT_TEXT, age=int(PATIENT.age_years), weight=weight)


#: The deck's title and introduction (its first slide), and its last slide (Markdown, translated).
DECK_TITLE = N_("Teaching deck: one patient, from screening to a withdrawal emergency")
DECK_INTRO = N_(
    "Press → or Space for the next slide, Esc for the overview. Every slide is live and passes its result on: "
    "the dose that worked at screening starts the titration, its target runs in the pump, and the pump's plan "
    "sets what is found months later. If the patient does not respond, the story ends at screening."
)
FURTHER_TITLE = N_("Take it further")
#: The apps the last slide links to (named as the home page names them).
FURTHER_APPS = (
    "screening.ipynb",
    "titration.ipynb",
    "maintenance.ipynb",
    "pk.ipynb",
    "overdose.ipynb",
    "withdrawal.ipynb",
)
_SLIDE_HEIGHT = 230


def _row(*ws: W.Widget) -> W.HBox:
    return W.HBox(list(ws), layout=W.Layout(flex_flow="row wrap", align_items="center"))


class _Slide(App):
    """A compact app for a slide: no chrome of its own (the title slide's), small figures, short sources line.
    Its heading is its number and ``title``, its ``intro`` the slide's text (both translated)."""

    label_choice = False
    toolbar = False
    page_chrome = False
    #: The slide's place in the deck (its heading starts with it).
    number = 0
    #: the box's children (an ipywidgets trait; declared for the type checker)
    children: tuple[W.Widget, ...]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.layout.max_width = "940px"
        self.add_class("itb-slide")
        #: Why the story does not reach this slide ("" while it does): the patient did not respond.
        self.story_end = W.HTML("")
        self.story_end.add_class("itb-story-end")
        self.children = (self.story_end, *self.children)
        self.ended = ""

    def page_heading(self) -> W.HTML:
        title = message("{number} · {title}", number=self.number, title=self.translate(self.title))
        return page_heading(title, self.translate(self.intro), level=2, home=None)

    def end_story(self, why: str) -> None:
        """The story stops before this slide: show ``why`` (HTML) instead of the slide's inputs and results."""
        self.ended = why
        self.story_end.value = f"<div class='itb-callout itb-callout-stop'>{why}</div>"
        self.inputs_box.layout.display = self.outputs_box.layout.display = "none"

    def resume_story(self) -> None:
        """The story reaches this slide again (a response was chosen on the screening slide)."""
        self.ended = ""
        self.story_end.value = ""
        self.inputs_box.layout.display = self.outputs_box.layout.display = None


# ------------------------------------------------------------------------------------------ 1 screening
class ScreeningSlide(_Slide):
    """1. The test boluses: which dose the patient responded to (or none, which ends the story)."""

    number = 1
    title = N_("Screening: does a test bolus work?")
    intro = N_(
        "Boluses of the 50 µg/mL solution, one per 24 h, 50 → 75 → 100 µg, each watched for 4–8 h (lionova 4.2). "
        "Choose where the patient responded; the effective dose starts the titration on the next slide."
    )
    sources = ("lionova 4.2", "lioresal Dosing: initial phase")

    def build(self):
        self.ladder = screening.screening_ladder(PATIENT, label="lionova")
        opts: list[tuple[str, int]] = [
            (message("{dose} (day {day})", dose=units.fmt(d), day=i + 1), i) for i, d in enumerate(self.ladder)
        ]
        opts.append((_("no response"), -1))
        self.response = W.ToggleButtons(
            options=opts, value=1, description=_("Responded at"), style={"button_width": "auto"}
        )
        self.response.add_class("itb-field")
        self.response.add_class("itb-field-deck-response")
        self.watch(self.response)
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.findings = FindingsView()
        self.fig = make_figure(
            _("Test boluses, one per 24 h, each watched for 4–8 h"),
            _("time from first bolus (h)"),
            _("bolus (µg)"),
            height=_SLIDE_HEIGHT,
            traces=[
                Bar(x=[], y=[], name=_("bolus"), width=4, texttemplate="%{y:.3~g} " + units.display_unit("ug")),
                Scatter(
                    x=[],
                    y=[],
                    name=_("observation window"),
                    mode="lines",
                    line=dict(width=8, color=colour("warning")),
                ),
            ],
        )
        self.step: screening.ScreeningStep | None = None
        self.candidate_dose: pint.Quantity | None = None
        return [self.response], [self.result, self.fig]

    def update(self):
        k = self.response.value
        given = self.ladder if k < 0 else self.ladder[: k + 1]
        step = screening.next_step(PATIENT, list(given), responded=k >= 0, label="lionova")
        self.step = step
        lo, hi = (float(q.to("h").magnitude) for q in step.monitor)
        xs, ys = [], []
        for i, _d in enumerate(given):
            xs += [24 * i + lo, 24 * i + hi, None]
            ys += [0, 0, None]
        if step.action == "candidate":
            dose = given[-1]
            self.candidate_dose = dose
            vol = screening.test_dose_volume(dose)
            text = message(
                "<strong class='itb-sev-action'>Candidate</strong>: effective test dose "
                "<strong class='itb-deck-test-dose'>{dose}</strong> ({volume} of the 50 µg/mL solution).",
                dose=esc(units.fmt(dose)),
                volume=esc(units.fmt(vol)),
            )
        else:
            text = message(
                "<strong class='itb-sev-violation'>Not a candidate</strong>: no response at {dose}.",
                dose=esc(units.fmt(given[-1])),
            )
        self.result.value = f"<p>{text} {cite(step.source)}</p>"
        with self.fig.batch_update():
            self.fig.data[0].x = [24 * i for i in range(len(given))]
            self.fig.data[0].y = [float(d.to("ug").magnitude) for d in given]
            self.fig.data[1].x, self.fig.data[1].y = xs, ys

    def summary(self) -> str:
        s = self.step
        if s is None:
            return _("screening: no result")
        boluses = ", ".join(units.fmt(d) for d in self.ladder)
        effective = self.candidate_dose if s.action == "candidate" else None
        dose = units.fmt(effective) if effective is not None else _("none")
        return message(
            "screening: {action}; boluses {boluses}; effective test dose {dose} ({source})",
            action=s.action,
            boluses=boluses,
            dose=dose,
            source=s.source,
        )


# ------------------------------------------------------------------------------------------ 2 titration
class TitrationSlide(_Slide):
    """2. From the effective test dose to the first daily dose and the steps to the target."""

    number = 2
    title = N_("Titration: from the test dose to the daily dose")
    intro = N_(
        "The first daily dose is the test dose, or twice it when the effect lasted 12 h or less; then at most one "
        "change per 24 h, inside the band for spinal origin (+10–30 %, lionova 4.2)."
    )
    sources = ("lionova 4.2", "lioresal Dosing: phase of dose selection")

    def build(self):
        self.test_dose = QuantityField(
            N_("Effective test dose"),
            value=START["deck-test-dose"],
            limit="test_dose",
            name=N_("test dose"),
            key="deck-test-dose",
            width="8em",
        )
        self.effect = QuantitySlider(N_("Effect lasted"), "h", 8, min=1, max=24, step=1, key="deck-effect")
        self.effect.layout.width = "22em"
        self.target = QuantityField(
            N_("Target daily dose"),
            value=START["deck-target"],
            limit="daily_dose",
            name=N_("target daily dose"),
            key="deck-target",
            width="9em",
        )
        self.watch(self.test_dose, self.effect, self.target)
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.fig = make_figure(
            _("Daily steps inside the label's band"),
            _("day of infusion"),
            _("daily dose (µg/day)"),
            height=_SLIDE_HEIGHT,
            traces=[
                Scatter(
                    x=[],
                    y=[],
                    name=_("allowed band"),
                    meta=dict(column=_("allowed band, lowest")),
                    mode="lines",
                    line=dict(width=0, shape="hv"),
                    showlegend=False,
                ),
                Scatter(
                    x=[],
                    y=[],
                    name=_("allowed band"),
                    meta=dict(column=_("allowed band, highest")),
                    mode="lines",
                    fill="tonexty",
                    fillcolor="rgba(46,107,48,0.18)",
                    line=dict(width=0, shape="hv"),
                ),
                Scatter(x=[], y=[], name=_("plan"), mode="lines+markers", line=dict(width=3, shape="hv")),
            ],
        )
        self.first: pint.Quantity | None = None
        self.plan: titration.TitrationPlan | None = None
        return [_row(self.test_dose, self.effect), self.target], [self.result, self.fig]

    def update(self):
        first = titration.initial_daily_dose(self.test_dose.quantity, self.effect.quantity, label="lionova")
        plan = titration.titration_plan(PATIENT, first, self.target.quantity, label="lionova")
        self.first, self.plan = first, plan
        last = plan.steps[-1]
        text = (
            N_(
                "First daily dose <strong class='itb-deck-first-dose'>{first}</strong>; {steps} daily steps of "
                "about +{percent} % reach {target} on day {day}."
            )
            if plan.reaches_target
            else N_(
                "First daily dose <strong class='itb-deck-first-dose'>{first}</strong>; {steps} daily steps of "
                "about +{percent} % do not reach {target} by day {day}."
            )
        )
        said = message(
            text,
            first=esc(units.fmt(first)),
            steps=len(plan.steps) - 1,
            percent=round(100 * plan.step_fraction),
            target=esc(units.fmt(plan.target_dose)),
            day=last.day,
        )
        self.result.value = f"<p>{said} {cite(plan.steps[-1].source)}</p>"
        days = [s.day for s in plan.steps]
        with self.fig.batch_update():
            self.fig.data[0].x, self.fig.data[0].y = (
                days,
                [float(s.allowed_low.to("ug/day").magnitude) for s in plan.steps],
            )
            self.fig.data[1].x, self.fig.data[1].y = (
                days,
                [float(s.allowed_high.to("ug/day").magnitude) for s in plan.steps],
            )
            self.fig.data[2].x, self.fig.data[2].y = days, [float(s.dose.to("ug/day").magnitude) for s in plan.steps]

    def summary(self) -> str:
        p = self.plan
        if p is None or self.first is None:
            return _("titration: no result")
        return message(
            "titration: first daily dose {first}; plan {plan} ({source})",
            first=units.fmt(self.first),
            plan=" → ".join(units.fmt(s.dose) for s in p.steps),
            source=p.steps[-1].source,
        )


# ------------------------------------------------------------------------------------------ 3 refill
class RefillSlide(_Slide):
    """3. The first fill: daily volume, the alarm and empty days, the refill day."""

    number = 3
    title = N_("Refill: when does the reservoir reach the alarm?")
    intro = N_(
        "The titration's target runs in the pump. Refill before the low-reservoir alarm; the lioresal profile also "
        "caps the interval at 11 weeks."
    )
    label_choice = True
    label_differences = ("pump_stability",)
    sources = ("lionova 4.2", "lioresal Stability of the drug", "practice guidance: device documentation")

    def build(self):
        self.reservoir = QuantityField(
            N_("Reservoir filled"),
            value=START["deck-reservoir"],
            limit="reservoir_volume",
            name=N_("reservoir volume"),
            key="deck-reservoir",
            width="7em",
        )
        strengths = [(units.fmt(f.concentration), units.fmt(f.concentration)) for f in PUMP_FORMULATIONS]
        self.concentration = W.Dropdown(
            options=strengths,
            value=strengths[-1][1],
            description=_("Concentration"),
            style={"description_width": "initial"},
            layout=W.Layout(width="auto"),
        )
        self.concentration.add_class("itb-field")
        self.concentration.add_class("itb-field-deck-concentration")
        self.dose = QuantityField(
            N_("Daily dose"),
            value=START["deck-daily-dose"],
            limit="daily_dose",
            name=N_("daily dose"),
            key="deck-daily-dose",
            width="9em",
        )
        self.watch(self.reservoir, self.concentration, self.dose)
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.fig = make_figure(
            _("The reservoir drains toward the low-reservoir alarm"),
            _("days after the fill"),
            _("volume in reservoir (mL)"),
            height=_SLIDE_HEIGHT,
            traces=[
                Scatter(x=[], y=[], name=_("reservoir"), mode="lines", line=dict(width=3)),
                Scatter(
                    x=[],
                    y=[],
                    name=_("alarm volume"),
                    mode="lines",
                    line=dict(dash="dash", color=colour("violation")),
                ),
                Scatter(
                    x=[],
                    y=[],
                    name=_("refill"),
                    mode="markers+text",
                    marker=dict(size=14, symbol="triangle-down", color=colour("action")),
                    textposition="top center",
                ),
            ],
        )
        self.plan: pump.RefillPlan | None = None
        return [_row(self.reservoir, self.concentration, self.dose)], [self.result, self.fig]

    def update(self):
        p = pump.refill_plan(
            self.reservoir.quantity, self.concentration.value, self.dose.quantity, label=self.label_profile
        )
        self.plan = p
        alarm, empty = (float(q.to("day").magnitude) for q in (p.days_to_alarm, p.days_to_empty))
        refill = float(p.refill_after.to("day").magnitude)
        v0, va = float(p.reservoir_volume.to("mL").magnitude), float(p.alarm_volume.to("mL").magnitude)
        said = message(
            "{daily_volume}; alarm after <strong>{alarm}</strong>, empty after {empty}; refill after "
            "<strong class='itb-deck-refill'>{refill}</strong> (set by: {limited_by}).",
            daily_volume=esc(units.fmt(p.daily_volume)),
            alarm=esc(units.fmt(p.days_to_alarm)),
            empty=esc(units.fmt(p.days_to_empty)),
            refill=esc(units.fmt(p.refill_after)),
            limited_by=esc(p.limited_by),
        )
        self.result.value = f"<p>{said}</p>"
        with self.fig.batch_update():
            self.fig.data[0].x, self.fig.data[0].y = [0, alarm, empty], [v0, va, 0]
            self.fig.data[1].x, self.fig.data[1].y = [0, empty], [va, va]
            self.fig.data[2].x, self.fig.data[2].y = [refill], [va]
            self.fig.data[2].text = [message("refill day {day}", day=round(refill, 1))]

    def summary(self) -> str:
        p = self.plan
        if p is None:
            return _("refill: no result")
        return message(
            "refill ({label}): {daily_volume}; alarm after {alarm}; empty after {empty}; refill after {refill} "
            "({limited_by})",
            label=p.label,
            daily_volume=units.fmt(p.daily_volume),
            alarm=units.fmt(p.days_to_alarm),
            empty=units.fmt(p.days_to_empty),
            refill=units.fmt(p.refill_after),
            limited_by=p.limited_by,
        )


# ------------------------------------------------------------------------------------------ 4 missed refill
class MissedRefillSlide(_Slide):
    """4. Months later: a missed refill or a catheter problem, told apart by the volume found in the
    reservoir against the volume expected."""

    number = 4
    title = N_("Months later: a missed refill, or a catheter problem")
    intro = N_(
        "Spasticity returns and the patient itches. What is in the reservoir, and what was expected, points to the "
        "cause."
    )
    #: The two stories, as codes, and their words.
    STORIES = {"missed refill": N_("missed refill"), "catheter problem": N_("catheter problem")}
    sources = ("lionova 4.4", "lionova 4.2", "practice guidance: incident reports, residual volume mismatch")

    def build(self):
        self.story = W.ToggleButtons(
            options=[(_(text), code) for code, text in self.STORIES.items()],
            value="missed refill",
            description=_("Story"),
            style={"button_width": "auto"},
        )
        self.story.add_class("itb-field")
        self.story.add_class("itb-field-deck-story")
        self.days = QuantitySlider(N_("Days since the fill"), "day", 90, min=0, max=200, step=1, key="deck-days")
        self.days.layout.width = "26em"
        self.hours = QuantityField(
            N_("Symptoms for"),
            value=START["deck-hours"],
            limit="elapsed",
            name=N_("time since delivery stopped"),
            key="deck-hours",
            width="7em",
        )
        self.found = QuantityField(
            N_("Found in reservoir"),
            value=START["deck-found"],
            limit="found_volume",
            name=N_("volume found"),
            key="deck-found",
            width="7em",
        )
        self.expected_text = W.HTML()
        self.story.observe(lambda _c: self._preset(), "value")
        self.days.observe(lambda _c: self._expect(), "value")
        self.watch(self.hours, self.found)
        self.result = W.HTML()
        self.result.add_class("itb-result")
        self.findings = FindingsView()
        self.causes: wd.LikelyCauses | None = None
        self.plan: pump.RefillPlan | None = None
        self.expected = units.Q_(0.0, "mL")
        return (
            [self.story, _row(self.days, self.hours), _row(self.found, self.expected_text)],
            [self.result, self.findings],
        )

    def follow(self, plan: pump.RefillPlan) -> None:
        """Take the pump from the refill slide and replay the chosen story on it."""
        self.plan = plan
        self._preset()

    def _preset(self) -> None:
        if self.plan is None:
            return
        empty = float(self.plan.days_to_empty.to("day").magnitude)
        refill = float(self.plan.refill_after.to("day").magnitude)
        # the story's day: a day after the reservoir ran dry, or half-way to the refill when the catheter fails
        day = min(self.days.max, round(empty) + 1) if self.story.value == "missed refill" else round(refill / 2)
        if self.days.value == day:
            self._expect()
        else:
            self.days.value = day

    def _expect(self) -> None:
        if self.plan is None:
            return
        p = self.plan
        self.expected = pump.expected_residual(p.reservoir_volume, p.daily_dose, p.concentration, self.days.quantity)
        said = message("expected by the programme: <strong>{volume}</strong>", volume=esc(units.fmt(self.expected)))
        self.expected_text.value = f"<span>{said}</span>"
        # the pump delivered as programmed in both stories, so the volume found is the one expected
        self.found.value = units.fmt(self.expected)

    def update(self):
        lc = wd.likely_causes(
            self.hours.quantity, reservoir_volume=self.found.quantity, expected_reservoir_volume=self.expected
        )
        self.causes = lc
        items = "".join(
            f"<li><strong>{esc(core_gettext(c.text))}</strong> — {esc(c.reason)} {cite(c.source)}</li>"
            for c in lc.causes[:3]
        )
        day = int(self.days.value)
        when = message(
            "{days} after the fill (about {weeks}): symptoms for {hours}.",
            days=units.fmt(units.Q_(day, "day")),
            weeks=units.fmt(units.Q_(day / 7, "week"), digits=2),
            hours=units.fmt(self.hours.quantity),
        )
        self.result.value = (
            f"<p class='itb-deck-when'>{esc(when)}</p>"
            f"<strong>{esc(_('Check first'))}</strong><ol class='itb-causes'>{items}</ol>"
        )
        self.findings.show(lc.findings)

    def summary(self) -> str:
        if self.causes is None:
            return _("missed refill: no result")
        said = message(
            "missed refill ({story}, day {day}): found {found}, expected {expected}; causes {causes}",
            story=_(self.STORIES[self.story.value]),
            day=int(self.days.value),
            found=units.fmt(self.found.quantity),
            expected=units.fmt(self.expected),
            causes=", ".join(self.causes.codes),
        )
        return said + "\n" + findings_text(self.causes.findings)


# ------------------------------------------------------------------------------------------ 5 emergency
class EmergencySlide(_Slide):
    """5. Withdrawal: its stage from the signs, and what to do, most urgent first."""

    number = 5
    title = N_("A withdrawal emergency")
    intro = N_(
        "High fever, confusion, rebound spasticity: advanced withdrawal. Intensive care, find the cause, restore the "
        "intrathecal dose — and think of the conditions it mimics (lionova 4.4)."
    )
    sources = ("lionova 4.2", "lionova 4.4", "lioresal Dosing: discontinuation of treatment")

    default_signs = ("high_fever", "altered_mental_status", "rebound_spasticity")

    def build(self):
        self.signs = {}
        for code, s in wd.SIGNS.items():
            cb = W.Checkbox(
                value=code in self.default_signs,
                description=core_gettext(s.text),
                indent=False,
                layout=W.Layout(width="32%"),
            )
            cb.add_class("itb-field")
            cb.add_class(f"itb-field-deck-sign-{code.replace('_', '-')}")
            self.signs[code] = cb
        self.watch(*self.signs.values())
        grid = W.HBox(list(self.signs.values()), layout=W.Layout(flex_flow="row wrap"))
        self.stage = W.HTML()
        self.stage.add_class("itb-result")
        self.actions = W.HTML()
        self.differentials = W.HTML()
        self.assessment: wd.Assessment | None = None
        return [grid], [self.stage, W.HBox([self.actions, self.differentials])]

    def update(self):
        a = wd.assess([c for c, cb in self.signs.items() if cb.value])
        self.assessment = a
        self.stage.value = f"{stage_badge(a.stage)} {cite(a.source)}"
        self.actions.value = actions_html(a.actions[:3], empty=_("No action needed."))
        self.differentials.value = differentials_html(a.differentials[:4])

    def summary(self) -> str:
        a = self.assessment
        if a is None:
            return _("emergency: no result")
        said = message(
            "emergency: stage {stage}; differentials {differentials}",
            stage=a.stage,
            differentials=", ".join(a.differentials) or _("none"),
        )
        return said + "\n" + actions_text(a.actions)


# ------------------------------------------------------------------------------------------ the deck
class Deck:
    """The slides' widgets, linked so that each slide starts from the one before."""

    title = N_("Teaching deck")

    def __init__(self) -> None:
        use_page_locale()  # the heading below is built before the chrome's banner sets the page's language
        #: The deck's chrome, on its title slide: the training-only banner, the deck's heading and introduction
        #: and the drug library in force.
        self.chrome = chrome(intro=page_heading(_(DECK_TITLE), _(DECK_INTRO)))
        self.banner = self.chrome[0]
        self.patient = W.HTML(f"<p class='itb-deck-patient'>{esc(patient_text())}</p>")
        self.screening = ScreeningSlide()
        self.titration = TitrationSlide()
        self.refill = RefillSlide()
        self.missed_refill = MissedRefillSlide()
        self.emergency = EmergencySlide()
        self.screening.response.observe(lambda _c: self._screening_to_titration(), "value")
        self.titration.target.on_change(lambda _f: self._titration_to_refill())
        for w in (self.refill.reservoir, self.refill.dose):
            w.on_change(lambda _f: self._refill_to_missed())
        self.refill.concentration.observe(lambda _c: self._refill_to_missed(), "value")
        self.refill.label.observe(lambda _c: self._refill_to_missed(), "value")
        self._screening_to_titration()
        self._titration_to_refill()
        self._refill_to_missed()

    @property
    def slides(self) -> list[App]:
        return [self.screening, self.titration, self.refill, self.missed_refill, self.emergency]

    @property
    def later_slides(self) -> list[_Slide]:
        """The slides after screening: the pump's story, which a non-responder never reaches."""
        return [self.titration, self.refill, self.missed_refill, self.emergency]

    def _screening_to_titration(self) -> None:
        step = self.screening.step
        if step is not None and step.action == "candidate" and self.screening.candidate_dose is not None:
            for slide in self.later_slides:
                slide.resume_story()
            self.titration.test_dose.value = units.fmt(self.screening.candidate_dose)
            return
        # No response at the highest test dose: no pump, so the story ends at screening (lionova 4.2).
        top = units.fmt(self.screening.ladder[-1])
        why = message(
            "<strong>The story ends at screening.</strong> Mr K. did not respond to the highest test dose "
            "({dose}), so he is not a candidate for continuous intrathecal baclofen: no titration, no pump, no "
            "refill {source}. His spasticity is treated otherwise. Choose a response on the screening slide to "
            "follow the pump's story.",
            dose=esc(top),
            source=cite(step.source if step else "lionova 4.2"),
        )
        for slide in self.later_slides:
            slide.end_story(why)

    def _titration_to_refill(self) -> None:
        self.refill.dose.value = units.fmt(self.titration.target.quantity, "ug/day")

    def _refill_to_missed(self) -> None:
        plan = self.refill.plan
        if plan is not None:
            self.missed_refill.follow(plan)

    def title_slide(self) -> W.VBox:
        """The first slide's widget: the chrome (training-only notice, drug library) and the patient."""
        box = W.VBox([*self.chrome, self.patient])
        box.add_class("itb-deck-title")
        return box

    def further(self) -> W.HTML:
        """The last slide: the apps that go further, and the training-only notice."""
        links = " · ".join(
            f'<a href="{page}">{esc(_(title))}</a>' for _phase, page, title, _what in APPS if page in FURTHER_APPS
        )
        w = page_heading(_(FURTHER_TITLE), level=2)
        w.value += f"<p class='itb-further'>{links}</p><p><strong>{esc(core_gettext(TRAINING_ONLY))}</strong></p>"
        return w

    def summary(self) -> str:
        lines: list[str] = [message("patient: {patient}", patient=patient_text())]
        for s in self.slides:
            ended = message("{slide}: story ended at screening", slide=_(s.title))
            lines.append(ended if getattr(s, "ended", "") else s.summary())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Deck: {_(self.title)}>"


def build_deck() -> Deck:
    """The teaching deck's linked slide widgets."""
    return Deck()
