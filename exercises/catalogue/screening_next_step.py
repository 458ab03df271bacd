"""Exercise ``screening_next_step``: after a test bolus, candidate, escalate (to what, after how long) or stop.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import screening
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: initial phase"
_STEP = screening.TEST_DOSE_STEP
_MAX = screening.MAX_TEST_DOSE
_WAIT = screening.MIN_TEST_INTERVAL


@exercise(
    "screening_next_step",
    N_("Screening: the next step after a test bolus"),
    N_("Candidate, escalate (to which dose, after how long) or not a candidate, from the test boluses so far."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("screening_review")
    patient_case = draw.patient(population="adult")
    patient = patient_case.to_patient()
    first = draw.choice(screening.ADULT_START_DOSES)  # lionova 4.2: 25 or 50 µg
    # the ladder in 25 µg steps up to 100 µg; the history is a prefix of it
    ladder = screening.screening_ladder(patient, first)
    doses = list(ladder[: draw.rng.randint(1, len(ladder))])
    responded = draw.rng.random() < 0.35
    step = screening.next_step(patient, doses, responded)  # the decision, through itbcore
    last = doses[-1]

    texts = {
        "candidate": _("Positive response: go on to pump implantation and dose titration"),
        "escalate": message(
            "Give a test bolus {step} higher, at least {wait} after the last one", step=fmt(_STEP), wait=fmt(_WAIT)
        ),
        "escalate_same_day": message(
            "Give a test bolus {step} higher today, as soon as this one has worn off", step=fmt(_STEP)
        ),
        "not_candidate": _("Stop screening: not a candidate for continuous intrathecal infusion"),
    }
    keys = dict(zip(draw.shuffled(list(texts)), "abcd", strict=False))
    options = {keys[code]: texts[code] for code in sorted(texts, key=lambda c: keys[c])}
    why = {
        "candidate": Slip(
            "missed_response" if not responded else "",
            "",
            message(
                "There was no clear reduction of tone or spasms after {last}: that is not a positive response, "
                "so screening is not over.",
                last=fmt(last),
            ),
            _SOURCE,
        ),
        "escalate": Slip(
            "escalated_after_response" if responded else "escalated_past_max",
            "",
            (
                message(
                    "The patient responded to {last}: a positive response ends screening; no higher test dose is "
                    "needed.",
                    last=fmt(last),
                )
                if responded
                else message(
                    "The test dose never exceeds {max}; no response at {max} means no continuous infusion.",
                    max=fmt(_MAX),
                )
            ),
            _SOURCE,
        ),
        "escalate_same_day": Slip(
            "no_24h_wait",
            "",
            message(
                "Test boluses are at least {wait} apart, even when the effect has worn off after 4–8 h.",
                wait=fmt(_WAIT),
            )
            if step.action == "escalate"
            else _("Whatever the timing, a further test bolus is not the next step here."),
            _SOURCE,
        ),
        "not_candidate": Slip(
            "stopped_too_early" if not responded else "stopped_after_response",
            "",
            (
                message("A patient who responded to {last} is a candidate.", last=fmt(last))
                if responded
                else message(
                    "Screening stops only after no response at {max}; the last bolus was {last}, so the dose may "
                    "still rise in {step} steps.",
                    max=fmt(_MAX),
                    last=fmt(last),
                    step=fmt(_STEP),
                )
            ),
            _SOURCE,
        ),
    }
    decision = ChoicePart(
        "decision",
        _("What is the next step?"),
        keys[step.action if step.action != "escalate" else "escalate"],
        rule=_(
            "positive response → candidate; no response below 100 µg → +25 µg at least 24 h later; no "
            "response at 100 µg → not a candidate"
        ),
        source=step.source,
        options=options,
        slips={keys[c]: s for c, s in why.items() if c != step.action},
        hints=(
            _("Was the response to the last bolus positive (a clear reduction of tone or spasms)?"),
            _("Without response the bolus rises in 25 µg steps, at least 24 h apart, up to 100 µg."),
            _("No response at 100 µg: no further increase and no continuous infusion."),
        ),
    )

    next_dose = step.next_dose if step.next_dose is not None else Q_(0, "ug")
    if step.action == "escalate":
        dose_slips = [
            Slip(
                "step_50",
                last + 2 * _STEP,
                message("The test bolus rises in {step} steps, not 50 µg.", step=fmt(_STEP)),
                _SOURCE,
            ),
            Slip(
                "same_dose",
                last,
                message(
                    "Repeating a dose that gave no response does not move screening on: raise it by {step}.",
                    step=fmt(_STEP),
                ),
                _SOURCE,
            ),
            Slip(
                "jump_to_max",
                _MAX,
                message(
                    "The dose rises step by step ({step} at a time), not straight to {max}.",
                    step=fmt(_STEP),
                    max=fmt(_MAX),
                ),
                _SOURCE,
            ),
            Slip(
                "no_bolus",
                Q_(0, "ug"),
                message("Without a response below {max}, screening goes on with a higher test bolus.", max=fmt(_MAX)),
                _SOURCE,
            ),
        ]
    elif step.action == "candidate":
        dose_slips = [
            Slip(
                "escalated_after_response",
                last + _STEP,
                message(
                    "The patient responded to {last}: a positive response ends screening, so no further test bolus "
                    "is given (answer 0 µg).",
                    last=fmt(last),
                ),
                _SOURCE,
            ),
            Slip(
                "repeat_effective_dose",
                last,
                message(
                    "{last} gave the positive response; it is not repeated as a test bolus but sets the first daily "
                    "dose after implantation (answer 0 µg).",
                    last=fmt(last),
                ),
                _SOURCE,
            ),
        ]
    else:
        dose_slips = [
            Slip(
                "above_max",
                last + _STEP,
                message(
                    "{dose} would be above the {max} maximum test dose: no response at {max} ends screening "
                    "(answer 0 µg).",
                    dose=fmt(last + _STEP),
                    max=fmt(_MAX),
                ),
                _SOURCE,
            ),
            Slip(
                "repeat_max",
                last,
                message(
                    "No response at {max} means no further test bolus and no continuous infusion (answer 0 µg).",
                    max=fmt(_MAX),
                ),
                _SOURCE,
            ),
        ]
    dose = QuantityPart(
        "next_dose",
        _("What test dose is given next? (Answer 0 µg if no further test bolus is given.)"),
        next_dose,
        unit="ug",
        rtol=0.01,
        limit="test_dose",  # 0 µg ("none") is left to the rule, not refused
        rule=_(
            "next test dose = last dose + 25 µg, at most 100 µg; none after a positive response or after no "
            "response at 100 µg"
        ),
        source=step.source,
        slips=tuple(dose_slips),
        generic_slips=step.next_dose is not None,
        hints=(
            _("Does screening go on at all? If not, the answer is 0 µg."),
            _("The step between test boluses is 25 µg; the ceiling is 100 µg."),
        ),
    )
    history = " → ".join(fmt(d) for d in doses)
    outcome = (
        _("a clear reduction of muscle tone and spasms") if responded else _("no clear reduction of tone or spasms")
    )
    story = message(
        "Test boluses so far (50 µg/mL solution, each at least 24 h apart): **{history}**. Observed for "
        "4–8 h after the last one: **{outcome}**.",
        history=history,
        outcome=outcome,
    )
    given = {"doses_given": tuple(doses), "responded": responded}
    return Variant(patient_case, situation, story, given, (decision, dose))
