"""Exercise ``dilution``: stock and diluent volumes for a lower concentration, and the only allowed diluent.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import formulations, pump
from itbcore.errors import DiluentError
from itbcore.units import fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2, 6.6; lioresal Dosing and Administration"
#: Diluents a trainee might reach for; itbcore.formulations.check_diluent decides which one is allowed.
_DILUENTS = (
    N_("sodium chloride 9 mg/mL (0.9 %)"),
    N_("glucose 5 %"),
    N_("water for injections"),
    N_("Ringer's lactate"),
)


@exercise(
    "dilution",
    N_("Dilution: volumes of stock and diluent"),
    N_("Stock and diluent volumes for a target concentration, and the only diluent the labels allow."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("refill_dilution")
    patient = draw.patient()
    stock = draw.quantity(situation, "stock", "ug/mL")
    target = draw.quantity(situation, f"target_{int(stock.magnitude)}", "ug/mL")
    volume = draw.quantity(situation, "final_volume", "mL")
    d = pump.dilution(stock, target, volume)  # every expected answer through itbcore
    inverse = (volume * (stock / target)).to("mL")
    stock_part = QuantityPart(
        "stock_volume",
        message("How many mL of the {stock} stock do you draw up?", stock=fmt(stock)),
        d.stock_volume,
        unit="mL",
        rtol=0.02,
        rule=_("stock volume = final volume × target ÷ stock (C1·V1 = C2·V2)"),
        source=_SOURCE,
        slips=(
            Slip(
                "inverted_ratio",
                inverse,
                _(
                    "You multiplied by stock ÷ target: the stock volume must be smaller than the final volume, "
                    "since dilution lowers the concentration."
                ),
                _SOURCE,
            ),
            Slip(
                "diluent_for_stock",
                d.diluent_volume,
                _(
                    "That is the diluent volume; the stock volume is the part that carries the baclofen (final "
                    "volume × target ÷ stock)."
                ),
                _SOURCE,
            ),
        ),
        hints=(
            _("The baclofen in the final volume all comes from the stock."),
            message(
                "Baclofen needed = {target} × {volume}; divide by the stock concentration.",
                target=fmt(target),
                volume=fmt(volume),
            ),
        ),
    )
    diluent_part = QuantityPart(
        "diluent_volume",
        _("How many mL of diluent do you add?"),
        d.diluent_volume,
        unit="mL",
        rtol=0.02,
        rule=_("diluent volume = final volume − stock volume"),
        source=_SOURCE,
        slips=(
            Slip(
                "stock_for_diluent",
                d.stock_volume,
                _("That is the stock volume; the diluent makes up the rest of the final volume."),
                _SOURCE,
            ),
            Slip(
                "whole_volume",
                volume,
                message(
                    "Adding the whole final volume of diluent would give more than {volume}: subtract the stock "
                    "volume.",
                    volume=fmt(volume),
                ),
                _SOURCE,
            ),
        ),
        hints=(_("Stock and diluent together make the final volume."),),
    )
    shown = draw.shuffled(_DILUENTS)
    options = dict(zip("abcd", shown, strict=False))
    slips, right = {}, None
    for key, name in options.items():
        try:
            formulations.check_diluent(name)
            right = key
        except DiluentError as exc:  # itbcore words the refusal with its source (lionova 6.2, 6.6)
            slips[key] = Slip("glucose" if "glucose" in name else "other_solution", "", str(exc), "lionova 6.2, 6.6")
    diluent = ChoicePart(
        "diluent",
        _("Which diluent do you use?"),
        right,
        rule=_(
            "dilute only with sodium chloride 9 mg/mL (0.9 %), under aseptic conditions; baclofen is "
            "incompatible with glucose and is never mixed with other solutions"
        ),
        source="lionova 4.2, 6.2, 6.6",
        options={key: _(name) for key, name in options.items()},
        slips=slips,
        hints=(
            _("Only one diluent is named by the labels."),
            _("Glucose is incompatible with baclofen (lionova 6.2)."),
        ),
    )
    story = message(
        "The prescription asks for **{volume}** of **{target}** intrathecal baclofen. On the shelf: the "
        "**{stock}** strength. Prepare it by dilution.",
        volume=fmt(volume),
        target=fmt(target),
        stock=fmt(stock),
    )
    given = {"stock": stock, "target": target, "final_volume": volume}
    return Variant(patient, situation, story, given, (stock_part, diluent_part, diluent))
