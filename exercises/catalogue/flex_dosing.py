"""Exercise ``flex_dosing``: a night-time boost of the hourly rate (the per-hour/per-day trap).

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import maintenance
from itbcore.errors import DoseLimitError
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: mode of infusion"
_BOOST = maintenance.FLEX_NIGHT_INCREASE  # lionova 4.2: e.g. a 20 % higher hourly rate at night
_LEAD = maintenance.FLEX_EFFECT_LEAD  # lionova 4.2: programme the change 2 h before the effect is wanted


@exercise(
    "flex_dosing",
    N_("Flex dosing: night-time boost"),
    N_("Hourly rate with a +20 % night boost, the new total daily dose, and when the change starts."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("flex_night_boost")
    patient = draw.patient(population="adult")
    daily = draw.quantity(situation, "daily_dose", "ug/day")
    hours = draw.quantity(situation, "boost_hours", "h")
    wanted = draw.choice([21, 22, 23])
    # the label's flex example through itbcore: the boost covers the wanted hours, programmed 2 h earlier
    programme = maintenance.flex_from_continuous(
        daily, _BOOST, night_start=f"{wanted} h", night_end=f"{(wanted + int(hours.magnitude)) % 24} h"
    )
    start_q = maintenance.flex_start_for_effect(f"{wanted} h")
    base_rate = programme.rate_at(start_q - Q_(1, "h"))
    night_rate = programme.rate_at(start_q)
    total = programme.daily_total
    # the per-hour/per-day trap: the boosted daily dose keyed in as an hourly rate (itbcore names the mix-up)
    trap_rate = Q_(float((daily * (1 + _BOOST)).to("ug/day").magnitude), "ug/h")
    try:
        trap_text = maintenance.flex_unit_check(maintenance.flex_programme([("0 h", trap_rate)]), daily)[0]
        trap_message, trap_source = trap_text.message, trap_text.source
    except DoseLimitError as refused:  # past the hourly hard limit: the pump's drug library refuses it outright
        trap_message, trap_source = str(refused), refused.source or _SOURCE
    whole_day = maintenance.flex_programme([("0 h", night_rate)]).daily_total
    rate = QuantityPart(
        "night_rate",
        message("What hourly rate does the pump deliver during the {hours} of the boost?", hours=fmt(hours)),
        night_rate,
        unit="ug/h",
        rtol=0.02,
        limit="infusion_rate",
        rule=_("night rate = (daily dose ÷ 24 h) × 1.20"),
        source=_SOURCE,
        slips=(
            Slip(
                "per_day_as_per_hour",
                trap_rate,
                message(
                    "That number is a daily dose written per hour (24 times too much): divide the daily dose by 24 "
                    "before adding 20 %. {trap_message}",
                    trap_message=trap_message,
                ),
                trap_source,
            ),
            Slip("no_boost", base_rate, _("That is the base hourly rate; the boost adds 20 % to it."), _SOURCE),
            Slip(
                "boost_of_daily",
                base_rate + Q_(float((daily * _BOOST).to("ug/day").magnitude), "ug/h"),
                _("You added 20 % of the daily dose to the hourly rate: the boost is 20 % of the hourly rate."),
                _SOURCE,
            ),
        ),
        hints=(
            _("Start from the hourly rate of the continuous infusion."),
            _("Hourly rate = daily dose ÷ 24 h."),
            _("Then add 20 % of that hourly rate."),
        ),
    )
    day_total = QuantityPart(
        "daily_total",
        _("What total dose does the patient now receive per 24 h?"),
        total,
        unit="ug/day",
        rtol=0.01,
        limit="daily_dose",
        rule=_("total = base rate × hours without boost + night rate × boost hours"),
        source=_SOURCE,
        slips=(
            Slip(
                "boost_whole_day",
                whole_day,
                message("You added 20 % to the whole day; the boost runs only for {hours}.", hours=fmt(hours)),
                _SOURCE,
            ),
            Slip(
                "unchanged",
                daily,
                message(
                    "The daily total does change: the boost hours add 20 % of the hourly rate for {hours}.",
                    hours=fmt(hours),
                ),
                _SOURCE,
            ),
            Slip(
                "per_hour_times_hours",
                daily + (daily * _BOOST).to("ug/day").magnitude * hours.magnitude * Q_(1, "ug/day"),
                _(
                    "You added 20 % of the daily dose for every boost hour: the 20 % applies to the hourly rate, "
                    "not the daily dose."
                ),
                _SOURCE,
            ),
        ),
        hints=(
            _("Split the day into boost hours and normal hours."),
            message(
                "Extra per boost hour = 20 % of the hourly rate; multiply by {hours} and add to the daily dose.",
                hours=fmt(hours),
            ),
        ),
    )
    start = int(round(float(start_q.magnitude))) % 24
    options = {
        "a": f"{start:02d}:00",
        "b": f"{wanted:02d}:00",
        "c": f"{(wanted - 7) % 24:02d}:00",
        "d": f"{(wanted + 2) % 24:02d}:00",
    }
    order = draw.shuffled(list(options.values()))
    keys = "abcd"
    shuffled = {k: t for k, t in zip(keys, order, strict=False)}
    key_of = {t: k for k, t in shuffled.items()}
    when = ChoicePart(
        "start_time",
        message(
            "The effect is wanted from {wanted}:00. When should the programmed boost start?", wanted=f"{wanted:02d}"
        ),
        key_of[options["a"]],
        rule=_("programme the change to start 2 h before the effect is wanted"),
        source=_SOURCE,
        options=shuffled,
        slips={
            key_of[options["b"]]: Slip(
                "no_lead", "", _("A rate change needs time to work: start it 2 h before the effect is wanted."), _SOURCE
            ),
            key_of[options["c"]]: Slip(
                "infusion_onset",
                "",
                _(
                    "6–8 h is the onset when continuous infusion is first started; for a rate change the labels "
                    "give 2 h."
                ),
                _SOURCE,
            ),
            key_of[options["d"]]: Slip("after", "", _("That is after the effect is wanted."), _SOURCE),
        },
        hints=(_("The labels give a lead time for programmed changes in flex mode."),),
    )
    story = message(
        "Continuous infusion of **{daily}**. Spasms wake the patient at night, so the hourly rate is "
        "raised by **20 %** for **{hours}** each night, the rest of the day unchanged.",
        daily=fmt(daily),
        hours=fmt(hours),
    )
    given = {"daily_dose": daily, "boost_hours": hours, "boost": _BOOST, "effect_wanted_hour": wanted}
    return Variant(patient, situation, story, given, (rate, day_total, when))
