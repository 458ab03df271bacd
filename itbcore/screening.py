"""Screening: the intrathecal test bolus that decides whether a patient is a candidate.

For training only, not for treating patients.

Rules come from lionova 4.2 ("Screeningsfase hos voksne", "Screeningsfase i den
pediatriske populasjonen") and lioresal "Dosing: initial phase":

* only the 50 µg/mL solution is used for the test bolus;
* adults start with 25 or 50 µg; children 4 to < 18 years 25–50 µg/day by age and size;
* without enough response the bolus rises in 25 µg steps at least 24 h apart;
* the test dose never exceeds 100 µg; no response at 100 µg means no continuous infusion;
* after each bolus the patient is observed for 4 to 8 h (lionova 4.2).

The choice between 25 and 50 µg (:func:`initial_test_dose`) uses practice guidance
(Neuromodulation 2016, Boster et al.), cited as such and never as a label rule.

>>> from itbcore.patient import Patient
>>> p = Patient(40, "spinal")
>>> step = next_step(p, ["50 ug"], responded=False)
>>> step.action, step.next_dose, step.wait
('escalate', <Quantity(75.0, 'microgram')>, <Quantity(24, 'hour')>)
>>> [f"{d.magnitude:g}" for d in screening_ladder(p, "50 mcg")]
['50', '75', '100']
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pint

from . import library
from .errors import DoseLimitError, InputError
from .patient import CONDITIONS, MEDICINES, Patient, as_patient
from .sources import DEFAULT_LABEL, Finding, SeverityName, check_rule_label, cite, most_severe_first, practice
from .units import Q_, QuantityLike, as_quantity, fmt

__all__ = [
    "TEST_SOLUTION_CONCENTRATION",
    "MAX_TEST_DOSE",
    "TEST_DOSE_STEP",
    "MIN_TEST_INTERVAL",
    "MONITOR_WINDOW",
    "MAX_BOLUSES",
    "OLDER_PATIENT_AGE",
    "ADULT_START_DOSES",
    "PEDIATRIC_START_RANGE",
    "test_dose_volume",
    "ScreeningStep",
    "next_step",
    "TestDoseSuggestion",
    "initial_test_dose",
    "screening_warnings",
    "ChecklistItem",
    "before_first_fill",
    "Interaction",
    "INTERACTIONS",
    "BolusTimeline",
    "bolus_timeline",
    "screening_ladder",
]

# lionova 4.2, lioresal Dosing: initial phase: the test bolus uses the 50 µg/mL (0.05 mg/mL) solution only.
TEST_SOLUTION_CONCENTRATION: pint.Quantity = Q_(50, "ug/mL")
# lionova 4.2: "til en maksimal testdose på 100 mikrogram"; lioresal Dosing: initial phase: 100 μg.
MAX_TEST_DOSE: pint.Quantity = Q_(100, "ug")
# lionova 4.2: "i trinn på 25 mikrogram"; lioresal Dosing: initial phase: "stepwise by 25 μg".
TEST_DOSE_STEP: pint.Quantity = Q_(25, "ug")
# lionova 4.2: "med intervaller på minst 24 timer"; lioresal Dosing: initial phase: "every 24 hours".
MIN_TEST_INTERVAL: pint.Quantity = Q_(24, "h")
# lionova 4.2: "Etter hver bolusinjeksjon skal pasienten overvåkes i 4 til 8 timer".
MONITOR_WINDOW: tuple[pint.Quantity, pint.Quantity] = (Q_(4, "h"), Q_(8, "h"))
# lionova 4.2: usual adult initial test dose "25 eller 50 mikrogram"; lioresal Dosing: initial phase: "25 or 50 μg".
ADULT_START_DOSES: tuple[pint.Quantity, pint.Quantity] = (Q_(25, "ug"), Q_(50, "ug"))
# lionova 4.2: children 4 to < 18 years "25-50 mikrogram/dag basert på barnets alder og størrelse".
PEDIATRIC_START_RANGE: tuple[pint.Quantity, pint.Quantity] = (Q_(25, "ug"), Q_(50, "ug"))

# lionova 4.2 "Eldre pasienter (≥ 65 år)"; lioresal Carefully: "aged > 65 years".
OLDER_PATIENT_AGE = 65

#: The most test boluses a screening can give: from any start above zero, 25 µg steps reach 100 µg in at most
#: this many boluses (lionova 4.2).
MAX_BOLUSES = math.ceil(MAX_TEST_DOSE.magnitude / TEST_DOSE_STEP.magnitude) + 1

_SCREENING_SECTION = {"lionova": "4.2", "lioresal": "Dosing: initial phase"}
_BOSTER = practice("Neuromodulation 2016, Boster et al.")
# Relative tolerance for comparing doses read from different units (0.1 mg vs 100 µg).
_RTOL = 1e-9


def _src(label: str) -> str:
    return cite(label, _SCREENING_SECTION[label])


def _clean(q: pint.Quantity) -> pint.Quantity:
    """Drop float noise from a unit conversion (0.1 mg → 100.00000000000001 µg)."""
    return Q_(float(f"{float(q.magnitude):.12g}"), q.units)


def _max_test_dose(label: str) -> tuple[float, str]:
    """The highest test bolus (µg) and its source: the hard maximum of the drug library in force for
    ``test_dose`` under ``label`` (the suite's library: 100 µg, lionova 4.2; a hospital's may be lower)."""
    hard, _ = library.limit("test_dose").ranges(label)
    return float(MAX_TEST_DOSE.magnitude if hard.max is None else hard.max), hard.source


def _read_test_dose(value: Any, name: str = "test dose", label: str = DEFAULT_LABEL) -> pint.Quantity:
    """A test bolus read once and checked once against the drug library in force (``test_dose``)."""
    dose = _clean(as_quantity(value, "ug", name=name))
    x = float(dose.magnitude)
    top, src = _max_test_dose(label)
    if x <= 0:
        raise DoseLimitError(
            f"The {name} {fmt(dose)} must be above zero; a test bolus is 25 to {fmt(Q_(top, 'ug'))} ({src}).",
            name=name, value=x, limit=0.0, unit="ug", key="test_dose", source=src)
    # _clean has already removed conversion noise, so the ceiling is compared exactly.
    if x > top:
        raise DoseLimitError(
            f"The {name} {fmt(dose)} is above the maximum test dose of {fmt(Q_(top, 'ug'))} ({src}).",
            name=name, value=x, limit=top, unit="ug", key="test_dose", source=src)
    library.hard_check("test_dose", x, "ug", name, label)  # any other bound the library in force sets
    return dose


def test_dose_volume(dose: QuantityLike) -> pint.Quantity:
    """Volume of the 50 µg/mL solution that holds a test bolus.

    Parameters
    ----------
    dose : Quantity or str
        The test bolus, a mass (``"50 ug"``, ``"50 mcg"``, ``"0.05 mg"``).

    Returns
    -------
    Quantity[mL]
        ``dose / (50 µg/mL)``: only the 50 µg/mL solution is used for screening
        (lionova 4.2; lioresal Dosing: initial phase).

    Raises
    ------
    DoseLimitError
        If the dose is not above zero or is above the maximum test dose of the drug library in force
        (``test_dose``: 100 µg in the suite's library, lionova 4.2; a hospital's library may set less).
    UnitError
        If the dose has no unit or is not a mass.

    Examples
    --------
    >>> test_dose_volume("50 mcg")
    <Quantity(1.0, 'milliliter')>
    >>> test_dose_volume("0.025 mg")
    <Quantity(0.5, 'milliliter')>
    >>> test_dose_volume("125 ug")
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: The test dose 125 µg is above the maximum test dose of 100 µg (lionova 4.2).
    """
    d = _read_test_dose(dose)
    return _clean((d / TEST_SOLUTION_CONCENTRATION).to("mL"))


# The name starts with "test": keep pytest from collecting this function as a test.
test_dose_volume.__test__ = False  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ScreeningStep:
    """What to do after the latest test bolus.

    Attributes
    ----------
    action : {"candidate", "escalate", "not_candidate"}
        ``candidate``: the last bolus gave a positive response; ``escalate``: give
        ``next_dose`` after ``wait``; ``not_candidate``: no response at the maximum test dose.
    next_dose : Quantity[µg] or None
        The next test bolus (never above the maximum test dose of the drug library in force, 100 µg in
        the suite's library), or ``None``.
    wait : Quantity[h] or None
        Minimum time before ``next_dose`` (24 h), or ``None`` when there is no next bolus.
    monitor : tuple of Quantity[h]
        Observation window after a bolus, ``(4 h, 8 h)`` (lionova 4.2).
    findings : tuple of Finding
        The rule notes for this step and the patient's screening warnings.
    label : str
        The label profile applied.
    source : str
        The section the decision rests on.
    """

    action: Literal["candidate", "escalate", "not_candidate"]
    next_dose: pint.Quantity | None
    wait: pint.Quantity | None
    monitor: tuple[pint.Quantity, pint.Quantity]
    findings: tuple[Finding, ...]
    label: str
    source: str


def _read_history(doses_given: Any, label: str = DEFAULT_LABEL) -> list[pint.Quantity]:
    if isinstance(doses_given, (str, pint.Quantity)):
        doses_given = [doses_given]
    if not isinstance(doses_given, Iterable):
        raise InputError("The doses given must be a list of test boluses, oldest first (for example ['50 µg']).")
    doses = [_read_test_dose(d, f"test dose no. {i + 1}", label) for i, d in enumerate(doses_given)]
    if not doses:
        raise InputError(
            "No test bolus has been given yet; choose the first one with initial_test_dose (25 or 50 µg, "
            f"{cite('lionova', '4.2')})."
        )
    for i in range(1, len(doses)):
        prev, cur = doses[i - 1].magnitude, doses[i].magnitude
        if cur < prev * (1 - _RTOL):
            raise InputError(
                f"Test dose no. {i + 1} ({fmt(doses[i])}) is lower than the one before ({fmt(doses[i - 1])}); "
                f"after no response the bolus is kept or raised, never lowered ({cite('lionova', '4.2')})."
            )
        if cur - prev > TEST_DOSE_STEP.magnitude * (1 + _RTOL):
            raise DoseLimitError(
                f"Test dose no. {i + 1} ({fmt(doses[i])}) rises by {fmt(doses[i] - doses[i - 1])}, more than "
                f"the 25 µg step allowed between test doses ({cite('lionova', '4.2')}).",
                name=f"test dose no. {i + 1}", value=cur, limit=prev + TEST_DOSE_STEP.magnitude, unit="ug",
                key="test_dose", source=cite("lionova", "4.2"),
            )
    return doses


def next_step(
    patient: Patient, doses_given: Sequence[Any], responded: bool, label: str = DEFAULT_LABEL
) -> ScreeningStep:
    """Decide the next screening step from the boluses given so far.

    Parameters
    ----------
    patient : Patient
        Must be eligible under ``label`` (4 years or older, no contraindication).
    doses_given : sequence of Quantity or str
        The test boluses given so far, oldest first; every one above zero and at
        most the maximum test dose (100 µg; a hospital's drug library may set less), never lower than the
        one before and never more than 25 µg above it.
    responded : bool
        Whether the latest bolus gave a positive response: a clear reduction of
        muscle tone and/or of the frequency or severity of spasms (lionova 4.2).
    label : {"lionova", "lioresal"}
        Label profile.

    Returns
    -------
    ScreeningStep
        ``candidate`` after a positive response; ``escalate`` to the last dose + 25 µg
        (capped at the maximum test dose) after at least 24 h; ``not_candidate`` after no response at
        the maximum test dose: 100 µg (lionova 4.2; lioresal Dosing: initial phase), or the lower maximum of a
        hospital's drug library in force.

    Raises
    ------
    EligibilityError
        For a patient under 4 years or with a contraindication.
    DoseLimitError
        For a bolus not above zero, above the maximum test dose, or more than 25 µg above the one before
        (with ``key`` ``"test_dose"``).
    InputError
        For an empty history or a bolus lower than the one before.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> adult = Patient(52, "cerebral")
    >>> next_step(adult, ["50 ug", "75 ug"], responded=False).next_dose
    <Quantity(100.0, 'microgram')>
    >>> next_step(adult, ["50 ug", "75 ug", "0.1 mg"], responded=False).action
    'not_candidate'
    >>> s = next_step(adult, ["25 µg"], responded=True)
    >>> s.action, s.next_dose, [f"{q.magnitude:g} h" for q in s.monitor]
    ('candidate', None, ['4 h', '8 h'])
    """
    label = check_rule_label(label)
    as_patient(patient).require_eligible(label)
    if not isinstance(responded, bool):
        raise InputError(f"Whether the patient responded must be True or False, not {responded!r}.")
    doses = _read_history(doses_given, label)
    last = doses[-1]
    # The ceiling of the ladder is the drug library's maximum test dose (its default: 100 µg, lionova 4.2).
    top, top_src = _max_test_dose(label)
    top_text = f"{top:g} {'µg/day' if patient.population == 'pediatric' else 'µg'}"
    src = _src(label)
    findings: list[Finding] = []
    unit_word = "µg/day" if patient.population == "pediatric" else "µg"

    first = doses[0]
    if patient.population == "adult":
        usual = [d.magnitude for d in ADULT_START_DOSES]
        if not any(abs(first.magnitude - u) <= u * _RTOL for u in usual):
            findings.append(Finding(
                "first_dose_not_usual", "warning" if first.magnitude > usual[-1] else "info",
                f"The first test dose was {fmt(first)}; the usual adult first test dose is 25 or 50 µg ({src}).",
                src,
            ))
    else:
        lo, hi = (d.magnitude for d in PEDIATRIC_START_RANGE)
        if not lo * (1 - _RTOL) <= first.magnitude <= hi * (1 + _RTOL):
            findings.append(Finding(
                "first_dose_not_usual", "warning" if first.magnitude > hi else "info",
                f"The first test dose was {fmt(first)}; for children 4 to < 18 years it is 25–50 µg/day by age "
                f"and size ({cite('lionova', '4.2')}).",
                cite("lionova", "4.2"),
            ))

    monitor = (MONITOR_WINDOW[0], MONITOR_WINDOW[1])
    # lionova 4.2 gives the 4–8 h observation after each bolus; lioresal says only that the effect lasts about 4–8 h.
    findings.append(Finding(
        "monitor_after_bolus", "info",
        f"Observe the patient for 4 to 8 h after each bolus, with resuscitation equipment and trained staff at hand "
        f"({cite('lionova', '4.2')}).",
        cite("lionova", "4.2"),
    ))

    if responded:
        action: Literal["candidate", "escalate", "not_candidate"] = "candidate"
        next_dose = wait = None
        findings.append(Finding(
            "positive_response", "info",
            f"A positive response to {fmt(last)}: the patient may go on to pump implantation and dose titration; "
            f"the effective test dose and how long its effect lasted set the first daily dose ({src}).",
            src,
        ))
    elif last.magnitude >= top * (1 - _RTOL):
        # lionova 4.2: no response at 100 µg → no further increase, no continuous infusion.  A hospital's library
        # may stop the ladder lower: its maximum is the ceiling then.
        action, next_dose, wait = "not_candidate", None, None
        why = src if top_src == cite("lionova", "4.2") else f"{src}; the drug library in force: {top_src}"
        findings.append(Finding(
            "no_response_at_max", "violation",
            f"No response at the maximum test dose of {top_text}: do not raise the dose further and do not "
            f"go on to continuous intrathecal infusion ({why}).",
            src,
        ))
    else:
        action = "escalate"
        next_dose = _clean(Q_(min(last.magnitude + TEST_DOSE_STEP.magnitude, top), "ug"))
        wait = MIN_TEST_INTERVAL
        when = "at least 24 h later" if label == "lionova" else "24 h later"
        findings.append(Finding(
            "escalate", "info",
            f"Response to {fmt(last)} less than wanted: give {fmt(next_dose)} {when} "
            f"(25 {unit_word} steps, at most {top_text}) ({src}).",
            src,
        ))
    if patient.population == "pediatric":
        findings.append(Finding(
            "pediatric_screening", "info",
            "Children 4 to < 18 years: 25–50 µg/day by age and size, then +25 µg/day every 24 h in non-responders, "
            f"at most 100 µg/day ({cite('lionova', '4.2')})." if label == "lionova" else
            "Children: the test dose is usually 25 or 50 µg, depending on body weight and age; without a positive "
            f"result it can rise by 25 µg every 24 h, up to 100 µg ({_src('lioresal')}).",
            cite("lionova", "4.2") if label == "lionova" else _src("lioresal"),
        ))
    findings.extend(screening_warnings(patient, label))
    return ScreeningStep(action, next_dose, wait, monitor, tuple(most_severe_first(findings)), label, src)


@dataclass(frozen=True)
class TestDoseSuggestion:
    """A suggested first test bolus, with the label's options and where the choice comes from.

    Attributes
    ----------
    dose : Quantity[µg]
        The suggested first bolus (practice guidance's choice between the label's options).
    alternatives : tuple of Quantity[µg]
        The first doses the label allows (25 and 50 µg).
    reason : str
        Why this dose was suggested.
    source : str
        The practice guidance the choice rests on.
    label_source : str
        The label section that gives the options.
    label : str
        The label profile applied.
    findings : tuple of Finding
        The patient's screening warnings (:func:`screening_warnings`).
    """

    # pytest would otherwise try to collect this class because its name starts with "Test".
    __test__ = False

    dose: pint.Quantity
    alternatives: tuple[pint.Quantity, ...]
    reason: str
    source: str
    label_source: str
    label: str
    findings: tuple[Finding, ...]

    @property
    def volume(self) -> pint.Quantity:
        """Volume of the 50 µg/mL solution for :attr:`dose`."""
        return test_dose_volume(self.dose)


def initial_test_dose(
    patient: Patient,
    relies_on_spasticity: bool = False,
    very_small_child: bool = False,
    label: str = DEFAULT_LABEL,
) -> TestDoseSuggestion:
    """Suggest the first test bolus.

    The labels allow 25 or 50 µg (lionova 4.2; lioresal Dosing: initial phase;
    children 25–50 µg/day by age and size, lionova 4.2).  Which one to choose is
    practice guidance (Neuromodulation 2016, Boster et al.): 50 µg as standard,
    25 µg for very small children and for patients who rely on their spasticity
    to stand or walk.

    Parameters
    ----------
    patient : Patient
        Must be eligible under ``label``.
    relies_on_spasticity : bool
        The patient uses spasticity to stand, transfer or walk.
    very_small_child : bool
        A very small child (the clinician's judgement of age and size).
    label : {"lionova", "lioresal"}

    Returns
    -------
    TestDoseSuggestion

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> initial_test_dose(Patient(30, "spinal")).dose
    <Quantity(50, 'microgram')>
    >>> s = initial_test_dose(Patient(30, "spinal"), relies_on_spasticity=True)
    >>> s.dose, s.source
    (<Quantity(25, 'microgram')>, 'practice guidance: Neuromodulation 2016, Boster et al.')
    >>> s.volume
    <Quantity(0.5, 'milliliter')>
    """
    label = check_rule_label(label)
    as_patient(patient).require_eligible(label)
    for name, flag in (("relies_on_spasticity", relies_on_spasticity), ("very_small_child", very_small_child)):
        if not isinstance(flag, bool):
            raise InputError(f"{name} must be True or False, not {flag!r}.")
    if very_small_child and patient.population == "adult":
        raise InputError(f"A patient aged {patient.age_years:g} years is an adult, not a very small child.")
    reasons = []
    if relies_on_spasticity:
        reasons.append("the patient relies on spasticity to stand or walk")
    if very_small_child:
        reasons.append("a very small child")
    if reasons:
        dose, reason = ADULT_START_DOSES[0], "25 µg because " + " and ".join(reasons) + "."
    else:
        dose, reason = ADULT_START_DOSES[1], "50 µg, the standard first test bolus."
    # The suggestion is a test dose like any other: the drug library in force judges it (a hospital's library
    # whose maximum lies below it refuses it rather than the suite suggesting a dose it would refuse).
    _read_test_dose(dose, "suggested first test dose", label)
    if patient.population == "pediatric":
        label_source = cite("lionova", "4.2") if label == "lionova" else _src("lioresal")
        alternatives = PEDIATRIC_START_RANGE
    else:
        label_source, alternatives = _src(label), ADULT_START_DOSES
    return TestDoseSuggestion(dose, alternatives, reason, _BOSTER, label_source, label,
                              tuple(screening_warnings(patient, label)))


# lionova 4.4 caution list ("Baklofen må kun administreres med særlig forsiktighet hos pasienter med: …").
_CAUTION = (
    "impaired_csf_flow", "epilepsy", "bulbar_paresis", "confusion", "psychosis", "autonomic_dysreflexia_history",
    "cerebrovascular_insufficiency", "sphincter_hypertonia", "renal_impairment", "peptic_ulcer", "hepatic_impairment",
)

#: What lioresal says of each condition of lionova's caution list: (severity, text, section).  lioresal
#: "Carefully" names nine of them in its own words (and adds diabetes); it does not list bulbar paresis (its
#: "Special instructions" ask for close monitoring of breathing in respiratory muscle weakness during the test
#: dose) nor hepatic impairment (its "Dosing and Administration" says no dose change is needed in liver damage).
_LIORESAL_CAUTION: dict[str, tuple[SeverityName, str, str]] = {
    "impaired_csf_flow": ("warning", "Impaired CSF flow: the antispastic effect may differ from that in patients "
                          "with normal CSF flow, as baclofen spreads unevenly in the subarachnoid space", "Carefully"),
    "epilepsy": ("warning", "Epilepsy: particular attention, as seizures have occurred with overdose, during "
                 "maintenance and after stopping", "Carefully"),
    "bulbar_paresis": ("warning", "Bulbar paresis or partial paralysis of the respiratory muscles: lioresal's caution "
                       "list does not name it; with respiratory muscle weakness, breathing and heart must be monitored "
                       "carefully during the first test dose (lionova 4.4 lists it for particular caution)",
                       "Special instructions"),
    "confusion": ("warning", "Confusion: use with caution and under careful observation, as it has worsened with oral "
                  "baclofen", "Carefully"),
    "psychosis": ("warning", "Mental disorders, schizophrenia or Parkinson's disease: use with caution and under "
                  "careful observation, as they have worsened with oral baclofen", "Carefully"),
    "autonomic_dysreflexia_history": ("warning", "History of autonomic dysreflexia: use with caution; pain or a "
                                      "sudden stop can provoke a crisis", "Carefully"),
    "cerebrovascular_insufficiency": ("warning", "Cerebrovascular or respiratory failure: use with caution, as "
                                      "baclofen may worsen it", "Carefully"),
    "sphincter_hypertonia": ("warning", "Hypertonic sphincters: care is needed", "Carefully"),
    "renal_impairment": ("warning", "Impaired renal function: care is needed", "Carefully"),
    "peptic_ulcer": ("warning", "Ulcers of the gastrointestinal tract (also in the history): care is needed",
                     "Carefully"),
    "hepatic_impairment": ("info", "Hepatic impairment: lioresal does not list it among its cautions; the liver plays "
                           "no significant role in the metabolism of intrathecal baclofen, so no dose change is "
                           "needed (lionova 4.4 asks for particular caution in severe hepatic impairment)",
                           "Dosing and Administration"),
}

# lionova 4.5 / lioresal Interaction: what each concurrent medicine adds (text shared by both labels).
_INTERACTIONS: dict[str, tuple[SeverityName, str, str]] = {
    "cns_depressant": ("warning", "Alcohol and other CNS depressants (e.g. analgesics, neuroleptics, benzodiazepines, "
                       "anxiolytics) and baclofen add to each other's effect on the CNS.", "Interaction"),
    "tricyclic_antidepressant": ("warning", "Tricyclic antidepressants may increase the effect of baclofen and "
                                 "cause marked muscle hypotonia.", "Interaction"),
    "antihypertensive": ("warning", "Antihypertensives may deepen a fall in blood pressure: monitor blood pressure "
                         "and lower the antihypertensive dose if needed.", "Interaction"),
    "levodopa_carbidopa": ("warning", "Levodopa/carbidopa raises the risk of visual hallucinations, confusion, "
                           "headache and nausea; Parkinson's symptoms may worsen.", "Interaction"),
    "morphine": ("warning", "Morphine with intrathecal baclofen caused hypotension in one patient; breathing and "
                 "CNS depression cannot be ruled out.", "Interaction"),
    "general_anaesthetic": ("warning", "General anaesthetics (e.g. fentanyl, propofol) may raise the risk of "
                            "cardiac disorders and seizures.", "Interaction"),
}

#: Medicines only the baclorex leaflet names (baclorex 2, "Diğer ilaçlar ile birlikte kullanımı": "some medicines
#: can interfere with your treatment; remind your doctor or nurse"); lionova 4.5 and lioresal do not name them.
_BACLOREX_ONLY_INTERACTIONS: dict[str, str] = {
    "kidney_affecting": "Other medicines that also affect the kidneys (such as ibuprofen) can interfere with the "
                        "treatment: the patient should tell the doctor or nurse; lionova 4.5 and lioresal do not "
                        "name them.",
    "antiepileptic": "Epilepsy medicines can interfere with the treatment: the patient should tell the doctor or "
                     "nurse; lionova 4.5 and lioresal do not name them.",
}

#: Other intrathecally given medicines, in each text's words (lionova 4.5; lioresal Interaction; baclorex 2).
_OTHER_INTRATHECAL: dict[str, tuple[str, str]] = {
    "lionova": ("4.5", "Other intrathecally given medicines: there is no information yet on their use together "
                       "with baclofen"),
    "lioresal": ("Interaction", "Other intrathecally given medicines: their use together with intrathecal baclofen "
                                "has not been studied and the safety of the combination is not established"),
    "baclorex": ("2", "the baclorex leaflet asks for care when the patient receives any other injection into the "
                      "spine"),
}


@dataclass(frozen=True)
class Interaction:
    """What a concurrent medicine adds to intrathecal baclofen, and what to do about it."""

    medicine: str
    effect: str
    action: str
    source: str


_INTERACTION_ACTIONS = {
    "cns_depressant": "watch for sedation; avoid alcohol in particular (lionova 4.5: its interactions are "
                      "unpredictable)",
    "tricyclic_antidepressant": "watch muscle tone",
    "antihypertensive": "monitor blood pressure; lower the antihypertensive if needed",
    "levodopa_carbidopa": "watch for hallucinations and confusion",
    "morphine": "monitor blood pressure, breathing and alertness",
    "general_anaesthetic": "tell the anaesthetist; monitor heart rhythm and watch for seizures",
    "kidney_affecting": "ask about them; the patient tells the doctor or nurse",
    "antiepileptic": "ask about them; the patient tells the doctor or nurse",
    "other_intrathecal": "use with care: the combination is not studied",
}
#: Interactions as data: medicine code → effect → what to do (lionova 4.5; lioresal Interaction; baclorex 2).
INTERACTIONS: dict[str, Interaction] = {
    **{code: Interaction(code, text, _INTERACTION_ACTIONS[code],
                         f"{cite('lionova', '4.5')}; {cite('lioresal', section)}")
       for code, (_severity, text, section) in _INTERACTIONS.items()},
    **{code: Interaction(code, text, _INTERACTION_ACTIONS[code], cite("baclorex", "2"))
       for code, text in _BACLOREX_ONLY_INTERACTIONS.items()},
    "other_intrathecal": Interaction(
        "other_intrathecal",
        "Other intrathecally given medicines: there is no information on their use with intrathecal baclofen and "
        "the safety of the combination is not established; the baclorex leaflet asks for care.",
        _INTERACTION_ACTIONS["other_intrathecal"],
        f"{cite('lionova', '4.5')}; {cite('lioresal', 'Interaction')}; {cite('baclorex', '2')}"),
}


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to confirm before the first fill of a pump, with the section that asks for it."""

    code: str
    text: str
    source: str
    applies: bool = True


def before_first_fill(patient: Patient, post_traumatic: bool = False, label: str = DEFAULT_LABEL
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
        raise InputError(f"post_traumatic must be True or False, not {post_traumatic!r}.")
    lio = label == "lionova"
    route = (cite("lionova", "4.2") if lio else cite("lioresal", "Contraindications"))
    items = [
        ChecklistItem("route_intrathecal_only", "The solution is for intrathecal use only: never intravenous, "
                      f"intramuscular, subcutaneous or epidural ({route}).", route),
        ChecklistItem("compatible_pump_with_filter", "Use only a pump of materials shown to be compatible with the "
                      "solution and with an integrated bacterial filter (lionova 4.2).", cite("lionova", "4.2")),
        ChecklistItem("arachnoiditis_imaging", "Post-traumatic spasticity: image the subarachnoid space first; "
                      "with radiological signs of arachnoiditis do not start (lionova 4.2).", cite("lionova", "4.2"),
                      applies=post_traumatic),
        ChecklistItem("child_body_size", "A child needs enough body size (weight) for an implanted pump "
                      f"({cite('lionova', '4.2')}; {cite('lioresal', 'Carefully')}).",
                      f"{cite('lionova', '4.2')}; {cite('lioresal', 'Carefully')}",
                      applies=patient.population == "pediatric"),
        ChecklistItem("infection_free", "The patient is free of infection (lionova 4.2, 4.4).",
                      f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"),
        ChecklistItem("inspect_solution", "Inspect the solution: a clear, colourless solution "
                      f"({cite('lionova', '3')}); do not use it if it has changed colour or holds particles "
                      f"({cite('lioresal', 'Dosing and Administration')}; {cite('baclorex', '5')}); each ampoule is "
                      f"for single use ({cite('lionova', '6.6')}), used at once after opening "
                      f"({cite('lionova', '6.3')}).",
                      f"{cite('lionova', '3')}, {cite('lionova', '6.3')}, {cite('lionova', '6.6')}; "
                      f"{cite('lioresal', 'Dosing and Administration')}; {cite('baclorex', '5')}"),
        ChecklistItem("diluent_nacl_only", "If diluted: sodium chloride 9 mg/mL (0.9 %) only, never glucose "
                      f"({cite('lionova', '6.2')}, {cite('lionova', '6.6')}).",
                      f"{cite('lionova', '6.2')}, {cite('lionova', '6.6')}"),
        # Each label says only its own: only lioresal forbids freezing (label_differences.toml: storage).
        ChecklistItem("storage", "Stored as the label says (lionova: no special storage conditions; lioresal: at "
                      "no more than 30 °C, not frozen, not heat-sterilised; baclorex: below 30 °C, protected from "
                      "heat, a diluted solution used within 24 h).",
                      f"{cite('lionova', '6.4')}; {cite('lioresal', 'Storage conditions')}; {cite('baclorex', '5')}"),
        ChecklistItem("resuscitation_ready", "Resuscitation equipment and trained staff are at hand "
                      f"({cite('lionova', '4.2')}).", cite("lionova", "4.2")),
        ChecklistItem("no_double_dose", "The patient knows: a forgotten dose is never made up with a double dose; "
                      f"tell the doctor or nurse at once if a dose may have been missed ({cite('baclorex', '3')}).",
                      cite("baclorex", "3")),
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
        "infection", "violation", {"lionova": "4.2", "lioresal": _SCREENING_SECTION["lioresal"]},
        "The patient must be free of infection before screening: a systemic infection can prevent an accurate "
        "assessment of the response"),
    # lionova 4.4; lioresal Dosing and Administration: wait until spasticity is stable, ≥ 1 year after the trauma.
    "head_injury_under_1_year": _ConditionRule(
        "head_injury_under_1_year", "warning", {"lionova": "4.4", "lioresal": "Dosing and Administration"},
        "Spasticity after a head injury: long-term intrathecal baclofen is not recommended until the spasticity "
        "is stable, at least 1 year after the trauma"),
    # lionova 4.6: not during pregnancy unless the expected benefit outweighs the possible risk to the child;
    # lioresal Pregnancy and lactation: only if necessary.
    "pregnancy": _ConditionRule(
        "pregnancy", "warning", {"lionova": "4.6", "lioresal": "Pregnancy and lactation"},
        "Pregnancy: data are limited and baclofen crosses the placenta; use only if the expected benefit for "
        "the mother outweighs the possible risk to the child",
        {"lioresal": "Pregnancy: experience is limited and in animals baclofen crosses the placenta; use during "
                     "pregnancy only if necessary"}),
    # lionova 4.6 "Fertilitet"; lioresal Pregnancy and lactation: "Fertility", and no special recommendations for
    # women planning a pregnancy.
    "planning_pregnancy": _ConditionRule(
        "fertility", "info", {"lionova": "4.6", "lioresal": "Pregnancy and lactation"},
        "Fertility: animal studies show that intrathecal baclofen probably has no negative effect on fertility; "
        "there are no data for special recommendations to women who can become pregnant",
        {"lioresal": "Fertility: from experimental data an effect of baclofen on fertility is unlikely; there are no "
                     "special recommendations for women planning a pregnancy"}),
    # lionova 4.7: the ability to drive may be much reduced; the doctor reassesses it regularly.  lioresal "Effect on
    # the ability to drive": warn the patient to be careful when driving.
    "drives": _ConditionRule(
        "driving", "warning", {"lionova": "4.7", "lioresal": "Effect on the ability to drive"},
        "Driving and machines: drowsiness, sedation and other effects can greatly reduce the ability to drive; "
        "advise against it when they occur and reassess it regularly",
        {"lioresal": "Driving and machines: drowsiness, sedation, ataxia, hallucinations, diplopia and withdrawal "
                     "signs have been reported; warn the patient to be careful when driving and in hazardous "
                     "activities that need close attention"}),
    # lionova 4.4: onset or worsening of scoliosis is reported: watch for its signs (lioresal is silent).
    "scoliosis": _ConditionRule(
        "scoliosis", "warning", {"lionova": "4.4"},
        "Scoliosis can start or worsen during treatment: watch closely for its signs",
        {"lioresal": "Scoliosis can start or worsen during treatment: watch closely for its signs (lioresal does "
                     "not mention it)"}),
}


def _condition_findings(conds: Iterable[str], label: str, codes: Iterable[str]) -> list[Finding]:
    """The findings of :data:`_CONDITION_RULES` for those of ``codes`` the patient has."""
    out = []
    for code in codes:
        if code in conds:
            rule = _CONDITION_RULES[code]
            key = label if label in rule.sections else "lionova"
            src = cite(key, rule.sections[key])
            out.append(Finding(rule.code, rule.severity, f"{rule.texts.get(label, rule.text)} ({src}).", src))
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

    if "hypersensitivity" in conds:
        src = cite("lionova", "4.3") if lio else cite("lioresal", "Contraindications")
        out.append(Finding("contraindication_hypersensitivity", "violation",
                           f"{CONDITIONS['hypersensitivity'].capitalize()} is a contraindication ({src}).", src))
    if "treatment_resistant_epilepsy" in conds:
        # lionova 4.3 and baclorex 2 list treatment-resistant epilepsy as a contraindication; lioresal does not
        # (its contraindications are hypersensitivity and age under 4) and asks for attention to epilepsy instead.
        src = f"{cite('lionova', '4.3')}; {cite('baclorex', '2')}"
        if lio:
            out.append(Finding("contraindication_treatment_resistant_epilepsy", "violation",
                               f"Treatment-resistant epilepsy is a contraindication ({src}).", src))
        else:
            out.append(Finding(
                "contraindication_treatment_resistant_epilepsy", "warning",
                f"Treatment-resistant epilepsy: lioresal lists no such contraindication but asks for particular "
                f"attention to epilepsy ({cite('lioresal', 'Carefully')}); lionova 4.3 and baclorex 2 make it a "
                "contraindication.", f"{cite('lioresal', 'Carefully')}; {src}"))
    out.extend(_condition_findings(conds, label, ("infection", "head_injury_under_1_year")))

    # lionova 4.2 and 4.5; lioresal Special instructions: higher risk of respiratory depression.
    resp_src = cite("lionova", "4.2") if lio else cite("lioresal", "Special instructions")
    respiratory = [
        ("benzodiazepine", meds, "takes a benzodiazepine"),
        ("opiate", meds, "takes an opiate"),
        ("morphine", meds, "takes morphine (an opiate)"),
        ("cardiopulmonary_disease", conds, "has cardiopulmonary disease"),
        ("respiratory_muscle_weakness", conds, "has respiratory muscle weakness"),
    ]
    for code, pool, what in respiratory:
        if code in pool:
            out.append(Finding(
                f"respiratory_risk_{code}", "warning",
                f"The patient {what}: higher risk of respiratory depression, so monitor breathing and heart "
                f"function closely during screening ({resp_src}).",
                resp_src,
            ))

    for code in _CAUTION:
        if code in conds:
            if lio:
                src = cite("lionova", "4.4")
                text = f"Use with particular caution: {CONDITIONS[code]} ({src})."
            else:
                severity, words, section = _LIORESAL_CAUTION[code]
                src = cite("lioresal", section)
                out.append(Finding(f"caution_{code}", severity, f"{words} ({src}).", src))
                continue
            if code == "renal_impairment":
                # lionova 4.2 "Nedsatt nyrefunksjon": the dose may need to be reduced; 4.4: caution.
                src = f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"
                text = ("Renal impairment: the dose may need to be reduced for the clinical state and the degree of "
                        f"renal impairment, and intrathecal baclofen is given with caution ({src}).")
            out.append(Finding(f"caution_{code}", "warning", text, src))
    if "diabetes" in conds:
        # Only lioresal lists diabetes; under the lionova profile it is shown as information from the other label.
        src = cite("lioresal", "Carefully")
        out.append(Finding(
            "caution_diabetes", "warning" if not lio else "info",
            f"Diabetes mellitus: lioresal asks for caution ({src}); lionova 4.4 does not list it.", src,
        ))

    for code, (severity, text, section) in _INTERACTIONS.items():
        if code in meds:
            src = cite("lionova", "4.5") if lio else cite("lioresal", section)
            if code == "cns_depressant" and lio:
                text += " Avoid alcohol in particular: its interactions are unpredictable."
            out.append(Finding(f"interaction_{code}", severity, f"{text} ({src})", src))
    for code, text in _BACLOREX_ONLY_INTERACTIONS.items():
        if code in meds:
            src = cite("baclorex", "2")
            out.append(Finding(f"interaction_{code}", "info", f"{text[:-1]} ({src}).", src))
    if "other_intrathecal" in meds:
        section, text = _OTHER_INTRATHECAL[label]
        bac_section, bac_text = _OTHER_INTRATHECAL["baclorex"]
        src = f"{cite(label, section)}; {cite('baclorex', bac_section)}"
        out.append(Finding("interaction_other_intrathecal", "warning", f"{text}; {bac_text} ({src}).", src))
    for code in ("oral_baclofen", "other_muscle_relaxant"):
        if code in meds:
            # lionova 4.5: stop concurrent oral muscle relaxants before the infusion, under supervision, and
            # avoid any sudden reduction or stop of them during chronic treatment.
            src = cite("lionova", "4.5") if lio else cite("lioresal", "Special instructions")
            out.append(Finding(
                f"interaction_{code}", "warning",
                f"The patient takes {MEDICINES[code]}: where possible stop other oral muscle relaxants before the "
                f"infusion starts, under close supervision, to avoid overdose and interactions; avoid stopping them "
                f"suddenly during intrathecal treatment ({src}).",
                src,
            ))

    out.extend(_condition_findings(conds, label, ("pregnancy", "planning_pregnancy")))
    if "breast_feeding" in conds:
        src = cite("lionova", "4.6") if lio else cite("lioresal", "Pregnancy and lactation")
        text = ("Breast-feeding: baclofen passes into milk, but at intrathecal doses clinically relevant levels are "
                "not expected; it can be used while breast-feeding" if lio else
                "Breast-feeding: no special recommendations are needed, as intrathecal baclofen is not excreted in "
                "milk")
        out.append(Finding("breast_feeding", "info", f"{text} ({src}; the labels differ).", src))
    out.extend(_condition_findings(conds, label, ("drives", "scoliosis")))
    if "peg_tube" in conds:
        # baclorex 2: a PEG tube raises the frequency of infections in children.
        src = cite("baclorex", "2")
        out.append(Finding(
            "peg_tube", "warning" if patient.population == "pediatric" else "info",
            f"A PEG tube raises the frequency of infections in children ({src}).", src))
    if patient.population == "pediatric" and patient.age_years < 6 and not lio:
        src = cite("lioresal", "Carefully")
        out.append(Finding("limited_data_under_6", "info",
                           f"Clinical data in children under 6 years are limited ({src}).", src))
    if lio and patient.age_years >= OLDER_PATIENT_AGE:
        # lionova 4.2 "Eldre pasienter (≥ 65 år)": monitor closely for adverse effects; 4.4: more susceptible
        # in the titration phase.
        src = f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"
        out.append(Finding(
            "older_patient", "warning",
            f"{OLDER_PATIENT_AGE:g} years or older: adverse effects may be more frequent, especially during titration; "
            f"monitor the patient closely for them ({src}).", src,
        ))
    elif not lio and patient.age_years > OLDER_PATIENT_AGE:
        src = cite("lioresal", "Carefully")
        out.append(Finding(
            "older_patient", "info",
            f"Over {OLDER_PATIENT_AGE:g} years: tolerability was similar to younger patients; adverse events may be "
            "more "
            f"frequent during dose selection, but with individual dosing a higher risk is unlikely ({src}).", src,
        ))

    src = cite("lionova", "4.2") if lio else _src("lioresal")
    out.append(Finding(
        "resuscitation_equipment", "info",
        f"Resuscitation equipment and trained staff must be at hand during screening ({src})." if lio else
        f"Resuscitation equipment and medicines must be made ready before each test dose, above all the first "
        f"({src}).", src,
    ))
    src = cite("lionova", "4.2") if lio else _src("lioresal")
    out.append(Finding(
        "variable_sensitivity", "info",
        "Sensitivity to intrathecal baclofen varies widely: one adult went into a coma after a single 25 µg test "
        f"dose ({src}).",
        src,
    ))
    return most_severe_first(out)


@dataclass(frozen=True)
class BolusTimeline:
    """Time course of the effect of one intrathecal test bolus, for the timeline plot.

    All times are hours after the bolus.

    Attributes
    ----------
    onset : tuple of Quantity[h]
        When the effect usually begins, ``(0.5 h, 1 h)``.
    peak : Quantity[h]
        About when the maximal spasmolytic effect is seen, ``4 h``.
    duration : tuple of Quantity[h]
        How long the effect lasts, ``(4 h, 8 h)``.
    monitor : tuple of Quantity[h]
        The observation window after each bolus, ``(4 h, 8 h)``.
    next_bolus : Quantity[h]
        Earliest next test bolus, ``24 h``.
    sources : dict
        The section each value comes from, keyed by attribute name.
    note : str
        Onset, peak and duration vary between patients with dose, severity and mode and rate of administration.
    """

    onset: tuple[pint.Quantity, pint.Quantity]
    peak: pint.Quantity
    duration: tuple[pint.Quantity, pint.Quantity]
    monitor: tuple[pint.Quantity, pint.Quantity]
    next_bolus: pint.Quantity
    sources: dict[str, str]
    note: str


def bolus_timeline(label: str = DEFAULT_LABEL) -> BolusTimeline:
    """Onset, peak, duration and observation window of a test bolus, with their sources.

    lionova 4.2 and 5.1 (lioresal Pharmacodynamics): onset ½–1 h, peak about 4 h,
    effect lasting 4–8 h; observe 4–8 h after each bolus (lionova 4.2); next bolus at
    least 24 h later.

    Examples
    --------
    >>> t = bolus_timeline()
    >>> t.onset, t.peak
    ((<Quantity(0.5, 'hour')>, <Quantity(1, 'hour')>), <Quantity(4, 'hour')>)
    >>> t.sources["peak"]
    'lionova 4.2, lionova 5.1'
    >>> bolus_timeline("lioresal").sources["onset"]
    'lioresal Pharmacodynamics'
    """
    label = check_rule_label(label)
    if label == "lionova":
        effect = f"{cite('lionova', '4.2')}, {cite('lionova', '5.1')}"
    else:
        effect = cite("lioresal", "Pharmacodynamics")
    sources = {
        "onset": effect,
        "peak": effect,
        "duration": effect,
        # lioresal gives no observation window; the 4–8 h comes from lionova 4.2 under both profiles.
        "monitor": cite("lionova", "4.2"),
        "next_bolus": _src(label),
    }
    return BolusTimeline(
        onset=(Q_(0.5, "h"), Q_(1, "h")),
        peak=Q_(4, "h"),
        duration=(Q_(4, "h"), Q_(8, "h")),
        monitor=MONITOR_WINDOW,
        next_bolus=MIN_TEST_INTERVAL,
        sources=sources,
        note="Onset, peak and duration vary between patients with the dose, the severity of symptoms and the mode "
             "and rate of administration.",
    )


def screening_ladder(patient: Patient, start: Any = None, label: str = DEFAULT_LABEL) -> tuple[pint.Quantity, ...]:
    """The test boluses that could be given, one per 24 h, from ``start`` up to the maximum test dose.

    Each step adds 25 µg; the last step is capped at the maximum test dose of the drug library in force:
    100 µg in the suite's library (lionova 4.2; lioresal Dosing: initial phase), less if a hospital's
    library says so.  Without ``start`` the first dose is the one
    :func:`initial_test_dose` suggests (50 µg, or 25 µg per practice guidance).

    Parameters
    ----------
    patient : Patient
        Must be eligible under ``label``.
    start : Quantity or str, optional
        The first bolus, above zero and at most the maximum test dose.
    label : {"lionova", "lioresal"}

    Returns
    -------
    tuple of Quantity[µg]

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> [f"{d.magnitude:g}" for d in screening_ladder(Patient(8, "cerebral"), "25 ug")]
    ['25', '50', '75', '100']
    >>> [f"{d.magnitude:g}" for d in screening_ladder(Patient(30, "spinal"), "60 ug")]
    ['60', '85', '100']
    """
    label = check_rule_label(label)
    as_patient(patient).require_eligible(label)
    first = (initial_test_dose(patient, label=label).dose if start is None
             else _read_test_dose(start, "first test dose", label))
    # The top of the ladder is the drug library's maximum test dose (its default: 100 µg, lionova 4.2).
    top, _ = _max_test_dose(label)
    ladder = [_clean(first)]
    while ladder[-1].magnitude < top * (1 - _RTOL):
        nxt = min(ladder[-1].magnitude + TEST_DOSE_STEP.magnitude, top)
        ladder.append(_clean(Q_(nxt, "ug")))
    return tuple(ladder)
