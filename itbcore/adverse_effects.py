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
from .i18n import N_, gettext

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
BANDS = (N_("very often"), N_("often"), N_("infrequently"), N_("rarely"), N_("unknown"))
#: An effect the label lists without a frequency (apart from its table).
LISTED = N_("listed")
#: The labels that rate adverse effects, and the section each rates them in.
RATING_LABELS = {"lionova": "lionova 4.8", "lioresal": "lioresal Side effects", "baclorex": "baclorex 4"}
#: Each label's own name of each band (lionova: svært vanlige, vanlige, mindre vanlige, sjeldne, ikke kjent;
#: baclorex: çok yaygın, yaygın, yaygın olmayan, seyrek, bilinmiyor), and of an effect listed without one.
BAND_NAMES: dict[str, dict[str, str]] = {
    "lionova": dict(
        zip(
            (*BANDS, LISTED),
            (N_("very common"), N_("common"), N_("uncommon"), N_("rare"), N_("not known"), N_("listed, no frequency")),
            strict=True,
        )
    ),
    "lioresal": {**{b: b for b in BANDS}, LISTED: N_("listed, no frequency")},
    "baclorex": dict(
        zip(
            (*BANDS, LISTED),
            (N_("very common"), N_("common"), N_("uncommon"), N_("rare"), N_("not known"), N_("listed, no frequency")),
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
    _e("decreased_appetite", N_("decreased appetite"), N_("metabolism and nutrition"), OF, OF, OF),
    _e("dehydration", N_("dehydration"), N_("metabolism and nutrition"), IN, IN, IN),
    # psychiatric (lioresal puts confusion and disorientation under the nervous system)
    _e("depression", N_("depression"), N_("psychiatric"), OF, OF, OF),
    _e("confusion", N_("confusional state"), N_("psychiatric"), OF, OF, OF, note=N_("leaflet: 'clouding of the mind'")),
    _e("disorientation", N_("disorientation"), N_("psychiatric"), OF, OF),
    _e("agitation", N_("agitation"), N_("psychiatric"), OF, OF, OF),
    _e("anxiety", N_("anxiety"), N_("psychiatric"), OF, OF, OF),
    _e(
        "suicidal_ideation",
        N_("suicidal thoughts"),
        N_("psychiatric"),
        IN,
        IN,
        IN,
        note=N_("leaflet: 'feeling suicidal'"),
    ),
    _e("suicide_attempt", N_("suicide attempt"), N_("psychiatric"), IN, IN),
    _e("hallucinations", N_("hallucinations"), N_("psychiatric"), IN, IN, IN),
    _e("paranoia", N_("paranoia"), N_("psychiatric"), IN, IN),
    _e(
        "dysphoria",
        N_("dysphoria"),
        N_("psychiatric"),
        IN,
        UN,
        UN,
        diff=_POST,
        note=N_(
            "lioresal: from post-marketing reports, frequency unknown (under the nervous system); leaflet: "
            "'restlessness (cannot stay still)', not known"
        ),
    ),
    _e("euphoria", N_("euphoric mood"), N_("psychiatric"), IN, IN),
    _e(
        "mood_changes",
        N_("sudden changes of mood"),
        N_("psychiatric"),
        baclorex=IN,
        diff=_ONE,
        note=N_("the leaflet's words; it names neither euphoria nor dysphoria here"),
    ),
    # nervous system
    _e(
        "drowsiness",
        N_("drowsiness (somnolence)"),
        N_("nervous system"),
        VO,
        VO,
        VO,
        pct=24.8,
        note=N_("leaflet: 'feeling tired, sleepy and weak'"),
    ),
    _e("seizures", N_("seizures"), N_("nervous system"), OF, VO, OF, pct=10.4, cerebral=True, diff=_SEIZ),
    _e(
        "lethargy", N_("lethargy"), N_("nervous system"), OF, OF, OF, note=N_("leaflet: 'feeling sluggish (no energy)'")
    ),
    _e("dysarthria", N_("dysarthria"), N_("nervous system"), OF, OF, OF, note=N_("leaflet: 'speech disorder'")),
    _e("headache", N_("headache"), N_("nervous system"), OF, VO, OF, pct=19.9, cerebral=True, diff=_SEIZ),
    _e(
        "paraesthesia",
        N_("paraesthesia"),
        N_("nervous system"),
        OF,
        OF,
        OF,
        note=N_("leaflet: 'tingling in the hands or feet'"),
    ),
    _e("insomnia", N_("insomnia"), N_("nervous system"), OF, OF, OF),
    _e("sedation", N_("sedation"), N_("nervous system"), OF, OF),
    _e("dizziness", N_("dizziness"), N_("nervous system"), OF, OF, OF),
    _e("ataxia", N_("ataxia"), N_("nervous system"), IN, IN, IN, note=N_("leaflet: 'loss of muscle control'")),
    _e(
        "hypothermia",
        N_("hypothermia"),
        N_("nervous system"),
        IN,
        IN,
        IN,
        note=N_("filed under general disorders by lioresal; leaflet: 'feeling abnormally cold'"),
    ),
    _e(
        "dysphagia",
        N_("dysphagia"),
        N_("nervous system"),
        IN,
        IN,
        IN,
        note=N_("filed under the gastrointestinal tract by lioresal"),
    ),
    _e("memory_impairment", N_("memory impairment"), N_("nervous system"), IN, IN, IN),
    _e("nystagmus", N_("nystagmus"), N_("nervous system"), IN, IN),
    # eye (lionova: "accommodation disorders with blurred or double vision"; baclorex 4: "problems with vision")
    _e("accommodation_disorder", N_("accommodation disorder"), N_("eye"), OF, OF, OF),
    _e("blurred_vision", N_("blurred vision"), N_("eye"), OF, OF, OF),
    _e("diplopia", N_("diplopia"), N_("eye"), OF, OF, OF),
    # heart and vessels
    _e("bradycardia", N_("bradycardia"), N_("heart"), IN, IN, IN),
    _e(
        "hypotension",
        N_("lowering of blood pressure"),
        N_("vessels"),
        OF,
        OF,
        OF,
        pct=37.4,
        note=N_(
            "lionova: orthostatic hypotension; lioresal prints 37.4 % but files it under 'often'; "
            "leaflet: 'low blood pressure (fainting)'"
        ),
    ),
    _e("deep_vein_thrombosis", N_("deep vein thrombosis"), N_("vessels"), IN, IN, IN),
    _e("raised_blood_pressure", N_("raised blood pressure"), N_("vessels"), IN, IN, IN),
    _e("flushing", N_("flushing"), N_("vessels"), IN, IN, IN),
    _e("pallor", N_("pallor"), N_("vessels"), IN, IN, IN),
    # respiratory
    _e("respiratory_depression", N_("respiratory depression"), N_("respiratory system"), OF, OF),
    _e("aspiration", N_("aspiration"), N_("respiratory system"), OF, diff=_ONE),
    _e("pneumonia", N_("pneumonia"), N_("respiratory system"), OF, OF, OF),
    _e("dyspnoea", N_("dyspnoea"), N_("respiratory system"), OF, OF, OF, note=N_("leaflet: 'difficulty breathing'")),
    _e(
        "bradypnoea",
        N_("bradypnoea"),
        N_("respiratory system"),
        OF,
        UN,
        UN,
        diff=_POST,
        note=N_("lioresal: from post-marketing reports, frequency unknown; leaflet: 'abnormally slow breathing'"),
    ),
    # gastrointestinal
    _e("nausea", N_("nausea"), N_("gastrointestinal tract"), OF, OF, OF, cerebral=True),
    _e("vomiting", N_("vomiting"), N_("gastrointestinal tract"), OF, OF, OF, cerebral=True),
    _e("constipation", N_("constipation"), N_("gastrointestinal tract"), OF, OF, OF),
    _e("diarrhoea", N_("diarrhoea"), N_("gastrointestinal tract"), OF, OF, OF),
    _e("dry_mouth", N_("dry mouth"), N_("gastrointestinal tract"), OF, OF, OF),
    _e("hypersalivation", N_("increased salivation"), N_("gastrointestinal tract"), OF, OF, OF),
    _e("ileus", N_("ileus"), N_("gastrointestinal tract"), IN, IN, note=N_("lioresal: 'intestinal obstruction'")),
    _e("hypogeusia", N_("loss of taste (hypogeusia)"), N_("gastrointestinal tract"), IN, IN, IN),
    _e("abdominal_pain", N_("abdominal pain"), N_("gastrointestinal tract"), baclorex=IN, diff=_ONE),
    # skin
    _e("urticaria", N_("urticaria"), N_("skin"), OF, OF, OF, note=N_("leaflet: 'rash'")),
    _e("pruritus", N_("pruritus"), N_("skin"), OF, OF, OF),
    _e("alopecia", N_("alopecia"), N_("skin"), IN, IN, IN),
    _e("hyperhidrosis", N_("sweating (hyperhidrosis)"), N_("skin"), IN, IN, IN),
    # musculoskeletal
    _e(
        "hypotonia",
        N_("muscle hypotonia"),
        N_("musculoskeletal system"),
        VO,
        VO,
        VO,
        note=N_("lioresal: 'muscle hypotension'; leaflet: 'feeling tired, sleepy and weak'"),
    ),
    _e("hypertonia", N_("increased muscle tone (hypertonia)"), N_("musculoskeletal system"), OF, OF),
    _e(
        "asthenia",
        N_("asthenia"),
        N_("musculoskeletal system"),
        OF,
        OF,
        note=N_("filed under general disorders by lioresal"),
    ),
    _e("cramps", N_("cramps"), N_("musculoskeletal system"), baclorex=OF, diff=_ONE),
    _e("scoliosis", N_("scoliosis"), N_("musculoskeletal system"), UN, diff=_ONE),
    # kidneys and urinary system; reproductive system
    _e(
        "urinary_retention",
        N_("urinary retention"),
        N_("kidneys and urinary system"),
        OF,
        VO,
        OF,
        pct=11.4,
        cerebral=True,
        diff=_SEIZ,
        note=N_("leaflet: 'problems passing urine'"),
    ),
    _e("urinary_incontinence", N_("urinary incontinence"), N_("kidneys and urinary system"), OF, OF, OF),
    _e(
        "sexual_dysfunction",
        N_("sexual dysfunction"),
        N_("reproductive system"),
        OF,
        OF,
        OF,
        note=N_("listed by lioresal under the urinary and the reproductive system; leaflet: 'sexual problems in men'"),
    ),
    _e(
        "erectile_dysfunction",
        N_("erectile dysfunction"),
        N_("reproductive system"),
        UN,
        baclorex=OF,
        diff=_ONE,
        note=N_("the leaflet gives impotence as its example of sexual problems in men (common)"),
    ),
    _e(
        "ovarian_cysts",
        N_("ovarian cysts (oral baclofen)"),
        N_("reproductive system"),
        LI,
        baclorex=LI,
        baclorex_section="baclorex 2",
        diff="ovarian_cysts",
        percent={"lionova": 5.0, "baclorex": 4.0},
        note=N_(
            "human data: found by palpation in patients treated with oral baclofen for up to a year (lionova: "
            "about 5 % of patients with multiple sclerosis; baclorex: about 4 %); most resolved while the drug was "
            "continued; lioresal does not mention them"
        ),
    ),
    # general disorders
    _e(
        "peripheral_oedema",
        N_("peripheral oedema"),
        N_("general"),
        OF,
        OF,
        OF,
        note=N_("filed under the skin by lioresal; leaflet: 'swelling of the hands or feet'"),
    ),
    _e("facial_oedema", N_("facial oedema"), N_("general"), OF, OF, OF),
    _e("pain", N_("pain"), N_("general"), OF, OF, OF),
    _e("pyrexia", N_("pyrexia"), N_("general"), OF, OF, OF),
    _e("chills", N_("chills"), N_("general"), OF, OF, OF),
    _e(
        "withdrawal",
        N_("life-threatening withdrawal after a failure or sudden stop of delivery"),
        N_("general"),
        RA,
        RA,
    ),
    # the infusion system: listed apart from the frequencies
    _e(
        "inflammatory_mass",
        N_("inflammatory mass at the catheter tip (catheter granuloma)"),
        N_("infusion system"),
        LI,
        LI,
        LI,
        extra="lionova 4.4",
        diff=_DEV,
        note=N_("leaflet: 'immune cells collecting at the tip of the tube'"),
    ),
    _e("catheter_dislodgement", N_("catheter dislodgement, kinking or rupture"), N_("infusion system"), LI, LI),
    _e(
        "implant_site_infection", N_("infection at the implantation site"), N_("infusion system"), LI, LI, LI, diff=_DEV
    ),
    _e("meningitis", N_("meningitis"), N_("infusion system"), LI, LI, LI, diff=_DEV),
    _e("sepsis", N_("sepsis"), N_("infusion system"), LI, diff=_DEV),
    _e("pump_pocket_seroma", N_("seroma in the pump pocket"), N_("infusion system"), LI, diff=_DEV),
    _e("pump_pocket_haematoma", N_("haematoma in the pump pocket"), N_("infusion system"), LI, diff=_DEV),
    _e("pump_failure", N_("pump failure"), N_("infusion system"), LI, diff=_DEV),
    _e("csf_leak", N_("CSF leak"), N_("infusion system"), LI, diff=_DEV),
    _e("skin_perforation", N_("skin perforation after long use"), N_("infusion system"), LI, diff=_DEV),
    _e("overdose_from_handling", N_("overdose from improper handling of the device"), N_("infusion system"), LI, LI),
    _e(
        "underdose_from_handling",
        N_("underdose from improper handling of the device"),
        N_("infusion system"),
        LI,
        diff=_DEV,
    ),
    _e(
        "deep_infection_peg_tube",
        N_("deep infections (more often in children with a PEG tube)"),
        N_("infusion system"),
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
    return gettext(BAND_NAMES[label][band])


def by_band(band: str, label: str = "lionova") -> tuple[AdverseEffect, ...]:
    """The effects ``label`` (lionova, the suite's default profile, unless told) puts in one frequency band, in
    the order of the table (system by system).  ``band`` is one of :data:`BANDS` or :data:`LISTED`."""
    if band not in (*BANDS, LISTED):
        raise InputError(f"The frequency band {band!r} is not known; choose one of: {', '.join(BANDS)}.")
    if label not in RATING_LABELS:
        raise InputError(f"The label {label!r} is not known; choose one of: {', '.join(RATING_LABELS)}.")
    return tuple(e for e in ADVERSE_EFFECTS if e.bands.get(label) == band)
