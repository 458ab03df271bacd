"""Intrathecal baclofen withdrawal: signs, stage, management, planned tapering and likely causes.

For training only, not for treating patients.

Abrupt interruption of intrathecal baclofen, whatever its cause, can lead to rebound
spasticity, fever, altered mental state and muscle rigidity, rarely to seizures,
rhabdomyolysis, multi-organ failure and death (lionova 4.2, 4.4; lioresal Dosing:
discontinuation of treatment; baclorex 3).  Treatment is never to stop abruptly except
in acute overdose, and when it happens, to restore intrathecal delivery at or near the
previous dose.

Staging (the labels' own words): ``early`` when only the early signs are present
(return of baseline spasticity, pruritus, hypotension, paraesthesia, priapism; lionova 4.4),
``advanced`` as soon as any sign of the advanced syndrome is present (high fever, altered
mental status, exaggerated rebound spasticity, rigidity, seizures, rhabdomyolysis,
hallucinations and the rest; lionova 4.2, 4.4), ``none`` without signs.  The "other symptoms
of abrupt discontinuation" of lionova 4.4 (hallucinations, psychotic states, severe headache,
insomnia) are not among its early symptoms, so they stage as advanced; so does the fast
heartbeat of the baclorex leaflet, which does not stage its signs.  Each sign cites only the
texts that name it (``itbcore.sources.differences("withdrawal_signs")``); the management steps
are worded as the profile's label words them (``label``; ``differences("withdrawal_bridge")``).

>>> a = assess(["pruritus", "spasticity_return"])
>>> a.stage, [x.code for x in a.actions][:2]
('early', ['emergency', 'check_pump_catheter'])
>>> assess(["high_fever"]).stage
'advanced'
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import pint

from . import library
from .errors import DoseLimitError, InputError
from .i18n import N_, gettext, message
from .overdose import _read_signs
from .sources import DEFAULT_LABEL, Action, Finding, check_label, cite, practice
from .units import Q_, QuantityLike, as_quantity, fmt, magnitude_in, ureg

__all__ = [
    "STAGES",
    "Sign",
    "SIGNS",
    "DIFFERENTIALS",
    "HIGH_RISK",
    "RiskFactor",
    "Assessment",
    "assess",
    "taper",
    "TAPER_DAYS",
    "Cause",
    "LikelyCauses",
    "likely_causes",
]

Stage = Literal["none", "early", "advanced"]
#: Stages, least to most severe.
STAGES: tuple[str, ...] = ("none", "early", "advanced")

_L42 = cite("lionova", "4.2")
_L44 = cite("lionova", "4.4")
_LIO = cite("lioresal", "Dosing: discontinuation of treatment")
_LIO_OD = cite("lioresal", "Overdose")
_BAC = cite("baclorex", "3")
_PRACTICE_WITHDRAWAL = practice("Coffey et al. 2002; Neuromodulation 2016 troubleshooting panel")

# Parsed once: the taper builds one Quantity a day from plain floats (the app redraws it on every keystroke).
_UG_PER_DAY = ureg.Unit("ug/day")

#: Shortest and longest planned taper in days.  The labels ask for a gradual reduction and give no length for a
#: planned discontinuation; the suite takes the 2–4 weeks that lionova 4.2 gives for the gradual reduction of a
#: "drug holiday" (:data:`TAPER_SOURCE`).
TAPER_DAYS: tuple[int, int] = (14, 28)
#: Where the taper's 14–28 days come from.
TAPER_SOURCE = "lionova 4.2: the 2–4 weeks of a drug holiday's gradual reduction"


@dataclass(frozen=True)
class Sign:
    """A withdrawal sign: its text, its stage and the texts that list it.

    ``text_msgid`` is the sign's English text (its message in the catalogues); :attr:`text` is that text in the
    locale in force, translated when it is read.
    """

    code: str
    text_msgid: str
    stage: Literal["early", "advanced"]
    source: str

    @property
    def text(self) -> str:
        """The sign as it is shown, in the locale in force."""
        return gettext(self.text_msgid)

    def __str__(self) -> str:
        return self.text


def _sign(code: str, text: str, stage: Literal["early", "advanced"], *sources: str) -> tuple[str, Sign]:
    return code, Sign(code, text, stage, "; ".join(sources))


#: Withdrawal signs by code (lionova 4.2, 4.4; lioresal Dosing: discontinuation of treatment; baclorex 3).
SIGNS: dict[str, Sign] = dict(
    [
        _sign("spasticity_return", N_("return of baseline spasticity"), "early", _L44, _LIO, _BAC),
        _sign("pruritus", N_("pruritus (itching)"), "early", _L44, _LIO),
        _sign("hypotension", N_("low blood pressure"), "early", _L44, _LIO),
        _sign("paresthesia", N_("paraesthesia (tingling or burning)"), "early", _L44, _LIO),
        _sign("priapism", N_("priapism"), "early", _L44),
        _sign("high_fever", N_("high fever"), "advanced", _L42, _L44, _LIO, _BAC),
        _sign("altered_mental_status", N_("altered mental status"), "advanced", _L42, _L44, _LIO, _BAC),
        _sign(
            "rebound_spasticity",
            N_("exaggerated rebound spasticity (rapid uncontrolled spasms)"),
            "advanced",
            _L42,
            _L44,
            _LIO,
            _BAC,
        ),
        _sign("muscle_rigidity", N_("muscle rigidity"), "advanced", _L42, _L44, _LIO),
        _sign("seizures", N_("seizures or status epilepticus"), "advanced", _L42, _L44, _LIO, _BAC),
        _sign("rhabdomyolysis", N_("rhabdomyolysis"), "advanced", _L42, _L44, _LIO),
        _sign("hallucinations", N_("hallucinations"), "advanced", _L44, _BAC),
        _sign("psychosis", N_("psychotic, manic or paranoid state"), "advanced", _L44, _BAC),
        # lionova 4.4: "Andre symptomer på brå seponering kan være: hallusinasjoner, psykotiske, maniske eller
        # paranoide sinnstilstander, alvorlig hodepine og søvnløshet" — other symptoms, not the early ones.
        _sign("severe_headache", N_("severe headache"), "advanced", _L44),
        _sign("insomnia", N_("insomnia (sleeplessness)"), "advanced", _L44),
        # baclorex 3: "hızlı kalp atışı" among the withdrawal signs, which the leaflet does not stage.
        _sign("tachycardia", N_("fast heartbeat"), "advanced", _BAC),
        _sign("coagulopathy", N_("coagulopathy"), "advanced", _L44, _LIO),
        _sign("multi_organ_failure", N_("multi-organ failure"), "advanced", _L42, _L44, _LIO),
    ]
)

#: Conditions advanced withdrawal resembles (lionova 4.4; lioresal Dosing: discontinuation of treatment),
#: and overdose, which withdrawal may be mistaken for (lionova 4.2).
DIFFERENTIALS: dict[str, tuple[str, str]] = {
    "autonomic_dysreflexia": (N_("autonomic dysreflexia"), f"{_L44}; {_LIO}"),
    "sepsis": (N_("infection or sepsis"), f"{_L44}; {_LIO}"),
    "malignant_hyperthermia": (N_("malignant hyperthermia"), f"{_L44}; {_LIO}"),
    "neuroleptic_malignant_syndrome": (N_("neuroleptic malignant syndrome"), f"{_L44}; {_LIO}"),
    "hypermetabolic_state": (N_("other hypermetabolic state or widespread rhabdomyolysis"), f"{_L44}; {_LIO}"),
    "overdose": (N_("baclofen overdose (withdrawal may be mistaken for it)"), _L42),
}


@dataclass(frozen=True)
class RiskFactor:
    """A reason to watch a patient especially closely for withdrawal (``text_msgid`` in English, :attr:`text` in the
    locale in force)."""

    code: str
    text_msgid: str
    source: str

    @property
    def text(self) -> str:
        """The risk factor as it is shown, in the locale in force."""
        return gettext(self.text_msgid)


#: Patients at obvious risk of withdrawal (lionova 4.4).
HIGH_RISK: dict[str, RiskFactor] = {
    "sci_t6_or_above": RiskFactor("sci_t6_or_above", N_("spinal cord injury at T6 or above"), _L44),
    "communication_difficulties": RiskFactor(
        "communication_difficulties", N_("difficulty making themselves understood"), _L44
    ),
    "previous_withdrawal": RiskFactor(
        "previous_withdrawal", N_("earlier withdrawal symptoms from oral or intrathecal baclofen"), _L44
    ),
}


@dataclass(frozen=True)
class Assessment:
    """Stage of withdrawal and what to do, most urgent first.

    ``stage`` is none, early or advanced; ``actions`` are :class:`~itbcore.sources.Action`;
    ``differentials`` codes from :data:`DIFFERENTIALS`; ``findings`` explain and warn.
    """

    stage: Stage
    actions: list[Action]
    differentials: list[str]
    findings: list[Finding]
    signs: tuple[str, ...]
    risk_factors: tuple[str, ...]
    source: str


def assess(signs: Iterable[str], *, risk_factors: Iterable[str] = (), label: str = DEFAULT_LABEL) -> Assessment:
    """Stage withdrawal from its signs and list the management steps, most urgent first.

    Management (lionova 4.2, 4.4; lioresal Dosing: discontinuation of treatment):
    emergency or intensive care; find the cause in pump and catheter; restart intrathecal
    baclofen at or near the previous dose; if that is delayed, GABA agonists (oral or
    enteral baclofen) or benzodiazepines (oral, enteral or IV) may prevent fatal sequelae,
    though oral baclofen alone is no guarantee (lionova 4.4).  The lioresal label words the
    bridge as oral or parenteral baclofen with IV benzodiazepines, and says that baclofen by
    mouth or parenterally alone does not hold off the symptoms: under ``label="lioresal"`` these
    steps, the mimics and the advice without signs are given in its words.

    Parameters
    ----------
    signs : iterable of str
        Sign codes from :data:`SIGNS` (a single code string is accepted too).
    risk_factors : iterable of str, optional
        Codes from :data:`HIGH_RISK`.
    label : {"lionova", "lioresal"}, optional
        The profile whose words the steps take (default lionova).

    Returns
    -------
    Assessment
        The stage (none, early or advanced), the actions most urgent first, the differential
        diagnoses to think of, and the findings, each with its source.

    Raises
    ------
    InputError
        For an unknown sign or risk-factor code (the message lists the known codes).

    Examples
    --------
    >>> a = assess(["high_fever", "muscle_rigidity"])
    >>> a.stage, a.actions[0].code
    ('advanced', 'icu')
    >>> a.differentials[:2]
    ['autonomic_dysreflexia', 'sepsis']
    >>> assess([]).stage
    'none'
    """
    check_label(label)
    lioresal = label == "lioresal"
    source = _LIO if lioresal else _L44
    codes = _read_signs(signs, SIGNS, "withdrawal sign")
    risks = _read_signs(risk_factors, HIGH_RISK, "risk factor")
    findings: list[Finding] = [
        Finding(
            "high_risk_" + r,
            "warning",
            message(
                "High risk of withdrawal: {text}; watch closely and teach the early signs.", text=HIGH_RISK[r].text
            ),
            HIGH_RISK[r].source,
        )
        for r in risks
    ]
    if not codes:
        findings.append(
            Finding(
                "no_withdrawal_signs",
                "info",
                gettext(
                    "No withdrawal sign is present; patients and carers should know the refill dates and the "
                    "early signs."
                ),
                source,
            )
        )
        return Assessment("none", [], [], findings, codes, risks, source)

    stage: Stage = "advanced" if any(SIGNS[c].stage == "advanced" for c in codes) else "early"
    actions: list[Action] = []
    if stage == "advanced":
        # lionova 4.2, 4.4: rapid diagnosis and treatment in an acute or intensive care unit.
        actions.append(Action("icu", gettext("Treat in intensive care (or an acute unit) without delay."), _L44))
    else:
        # lionova 4.2: withdrawal symptoms also require admission.
        actions.append(Action("emergency", gettext("Admit as an emergency for rapid diagnosis and treatment."), _L42))
    # lionova 4.4: common causes are catheter failure (especially connectors), low reservoir and device faults.
    actions.append(
        Action(
            "check_pump_catheter",
            gettext(
                "Check the pump (reservoir volume, programme, alarms) and the catheter (connectors, "
                "kinks, breaks, dislodgement)."
            ),
            _L44,
        )
    )
    # lionova 4.4; lioresal: restart at or near the dose before the interruption.
    # lionova 4.9; lioresal Overdose: watch closely for overdose when baclofen is resumed after a break.
    # Both labels say both, so the step cites both under either profile.
    actions.append(
        Action(
            "restart_itb",
            gettext(
                "Restore intrathecal baclofen at or near the dose given before the interruption, and "
                "monitor closely for signs of overdose once it is restarted."
            ),
            f"{_L44}; {cite('lionova', '4.9')}; {_LIO}; {_LIO_OD}",
        )
    )
    # If the restart is delayed, GABA agonists or benzodiazepines may prevent fatal sequelae — in each label's words:
    # lionova 4.4 "oral eller enteral baklofen eller benzodiazepiner administrert oralt, enteralt eller intravenøst";
    # lioresal "oral or parenteral administration of GABA-receptor agonists such as the liorasal drug with
    # intravenous administration of benzodiazepines".
    if lioresal:
        actions.append(
            Action(
                "benzodiazepines",
                gettext(
                    "If the restart is delayed, give benzodiazepines intravenously, with baclofen given "
                    "orally or parenterally."
                ),
                _LIO,
            )
        )
        actions.append(
            Action(
                "oral_baclofen",
                gettext(
                    "If the restart is delayed, give baclofen orally or parenterally as a bridge, with IV "
                    "benzodiazepines; alone it does not hold off the symptoms."
                ),
                _LIO,
            )
        )
        findings.append(
            Finding(
                "oral_baclofen_not_enough",
                "warning",
                gettext(
                    "Baclofen by mouth or parenterally alone does not hold off withdrawal; resuming "
                    "intrathecal delivery at or near the same dose is the treatment."
                ),
                _LIO,
            )
        )
    else:
        actions.append(
            Action(
                "benzodiazepines",
                gettext("If the restart is delayed, give benzodiazepines (oral, enteral or IV)."),
                _L44,
            )
        )
        actions.append(
            Action(
                "oral_baclofen",
                gettext(
                    "If the restart is delayed, give oral or enteral baclofen as a bridge; alone it is no "
                    "guarantee against progression."
                ),
                _L44,
            )
        )
        findings.append(
            Finding(
                "oral_baclofen_not_enough",
                "warning",
                gettext(
                    "Oral or enteral baclofen alone is no guarantee of stopping withdrawal; restoring "
                    "intrathecal delivery is the treatment."
                ),
                _L44,
            )
        )

    differentials = ["overdose"]
    if stage == "advanced":
        differentials = [
            "autonomic_dysreflexia",
            "sepsis",
            "malignant_hyperthermia",
            "neuroleptic_malignant_syndrome",
            "hypermetabolic_state",
            "overdose",
        ]
        findings.append(
            Finding(
                "mimics",
                "warning",
                gettext(
                    "Advanced withdrawal resembles autonomic dysreflexia, sepsis, malignant hyperthermia and "
                    "neuroleptic malignant syndrome; think of withdrawal in any patient with a pump."
                ),
                source,
            )
        )
        if {"muscle_rigidity", "rebound_spasticity"} & set(codes):
            findings.append(
                Finding(
                    "dantrolene_rigidity_only",
                    "info",
                    gettext("Dantrolene may ease rigidity but does not treat withdrawal itself."),
                    _PRACTICE_WITHDRAWAL,
                )
            )
    return Assessment(stage, actions, differentials, findings, codes, risks, source)


def _read_days(days: Any) -> int:
    if isinstance(days, bool):
        raise InputError(gettext("The taper length must be a number of days from 14 to 28, not True or False."))
    if isinstance(days, (str, pint.Quantity)):
        value = magnitude_in(days, "day", gettext("taper length"))
    elif isinstance(days, (int, float)):
        value = float(days)
    else:
        raise InputError(message("The taper length {days} must be a number of days from 14 to 28.", days=repr(days)))
    if not math.isfinite(value) or abs(value - round(value)) > 1e-9:
        raise InputError(message("The taper length must be a whole number of days, not {days}.", days=float(value)))
    return int(round(value))


def taper(daily_dose: QuantityLike, days: Any = 21) -> list[tuple[int, pint.Quantity]]:
    """A planned, gradual discontinuation: equal daily reductions from ``daily_dose`` to zero.

    Treatment must never be stopped abruptly except in acute overdose; it is reduced
    gradually (lionova 4.2; lioresal Dosing: discontinuation of treatment).  A "drug
    holiday" reduces over 2–4 weeks, in hospital, with other antispastic treatment
    (lionova 4.2), so ``days`` must be 14 to 28.  Each day's dose is lower than the day
    before by ``daily_dose / days`` — at most one fourteenth of the starting dose.

    Parameters
    ----------
    daily_dose : Quantity or str
        The current daily dose, above zero (e.g. ``"500 ug/day"``).
    days : int or Quantity or str, optional
        Length of the taper, 14 to 28 days (default 21, three weeks).

    Returns
    -------
    list of (int, Quantity)
        ``(day, dose)`` from day 0 (the current dose) to day ``days`` (0 µg/day), doses in µg/day.

    Raises
    ------
    DoseLimitError
        When ``days`` lies outside 14–28 (lionova 4.2).
    InputError
        When ``days`` is not a whole number or the dose is not above zero.

    Examples
    --------
    >>> plan = taper("420 ug/day", days=14)
    >>> [(d, fmt(q)) for d, q in plan[:3]]
    [(0, '420 µg/day'), (1, '390 µg/day'), (2, '360 µg/day')]
    >>> plan[-1][0], fmt(plan[-1][1])
    (14, '0 µg/day')
    >>> taper("420 ug/day", days=7)
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: A taper over 7 days is too fast: ... over 14 to 28 days (lionova 4.2: the 2–4 weeks
    of a drug holiday's gradual reduction).
    """
    d0 = magnitude_in(daily_dose, "ug/day", gettext("daily dose"))
    n = _read_days(days)
    lo, hi = TAPER_DAYS
    # lionova 4.2: gradual reduction over 2–4 weeks; never abrupt (lionova 4.2; lioresal discontinuation).
    if n < lo:
        raise DoseLimitError(
            message(
                "A taper over {n} days is too fast: a planned discontinuation is a gradual reduction "
                "over {lo} to {hi} days ({taper_source}).",
                n=n,
                lo=lo,
                hi=hi,
                taper_source=TAPER_SOURCE,
            ),
            name="taper length",
            value=float(n),
            limit=float(lo),
            unit="day",
            key="taper_length",
            source=TAPER_SOURCE,
        )
    if n > hi:
        raise DoseLimitError(
            message(
                "A taper over {n} days is longer than {lo} to {hi} days ({taper_source}).",
                n=n,
                lo=lo,
                hi=hi,
                taper_source=TAPER_SOURCE,
            ),
            name="taper length",
            value=float(n),
            limit=float(hi),
            unit="day",
            key="taper_length",
            source=TAPER_SOURCE,
        )
    if d0 <= 0:
        raise DoseLimitError(
            gettext("There is nothing to taper: the daily dose must be above zero."),
            name="daily dose",
            value=d0,
            limit=0.0,
            unit="ug/day",
            key="daily_dose",
        )
    library.hard_check("daily_dose", d0, "ug/day", gettext("daily dose"))
    library.hard_check("taper_length", float(n), "day", gettext("taper length"))  # a hospital's library may narrow it
    return [(day, Q_(d0 * (n - day) / n, _UG_PER_DAY)) for day in range(n + 1)]


@dataclass(frozen=True)
class Cause:
    """A likely cause of an interruption, with why it is suspected."""

    code: str
    text: str
    reason: str
    source: str


@dataclass(frozen=True)
class LikelyCauses:
    """Causes to check, most likely first, with findings about timing and volumes."""

    causes: list[Cause]
    findings: list[Finding]
    onset_window: tuple[pint.Quantity, pint.Quantity]
    source: str

    @property
    def codes(self) -> list[str]:
        """The cause codes, most likely first."""
        return [c.code for c in self.causes]


def likely_causes(
    hours_since_interruption: Any = None,
    *,
    reservoir_volume: QuantityLike | None = None,
    expected_reservoir_volume: Any = None,
    alarm_volume: QuantityLike = "2 mL",
    recent_programming_change: bool = False,
) -> LikelyCauses:
    """The usual causes of an interrupted intrathecal delivery, ordered by the evidence given.

    Labels: withdrawal usually begins within hours to a few days of the interruption; the
    common causes are catheter failure (especially connector problems), a low reservoir and
    device faults (lionova 4.4; lioresal Dosing: discontinuation of treatment); local
    infection or catheter failure can interrupt delivery (lionova 4.2); correct programming
    matters (lionova 4.4).  Practice guidance: withdrawal develops over 1–3 days; a reservoir
    holding far more than expected at refill means the pump was not delivering.

    Parameters
    ----------
    hours_since_interruption : Quantity or str, optional
        Time since delivery is thought to have stopped (e.g. ``"36 h"``).
    reservoir_volume : Quantity or str, optional
        Volume found in the reservoir.
    expected_reservoir_volume : Quantity or str, optional
        Volume that should be there by the programmed rate.
    alarm_volume : Quantity or str, optional
        Low-reservoir alarm volume (a device setting; usually 2 mL — practice guidance).
    recent_programming_change : bool, optional
        Whether the programme was changed just before the symptoms.

    Returns
    -------
    LikelyCauses

    Examples
    --------
    >>> likely_causes(reservoir_volume="1 mL").codes[0]
    'low_reservoir'
    >>> likely_causes(reservoir_volume="19 mL", expected_reservoir_volume="2 mL").codes[0]
    'pump_failure'
    >>> likely_causes("36 h").codes
    ['catheter_failure', 'low_reservoir', 'pump_failure', 'programming_error', 'local_infection', 'inflammatory_mass']
    """
    if not isinstance(recent_programming_change, bool):
        raise InputError("Say whether the programme was changed recently with True or False.")
    findings: list[Finding] = []
    window = (Q_(1.0, "day"), Q_(3.0, "day"))
    if hours_since_interruption is not None:
        h = float(as_quantity(hours_since_interruption, "h", gettext("time since interruption")).magnitude)
        if h < 0:
            raise InputError(gettext("The time since the interruption cannot be negative."))
        library.hard_check("elapsed", h, "h", gettext("time since interruption"))
        if h <= 72:
            findings.append(
                Finding(
                    "onset_typical",
                    "info",
                    message(
                        "Withdrawal {h} h after an interruption fits the usual onset of hours to a few days.",
                        h=float(h),
                    ),
                    _L44,
                )
            )
        else:
            findings.append(
                Finding(
                    "onset_late",
                    "warning",
                    message(
                        "{h} h is later than the usual onset (hours to a few days; practice: 1–3 days): check "
                        "whether delivery failed more recently, and consider other causes of the symptoms.",
                        h=float(h),
                    ),
                    _PRACTICE_WITHDRAWAL,
                )
            )

    base = {
        "catheter_failure": Cause(
            "catheter_failure",
            gettext("catheter failure: connector problems above all, kink, break or dislodgement"),
            gettext("the commonest cause of sudden interruption"),
            _L44,
        ),
        "low_reservoir": Cause(
            "low_reservoir",
            gettext("low or empty reservoir (refill missed or miscalculated)"),
            gettext("a common cause of sudden interruption"),
            _L44,
        ),
        "pump_failure": Cause(
            "pump_failure",
            gettext("pump or device fault (motor stall, end of battery life)"),
            gettext("device faults have interrupted delivery, sometimes fatally"),
            _L44,
        ),
        "programming_error": Cause(
            "programming_error",
            gettext("programming error (wrong rate, concentration or mode)"),
            gettext("correct programming and monitoring prevent interruptions"),
            _L44,
        ),
        "local_infection": Cause(
            "local_infection",
            gettext("local infection around pump or catheter"),
            gettext("local infection can interrupt intrathecal delivery"),
            _L42,
        ),
        # lionova 4.4: an inflammatory mass at the catheter tip shows first as a reduced therapeutic response.
        "inflammatory_mass": Cause(
            "inflammatory_mass",
            gettext("inflammatory mass at the catheter tip"),
            gettext(
                "a falling response (loss of effect), new pain or neurological deficit; "
                "a neurosurgeon assesses it, with imaging"
            ),
            _L44,
        ),
    }
    order = [
        "catheter_failure",
        "low_reservoir",
        "pump_failure",
        "programming_error",
        "local_infection",
        "inflammatory_mass",
    ]

    alarm = library.amount(alarm_volume, "mL", gettext("alarm volume"), "alarm_volume")
    if reservoir_volume is not None:
        found = library.amount(reservoir_volume, "mL", gettext("reservoir volume"), "found_volume", zero_ok=True)
        if found <= alarm:
            order.remove("low_reservoir")
            order.insert(0, "low_reservoir")
            base["low_reservoir"] = Cause(
                "low_reservoir",
                base["low_reservoir"].text,
                message(
                    "the reservoir holds {found}, at or below the {alarm} alarm volume",
                    found=fmt(found),
                    alarm=fmt(alarm),
                ),
                _L44,
            )
            findings.append(
                Finding(
                    "reservoir_low",
                    "violation",
                    message(
                        "The reservoir holds {found}: refill intervals must keep it from emptying.", found=fmt(found)
                    ),
                    _L44,
                )
            )
        if expected_reservoir_volume is not None:
            expected = library.amount(
                expected_reservoir_volume, "mL", gettext("expected reservoir volume"), "found_volume", zero_ok=True
            )
            # practice guidance: e.g. 19 mL found where ~2 mL expected means the pump was not delivering.
            if found - expected > max(Q_(1.0, "mL"), 0.2 * expected):
                order.remove("pump_failure")
                order.insert(0, "pump_failure")
                base["pump_failure"] = Cause(
                    "pump_failure",
                    base["pump_failure"].text,
                    message(
                        "{found} found where {expected} was expected: the pump was not delivering",
                        found=fmt(found),
                        expected=fmt(expected),
                    ),
                    practice("incident reports, residual volume mismatch"),
                )
                findings.append(
                    Finding(
                        "residual_mismatch",
                        "violation",
                        message(
                            "Residual volume mismatch ({found} found, {expected} expected): the pump was not "
                            "delivering; restarting it without care has caused near-fatal overdoses.",
                            found=fmt(found),
                            expected=fmt(expected),
                        ),
                        practice("incident reports, residual volume mismatch"),
                    )
                )
    elif expected_reservoir_volume is not None:
        raise InputError(gettext("An expected reservoir volume needs the volume actually found to compare with."))
    if recent_programming_change:
        order.remove("programming_error")
        order.insert(0, "programming_error")
    return LikelyCauses([base[c] for c in order], findings, window, _L44)
