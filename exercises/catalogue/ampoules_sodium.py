"""Exercise ``ampoules_sodium``: ampoules to open for a pump fill, and the sodium the fill contains.

For training only, not for treating patients.
"""

from __future__ import annotations

import math

from itbcore import formulations
from itbcore.i18n import format_number
from itbcore.units import Q_, fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message, ngettext

_SOURCE = "lionova 2, 6.3, 6.6; lioresal Composition"


@exercise(
    "ampoules_sodium",
    N_("Preparing a fill: ampoules and sodium"),
    N_("Whole ampoules to open for a pump fill, and the sodium load of the fill in mg and mmol."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_preparation")
    patient = draw.patient()
    target = draw.quantity(situation, "target", "ug/mL")
    volume = draw.quantity(situation, "fill_volume", "mL")
    fill = formulations.ampoules_for_fill(target, volume)  # the lowest pump strength at or above the target
    amp = fill.stock
    n = fill.ampoules
    # slips: the exact number of ampoules' worth without rounding up, or counting in the other strength
    fraction = float((fill.stock_volume / amp.ampoule_volume).to("").magnitude)
    top = max(n + 2, 4)
    options = {
        str(k): ngettext("{count} ampoule of {concentration}", "{count} ampoules of {concentration}", k).format(
            count=k, concentration=fmt(amp.concentration)
        )
        for k in range(1, top + 1)
    }
    count_slips = {}
    if math.floor(fraction) >= 1 and math.floor(fraction) != n:
        count_slips[str(math.floor(fraction))] = Slip(
            "rounded_down",
            "",
            message(
                "{stock_volume} of stock is {fraction} ampoules' worth: you cannot draw part of an ampoule you "
                "have not opened, so round up to whole ampoules.",
                stock_volume=fmt(fill.stock_volume),
                fraction=format_number(fraction, 2),
            ),
            _SOURCE,
        )
    undiluted = math.ceil(float((volume / amp.ampoule_volume).to("").magnitude) - 1e-9)
    if undiluted != n and str(undiluted) in options:
        count_slips[str(undiluted)] = Slip(
            "no_dilution",
            "",
            message(
                "That fills all {volume} with stock; only {stock_volume} of stock is needed, the rest is sodium "
                "chloride 0.9 %.",
                volume=fmt(volume),
                stock_volume=fmt(fill.stock_volume),
            ),
            _SOURCE,
        )
    ampoules = ChoicePart(
        "ampoules",
        message(
            "How many ampoules of {concentration} ({ampoule_volume} each) do you open?",
            concentration=fmt(amp.concentration),
            ampoule_volume=fmt(amp.ampoule_volume),
        ),
        str(n),
        rule=_("whole ampoules covering the stock volume (final volume × target ÷ stock); each is single use"),
        source=_SOURCE,
        options=options,
        slips=count_slips,
        hints=(
            _("First find the stock volume: final volume × target ÷ stock."),
            message(
                "Each ampoule holds {ampoule_volume}; an opened ampoule is used at once and the rest discarded, "
                "so round up.",
                ampoule_volume=fmt(amp.ampoule_volume),
            ),
        ),
    )
    opened_na = (amp.sodium_per_ampoule * n).to("mg")
    diluted = fill.diluent_volume.magnitude > 0
    na_slips = [
        Slip(
            "whole_ampoules",
            opened_na + (fill.sodium - amp.sodium_per_ampoule * (fill.stock_volume / amp.ampoule_volume).to("")),
            _(
                "You counted the sodium of whole ampoules, but only the volume drawn goes into the pump; the "
                "rest is discarded."
            ),
            _SOURCE,
        )
    ]
    if diluted:
        na_slips.append(
            Slip(
                "forgot_diluent",
                (amp.sodium_per_ampoule * (fill.stock_volume / amp.ampoule_volume).to("")).to("mg"),
                _("The diluent is sodium chloride 9 mg/mL (0.9 %): it carries sodium too."),
                "lionova 6.6",
            )
        )
    na_slips.append(
        Slip(
            "nacl_not_sodium",
            Q_(9 * float(volume.magnitude), "mg"),
            _("That is the sodium chloride (9 mg/mL), not the sodium it contains."),
            _SOURCE,
        )
    )
    sodium = QuantityPart(
        "sodium",
        _("How much sodium (mg) does the fill contain?"),
        fill.sodium,
        unit="mg",
        rtol=0.02,
        rule=_("sodium = label sodium per ampoule × fraction of an ampoule drawn + sodium of the diluent"),
        source=_SOURCE,
        slips=tuple(na_slips),
        hints=(
            message(
                "The label gives {sodium_per_ampoule} sodium per {ampoule_volume} ampoule.",
                sodium_per_ampoule=fmt(amp.sodium_per_ampoule),
                ampoule_volume=fmt(amp.ampoule_volume),
            ),
            _("Count only what goes into the pump, and the diluent's sodium (9 mg NaCl per mL)."),
        ),
    )
    mmol = QuantityPart(
        "sodium_mmol",
        _("The same sodium in mmol?"),
        fill.sodium_mmol,
        unit="mmol",
        rtol=0.03,
        rule=_("sodium (mmol) = label mmol per ampoule × fraction drawn + mmol of the diluent"),
        source=_SOURCE,
        slips=(
            Slip(
                "mg_as_mmol",
                Q_(float(fill.sodium.to("mg").magnitude), "mmol"),
                _("That is the number of mg written as mmol: 1 mmol of sodium weighs about 23 mg."),
                _SOURCE,
            ),
        ),
        hints=(
            message(
                "The label gives {sodium_mmol_per_ampoule} per ampoule.",
                sodium_mmol_per_ampoule=fmt(amp.sodium_mmol_per_ampoule),
            ),
        ),
    )
    dilution = _("by dilution with sodium chloride 0.9 %") if diluted else _("undiluted")
    story = message(
        "The prescription asks for **{volume}** of **{target}** ({dilution} if needed). Stock: "
        "**{concentration}**, {ampoule_volume} ampoules ({sodium_per_ampoule} = "
        "{sodium_mmol_per_ampoule} sodium each).",
        volume=fmt(volume),
        target=fmt(target),
        dilution=dilution,
        concentration=fmt(amp.concentration),
        ampoule_volume=fmt(amp.ampoule_volume),
        sodium_per_ampoule=fmt(amp.sodium_per_ampoule),
        sodium_mmol_per_ampoule=fmt(amp.sodium_mmol_per_ampoule),
    )
    given = {"target": target, "fill_volume": volume, "stock": amp.concentration}
    return Variant(patient, situation, story, given, (ampoules, sodium, mmol))
