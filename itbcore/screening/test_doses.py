"""The intrathecal test bolus: its volume, the next step, the first dose, the ladder and the timeline.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.screening`; import from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pint

from ..errors import DoseLimitError, InputError
from ..i18n import N_, gettext, localize_number, message
from ..patient import Patient, as_patient
from ..sources import DEFAULT_LABEL, Finding, check_rule_label, cite, most_severe_first
from ..units import Q_, QuantityLike, display_unit, fmt
from .cautions import screening_warnings
from .rules import (
    _BOSTER,
    _RTOL,
    ADULT_START_DOSES,
    MIN_TEST_INTERVAL,
    MONITOR_WINDOW,
    PEDIATRIC_START_RANGE,
    TEST_DOSE_STEP,
    TEST_SOLUTION_CONCENTRATION,
    _clean,
    _max_test_dose,
    _read_test_dose,
    _src,
)

__all__ = [
    "test_dose_volume",
    "ScreeningStep",
    "next_step",
    "TestDoseSuggestion",
    "initial_test_dose",
    "BolusTimeline",
    "bolus_timeline",
    "screening_ladder",
]


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
        raise InputError(
            gettext("The doses given must be a list of test boluses, oldest first (for example ['50 µg']).")
        )
    doses = [
        _read_test_dose(d, message("test dose no. {number}", number=i + 1), label) for i, d in enumerate(doses_given)
    ]
    if not doses:
        raise InputError(
            message(
                "No test bolus has been given yet; choose the first one with initial_test_dose (25 or 50 µg, "
                "{source}).",
                source=cite("lionova", "4.2"),
            )
        )
    for i in range(1, len(doses)):
        prev, cur = doses[i - 1].magnitude, doses[i].magnitude
        if cur < prev * (1 - _RTOL):
            raise InputError(
                message(
                    "Test dose no. {number} ({dose}) is lower than the one before ({previous}); after no response "
                    "the bolus is kept or raised, never lowered ({source}).",
                    number=i + 1,
                    dose=fmt(doses[i]),
                    previous=fmt(doses[i - 1]),
                    source=cite("lionova", "4.2"),
                )
            )
        if cur - prev > TEST_DOSE_STEP.magnitude * (1 + _RTOL):
            raise DoseLimitError(
                message(
                    "Test dose no. {number} ({dose}) rises by {rise}, more than the 25 µg step allowed between test "
                    "doses ({source}).",
                    number=i + 1,
                    dose=fmt(doses[i]),
                    rise=fmt(doses[i] - doses[i - 1]),
                    source=cite("lionova", "4.2"),
                ),
                name=f"test dose no. {i + 1}",
                value=cur,
                limit=prev + TEST_DOSE_STEP.magnitude,
                unit="ug",
                key="test_dose",
                source=cite("lionova", "4.2"),
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
    unit_word = display_unit("ug/day" if patient.population == "pediatric" else "ug")
    top_text = f"{localize_number(f'{top:g}')} {unit_word}"  # a number and its unit, as typed in the library
    src = _src(label)
    findings: list[Finding] = []

    first = doses[0]
    if patient.population == "adult":
        usual = [d.magnitude for d in ADULT_START_DOSES]
        if not any(abs(first.magnitude - u) <= u * _RTOL for u in usual):
            findings.append(
                Finding(
                    "first_dose_not_usual",
                    "warning" if first.magnitude > usual[-1] else "info",
                    message(
                        "The first test dose was {dose}; the usual adult first test dose is 25 or 50 µg ({source}).",
                        dose=fmt(first),
                        source=src,
                    ),
                    src,
                )
            )
    else:
        lo, hi = (d.magnitude for d in PEDIATRIC_START_RANGE)
        if not lo * (1 - _RTOL) <= first.magnitude <= hi * (1 + _RTOL):
            findings.append(
                Finding(
                    "first_dose_not_usual",
                    "warning" if first.magnitude > hi else "info",
                    message(
                        "The first test dose was {dose}; for children 4 to < 18 years it is 25–50 µg/day by age and "
                        "size ({source}).",
                        dose=fmt(first),
                        source=cite("lionova", "4.2"),
                    ),
                    cite("lionova", "4.2"),
                )
            )

    monitor = (MONITOR_WINDOW[0], MONITOR_WINDOW[1])
    # lionova 4.2 gives the 4–8 h observation after each bolus; lioresal says only that the effect lasts about 4–8 h.
    findings.append(
        Finding(
            "monitor_after_bolus",
            "info",
            message(
                "Observe the patient for 4 to 8 h after each bolus, with resuscitation equipment and trained staff at "
                "hand ({source}).",
                source=cite("lionova", "4.2"),
            ),
            cite("lionova", "4.2"),
        )
    )

    if responded:
        action: Literal["candidate", "escalate", "not_candidate"] = "candidate"
        next_dose = wait = None
        findings.append(
            Finding(
                "positive_response",
                "info",
                message(
                    "A positive response to {dose}: the patient may go on to pump implantation and dose titration; "
                    "the effective test dose and how long its effect lasted set the first daily dose ({source}).",
                    dose=fmt(last),
                    source=src,
                ),
                src,
            )
        )
    elif last.magnitude >= top * (1 - _RTOL):
        # lionova 4.2: no response at 100 µg → no further increase, no continuous infusion.  A hospital's library
        # may stop the ladder lower: its maximum is the ceiling then.
        action, next_dose, wait = "not_candidate", None, None
        if top_src == cite("lionova", "4.2"):
            text = message(
                "No response at the maximum test dose of {limit}: do not raise the dose further and do not go on to "
                "continuous intrathecal infusion ({source}).",
                limit=top_text,
                source=src,
            )
        else:
            text = message(
                "No response at the maximum test dose of {limit}: do not raise the dose further and do not go on to "
                "continuous intrathecal infusion ({source}; the drug library in force: {library_source}).",
                limit=top_text,
                source=src,
                library_source=top_src,
            )
        findings.append(Finding("no_response_at_max", "violation", text, src))
    else:
        action = "escalate"
        next_dose = _clean(Q_(min(last.magnitude + TEST_DOSE_STEP.magnitude, top), "ug"))
        wait = MIN_TEST_INTERVAL
        values = {"dose": fmt(last), "next": fmt(next_dose), "unit": unit_word, "limit": top_text, "source": src}
        if label == "lionova":
            text = message(
                "Response to {dose} less than wanted: give {next} at least 24 h later (25 {unit} steps, at most "
                "{limit}) ({source}).",
                **values,
            )
        else:
            text = message(
                "Response to {dose} less than wanted: give {next} 24 h later (25 {unit} steps, at most {limit}) "
                "({source}).",
                **values,
            )
        findings.append(Finding("escalate", "info", text, src))
    if patient.population == "pediatric":
        findings.append(
            Finding(
                "pediatric_screening",
                "info",
                message(
                    "Children 4 to < 18 years: 25–50 µg/day by age and size, then +25 µg/day every 24 h in "
                    "non-responders, at most 100 µg/day ({source}).",
                    source=cite("lionova", "4.2"),
                )
                if label == "lionova"
                else message(
                    "Children: the test dose is usually 25 or 50 µg, depending on body weight and age; without a "
                    "positive result it can rise by 25 µg every 24 h, up to 100 µg ({source}).",
                    source=_src("lioresal"),
                ),
                cite("lionova", "4.2") if label == "lionova" else _src("lioresal"),
            )
        )
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
        raise InputError(
            message(
                "A patient aged {age} years is an adult, not a very small child.",
                age=localize_number(f"{patient.age_years:g}"),
            )
        )
    dose = ADULT_START_DOSES[0]
    if relies_on_spasticity and very_small_child:
        reason = gettext("25 µg because the patient relies on spasticity to stand or walk and a very small child.")
    elif relies_on_spasticity:
        reason = gettext("25 µg because the patient relies on spasticity to stand or walk.")
    elif very_small_child:
        reason = gettext("25 µg because a very small child.")
    else:
        dose, reason = ADULT_START_DOSES[1], gettext("50 µg, the standard first test bolus.")
    # The suggestion is a test dose like any other: the drug library in force judges it (a hospital's library
    # whose maximum lies below it refuses it rather than the suite suggesting a dose it would refuse).
    _read_test_dose(dose, N_("suggested first test dose"), label)
    if patient.population == "pediatric":
        label_source = cite("lionova", "4.2") if label == "lionova" else _src("lioresal")
        alternatives = PEDIATRIC_START_RANGE
    else:
        label_source, alternatives = _src(label), ADULT_START_DOSES
    return TestDoseSuggestion(
        dose, alternatives, reason, _BOSTER, label_source, label, tuple(screening_warnings(patient, label))
    )


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
        note=gettext(
            "Onset, peak and duration vary between patients with the dose, the severity of symptoms and the mode "
            "and rate of administration."
        ),
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
    first = (
        initial_test_dose(patient, label=label).dose
        if start is None
        else _read_test_dose(start, N_("first test dose"), label)
    )
    # The top of the ladder is the drug library's maximum test dose (its default: 100 µg, lionova 4.2).
    top, _ = _max_test_dose(label)
    ladder = [_clean(first)]
    while ladder[-1].magnitude < top * (1 - _RTOL):
        nxt = min(ladder[-1].magnitude + TEST_DOSE_STEP.magnitude, top)
        ladder.append(_clean(Q_(nxt, "ug")))
    return tuple(ladder)
