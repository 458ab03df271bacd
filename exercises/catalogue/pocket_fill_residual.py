"""Exercise ``pocket_fill_residual``: the expected residual volume at refill, and what a mismatch means.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import library, pump
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.4; practice guidance: reported pump incidents"
_TOL = library.limit("residual_tolerance").default_text  # the drug library's usual tolerance


@exercise(
    "pocket_fill_residual",
    "Refill: residual volume and pocket fill",
    "The residual volume expected at refill, and what a volume found above or below it means "
    "(not delivering: do not simply restart; missing: over-delivery or pocket fill).",
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_residual")
    patient = draw.patient()
    # Redraw until the reservoir would not have emptied and a missing volume can be told apart (3–12 mL left).
    for _ in range(200):
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
            "That is the volume found; the expected residual comes from the volume "
            "filled, the programmed dose and the days since.",
            _SOURCE,
        ),
        Slip(
            "volume_delivered",
            (prev - expected).to("mL"),
            "That is the volume delivered since the last fill; subtract it from the volume filled.",
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
                    f"That is the residual for {c.replace('ug', 'µg')}; this pump holds {fmt(conc)}.",
                    _SOURCE,
                )
            )
    residual = QuantityPart(
        "expected_residual",
        "What volume do you expect to find in the reservoir?",
        expected,
        unit="mL",
        rtol=0.02,
        rule="expected = volume filled − (daily dose ÷ concentration) × days since the fill",
        source=_SOURCE,
        slips=tuple(slips),
        limit="found_volume",
        hints=(
            "Daily volume = daily dose ÷ concentration (keep µg with µg).",
            "Multiply by the days since the last fill and subtract from the volume filled.",
        ),
    )
    texts = {
        "ok": "Within tolerance: refill as planned",
        "pump_not_delivering": "Too much left: the pump or catheter was not delivering; check them before any restart",
        "volume_missing": "Too little left: over-delivery or a previous fill outside the reservoir (pocket fill); "
        "assess for overdose",
        "restart": "Refill and restart at the programmed dose straight away",
    }
    keys = dict(zip(draw.shuffled(list(texts)), "abcd", strict=False))
    options = {keys[c]: texts[c] for c in sorted(texts, key=lambda c: keys[c])}
    not_delivering = pump.residual_check(expected, prev, _TOL).findings[0]
    missing = pump.residual_check(expected, Q_(0, "mL"), _TOL).findings[0]
    diff = f"the difference is {fmt(check.difference)} (tolerance ± {_TOL})"
    why = {
        "ok": Slip("missed_discrepancy", "", f"Not within tolerance: {diff}.", _SOURCE),
        "pump_not_delivering": Slip(
            "wrong_direction" if status == "volume_missing" else "false_alarm",
            "",
            f"More than expected would mean the pump was not delivering; here {diff}.",
            _SOURCE,
        ),
        "volume_missing": Slip(
            "wrong_direction" if status == "pump_not_delivering" else "false_alarm",
            "",
            f"Less than expected would point to over-delivery or a pocket fill; here {diff}.",
            _SOURCE,
        ),
        "restart": Slip(
            "simply_restart",
            "",
            (
                check.findings[0].message
                if check.findings and "restart" in check.findings[0].message
                else f"{check.findings[0].message} Do not simply refill and restart: find the cause first."
                if check.findings
                else "Within tolerance the refill goes ahead as planned; but never restart blindly after a "
                "mismatch: " + not_delivering.message
            ),
            check.findings[0].source if check.findings else not_delivering.source,
        ),
    }
    decision = ChoicePart(
        "decision",
        "What does the volume found tell you?",
        keys[status],
        rule=(
            check.findings[0].message
            if check.findings
            else f"found within ± {_TOL} of the expected residual: no discrepancy"
        ),
        source=check.findings[0].source if check.findings else _SOURCE,
        options=options,
        slips={keys[c]: s for c, s in why.items() if c != status},
        hints=(
            "Compare the volume found with the expected residual (tolerance ± 1 mL).",
            "Much more: "
            + not_delivering.message.split(": ", 1)[1].split(".")[0]
            + ". Much less: "
            + missing.message.split(": ", 1)[1].split(".")[0]
            + ".",
        ),
    )
    story = (
        f"At the last refill, **{elapsed.magnitude:g} days** ago, the reservoir was filled with **{fmt(prev)}** "
        f"of **{fmt(conc)}**; the programmed dose is **{fmt(dose)}** (continuous). Today the nurse withdraws "
        f"**{fmt(found)}** from the reservoir."
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
