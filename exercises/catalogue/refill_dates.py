"""Exercise ``refill_dates``: days to the low-reservoir alarm, the alarm date and the refill date.

For training only, not for treating patients.
"""

from __future__ import annotations

import datetime as dt

from itbcore import library, pump
from itbcore.units import Q_, fmt

from ..checking import DatePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.2, 4.4; lioresal Dosing: re-fill"
_ALARM = library.limit("alarm_volume").default_text  # the drug library's usual alarm volume
_MARGIN = library.limit("refill_margin").default_text
_MARGIN_TEXT = fmt(Q_(_MARGIN))  # "4 days", "1 day": singular and plural from the one formatter


@exercise(
    "refill_dates",
    "Refill visit: alarm date and refill date",
    "Days until the low-reservoir alarm, its date, and the refill date with a margin before it.",
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_visit")
    patient = draw.patient()
    # Redraw until the interval is one a clinic would plan (2 weeks to 6 months): the label asks that
    # the reservoir never empties, and very long intervals meet the 180-day device cap instead.
    for _ in range(100):
        reservoir = draw.quantity(situation, "reservoir", "mL")
        conc = draw.quantity(situation, "concentration", "ug/mL")
        dose = draw.quantity(situation, "daily_dose", "ug/day")
        fill = dt.date(2025, 1, 1) + dt.timedelta(days=draw.rng.randrange(365))
        plan = pump.refill_plan(reservoir, conc, dose, alarm_volume=_ALARM, fill_date=fill, margin=_MARGIN)
        if 14 <= plan.days_to_alarm.to("day").magnitude <= 150 and plan.limited_by_code == "alarm_margin":
            break
    else:  # pragma: no cover - the situation's choices always allow a plannable case
        raise RuntimeError("refill_visit choices give no plannable case")
    wrong_conc = [c for c in situation.choices["concentration"] if c.replace(" ", "") != f"{conc.magnitude:g}ug/mL"]
    slips = [
        Slip(
            "forgot_alarm_volume",
            plan.days_to_empty,
            f"That is when the reservoir is empty; the alarm sounds earlier, at {_ALARM} left.",
            _SOURCE,
        )
    ]
    for c in wrong_conc:
        other = pump.refill_plan(reservoir, c, dose, alarm_volume=_ALARM, margin=_MARGIN)
        slips.append(
            Slip(
                "wrong_concentration",
                other.days_to_alarm,
                f"That is the answer for {c.replace('ug', 'µg')}; this pump is filled with {fmt(conc)}.",
                _SOURCE,
            )
        )
    days = QuantityPart(
        "days_to_alarm",
        f"How many days after the fill does the low-reservoir alarm ({_ALARM} left) sound?",
        plan.days_to_alarm,
        unit="day",
        atol="0.5 day",
        limit="time_since_fill",
        rule="days to alarm = (reservoir volume − alarm volume) ÷ (daily dose ÷ concentration)",
        source=_SOURCE,
        slips=tuple(slips),
        hints=(
            "First find the volume the pump delivers each day.",
            "Daily volume = daily dose ÷ concentration (keep µg with µg).",
            f"Only the volume above the alarm volume counts: (reservoir − {_ALARM}) ÷ daily volume.",
        ),
    )
    alarm = DatePart(
        "alarm_date",
        "On which date does the alarm sound (count whole days from the fill date)?",
        plan.alarm_date,
        rule="alarm date = fill date + whole days to alarm",
        source=_SOURCE,
        slips=(
            Slip(
                "empty_date", plan.empty_date, "That is the date the reservoir runs empty, not the alarm date.", _SOURCE
            ),
        ),
        hints=("Add the whole number of days to the alarm (round down) to the fill date.",),
    )
    refill = DatePart(
        "refill_date",
        f"Book the refill {_MARGIN_TEXT} before the alarm date: which date?",
        plan.refill_date,
        rule="refill date = fill date + whole days of (days to alarm − margin), never after the alarm; "
        "an empty reservoir causes withdrawal",
        source="lionova 4.4; practice guidance: pump refill margin 3–5 days",
        slips=(
            Slip(
                "on_alarm_date",
                plan.alarm_date,
                "Refilling on the alarm date leaves no margin: a delay "
                "would let the reservoir run low and risk withdrawal.",
                "lionova 4.4",
            ),
            Slip(
                "empty_date",
                plan.empty_date,
                "That is the day the pump runs empty: the patient would be in withdrawal by then.",
                "lionova 4.4",
            ),
        ),
        hints=(
            f"Subtract the {_MARGIN_TEXT} margin from the exact days to alarm, round down, "
            "then count from the fill date.",
        ),
    )
    story = (
        f"The reservoir holds **{fmt(reservoir)}** of **{fmt(conc)}** after today's fill on "
        f"**{fill.isoformat()}**; the programmed daily dose is **{fmt(dose)}** (continuous). "
        f"The low-reservoir alarm is set at {_ALARM}."
    )
    given = {
        "reservoir": reservoir,
        "concentration": conc,
        "daily_dose": dose,
        "fill_date": fill,
        "alarm_volume": _ALARM,
        "margin": _MARGIN,
    }
    return Variant(patient, situation, story, given, (days, alarm, refill))
