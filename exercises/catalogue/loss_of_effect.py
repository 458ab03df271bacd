"""Exercise ``loss_of_effect``: the dose keeps rising without effect — check the system, think of a tip mass.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import titration, withdrawal
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message


@exercise(
    "loss_of_effect",
    N_("Loss of effect: a catheter-tip inflammatory mass?"),
    N_(
        "The daily dose has been raised without added effect: what comes before the next increase, and "
        "what a falling response with new neurological signs points to."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("falling_response")
    case = draw.patient(population="adult")
    patient = case.to_patient()
    current = Q_(draw.choice([300, 400, 450, 500, 600, 700]), "ug/day")
    proposed = current * (1 + draw.choice([0.1, 0.15, 0.2]))
    findings = titration.check_change(
        patient,
        current,
        proposed,
        since_start="90 day",
        since_last_change="14 day",
        phase="maintenance",
        no_effect=True,
    )
    check = next(f for f in findings if f.code == "check_pump_catheter")  # the core's rule, with its source
    options = {
        "check_system": _("Check pump function and catheter patency before raising the dose again"),
        "raise_again": message("Raise the dose again, to {proposed}", proposed=fmt(proposed)),
        "stop": _("Stop the intrathecal baclofen: it no longer works"),
        "oral": _("Add oral baclofen instead of changing the pump"),
    }
    keys = dict(zip(draw.shuffled(list(options)), "abcd", strict=False))
    choose = {keys[c]: options[c] for c in sorted(options, key=lambda c: keys[c])}
    slips = {
        keys["raise_again"]: Slip(
            "raised_without_effect",
            "",
            _(
                "Raising a dose that has not helped, before the pump and catheter are checked, risks an "
                "overdose once delivery is restored."
            ),
            check.source,
        ),
        keys["stop"]: Slip(
            "abrupt_stop",
            "",
            _(
                "Never stop intrathecal baclofen abruptly: withdrawal can be life-threatening; first find out "
                "why the effect is falling."
            ),
            "lionova 4.2, 4.4",
        ),
        keys["oral"]: Slip(
            "oral_instead",
            "",
            _(
                "Oral baclofen does not answer why the intrathecal dose no longer works: check the pump and the "
                "catheter first."
            ),
            check.source,
        ),
    }
    first = ChoicePart(
        "first_step",
        message(
            "The team proposes {current} → {proposed}. What comes first?", current=fmt(current), proposed=fmt(proposed)
        ),
        keys["check_system"],
        rule=_("dose raised without added effect → check pump and catheter before any further increase"),
        source=check.source,
        options=choose,
        slips=slips,
        hints=(_("Why might more drug in the pump not reach the spinal fluid?"),),
    )

    causes = withdrawal.likely_causes().causes  # the usual causes, each with its source
    by_code = {c.code: c for c in causes}
    picks = ["inflammatory_mass", "low_reservoir", "pump_failure", "programming_error"]
    letters = dict(zip(draw.shuffled(picks), "abcd", strict=False))
    cause_options = {letters[c]: by_code[c].text for c in sorted(picks, key=lambda c: letters[c])}
    why_not = {
        "low_reservoir": _("The reservoir held what the programme predicted at every refill: it is not running dry."),
        "pump_failure": _(
            "The reservoir emptied as programmed, so the pump delivered; the drug is not reaching where it should."
        ),
        "programming_error": _(
            "The programme was read out and is as prescribed; a wrong programme does not bring new neurological signs."
        ),
    }
    mass = by_code["inflammatory_mass"]
    cause = ChoicePart(
        "cause",
        _(
            "The pump and catheter checks are normal; now the patient has new back pain and weakness in the "
            "legs. What do you suspect?"
        ),
        letters["inflammatory_mass"],
        rule=message(
            "falling response + new pain or neurological deficit → {cause}: {reason}",
            cause=mass.text,
            reason=mass.reason,
        ),
        source=mass.source,
        options=cause_options,
        slips={letters[c]: Slip(f"suspected_{c}", "", why_not[c], by_code[c].source) for c in why_not},
        hints=(_("Something at the catheter tip can hold back the drug and press on the spinal cord."),),
    )
    story = message(
        "Daily dose now **{current}** (simple continuous infusion), raised at the last three visits "
        "without added effect on spasticity.",
        current=fmt(current),
    )
    given = {"current": fmt(current), "proposed": fmt(proposed), "since_start": "90 day", "since_last_change": "14 day"}
    return Variant(case, situation, story, given, (first, cause))
