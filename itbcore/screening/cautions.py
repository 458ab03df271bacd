"""Before screening and the first fill: cautions, interactions, the checklist and the warnings.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.screening`; import from there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import InputError
from ..i18n import CORE, N_, gettext, message
from ..patient import CONDITIONS, MEDICINES, Patient, as_patient
from ..sources import DEFAULT_LABEL, Finding, SeverityName, check_rule_label, cite, most_severe_first
from .rules import _SCREENING_SECTION, OLDER_PATIENT_AGE, _src

__all__ = ["screening_warnings", "ChecklistItem", "before_first_fill", "Interaction", "INTERACTIONS"]


# lionova 4.4 caution list ("Baklofen må kun administreres med særlig forsiktighet hos pasienter med: …").
_CAUTION = (
    "impaired_csf_flow",
    "epilepsy",
    "bulbar_paresis",
    "confusion",
    "psychosis",
    "autonomic_dysreflexia_history",
    "cerebrovascular_insufficiency",
    "sphincter_hypertonia",
    "renal_impairment",
    "peptic_ulcer",
    "hepatic_impairment",
)

#: What lioresal says of each condition of lionova's caution list: (severity, text, section).  lioresal
#: "Carefully" names nine of them in its own words (and adds diabetes); it does not list bulbar paresis (its
#: "Special instructions" ask for close monitoring of breathing in respiratory muscle weakness during the test
#: dose) nor hepatic impairment (its "Dosing and Administration" says no dose change is needed in liver damage).
_LIORESAL_CAUTION: dict[str, tuple[SeverityName, str, str]] = {
    "impaired_csf_flow": (
        "warning",
        N_(
            "Impaired CSF flow: the antispastic effect may differ from that in patients "
            "with normal CSF flow, as baclofen spreads unevenly in the subarachnoid space"
        ),
        "Carefully",
    ),
    "epilepsy": (
        "warning",
        N_(
            "Epilepsy: particular attention, as seizures have occurred with overdose, during "
            "maintenance and after stopping"
        ),
        "Carefully",
    ),
    "bulbar_paresis": (
        "warning",
        N_(
            "Bulbar paresis or partial paralysis of the respiratory muscles: lioresal's caution "
            "list does not name it; with respiratory muscle weakness, breathing and heart must be monitored "
            "carefully during the first test dose (lionova 4.4 lists it for particular caution)"
        ),
        "Special instructions",
    ),
    "confusion": (
        "warning",
        N_("Confusion: use with caution and under careful observation, as it has worsened with oral baclofen"),
        "Carefully",
    ),
    "psychosis": (
        "warning",
        N_(
            "Mental disorders, schizophrenia or Parkinson's disease: use with caution and under "
            "careful observation, as they have worsened with oral baclofen"
        ),
        "Carefully",
    ),
    "autonomic_dysreflexia_history": (
        "warning",
        N_("History of autonomic dysreflexia: use with caution; pain or a sudden stop can provoke a crisis"),
        "Carefully",
    ),
    "cerebrovascular_insufficiency": (
        "warning",
        N_("Cerebrovascular or respiratory failure: use with caution, as baclofen may worsen it"),
        "Carefully",
    ),
    "sphincter_hypertonia": ("warning", N_("Hypertonic sphincters: care is needed"), "Carefully"),
    "renal_impairment": ("warning", N_("Impaired renal function: care is needed"), "Carefully"),
    "peptic_ulcer": (
        "warning",
        N_("Ulcers of the gastrointestinal tract (also in the history): care is needed"),
        "Carefully",
    ),
    "hepatic_impairment": (
        "info",
        N_(
            "Hepatic impairment: lioresal does not list it among its cautions; the liver plays "
            "no significant role in the metabolism of intrathecal baclofen, so no dose change is "
            "needed (lionova 4.4 asks for particular caution in severe hepatic impairment)"
        ),
        "Dosing and Administration",
    ),
}

# lionova 4.5 / lioresal Interaction: what each concurrent medicine adds (text shared by both labels).
_INTERACTIONS: dict[str, tuple[SeverityName, str, str]] = {
    "cns_depressant": (
        "warning",
        N_(
            "Alcohol and other CNS depressants (e.g. analgesics, neuroleptics, benzodiazepines, "
            "anxiolytics) and baclofen add to each other's effect on the CNS."
        ),
        "Interaction",
    ),
    "tricyclic_antidepressant": (
        "warning",
        N_("Tricyclic antidepressants may increase the effect of baclofen and cause marked muscle hypotonia."),
        "Interaction",
    ),
    "antihypertensive": (
        "warning",
        N_(
            "Antihypertensives may deepen a fall in blood pressure: monitor blood pressure "
            "and lower the antihypertensive dose if needed."
        ),
        "Interaction",
    ),
    "levodopa_carbidopa": (
        "warning",
        N_(
            "Levodopa/carbidopa raises the risk of visual hallucinations, confusion, "
            "headache and nausea; Parkinson's symptoms may worsen."
        ),
        "Interaction",
    ),
    "morphine": (
        "warning",
        N_(
            "Morphine with intrathecal baclofen caused hypotension in one patient; breathing and "
            "CNS depression cannot be ruled out."
        ),
        "Interaction",
    ),
    "general_anaesthetic": (
        "warning",
        N_("General anaesthetics (e.g. fentanyl, propofol) may raise the risk of cardiac disorders and seizures."),
        "Interaction",
    ),
}

#: Medicines only the baclorex leaflet names (baclorex 2, "Diğer ilaçlar ile birlikte kullanımı": "some medicines
#: can interfere with your treatment; remind your doctor or nurse"); lionova 4.5 and lioresal do not name them.
_BACLOREX_ONLY_INTERACTIONS: dict[str, str] = {
    "kidney_affecting": N_(
        "Other medicines that also affect the kidneys (such as ibuprofen) can interfere with the "
        "treatment: the patient should tell the doctor or nurse; lionova 4.5 and lioresal do not "
        "name them."
    ),
    "antiepileptic": N_(
        "Epilepsy medicines can interfere with the treatment: the patient should tell the doctor or "
        "nurse; lionova 4.5 and lioresal do not name them."
    ),
}

#: Other intrathecally given medicines, in each text's words (lionova 4.5; lioresal Interaction; baclorex 2).
_OTHER_INTRATHECAL: dict[str, tuple[str, str]] = {
    "lionova": (
        "4.5",
        N_("Other intrathecally given medicines: there is no information yet on their use together with baclofen"),
    ),
    "lioresal": (
        "Interaction",
        N_(
            "Other intrathecally given medicines: their use together with intrathecal baclofen "
            "has not been studied and the safety of the combination is not established"
        ),
    ),
    "baclorex": (
        "2",
        N_("the baclorex leaflet asks for care when the patient receives any other injection into the spine"),
    ),
}


@dataclass(frozen=True)
class Interaction:
    """What a concurrent medicine adds to intrathecal baclofen, and what to do about it."""

    medicine: str
    effect: str
    action: str
    source: str


_INTERACTION_ACTIONS = {
    "cns_depressant": N_(
        "watch for sedation; avoid alcohol in particular (lionova 4.5: its interactions are unpredictable)"
    ),
    "tricyclic_antidepressant": N_("watch muscle tone"),
    "antihypertensive": N_("monitor blood pressure; lower the antihypertensive if needed"),
    "levodopa_carbidopa": N_("watch for hallucinations and confusion"),
    "morphine": N_("monitor blood pressure, breathing and alertness"),
    "general_anaesthetic": N_("tell the anaesthetist; monitor heart rhythm and watch for seizures"),
    "kidney_affecting": N_("ask about them; the patient tells the doctor or nurse"),
    "antiepileptic": N_("ask about them; the patient tells the doctor or nurse"),
    "other_intrathecal": N_("use with care: the combination is not studied"),
}
#: Interactions as data: medicine code → effect → what to do (lionova 4.5; lioresal Interaction; baclorex 2).
#: ``effect`` and ``action`` are English msgids (marked where defined): show them with ``itbcore.i18n.gettext``.
INTERACTIONS: dict[str, Interaction] = {
    **{
        code: Interaction(
            code, text, _INTERACTION_ACTIONS[code], f"{cite('lionova', '4.5')}; {cite('lioresal', section)}"
        )
        for code, (_severity, text, section) in _INTERACTIONS.items()
    },
    **{
        code: Interaction(code, text, _INTERACTION_ACTIONS[code], cite("baclorex", "2"))
        for code, text in _BACLOREX_ONLY_INTERACTIONS.items()
    },
    "other_intrathecal": Interaction(
        "other_intrathecal",
        N_(
            "Other intrathecally given medicines: there is no information on their use with intrathecal baclofen "
            "and the safety of the combination is not established; the baclorex leaflet asks for care."
        ),
        _INTERACTION_ACTIONS["other_intrathecal"],
        f"{cite('lionova', '4.5')}; {cite('lioresal', 'Interaction')}; {cite('baclorex', '2')}",
    ),
}


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to confirm before the first fill of a pump, with the section that asks for it."""

    code: str
    text: str
    source: str
    applies: bool = True


def before_first_fill(
    patient: Patient, post_traumatic: bool = False, label: str = DEFAULT_LABEL
) -> tuple[ChecklistItem, ...]:
    """What to confirm before a pump is first filled (lionova 4.2, 4.4, 6.2, 6.3, 6.6; lioresal; baclorex 3, 5).

    Raises
    ------
    EligibilityError
        For a patient under 4 years (in :meth:`Patient.require_eligible`'s words).

    Raises :class:`~itbcore.errors.EligibilityError` for a patient the label does not cover (under 4 years, a
    contraindication), as every planning answer about a patient does.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> [i.code for i in before_first_fill(Patient(40, "spinal"), post_traumatic=True)][:3]
    ['route_intrathecal_only', 'compatible_pump_with_filter', 'arachnoiditis_imaging']
    """
    label = check_rule_label(label)
    # A first fill is ITB planning: a patient the label does not cover is refused, as titration_plan does.
    as_patient(patient).require_eligible(label)
    if not isinstance(post_traumatic, bool):
        raise InputError(f"post_traumatic must be True or False, not {post_traumatic!r}.")  # a programming error
    lio = label == "lionova"
    route = cite("lionova", "4.2") if lio else cite("lioresal", "Contraindications")
    # the citations the items name (codes of the labels' sections, not translated)
    child_src = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Carefully')}"
    particles_src = f"{cite('lioresal', 'Dosing and Administration')}; {cite('baclorex', '5')}"
    diluent_src = f"{cite('lionova', '6.2')}, {cite('lionova', '6.6')}"
    items = [
        ChecklistItem(
            "route_intrathecal_only",
            message(
                "The solution is for intrathecal use only: never intravenous, intramuscular, subcutaneous or "
                "epidural ({source}).",
                source=route,
            ),
            route,
        ),
        ChecklistItem(
            "compatible_pump_with_filter",
            gettext(
                "Use only a pump of materials shown to be compatible with the "
                "solution and with an integrated bacterial filter (lionova 4.2)."
            ),
            cite("lionova", "4.2"),
        ),
        ChecklistItem(
            "arachnoiditis_imaging",
            gettext(
                "Post-traumatic spasticity: image the subarachnoid space first; "
                "with radiological signs of arachnoiditis do not start (lionova 4.2)."
            ),
            cite("lionova", "4.2"),
            applies=post_traumatic,
        ),
        ChecklistItem(
            "child_body_size",
            message(
                "A child needs enough body size (weight) for an implanted pump ({source}).",
                source=child_src,
            ),
            child_src,
            applies=patient.population == "pediatric",
        ),
        ChecklistItem(
            "infection_free",
            gettext("The patient is free of infection (lionova 4.2, 4.4)."),
            f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}",
        ),
        ChecklistItem(
            "inspect_solution",
            message(
                "Inspect the solution: a clear, colourless solution ({source_clear}); do not use it if it has changed "
                "colour or holds particles ({source_particles}); each ampoule is for single use ({source_single}), "
                "used at once after opening ({source_opened}).",
                source_clear=cite("lionova", "3"),
                source_particles=particles_src,
                source_single=cite("lionova", "6.6"),
                source_opened=cite("lionova", "6.3"),
            ),
            f"{cite('lionova', '3')}, {cite('lionova', '6.3')}, {cite('lionova', '6.6')}; "
            f"{cite('lioresal', 'Dosing and Administration')}; {cite('baclorex', '5')}",
        ),
        ChecklistItem(
            "diluent_nacl_only",
            message(
                "If diluted: sodium chloride 9 mg/mL (0.9 %) only, never glucose ({source}).",
                source=diluent_src,
            ),
            diluent_src,
        ),
        # Each label says only its own: only lioresal forbids freezing (label_differences.toml: storage).
        ChecklistItem(
            "storage",
            gettext(
                "Stored as the label says (lionova: no special storage conditions; lioresal: at "
                "no more than 30 °C, not frozen, not heat-sterilised; baclorex: below 30 °C, protected from "
                "heat, a diluted solution used within 24 h)."
            ),
            f"{cite('lionova', '6.4')}; {cite('lioresal', 'Storage conditions')}; {cite('baclorex', '5')}",
        ),
        ChecklistItem(
            "resuscitation_ready",
            message("Resuscitation equipment and trained staff are at hand ({source}).", source=cite("lionova", "4.2")),
            cite("lionova", "4.2"),
        ),
        ChecklistItem(
            "no_double_dose",
            message(
                "The patient knows: a forgotten dose is never made up with a double dose; tell the doctor or nurse "
                "at once if a dose may have been missed ({source}).",
                source=cite("baclorex", "3"),
            ),
            cite("baclorex", "3"),
        ),
    ]
    return tuple(items)


@dataclass(frozen=True)
class _ConditionRule:
    """A condition whose finding cites each profile's own section, in that label's words."""

    code: str  # the finding's code
    severity: SeverityName
    sections: dict[str, str]  # label → section cited (a label missing here cites lionova's)
    text: str  # the finding, before its source
    texts: dict[str, str] = field(default_factory=dict)  # label → its own words, where they differ from ``text``


#: Condition code → its rule (screening_warnings takes them in the order it lists them).
_CONDITION_RULES: dict[str, _ConditionRule] = {
    # lionova 4.2: "Pasienten bør være infeksjonsfri før screening"; lioresal Dosing: initial phase.
    "infection": _ConditionRule(
        "infection",
        "violation",
        {"lionova": "4.2", "lioresal": _SCREENING_SECTION["lioresal"]},
        N_(
            "The patient must be free of infection before screening: a systemic infection can prevent an accurate "
            "assessment of the response"
        ),
    ),
    # lionova 4.4; lioresal Dosing and Administration: wait until spasticity is stable, ≥ 1 year after the trauma.
    "head_injury_under_1_year": _ConditionRule(
        "head_injury_under_1_year",
        "warning",
        {"lionova": "4.4", "lioresal": "Dosing and Administration"},
        N_(
            "Spasticity after a head injury: long-term intrathecal baclofen is not recommended until the spasticity "
            "is stable, at least 1 year after the trauma"
        ),
    ),
    # lionova 4.6: not during pregnancy unless the expected benefit outweighs the possible risk to the child;
    # lioresal Pregnancy and lactation: only if necessary.
    "pregnancy": _ConditionRule(
        "pregnancy",
        "warning",
        {"lionova": "4.6", "lioresal": "Pregnancy and lactation"},
        N_(
            "Pregnancy: data are limited and baclofen crosses the placenta; use only if the expected benefit for "
            "the mother outweighs the possible risk to the child"
        ),
        {
            "lioresal": N_(
                "Pregnancy: experience is limited and in animals baclofen crosses the placenta; use during "
                "pregnancy only if necessary"
            )
        },
    ),
    # lionova 4.6 "Fertilitet"; lioresal Pregnancy and lactation: "Fertility", and no special recommendations for
    # women planning a pregnancy.
    "planning_pregnancy": _ConditionRule(
        "fertility",
        "info",
        {"lionova": "4.6", "lioresal": "Pregnancy and lactation"},
        N_(
            "Fertility: animal studies show that intrathecal baclofen probably has no negative effect on fertility; "
            "there are no data for special recommendations to women who can become pregnant"
        ),
        {
            "lioresal": N_(
                "Fertility: from experimental data an effect of baclofen on fertility is unlikely; there are "
                "no "
                "special recommendations for women planning a pregnancy"
            )
        },
    ),
    # lionova 4.7: the ability to drive may be much reduced; the doctor reassesses it regularly.  lioresal "Effect on
    # the ability to drive": warn the patient to be careful when driving.
    "drives": _ConditionRule(
        "driving",
        "warning",
        {"lionova": "4.7", "lioresal": "Effect on the ability to drive"},
        N_(
            "Driving and machines: drowsiness, sedation and other effects can greatly reduce the ability to drive; "
            "advise against it when they occur and reassess it regularly"
        ),
        {
            "lioresal": N_(
                "Driving and machines: drowsiness, sedation, ataxia, hallucinations, diplopia and withdrawal "
                "signs have been reported; warn the patient to be careful when driving and in hazardous "
                "activities that need close attention"
            )
        },
    ),
    # lionova 4.4: onset or worsening of scoliosis is reported: watch for its signs (lioresal is silent).
    "scoliosis": _ConditionRule(
        "scoliosis",
        "warning",
        {"lionova": "4.4"},
        N_("Scoliosis can start or worsen during treatment: watch closely for its signs"),
        {
            "lioresal": N_(
                "Scoliosis can start or worsen during treatment: watch closely for its signs (lioresal does "
                "not mention it)"
            )
        },
    ),
}


#: Who is at higher risk of respiratory depression: (code, where the code is, the finding with its source).
_RESPIRATORY = (
    (
        "benzodiazepine",
        "medicines",
        N_(
            "The patient takes a benzodiazepine: higher risk of respiratory depression, so monitor breathing and "
            "heart function closely during screening ({source})."
        ),
    ),
    (
        "opiate",
        "medicines",
        N_(
            "The patient takes an opiate: higher risk of respiratory depression, so monitor breathing and heart "
            "function closely during screening ({source})."
        ),
    ),
    (
        "morphine",
        "medicines",
        N_(
            "The patient takes morphine (an opiate): higher risk of respiratory depression, so monitor breathing and "
            "heart function closely during screening ({source})."
        ),
    ),
    (
        "cardiopulmonary_disease",
        "conditions",
        N_(
            "The patient has cardiopulmonary disease: higher risk of respiratory depression, so monitor breathing and "
            "heart function closely during screening ({source})."
        ),
    ),
    (
        "respiratory_muscle_weakness",
        "conditions",
        N_(
            "The patient has respiratory muscle weakness: higher risk of respiratory depression, so monitor breathing "
            "and heart function closely during screening ({source})."
        ),
    ),
)


def _condition_findings(conds: Iterable[str], label: str, codes: Iterable[str]) -> list[Finding]:
    """The findings of :data:`_CONDITION_RULES` for those of ``codes`` the patient has."""
    out = []
    for code in codes:
        if code in conds:
            rule = _CONDITION_RULES[code]
            key = label if label in rule.sections else "lionova"
            src = cite(key, rule.sections[key])
            text = message("{text} ({source}).", text=gettext(rule.texts.get(label, rule.text)), source=src)
            out.append(Finding(rule.code, rule.severity, text, src))
    return out


def screening_warnings(patient: Patient, label: str = DEFAULT_LABEL) -> list[Finding]:
    """Everything about this patient that the screening team must act on or watch.

    Always: resuscitation equipment and trained staff at hand, variable sensitivity
    (coma after a single 25 µg test dose), 4–8 h observation after each bolus
    (lionova 4.2).  Then, from the patient's conditions and medicines: higher risk
    of respiratory depression (benzodiazepines, opiates, cardiopulmonary disease,
    respiratory muscle weakness: monitor breathing and heart), infection (be
    infection-free before screening), head injury less than 1 year ago (wait until
    spasticity is stable, at least 1 year), the caution list (lionova 4.4; lioresal
    "Carefully" in its own words, with diabetes and without hepatic impairment),
    interactions (lionova 4.5; lioresal Interaction; baclorex 2), pregnancy,
    breast-feeding and fertility (lionova 4.6), driving.  A contraindication gets a
    violation here rather than a refusal, so the whole picture can be shown; a
    patient under 4 years is refused, as every screening function refuses them.

    Parameters
    ----------
    patient : Patient
        Its age, conditions and medicines are read (codes of :data:`CONDITIONS` and :data:`MEDICINES`).
    label : {"lionova", "lioresal"}
        The profile whose sections are cited; where the labels disagree the finding says so.

    Returns
    -------
    list of Finding
        Most serious first (violation, warning, info).

    Raises
    ------
    EligibilityError
        For a patient under 4 years (in :meth:`Patient.require_eligible`'s words).

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> p = Patient(45, "spinal", medicines=["benzodiazepine"], conditions=["infection"])
    >>> [(f.code, f.severity) for f in screening_warnings(p)][:2]
    [('infection', 'violation'), ('respiratory_risk_benzodiazepine', 'warning')]
    >>> screening_warnings(p)[0].source
    'lionova 4.2'
    """
    label = check_rule_label(label)
    as_patient(patient).require_covered_age(label)
    lio = label == "lionova"
    out: list[Finding] = []
    meds, conds = patient.medicines, patient.conditions
    text: str  # a message made here, or a text of the tables above

    if "hypersensitivity" in conds:
        src = cite("lionova", "4.3") if lio else cite("lioresal", "Contraindications")
        out.append(
            Finding(
                "contraindication_hypersensitivity",
                "violation",
                message("Hypersensitivity to baclofen is a contraindication ({source}).", source=src),
                src,
            )
        )
    if "treatment_resistant_epilepsy" in conds:
        # lionova 4.3 and baclorex 2 list treatment-resistant epilepsy as a contraindication; lioresal does not
        # (its contraindications are hypersensitivity and age under 4) and asks for attention to epilepsy instead.
        src = f"{cite('lionova', '4.3')}; {cite('baclorex', '2')}"
        if lio:
            out.append(
                Finding(
                    "contraindication_treatment_resistant_epilepsy",
                    "violation",
                    message("Treatment-resistant epilepsy is a contraindication ({source}).", source=src),
                    src,
                )
            )
        else:
            out.append(
                Finding(
                    "contraindication_treatment_resistant_epilepsy",
                    "warning",
                    message(
                        "Treatment-resistant epilepsy: lioresal lists no such contraindication but asks for particular "
                        "attention to epilepsy ({source}); lionova 4.3 and baclorex 2 make it a contraindication.",
                        source=cite("lioresal", "Carefully"),
                    ),
                    f"{cite('lioresal', 'Carefully')}; {src}",
                )
            )
    out.extend(_condition_findings(conds, label, ("infection", "head_injury_under_1_year")))

    # lionova 4.2 and 4.5; lioresal Special instructions: higher risk of respiratory depression.
    resp_src = cite("lionova", "4.2") if lio else cite("lioresal", "Special instructions")
    for code, pool, template in _RESPIRATORY:
        if code in (meds if pool == "medicines" else conds):
            out.append(
                Finding(f"respiratory_risk_{code}", "warning", CORE.message(template, source=resp_src), resp_src)
            )

    for code in _CAUTION:
        if code in conds:
            if lio:
                src = cite("lionova", "4.4")
                text = message(
                    "Use with particular caution: {condition} ({source}).",
                    condition=gettext(CONDITIONS[code]),
                    source=src,
                )
            else:
                severity, words, section = _LIORESAL_CAUTION[code]
                src = cite("lioresal", section)
                out.append(
                    Finding(
                        f"caution_{code}", severity, message("{text} ({source}).", text=gettext(words), source=src), src
                    )
                )
                continue
            if code == "renal_impairment":
                # lionova 4.2 "Nedsatt nyrefunksjon": the dose may need to be reduced; 4.4: caution.
                src = f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"
                text = message(
                    "Renal impairment: the dose may need to be reduced for the clinical state and the degree of "
                    "renal impairment, and intrathecal baclofen is given with caution ({source}).",
                    source=src,
                )
            out.append(Finding(f"caution_{code}", "warning", text, src))
    if "diabetes" in conds:
        # Only lioresal lists diabetes; under the lionova profile it is shown as information from the other label.
        src = cite("lioresal", "Carefully")
        out.append(
            Finding(
                "caution_diabetes",
                "warning" if not lio else "info",
                message(
                    "Diabetes mellitus: lioresal asks for caution ({source}); lionova 4.4 does not list it.", source=src
                ),
                src,
            )
        )

    for code, (severity, text, section) in _INTERACTIONS.items():
        if code in meds:
            src = cite("lionova", "4.5") if lio else cite("lioresal", section)
            if code == "cns_depressant" and lio:
                shown = message(
                    "{text} Avoid alcohol in particular: its interactions are unpredictable. ({source})",
                    text=gettext(text),
                    source=src,
                )
            else:
                shown = message("{text} ({source})", text=gettext(text), source=src)
            out.append(Finding(f"interaction_{code}", severity, shown, src))
    for code, text in _BACLOREX_ONLY_INTERACTIONS.items():
        if code in meds:
            src = cite("baclorex", "2")
            # the sentence without its full stop, which follows the source
            shown = message("{text} ({source}).", text=gettext(text).removesuffix("."), source=src)
            out.append(Finding(f"interaction_{code}", "info", shown, src))
    if "other_intrathecal" in meds:
        section, text = _OTHER_INTRATHECAL[label]
        bac_section, bac_text = _OTHER_INTRATHECAL["baclorex"]
        src = f"{cite(label, section)}; {cite('baclorex', bac_section)}"
        shown = message("{text}; {baclorex} ({source}).", text=gettext(text), baclorex=gettext(bac_text), source=src)
        out.append(Finding("interaction_other_intrathecal", "warning", shown, src))
    for code in ("oral_baclofen", "other_muscle_relaxant"):
        if code in meds:
            # lionova 4.5: stop concurrent oral muscle relaxants before the infusion, under supervision, and
            # avoid any sudden reduction or stop of them during chronic treatment.
            src = cite("lionova", "4.5") if lio else cite("lioresal", "Special instructions")
            out.append(
                Finding(
                    f"interaction_{code}",
                    "warning",
                    message(
                        "The patient takes {medicine}: where possible stop other oral muscle relaxants before the "
                        "infusion starts, under close supervision, to avoid overdose and interactions; avoid stopping "
                        "them suddenly during intrathecal treatment ({source}).",
                        medicine=gettext(MEDICINES[code]),
                        source=src,
                    ),
                    src,
                )
            )

    out.extend(_condition_findings(conds, label, ("pregnancy", "planning_pregnancy")))
    if "breast_feeding" in conds:
        src = cite("lionova", "4.6") if lio else cite("lioresal", "Pregnancy and lactation")
        text = (
            message(
                "Breast-feeding: baclofen passes into milk, but at intrathecal doses clinically relevant levels are "
                "not expected; it can be used while breast-feeding ({source}; the labels differ).",
                source=src,
            )
            if lio
            else message(
                "Breast-feeding: no special recommendations are needed, as intrathecal baclofen is not excreted in "
                "milk ({source}; the labels differ).",
                source=src,
            )
        )
        out.append(Finding("breast_feeding", "info", text, src))
    out.extend(_condition_findings(conds, label, ("drives", "scoliosis")))
    if "peg_tube" in conds:
        # baclorex 2: a PEG tube raises the frequency of infections in children.
        src = cite("baclorex", "2")
        out.append(
            Finding(
                "peg_tube",
                "warning" if patient.population == "pediatric" else "info",
                message("A PEG tube raises the frequency of infections in children ({source}).", source=src),
                src,
            )
        )
    if patient.population == "pediatric" and patient.age_years < 6 and not lio:
        src = cite("lioresal", "Carefully")
        out.append(
            Finding(
                "limited_data_under_6",
                "info",
                message("Clinical data in children under 6 years are limited ({source}).", source=src),
                src,
            )
        )
    if lio and patient.age_years >= OLDER_PATIENT_AGE:
        # lionova 4.2 "Eldre pasienter (≥ 65 år)": monitor closely for adverse effects; 4.4: more susceptible
        # in the titration phase.
        src = f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"
        out.append(
            Finding(
                "older_patient",
                "warning",
                message(
                    "{age} years or older: adverse effects may be more frequent, especially during titration; "
                    "monitor the patient closely for them ({source}).",
                    age=OLDER_PATIENT_AGE,
                    source=src,
                ),
                src,
            )
        )
    elif not lio and patient.age_years > OLDER_PATIENT_AGE:
        src = cite("lioresal", "Carefully")
        out.append(
            Finding(
                "older_patient",
                "info",
                message(
                    "Over {age} years: tolerability was similar to younger patients; adverse events may be more "
                    "frequent during dose selection, but with individual dosing a higher risk is unlikely ({source}).",
                    age=OLDER_PATIENT_AGE,
                    source=src,
                ),
                src,
            )
        )

    src = cite("lionova", "4.2") if lio else _src("lioresal")
    out.append(
        Finding(
            "resuscitation_equipment",
            "info",
            message(
                "Resuscitation equipment and trained staff must be at hand during screening ({source}).", source=src
            )
            if lio
            else message(
                "Resuscitation equipment and medicines must be made ready before each test dose, above all the first "
                "({source}).",
                source=src,
            ),
            src,
        )
    )
    src = cite("lionova", "4.2") if lio else _src("lioresal")
    out.append(
        Finding(
            "variable_sensitivity",
            "info",
            message(
                "Sensitivity to intrathecal baclofen varies widely: one adult went into a coma after a single 25 µg "
                "test dose ({source}).",
                source=src,
            ),
            src,
        )
    )
    return most_severe_first(out)
