"""Exercise ``titration_violation``: which titration rule does a proposed change of the daily dose break?

For training only, not for treating patients.
"""

from __future__ import annotations

import math

import pint

from itbcore import titration
from itbcore.i18n import format_number
from itbcore.units import Q_, fmt

from ..cases import origin_text
from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: phase of dose selection"
#: The violations a proposed increase can carry (codes of itbcore.titration.check_change), and "none".
_CODES = ("increase_first_24h", "change_too_soon", "increase_above_band", "none")
_TEXTS = {
    "increase_first_24h": N_("An increase in the first 24 h of the continuous infusion"),
    "change_too_soon": N_("A second change within 24 h of the last one"),
    "increase_above_band": N_("An increase above the daily band for this patient"),
    "none": N_("No rule is broken: the change may be made"),
}


def _case(draw: Draw, kind: str, current: pint.Quantity) -> tuple[str, str | None, float]:
    """Times (since start, since last change) and the relative increase for the kind of case drawn."""
    if kind == "increase_first_24h":
        return draw.choice(["8 h", "12 h", "18 h", "20 h"]), None, draw.choice([0.10, 0.15])
    if kind == "change_too_soon":
        return draw.choice(["3 days", "4 days", "5 days"]), draw.choice(["6 h", "12 h", "16 h", "20 h"]), 0.10
    if kind == "increase_above_band":
        return (
            draw.choice(["3 days", "4 days", "6 days"]),
            draw.choice(["24 h", "30 h", "48 h"]),
            draw.choice([0.40, 0.50, 0.60]),
        )
    return draw.choice(["3 days", "4 days", "6 days"]), draw.choice(["24 h", "30 h", "48 h"]), draw.choice([0.05, 0.10])


@exercise(
    "titration_violation",
    N_("Titration: spot the rule a proposed change breaks"),
    N_(
        "Which titration rule a proposed increase breaks (first 24 h, too soon, above the band, none), "
        "and the highest daily dose allowed now."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("titration_review")
    patient_case = draw.patient(population="adult")
    patient = patient_case.to_patient()
    current = draw.quantity(situation, "current", "ug/day")
    kind = draw.choice(_CODES)
    since_start, since_last, rise = _case(draw, kind, current)
    # whole µg/day, rounded down so that a rise at the top of the band stays within it
    proposed = Q_(math.floor(float(current.magnitude) * (1 + rise) + 1e-9), "ug/day")
    findings = titration.check_change(patient, current, proposed, since_start, since_last)
    violations = [f for f in findings if f.severity == "violation"]
    found = violations[0].code if violations else "none"  # the case is built to break at most one rule
    band = titration.increase_band(patient)
    timing_blocks = found in ("increase_first_24h", "change_too_soon")
    # no increase is allowed now while a timing rule blocks it; otherwise the top of the band
    allowed = current if timing_blocks else (current * (1 + band.high)).to("ug/day")

    keys = dict(zip(draw.shuffled(list(_CODES)), "abcd", strict=False))
    options = {keys[c]: _(_TEXTS[c]) for c in sorted(_CODES, key=lambda c: keys[c])}
    why = {
        "increase_first_24h": message(
            "The infusion started {since_start} ago, more than 24 h: the first-day rule is met.",
            since_start=since_start,
        ),
        "change_too_soon": (
            _("There was no change before this one, so the once-per-24 h rule is not the problem.")
            if since_last is None
            else message(
                "The last change was {since_last} ago: at least 24 h, so the timing is right.", since_last=since_last
            )
        ),
        "increase_above_band": (
            message(
                "The increase is {rise} %, within the {low}–{high} % band for {origin} origin.",
                rise=rise * 100,
                low=band.low * 100,
                high=band.high * 100,
                origin=origin_text(patient.origin),
            )
            if rise <= band.high
            else _("The increase is above the band too, but a timing rule blocks any increase now.")
        ),
        "none": violations[0].message if violations else "",
    }
    choice = ChoicePart(
        "violation",
        _("Which rule does the proposed change break?"),
        keys[found],
        rule=(
            violations[0].message
            if violations
            else message("≥ 24 h since the start and since the last change, +{rise} % within the band", rise=rise * 100)
        ),
        source=violations[0].source if violations else _SOURCE,
        options=options,
        slips={keys[c]: Slip(f"not_{c}", "", why[c], _SOURCE) for c in _CODES if c != found},
        hints=(
            _("Check the three rules in turn: first 24 h, once per 24 h, the band."),
            message(
                "The band for adults with spasticity of {origin} origin is +{low} % to +{high} % per 24 h.",
                origin=origin_text(patient.origin),
                low=band.low * 100,
                high=band.high * 100,
            ),
        ),
    )
    slips = []
    if timing_blocks:
        slips.append(
            Slip(
                "band_ignores_timing",
                current * (1 + band.high),
                message(
                    "That is the top of the band, but no increase is allowed now: {violation}",
                    violation=violations[0].message,
                ),
                violations[0].source,
            )
        )
    else:
        other = "cerebral" if patient.origin == "spinal" else "spinal"
        other_high = titration.increase_band(patient.replace(origin=other)).high
        slips += [
            Slip(
                "wrong_origin",
                current * (1 + other_high),
                message(
                    "That is the top of the {other}-origin band; this patient's spasticity is of {origin} origin.",
                    other=other,
                    origin=patient.origin,
                ),
                band.source,
            ),
            Slip(
                "increase_only",
                current * band.high,
                _("That is the increase alone; add it to the current dose."),
                band.source,
            ),
        ]
    slips.append(Slip("proposed", proposed, _("That is the proposed dose, the one being checked."), _SOURCE))
    top = QuantityPart(
        "max_allowed",
        _("What is the highest daily dose the label allows you to programme now?"),
        allowed,
        unit="ug/day",
        rtol=0.01,
        limit="daily_dose",
        rule=(
            _("no increase now: the current dose is the highest allowed")
            if timing_blocks
            else message("current × (1 + {rise} %)", rise=band.high * 100)
        ),
        source=band.source,
        slips=tuple(slips),
        hints=(
            _("If a timing rule blocks the increase, the dose stays where it is."),
            _("Otherwise multiply the current daily dose by (1 + top of the band)."),
        ),
    )
    last_text = (
        _("no change yet since the start")
        if since_last is None
        else message("last change **{since_last}** ago", since_last=since_last)
    )
    story = message(
        "Continuous infusion on a programmable pump, started **{since_start}** ago; {last_text}. "
        "Current daily dose **{current}**; the resident proposes **{proposed}** (+{rise} %).",
        since_start=since_start,
        last_text=last_text,
        current=fmt(current),
        proposed=fmt(proposed),
        rise=format_number((float(proposed.magnitude) / float(current.magnitude) - 1) * 100, 3),
    )
    given = {
        "current": current,
        "proposed": proposed,
        "since_start": Q_(since_start),
        "since_last_change": None if since_last is None else Q_(since_last),
    }
    return Variant(patient_case, situation, story, given, (choice, top))
