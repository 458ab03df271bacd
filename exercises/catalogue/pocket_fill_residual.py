"""Exercise ``pocket_fill_residual``: the expected residual volume at refill, and what a mismatch means.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import library, pump
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.4; practice guidance: reported pump incidents"
_TOL = library.limit("residual_tolerance").default_text  # the drug library's usual tolerance


@exercise(
    "pocket_fill_residual",
    N_("Refill: residual volume and pocket fill"),
    N_(
        "The residual volume expected at refill, and what a volume found above or below it means (not "
        "delivering: do not simply restart; missing: over-delivery or pocket fill)."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_residual")
    patient = draw.patient()
    # Redraw until the reservoir would not have emptied and a missing volume can be told apart (3–12 mL left).
    for _attempt in range(200):
        prev = draw.quantity(situation, "previous_volume", "mL")
        conc = draw.quantity(situation, "concentration", "ug/mL")
        dose = draw.quantity(situation, "daily_dose", "ug/day")
        elapsed = draw.quantity(situation, "elapsed", "day")
        expected = pump.expected_residual(prev, dose, conc, elapsed)
        if Q_(3, "mL") <= expected <= Q_(12, "mL"):
            break
    else:  # pragma: no cover - the situation's choices always allow such a case
        raise RuntimeError("refill_residual choices give no usable case")
    kind = draw.choice(["ok", "pump_not_delivering", "volume_missing"])
    e = float(expected.magnitude)
    if kind == "ok":
        found = Q_(round(e + draw.choice([-0.5, -0.3, 0.2, 0.4]), 1), "mL")
    elif kind == "pump_not_delivering":
        found = Q_(round(float(prev.magnitude) - draw.choice([0.5, 1.0, 1.5]), 1), "mL")
    else:
        found = Q_(round(max(0.0, e - draw.choice([2.5, 3.0, 4.0])), 1), "mL")
    check = pump.residual_check(expected, found, _TOL)
    status = check.findings[0].code if check.findings else "ok"

    wrong_conc = [
        c for c in situation.choices["concentration"] if abs(Q_(c).to("ug/mL").magnitude - conc.magnitude) > 1e-9
    ]
    slips = [
        Slip(
            "used_found",
            found,
            _(
                "That is the volume found; the expected residual comes from the volume filled, the programmed "
                "dose and the days since."
            ),
            _SOURCE,
        ),
        Slip(
            "volume_delivered",
            (prev - expected).to("mL"),
            _("That is the volume delivered since the last fill; subtract it from the volume filled."),
            _SOURCE,
        ),
    ]
    for c in wrong_conc:
        other = pump.expected_residual(prev, dose, c, elapsed)
        if other.magnitude > 0:
            slips.append(
                Slip(
                    "wrong_concentration",
                    other,
                    message(
                        "That is the residual for {other}; this pump holds {conc}.",
                        other=c.replace("ug", "µg"),
                        conc=fmt(conc),
                    ),
                    _SOURCE,
                )
            )
    residual = QuantityPart(
        "expected_residual",
        _("What volume do you expect to find in the reservoir?"),
        expected,
        unit="mL",
        rtol=0.02,
        rule=_("expected = volume filled − (daily dose ÷ concentration) × days since the fill"),
        source=_SOURCE,
        slips=tuple(slips),
        limit="found_volume",
        hints=(
            _("Daily volume = daily dose ÷ concentration (keep µg with µg)."),
            _("Multiply by the days since the last fill and subtract from the volume filled."),
        ),
    )
    texts = {
        "ok": _("Within tolerance: refill as planned"),
        "pump_not_delivering": _(
            "Too much left: the pump or catheter was not delivering; check them before any restart"
        ),
        "volume_missing": _(
            "Too little left: over-delivery or a previous fill outside the reservoir (pocket fill); assess for overdose"
        ),
        "restart": _("Refill and restart at the programmed dose straight away"),
    }
    keys = dict(zip(draw.shuffled(list(texts)), "abcd", strict=False))
    options = {keys[c]: texts[c] for c in sorted(texts, key=lambda c: keys[c])}
    not_delivering = pump.residual_check(expected, prev, _TOL).findings[0]
    missing = pump.residual_check(expected, Q_(0, "mL"), _TOL).findings[0]
    diff = message("the difference is {difference} (tolerance ± {tol})", difference=fmt(check.difference), tol=_TOL)
    why = {
        "ok": Slip("missed_discrepancy", "", message("Not within tolerance: {diff}.", diff=diff), _SOURCE),
        "pump_not_delivering": Slip(
            "wrong_direction" if status == "volume_missing" else "false_alarm",
            "",
            message("More than expected would mean the pump was not delivering; here {diff}.", diff=diff),
            _SOURCE,
        ),
        "volume_missing": Slip(
            "wrong_direction" if status == "pump_not_delivering" else "false_alarm",
            "",
            message("Less than expected would point to over-delivery or a pocket fill; here {diff}.", diff=diff),
            _SOURCE,
        ),
        "restart": Slip(
            "simply_restart",
            "",
            (
                check.findings[0].message
                if check.findings and "restart" in check.findings[0].message
                else message(
                    "{finding} Do not simply refill and restart: find the cause first.",
                    finding=check.findings[0].message,
                )
                if check.findings
                else message(
                    "Within tolerance the refill goes ahead as planned; but never restart blindly after a mismatch: "
                    "{finding}",
                    finding=not_delivering.message,
                )
            ),
            check.findings[0].source if check.findings else not_delivering.source,
        ),
    }
    decision = ChoicePart(
        "decision",
        _("What does the volume found tell you?"),
        keys[status],
        rule=(
            check.findings[0].message
            if check.findings
            else message("found within ± {tol} of the expected residual: no discrepancy", tol=_TOL)
        ),
        source=check.findings[0].source if check.findings else _SOURCE,
        options=options,
        slips={keys[c]: s for c, s in why.items() if c != status},
        hints=(
            _("Compare the volume found with the expected residual (tolerance ± 1 mL)."),
            message(
                "Much more: {more}. Much less: {less}.",
                more=not_delivering.message.split(": ", 1)[1].split(".")[0],
                less=missing.message.split(": ", 1)[1].split(".")[0],
            ),
        ),
    )
    story = message(
        "At the last refill, **{elapsed} days** ago, the reservoir was filled with **{prev}** of "
        "**{conc}**; the programmed dose is **{dose}** (continuous). Today the nurse withdraws "
        "**{found}** from the reservoir.",
        elapsed=elapsed.magnitude,
        prev=fmt(prev),
        conc=fmt(conc),
        dose=fmt(dose),
        found=fmt(found),
    )
    given = {
        "previous_volume": prev,
        "concentration": conc,
        "daily_dose": dose,
        "elapsed": elapsed,
        "found": found,
        "tolerance": _TOL,
    }
    return Variant(patient, situation, story, given, (residual, decision))
