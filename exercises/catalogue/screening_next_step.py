"""Exercise ``screening_next_step``: after a test bolus, candidate, escalate (to what, after how long) or stop.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import screening
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.2; lioresal Dosing: initial phase"
_STEP = screening.TEST_DOSE_STEP
_MAX = screening.MAX_TEST_DOSE
_WAIT = screening.MIN_TEST_INTERVAL


@exercise(
    "screening_next_step",
    "Screening: the next step after a test bolus",
    "Candidate, escalate (to which dose, after how long) or not a candidate, from the test boluses so far.",
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
        "candidate": "Positive response: go on to pump implantation and dose titration",
        "escalate": f"Give a test bolus {fmt(_STEP)} higher, at least {fmt(_WAIT)} after the last one",
        "escalate_same_day": f"Give a test bolus {fmt(_STEP)} higher today, as soon as this one has worn off",
        "not_candidate": "Stop screening: not a candidate for continuous intrathecal infusion",
    }
    keys = dict(zip(draw.shuffled(list(texts)), "abcd", strict=False))
    options = {keys[code]: texts[code] for code in sorted(texts, key=lambda c: keys[c])}
    why = {
        "candidate": Slip(
            "missed_response" if not responded else "",
            "",
            f"There was no clear reduction of tone or spasms after {fmt(last)}: that is not a positive "
            "response, so screening is not over.",
            _SOURCE,
        ),
        "escalate": Slip(
            "escalated_after_response" if responded else "escalated_past_max",
            "",
            (
                f"The patient responded to {fmt(last)}: a positive response ends screening; no higher "
                "test dose is needed."
                if responded
                else f"The test dose never exceeds {fmt(_MAX)}; no response at {fmt(_MAX)} means no continuous "
                "infusion."
            ),
            _SOURCE,
        ),
        "escalate_same_day": Slip(
            "no_24h_wait",
            "",
            f"Test boluses are at least {fmt(_WAIT)} apart, even when the effect has worn off after 4–8 h."
            if step.action == "escalate"
            else "Whatever the timing, a further test bolus is not the next step here.",
            _SOURCE,
        ),
        "not_candidate": Slip(
            "stopped_too_early" if not responded else "stopped_after_response",
            "",
            (
                f"A patient who responded to {fmt(last)} is a candidate."
                if responded
                else f"Screening stops only after no response at {fmt(_MAX)}; the last bolus was "
                f"{fmt(last)}, so the dose may still rise in {fmt(_STEP)} steps."
            ),
            _SOURCE,
        ),
    }
    decision = ChoicePart(
        "decision",
        "What is the next step?",
        keys[step.action if step.action != "escalate" else "escalate"],
        rule="positive response → candidate; no response below 100 µg → +25 µg at least 24 h later; "
        "no response at 100 µg → not a candidate",
        source=step.source,
        options=options,
        slips={keys[c]: s for c, s in why.items() if c != step.action},
        hints=(
            "Was the response to the last bolus positive (a clear reduction of tone or spasms)?",
            "Without response the bolus rises in 25 µg steps, at least 24 h apart, up to 100 µg.",
            "No response at 100 µg: no further increase and no continuous infusion.",
        ),
    )

    next_dose = step.next_dose if step.next_dose is not None else Q_(0, "ug")
    if step.action == "escalate":
        dose_slips = [
            Slip("step_50", last + 2 * _STEP, f"The test bolus rises in {fmt(_STEP)} steps, not 50 µg.", _SOURCE),
            Slip(
                "same_dose",
                last,
                f"Repeating a dose that gave no response does not move screening on: raise it by {fmt(_STEP)}.",
                _SOURCE,
            ),
            Slip(
                "jump_to_max",
                _MAX,
                f"The dose rises step by step ({fmt(_STEP)} at a time), not straight to {fmt(_MAX)}.",
                _SOURCE,
            ),
            Slip(
                "no_bolus",
                Q_(0, "ug"),
                f"Without a response below {fmt(_MAX)}, screening goes on with a higher test bolus.",
                _SOURCE,
            ),
        ]
    elif step.action == "candidate":
        dose_slips = [
            Slip(
                "escalated_after_response",
                last + _STEP,
                f"The patient responded to {fmt(last)}: a positive "
                "response ends screening, so no further test bolus is given (answer 0 µg).",
                _SOURCE,
            ),
            Slip(
                "repeat_effective_dose",
                last,
                f"{fmt(last)} gave the positive response; it is not repeated as a "
                "test bolus but sets the first daily dose after implantation (answer 0 µg).",
                _SOURCE,
            ),
        ]
    else:
        dose_slips = [
            Slip(
                "above_max",
                last + _STEP,
                f"{fmt(last + _STEP)} would be above the {fmt(_MAX)} maximum test dose: "
                f"no response at {fmt(_MAX)} ends screening (answer 0 µg).",
                _SOURCE,
            ),
            Slip(
                "repeat_max",
                last,
                f"No response at {fmt(_MAX)} means no further test bolus and no continuous infusion (answer 0 µg).",
                _SOURCE,
            ),
        ]
    dose = QuantityPart(
        "next_dose",
        "What test dose is given next? (Answer 0 µg if no further test bolus is given.)",
        next_dose,
        unit="ug",
        rtol=0.01,
        limit="test_dose",  # 0 µg ("none") is left to the rule, not refused
        rule="next test dose = last dose + 25 µg, at most 100 µg; "
        "none after a positive response or after no response at 100 µg",
        source=step.source,
        slips=tuple(dose_slips),
        generic_slips=step.next_dose is not None,
        hints=(
            "Does screening go on at all? If not, the answer is 0 µg.",
            "The step between test boluses is 25 µg; the ceiling is 100 µg.",
        ),
    )
    history = " → ".join(fmt(d) for d in doses)
    outcome = "a clear reduction of muscle tone and spasms" if responded else "no clear reduction of tone or spasms"
    story = (
        f"Test boluses so far (50 µg/mL solution, each at least 24 h apart): **{history}**. "
        f"Observed for 4–8 h after the last one: **{outcome}**."
    )
    given = {"doses_given": tuple(doses), "responded": responded}
    return Variant(patient_case, situation, story, given, (decision, dose))
