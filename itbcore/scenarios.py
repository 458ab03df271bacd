"""Error scenarios: how refill and programming mistakes change what reaches the CSF.

For training only, not for treating patients.

Each builder returns a :class:`ScenarioResult`: what was intended, what was delivered,
the factor between them, the boluses and infusions that reach the CSF (ready for
:func:`itbcore.pk.csf_concentration`), findings with sources, and the source of the
scenario.  The scenarios come from reported incidents (practice guidance: pocket fill,
catheter access port injection, flex-mode programming, concentration mismatch, mg/µg
confusion) and from the causes of overdose and withdrawal the labels name (lionova 4.4,
4.9; lioresal Overdose: programming errors, too-rapid dose increase, injection through
the catheter access port, an emptied reservoir).

:data:`SCENARIOS` lists every scenario with sensible defaults; :func:`simulate` turns a
result into intended and delivered CSF curves.

>>> r = flex_mixup("60 ug/day")
>>> r.factor, fmt(r.delivered_rate)
(24.0, '1440 µg/day')
>>> sim = simulate(r, hours=48)
>>> round(float(sim.peak_delivered / sim.peak_intended))
24
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pint

from . import library
from .errors import InputError
from .i18n import N_, gettext, localize_number, message
from .patient import Patient
from .pk import csf_concentration, regimen_findings
from .sources import Finding, cite, practice
from .titration import INFUSION_EFFECT_TEXT, increase_band
from .units import Q_, QuantityLike, as_quantity, fmt

__all__ = [
    "ScenarioResult",
    "Scenario",
    "SCENARIOS",
    "UNIT_SLIPS",
    "TEACHING",
    "Simulation",
    "pocket_fill",
    "access_port_injection",
    "flex_mixup",
    "concentration_mismatch",
    "unit_slip",
    "too_fast_titration",
    "simulate",
]

_L42 = cite("lionova", "4.2")
_L44 = cite("lionova", "4.4")
_L49 = cite("lionova", "4.9")
_LIO_OD = cite("lioresal", "Overdose")
_INCIDENTS = practice("reported incidents (FDA Class I recall 2011; Neuromodulation 2016)")

#: What every scenario is: the teaching of an error.  Its delivered amounts are the mistake on purpose (a value
#: the drug library would question or refuse where it is entered), never a plan (library.OVERRIDE_REASONS).
TEACHING = library.OVERRIDE_REASONS["teaching_error"]

Bolus = tuple[pint.Quantity, pint.Quantity]
Infusion = tuple[pint.Quantity, "pint.Quantity | None", pint.Quantity]


@dataclass(frozen=True)
class ScenarioResult:
    """What an error delivers compared with what was intended.

    ``factor`` is delivered / intended: for a rate, the delivered daily dose over the
    intended one; for a one-off amount, the amount over one intended daily dose (so 80
    means eighty days' doses at once).  ``boluses`` and ``infusions`` are what reaches the
    CSF under the error, ``intended_boluses`` and ``intended_infusions`` what should have;
    both pass straight to :func:`itbcore.pk.csf_concentration`.  ``route`` says where the
    delivered amount went; ``duration`` is a sensible time to simulate; ``teaching`` says that the
    scenario is the teaching of an error (:data:`TEACHING`): its delivered amounts are the mistake.
    """

    code: str
    title: str
    intended_daily_dose: pint.Quantity
    delivered_amount: pint.Quantity | None
    delivered_rate: pint.Quantity | None
    factor: float
    route: str
    boluses: tuple[Bolus, ...]
    infusions: tuple[Infusion, ...]
    intended_boluses: tuple[Bolus, ...]
    intended_infusions: tuple[Infusion, ...]
    findings: list[Finding]
    source: str
    explanation: str = ""
    duration: pint.Quantity = field(default_factory=lambda: Q_(48.0, "h"))
    #: Says what the scenario is: the teaching of an error (:data:`TEACHING`), not a plan to follow.
    teaching: str = TEACHING

    @property
    def is_overdose(self) -> bool:
        """Whether the error delivers more than intended."""
        return self.factor > 1


# The drug-library limit that bounds an entered setting, by its unit (the scenario's error is computed, not entered):
# a dose, a strength, a volume drawn up for a refill, an amount injected by mistake.
_LIMITS = {"ug/day": "daily_dose", "ug/mL": "concentration", "mL": "reservoir_volume", "ug": "overdose_amount"}


def _positive(value: Any, unit: str, name: str) -> pint.Quantity:
    """``value`` in ``unit``, above zero and within the drug library's hard range for that kind of setting."""
    return library.amount(value, unit, name, _LIMITS[unit])


def _residual(value: Any) -> pint.Quantity:
    """The volume left in the reservoir (zero allowed), within the drug library's range for a volume found."""
    return library.amount(value, "mL", gettext("residual volume"), "found_volume", zero_ok=True)


def _h(x: float) -> pint.Quantity:
    return Q_(float(x), "h")


def _time_to_empty(
    residual_volume: pint.Quantity, concentration: pint.Quantity, daily_dose: pint.Quantity
) -> pint.Quantity:
    # Volume delivered per day = daily dose ÷ concentration.
    per_day = (daily_dose / concentration).to("mL/day")
    return (residual_volume / per_day).to("h")


def _programmed(daily_dose: pint.Quantity) -> dict[str, Any]:
    """What was intended in most scenarios: the pump infusing ``daily_dose`` from hour 0, no bolus."""
    return {
        "intended_daily_dose": daily_dose,
        "intended_boluses": (),
        "intended_infusions": ((_h(0), None, daily_dose),),
    }


def _rate_error(
    code: str,
    title: str,
    *,
    intended: pint.Quantity,
    delivered: pint.Quantity,
    factor: float,
    findings: list[Finding],
    source: str,
    explanation: str,
) -> ScenarioResult:
    """A continuous-infusion error: from hour 0 the pump infuses ``delivered`` instead of ``intended``.

    Only the builders' numbers, findings, source and explanation differ; nothing is a bolus and
    the rates run on to the end of any simulation.
    """
    return ScenarioResult(
        code=code,
        title=title,
        **_programmed(intended),
        delivered_amount=None,
        delivered_rate=delivered,
        factor=factor,
        route=gettext("intrathecal infusion"),
        boluses=(),
        infusions=((_h(0), None, delivered),),
        findings=findings,
        source=source,
        explanation=explanation,
    )


def pocket_fill(
    refill_amount: QuantityLike | None = None,
    concentration: QuantityLike = "2 mg/mL",
    volume: QuantityLike = "20 mL",
    daily_dose: QuantityLike = "500 ug/day",
    residual_volume: QuantityLike = "2 mL",
) -> ScenarioResult:
    """The refill injected into the subcutaneous pocket instead of the pump reservoir.

    The refill dose lies under the skin (baclofen must never be given subcutaneously,
    lionova 4.2); meanwhile the pump keeps delivering from the old residual volume only,
    and stops when that runs out, which brings on withdrawal (lionova 4.4).  A Class I
    recall in 2011 counted 8 deaths and 270 serious events from pocket fills (practice
    guidance, incident reports).

    Parameters
    ----------
    refill_amount : Quantity or str, optional
        Baclofen injected into the pocket; by default ``concentration × volume``.
    concentration : Quantity or str, optional
        Concentration of the refill and of the solution already in the pump (default 2 mg/mL).
    volume : Quantity or str, optional
        Refill volume (default 20 mL).
    daily_dose : Quantity or str, optional
        Programmed daily dose (default 500 µg/day, within the usual 300–800 µg/day, lionova 4.2).
    residual_volume : Quantity or str, optional
        Volume left in the reservoir before the refill (default 2 mL).

    Returns
    -------
    ScenarioResult
        ``factor`` is the pocket amount in intended daily doses; the CSF infusion stops
        when the residual runs out.

    Examples
    --------
    >>> r = pocket_fill()
    >>> fmt(r.delivered_amount), r.factor, r.route
    ('40\\u202f000 µg', 80.0, 'subcutaneous pocket')
    >>> fmt(r.infusions[0][1])
    '192 h'
    """
    c = _positive(concentration, "ug/mL", gettext("concentration"))
    dose = _positive(daily_dose, "ug/day", gettext("daily dose"))
    residual = _residual(residual_volume)
    if refill_amount is None:
        amount = (c * _positive(volume, "mL", gettext("refill volume"))).to("ug")
    else:
        amount = _positive(refill_amount, "ug", gettext("refill amount"))
    t_empty = _time_to_empty(residual, c, dose)
    factor = float((amount / (dose * Q_(1, "day"))).to("").magnitude)
    infusions: tuple[Infusion, ...] = ((_h(0), t_empty, dose),) if t_empty.magnitude > 0 else ()
    findings = [
        Finding(
            "pocket_fill",
            "violation",
            message(
                "{amount} of baclofen ({factor} days' doses) went into the subcutaneous pocket instead "
                "of the reservoir; pocket fills have caused deaths and serious harm.",
                amount=fmt(amount),
                factor=localize_number(format(factor, ".3g")),
            ),
            _INCIDENTS,
        ),
        Finding(
            "not_intrathecal",
            "violation",
            gettext("Baclofen must be given only intrathecally, never subcutaneously."),
            _L42,
        ),
        Finding(
            "withdrawal_when_empty",
            "warning",
            message(
                "The pump runs on the {residual} residual only and empties after about {t_empty}; an "
                "empty reservoir brings on withdrawal.",
                residual=fmt(residual),
                t_empty=fmt(t_empty),
            ),
            _L44,
        ),
    ]
    return ScenarioResult(
        code="pocket_fill",
        title=gettext("Pocket fill: refill injected under the skin"),
        **_programmed(dose),
        delivered_amount=amount,
        delivered_rate=Q_(0.0, "ug/day"),
        factor=factor,
        route=gettext("subcutaneous pocket"),
        boluses=(),
        infusions=infusions,
        findings=findings,
        source=_INCIDENTS,
        explanation=gettext(
            "The refill needle missed the reservoir septum; the dose is in the pocket, the pump runs dry."
        ),
        duration=Q_(max(48.0, float(t_empty.magnitude) + 24.0), "h"),
    )


def access_port_injection(
    concentration: QuantityLike = "2 mg/mL",
    volume: QuantityLike = "20 mL",
    daily_dose: QuantityLike = "500 ug/day",
    residual_volume: QuantityLike = "2 mL",
) -> ScenarioResult:
    """The refill injected into the catheter access port: the whole amount goes straight into the CSF.

    Direct injection into the catheter through the access port can cause a
    life-threatening overdose (lionova 4.4; lioresal Dosing: re-fill); overdose follows
    accidental delivery of the catheter contents (lionova 4.9).  The reservoir is not
    refilled, so the pump runs on its residual and then stops.

    Parameters
    ----------
    concentration : Quantity or str
        Concentration of the refill (default 2 mg/mL).
    volume : Quantity or str
        Volume injected (default 20 mL).
    daily_dose : Quantity or str, optional
        Programmed daily dose (default 500 µg/day).
    residual_volume : Quantity or str, optional
        Volume left in the reservoir (default 2 mL), delivered at the programmed rate.

    Returns
    -------
    ScenarioResult
        One bolus of ``concentration × volume`` at time zero.

    Examples
    --------
    >>> r = access_port_injection("2 mg/mL", "20 mL")
    >>> fmt(r.boluses[0][1]), r.factor
    ('40\\u202f000 µg', 80.0)
    >>> fmt(access_port_injection("500 ug/mL", "1 mL").delivered_amount)
    '500 µg'
    """
    c = _positive(concentration, "ug/mL", gettext("concentration"))
    v = _positive(volume, "mL", gettext("injected volume"))
    dose = _positive(daily_dose, "ug/day", gettext("daily dose"))
    residual = _residual(residual_volume)
    amount = (c * v).to("ug")
    factor = float((amount / (dose * Q_(1, "day"))).to("").magnitude)
    t_empty = _time_to_empty(residual, c, dose)
    infusions: tuple[Infusion, ...] = ((_h(0), t_empty, dose),) if t_empty.magnitude > 0 else ()
    peak = (amount / Q_(75.0, "mL")).to("ng/mL")
    findings = [
        Finding(
            "access_port_overdose",
            "violation",
            message(
                "{amount} injected through the catheter access port reaches the CSF at once ({factor} "
                "days' doses): a life-threatening overdose.",
                amount=fmt(amount),
                factor=localize_number(format(factor, ".3g")),
            ),
            _L44,
        ),
        # The 75 mL is the mean volume of distribution of lionova 5.2; the management is lionova 4.9's.
        Finding(
            "csf_peak",
            "warning",
            message(
                "In a 75 mL CSF volume that is a peak near {peak}; manage as an overdose (empty the "
                "pump, airway, 30–40 mL CSF drainage if lumbar puncture is possible).",
                peak=fmt(peak),
            ),
            f"{_L49}, {cite('lionova', '5.2')}",
        ),
        Finding(
            "withdrawal_when_empty",
            "warning",
            message(
                "The reservoir was not refilled and empties after about {t_empty}; plan the refill.",
                t_empty=fmt(t_empty),
            ),
            _L44,
        ),
    ]
    return ScenarioResult(
        code="access_port_injection",
        title=gettext("Catheter access port: refill injected straight into the CSF"),
        **_programmed(dose),
        delivered_amount=amount,
        delivered_rate=dose,
        factor=factor,
        route=gettext("intrathecal bolus"),
        boluses=((_h(0), amount),),
        infusions=infusions,
        findings=findings,
        source=_L44,
        explanation=gettext("The needle entered the access port that leads to the catheter, not the reservoir port."),
    )


def flex_mixup(intended_daily_dose: QuantityLike = "60 ug/day") -> ScenarioResult:
    """Flex-mode programming slip: the daily dose entered as an hourly amount (24-fold).

    "60 µg every hour" programmed where 60 µg a day was meant delivers 24 times the
    dose (practice guidance, incident reports); programming errors are a labelled cause
    of overdose (lionova 4.9; lioresal Overdose).

    Parameters
    ----------
    intended_daily_dose : Quantity or str
        The daily dose that was meant (default 60 µg/day).

    Returns
    -------
    ScenarioResult
        ``factor`` is 24: the whole daily dose is delivered every hour.

    Examples
    --------
    >>> r = flex_mixup("100 ug/day")
    >>> fmt(r.delivered_rate), r.factor
    ('2400 µg/day', 24.0)
    """
    dose = _positive(intended_daily_dose, "ug/day", gettext("intended daily dose"))
    # The number meant per day is programmed per hour.
    delivered = Q_(dose.magnitude, "ug/h").to("ug/day")
    factor = float((delivered / dose).to("").magnitude)
    findings = [
        Finding(
            "flex_mixup",
            "violation",
            message(
                "{hourly} every hour was programmed instead of {dose}: {delivered}, {factor} times the dose.",
                hourly=fmt(Q_(dose.magnitude, "ug")),
                dose=fmt(dose),
                delivered=fmt(delivered),
                factor=float(factor),
            ),
            _INCIDENTS,
        ),
        Finding(
            "programming_error_overdose",
            "violation",
            gettext(
                "Programming errors are a cause of intrathecal baclofen overdose; compare old and new "
                "settings side by side before sending them to the pump."
            ),
            _L49,
        ),
    ]
    return _rate_error(
        "flex_mixup",
        gettext("Flex mode: a daily dose programmed as an hourly one"),
        intended=dose,
        delivered=delivered,
        factor=factor,
        findings=findings,
        source=_INCIDENTS,
        explanation=gettext("A flex step meant as a daily total was entered as an amount per hour."),
    )


def concentration_mismatch(
    programmed_concentration: QuantityLike = "500 ug/mL",
    filled_concentration: Any = "2000 ug/mL",
    daily_dose: QuantityLike = "500 ug/day",
) -> ScenarioResult:
    """Pump programmed for one concentration, filled with another.

    The pump delivers the volume it computes from the programmed concentration, so the
    delivered dose is that volume times the concentration actually in the reservoir:
    ``delivered = daily_dose × filled / programmed`` (practice guidance, incident reports).
    More than intended is an overdose (lionova 4.9, programming errors); less brings
    on withdrawal (lionova 4.4).

    Parameters
    ----------
    programmed_concentration : Quantity or str
        Concentration entered in the programmer (default 500 µg/mL).
    filled_concentration : Quantity or str
        Concentration put into the reservoir (default 2000 µg/mL).
    daily_dose : Quantity or str
        Programmed daily dose (default 500 µg/day).

    Returns
    -------
    ScenarioResult
        ``factor`` is the concentration filled over the concentration the pump was told.

    Examples
    --------
    >>> r = concentration_mismatch("500 ug/mL", "2 mg/mL", "400 ug/day")
    >>> fmt(r.delivered_rate), r.factor
    ('1600 µg/day', 4.0)
    >>> concentration_mismatch("2 mg/mL", "500 ug/mL", "400 ug/day").factor
    0.25
    """
    cp = _positive(programmed_concentration, "ug/mL", gettext("programmed concentration"))
    cf = _positive(filled_concentration, "ug/mL", gettext("filled concentration"))
    dose = _positive(daily_dose, "ug/day", gettext("daily dose"))
    volume_per_day = (dose / cp).to("mL/day")
    delivered = (volume_per_day * cf).to("ug/day")
    factor = float((cf / cp).to("").magnitude)
    findings: list[Finding] = []
    if math.isclose(factor, 1.0, rel_tol=1e-12):
        findings.append(
            Finding(
                "concentrations_match",
                "info",
                gettext("Programmed and filled concentrations agree; the pump delivers the intended dose."),
                _INCIDENTS,
            )
        )
    else:
        findings.append(
            Finding(
                "concentration_mismatch",
                "violation",
                message(
                    "Programmed for {cp} but filled with {cf}: the pump pumps {volume_per_day} and delivers "
                    "{delivered} instead of {dose} ({factor} times).",
                    cp=fmt(cp),
                    cf=fmt(cf),
                    volume_per_day=fmt(volume_per_day),
                    delivered=fmt(delivered),
                    dose=fmt(dose),
                    factor=localize_number(format(factor, ".3g")),
                ),
                _INCIDENTS,
            )
        )
        if factor > 1:
            findings.append(
                Finding(
                    "overdose_risk",
                    "violation",
                    gettext("More baclofen than intended reaches the CSF: watch for overdose signs."),
                    _L49,
                )
            )
        else:
            findings.append(
                Finding(
                    "withdrawal_risk",
                    "violation",
                    gettext("Less baclofen than intended reaches the CSF: watch for withdrawal signs."),
                    _L44,
                )
            )
    return _rate_error(
        "concentration_mismatch",
        gettext("Concentration mismatch: programmed for one strength, filled with another"),
        intended=dose,
        delivered=delivered,
        factor=factor,
        findings=findings,
        source=_INCIDENTS,
        explanation=gettext(
            "The programmer computes volume from the concentration it was told; the reservoir holds another."
        ),
    )


#: Unit slips: code → (description, factor delivered / intended).
UNIT_SLIPS: dict[str, tuple[str, float]] = {
    "mg_for_ug": (N_("the number meant in µg entered in mg"), 1000.0),
    "ug_for_mg": (N_("the number meant in mg entered in µg"), 0.001),
}


def _capitalized(text: str) -> str:
    """``text`` with its first letter upper-case (the rest as it is: "µg" stays "µg")."""
    return text[:1].upper() + text[1:]


def unit_slip(
    intended: QuantityLike = "500 ug/day",
    slip: Literal["mg_for_ug", "ug_for_mg"] = "mg_for_ug",
) -> ScenarioResult:
    """A milligram / microgram confusion in the daily dose (1000-fold).

    ``"mg_for_ug"``: 500 µg/day meant, 500 mg/day entered — a 1000-fold overdose;
    ``"ug_for_mg"``: 0.5 mg/day meant, 0.5 µg/day entered — delivery all but stops and
    withdrawal follows (practice guidance, incident reports: mg/µg confusion;
    lionova 4.9, 4.4).

    Parameters
    ----------
    intended : Quantity or str
        The daily dose that was meant.
    slip : {"mg_for_ug", "ug_for_mg"}
        Which confusion.

    Returns
    -------
    ScenarioResult
        ``factor`` is 1000 (mg typed for µg) or 1/1000 (µg typed for mg), delivered by the pump.

    Examples
    --------
    >>> r = unit_slip("500 ug/day")
    >>> fmt(r.delivered_rate, "mg/day"), r.factor
    ('500 mg/day', 1000.0)
    >>> unit_slip("0.5 mg/day", "ug_for_mg").factor
    0.001
    """
    if not isinstance(slip, str) or slip not in UNIT_SLIPS:
        raise InputError(f"Unknown unit slip {slip!r}; known slips: {', '.join(UNIT_SLIPS)}.")
    dose = _positive(intended, "ug/day", gettext("intended daily dose"))
    if slip == "mg_for_ug":
        delivered = Q_(float(dose.to("ug/day").magnitude), "mg/day").to("ug/day")
    else:
        delivered = Q_(float(dose.to("mg/day").magnitude), "ug/day")
    factor = UNIT_SLIPS[slip][1]
    findings = [
        Finding(
            "unit_slip",
            "violation",
            message(
                "{slip}: {delivered} instead of {dose} ({factor} times).",
                slip=_capitalized(gettext(UNIT_SLIPS[slip][0])),
                delivered=fmt(delivered),
                dose=fmt(dose),
                factor=float(factor),
            ),
            _INCIDENTS,
        ),
        Finding(
            "overdose_risk",
            "violation",
            gettext("A 1000-fold overdose: respiratory depression and coma are to be expected."),
            _L49,
        )
        if factor > 1
        else Finding(
            "withdrawal_risk",
            "violation",
            gettext("Delivery all but stops: withdrawal follows within hours to a few days."),
            _L44,
        ),
    ]
    return _rate_error(
        "unit_slip",
        gettext("Unit slip: milligrams and micrograms confused"),
        intended=dose,
        delivered=delivered,
        factor=factor,
        findings=findings,
        source=_INCIDENTS,
        explanation=gettext("The number meant in µg entered in mg.")
        if slip == "mg_for_ug"
        else gettext("The number meant in mg entered in µg."),
    )


def _daily_steps(start: pint.Quantity, fraction: float, days: int) -> tuple[Infusion, ...]:
    # lionova 4.2: no increase in the first 24 h; then one change per 24 h.
    steps = []
    for day in range(days + 1):
        end = None if day == days else _h(24 * (day + 1))
        steps.append((_h(24 * day), end, start * (1 + fraction) ** day))
    return tuple(steps)


def too_fast_titration(
    start: Any = "100 ug/day",
    daily_increase_fraction: float = 0.5,
    days: int = 3,
    origin: Literal["spinal", "cerebral"] = "spinal",
    population: Literal["adult", "pediatric"] = "adult",
    label: str = "lionova",
) -> ScenarioResult:
    """Daily increases faster than the label allows, against the fastest the label allows.

    Too-rapid dose increase is a labelled cause of overdose (lionova 4.9; lioresal
    Overdose).  The intended path climbs at the label's highest daily increase for the
    origin (lionova 4.2: spinal 30 %, cerebral 15 %; lioresal also 15 % for children of
    spinal origin), the delivered path at ``daily_increase_fraction``; both hold the start
    dose for the first 24 h (lionova 4.2) and change once a day after that.

    Parameters
    ----------
    start : Quantity or str
        Starting daily dose.
    daily_increase_fraction : float
        Increase per 24 h as a fraction (0.5 = +50 %), above 0 and at most 10.
    days : int
        Number of daily increases, 1 to 30.
    origin, population, label : str
        Which label band applies.

    Returns
    -------
    ScenarioResult
        ``factor`` compares the final daily doses.

    Examples
    --------
    >>> r = too_fast_titration("100 ug/day", 0.5, 3)
    >>> fmt(r.delivered_rate), fmt(r.intended_daily_dose), round(r.factor, 2)
    ('338 µg/day', '220 µg/day', 1.54)
    """
    dose = _positive(start, "ug/day", gettext("starting daily dose"))
    if isinstance(daily_increase_fraction, bool) or not isinstance(daily_increase_fraction, (int, float)):
        raise InputError(
            message(
                "The daily increase {daily_increase_fraction} must be a fraction such as 0.3 for +30 %.",
                daily_increase_fraction=repr(daily_increase_fraction),
            )
        )
    f = float(daily_increase_fraction)
    if not (math.isfinite(f) and 0 < f <= 10):
        raise InputError(message("The daily increase must be above 0 and at most 10 (1000 %), not {f}.", f=float(f)))
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or not 1 <= days <= 30:
        raise InputError(
            message("The number of daily increases must be a whole number from 1 to 30, not {days}.", days=repr(days))
        )
    if population not in ("adult", "pediatric"):
        raise InputError(f"The population must be 'adult' or 'pediatric', not {population!r}.")
    # The band itself is titration's rule (lionova 4.2; lioresal Dosing: phase of dose selection);
    # a representative patient of the population stands in for the age.
    band = increase_band(Patient(40 if population == "adult" else 10, origin), "titration", label)
    f_max, band_source = band.high, band.source
    # Each profile cites its own label: the causes of overdose (lionova 4.9; lioresal Overdose: "an excessive rapid
    # dose increase") and the onset of an infusion (lionova 4.2; lioresal Pharmacodynamics: 6-8 h, 24-48 h).
    overdose_src = _L49 if label == "lionova" else _LIO_OD
    onset_src = _L42 if label == "lionova" else cite("lioresal", "Pharmacodynamics")
    delivered_final = dose * (1 + f) ** days
    intended_final = dose * (1 + f_max) ** days
    factor = ((1 + f) / (1 + f_max)) ** days
    findings: list[Finding] = []
    if f > f_max:
        findings.append(
            Finding(
                "increase_above_label",
                "violation",
                message(
                    "+{f} a day exceeds the label's highest +{f_max} per 24 h for {origin} origin "
                    "({population}); after {days} days {delivered_final} instead of at most {intended_final}.",
                    f=localize_number(format(f, ".0%")),
                    f_max=localize_number(format(f_max, ".0%")),
                    origin=gettext(origin),
                    population=gettext(population),
                    days=days,
                    delivered_final=fmt(delivered_final),
                    intended_final=fmt(intended_final),
                ),
                band_source,
            )
        )
        findings.append(
            Finding(
                "too_rapid_increase",
                "violation",
                gettext("Too-rapid dose increase is a cause of overdose."),
                overdose_src,
            )
        )
    else:
        findings.append(
            Finding(
                "increase_within_label",
                "info",
                message(
                    "+{f} a day is within the label's highest +{f_max} per 24 h.",
                    f=localize_number(format(f, ".0%")),
                    f_max=localize_number(format(f_max, ".0%")),
                ),
                band_source,
            )
        )
    findings.append(
        Finding(
            "effect_lags",
            "info",
            message(
                "The effect of an infusion change begins after {infusion_effect_text}, so daily "
                "increases pile up before their effect is seen.",
                infusion_effect_text=gettext(INFUSION_EFFECT_TEXT),
            ),
            onset_src,
        )
    )
    return ScenarioResult(
        code="too_fast_titration",
        title=gettext("Titration too fast: daily increases above the label band"),
        intended_daily_dose=intended_final,
        delivered_amount=None,
        delivered_rate=delivered_final,
        factor=float(factor),
        route=gettext("intrathecal infusion"),
        boluses=(),
        infusions=_daily_steps(dose, f, days),
        intended_boluses=(),
        intended_infusions=_daily_steps(dose, f_max, days),
        findings=findings,
        source=overdose_src,
        explanation=message(
            "Daily increases of {f} where the label allows at most {f_max}.",
            f=localize_number(format(f, ".0%")),
            f_max=localize_number(format(f_max, ".0%")),
        ),
        duration=Q_(24.0 * (days + 2), "h"),
    )


@dataclass(frozen=True)
class Scenario:
    """A registered scenario: its code, title, builder and default arguments.

    Calling it builds the :class:`ScenarioResult`; keywords override the defaults.
    """

    code: str
    #: The title in English (its message in the catalogues); :attr:`title` is it in the locale in force.
    title_msgid: str
    build: Callable[..., ScenarioResult]
    defaults: dict[str, Any] = field(hash=False)

    @property
    def title(self) -> str:
        """The scenario's title as it is shown, in the locale in force."""
        return gettext(self.title_msgid)

    def __call__(self, **overrides: Any) -> ScenarioResult:
        unknown = sorted(set(overrides) - set(self.defaults))
        if unknown:
            raise InputError(
                f"The scenario {self.code!r} has no setting {unknown[0]!r}; settings: {', '.join(self.defaults)}."
            )
        return self.build(**{**self.defaults, **overrides})


#: Every scenario with sensible defaults, so an app can list and build them.
SCENARIOS: dict[str, Scenario] = {
    s.code: s
    for s in (
        Scenario(
            "pocket_fill",
            N_("Pocket fill: refill injected under the skin"),
            pocket_fill,
            {
                "refill_amount": None,
                "concentration": "2 mg/mL",
                "volume": "20 mL",
                "daily_dose": "500 ug/day",
                "residual_volume": "2 mL",
            },
        ),
        Scenario(
            "access_port_injection",
            N_("Catheter access port: refill injected straight into the CSF"),
            access_port_injection,
            {"concentration": "2 mg/mL", "volume": "20 mL", "daily_dose": "500 ug/day", "residual_volume": "2 mL"},
        ),
        Scenario(
            "flex_mixup",
            N_("Flex mode: a daily dose programmed as an hourly one"),
            flex_mixup,
            {"intended_daily_dose": "60 ug/day"},
        ),
        Scenario(
            "concentration_mismatch",
            N_("Concentration mismatch: programmed for one strength, filled with another"),
            concentration_mismatch,
            {"programmed_concentration": "500 ug/mL", "filled_concentration": "2000 ug/mL", "daily_dose": "500 ug/day"},
        ),
        Scenario(
            "unit_slip",
            N_("Unit slip: milligrams and micrograms confused"),
            unit_slip,
            {"intended": "500 ug/day", "slip": "mg_for_ug"},
        ),
        Scenario(
            "too_fast_titration",
            N_("Titration too fast: daily increases above the label band"),
            too_fast_titration,
            {
                "start": "100 ug/day",
                "daily_increase_fraction": 0.5,
                "days": 3,
                "origin": "spinal",
                "population": "adult",
                "label": "lionova",
            },
        ),
    )
}


@dataclass(frozen=True, eq=False)
class Simulation:
    """Intended and delivered CSF concentrations of a scenario over time.

    ``findings`` are the drug library's soft-limit warnings for what the error delivered (a bolus above the
    100 µg test dose, an infusion above the highest daily dose the labels report), each saying that it is the
    teaching of an error (:data:`TEACHING`), so that a warning shown with the scenario is not read as advice.
    """

    code: str
    title: str
    times: pint.Quantity
    intended: pint.Quantity
    delivered: pint.Quantity
    findings: tuple[Finding, ...] = ()

    @property
    def peak_intended(self) -> pint.Quantity:
        """Highest intended concentration (per patient when simulated for several)."""
        return self.intended.max(axis=-1)

    @property
    def peak_delivered(self) -> pint.Quantity:
        """Highest delivered concentration (per patient when simulated for several)."""
        return self.delivered.max(axis=-1)


def simulate(
    result: ScenarioResult,
    hours: Any = 48,
    points: int = 481,
    volume: QuantityLike = "75 mL",
    clearance: Any = "30 mL/h",
) -> Simulation:
    """CSF concentration curves, intended and delivered, for a scenario (one-compartment model).

    Parameters
    ----------
    result : ScenarioResult
    hours : number, Quantity or str, optional
        Length of the simulation; a plain number counts hours (default 48).
        ``result.duration`` suggests a length that shows the whole scenario.
    points : int, optional
        Number of time points, 2 to 100,000.
    volume, clearance : Quantity or str, optional
        Model parameters (label values 75 mL and 30 mL/h, lionova 5.2), or arrays per patient.

    Returns
    -------
    Simulation

    Examples
    --------
    >>> sim = simulate(concentration_mismatch("500 ug/mL", "2 mg/mL", "500 ug/day"), hours="2 day")
    >>> fmt(sim.peak_intended), fmt(sim.peak_delivered)
    ('694 ng/mL', '2778 ng/mL')
    """
    if not isinstance(result, ScenarioResult):
        raise InputError(f"simulate needs a ScenarioResult, not {type(result).__name__}.")
    if isinstance(hours, bool):
        raise InputError(gettext("The simulation length must be a time such as 48 or '48 h'."))
    if isinstance(hours, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(hours)):
            raise InputError(gettext("The simulation length must be a finite number of hours."))
        span = float(hours)
    else:
        span = float(as_quantity(hours, "h", gettext("simulation length")).magnitude)
    if not 0 < span <= 24 * 366:
        raise InputError(
            message("The simulation length must be above 0 and at most a year, not {span} h.", span=float(span))
        )
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 2 <= points <= 100_000:
        raise InputError(f"The number of time points must be a whole number from 2 to 100,000, not {points!r}.")
    library.hard_check("simulated_time", span, "h", gettext("simulation length"))
    times = Q_(np.linspace(0.0, span, int(points)), "h")
    intended = csf_concentration(times, result.intended_boluses, result.intended_infusions, volume, clearance)
    delivered = csf_concentration(times, result.boluses, result.infusions, volume, clearance)
    # What the error delivered, judged as an entered value would be, and said to be the lesson, not a plan.
    taught = tuple(
        Finding(
            f.code,
            f.severity,
            f"{gettext(result.teaching)}: {f.message}",
            f"{f.source}; {_INCIDENTS}",
        )
        for f in regimen_findings(result.boluses, result.infusions)
    )
    return Simulation(result.code, result.title, times, intended, delivered, taught)
