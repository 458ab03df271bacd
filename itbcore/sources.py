"""Label profiles, citations and the places where the labels disagree.

Every rule in the suite cites a label key and section, e.g. ``"lionova 4.2"``.
The three product texts live in ``shared/seeds`` (see :data:`LABELS`).  Practice
guidance that goes beyond the labels is cited with :data:`PRACTICE` and is never
mixed silently with a label rule.

>>> cite("lionova", "4.2")
'lionova 4.2'
>>> check_label("lioresal")
'lioresal'
>>> check_label("lioresol")
Traceback (most recent call last):
...
itbcore.errors.LabelError: Unknown label profile 'lioresol'; choose one of: lionova, lioresal, baclorex.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from .errors import InputError, LabelError

__all__ = [
    "LabelProfile",
    "LABELS",
    "DEFAULT_LABEL",
    "RULE_LABELS",
    "PRACTICE",
    "cite",
    "practice",
    "Severity",
    "SeverityName",
    "most_severe_first",
    "check_label",
    "check_rule_label",
    "Finding",
    "Action",
    "LabelDifference",
    "LABEL_DIFFERENCES",
    "LABEL_MAP",
    "cited_sections",
    "section",
    "differences",
]


@dataclass(frozen=True)
class LabelProfile:
    """One of the three product texts the suite is built from."""

    key: str
    product: str
    document: str
    country: str
    year: int
    language: str
    seed_file: str


LABELS: dict[str, LabelProfile] = {
    "lionova": LabelProfile(
        "lionova", "Lionova 50 µg/mL, 0.5 mg/mL, 2 mg/mL",
        "Summary of product characteristics (SmPC), sections 4.1–6.6",
        "Norway", 2021, "Norwegian", "000_2fd8641a6ccf2b8c.txt",
    ),
    "lioresal": LabelProfile(
        "lioresal", "Lioresal Intrathecal", "Instructions for medical use (Novartis, Russian registration)",
        "Russia", 2014, "English translation", "001_44a8ff065085413d.txt",
    ),
    "baclorex": LabelProfile(
        "baclorex", "Baclorex 0.05 mg/mL", "Patient leaflet", "Turkey", 2021, "Turkish", "002_605159c14b4e1c9e.txt",
    ),
}

#: The default label profile: the most complete text.
DEFAULT_LABEL = "lionova"
#: Profiles a user may choose where dosing rules differ (baclorex is a leaflet for the 50 µg/mL strength only).
RULE_LABELS = ("lionova", "lioresal")

#: Prefix of every citation of practice guidance beyond the labels.
PRACTICE = "practice guidance"


def check_label(label: str) -> str:
    """Return ``label`` if it names a known profile, else raise :class:`LabelError`."""
    if not isinstance(label, str) or label not in LABELS:
        raise LabelError(f"Unknown label profile {label!r}; choose one of: {', '.join(LABELS)}.")
    return label


def check_rule_label(label: str) -> str:
    """Return ``label`` if it carries dosing rules (lionova, lioresal), else raise :class:`LabelError`.

    >>> check_rule_label("baclorex")
    Traceback (most recent call last):
    ...
    itbcore.errors.LabelError: The baclorex text is a patient leaflet without screening, dosing or pump rules; choose
    one of: lionova, lioresal.
    """
    check_label(label)
    if label not in RULE_LABELS:
        raise LabelError(
            f"The {label} text is a patient leaflet without screening, dosing or pump rules; "
            f"choose one of: {', '.join(RULE_LABELS)}."
        )
    return label


def cite(label: str, section: str) -> str:
    """A citation string ``"<label> <section>"`` for a known label key."""
    return f"{check_label(label)} {section}"


def practice(reference: str) -> str:
    """A citation of practice guidance beyond the labels.

    >>> practice("Neuromodulation 2016, Saulino et al.")
    'practice guidance: Neuromodulation 2016, Saulino et al.'
    """
    return f"{PRACTICE}: {reference}"


#: A finding's severity as it is written and stored (``Finding.severity``).
SeverityName = Literal["info", "warning", "violation"]


class Severity(StrEnum):
    """How much a finding matters, in order: ``Severity("info") < Severity("warning") < Severity("violation")``.

    A ``str`` enum: equal to the word it stands for (``Severity.VIOLATION == "violation"``).
    :func:`most_severe_first` is the one ordering the core and the apps use.

    >>> Severity("warning") > Severity.INFO, max(map(Severity, ["info", "violation", "warning"]))
    (True, 'violation')
    """

    INFO = "info"
    WARNING = "warning"
    VIOLATION = "violation"

    @classmethod
    def _missing_(cls, value: object) -> Severity:
        raise InputError(f"A severity is one of info, warning, violation, not {value!r}.")

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for violation."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __repr__(self) -> str:
        return repr(self.value)


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.VIOLATION: 2}
_SEVERITIES = tuple(s.value for s in Severity)


def most_severe_first(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` with violations first, then warnings, then information; each group in its given order."""
    if isinstance(findings, (str, bytes)) or not isinstance(findings, Iterable):
        raise InputError(f"Give the findings as a list of Finding records, not {findings!r}.")
    items = list(findings)
    for f in items:
        if not isinstance(f, Finding):
            raise InputError(f"Only findings can be ordered by severity, not {f!r}.")
    return sorted(items, key=lambda f: -Severity(f.severity).rank)


@dataclass(frozen=True)
class Finding:
    """Something a rule says about a proposal: ``severity`` is info, warning or violation."""

    code: str
    severity: SeverityName
    message: str
    source: str

    def __post_init__(self) -> None:
        if self.severity not in _SEVERITIES:
            raise InputError(f"A finding's severity must be one of {', '.join(_SEVERITIES)}, not {self.severity!r}.")



@dataclass(frozen=True)
class Action:
    """One step of management, with the section that asks for it."""

    code: str
    text: str
    source: str


@dataclass(frozen=True)
class LabelDifference:
    """A point where the texts (or the labels and practice guidance) say different things."""

    code: str
    topic: str
    values: dict[str, str] = field(hash=False)
    sources: dict[str, str] = field(hash=False)
    note: str = ""


LABEL_DIFFERENCES: tuple[LabelDifference, ...] = (
    LabelDifference(
        "pediatric_titration_limits",
        "Daily increase during titration, children",
        {"lionova": "no separate paediatric band; the adult bands by origin (spinal +10–30 %, cerebral +5–15 %)",
         "lioresal": "children, spinal origin: +5–15 % per 24 h; cerebral origin (adults and children): +5–15 %"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: phase of dose selection"},
        "Lioresal allows children of spinal origin only half the adult spinal band.",
    ),
    LabelDifference(
        "pediatric_initial_maintenance",
        "Initial maintenance range, children 4 to < 18 years",
        {"lionova": "25–200 µg/day (mean 100 µg/day)", "lioresal": "35–200 µg/day"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: supportive therapy"},
    ),
    LabelDifference(
        "physostigmine",
        "Physostigmine in overdose",
        {"lionova": "not mentioned: no antidote, supportive care only",
         "lioresal": "adults 1–2 mg IV over 5–10 min, may repeat 1 mg every 30–60 min; children 0.02 mg/kg IV at ≤ "
                     "0.5 mg/min, up to 2 mg",
         PRACTICE: "advises against physostigmine in most overdoses (troubleshooting panel, Neuromodulation 2016)"},
        {"lionova": "lionova 4.9", "lioresal": "lioresal Overdose",
         PRACTICE: practice("Neuromodulation 2016, troubleshooting panel")},
        "The labels and practice disagree: the suite shows the lioresal regimen with the practice caution.",
    ),
    LabelDifference(
        "under_4",
        "Children under 4 years",
        {"lionova": "safety and efficacy not established", "lioresal": "contraindicated"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Contraindications"},
    ),
    LabelDifference(
        "twelve_hour_boundary",
        "First daily dose when the test dose's effect lasted exactly 12 h",
        {"lionova": "'over 12 h' → equal to the test dose, 'under 12 h' → double; exactly 12 h is not covered (the "
                    "suite doubles)",
         "lioresal": "'up to 12 h' → double, 'more than 12 h' → equal, so exactly 12 h → double",
         PRACTICE: "double, or equal when the effect lasted more than 8 h or caused side effects"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: phase of dose selection",
         PRACTICE: practice("Neuromodulation 2016, Saulino et al.")},
        "Lionova leaves exactly 12 h open; practice guidance uses 8 h instead of 12 h.",
    ),
    LabelDifference(
        "pediatric_maintenance_band",
        "Daily increase in maintenance, children",
        {"lionova": "no separate paediatric band; the adult maintenance bands by origin apply",
         "lioresal": "maintenance bands are given for adults only; the suite keeps the children's +5–15 % band "
                     "from the dose-selection phase (a cautious choice, not a label statement)"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: supportive therapy"},
        "Lioresal is silent on children in maintenance; the suite's choice is marked as its own.",
    ),
    LabelDifference(
        "change_interval_wording",
        "What may change only once per 24 h with a programmable pump",
        {"lionova": "the dose is adjusted (any change, up or down) only once in 24 h",
         "lioresal": "the dose is increased only once in 24 h (decreases are not limited by the text)"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: phase of dose selection"},
        "So a second decrease within 24 h is a warning under lionova and only a note under lioresal.",
    ),
    LabelDifference(
        "csf_volume_mean",
        "Mean CSF volume of distribution",
        {"lionova": "22–157 mL, mean about 75 mL (about the human CSF volume)",
         "lioresal": "22–157 mL; no mean stated"},
        {"lionova": "lionova 5.2", "lioresal": "lioresal Pharmacokinetics"},
        "The model's default of 75 mL comes from lionova.",
    ),
    LabelDifference(
        "pump_stability",
        "How long the solution may stay in the pump",
        {"lionova": "no stability period in the pump stated", "lioresal": "11 weeks in a SynchroMed pump",
         PRACTICE: "manufacturers cap refill intervals at 180 days"},
        {"lionova": "lionova 6.3", "lioresal": "lioresal Stability of the drug",
         PRACTICE: practice("device documentation")},
        "Under the lioresal profile a refill plan is capped at 11 weeks.",
    ),
    LabelDifference(
        "epilepsy_contraindication",
        "Treatment-resistant epilepsy",
        {"lionova": "a contraindication", "baclorex": "a contraindication",
         "lioresal": "not a contraindication (only hypersensitivity and age under 4 are); particular attention to "
                     "patients with epilepsy"},
        {"lionova": "lionova 4.3", "baclorex": "baclorex 2", "lioresal": "lioresal Carefully"},
        "Under the lionova profile screening treats it as a violation, under lioresal as a warning.",
    ),
    LabelDifference(
        "renal_impairment",
        "Renal impairment",
        {"lionova": "the dose may need to be reduced for the clinical state and degree of impairment; caution",
         "lioresal": "care must be taken: baclofen is excreted unchanged by the kidneys"},
        {"lionova": "lionova 4.2, lionova 4.4", "lioresal": "lioresal Carefully"},
        "Only lionova says the dose may need to be reduced.",
    ),
    LabelDifference(
        "older_patients",
        "Patients 65 years and older",
        {"lionova": "65 and over: adverse effects may be more frequent; monitor closely",
         "lioresal": "over 65: tolerability similar to younger patients; with individual dosing a higher risk of "
                     "adverse events is unlikely"},
        {"lionova": "lionova 4.2, lionova 4.4", "lioresal": "lioresal Carefully"},
        "Under the lionova profile screening warns from 65; under lioresal it notes the age over 65.",
    ),
    LabelDifference(
        "limited_data_age",
        "Children: below which age data are limited",
        {"lionova": "under 4 years (limited experience; safety not established)",
         "baclorex": "for children from 4 years",
         "lioresal": "under 6 years (clinical data limited)"},
        {"lionova": "lionova 4.2", "baclorex": "baclorex 2", "lioresal": "lioresal Carefully"},
        "Screening notes the limited data under 6 only under the lioresal profile.",
    ),
    LabelDifference(
        "hepatic_impairment",
        "Hepatic impairment",
        {"lionova": "severe hepatic impairment is on the caution list",
         "lioresal": "no studies; the liver plays no significant role in intrathecal baclofen, so a dose change is "
                     "unlikely to be needed"},
        {"lionova": "lionova 4.4", "lioresal": "lioresal Carefully"},
    ),
    LabelDifference(
        "breast_feeding",
        "Breast-feeding",
        {"lionova": "can be used while breast-feeding: clinically relevant levels in milk are not expected",
         "lioresal": "no special recommendations: not excreted in milk after intrathecal use",
         "baclorex": "not known whether it reaches milk measurably; the doctor weighs breast-feeding against "
                     "treatment"},
        {"lionova": "lionova 4.6", "lioresal": "lioresal Pregnancy and lactation", "baclorex": "baclorex 2"},
    ),
    LabelDifference(
        "storage",
        "Storage and shelf life",
        {"lionova": "no special storage conditions; 3 years (1 and 5 mL ampoules), 4 years (20 mL); use at once "
                    "after opening",
         "lioresal": "at no more than 30 °C, not frozen, not heat-sterilised; 3 years",
         "baclorex": "below 30 °C, protected from heat; a diluted solution within 24 h"},
        {"lionova": "lionova 6.3, lionova 6.4", "lioresal": "lioresal Storage conditions, Shelf life",
         "baclorex": "baclorex 5"},
    ),
    LabelDifference(
        "drug_holiday",
        "The refractory patient: drug holiday",
        {"lionova": "gradual reduction over 2–4 weeks with other antispastic treatment, in hospital; restart at the "
                    "initial continuous dose",
         "lioresal": "gradual reduction over 2–4 weeks and a switch to another antispastic (for example morphine "
                     "sulfate); sensitivity may recover within a few days; care when switching to morphine and back"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: supportive therapy"},
        "Only lioresal names morphine as the alternative and a recovery within days.",
    ),
    LabelDifference(
        "dose_range_12_2003",
        "12–2003 µg/day",
        {"lionova": "the lowest and highest daily doses given to single patients during titration (US studies)",
         "lioresal": "the range of maintenance doses"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: supportive therapy"},
        "The same numbers for a different phase: the drug library's soft limit uses them for every daily dose.",
    ),
    LabelDifference(
        "observation_windows",
        "Observation after a bolus and after a refill",
        {"lionova": "observe 4–8 h after each test bolus and 24 h after each refill",
         "lioresal": "states that a bolus acts for 4–8 h, but no observation window after a bolus or a refill"},
        {"lionova": "lionova 4.2, lionova 4.4", "lioresal": "lioresal Pharmacodynamics"},
        "The suite applies lionova's windows under both profiles, citing lionova.",
    ),
    LabelDifference(
        "test_dose_endpoint",
        "When test-dose escalation ends",
        {"lionova": "at a positive response, or at 100 µg without one",
         "lioresal": "raised until an effect lasting about 4–8 h is seen, at most 100 µg"},
        {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: initial phase"},
    ),
)

#: Every section of the three texts and what teaches it (see :mod:`itbcore.label_map`).
from .label_map import LABEL_MAP, cited_sections, section  # noqa: E402


def differences(code: str | None = None) -> tuple[LabelDifference, ...]:
    """The label differences, or the one with ``code``.

    >>> [d.code for d in differences("under_4")]
    ['under_4']
    """
    if code is None:
        return LABEL_DIFFERENCES
    if not isinstance(code, str):
        raise LabelError(f"A label difference is named by a text code, not {code!r}.")
    found = tuple(d for d in LABEL_DIFFERENCES if d.code == code)
    if not found:
        raise LabelError(f"No recorded label difference {code!r}.")
    return found
