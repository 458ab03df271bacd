"""Exercise ``csf_half_life``: CSF half-life and steady-state concentration from V and CL (per hour, per day).

For training only, not for treating patients.
"""

from __future__ import annotations

import math

from itbcore import pk
from itbcore.units import Q_, fmt

from ..checking import QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 5.2; lioresal Pharmacokinetics"


@exercise(
    "csf_half_life",
    N_("CSF: half-life and steady-state concentration"),
    N_(
        "Half-life (ln 2 · V / CL) and steady-state concentration (dose rate / CL) in a one-compartment "
        "CSF model, with clearance given per hour or per day."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("csf_review")
    patient = draw.patient()
    label = pk.LABEL_PK
    lo, hi = label.half_life_range
    # Redraw until the half-life lies in the labels' 1–5 h (lionova 5.2).
    for _attempt in range(100):
        volume = draw.quantity(situation, "volume", "mL")
        clearance = draw.quantity(situation, "clearance", "mL/h")
        t_half = pk.half_life(volume, clearance)
        if lo <= t_half <= hi:
            break
    else:  # pragma: no cover - the situation's choices always allow a case in range
        raise RuntimeError("csf_review choices give no half-life within the label range")
    dose = draw.quantity(situation, "daily_dose", "ug/day")
    per_day = draw.rng.random() < 0.5  # the clearance is sometimes given per day: the per-hour/per-day trap
    shown_cl = clearance.to("mL/day") if per_day else clearance
    css = pk.steady_state_concentration(dose, clearance)
    cl_day_mag = float(clearance.to("mL/day").magnitude)
    t_slips = [
        Slip(
            "no_ln2",
            (volume / clearance).to("h"),
            _("That is V ÷ CL (the time constant, 1/k); the half-life is ln 2 × V ÷ CL, about 0.69 times it."),
            _SOURCE,
        ),
        Slip(
            "inverted",
            Q_(math.log(2) * float(clearance.magnitude) / float(volume.magnitude), "h"),
            _("You divided CL by V; the half-life is ln 2 × V ÷ CL (volume over clearance)."),
            _SOURCE,
        ),
    ]
    if per_day:
        t_slips.append(
            Slip(
                "per_day_as_per_hour",
                Q_(math.log(2) * float(volume.magnitude) / cl_day_mag, "h"),
                message(
                    "You read {shown_cl} as per hour: {shown_cl} is {clearance}. Convert the clearance to mL/h "
                    "first (÷ 24).",
                    shown_cl=fmt(shown_cl),
                    clearance=fmt(clearance),
                ),
                _SOURCE,
            )
        )
    else:
        t_slips.append(
            Slip(
                "hours_as_days",
                Q_(math.log(2) * float(volume.magnitude) / float(clearance.magnitude), "day"),
                _("The clearance is per hour, so V ÷ CL comes out in hours, not days."),
                _SOURCE,
            )
        )
    half = QuantityPart(
        "half_life",
        _("What is the CSF half-life in this model?"),
        t_half,
        unit="h",
        rtol=0.02,
        rule="t½ = ln 2 × V ÷ CL",
        source=_SOURCE,
        slips=tuple(t_slips),
        hints=(
            _("Elimination rate constant k = CL ÷ V; half-life = ln 2 ÷ k."),
            _("Put CL in mL/h before dividing, so the answer comes out in hours."),
        ),
    )
    ss_slips = [
        Slip(
            "per_day_rate_per_hour_cl",
            Q_(float(dose.magnitude) / float(clearance.magnitude) * 1000, "ng/mL"),
            _(
                "You divided a daily dose by an hourly clearance: convert the dose to µg/h (÷ 24) first, so the "
                "units cancel."
            ),
            _SOURCE,
        ),
        Slip(
            "used_volume",
            (dose.to("ug/h") / volume * Q_(1, "h")).to("ng/mL"),
            _(
                "You divided the hourly dose by the volume; at steady state the concentration is the dose rate "
                "÷ clearance, whatever the volume."
            ),
            _SOURCE,
        ),
    ]
    if per_day:
        ss_slips.append(
            Slip(
                "per_day_cl_as_per_hour",
                Q_(float(dose.to("ug/h").magnitude) / cl_day_mag * 1000, "ng/mL"),
                message(
                    "You divided the hourly dose by {shown_cl} as if it were per hour: that is 24 times too little.",
                    shown_cl=fmt(shown_cl),
                ),
                _SOURCE,
            )
        )
    steady = QuantityPart(
        "steady_state",
        message("What CSF concentration does a continuous {dose} reach at steady state?", dose=fmt(dose)),
        css,
        unit="ng/mL",
        rtol=0.02,
        rule=_("C_ss = dose rate ÷ CL (µg/h ÷ mL/h = µg/mL = 1000 ng/mL)"),
        source=_SOURCE,
        slips=tuple(ss_slips),
        hints=(
            _("At steady state what goes in per hour equals what is cleared per hour: C × CL = dose rate."),
            _("Put the dose in µg/h and the clearance in mL/h; µg/mL × 1000 = ng/mL."),
        ),
    )
    story = message(
        "Model values: volume of distribution **{volume}**, CSF clearance **{shown_cl}** (the labels: "
        "22–157 mL, about 30 mL/h). Continuous infusion **{dose}**.",
        volume=fmt(volume),
        shown_cl=fmt(shown_cl),
        dose=fmt(dose),
    )
    given = {"volume": volume, "clearance": shown_cl, "daily_dose": dose}
    return Variant(patient, situation, story, given, (half, steady))
