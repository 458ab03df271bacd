"""Exercise ``refill_dates``: days to the low-reservoir alarm, the alarm date and the refill date.

For training only, not for treating patients.
"""

from __future__ import annotations

import datetime as dt

from itbcore import library, pump
from itbcore.units import Q_, fmt

from ..checking import DatePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2, 4.4; lioresal Dosing: re-fill"
_ALARM = library.limit("alarm_volume").default_text  # the drug library's usual alarm volume
_MARGIN = library.limit("refill_margin").default_text
_MARGIN_TEXT = fmt(Q_(_MARGIN))  # "4 days", "1 day": singular and plural from the one formatter


@exercise(
    "refill_dates",
    N_("Refill visit: alarm date and refill date"),
    N_("Days until the low-reservoir alarm, its date, and the refill date with a margin before it."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_visit")
    patient = draw.patient()
    # Redraw until the interval is one a clinic would plan (2 weeks to 6 months): the label asks that
    # the reservoir never empties, and very long intervals meet the 180-day device cap instead.
    for _attempt in range(100):
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
            message("That is when the reservoir is empty; the alarm sounds earlier, at {alarm} left.", alarm=_ALARM),
            _SOURCE,
        )
    ]
    for c in wrong_conc:
        other = pump.refill_plan(reservoir, c, dose, alarm_volume=_ALARM, margin=_MARGIN)
        slips.append(
            Slip(
                "wrong_concentration",
                other.days_to_alarm,
                message(
                    "That is the answer for {other}; this pump is filled with {conc}.",
                    other=c.replace("ug", "µg"),
                    conc=fmt(conc),
                ),
                _SOURCE,
            )
        )
    days = QuantityPart(
        "days_to_alarm",
        message("How many days after the fill does the low-reservoir alarm ({alarm} left) sound?", alarm=_ALARM),
        plan.days_to_alarm,
        unit="day",
        atol="0.5 day",
        limit="time_since_fill",
        rule=_("days to alarm = (reservoir volume − alarm volume) ÷ (daily dose ÷ concentration)"),
        source=_SOURCE,
        slips=tuple(slips),
        hints=(
            _("First find the volume the pump delivers each day."),
            _("Daily volume = daily dose ÷ concentration (keep µg with µg)."),
            message(
                "Only the volume above the alarm volume counts: (reservoir − {alarm}) ÷ daily volume.", alarm=_ALARM
            ),
        ),
    )
    alarm = DatePart(
        "alarm_date",
        _("On which date does the alarm sound (count whole days from the fill date)?"),
        plan.alarm_date,
        rule=_("alarm date = fill date + whole days to alarm"),
        source=_SOURCE,
        slips=(
            Slip(
                "empty_date",
                plan.empty_date,
                _("That is the date the reservoir runs empty, not the alarm date."),
                _SOURCE,
            ),
        ),
        hints=(_("Add the whole number of days to the alarm (round down) to the fill date."),),
    )
    refill = DatePart(
        "refill_date",
        message("Book the refill {margin_text} before the alarm date: which date?", margin_text=_MARGIN_TEXT),
        plan.refill_date,
        rule=_(
            "refill date = fill date + whole days of (days to alarm − margin), never after the alarm; an "
            "empty reservoir causes withdrawal"
        ),
        source="lionova 4.4; practice guidance: pump refill margin 3–5 days",
        slips=(
            Slip(
                "on_alarm_date",
                plan.alarm_date,
                _(
                    "Refilling on the alarm date leaves no margin: a delay would let the reservoir run low and risk "
                    "withdrawal."
                ),
                "lionova 4.4",
            ),
            Slip(
                "empty_date",
                plan.empty_date,
                _("That is the day the pump runs empty: the patient would be in withdrawal by then."),
                "lionova 4.4",
            ),
        ),
        hints=(
            message(
                "Subtract the {margin_text} margin from the exact days to alarm, round down, then count from "
                "the fill date.",
                margin_text=_MARGIN_TEXT,
            ),
        ),
    )
    story = message(
        "The reservoir holds **{reservoir}** of **{conc}** after today's fill on **{fill}**; the "
        "programmed daily dose is **{dose}** (continuous). The low-reservoir alarm is set at {alarm}.",
        reservoir=fmt(reservoir),
        conc=fmt(conc),
        fill=fill,
        dose=fmt(dose),
        alarm=_ALARM,
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
