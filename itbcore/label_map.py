"""The label map: every section of the three product texts, what the suite teaches from it, or why not.

For training only, not for treating patients.

:data:`LABEL_MAP` holds, for each label key, an ordered tuple of :class:`LabelSection`: the citation the
suite uses (``"lionova 4.6"``, ``"lioresal Pregnancy and lactation"``, ``"baclorex 2"``), the heading in
English, the suite's own short summary (never the label's text), what teaches it (``taught_in``: rule,
finding or action codes, ``app:<notebook>`` and ``exercise:<id>``) and, when nothing does, the reason.
:func:`cited_sections` splits any ``.source`` string into the sections it names, so the tests can check
that every citation of the suite names a section in the map.

>>> LABEL_MAP["lionova"][0].section
'lionova 2'
>>> [s.section for s in cited_sections("lionova 4.2, 6.6; lioresal Dosing: re-fill; practice guidance: x")]
['lionova 4.2', 'lionova 6.6', 'lioresal Dosing: re-fill']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import LabelError
from .i18n import N_

__all__ = ["LabelSection", "LABEL_MAP", "section", "cited_sections", "citation_parts"]


@dataclass(frozen=True)
class LabelSection:
    """One section (or heading) of a product text and what the suite does with it."""

    section: str
    title: str
    summary: str
    taught_in: tuple[str, ...] = ()
    reason: str = ""

    @property
    def label(self) -> str:
        return self.section.split(" ", 1)[0]


def _s(section: str, title: str, summary: str, *taught_in: str, reason: str = "") -> LabelSection:
    return LabelSection(section, title, summary, tuple(taught_in), reason)


_NOT_CLINICAL = N_("administrative: it changes nothing a clinician does")

LABEL_MAP: dict[str, tuple[LabelSection, ...]] = {
    "lionova": (
        _s(
            "lionova 2",
            N_("Qualitative and quantitative composition"),
            N_(
                "Three strengths, 50 µg/mL (1 mL ampoule), 500 µg/mL (20 mL) and 2000 µg/mL (5 mL), with the sodium "
                "each ampoule carries."
            ),
            "app:units",
            "app:maintenance",
            "exercise:ampoules_sodium",
        ),
        _s(
            "lionova 3",
            N_("Pharmaceutical form"),
            N_(
                "A clear, colourless solution for intrathecal injection or infusion, pH 5.0–7.0 (4.2 adds: stable, "
                "isotonic, free of pyrogens and antioxidants)."
            ),
            "app:product_information",
            "SOLUTION",
        ),
        _s(
            "lionova 4.1",
            N_("Therapeutic indications"),
            N_(
                "Severe chronic spasticity of spinal or cerebral origin in adults and children from 4 years that "
                "does not respond to, or is not tolerated with, oral antispastics."
            ),
            "app:screening",
            "under_4",
        ),
        _s(
            "lionova 4.2",
            N_("Posology and method of administration"),
            N_(
                "Screening with 25–50 µg test boluses up to 100 µg, titration in daily steps by origin, maintenance "
                "ranges, flex dosing, refills, the drug holiday and gradual discontinuation; intrathecal use only."
            ),
            "app:screening",
            "app:titration",
            "app:maintenance",
            "exercise:test_bolus_volume",
            "exercise:titration_increase",
            "exercise:initial_daily_dose",
            "increase_above_band",
            "abrupt_stop",
            "route_intrathecal_only",
            "compatible_pump_with_filter",
            "arachnoiditis_imaging",
            "child_body_size",
        ),
        _s(
            "lionova 4.3",
            N_("Contraindications"),
            N_("Hypersensitivity to baclofen and treatment-resistant epilepsy."),
            "contraindication_hypersensitivity",
            "contraindication_treatment_resistant_epilepsy",
            "app:screening",
        ),
        _s(
            "lionova 4.4",
            N_("Special warnings and precautions"),
            N_(
                "Refill and catheter-access-port hazards, withdrawal on interruption, the catheter-tip inflammatory "
                "mass, scoliosis, the caution list (epilepsy, psychosis, autonomic dysreflexia, renal impairment …)."
            ),
            "observe_after_refill",
            "catheter_access_port",
            "inflammatory_mass",
            "app:withdrawal",
            "exercise:withdrawal_call",
            "exercise:refill_dates",
            "exercise:loss_of_effect",
            "exercise:which_syndrome",
        ),
        _s(
            "lionova 4.5",
            N_("Interactions"),
            N_(
                "CNS depressants, tricyclics, antihypertensives, levodopa/carbidopa, morphine and anaesthetics add to "
                "or change baclofen's effects; concurrent oral relaxants are stopped before, never suddenly during."
            ),
            "interaction_morphine",
            "interaction_oral_baclofen",
            "interaction_other_intrathecal",
            "app:screening",
            "exercise:interaction_decision",
        ),
        _s(
            "lionova 4.6",
            N_("Fertility, pregnancy and breast-feeding"),
            N_(
                "Use in pregnancy only if the expected benefit for the mother outweighs the possible risk to the "
                "child; it can be used while breast-feeding (clinically relevant levels in milk are not expected); "
                "no effect on fertility is expected."
            ),
            "pregnancy",
            "breast_feeding",
            "fertility",
            "app:product_information",
        ),
        _s(
            "lionova 4.7",
            N_("Effects on ability to drive and use machines"),
            N_("Drowsiness and dizziness can impair driving; patients are told so."),
            "driving",
            "app:product_information",
        ),
        _s(
            "lionova 4.8",
            N_("Undesirable effects"),
            N_(
                "A table by system and frequency: somnolence and hypotonia very common; seizures, headache and urinary "
                "retention common (more often with cerebral origin); device events listed without a frequency; ovarian "
                "cysts in about 5 % of patients with multiple sclerosis on oral baclofen (human data)."
            ),
            "ADVERSE_EFFECTS",
            "ovarian_cysts",
            "app:product_information",
            "exercise:which_syndrome",
        ),
        _s(
            "lionova 4.9",
            N_("Overdose"),
            N_(
                "Signs from drowsiness to respiratory depression and coma; admit, empty the pump, intubate if "
                "needed, drain 30–40 mL CSF if lumbar puncture is possible, support the circulation, diazepam for "
                "seizures; no antidote."
            ),
            "app:overdose",
            "exercise:overdose_management",
            "exercise:which_syndrome",
            "empty_pump",
            "intubate",
        ),
        _s(
            "lionova 5.1",
            N_("Pharmacodynamic properties"),
            N_(
                "A GABA-B agonist acting at the spinal cord; a bolus acts within ½–1 h, peaks at about 4 h and lasts "
                "4–8 h; an infusion acts after 6–8 h, fully after 24–48 h."
            ),
            "app:screening",
            "app:titration",
        ),
        _s(
            "lionova 5.2",
            N_("Pharmacokinetic properties"),
            N_(
                "CSF volume of distribution 22–157 mL (about 75), clearance about 30 mL/h, half-life 1–5 h, steady "
                "state 130–1240 ng/mL within 1–2 days, a lumbar-to-cisternal gradient."
            ),
            "app:pk",
            "exercise:csf_half_life",
        ),
        _s(
            "lionova 5.3",
            N_("Preclinical safety data"),
            N_(
                "Animal findings: local tolerance, no genotoxicity, a dose-dependent rise in ovarian cysts in a 2-year "
                "rat study, reproductive toxicity (the human ovarian-cyst figure is in 4.8)."
            ),
            reason=N_("animal data: no rule a clinician applies"),
        ),
        _s(
            "lionova 6.1",
            N_("List of excipients"),
            N_("Sodium chloride and water for injections."),
            "app:product_information",
        ),
        _s(
            "lionova 6.2",
            N_("Incompatibilities"),
            N_("Do not mix with other solutions; glucose is incompatible; dilute with sodium chloride 0.9 % only."),
            "app:maintenance",
            "exercise:dilution",
        ),
        _s(
            "lionova 6.3",
            N_("Shelf life"),
            N_(
                "3 years (1 mL and 5 mL ampoules), 4 years (20 mL); use at once after opening; no stability period in "
                "the pump is stated."
            ),
            "stability_not_stated",
            "app:maintenance",
            "app:product_information",
            "exercise:solution_inspection",
        ),
        _s(
            "lionova 6.4",
            N_("Special precautions for storage"),
            N_("No special storage conditions (after opening: see 6.3)."),
            "storage",
            "app:product_information",
            "exercise:solution_inspection",
        ),
        _s(
            "lionova 6.5",
            N_("Nature and contents of container"),
            N_("Glass ampoules of 1, 20 and 5 mL."),
            "app:units",
            "exercise:ampoules_sodium",
        ),
        _s(
            "lionova 6.6",
            N_("Special precautions for disposal and handling"),
            N_(
                "Intrathecal injection or continuous infusion; single use; other concentrations are made by diluting "
                "aseptically with sodium chloride 0.9 % only (the inspection for particles is lioresal's and "
                "baclorex's)."
            ),
            "inspect_solution",
            "diluent_nacl_only",
            "app:maintenance",
            "exercise:dilution",
            "exercise:solution_inspection",
        ),
        _s("lionova 7", N_("Marketing authorisation holder"), "", reason=_NOT_CLINICAL),
        _s("lionova 8", N_("Marketing authorisation number"), "", reason=_NOT_CLINICAL),
        _s("lionova 9", N_("Date of first authorisation / renewal"), "", reason=_NOT_CLINICAL),
        _s("lionova 10", N_("Date of revision of the text"), "", reason=_NOT_CLINICAL),
    ),
    "lioresal": (
        _s(
            "lioresal Composition",
            N_("Composition"),
            N_("Baclofen 50 µg, 500 µg or 2000 µg per mL with sodium chloride 9 mg per mL."),
            "app:units",
        ),
        _s(
            "lioresal Dosage form",
            N_("Dosage form"),
            N_("A solution for intrathecal administration."),
            "app:product_information",
        ),
        _s(
            "lioresal Pharmacotherapeutic group",
            N_("Pharmacotherapeutic group"),
            N_("A centrally acting muscle relaxant."),
            "app:product_information",
        ),
        _s(
            "lioresal Pharmacodynamics",
            N_("Pharmacodynamics"),
            N_("Acts on the spinal cord; onset, peak and duration of a bolus and of an infusion."),
            "app:screening",
        ),
        _s(
            "lioresal Pharmacokinetics",
            N_("Pharmacokinetics"),
            N_("CSF distribution and clearance as in lionova 5.2; no mean volume stated."),
            "app:pk",
        ),
        _s(
            "lioresal Indications",
            N_("Indications"),
            N_("Severe spasticity of spinal or cerebral origin."),
            "app:screening",
        ),
        _s(
            "lioresal Contraindications",
            N_("Contraindications"),
            N_("Hypersensitivity and age under 4 years (epilepsy is not listed here)."),
            "under_4",
            "contraindication_hypersensitivity",
        ),
        _s(
            "lioresal Carefully",
            N_("With caution"),
            N_(
                "Impaired CSF flow, psychosis, epilepsy, dysreflexia, renal impairment, diabetes; limited data under "
                "6 years; older patients tolerate it like younger ones with individual dosing."
            ),
            "caution_diabetes",
            "older_patient",
            "limited_data_under_6",
        ),
        _s(
            "lioresal Pregnancy and lactation",
            N_("Pregnancy and lactation"),
            N_("Use in pregnancy only when the benefit outweighs the risk; breast-feeding and fertility data."),
            "pregnancy",
            "breast_feeding",
            "fertility",
            "app:product_information",
        ),
        _s(
            "lioresal Dosing and Administration",
            N_("Dosing and administration (general)"),
            N_(
                "Specialist care, resuscitation at hand, the 1-year wait after head injury; a solution that has "
                "changed colour or holds particles is not used."
            ),
            "head_injury_under_1_year",
            "inspect_solution",
            "app:screening",
        ),
        _s(
            "lioresal Dosing: initial phase",
            N_("Dosing: initial phase"),
            N_("Test boluses of 25 or 50 µg, raised by 25 µg every 24 h up to 100 µg."),
            "app:screening",
            "exercise:screening_next_step",
        ),
        _s(
            "lioresal Dosing: phase of dose selection",
            N_("Dosing: phase of dose selection"),
            N_("The first daily dose from the test dose and its duration; daily increases by origin and age."),
            "app:titration",
            "exercise:titration_violation",
        ),
        _s(
            "lioresal Dosing: supportive therapy",
            N_("Dosing: supportive therapy"),
            N_("Maintenance ranges, adjustments, and the 12–2003 µg/day range as a maintenance range."),
            "app:maintenance",
            "app:titration",
        ),
        _s(
            "lioresal Dosing: mode of infusion",
            N_("Dosing: mode of infusion"),
            N_("Continuous or more complex (flex) delivery once stable."),
            "app:maintenance",
            "exercise:flex_dosing",
        ),
        _s(
            "lioresal Dosing: re-fill",
            N_("Dosing: re-fill"),
            N_("Refill before the reservoir empties; care with the catheter access port."),
            "app:maintenance",
            "exercise:refill_dates",
        ),
        _s(
            "lioresal Dosing: discontinuation of treatment",
            N_("Dosing: discontinuation of treatment"),
            N_("Never stop abruptly; the signs and treatment of withdrawal."),
            "app:withdrawal",
            "exercise:withdrawal_call",
        ),
        _s(
            "lioresal Stability of the drug",
            N_("Stability of the drug"),
            N_("Stable for 11 weeks in a SynchroMed pump."),
            "stability_cap",
            "app:maintenance",
        ),
        _s(
            "lioresal Instructions for use of the infusion system",
            N_("Instructions for use of the infusion system"),
            N_("Follow the pump manufacturer's instructions."),
            "app:maintenance",
        ),
        _s(
            "lioresal Side effects",
            N_("Side effects"),
            N_(
                "Frequencies from clinical studies (very often: drowsiness, headache, seizures, urinary retention, "
                "hypotonia; hypotension 37.4 % filed under 'often'), post-marketing effects of unknown frequency and "
                "device-related events."
            ),
            "ADVERSE_EFFECTS",
            "app:product_information",
            "exercise:which_syndrome",
        ),
        _s(
            "lioresal Overdose",
            N_("Overdose"),
            N_("Signs and supportive treatment, and physostigmine for adults and children."),
            "app:overdose",
            "physostigmine",
        ),
        _s(
            "lioresal Interaction",
            N_("Interaction"),
            N_("Drug interactions, as lionova 4.5."),
            "app:screening",
            "exercise:interaction_decision",
        ),
        _s(
            "lioresal Special instructions",
            N_("Special instructions"),
            N_("Medical supervision and resuscitation equipment for screening and titration; respiratory risk."),
            "app:screening",
        ),
        _s(
            "lioresal Use in specific patient categories",
            N_("Use in specific patient categories"),
            N_("Children, older patients, renal impairment."),
            "app:product_information",
        ),
        _s(
            "lioresal Effect on the ability to drive",
            N_("Effect on the ability to drive"),
            N_("Drowsiness may impair driving."),
            "driving",
            "app:product_information",
        ),
        _s("lioresal Packaging", N_("Packaging"), N_("Ampoules and cartons."), "app:units"),
        _s(
            "lioresal Storage conditions",
            N_("Storage conditions"),
            N_("At no more than 30 °C; do not freeze or heat-sterilise; keep out of the reach of children."),
            "storage",
            "app:product_information",
            "exercise:solution_inspection",
        ),
        _s(
            "lioresal Shelf life",
            N_("Shelf life"),
            N_("3 years; do not use after the expiry date."),
            "app:product_information",
        ),
        _s("lioresal Manufacturer", N_("Manufacturer"), "", reason=_NOT_CLINICAL),
    ),
    "baclorex": (
        _s(
            "baclorex 1",
            N_("What Baclorex is and what it is used for"),
            N_("A 0.05 mg/mL solution for the intrathecal test dose, for adults and children from 4 years."),
            "app:screening",
        ),
        _s(
            "baclorex 2",
            N_("Before you use Baclorex"),
            N_(
                "Contraindications (hypersensitivity, treatment-resistant epilepsy), infection first, a PEG tube "
                "raises the infection risk in children, pregnancy (ovarian cysts in about 4 % of patients on oral "
                "baclofen: human data), driving; medicines to name (also those that affect the kidneys, epilepsy "
                "medicines, other injections into the spine)."
            ),
            "contraindication_treatment_resistant_epilepsy",
            "infection",
            "peg_tube",
            "ovarian_cysts",
            "app:product_information",
        ),
        _s(
            "baclorex 3",
            N_("How Baclorex is used"),
            N_(
                "The test dose and what overdose and withdrawal look like; a forgotten dose is not made up with a "
                "double dose."
            ),
            "app:overdose",
            "app:withdrawal",
            "no_double_dose",
        ),
        _s(
            "baclorex Seyreltme",
            N_("Dilution (part of section 3)"),
            N_("Dilute only with sodium chloride 0.9 %; the concentration depends on the daily dose and pump rate."),
            "app:maintenance",
            "exercise:dilution",
        ),
        _s(
            "baclorex 4",
            N_("Possible side effects"),
            N_(
                "Side effects by frequency in a patient's words (very common: feeling tired, sleepy and weak); device "
                "problems reported rarely."
            ),
            "ADVERSE_EFFECTS",
            "app:product_information",
        ),
        _s(
            "baclorex 5",
            N_("Storing Baclorex"),
            N_(
                "Below 30 °C, protected from heat; a diluted solution is used within 24 h; not after the expiry date "
                "or when the product or its pack looks damaged."
            ),
            "app:maintenance",
            "app:product_information",
            "exercise:solution_inspection",
        ),
    ),
}

_BY_SECTION = {s.section: s for entries in LABEL_MAP.values() for s in entries}


def section(citation: str) -> LabelSection:
    """The map entry of one citation (``"lionova 4.6"``)."""
    try:
        return _BY_SECTION[citation]
    except (KeyError, TypeError):
        raise LabelError(f"No section {citation!r} in the label map.") from None


def cited_sections(source: str) -> list[LabelSection]:
    """The label sections a ``.source`` string names, in order; practice guidance is left out.

    Parts are separated by ``;`` or ``,``; a part without a label key continues the label before it
    (``"lionova 4.2, 6.6"``); text after the section (``" (onset)"``, ``": the 2–4 weeks …"``) is ignored.

    Raises
    ------
    LabelError
        For a part that names a label but no section of the map.
    """
    return [s for _, s in citation_parts(source, strict=True) if s is not None]


_PIECES = re.compile(r"(\([^)]*\)|[;,])")


def citation_parts(source: str, strict: bool = False) -> list[tuple[str, LabelSection | None]]:
    """``source`` cut into consecutive pieces, each with the section it names (or None).

    Joining the pieces' text gives ``source`` back, so an app can link each citation where it stands
    (``"lionova 4.2, 6.6"`` → ``lionova 4.2`` → 4.2, ``", "``, ``" 6.6"`` → 6.6). Remarks in parentheses
    and practice guidance name no section. A piece that names a label but no section of the map is
    returned without one, or raises :class:`LabelError` when ``strict``.

    >>> [(t, s and s.section) for t, s in citation_parts("lionova 4.2 (onset), 6.6")]
    [('lionova 4.2 ', 'lionova 4.2'), ('(onset)', None), (',', None), (' 6.6', 'lionova 6.6')]
    """
    out: list[tuple[str, LabelSection | None]] = []
    label: str | None = None
    for piece in _PIECES.split(str(source)):
        if not piece:
            continue
        token = piece.strip()
        if piece == ";":
            label = None
        if not token or piece in ";," or piece.startswith("("):
            out.append((piece, None))
            continue
        key = token.split(" ", 1)[0]
        if token.startswith("practice guidance"):
            label, rest = None, None
        elif key in LABEL_MAP:
            label, rest = key, token
        elif label is not None:
            rest = f"{label} {token}"
        else:
            rest = None  # prose after a practice citation
        found = _longest(rest) if rest is not None else None
        if rest is not None and found is None and strict:
            raise LabelError(f"The citation {token!r} in {source!r} names no section of the label map.")
        out.append((piece, found))
    return out


def _longest(text: str) -> LabelSection | None:
    best = None
    for name, entry in _BY_SECTION.items():
        if (text == name or (text.startswith(name) and text[len(name)] in " (:")) and (
            best is None or len(name) > len(best.section)
        ):
            best = entry
    return best
