"""Exercise ``solution_inspection``: inspect the solution and the diluent, and store it as the label says.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import formulations
from itbcore.errors import DiluentError
from itbcore.screening import before_first_fill
from itbcore.sources import LABEL_DIFFERENCES

from ..checking import ChoicePart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

#: What the nurse finds, and the checklist item of the core that decides it (None: nothing fails).
_FINDINGS = {
    "particles": (N_("one ampoule shows small particles when held to the light"), "inspect_solution"),
    "cloudy": (N_("one ampoule is cloudy and slightly yellow"), "inspect_solution"),
    "opened_yesterday": (N_("an ampoule opened yesterday and kept in the fridge is left over"), "inspect_solution"),
    "glucose": (N_("the diluent sent is glucose 5 %"), "diluent_nacl_only"),
    "all_clear": (
        N_("the unopened ampoules are clear and colourless, and the diluent is sodium chloride 9 mg/mL (0.9 %)"),
        None,
    ),
}


@exercise(
    "solution_inspection",
    N_("Checking and storing the solution before a refill"),
    N_(
        "Decide what to do with what the ampoule check finds, and say how the label you work under "
        "wants the stock stored."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("ampoule_check")
    case = draw.patient(population="adult")
    found = draw.choice(sorted(_FINDINGS))
    text, item_code = _FINDINGS[found]
    text = _(text)
    checklist = {i.code: i for i in before_first_fill(case.to_patient())}
    item = checklist[item_code or "inspect_solution"]
    if found == "glucose":
        try:
            formulations.check_diluent("glucose 5 %")
        except DiluentError as refusal:  # the core refuses it; the message teaches why
            reason = str(refusal)
    else:
        reason = item.text
    options = {
        "discard": (
            _(
                "Do not use it: set it aside, use a fresh ampoule (or sodium chloride 0.9 % as the diluent) and "
                "report it"
            )
        ),
        "use": _("Use it as it is"),
        "use_filter": _("Use it anyway: the pump's bacterial filter will hold back anything in it"),
        "use_if_cold": _("Use it only if it has been kept cold since it was opened"),
    }
    keys = dict(zip(draw.shuffled(list(options)), "abcd", strict=False))
    choose = {keys[c]: options[c] for c in sorted(options, key=lambda c: keys[c])}
    if item_code is None:
        right = "use"
        slips = {
            keys["discard"]: Slip(
                "discarded_a_good_ampoule",
                "",
                message("Nothing here fails the inspection: {reason}", reason=reason),
                item.source,
            ),
            keys["use_filter"]: Slip(
                "leaned_on_the_filter",
                "",
                _("The solution passes the inspection on its own; the filter is no part of it."),
                item.source,
            ),
            keys["use_if_cold"]: Slip(
                "cold_chain_for_unopened",
                "",
                message("These ampoules are unopened; an opened ampoule is never kept ({reason})", reason=reason),
                item.source,
            ),
        }
    else:
        right = "discard"
        slips = {
            keys["use"]: Slip(
                "used_a_failed_solution", "", message("This fails the check: {reason}", reason=reason), item.source
            ),
            keys["use_filter"]: Slip(
                "trusted_the_filter",
                "",
                message("The filter is not a licence to use a solution that fails inspection: {reason}", reason=reason),
                item.source,
            ),
            keys["use_if_cold"]: Slip(
                "kept_an_opened_ampoule",
                "",
                message("Each ampoule is single use: {reason}", reason=reason),
                item.source,
            ),
        }
    inspect = ChoicePart(
        "inspect",
        message("At the check, {finding}. What do you do?", finding=text),
        keys[right],
        rule=reason,
        source=item.source,
        options=choose,
        slips=slips,
        hints=(_("Clear, colourless, without particles; single use; sodium chloride 0.9 % only."),),
    )

    storage = next(d for d in LABEL_DIFFERENCES if d.code == "storage")
    label = draw.choice(sorted(storage.values))
    labels = draw.shuffled(sorted(storage.values))
    letters = dict(zip(labels, "abc", strict=False))
    store = ChoicePart(
        "storage",
        message("Your clinic works under the {label} text. How does it say the stock is stored?", label=label),
        letters[label],
        rule=f"{label}: {storage.values[label]}",
        source=storage.sources[label],
        options={letters[k]: storage.values[k] for k in sorted(labels, key=lambda k: letters[k])},
        slips={
            letters[k]: Slip(
                f"storage_of_{k}",
                "",
                message(
                    "That is what the {other} text says ({sources}); the labels differ here, and {label} is the one in "
                    "force.",
                    other=k,
                    sources=storage.sources[k],
                    label=label,
                ),
                storage.sources[k],
            )
            for k in labels
            if k != label
        },
        hints=(
            _("The three texts do not agree on storage: look for the one your clinic works under."),
            _(
                "The product-information app shows the three side by side (lionova 6.4, lioresal Storage "
                "conditions, baclorex 5)."
            ),
        ),
    )
    story = message(
        "Found at the check: **{finding}**. The clinic works under the **{label}** product text.",
        finding=text,
        label=label,
    )
    return Variant(case, situation, story, {"finding": found, "label": label}, (inspect, store))
