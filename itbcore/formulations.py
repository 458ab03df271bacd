"""Marketed strengths of intrathecal baclofen, what a pump fill needs, and the only allowed diluent.

Three strengths are marketed (lionova 2, 6.5; lioresal Composition, Packaging):

========== ======= ==================== ===================== ==================
strength   ampoule baclofen per ampoule sodium per ampoule    use
========== ======= ==================== ===================== ==================
50 µg/mL   1 mL    50 µg                3.54 mg (0.15 mmol)   screening bolus
500 µg/mL  20 mL   10 mg                70.81 mg (3.08 mmol)  pump
2000 µg/mL 5 mL    10 mg                17.70 mg (0.77 mmol)  pump
========== ======= ==================== ===================== ==================

Every ampoule is for single use and is used at once after opening (lionova 6.3, 6.6).
Other concentrations are made by diluting aseptically with sodium chloride 9 mg/mL
(0.9 %) only (lionova 4.2, 6.6; lioresal Dosing and Administration); the solution
must not be mixed with anything else and is incompatible with glucose (lionova 6.2);
a diluted solution is used within 24 h (baclorex 5).

The solution itself (:data:`SOLUTION`): clear and colourless, pH 5.0–7.0 (lionova 3), stable,
isotonic, free of pyrogens and antioxidants (lionova 4.2).  Its sodium is measured, as lionova 4.4
measures each ampoule's, against the WHO-recommended maximum daily intake of 2 g sodium for an adult
(:data:`WHO_SODIUM_PER_DAY`, :func:`sodium_share_of_who_daily`): 70.81 mg is 3.5 %.

>>> formulation_for("2 mg/mL").ampoule_volume
<Quantity(5, 'milliliter')>
>>> fill = ampoules_for_fill("1000 ug/mL", "20 mL")
>>> fill.stock.key, fill.ampoules, fill.stock_volume, fill.diluent_volume
('2000 ug/mL', 2, <Quantity(10.0, 'milliliter')>, <Quantity(10.0, 'milliliter')>)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import pint

from . import library
from .errors import DiluentError, DoseLimitError, InputError
from .i18n import N_, gettext, localize_number, message
from .sources import Finding, cite
from .units import Q_, QuantityLike, as_quantity, fmt

__all__ = [
    "Formulation",
    "FORMULATIONS",
    "SolutionFacts",
    "SOLUTION",
    "WHO_SODIUM_PER_DAY",
    "sodium_share_of_who_daily",
    "PUMP_FORMULATIONS",
    "SCREENING_FORMULATION",
    "DILUENT",
    "DILUENT_NACL_PER_ML",
    "formulation_for",
    "is_marketed",
    "volumes_at_strengths",
    "check_diluent",
    "FillRequirement",
    "ampoules_for_fill",
]

# Molar masses used only to turn the label's 9 mg NaCl per mL into sodium (mg and mmol).
_NA_G_PER_MOL = 22.99
_NACL_G_PER_MOL = 58.44

#: Name of the only allowed diluent (lionova 6.6: "natriumklorid 9 mg/ml (0,9 %) injeksjonsvæske").
DILUENT = N_("sodium chloride 9 mg/mL (0.9 %)")
#: Sodium chloride per mL of the diluent and of every strength (lioresal Composition: 9 mg per 1 mL;
#: lionova 4.4: 180 mg in 20 mL, 45 mg in 5 mL).
DILUENT_NACL_PER_ML = Q_(9, "mg/mL")
#: The WHO-recommended maximum daily sodium intake for an adult, against which lionova 4.4 states each ampoule's
#: sodium ("3,5 % av WHOs anbefalte maksimale daglige inntak av natrium på 2 g for en voksen person").
WHO_SODIUM_PER_DAY = Q_(2, "g")
#: lionova 4.4: less than 1 mmol sodium (23 mg) per dose is "essentially sodium-free".
_SODIUM_FREE_BELOW = Q_(23, "mg")
_SRC_SODIUM = cite("lionova", "4.4")


def sodium_share_of_who_daily(sodium: QuantityLike) -> float:
    """The share (a fraction) of the WHO-recommended maximum daily intake of 2 g sodium for an adult that
    ``sodium`` is, the measure lionova 4.4 gives for each ampoule.

    >>> round(100 * sodium_share_of_who_daily("70.81 mg"), 1), round(100 * sodium_share_of_who_daily("17.70 mg"), 1)
    (3.5, 0.9)
    """
    na = as_quantity(sodium, "mg", gettext("sodium"))
    if na.magnitude < 0:
        raise InputError(gettext("An amount of sodium cannot be negative."))
    return float((na / WHO_SODIUM_PER_DAY).to("").magnitude)


def sodium_statement(sodium: pint.Quantity, sodium_mmol: pint.Quantity, what: str) -> str:
    """``what`` and its sodium in lionova 4.4's words: the share of the WHO-recommended maximum daily intake of 2 g
    sodium for an adult (lionova 4.4 gives 3.5 % for the 20 mL ampoule, 0.9 % for the 5 mL one), and below
    1 mmol (23 mg) that it is less than 1 mmol (the 1 mL ampoule, which lionova 4.4 calls essentially sodium-free).

    >>> sodium_statement(Q_(70.81, "mg"), Q_(3.08, "mmol"), "A 20 mL ampoule of 0.5 mg/mL")
    'A 20 mL ampoule of 0.5 mg/mL contains 70.8 mg sodium (3.08 mmol), equivalent to 3.5 % of the WHO-recommended
    maximum daily intake of 2 g sodium for an adult.'
    """
    params = dict(
        what=what,
        sodium=fmt(sodium, "mg"),
        mmol=fmt(sodium_mmol, "mmol"),
        share=localize_number(format(100 * sodium_share_of_who_daily(sodium), ".1f")),
        who=fmt(WHO_SODIUM_PER_DAY),
    )
    if sodium < _SODIUM_FREE_BELOW:
        return message(
            "{what} contains {sodium} sodium ({mmol}) (less than 1 mmol sodium, 23 mg), equivalent to {share} % of "
            "the WHO-recommended maximum daily intake of {who} sodium for an adult.",
            **params,
        )
    return message(
        "{what} contains {sodium} sodium ({mmol}), equivalent to {share} % of the WHO-recommended maximum daily "
        "intake of {who} sodium for an adult.",
        **params,
    )


@dataclass(frozen=True)
class Formulation:
    """One marketed strength (lionova 2, 6.5; lioresal Composition, Packaging).

    Attributes
    ----------
    key : str
        ``"50 ug/mL"``, ``"500 ug/mL"`` or ``"2000 ug/mL"`` (readable by :func:`itbcore.units.as_quantity`).
    concentration : Quantity[µg/mL]
    ampoule_volume : Quantity[mL]
    amount_per_ampoule : Quantity[µg]
    sodium_per_ampoule : Quantity[mg]
    sodium_mmol_per_ampoule : Quantity[mmol]
    use : ``"screening bolus"`` or ``"pump"``
    source : str
    """

    key: str
    concentration: pint.Quantity
    ampoule_volume: pint.Quantity
    amount_per_ampoule: pint.Quantity
    sodium_per_ampoule: pint.Quantity
    sodium_mmol_per_ampoule: pint.Quantity
    use: Literal["screening bolus", "pump"]
    source: str

    @property
    def sodium_share_of_who_daily(self) -> float:
        """The ampoule's sodium as a share of the WHO-recommended 2 g a day for an adult (lionova 4.4)."""
        return sodium_share_of_who_daily(self.sodium_per_ampoule)


@dataclass(frozen=True)
class SolutionFacts:
    """What the label says of the solution itself, each fact with its section in :attr:`sources`.

    Attributes
    ----------
    appearance : str
        ``"clear and colourless"`` (lionova 3).
    ph_range : tuple of float
        pH 5.0 to 7.0 (lionova 3; lionova 4.2).
    isotonic, stable : bool
        The solution is stable and isotonic (lionova 4.2).
    free_of : tuple of str
        Pyrogens and antioxidants (lionova 4.2).
    sources : dict
        Attribute name → the section that states it.  lioresal (Description) and baclorex (1) describe a clear,
        colourless solution but state neither its pH nor its tonicity.
    """

    appearance: str
    ph_range: tuple[float, float]
    isotonic: bool
    stable: bool
    free_of: tuple[str, ...]
    sources: dict[str, str] = field(hash=False)


#: The solution (lionova 3: "Klar og fargeløs oppløsning i ampuller med pH 5,0 - 7,0"; lionova 4.2: "Løsningen er
#: stabil, isoton, pyrogen og antioksidantfri og har en pH på 5,0 - 7,0").
SOLUTION = SolutionFacts(
    appearance=N_("clear and colourless"),
    ph_range=(5.0, 7.0),
    isotonic=True,
    stable=True,
    free_of=(N_("pyrogens"), N_("antioxidants")),
    sources={
        "appearance": cite("lionova", "3"),
        "ph_range": f"{cite('lionova', '3')}, {cite('lionova', '4.2')}",
        "isotonic": cite("lionova", "4.2"),
        "stable": cite("lionova", "4.2"),
        "free_of": cite("lionova", "4.2"),
    },
)


_SRC_STRENGTHS = (
    f"{cite('lionova', '2')}, {cite('lionova', '6.5')}; {cite('lioresal', 'Composition')}, "
    f"{cite('lioresal', 'Packaging')}"
)

#: The marketed strengths, keyed by :attr:`Formulation.key`, lowest first.
FORMULATIONS: dict[str, Formulation] = {
    # lionova 2: 1 mL ampoule, 0.05 mg baclofen, 3.54 mg (0.15 mmol) sodium;
    # lionova 4.2: the 50 µg/mL strength is for a single test bolus.
    "50 ug/mL": Formulation(
        "50 ug/mL",
        Q_(50, "ug/mL"),
        Q_(1, "mL"),
        Q_(50, "ug"),
        Q_(3.54, "mg"),
        Q_(0.15, "mmol"),
        "screening bolus",
        _SRC_STRENGTHS,
    ),
    # lionova 2: 20 mL ampoule, 10 mg baclofen, 70.81 mg (3.08 mmol) sodium; for pumps (lionova 4.2).
    "500 ug/mL": Formulation(
        "500 ug/mL",
        Q_(500, "ug/mL"),
        Q_(20, "mL"),
        Q_(10000, "ug"),
        Q_(70.81, "mg"),
        Q_(3.08, "mmol"),
        "pump",
        _SRC_STRENGTHS,
    ),
    # lionova 2: 5 mL ampoule, 10 mg baclofen, 17.70 mg (0.77 mmol) sodium; for pumps (lionova 4.2).
    "2000 ug/mL": Formulation(
        "2000 ug/mL",
        Q_(2000, "ug/mL"),
        Q_(5, "mL"),
        Q_(10000, "ug"),
        Q_(17.70, "mg"),
        Q_(0.77, "mmol"),
        "pump",
        _SRC_STRENGTHS,
    ),
}
#: The strength for the screening test bolus (lionova 4.2).
SCREENING_FORMULATION = FORMULATIONS["50 ug/mL"]
#: The strengths meant for infusion pumps, lowest first
#: (lionova 4.2 "Administrasjon"; lioresal Dosing: mode of infusion).
PUMP_FORMULATIONS: tuple[Formulation, ...] = (FORMULATIONS["500 ug/mL"], FORMULATIONS["2000 ug/mL"])


def _match(conc: pint.Quantity) -> Formulation | None:
    mag = float(conc.to("ug/mL").magnitude)
    for f in FORMULATIONS.values():
        if math.isclose(mag, float(f.concentration.magnitude), rel_tol=1e-9):
            return f
    return None


def volumes_at_strengths(dose: QuantityLike) -> tuple[tuple[Formulation, pint.Quantity], ...]:
    """The volume that holds ``dose`` at each marketed strength (a mg/µg slip is 1000-fold, a wrong strength
    40-fold).

    >>> [(f.key, round(v.magnitude, 3)) for f, v in volumes_at_strengths("0.05 mg")]
    [('50 ug/mL', 1.0), ('500 ug/mL', 0.1), ('2000 ug/mL', 0.025)]
    """
    # A dose typed to see its volumes is judged as a bolus (the drug library's bolus_dose: past its soft range,
    # 25-100 µg, an app asks before it shows the volumes; a mg/µg slip says so).
    d = library.amount(dose, "ug", gettext("dose"), "bolus_dose")
    return tuple(
        (f, Q_(float(d.magnitude) / float(f.concentration.to("ug/mL").magnitude), "mL")) for f in FORMULATIONS.values()
    )


def is_marketed(concentration: QuantityLike) -> bool:
    """Whether ``concentration`` is one of the three marketed strengths (lionova 2).

    Examples
    --------
    >>> is_marketed("0.5 mg/mL"), is_marketed("1 mg/mL")
    (True, False)
    """
    return _match(as_quantity(concentration, "ug/mL", gettext("concentration"))) is not None


def formulation_for(concentration: QuantityLike) -> Formulation:
    """The marketed strength with this concentration.

    Parameters
    ----------
    concentration : Quantity or str
        For example ``"500 ug/mL"``, ``"0.5 mg/mL"`` or ``"2 mg/mL"``.

    Returns
    -------
    Formulation

    Raises
    ------
    InputError
        When no strength has this concentration (other concentrations are made by dilution, lionova 6.6).

    Examples
    --------
    >>> f = formulation_for("0.5 mg/mL")
    >>> f.key, f.ampoule_volume, f.sodium_per_ampoule
    ('500 ug/mL', <Quantity(20, 'milliliter')>, <Quantity(70.81, 'milligram')>)
    >>> formulation_for("1 mg/mL")
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: No strength of 1000 µg/mL is marketed (50, 500 and 2000 µg/mL are, lionova 2); other
    concentrations are made by dilution with sodium chloride 0.9 % (lionova 6.6).
    """
    conc = as_quantity(concentration, "ug/mL", gettext("concentration"))
    found = _match(conc)
    if found is None:
        raise InputError(
            message(
                "No strength of {conc} is marketed (50, 500 and 2000 µg/mL are, {source}); other "
                "concentrations are made by dilution with sodium chloride 0.9 % ({source2}).",
                conc=fmt(conc, "ug/mL"),
                source=cite("lionova", "2"),
                source2=cite("lionova", "6.6"),
            )
        )
    return found


# ---------------------------------------------------------------------------------------------- diluent
_GLUCOSE = re.compile(r"glucose|dextrose|\bd5w?\b|\bd10w?\b|\bg5\b|sugar|glukose|glukoz|dekstroz", re.I)
_NACL_NAME = r"(?:sodium chloride|nacl|natriumklorid|sodyum klor[uü]r)"
_STRENGTH = r"(?:0?\.9 ?%|9 ?mg ?/ ?ml)"
_SUFFIX = (
    r"(?: \(?(?:0?\.9 ?%|9 ?mg ?/ ?ml)\)?)?"
    r"(?: (?:solution|injection|for injection|infusion|solution for injection))?"
)
_ACCEPTED = [
    re.compile(rf"{_NACL_NAME} {_STRENGTH}{_SUFFIX}"),
    re.compile(rf"{_STRENGTH} {_NACL_NAME}{_SUFFIX}"),
    re.compile(rf"(?:saline {_STRENGTH}|{_STRENGTH} saline|normal saline(?: {_STRENGTH})?){_SUFFIX}"),
]


def _normalise_diluent(text: str) -> str:
    s = text.lower().replace(",", ".").replace("\u00a0", " ")
    s = re.sub(r"\s*(?:per ?cent|percent)\b", "%", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r" ?% ?", "% ", s).strip()  # "0.9 %" and "0.9%" read alike
    s = s.replace("% )", "%)")
    return s


def check_diluent(diluent: Any) -> str:
    """Return :data:`DILUENT` if ``diluent`` names sodium chloride 0.9 %, else raise :class:`DiluentError`.

    Accepted spellings include ``"sodium chloride 0.9%"``, ``"NaCl 0.9%"``, ``"0.9% sodium chloride"``,
    ``"sodium chloride 9 mg/mL"`` and ``"normal saline"`` (any case, ``0,9`` or ``0.9``, with or without
    a space before ``%``).  Everything else is refused: lionova 4.2 and 6.6 allow only sodium chloride
    9 mg/mL (0.9 %); glucose is incompatible (lionova 6.2).

    Examples
    --------
    >>> check_diluent("NaCl 0,9 %")
    'sodium chloride 9 mg/mL (0.9 %)'
    >>> check_diluent("glucose 5%")
    Traceback (most recent call last):
    ...
    itbcore.errors.DiluentError: The diluent 'glucose 5%' contains glucose, which is incompatible with baclofen
    (lionova 6.2); dilute only with sodium chloride 9 mg/mL (0.9 %) (lionova 6.6).
    """
    if not isinstance(diluent, str):
        raise DiluentError(
            message(
                "The diluent {diluent} is not a name; dilute only with sodium chloride 9 mg/mL (0.9 %) ({source}).",
                diluent=repr(diluent),
                source=cite("lionova", "6.6"),
            )
        )
    if _GLUCOSE.search(diluent):
        raise DiluentError(
            message(
                "The diluent {diluent} contains glucose, which is incompatible with baclofen ({source}); "
                "dilute only with sodium chloride 9 mg/mL (0.9 %) ({source2}).",
                diluent=repr(diluent),
                source=cite("lionova", "6.2"),
                source2=cite("lionova", "6.6"),
            )
        )
    norm = _normalise_diluent(diluent)
    if any(p.fullmatch(norm) for p in _ACCEPTED):
        return DILUENT
    raise DiluentError(
        message(
            "The diluent {diluent} is not sodium chloride 9 mg/mL (0.9 %), the only allowed diluent; "
            "baclofen must not be mixed with other solutions ({source}, {source2}).",
            diluent=repr(diluent),
            source=cite("lionova", "6.2"),
            source2=cite("lionova", "6.6"),
        )
    )


def _sodium_of_diluent(volume: pint.Quantity) -> tuple[pint.Quantity, pint.Quantity]:
    nacl_mg = (DILUENT_NACL_PER_ML * volume).to("mg")
    mmol = Q_(float(nacl_mg.magnitude) / _NACL_G_PER_MOL, "mmol")
    return Q_(float(mmol.magnitude) * _NA_G_PER_MOL, "mg"), mmol


# ---------------------------------------------------------------------------------------------- fills
@dataclass(frozen=True)
class FillRequirement:
    """What one pump fill at ``target_concentration`` needs (see :func:`ampoules_for_fill`).

    Attributes
    ----------
    target_concentration, fill_volume : Quantity
        What was asked for (µg/mL, mL).
    stock : Formulation
        The marketed strength drawn from.
    ampoules : int
        Whole ampoules to open (each single use).
    baclofen_amount : Quantity[mg]
        Baclofen in the fill.
    stock_volume, diluent_volume : Quantity[mL]
        Volumes of stock and of sodium chloride 0.9 %; they add up to ``fill_volume``.
    diluent : str or None
        :data:`DILUENT`, or ``None`` when the fill is undiluted stock.
    sodium, sodium_mmol : Quantity[mg], Quantity[mmol]
        Sodium in the fill (ampoule contents drawn plus diluent); :attr:`sodium_share_of_who_daily` measures it
        as lionova 4.4 does, against the WHO-recommended 2 g a day for an adult.
    discarded_volume : Quantity[mL]
        Stock left in opened ampoules, to be discarded (single use, lionova 6.3).
    findings : tuple of Finding
    """

    target_concentration: pint.Quantity
    fill_volume: pint.Quantity
    stock: Formulation
    ampoules: int
    baclofen_amount: pint.Quantity
    stock_volume: pint.Quantity
    diluent_volume: pint.Quantity
    diluent: str | None
    sodium: pint.Quantity
    sodium_mmol: pint.Quantity
    discarded_volume: pint.Quantity
    findings: tuple[Finding, ...]

    @property
    def sodium_share_of_who_daily(self) -> float:
        """The fill's sodium as a share of the WHO-recommended maximum of 2 g a day for an adult (lionova 4.4).

        >>> round(100 * ampoules_for_fill("500 ug/mL", "20 mL").sodium_share_of_who_daily, 2)
        3.54
        """
        return sodium_share_of_who_daily(self.sodium)


def ampoules_for_fill(
    target_concentration: QuantityLike,
    fill_volume: QuantityLike,
    stock: QuantityLike | None = None,
) -> FillRequirement:
    """Ampoules, volumes and sodium for one pump fill.

    Parameters
    ----------
    target_concentration : Quantity or str
        Concentration wanted in the pump (µg/mL); at most 2000 µg/mL, the highest strength.
    fill_volume : Quantity or str
        Volume to put in the reservoir (mL).
    stock : Quantity, str or None
        The strength to draw from: 500 or 2000 µg/mL.  ``None`` takes the lowest pump strength
        at or above the target.

    Returns
    -------
    FillRequirement

    Raises
    ------
    DoseLimitError
        For a non-positive target or volume, a target above the stock or above 2000 µg/mL, or the
        50 µg/mL strength as stock: it is meant for a single test bolus, while 0.5 and 2 mg/mL are
        the strengths for pumps (lionova 4.2); a low pump concentration is made from 500 µg/mL.
    InputError
        For a stock that is not a marketed strength.

    Notes
    -----
    Ampoules are single use: an opened ampoule is used at once and the rest discarded
    (lionova 6.3, 6.6; lioresal Dosing and Administration), so whole ampoules are counted.
    Sodium is taken from the label's sodium per ampoule, in proportion to the stock volume
    drawn, plus 9 mg sodium chloride per mL of diluent (lionova 6.6).

    Examples
    --------
    >>> fill = ampoules_for_fill("500 ug/mL", "20 mL")
    >>> fill.ampoules, fill.diluent_volume, fill.sodium
    (1, <Quantity(0.0, 'milliliter')>, <Quantity(70.81, 'milligram')>)
    >>> fill = ampoules_for_fill("300 ug/mL", "20 mL")
    >>> fill.stock_volume, fill.diluent_volume, fill.discarded_volume
    (<Quantity(12.0, 'milliliter')>, <Quantity(8.0, 'milliliter')>, <Quantity(8.0, 'milliliter')>)
    >>> ampoules_for_fill("40 ug/mL", "20 mL", stock="50 ug/mL")
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: The 50 µg/mL strength is for a single screening test bolus, not for filling a pump
    (lionova 4.2); make a low pump concentration by diluting the 500 µg/mL strength.
    """
    target = library.amount(target_concentration, "ug/mL", gettext("target concentration"), "concentration")
    volume = library.amount(fill_volume, "mL", gettext("fill volume"), "reservoir_volume")
    highest = PUMP_FORMULATIONS[-1]
    if stock is None:
        chosen = next((f for f in PUMP_FORMULATIONS if target <= f.concentration * (1 + 1e-12)), None)
        if chosen is None:
            raise DoseLimitError(
                message(
                    "The target {target} is above the highest strength, {concentration}; dilution can only "
                    "lower a concentration ({source}).",
                    target=fmt(target, "ug/mL"),
                    concentration=fmt(highest.concentration),
                    source=cite("lionova", "6.6"),
                ),
                name="target concentration",
                value=float(target.magnitude),
                limit=float(highest.concentration.to("ug/mL").magnitude),
                unit="ug/mL",
                key="concentration",
                source=cite("lionova", "6.6"),
            )
    else:
        chosen = formulation_for(stock)
        stock_ug_ml = float(chosen.concentration.to("ug/mL").magnitude)
        if chosen.use != "pump":
            # lionova 4.2: 50 µg/mL is for a single bolus test dose; 0.5 and 2 mg/mL for continuous infusion.
            raise DoseLimitError(
                message(
                    "The 50 µg/mL strength is for a single screening test bolus, not for filling a pump "
                    "({source}); make a low pump concentration by diluting the 500 µg/mL strength.",
                    source=cite("lionova", "4.2"),
                ),
                name="stock",
                value=stock_ug_ml,
                limit=float(PUMP_FORMULATIONS[0].concentration.to("ug/mL").magnitude),
                unit="ug/mL",
                key="concentration",
                source=cite("lionova", "4.2"),
            )
        if target > chosen.concentration * (1 + 1e-12):
            raise DoseLimitError(
                message(
                    "The target {target} is above the stock {concentration}; dilution can only lower a "
                    "concentration ({source}).",
                    target=fmt(target, "ug/mL"),
                    concentration=fmt(chosen.concentration),
                    source=cite("lionova", "6.6"),
                ),
                name="target concentration",
                value=float(target.magnitude),
                limit=stock_ug_ml,
                unit="ug/mL",
                key="concentration",
                source=cite("lionova", "6.6"),
            )
    ratio = min(1.0, float((target / chosen.concentration).to("").magnitude))
    stock_volume = (volume * ratio).to("mL")
    if math.isclose(ratio, 1.0, rel_tol=1e-12):
        ratio, stock_volume = 1.0, volume.to("mL")
    stock_volume = Q_(float(stock_volume.to("mL").magnitude), "mL")
    diluent_volume = Q_(float((volume - stock_volume).to("mL").magnitude), "mL")
    per_ampoule = float(chosen.ampoule_volume.magnitude)
    ampoules = max(1, math.ceil(float(stock_volume.magnitude) / per_ampoule - 1e-9))
    discarded = Q_(ampoules * per_ampoule, "mL") - stock_volume
    if abs(discarded.magnitude) < 1e-9:
        discarded = Q_(0.0, "mL")
    drawn_fraction = float((stock_volume / chosen.ampoule_volume).to("").magnitude)
    na_dil_mg, na_dil_mmol = _sodium_of_diluent(diluent_volume)
    sodium = (chosen.sodium_per_ampoule * drawn_fraction + na_dil_mg).to("mg")
    sodium_mmol = (chosen.sodium_mmol_per_ampoule * drawn_fraction + na_dil_mmol).to("mmol")

    findings = [
        Finding(
            "single_use",
            "info",
            message(
                "Open {ampoules} ampoule(s) of {concentration} ({ampoule_volume} each), use them at once "
                "and discard the rest ({discarded}): every ampoule is for single use.",
                ampoules=ampoules,
                concentration=fmt(chosen.concentration),
                ampoule_volume=fmt(chosen.ampoule_volume),
                discarded=fmt(discarded),
            ),
            f"{cite('lionova', '6.3')}, {cite('lionova', '6.6')}",
        ),
        Finding(
            "no_mixing",
            "warning",
            gettext("Never mix baclofen with other injection or infusion solutions; it is incompatible with glucose."),
            cite("lionova", "6.2"),
        ),
        # lionova 4.4 "Natrium": the sodium per dose as a share of the WHO-recommended 2 g a day for an adult.
        Finding("sodium", "info", sodium_statement(sodium, sodium_mmol, gettext("This fill")), _SRC_SODIUM),
    ]
    if diluent_volume.magnitude > 0:
        findings += [
            Finding(
                "diluent",
                "info",
                message(
                    "Dilute {stock_volume} of {concentration} with {diluent_volume} of {diluent}, the only "
                    "allowed diluent, under aseptic conditions.",
                    stock_volume=fmt(stock_volume),
                    concentration=fmt(chosen.concentration),
                    diluent_volume=fmt(diluent_volume),
                    diluent=gettext(DILUENT),
                ),
                f"{cite('lionova', '6.6')}; {cite('lioresal', 'Dosing and Administration')}",
            ),
            Finding(
                "diluted_within_24h",
                "warning",
                gettext("The diluted solution must be used within 24 h of preparation."),
                cite("baclorex", "5"),
            ),
        ]
    return FillRequirement(
        target_concentration=target,
        fill_volume=volume.to("mL"),
        stock=chosen,
        ampoules=ampoules,
        baclofen_amount=(target * volume).to("mg"),
        stock_volume=stock_volume,
        diluent_volume=diluent_volume,
        diluent=DILUENT if diluent_volume.magnitude > 0 else None,
        sodium=sodium,
        sodium_mmol=sodium_mmol,
        discarded_volume=discarded.to("mL"),
        findings=tuple(findings),
    )
