"""Exercise ``which_syndrome``: an adverse effect, an overdose or a withdrawal — and where the label says so.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import overdose, withdrawal
from itbcore.adverse_effects import effect as adverse_effect
from itbcore.i18n import gettext as core_gettext
from itbcore.label_map import cited_sections, section

from ..checking import ChoicePart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

#: Signs that belong to one picture only (none of them is listed in the other two).
_OVERDOSE = ("hypersalivation", "loss_of_consciousness", "apnea")
_WITHDRAWAL = ("pruritus", "high_fever", "rebound_spasticity", "spasticity_return")
#: Adverse-effect codes (itbcore.adverse_effects) that all three labels list.
_ADVERSE = ("urinary_retention", "headache", "blurred_vision", "depression")
_CONTEXT = {
    "overdose": N_("The pump was refilled this morning; the new programme was set from a prescription written in mg."),
    "withdrawal": N_("The refill date passed four days ago; the low-reservoir alarm has been sounding."),
    "adverse effect": N_("The dose has been the same for six months and the pump was checked last week."),
}
#: How each kind is named to the trainee (translated where it is shown).
_KIND_TEXT = {"overdose": N_("overdose"), "withdrawal": N_("withdrawal"), "adverse effect": N_("adverse effect")}
_TOPIC = {"overdose": "lionova 4.9", "withdrawal": "lionova 4.4", "adverse effect": "lionova 4.8"}


def _first_section(source: str) -> str:
    return cited_sections(source)[0].section


def _slip_code(citation: str) -> str:
    return "section_" + citation.split(" ", 1)[1].replace(" ", "_").lower()


def _name(citation: str) -> str:
    title = section(citation).title  # a lioresal section's citation is its (English) heading
    return citation if citation.endswith(title) else f"{citation} — {core_gettext(title)}"


@exercise(
    "which_syndrome",
    N_("Adverse effect, overdose or withdrawal?"),
    N_(
        "Tell an expected adverse effect from an overdose and from a withdrawal by the signs and the "
        "story, and find the section of the product text that covers it."
    ),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("phone_triage")
    case = draw.patient(population="adult")
    kind = draw.choice(sorted(_CONTEXT))
    if kind == "overdose":
        signs = tuple(sorted(draw.rng.sample(_OVERDOSE, 2))) + ("hypotonia",)
        source = overdose.assess(signs).source
        shown = [overdose.SIGNS[s].text for s in signs]
    elif kind == "withdrawal":
        signs = tuple(sorted(draw.rng.sample(_WITHDRAWAL, 2)))
        source = withdrawal.assess(signs).source
        shown = [withdrawal.SIGNS[s].text for s in signs]
    else:
        effect = adverse_effect(draw.choice(_ADVERSE))
        signs, source, shown = (effect.effect,), effect.source, [effect.effect]
    where = _first_section(source)

    kinds = draw.shuffled(sorted(_CONTEXT))
    letters = dict(zip(kinds, "abc", strict=False))
    why = {
        "overdose": _(
            "An overdose follows a rise in delivered dose (a refill, a programming change) and depresses: "
            "drowsiness, hypotonia, hypersalivation, breathing, consciousness."
        ),
        "withdrawal": _(
            "A withdrawal follows an interruption (an empty reservoir, a catheter fault): spasticity "
            "returns, itching, fever, rebound spasms."
        ),
        "adverse effect": _(
            "An expected adverse effect comes at a steady, correct dose, without a change in delivery; the "
            "label lists it with its frequency."
        ),
    }
    which = ChoicePart(
        "which",
        _("Which is it?"),
        letters[kind],
        rule=message(
            "{signs} after: {context} → {kind}",
            signs="; ".join(shown),
            context=_(_CONTEXT[kind]),
            kind=_(_KIND_TEXT[kind]),
        ),
        source=source,
        options={letters[k]: _(_KIND_TEXT[k]) for k in sorted(kinds, key=lambda k: letters[k])},
        slips={
            letters[k]: Slip(
                f"took_it_for_{k.replace(' ', '_')}",
                "",
                message("{why} That is not this story.", why=why[k]),
                _TOPIC[k],
            )
            for k in kinds
            if k != kind
        },
        hints=(_("What changed in delivery before the signs began: more drug, less drug, or nothing?"),),
    )

    sections = draw.shuffled(sorted({*_TOPIC.values(), "lionova 4.3"}))
    sec_letters = dict(zip(sections, "abcd", strict=False))
    label_part = ChoicePart(
        "section",
        _("Which section of the product texts covers it?"),
        sec_letters[where],
        rule=f"{_(_KIND_TEXT[kind])} → {where} ({core_gettext(section(where).title)})",
        source=where,
        options={sec_letters[s]: _name(s) for s in sorted(sections, key=lambda s: sec_letters[s])},
        slips={
            sec_letters[s]: Slip(
                _slip_code(s),
                "",
                message(
                    "{section} is {title}; the {kind} is covered in {where}.",
                    section=s,
                    title=core_gettext(section(s).title).lower(),
                    kind=_(_KIND_TEXT[kind]),
                    where=where,
                ),
                s,
            )
            for s in sections
            if s != where
        },
        hints=(
            _(
                "In the SmPC: contraindications in lionova 4.3, warnings (withdrawal among them) in lionova "
                "4.4, overdose in lionova 4.9, side effects with their frequencies in lionova 4.8 (lioresal: "
                "Side effects)."
            ),
        ),
    )
    story = message("{context} The carer describes: **{signs}**.", context=_(_CONTEXT[kind]), signs=", ".join(shown))
    return Variant(case, situation, story, {"signs": signs}, (which, label_part))
