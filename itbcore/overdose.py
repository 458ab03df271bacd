"""Intrathecal baclofen overdose: signs, a severity grade and the labels' management steps.

For training only, not for treating patients.

Signs and management follow lionova 4.9, lioresal Overdose and baclorex 3.  Both labels say
there is no specific antidote (lionova 4.9; lioresal Overdose); the lioresal label all the same
lists physostigmine to reverse the CNS effects, which practice guidance advises against in most
overdoses — the suite shows both (see :func:`physostigmine` and
``itbcore.sources.differences("physostigmine")``).  Each step is worded as the profile's label words
it: lionova drains CSF when lumbar puncture is not contraindicated, lioresal "at an early stage"; only
lionova says that seizures come more often during recovery (``differences("seizures_in_recovery")``).

Severity grading (a teaching grade of the suite built on the labels' wording):

* ``severe`` — respiratory depression, apnoea or coma: the labels' signs of *severe*
  overdose (lionova 4.9: "ved alvorlig overdosering"; lioresal Overdose: "significant overdose");
* ``moderate`` — seizures or loss of consciousness: label signs that need their own
  urgent treatment (diazepam for seizures, airway protection) and herald a severe course;
* ``mild`` — any other label sign (hypotonia, drowsiness, dizziness, somnolence, sedation,
  staggering, hypothermia, hypersalivation, nausea, vomiting);
* ``none`` — no sign.

The grade is the highest class among the signs present, so adding a sign never lowers it.  The
actions come in the order lionova 4.9 gives them (admit, empty the pump, intubate, drain CSF, support the
circulation, diazepam for seizures), with a threat to the airway (respiratory depression, apnoea, coma,
loss of consciousness) first of all.

>>> a = assess(["drowsiness", "respiratory_depression"])
>>> a.severity
'severe'
>>> [x.code for x in a.actions][:3]
['intubate', 'admit', 'empty_pump']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import pint

from . import library
from .errors import InputError
from .i18n import N_, format_number, gettext, message
from .patient import Patient
from .sources import DEFAULT_LABEL, Action, Finding, check_label, cite, practice
from .units import Q_, QuantityLike, as_quantity, fmt

__all__ = [
    "SEVERITIES",
    "Sign",
    "SIGNS",
    "Assessment",
    "assess",
    "Repeat",
    "Regimen",
    "physostigmine",
    "CSF_DRAIN_VOLUME",
]

SeverityLevel = Literal["none", "mild", "moderate", "severe"]
#: Severity grades, least to most severe.
SEVERITIES: tuple[str, ...] = ("none", "mild", "moderate", "severe")

_L49 = cite("lionova", "4.9")
_LIO = cite("lioresal", "Overdose")
_BAC = cite("baclorex", "3")
_PRACTICE_PANEL = practice("Neuromodulation 2016, troubleshooting panel")

#: CSF to withdraw when lumbar puncture is not contraindicated (lionova 4.9; lioresal Overdose).
CSF_DRAIN_VOLUME: tuple[pint.Quantity, pint.Quantity] = (Q_(30.0, "mL"), Q_(40.0, "mL"))


@dataclass(frozen=True)
class Sign:
    """An overdose sign: its text, its severity class and the texts that list it.

    ``text_msgid`` is the sign's English text (its message in the catalogues); :attr:`text` is that text in the
    locale in force, translated when it is read.
    """

    code: str
    text_msgid: str
    severity: SeverityLevel
    source: str

    @property
    def text(self) -> str:
        """The sign as it is shown, in the locale in force."""
        return gettext(self.text_msgid)

    def __str__(self) -> str:
        return self.text


def _sign(code: str, text: str, severity: SeverityLevel, *sources: str) -> tuple[str, Sign]:
    return code, Sign(code, text, severity, "; ".join(sources))


#: Overdose signs by code (lionova 4.9 "Symptomer"; lioresal Overdose "Symptoms of overdose"; baclorex 3 "Aşırı
#: doz belirtileri"); each sign cites only the texts that name it: somnolence and sedation are lionova's words,
#: staggering lioresal's, and apnoea and coma are not in the leaflet.
SIGNS: dict[str, Sign] = dict(
    [
        _sign("hypotonia", N_("severe muscular hypotonia (unusual muscle weakness)"), "mild", _L49, _LIO, _BAC),
        _sign("drowsiness", N_("drowsiness"), "mild", _L49, _LIO, _BAC),
        _sign("dizziness", N_("dizziness or light-headedness"), "mild", _L49, _LIO, _BAC),
        _sign("somnolence", N_("somnolence"), "mild", _L49),
        _sign("sedation", N_("sedation"), "mild", _L49),
        _sign("staggering", N_("staggering (unsteady gait)"), "mild", _LIO),
        _sign("hypothermia", N_("hypothermia (abnormally low body temperature)"), "mild", _L49, _LIO, _BAC),
        _sign("hypersalivation", N_("hypersalivation"), "mild", _L49, _LIO, _BAC),
        _sign("nausea", N_("nausea"), "mild", _L49, _LIO, _BAC),
        _sign("vomiting", N_("vomiting"), "mild", _L49, _LIO, _BAC),
        _sign("seizures", N_("seizures (convulsions)"), "moderate", _L49, _LIO, _BAC),
        _sign("loss_of_consciousness", N_("loss of (or clouded) consciousness"), "moderate", _L49, _LIO, _BAC),
        _sign(
            "respiratory_depression", N_("respiratory depression (difficulty breathing)"), "severe", _L49, _LIO, _BAC
        ),
        _sign("apnea", N_("apnoea"), "severe", _L49, _LIO),
        _sign("coma", N_("coma"), "severe", _L49, _LIO),
    ]
)


def _read_signs(signs: Any, known: dict[str, Any], what: str) -> tuple[str, ...]:
    """Sign codes in a stable order (the order of ``known``); refuses unknown codes with InputError."""
    if signs is None:
        return ()
    if isinstance(signs, str):
        signs = [signs]
    try:
        items = list(signs)
    except TypeError:
        raise InputError(f"The {what}s must be a list of codes; known codes: {', '.join(known)}.") from None
    for item in items:
        if not isinstance(item, str) or item not in known:
            raise InputError(f"Unknown {what} code {item!r}; known codes: {', '.join(known)}.")
    present = set(items)
    return tuple(code for code in known if code in present)


@dataclass(frozen=True)
class Assessment:
    """The grade of an overdose and what to do, most urgent first.

    ``severity`` is none, mild, moderate or severe; ``actions`` are :class:`~itbcore.sources.Action`;
    ``findings`` explain the grade and the cautions; ``label`` is the profile applied.
    """

    severity: SeverityLevel
    actions: list[Action]
    findings: list[Finding]
    signs: tuple[str, ...]
    label: str
    source: str


def _src(label: str, lionova: str = "4.9") -> str:
    return _LIO if label == "lioresal" else cite("lionova", lionova)


def assess(
    signs: Iterable[str], *, lumbar_puncture_contraindicated: bool = False, label: str = DEFAULT_LABEL
) -> Assessment:
    """Grade an overdose from its signs and list the management steps, most urgent first.

    The order follows airway and breathing first, then seizures and circulation, then
    stopping further drug and admission, then removing drug already in the CSF:
    ``intubate`` → ``diazepam_for_seizures`` → ``cardiovascular_support`` → ``empty_pump`` →
    ``admit`` → ``csf_drain`` → ``physostigmine`` (lioresal profile only).

    Parameters
    ----------
    signs : iterable of str
        Sign codes from :data:`SIGNS` (a single code string is accepted too).
    lumbar_puncture_contraindicated : bool, optional
        When true the 30–40 mL CSF drainage is left out (lionova 4.9).
    label : {"lionova", "lioresal"}, optional
        The profile; only lioresal lists physostigmine.

    Returns
    -------
    Assessment
        The grade (none, mild, moderate or severe), the actions in the order above and the
        findings, each with its source.

    Raises
    ------
    InputError
        For an unknown sign code (the message lists the known codes).

    Examples
    --------
    >>> assess([]).severity
    'none'
    >>> a = assess(["seizures", "nausea"])
    >>> a.severity, a.actions[0].code
    ('moderate', 'admit')
    >>> assess(["apnea"], label="lioresal").actions[-1].code
    'physostigmine'
    >>> assess(["yawning"])
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: Unknown overdose sign code 'yawning'; known codes: hypotonia, drowsiness, ...
    """
    # (a) The boundary: check the label, read the sign codes and the flag.  assess takes no quantity, so
    # there is nothing to convert and nothing to wrap back: the kernel's result is the public result.
    check_label(label)
    codes = _read_signs(signs, SIGNS, "overdose sign")
    if not isinstance(lumbar_puncture_contraindicated, bool):
        raise InputError("Say whether lumbar puncture is contraindicated with True or False.")
    # (b) Every rule.
    return _assess_codes(codes, lumbar_puncture_contraindicated, label)


def _assess_codes(codes: tuple[str, ...], lumbar_puncture_contraindicated: bool, label: str) -> Assessment:
    """The rules of :func:`assess` on sign codes already read (known, in the order of :data:`SIGNS`),
    a checked flag and a checked label."""
    severity: SeverityLevel = "none"
    for code in codes:
        if SEVERITIES.index(SIGNS[code].severity) > SEVERITIES.index(severity):
            severity = SIGNS[code].severity
    source = _src(label)

    findings: list[Finding] = []
    if severity == "none":
        findings.append(
            Finding(
                "no_overdose_signs",
                "info",
                gettext("No overdose sign is present; keep watching, since signs can come suddenly or gradually."),
                source,
            )
        )
        return Assessment("none", [], findings, codes, label, source)

    severe_signs = [c for c in codes if SIGNS[c].severity == "severe"]
    findings.append(
        Finding(
            "severity_grade",
            "warning" if severity != "severe" else "violation",
            message(
                "Graded severe: {signs} mark a severe overdose.", signs=", ".join(SIGNS[c].text for c in severe_signs)
            )
            if severe_signs
            else gettext("Graded moderate: the highest class among the signs present.")
            if severity == "moderate"
            else gettext("Graded mild: the highest class among the signs present."),
            source,
        )
    )

    # lionova 4.9 "Behandling" gives the steps in this order: admit at the first signs; remove the solution
    # from the pump as soon as possible; intubate for respiratory depression; withdraw 30-40 mL CSF if lumbar
    # puncture is not contraindicated; maintain cardiovascular function; IV diazepam for seizures.  A threat
    # to the airway comes first of all (the most urgent step), then the label's order.
    actions: list[Action] = []
    breathing = {"respiratory_depression", "apnea"} & set(codes)
    unconscious = {"coma", "loss_of_consciousness"} & set(codes)
    if breathing:
        # lionova 4.9: intubate patients with respiratory depression until baclofen is eliminated.
        actions.append(
            Action(
                "intubate",
                gettext(
                    "Intubate if needed for respiratory depression and ventilate until the baclofen is eliminated."
                ),
                source,
            )
        )
    elif unconscious:
        # lionova 4.9: respiratory depression, apnoea and coma come together in severe overdose; an unconscious
        # patient cannot protect the airway, so airway and breathing are secured before anything else.
        actions.append(
            Action(
                "intubate",
                gettext(
                    "Secure the airway and support breathing: an unconscious patient cannot protect the "
                    "airway and may stop breathing; intubate if breathing is depressed."
                ),
                source,
            )
        )
    # lionova 4.9: admit at the first signs if treated as an outpatient (lioresal does not say it).
    actions.append(Action("admit", gettext("Admit the patient to hospital and monitor closely."), _L49))
    # lionova 4.9: remove the remaining solution from the pump as soon as possible.
    actions.append(
        Action("empty_pump", gettext("Remove the remaining baclofen solution from the pump reservoir at once."), source)
    )
    single_mild = len(codes) == 1 and severity == "mild"
    if lumbar_puncture_contraindicated:
        findings.append(
            Finding(
                "csf_drain_not_possible",
                "info",
                gettext(
                    "Lumbar puncture is contraindicated, so CSF drainage to lower the baclofen concentration "
                    "is left out."
                ),
                source,
            )
        )
    elif single_mild:
        # lionova 4.9 drains CSF to lower a high concentration; one mild sign alone does not show one.
        findings.append(
            Finding(
                "csf_drain_not_indicated",
                "info",
                message(
                    "A single mild sign ({text}) does not call for CSF drainage; watch for further signs.",
                    text=SIGNS[codes[0]].text,
                ),
                source,
            )
        )
    else:
        lo, hi = CSF_DRAIN_VOLUME
        if label == "lioresal":
            # lioresal Overdose: "At an early stage of an overdose, if a lumbar puncture is not contraindicated,
            # consider removing 30-40 ml of cerebrospinal fluid".
            drain = message(
                "At an early stage of the overdose, if lumbar puncture is not contraindicated, consider "
                "withdrawing {lo}–{hi} of CSF to lower the baclofen concentration.",
                lo=float(lo.magnitude),
                hi=fmt(hi),
            )
        else:
            # lionova 4.9: "Hvis lumbalpunksjon ikke er kontraindisert, kan det trekkes ut 30 til 40 ml CSF" — with
            # no stage of the overdose (the "early stage" is lioresal's).
            drain = message(
                "If lumbar puncture is not contraindicated, {lo}–{hi} of CSF may be withdrawn "
                "to lower the baclofen concentration.",
                lo=float(lo.magnitude),
                hi=fmt(hi),
            )
        actions.append(Action("csf_drain", drain, source))
    # lionova 4.9: maintain cardiovascular function.
    actions.append(
        Action(
            "cardiovascular_support", gettext("Support cardiovascular function (blood pressure, heart rate)."), source
        )
    )
    if "seizures" in codes:
        # lionova 4.9: IV diazepam, given with care, for seizures.
        actions.append(Action("diazepam_for_seizures", gettext("Give diazepam IV, with care, for seizures."), source))
    if label == "lioresal" and severity in ("moderate", "severe"):
        # lioresal Overdose only; practice guidance advises against it in most overdoses.
        actions.append(
            Action(
                "physostigmine",
                gettext(
                    "Consider physostigmine IV (lioresal label) to reverse CNS effects such as drowsiness "
                    "and respiratory depression, with careful monitoring."
                ),
                _LIO,
            )
        )
        findings.append(
            Finding(
                "physostigmine_disputed",
                "warning",
                gettext(
                    "Practice guidance advises against physostigmine in most baclofen overdoses; it may "
                    "cause seizures, bradycardia and conduction disturbance."
                ),
                _PRACTICE_PANEL,
            )
        )
        if "seizures" in codes:
            findings.append(
                Finding(
                    "physostigmine_with_seizures",
                    "warning",
                    gettext("Physostigmine can itself provoke seizures, and this patient is already seizing."),
                    _LIO,
                )
            )
    if label == "lioresal":
        # lioresal Overdose: "There is no specific antidote for the treatment of an overdose of the drug that has
        # occurred during its intrathecal administration" — and then it lists physostigmine all the same.
        findings.append(
            Finding(
                "no_antidote",
                "info",
                gettext(
                    "There is no specific antidote for an overdose of intrathecal baclofen; the label lists "
                    "physostigmine IV only as a drug that may reverse the CNS effects."
                ),
                _LIO,
            )
        )
    else:
        # lionova 4.9: "Det finnes ingen spesifikk antidot til behandling av overdosering av baklofen".
        findings.append(
            Finding(
                "no_antidote",
                "info",
                gettext(
                    "There is no specific antidote for the treatment of baclofen overdose; the steps above "
                    "are followed."
                ),
                _L49,
            )
        )
    if "seizures" in codes:
        # lionova 4.9 alone says it (lioresal Overdose is silent on when seizures come), so it cites lionova under
        # either profile.
        findings.append(
            Finding(
                "seizures_in_recovery",
                "info",
                gettext("Seizures can come with rising doses or, more often, during recovery from an overdose."),
                _L49,
            )
        )
    return Assessment(severity, actions, findings, codes, label, source)


@dataclass(frozen=True)
class Repeat:
    """How a dose may be repeated: the dose, the interval (or ``None``) and until when."""

    dose: pint.Quantity
    interval: tuple[pint.Quantity, pint.Quantity] | None
    until: str


@dataclass(frozen=True)
class Regimen:
    """A physostigmine regimen from the lioresal label.

    ``dose`` is mg per dose (adults: the upper end of 1–2 mg, see ``dose_range``);
    ``max_total`` the cap on the total in mg (``None`` for adults, the label sets none);
    ``over`` the administration time (adults 5–10 min) or ``None``; ``max_rate`` the
    fastest rate (children 0.5 mg/min) or ``None``; ``repeat`` how to repeat;
    ``cautions`` findings, the practice-guidance caution among them.
    """

    population: str
    dose: pint.Quantity
    dose_range: tuple[pint.Quantity, pint.Quantity]
    max_total: pint.Quantity | None
    over: tuple[pint.Quantity, pint.Quantity] | None
    max_rate: pint.Quantity | None
    repeat: Repeat
    route: str
    cautions: tuple[Finding, ...]
    source: str
    label: str = "lioresal"

    @property
    def dose_text(self) -> str:
        """The dose as the label gives it: a range for adults ("1–2 mg"), one figure for a child."""
        lo, hi = self.dose_range
        return fmt(hi) if lo == hi else f"{format_number(float(lo.magnitude), 6)}–{fmt(hi)}"

    @property
    def min_duration(self) -> pint.Quantity:
        """The shortest time over which one dose may be given."""
        if self.over is not None:
            return self.over[0]
        assert self.max_rate is not None
        return (self.dose / self.max_rate).to("min")


#: The cautions of every regimen, in English (their messages marked for the catalogues); :func:`physostigmine`
#: hands out copies in the locale in force (:func:`_cautions`).
_CAUTIONS: tuple[Finding, ...] = (
    Finding(
        "physostigmine_adverse",
        "warning",
        N_("Physostigmine IV can cause seizures, bradycardia and cardiac conduction disturbance; monitor closely."),
        _LIO,
    ),
    Finding(
        "physostigmine_may_fail",
        "warning",
        N_("In a massive overdose physostigmine may not work, and ventilation may be needed."),
        _LIO,
    ),
    Finding(
        "physostigmine_practice_against",
        "warning",
        N_(
            "Practice guidance advises against physostigmine in most baclofen overdoses; both labels "
            "say there is no specific antidote."
        ),
        _PRACTICE_PANEL,
    ),
)


def _cautions() -> tuple[Finding, ...]:
    return tuple(replace(f, message=gettext(f.message)) for f in _CAUTIONS)


def physostigmine(patient: Patient, weight: QuantityLike | None = None) -> Regimen:
    """The physostigmine regimen of the lioresal label for this patient.

    Adults: 1–2 mg IV over 5–10 min; if it helps, 1 mg may be repeated every 30–60 min
    to keep breathing and consciousness.  Children: 0.02 mg/kg IV at no more than
    0.5 mg/min, repeated until effect or to a maximum of 2 mg (lioresal Overdose).
    Only lioresal lists it; practice guidance advises against it in most overdoses.

    A child under 4 years is not refused, unlike every planning answer of the core: this treats an overdose
    that has already happened, and the lioresal Overdose section doses children by weight with no lower age
    (its "Childhood <4 years" contraindication is to intrathecal baclofen, not to this treatment).

    Parameters
    ----------
    patient : Patient
    weight : Quantity or str, optional
        Body weight; needed for a child unless ``patient.weight`` is set (this argument wins).

    Returns
    -------
    Regimen

    Raises
    ------
    InputError
        When a child's weight is unknown, or ``patient`` is not a :class:`~itbcore.patient.Patient`.

    Examples
    --------
    >>> r = physostigmine(Patient(40, "spinal"))
    >>> fmt(r.dose), r.max_total, [fmt(x) for x in r.over]
    ('2 mg', None, ['5 min', '10 min'])
    >>> child = physostigmine(Patient(8, "cerebral"), weight="25 kg")
    >>> fmt(child.dose), fmt(child.max_total), fmt(child.max_rate)
    ('0.5 mg', '2 mg', '0.5 mg/min')
    """
    if not isinstance(patient, Patient):
        raise InputError(f"Physostigmine needs a Patient, not {type(patient).__name__}.")
    if patient.population == "adult":
        # lioresal Overdose: adults 1–2 mg IV over 5–10 min; repeat 1 mg every 30–60 min if it helps.
        return Regimen(
            population="adult",
            dose=Q_(2.0, "mg"),
            dose_range=(Q_(1.0, "mg"), Q_(2.0, "mg")),
            max_total=None,
            over=(Q_(5.0, "min"), Q_(10.0, "min")),
            max_rate=None,
            repeat=Repeat(
                Q_(1.0, "mg"),
                (Q_(30.0, "min"), Q_(60.0, "min")),
                gettext("if it helps, to keep adequate breathing and consciousness"),
            ),
            route="IV",
            cautions=_cautions(),
            source=_LIO,
        )
    w_value = weight if weight is not None else patient.weight
    if w_value is None:
        raise InputError(
            message("A child's physostigmine dose is 0.02 mg/kg, so the weight is needed ({lio}).", lio=_LIO)
        )
    w = as_quantity(w_value, "kg", gettext("weight"))
    library.hard_check("weight", float(w.magnitude), "kg", gettext("weight"))
    cap = Q_(2.0, "mg")
    # lioresal Overdose: children 0.02 mg/kg at ≤ 0.5 mg/min, repeated until effect or 2 mg in all.
    per_dose = (Q_(0.02, "mg/kg") * w).to("mg")
    if per_dose > cap:
        per_dose = cap
    return Regimen(
        population="pediatric",
        dose=per_dose,
        dose_range=(per_dose, per_dose),
        max_total=cap,
        over=None,
        max_rate=Q_(0.5, "mg/min"),
        repeat=Repeat(per_dose, None, gettext("until effect, or until 2 mg have been given in all")),
        route="IV",
        cautions=_cautions(),
        source=_LIO,
    )
