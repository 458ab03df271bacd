"""The adverse-effect profile of intrathecal baclofen as data: effect, frequency band, what raises it.

For training only, not for treating patients.

From lioresal "Side effects" (frequency bands: very often > 1/10, often > 1/100, infrequently > 1/1,000,
rarely > 1/10,000; the study percentages where the text gives them) and lionova 4.8 (very common:
somnolence and hypotonia).  The text says seizures, headache, nausea and vomiting and urinary retention
are more frequent with spasticity of cerebral origin.  The lowering of blood pressure is printed as
37.4 % but filed under "often": both are kept, as the text has them.

>>> [e.effect for e in by_band("very often")][:3]
['drowsiness', 'headache', 'seizures']
>>> [e.effect for e in ADVERSE_EFFECTS if e.more_with_cerebral][:2]
['headache', 'seizures']
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

__all__ = ["AdverseEffect", "ADVERSE_EFFECTS", "BANDS", "by_band"]

#: Frequency bands as lioresal "Side effects" defines them, most frequent first.
BANDS = ("very often", "often", "infrequently", "rarely", "unknown")
_SRC = "lioresal Side effects"


@dataclass(frozen=True)
class AdverseEffect:
    effect: str
    system: str
    band: str
    percent: float | None = None
    more_with_cerebral: bool = False
    source: str = _SRC
    note: str = ""


def _e(effect: str, system: str, band: str, percent: float | None = None, cerebral: bool = False,
       source: str = _SRC, note: str = "") -> AdverseEffect:
    return AdverseEffect(effect, system, band, percent, cerebral, source, note)


ADVERSE_EFFECTS: tuple[AdverseEffect, ...] = (
    _e("drowsiness", "nervous system", "very often", 24.8, source=f"{_SRC}; lionova 4.8",
       note="somnolence: very common in lionova 4.8"),
    _e("headache", "nervous system", "very often", 19.9, cerebral=True),
    _e("seizures", "nervous system", "very often", 10.4, cerebral=True),
    _e("urinary retention", "kidneys and urinary system", "very often", 11.4, cerebral=True),
    _e("muscle hypotonia", "musculoskeletal system", "very often", source=f"{_SRC}; lionova 4.8"),
    _e("lowering of blood pressure", "vessels", "often", 37.4,
       note="printed as 37.4 % but filed under 'often'"),
    _e("confusion, sedation, dizziness, lethargy, insomnia, disorientation, paraesthesia", "nervous system", "often"),
    _e("depression, anxiety, agitation", "mental disorders", "often"),
    _e("respiratory depression, pneumonia, dyspnoea", "respiratory system", "often"),
    _e("nausea and vomiting", "gastrointestinal tract", "often", cerebral=True),
    _e("blurred vision, diplopia", "eye", "often"),
    _e("asthenia, pyrexia, pain, chills", "general", "often"),
    _e("suicidal thoughts and attempts, hallucinations, paranoia", "mental disorders", "infrequently"),
    _e("bradycardia", "heart", "infrequently"),
    _e("deep vein thrombosis, raised blood pressure", "vessels", "infrequently"),
    _e("hypothermia", "general", "infrequently"),
    _e("life-threatening withdrawal after a sudden stop", "general", "rarely"),
    _e("catheter granuloma (inflammatory mass), dislodgement, infection, meningitis, overdose from handling",
       "infusion system", "unknown", source=f"{_SRC}; lionova 4.4"),
)


def by_band(band: str) -> tuple[AdverseEffect, ...]:
    """The effects of one frequency band, in the text's order."""
    if band not in BANDS:
        raise InputError(f"The frequency band {band!r} is not known; choose one of: {', '.join(BANDS)}.")
    return tuple(e for e in ADVERSE_EFFECTS if e.band == band)
