"""The adverse-effect profile of intrathecal baclofen as data: one row per effect, each label's frequency band.

For training only, not for treating patients.

Every :class:`AdverseEffect` is one effect (``code``, the suite's English name, the system organ class) with the
band that each label gives it (:meth:`AdverseEffect.band_in`): lionova 4.8 (the table of the SmPC), lioresal
"Side effects" and the baclorex leaflet (section 4, in a patient's words; the rows note the leaflet's wording
where it is not the effect's name).  The three texts use one scale (> 1/10, > 1/100, > 1/1,000, > 1/10,000, not
known); :data:`BANDS` names its steps as lioresal does and :data:`BAND_NAMES` as each label does (lionova's
"vanlige" is "common", lioresal's "often").  A label that lists an effect apart from its frequencies (the
device events, the ovarian cysts) gives it :data:`LISTED`; a label that does not mention it gives nothing.
Percentages are the label's own (lioresal's study figures; the ovarian cysts in lionova 4.8 and baclorex 2).

Where lionova and lioresal rate an effect differently, or only one of them lists it, or the leaflet rates it
where the other two do not, the row names the :mod:`label difference <itbcore.sources>` that records it
(:attr:`AdverseEffect.difference`); the leaflet's silence on an effect it does not put in lay words is not a
difference.

>>> [e.code for e in by_band("very often")]
['drowsiness', 'hypotonia']
>>> [e.code for e in by_band("very often", label="lioresal")]
['drowsiness', 'seizures', 'headache', 'hypotonia', 'urinary_retention']
>>> e = effect("seizures"); e.band_in("lionova"), e.band_in("lioresal"), e.percent["lioresal"], e.difference
('often', 'very often', 10.4, 'adverse_seizures_headache_urinary_retention')
>>> band_name("often", "lionova"), band_name("often", "baclorex")
('common', 'common')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InputError

__all__ = [
    "AdverseEffect",
    "ADVERSE_EFFECTS",
    "BANDS",
    "BAND_NAMES",
    "LISTED",
    "RATING_LABELS",
    "by_band",
    "band_name",
    "effect",
]

#: The frequency bands, most frequent first, as lioresal "Side effects" names them (lionova 4.8 and baclorex 4
#: use the same limits: > 1/10, > 1/100, > 1/1,000, > 1/10,000, not known).  No effect is "very rare" in any label.
BANDS = ("very often", "often", "infrequently", "rarely", "unknown")
#: An effect the label lists without a frequency (apart from its table).
LISTED = "listed"
#: The labels that rate adverse effects, and the section each rates them in.
RATING_LABELS = {"lionova": "lionova 4.8", "lioresal": "lioresal Side effects", "baclorex": "baclorex 4"}
#: Each label's own name of each band (lionova: svært vanlige, vanlige, mindre vanlige, sjeldne, ikke kjent;
#: baclorex: çok yaygın, yaygın, yaygın olmayan, seyrek, bilinmiyor), and of an effect listed without one.
BAND_NAMES: dict[str, dict[str, str]] = {
    "lionova": dict(
        zip(
            (*BANDS, LISTED),
            ("very common", "common", "uncommon", "rare", "not known", "listed, no frequency"),
            strict=True,
        )
    ),
    "lioresal": {**{b: b for b in BANDS}, LISTED: "listed, no frequency"},
    "baclorex": dict(
        zip(
            (*BANDS, LISTED),
            ("very common", "common", "uncommon", "rare", "not known", "listed, no frequency"),
            strict=True,
        )
    ),
}


@dataclass(frozen=True)
class AdverseEffect:
    """One adverse effect and what each label says of its frequency.

    ``bands`` maps a label key to its band (one of :data:`BANDS`, or :data:`LISTED`); a label absent from it does
    not mention the effect.  ``percent`` maps a label key to the percentage it prints.  ``source`` cites every
    section the row rests on; ``difference`` is the code of the label difference that records a disagreement."""

    code: str
    effect: str
    system: str
    bands: dict[str, str] = field(hash=False)
    percent: dict[str, float] = field(default_factory=dict, hash=False)
    more_with_cerebral: bool = False
    source: str = ""
    note: str = ""
    difference: str = ""

    def band_in(self, label: str) -> str | None:
        """The band ``label`` gives the effect, :data:`LISTED`, or None when the label does not mention it."""
        if label not in RATING_LABELS:
            raise InputError(f"The label {label!r} is not known; choose one of: {', '.join(RATING_LABELS)}.")
        return self.bands.get(label)

    @property
    def differs(self) -> bool:
        """True when lionova and lioresal rate the effect differently (or one of them does not list it), or the
        leaflet rates it differently from a label that lists it."""
        main = {self.bands.get("lionova"), self.bands.get("lioresal")}
        bac = self.bands.get("baclorex")
        return len(main) > 1 or (bac is not None and bac not in main)


VO, OF, IN, RA, UN = BANDS
LI = LISTED
_SECTION_OF = dict(RATING_LABELS)


def _e(
    code: str,
    effect: str,
    system: str,
    lionova: str | None = None,
    lioresal: str | None = None,
    baclorex: str | None = None,
    pct: float | None = None,
    cerebral: bool = False,
    note: str = "",
    diff: str = "",
    extra: str = "",
    baclorex_section: str = "baclorex 4",
    percent: dict[str, float] | None = None,
) -> AdverseEffect:
    bands = {k: v for k, v in (("lionova", lionova), ("lioresal", lioresal), ("baclorex", baclorex)) if v}
    cites = [_SECTION_OF[k] if k != "baclorex" else baclorex_section for k in bands]
    if extra:
        cites.insert(1 if "lionova" in bands else 0, extra)
    percents = {"lioresal": pct} if pct is not None else dict(percent or {})
    return AdverseEffect(code, effect, system, bands, percents, cerebral, "; ".join(cites), note, diff)


_SEIZ = "adverse_seizures_headache_urinary_retention"
_POST = "adverse_dysphoria_bradypnoea"
_ONE = "adverse_effects_listed_by_one_label"
_DEV = "adverse_device_events"

ADVERSE_EFFECTS: tuple[AdverseEffect, ...] = (
    # metabolism and nutrition (lioresal puts the appetite under the gastrointestinal tract)
    _e("decreased_appetite", "decreased appetite", "metabolism and nutrition", OF, OF, OF),
    _e("dehydration", "dehydration", "metabolism and nutrition", IN, IN, IN),
    # psychiatric (lioresal puts confusion and disorientation under the nervous system)
    _e("depression", "depression", "psychiatric", OF, OF, OF),
    _e("confusion", "confusional state", "psychiatric", OF, OF, OF, note="leaflet: 'clouding of the mind'"),
    _e("disorientation", "disorientation", "psychiatric", OF, OF),
    _e("agitation", "agitation", "psychiatric", OF, OF, OF),
    _e("anxiety", "anxiety", "psychiatric", OF, OF, OF),
    _e("suicidal_ideation", "suicidal thoughts", "psychiatric", IN, IN, IN, note="leaflet: 'feeling suicidal'"),
    _e("suicide_attempt", "suicide attempt", "psychiatric", IN, IN),
    _e("hallucinations", "hallucinations", "psychiatric", IN, IN, IN),
    _e("paranoia", "paranoia", "psychiatric", IN, IN),
    _e(
        "dysphoria",
        "dysphoria",
        "psychiatric",
        IN,
        UN,
        UN,
        diff=_POST,
        note="lioresal: from post-marketing reports, frequency unknown (under the nervous system); leaflet: "
        "'restlessness (cannot stay still)', not known",
    ),
    _e("euphoria", "euphoric mood", "psychiatric", IN, IN),
    _e(
        "mood_changes",
        "sudden changes of mood",
        "psychiatric",
        baclorex=IN,
        diff=_ONE,
        note="the leaflet's words; it names neither euphoria nor dysphoria here",
    ),
    # nervous system
    _e(
        "drowsiness",
        "drowsiness (somnolence)",
        "nervous system",
        VO,
        VO,
        VO,
        pct=24.8,
        note="leaflet: 'feeling tired, sleepy and weak'",
    ),
    _e("seizures", "seizures", "nervous system", OF, VO, OF, pct=10.4, cerebral=True, diff=_SEIZ),
    _e("lethargy", "lethargy", "nervous system", OF, OF, OF, note="leaflet: 'feeling sluggish (no energy)'"),
    _e("dysarthria", "dysarthria", "nervous system", OF, OF, OF, note="leaflet: 'speech disorder'"),
    _e("headache", "headache", "nervous system", OF, VO, OF, pct=19.9, cerebral=True, diff=_SEIZ),
    _e("paraesthesia", "paraesthesia", "nervous system", OF, OF, OF, note="leaflet: 'tingling in the hands or feet'"),
    _e("insomnia", "insomnia", "nervous system", OF, OF, OF),
    _e("sedation", "sedation", "nervous system", OF, OF),
    _e("dizziness", "dizziness", "nervous system", OF, OF, OF),
    _e("ataxia", "ataxia", "nervous system", IN, IN, IN, note="leaflet: 'loss of muscle control'"),
    _e(
        "hypothermia",
        "hypothermia",
        "nervous system",
        IN,
        IN,
        IN,
        note="filed under general disorders by lioresal; leaflet: 'feeling abnormally cold'",
    ),
    _e(
        "dysphagia",
        "dysphagia",
        "nervous system",
        IN,
        IN,
        IN,
        note="filed under the gastrointestinal tract by lioresal",
    ),
    _e("memory_impairment", "memory impairment", "nervous system", IN, IN, IN),
    _e("nystagmus", "nystagmus", "nervous system", IN, IN),
    # eye (lionova: "accommodation disorders with blurred or double vision"; baclorex 4: "problems with vision")
    _e("accommodation_disorder", "accommodation disorder", "eye", OF, OF, OF),
    _e("blurred_vision", "blurred vision", "eye", OF, OF, OF),
    _e("diplopia", "diplopia", "eye", OF, OF, OF),
    # heart and vessels
    _e("bradycardia", "bradycardia", "heart", IN, IN, IN),
    _e(
        "hypotension",
        "lowering of blood pressure",
        "vessels",
        OF,
        OF,
        OF,
        pct=37.4,
        note="lionova: orthostatic hypotension; lioresal prints 37.4 % but files it under 'often'; "
        "leaflet: 'low blood pressure (fainting)'",
    ),
    _e("deep_vein_thrombosis", "deep vein thrombosis", "vessels", IN, IN, IN),
    _e("raised_blood_pressure", "raised blood pressure", "vessels", IN, IN, IN),
    _e("flushing", "flushing", "vessels", IN, IN, IN),
    _e("pallor", "pallor", "vessels", IN, IN, IN),
    # respiratory
    _e("respiratory_depression", "respiratory depression", "respiratory system", OF, OF),
    _e("aspiration", "aspiration", "respiratory system", OF, diff=_ONE),
    _e("pneumonia", "pneumonia", "respiratory system", OF, OF, OF),
    _e("dyspnoea", "dyspnoea", "respiratory system", OF, OF, OF, note="leaflet: 'difficulty breathing'"),
    _e(
        "bradypnoea",
        "bradypnoea",
        "respiratory system",
        OF,
        UN,
        UN,
        diff=_POST,
        note="lioresal: from post-marketing reports, frequency unknown; leaflet: 'abnormally slow breathing'",
    ),
    # gastrointestinal
    _e("nausea", "nausea", "gastrointestinal tract", OF, OF, OF, cerebral=True),
    _e("vomiting", "vomiting", "gastrointestinal tract", OF, OF, OF, cerebral=True),
    _e("constipation", "constipation", "gastrointestinal tract", OF, OF, OF),
    _e("diarrhoea", "diarrhoea", "gastrointestinal tract", OF, OF, OF),
    _e("dry_mouth", "dry mouth", "gastrointestinal tract", OF, OF, OF),
    _e("hypersalivation", "increased salivation", "gastrointestinal tract", OF, OF, OF),
    _e("ileus", "ileus", "gastrointestinal tract", IN, IN, note="lioresal: 'intestinal obstruction'"),
    _e("hypogeusia", "loss of taste (hypogeusia)", "gastrointestinal tract", IN, IN, IN),
    _e("abdominal_pain", "abdominal pain", "gastrointestinal tract", baclorex=IN, diff=_ONE),
    # skin
    _e("urticaria", "urticaria", "skin", OF, OF, OF, note="leaflet: 'rash'"),
    _e("pruritus", "pruritus", "skin", OF, OF, OF),
    _e("alopecia", "alopecia", "skin", IN, IN, IN),
    _e("hyperhidrosis", "sweating (hyperhidrosis)", "skin", IN, IN, IN),
    # musculoskeletal
    _e(
        "hypotonia",
        "muscle hypotonia",
        "musculoskeletal system",
        VO,
        VO,
        VO,
        note="lioresal: 'muscle hypotension'; leaflet: 'feeling tired, sleepy and weak'",
    ),
    _e("hypertonia", "increased muscle tone (hypertonia)", "musculoskeletal system", OF, OF),
    _e("asthenia", "asthenia", "musculoskeletal system", OF, OF, note="filed under general disorders by lioresal"),
    _e("cramps", "cramps", "musculoskeletal system", baclorex=OF, diff=_ONE),
    _e("scoliosis", "scoliosis", "musculoskeletal system", UN, diff=_ONE),
    # kidneys and urinary system; reproductive system
    _e(
        "urinary_retention",
        "urinary retention",
        "kidneys and urinary system",
        OF,
        VO,
        OF,
        pct=11.4,
        cerebral=True,
        diff=_SEIZ,
        note="leaflet: 'problems passing urine'",
    ),
    _e("urinary_incontinence", "urinary incontinence", "kidneys and urinary system", OF, OF, OF),
    _e(
        "sexual_dysfunction",
        "sexual dysfunction",
        "reproductive system",
        OF,
        OF,
        OF,
        note="listed by lioresal under the urinary and the reproductive system; leaflet: 'sexual problems in men'",
    ),
    _e(
        "erectile_dysfunction",
        "erectile dysfunction",
        "reproductive system",
        UN,
        baclorex=OF,
        diff=_ONE,
        note="the leaflet gives impotence as its example of sexual problems in men (common)",
    ),
    _e(
        "ovarian_cysts",
        "ovarian cysts (oral baclofen)",
        "reproductive system",
        LI,
        baclorex=LI,
        baclorex_section="baclorex 2",
        diff="ovarian_cysts",
        percent={"lionova": 5.0, "baclorex": 4.0},
        note="human data: found by palpation in patients treated with oral baclofen for up to a year (lionova: "
        "about 5 % of patients with multiple sclerosis; baclorex: about 4 %); most resolved while the drug was "
        "continued; lioresal does not mention them",
    ),
    # general disorders
    _e(
        "peripheral_oedema",
        "peripheral oedema",
        "general",
        OF,
        OF,
        OF,
        note="filed under the skin by lioresal; leaflet: 'swelling of the hands or feet'",
    ),
    _e("facial_oedema", "facial oedema", "general", OF, OF, OF),
    _e("pain", "pain", "general", OF, OF, OF),
    _e("pyrexia", "pyrexia", "general", OF, OF, OF),
    _e("chills", "chills", "general", OF, OF, OF),
    _e("withdrawal", "life-threatening withdrawal after a failure or sudden stop of delivery", "general", RA, RA),
    # the infusion system: listed apart from the frequencies
    _e(
        "inflammatory_mass",
        "inflammatory mass at the catheter tip (catheter granuloma)",
        "infusion system",
        LI,
        LI,
        LI,
        extra="lionova 4.4",
        diff=_DEV,
        note="leaflet: 'immune cells collecting at the tip of the tube'",
    ),
    _e("catheter_dislodgement", "catheter dislodgement, kinking or rupture", "infusion system", LI, LI),
    _e("implant_site_infection", "infection at the implantation site", "infusion system", LI, LI, LI, diff=_DEV),
    _e("meningitis", "meningitis", "infusion system", LI, LI, LI, diff=_DEV),
    _e("sepsis", "sepsis", "infusion system", LI, diff=_DEV),
    _e("pump_pocket_seroma", "seroma in the pump pocket", "infusion system", LI, diff=_DEV),
    _e("pump_pocket_haematoma", "haematoma in the pump pocket", "infusion system", LI, diff=_DEV),
    _e("pump_failure", "pump failure", "infusion system", LI, diff=_DEV),
    _e("csf_leak", "CSF leak", "infusion system", LI, diff=_DEV),
    _e("skin_perforation", "skin perforation after long use", "infusion system", LI, diff=_DEV),
    _e("overdose_from_handling", "overdose from improper handling of the device", "infusion system", LI, LI),
    _e("underdose_from_handling", "underdose from improper handling of the device", "infusion system", LI, diff=_DEV),
    _e(
        "deep_infection_peg_tube",
        "deep infections (more often in children with a PEG tube)",
        "infusion system",
        baclorex=LI,
        diff=_DEV,
    ),
)


def effect(code: str) -> AdverseEffect:
    """The row of one effect code."""
    for e in ADVERSE_EFFECTS:
        if e.code == code:
            return e
    raise InputError(f"No adverse effect {code!r}; the codes are those of ADVERSE_EFFECTS.")


def band_name(band: str, label: str) -> str:
    """What ``label`` calls ``band`` (``"often"`` is lionova's "common")."""
    if label not in BAND_NAMES:
        raise InputError(f"The label {label!r} is not known; choose one of: {', '.join(BAND_NAMES)}.")
    if band not in BAND_NAMES[label]:
        raise InputError(f"The frequency band {band!r} is not known; choose one of: {', '.join(BANDS)}.")
    return BAND_NAMES[label][band]


def by_band(band: str, label: str = "lionova") -> tuple[AdverseEffect, ...]:
    """The effects ``label`` (lionova, the suite's default profile, unless told) puts in one frequency band, in
    the order of the table (system by system).  ``band`` is one of :data:`BANDS` or :data:`LISTED`."""
    if band not in (*BANDS, LISTED):
        raise InputError(f"The frequency band {band!r} is not known; choose one of: {', '.join(BANDS)}.")
    if label not in RATING_LABELS:
        raise InputError(f"The label {label!r} is not known; choose one of: {', '.join(RATING_LABELS)}.")
    return tuple(e for e in ADVERSE_EFFECTS if e.bands.get(label) == band)
