"""Exercise ``flex_dosing``: a night-time boost of the hourly rate (the per-hour/per-day trap).

For training only, not for treating patients.
"""
from __future__ import annotations

from itbcore.units import Q_, as_quantity, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.2; lioresal Dosing: mode of infusion"
_BOOST = 0.20  # lionova 4.2: e.g. a 20 % higher hourly rate at night
_LEAD = Q_(2, "h")  # lionova 4.2: programme the change 2 h before the effect is wanted


@exercise("flex_dosing", "Flex dosing: night-time boost",
          "Hourly rate with a +20 % night boost, the new total daily dose, and when the change starts.")
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("flex_night_boost")
    patient = draw.patient(population="adult")
    daily = draw.quantity(situation, "daily_dose", "ug/day")
    hours = draw.quantity(situation, "boost_hours", "h")
    wanted = draw.choice([21, 22, 23])
    base_rate = as_quantity(daily, "ug/h")
    night_rate = base_rate * (1 + _BOOST)
    # what the pump delivers over one 24 h day, as a daily dose
    total = ((base_rate * (Q_(24, "h") - hours) + night_rate * hours) / Q_(1, "day")).to("ug/day")
    rate = QuantityPart(
        "night_rate", f"What hourly rate does the pump deliver during the {fmt(hours)} of the boost?",
        night_rate, unit="ug/h", rtol=0.02,
        rule="night rate = (daily dose ÷ 24 h) × 1.20", source=_SOURCE,
        slips=(
            Slip("per_day_as_per_hour", (daily * (1 + _BOOST)).to("ug/day").magnitude * Q_(1, "ug/h"),
                 "That number is a daily dose written per hour (24 times too much): divide the daily dose by 24 "
                 "before adding 20 %.", _SOURCE),
            Slip("no_boost", base_rate, "That is the base hourly rate; the boost adds 20 % to it.", _SOURCE),
            Slip("boost_of_daily", base_rate + (daily * _BOOST).to("ug/day").magnitude * Q_(1, "ug/h"),
                 "You added 20 % of the daily dose to the hourly rate: the boost is 20 % of the hourly rate.",
                 _SOURCE),
        ),
        hints=("Start from the hourly rate of the continuous infusion.", "Hourly rate = daily dose ÷ 24 h.",
               "Then add 20 % of that hourly rate."),
    )
    day_total = QuantityPart(
        "daily_total", "What total dose does the patient now receive per 24 h?",
        total, unit="ug/day", rtol=0.01,
        rule="total = base rate × hours without boost + night rate × boost hours", source=_SOURCE,
        slips=(
            Slip("boost_whole_day", daily * (1 + _BOOST), "You added 20 % to the whole day; the boost runs only "
                 f"for {fmt(hours)}.", _SOURCE),
            Slip("unchanged", daily, "The daily total does change: the boost hours add 20 % of the hourly rate "
                 f"for {fmt(hours)}.", _SOURCE),
            Slip("per_hour_times_hours", daily + (daily * _BOOST).to("ug/day").magnitude * hours.magnitude
                 * Q_(1, "ug/day"), "You added 20 % of the daily dose for every boost hour: the 20 % applies to "
                 "the hourly rate, not the daily dose.", _SOURCE),
        ),
        hints=("Split the day into boost hours and normal hours.",
               f"Extra per boost hour = 20 % of the hourly rate; multiply by {fmt(hours)} and add to the daily dose."),
    )
    start = (wanted - int(_LEAD.magnitude)) % 24
    options = {"a": f"{start:02d}:00", "b": f"{wanted:02d}:00", "c": f"{(wanted - 7) % 24:02d}:00",
               "d": f"{(wanted + 2) % 24:02d}:00"}
    order = draw.shuffled(list(options.values()))
    keys = "abcd"
    shuffled = {k: t for k, t in zip(keys, order)}
    key_of = {t: k for k, t in shuffled.items()}
    when = ChoicePart(
        "start_time", f"The effect is wanted from {wanted:02d}:00. When should the programmed boost start?",
        key_of[options["a"]], rule="programme the change to start 2 h before the effect is wanted",
        source=_SOURCE, options=shuffled,
        slips={
            key_of[options["b"]]: Slip("no_lead", "", "A rate change needs time to work: start it 2 h before the "
                                       "effect is wanted.", _SOURCE),
            key_of[options["c"]]: Slip("infusion_onset", "", "6–8 h is the onset when continuous infusion is "
                                       "first started; for a rate change the labels give 2 h.", _SOURCE),
            key_of[options["d"]]: Slip("after", "", "That is after the effect is wanted.", _SOURCE),
        },
        hints=("The labels give a lead time for programmed changes in flex mode.",),
    )
    story = (f"Continuous infusion of **{fmt(daily)}**. Spasms wake the patient at night, so the hourly rate is "
             f"raised by **20 %** for **{fmt(hours)}** each night, the rest of the day unchanged.")
    given = {"daily_dose": daily, "boost_hours": hours, "boost": _BOOST, "effect_wanted_hour": wanted}
    return Variant(patient, situation, story, given, (rate, day_total, when))
