"""The validation cases: each calculator of the core against a worked value taken from a label or practice guidance.

For training only, not for treating patients.

A :class:`Case` runs one call of the core and compares its result with a value worked out by hand from the
numbers of its source, the way clinical calculator sites publish their checks.  ``working`` shows that
arithmetic; ``quotes`` are the words of the source that give the numbers, as the source prints them (Norwegian
for lionova, Turkish for baclorex, the English translation for lioresal, English for practice guidance), each
with the section it stands in.  A label's section is named as the label map names it (``"lionova 4.2"``,
``"lioresal Overdose"``, ``"baclorex 2"``); practice guidance as ``"practice <heading>"``, a heading of
``shared/reference/beyond-labels.md``.

``tests/itbcore/test_validation.py`` runs every case, finds every quotation in its section, and checks that
``docs/VALIDATION.md`` is the table these cases give (``python tests/itbcore/test_validation.py --write``
writes it).  A case where the suite knowingly gives another value than its source carries ``difference``, the
reason; its test is an expected failure and the table says so.  Never write a case whose expected value is not
worked out from the source's numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itbcore import Q_
from itbcore.errors import DiluentError, DoseLimitError, EligibilityError, InputError
from itbcore.formulations import ampoules_for_fill, formulation_for
from itbcore.overdose import physostigmine
from itbcore.patient import Patient
from itbcore.pk import csf_concentration, half_life, steady_state_concentration, time_to_steady_state
from itbcore.pump import bridge_bolus, daily_volume, dilution, priming_bolus, refill_plan
from itbcore.screening import screening_ladder, test_dose_volume
from itbcore.titration import increase_band, increase_limits, initial_daily_dose, titration_plan
from itbcore.withdrawal import taper

__all__ = ["Quote", "Between", "Refused", "Case", "CASES"]


@dataclass(frozen=True)
class Quote:
    """Words of one section of a source; ``english`` beside a Norwegian or Turkish text."""

    source: str
    text: str
    english: str = ""


@dataclass(frozen=True)
class Between:
    """An expected value that the source gives as a range, both ends included."""

    low: Any
    high: Any


@dataclass(frozen=True)
class Refused:
    """The source's rule refuses the input: the call must raise ``error``."""

    error: type[Exception]


@dataclass(frozen=True)
class Case:
    """One calculator call checked against a value worked out from its source.

    ``call`` returns the suite's value: a Quantity, a number, a date, or a tuple of them;
    ``expected`` is the same shape (a :class:`Between` for a range, a :class:`Refused` for a refusal);
    quantities agree within ``rtol`` after conversion to the expected unit.
    """

    id: str
    calculator: str
    inputs: str
    call: Callable[[], Any]
    expected: Any
    working: str
    quotes: tuple[Quote, ...]
    rtol: float = 1e-3
    #: Why the suite's value differs from the source's, when it knowingly does (the test is then xfail).
    difference: str = ""


# ---------------------------------------------------------------------------------------------- the sources' words
_LIO_2_5ML = Quote(
    "lionova 2",
    "En ampulle à 5 ml Lionova inneholder 10 mg baklofen (2 mg/ml).",
    "A 5 mL ampoule of Lionova contains 10 mg baclofen (2 mg/mL).",
)
_LIO_2_20ML = Quote(
    "lionova 2",
    "En ampulle à 20 ml Lionova inneholder 10 mg baklofen (0,5 mg/ml).",
    "A 20 mL ampoule of Lionova contains 10 mg baclofen (0.5 mg/mL).",
)
_LIO_2_1ML = Quote(
    "lionova 2",
    "En ampulle à 1 ml Lionova inneholder 0,05 mg baklofen (50 mikrogram/ml).",
    "A 1 mL ampoule of Lionova contains 0.05 mg baclofen (50 micrograms/mL).",
)
_LIO_2_NA_20ML = Quote(
    "lionova 2",
    "En ampulle à 20 ml (0,5 mg/ml) inneholder 70,81 mg (3,08 mmol) natrium.",
    "A 20 mL ampoule (0.5 mg/mL) contains 70.81 mg (3.08 mmol) sodium.",
)
_LIO_2_NA_5ML = Quote(
    "lionova 2",
    "En ampulle à 5 ml (2 mg/ml) inneholder 17,70 mg (0,77 mmol) natrium.",
    "A 5 mL ampoule (2 mg/mL) contains 17.70 mg (0.77 mmol) sodium.",
)
_LIO_2_NA_1ML = Quote(
    "lionova 2",
    "En ampulle à 1 ml (50 mikrogram/ml) inneholder 3,54 mg (0,15 mmol) natrium.",
    "A 1 mL ampoule (50 micrograms/mL) contains 3.54 mg (0.15 mmol) sodium.",
)
_LIO_44_NACL = Quote(
    "lionova 4.4",
    "Dette legemidlet inneholder 180 mg natriumklorid, tilsvarende 70,81 mg natrium per dose.",
    "This medicine contains 180 mg sodium chloride, equivalent to 70.81 mg sodium per dose.",
)
_LIO_44_LESS_1MMOL = Quote(
    "lionova 4.4",
    "Dette legemidlet inneholder mindre enn 1 mmol natrium (23 mg) per dose",
    "This medicine contains less than 1 mmol sodium (23 mg) per dose",
)
_LIO_66_NACL = Quote(
    "lionova 6.6",
    "må baklofen injeksjons-/infusjonsvæske, oppløsning fortynnes med natriumklorid 9 mg/ml (0,9 %) injeksjonsvæske",
    "baclofen solution for injection/infusion must be diluted with sodium chloride 9 mg/mL (0.9 %) "
    "solution for injection",
)
_LIO_42_LOWER = Quote(
    "lionova 4.2",
    "kan Lionova i ampuller fortynnes til en lavere konsentrasjon",
    "Lionova in ampoules can be diluted to a lower concentration",
)
_LIO_62_GLUCOSE = Quote(
    "lionova 6.2", "Det er vist inkompatibilitet med glukose", "Incompatibility with glucose has been shown"
)
_LIO_44_NEVER_EMPTY = Quote(
    "lionova 4.4",
    "Intervallene for påfylling skal beregnes nøye for å unngå at reservoaret tømmes",
    "The refill intervals must be calculated carefully to avoid the reservoir emptying",
)
_LIO_42_TEST_SOLUTION = Quote(
    "lionova 4.2",
    "Den innledende testfasen må kun utføres med en løsning med lav "
    "konsentrasjon inneholdende 50 mikrogram baklofen i 1 ml.",
    "The initial test phase must only be done with a low-concentration solution "
    "containing 50 micrograms baclofen in 1 mL.",
)
_LIO_42_MAX_TEST = Quote(
    "lionova 4.2",
    "Dosen kan økes i trinn på 25 mikrogram med intervaller på minst 24 timer til "
    "en maksimal testdose på 100 mikrogram",
    "The dose can be increased in steps of 25 micrograms at intervals of at least 24 hours up "
    "to a maximum test dose of 100 micrograms",
)
_LIO_42_USUAL_TEST = Quote(
    "lionova 4.2",
    "Den vanlige innledende testdosen for voksne er 25 eller 50 mikrogram",
    "The usual initial test dose for adults is 25 or 50 micrograms",
)
_LIO_42_1ML_A_DAY = Quote(
    "lionova 4.2",
    "ikke-programmerbare pumper med en kateterlengde som leverer 1 ml oppløsning "
    "per dag anbefales intervaller på 48 timer",
    "non-programmable pumps with a catheter length that delivers 1 mL of solution a day, "
    "intervals of 48 hours are recommended",
)
_LIO_42_OVER_12 = Quote(
    "lionova 4.2",
    "Dersom virkningsvarigheten av testdosen etter implantasjon overstiger 12 timer "
    "velges denne dosen som innledende daglig dose.",
    "If the test dose's effect lasts more than 12 hours, this dose is chosen as the initial daily dose.",
)
_LIO_42_UNDER_12 = Quote(
    "lionova 4.2",
    "Dersom virkningsvarigheten av testdosen er kortere enn 12 timer, skal den "
    "første daglige dosen være dobbelt så høy som testdosen.",
    "If the test dose's effect is shorter than 12 hours, the first daily dose is to be twice the test dose.",
)
_LIO_42_SPINAL = Quote(
    "lionova 4.2",
    "dosen til voksne økes langsomt med 10 % til 30 % hver 24. time",
    "the adult dose is increased slowly by 10 % to 30 % every 24 hours",
)
_LIO_42_CEREBRAL = Quote(
    "lionova 4.2",
    "daglige dosen økes langsomt med 5 % til 15 % hver 24. time",
    "the daily dose is increased slowly by 5 % to 15 % every 24 hours",
)
_LIO_42_FIRST_24H = Quote(
    "lionova 4.2",
    "Dosen bør ikke økes i løpet av de første 24 timene.",
    "The dose should not be increased during the first 24 hours.",
)
_LIO_42_ONCE_24H = Quote(
    "lionova 4.2",
    "Hvis en programmerbar pumpe brukes, bør doseringen bare justeres én gang i løpet av 24. timer.",
    "If a programmable pump is used, the dose should be adjusted only once in 24 hours.",
)
_LIO_42_MAINT_CEREBRAL = Quote(
    "lionova 4.2",
    "Hvis spastisiteten er av cerebral opprinnelse må doseøkninger begrenses til 20 % (intervall: 5-20 %).",
    "If the spasticity is of cerebral origin, dose increases must be limited to 20 % (range: 5–20 %).",
)
_LIO_42_DECREASE = Quote(
    "lionova 4.2",
    "I begge tilfeller kan den daglige dosen også reduseres med 10-20 % dersom pasienten opplever bivirkninger.",
    "In both cases the daily dose can also be reduced by 10–20 % if the patient has side effects.",
)
_LIO_41_CHILDREN = Quote(
    "lionova 4.1",
    "Intratekalt baklofen er indisert hos pasienter i alderen 4 til < 18 år",
    "Intrathecal baclofen is indicated in patients aged 4 to < 18 years",
)
_LIO_42_UNDER_4 = Quote(
    "lionova 4.2", "hos barn under 4 år har ikke blitt fastslått", "in children under 4 years has not been established"
)
_LIO_42_HOLIDAY = Quote(
    "lionova 4.2",
    "gradvis reduksjon av intratekal baklofen i en periode på 2-4 uker",
    "gradual reduction of intrathecal baclofen over a period of 2–4 weeks",
)
_LIO_52_V = Quote(
    "lionova 5.2",
    "Gjennomsnittsverdien på ca. 75 ml tilsvarer ca. humant CSF-volum",
    "The mean of about 75 mL is about the human CSF volume",
)
_LIO_52_V_RANGE = Quote(
    "lionova 5.2",
    "varierer distribusjonsvolumet (beregnet ut fra konsentrasjon i CSF) fra 22 ml til 157 ml",
    "the volume of distribution (calculated from the CSF concentration) ranges from 22 mL to 157 mL",
)
_LIO_52_CL = Quote(
    "lionova 5.2", "er gjennomsnittlig CSF-clearance omtrent 30 ml/time", "the mean CSF clearance is about 30 mL/hour"
)
_LIO_52_T_HALF = Quote(
    "lionova 5.2",
    "infusjon av 50 til 135 mikrogram baklofen er fra 1 til 5 timer",
    "[the half-life after a bolus] infusion of 50 to 135 micrograms baclofen is from 1 to 5 hours",
)
_LIO_52_SS = Quote(
    "lionova 5.2",
    "Med kontinuerlig intratekal infusjon av daglige doser på 50 til 1200 mikrogram "
    "oppnås steady state konsentrasjoner av baklofen i CSF i lumbalregionen fra 130 til 1240 "
    "nanogram/ml i løpet av 1 til 2 dager.",
    "With continuous intrathecal infusion of daily doses of 50 to 1200 micrograms, steady-state "
    "concentrations of baclofen in lumbar CSF of 130 to 1240 nanograms/mL are reached within 1 to 2 "
    "days.",
)
_LIORESAL_LESS_CL = Quote(
    "lioresal Pharmacokinetics", "the clearance of baclofen from CSF is an average of about 30 ml / h."
)
_LIORESAL_STABILITY = Quote("lioresal Stability of the drug", "SynchroMed infusion system is maintained for 11 weeks.")
_LIORESAL_UP_TO_12 = Quote(
    "lioresal Dosing: phase of dose selection",
    "lasted up to 12 hours, for administration "
    "with the help of an implantable infusion system, a doubled test dose should be applied",
)
_LIORESAL_CHILDREN_BAND = Quote(
    "lioresal Dosing: phase of dose selection",
    "do not increase the dose by more than 5-15% for children and 10-30% for adult patients.",
)
_LIORESAL_76CM = Quote(
    "lioresal Dosing: phase of dose selection",
    "equipped with a 76 cm catheter (through which 1 ml of the drug is delivered within a day)",
)
_LIORESAL_RATE = Quote(
    "lioresal Instructions for use of the infusion system",
    "The particular concentration of the "
    "drug to be applied via an infusion pump depends on the desired total daily dose as well as the "
    "infusion rate.",
)
_LIORESAL_GRADUAL = Quote(
    "lioresal Dosing: discontinuation of treatment",
    "The cessation of treatment should always be carried out gradually, by sequential dose reduction.",
)
_LIORESAL_PHYSO_ADULT = Quote(
    "lioresal Overdose",
    "In adults, intravenous administration of physostigmine can be "
    "undertaken in a total dose of 1-2 mg for 5-10 minutes.",
)
_LIORESAL_PHYSO_REPEAT = Quote(
    "lioresal Overdose", "physostigmine can be used repeatedly at a dose of 1 mg at 30-60 minute intervals."
)
_LIORESAL_PHYSO_CHILD = Quote(
    "lioresal Overdose",
    "In children, an attempt of intravenous injection of physostigmine "
    "at a dose of 0.02 mg / kg at a speed of no more than 0.5 mg per minute is possible.",
)
_LIORESAL_PHYSO_CAP = Quote(
    "lioresal Overdose",
    "Physostigmine in this dose can be applied repeatedly until a "
    "positive effect is achieved or until a maximum dose of 2 mg is reached.",
)
_BACLOREX_LESS_1MMOL = Quote(
    "baclorex 2",
    "Bu tıbbi ürün 1 mmol (23 mg)’den daha az sodyum ihtiva eder.",
    "This medicinal product contains less than 1 mmol (23 mg) sodium.",
)
_PRACTICE_PUMPS = Quote(
    "practice Implantable pumps",
    "20 mL or 40 mL reservoir; low-reservoir alarm volume set by "
    "the clinician (usually 2 mL; some centres use 4 mL after withdrawal seen above 2 mL)",
)
_PRACTICE_PROMETRA = Quote(
    "practice Implantable pumps", '"next refill" defined as the date the reservoir reaches 3.0 mL'
)
_PRACTICE_MARGIN = Quote("practice Implantable pumps", "Practice: refill 3–5 days before the alarm date")
_PRACTICE_CAP = Quote("practice Implantable pumps", "manufacturers cap refills at 180 days")
_PRACTICE_DATES = Quote("practice Practice guidelines", "Record the low-reservoir alarm date and the refill date")
_PRACTICE_SCREENING = Quote("practice Practice guidelines", "75 then 100 µg for non-responders, 24 h apart")
_PRACTICE_BOLUS = Quote(
    "practice Practice guidelines",
    "Both depend on the pump's internal tubing volume and the "
    "catheter volume (length × volume per cm), which the user enters.",
)
_PRACTICE_BRIDGE = Quote(
    "practice Practice guidelines", "to push the old solution out of pump tubing and catheter at the old rate"
)

_LN2 = math.log(2)


def _ug_day(plan: Any) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """A titration plan as (days, doses in µg/day)."""
    return (tuple(s.day for s in plan.steps), tuple(float(s.dose.to("ug/day").magnitude) for s in plan.steps))


def _gradual(plan: list[tuple[int, Any]]) -> tuple[bool, int]:
    """A taper as (each day's dose below the day before, how many days have a dose above zero)."""
    doses = [float(q.to("ug/day").magnitude) for _, q in plan]
    return all(b < a for a, b in zip(doses[:-1], doses[1:], strict=True)), sum(d > 0 for d in doses)


# ---------------------------------------------------------------------------------------------- the cases
CASES: tuple[Case, ...] = (
    # ---- pump.refill_plan
    Case(
        "refill-alarm",
        "pump.refill_plan",
        "20 mL reservoir, 500 µg/mL, 500 µg/day, alarm volume 2 mL: days to alarm",
        lambda: refill_plan("20 mL", "500 ug/mL", "500 ug/day", alarm_volume="2 mL").days_to_alarm,
        Q_(18, "day"),
        "500 µg/day ÷ 500 µg/mL = 1 mL/day; (20 − 2) mL ÷ 1 mL/day = 18 days",
        (_PRACTICE_PUMPS, _LIO_44_NEVER_EMPTY),
    ),
    Case(
        "refill-empty",
        "pump.refill_plan",
        "20 mL reservoir, 500 µg/mL, 500 µg/day: days to empty",
        lambda: refill_plan("20 mL", "500 ug/mL", "500 ug/day").days_to_empty,
        Q_(20, "day"),
        "20 mL ÷ 1 mL/day = 20 days",
        (_PRACTICE_PUMPS, _LIO_44_NEVER_EMPTY),
    ),
    Case(
        "refill-margin",
        "pump.refill_plan",
        "20 mL reservoir, 500 µg/mL, 500 µg/day, alarm 2 mL: refill day (default margin)",
        lambda: refill_plan("20 mL", "500 ug/mL", "500 ug/day").refill_after,
        Between(Q_(13, "day"), Q_(15, "day")),
        "alarm on day 18; 3 to 5 days before it: day 18 − 5 = 13 to day 18 − 3 = 15",
        (_PRACTICE_MARGIN,),
    ),
    Case(
        "refill-alarm-4ml",
        "pump.refill_plan",
        "40 mL reservoir, 2 mg/mL, 500 µg/day, alarm volume 4 mL: days to alarm",
        lambda: refill_plan("40 mL", "2 mg/mL", "500 ug/day", alarm_volume="4 mL").days_to_alarm,
        Q_(144, "day"),
        "0.5 mg/day ÷ 2 mg/mL = 0.25 mL/day; (40 − 4) mL ÷ 0.25 mL/day = 144 days",
        (_PRACTICE_PUMPS, _LIO_2_5ML),
    ),
    Case(
        "refill-prometra-3ml",
        "pump.refill_plan",
        "valve-gated pump: 20 mL, 500 µg/mL, 100 µg/day, 'next refill' at 3.0 mL: days to it",
        lambda: refill_plan("20 mL", "500 ug/mL", "100 ug/day", alarm_volume="3.0 mL").days_to_alarm,
        Q_(85, "day"),
        "100 µg/day ÷ 500 µg/mL = 0.2 mL/day; (20 − 3) mL ÷ 0.2 mL/day = 85 days",
        (_PRACTICE_PROMETRA,),
    ),
    Case(
        "refill-lioresal-11-weeks",
        "pump.refill_plan",
        "20 mL, 500 µg/mL, 100 µg/day, lioresal profile: refill day",
        lambda: refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal").refill_after,
        Q_(77, "day"),
        "alarm at (20 − 2) mL ÷ 0.2 mL/day = 90 days, margin leaves 86; stability 11 weeks × 7 = 77 days < 86",
        (_LIORESAL_STABILITY,),
    ),
    Case(
        "refill-180-day-cap",
        "pump.refill_plan",
        "40 mL, 2000 µg/mL, 100 µg/day: refill day",
        lambda: refill_plan("40 mL", "2000 ug/mL", "100 ug/day").refill_after,
        Q_(180, "day"),
        "100 ÷ 2000 = 0.05 mL/day; alarm at 38 mL ÷ 0.05 mL/day = 760 days; capped at 180 days",
        (_PRACTICE_CAP,),
    ),
    Case(
        "refill-alarm-date",
        "pump.refill_plan",
        "filled 2024-01-01, 20 mL, 500 µg/mL, 500 µg/day, alarm 2 mL: alarm date",
        lambda: refill_plan("20 mL", "500 ug/mL", "500 ug/day", fill_date=dt.date(2024, 1, 1)).alarm_date,
        dt.date(2024, 1, 19),
        "18 days after 2024-01-01 = 2024-01-19",
        (_PRACTICE_DATES,),
    ),
    # ---- pump.daily_volume
    Case(
        "volume-2mg",
        "pump.daily_volume",
        "500 µg/day at 2 mg/mL",
        lambda: daily_volume("500 ug/day", "2 mg/mL"),
        Q_(0.25, "mL/day"),
        "0.5 mg/day ÷ 2 mg/mL = 0.25 mL/day (one 5 mL ampoule lasts 20 days)",
        (_LIORESAL_RATE, _LIO_2_5ML),
    ),
    Case(
        "volume-1ml-a-day",
        "pump.daily_volume",
        "500 µg/day at 0.5 mg/mL",
        lambda: daily_volume("500 ug/day", "0.5 mg/mL"),
        Q_(1, "mL/day"),
        "a pump delivering 1 mL a day of 0.5 mg/mL gives 0.5 mg = 500 µg a day, so 500 µg/day is 1 mL/day",
        (_LIO_42_1ML_A_DAY, _LIO_2_20ML),
    ),
    Case(
        "volume-76cm-catheter",
        "pump.daily_volume",
        "2000 µg/day at 2 mg/mL",
        lambda: daily_volume("2000 ug/day", "2 mg/mL"),
        Q_(1, "mL/day"),
        "1 mL a day of 2 mg/mL is 2 mg = 2000 µg a day, so 2000 µg/day is 1 mL/day",
        (_LIORESAL_76CM, _LIO_2_5ML),
    ),
    # ---- screening.test_dose_volume, screening.screening_ladder
    Case(
        "test-dose-100",
        "screening.test_dose_volume",
        "100 µg, the maximum test dose",
        lambda: test_dose_volume("100 ug"),
        Q_(2, "mL"),
        "100 µg ÷ 50 µg/mL = 2 mL",
        (_LIO_42_MAX_TEST, _LIO_42_TEST_SOLUTION),
    ),
    Case(
        "test-dose-25",
        "screening.test_dose_volume",
        "25 µg",
        lambda: test_dose_volume("25 ug"),
        Q_(0.5, "mL"),
        "25 µg ÷ 50 µg/mL = 0.5 mL",
        (_LIO_42_USUAL_TEST, _LIO_42_TEST_SOLUTION),
    ),
    Case(
        "test-dose-one-ampoule",
        "screening.test_dose_volume",
        "0.05 mg",
        lambda: test_dose_volume("0.05 mg"),
        Q_(1, "mL"),
        "0.05 mg is the content of one 1 mL ampoule: 1 mL",
        (_LIO_2_1ML,),
    ),
    Case(
        "test-dose-above-max",
        "screening.test_dose_volume",
        "125 µg",
        lambda: test_dose_volume("125 ug"),
        Refused(DoseLimitError),
        "125 µg > the 100 µg maximum test dose: refused",
        (_LIO_42_MAX_TEST,),
    ),
    Case(
        "screening-ladder",
        "screening.screening_ladder",
        "adult, first bolus 25 µg: the boluses that could follow",
        lambda: tuple(screening_ladder(Patient(40, "spinal"), "25 ug")),
        (Q_(25, "ug"), Q_(50, "ug"), Q_(75, "ug"), Q_(100, "ug")),
        "steps of 25 µg up to 100 µg: 25, 50, 75, 100 µg",
        (_LIO_42_MAX_TEST, _PRACTICE_SCREENING),
    ),
    # ---- pump.dilution
    Case(
        "dilution-2000-to-500",
        "pump.dilution",
        "2000 µg/mL stock to 500 µg/mL, 20 mL: (stock, diluent)",
        lambda: (lambda d: (d.stock_volume, d.diluent_volume))(dilution("2000 ug/mL", "500 ug/mL", "20 mL")),
        (Q_(5, "mL"), Q_(15, "mL")),
        "500/2000 × 20 mL = 5 mL stock + 15 mL NaCl 0.9 %: one 5 mL ampoule (10 mg) in 20 mL is 0.5 mg/mL, "
        "the strength of the 20 mL ampoule (10 mg in 20 mL)",
        (_LIO_2_5ML, _LIO_2_20ML, _LIO_66_NACL),
    ),
    Case(
        "dilution-500-to-100",
        "pump.dilution",
        "500 µg/mL stock to 100 µg/mL, 20 mL: (stock, diluent)",
        lambda: (lambda d: (d.stock_volume, d.diluent_volume))(dilution("500 ug/mL", "100 ug/mL", "20 mL")),
        (Q_(4, "mL"), Q_(16, "mL")),
        "100 µg/mL × 20 mL = 2 mg = 4 mL of 0.5 mg/mL; 20 − 4 = 16 mL NaCl 0.9 %",
        (_LIO_42_LOWER, _LIO_2_20ML, _LIO_66_NACL),
    ),
    Case(
        "dilution-above-stock",
        "pump.dilution",
        "2000 µg/mL stock to 2500 µg/mL",
        lambda: dilution("2000 ug/mL", "2500 ug/mL", "20 mL"),
        Refused(DoseLimitError),
        "dilution gives only a lower concentration: refused",
        (_LIO_42_LOWER,),
    ),
    Case(
        "dilution-glucose",
        "pump.dilution",
        "500 to 100 µg/mL with glucose 5 %",
        lambda: dilution("500 ug/mL", "100 ug/mL", "20 mL", diluent="glucose 5%"),
        Refused(DiluentError),
        "only sodium chloride 9 mg/mL; glucose is incompatible: refused",
        (_LIO_66_NACL, _LIO_62_GLUCOSE),
    ),
    # ---- sodium: formulations.formulation_for, formulations.ampoules_for_fill
    Case(
        "sodium-ampoule-500",
        "formulations.formulation_for",
        "0.5 mg/mL: sodium per ampoule",
        lambda: formulation_for("0.5 mg/mL").sodium_per_ampoule,
        Q_(70.81, "mg"),
        "the label's figure: 70.81 mg",
        (_LIO_2_NA_20ML, _LIO_44_NACL),
    ),
    Case(
        "sodium-ampoule-50-below-1mmol",
        "formulations.formulation_for",
        "50 µg/mL: sodium per ampoule",
        lambda: formulation_for("50 ug/mL").sodium_per_ampoule,
        Between(Q_(0, "mg"), Q_(23, "mg")),
        "less than 1 mmol = 23 mg (the label's own figure for the ampoule: 3.54 mg)",
        (_BACLOREX_LESS_1MMOL, _LIO_44_LESS_1MMOL, _LIO_2_NA_1ML),
    ),
    Case(
        "sodium-fill-500",
        "formulations.ampoules_for_fill",
        "fill 20 mL of 500 µg/mL: (ampoules, sodium mmol)",
        lambda: (lambda f: (f.ampoules, f.sodium_mmol))(ampoules_for_fill("500 ug/mL", "20 mL")),
        (1, Q_(3.08, "mmol")),
        "20 mL ÷ 20 mL = 1 ampoule; 1 × 3.08 mmol",
        (_LIO_2_NA_20ML,),
    ),
    Case(
        "sodium-fill-2000",
        "formulations.ampoules_for_fill",
        "fill 20 mL of 2000 µg/mL: (ampoules, sodium)",
        lambda: (lambda f: (f.ampoules, f.sodium))(ampoules_for_fill("2000 ug/mL", "20 mL")),
        (4, Q_(70.80, "mg")),
        "20 mL ÷ 5 mL = 4 ampoules; 4 × 17.70 mg = 70.80 mg",
        (_LIO_2_NA_5ML,),
    ),
    Case(
        "sodium-fill-1000-diluted",
        "formulations.ampoules_for_fill",
        "fill 20 mL of 1000 µg/mL (from 2000 µg/mL + NaCl 0.9 %): sodium",
        lambda: ampoules_for_fill("1000 ug/mL", "20 mL").sodium,
        Q_(70.805, "mg"),
        "10 mL stock = 2 ampoules × 17.70 = 35.40 mg; 10 mL diluent × 9 mg/mL = 90 mg NaCl = 90/180 × 70.81 = "
        "35.405 mg sodium; 35.40 + 35.405 = 70.805 mg",
        (_LIO_2_NA_5ML, _LIO_44_NACL, _LIO_66_NACL),
    ),
    # ---- titration.initial_daily_dose
    Case(
        "initial-dose-over-12h",
        "titration.initial_daily_dose",
        "test dose 50 µg, effect 14 h",
        lambda: initial_daily_dose("50 ug", "14 h"),
        Q_(50, "ug/day"),
        "14 h > 12 h: the daily dose is the test dose, 50 µg/day",
        (_LIO_42_OVER_12,),
    ),
    Case(
        "initial-dose-under-12h",
        "titration.initial_daily_dose",
        "test dose 50 µg, effect 8 h",
        lambda: initial_daily_dose("50 ug", "8 h"),
        Q_(100, "ug/day"),
        "8 h < 12 h: twice the test dose, 2 × 50 = 100 µg/day",
        (_LIO_42_UNDER_12,),
    ),
    Case(
        "initial-dose-12h-lioresal",
        "titration.initial_daily_dose",
        "test dose 50 µg, effect exactly 12 h, lioresal profile",
        lambda: initial_daily_dose("50 ug", "12 h", label="lioresal"),
        Q_(100, "ug/day"),
        "'up to 12 hours' includes 12 h: doubled, 2 × 50 = 100 µg/day",
        (_LIORESAL_UP_TO_12,),
    ),
    # ---- titration.increase_limits, titration.increase_band
    Case(
        "band-adult-spinal",
        "titration.increase_limits",
        "adult 40 y, spinal, titration",
        lambda: increase_limits(Patient(40, "spinal")),
        (0.10, 0.30),
        "10 % to 30 % per 24 h",
        (_LIO_42_SPINAL,),
    ),
    Case(
        "band-adult-cerebral",
        "titration.increase_limits",
        "adult 40 y, cerebral, titration",
        lambda: increase_limits(Patient(40, "cerebral")),
        (0.05, 0.15),
        "5 % to 15 % per 24 h",
        (_LIO_42_CEREBRAL,),
    ),
    Case(
        "band-child-spinal-lioresal",
        "titration.increase_limits",
        "child 10 y, spinal, titration, lioresal profile",
        lambda: increase_limits(Patient(10, "spinal"), label="lioresal"),
        (0.05, 0.15),
        "children: not more than 5–15 %",
        (_LIORESAL_CHILDREN_BAND,),
    ),
    Case(
        "band-maintenance-cerebral",
        "titration.increase_band",
        "adult 40 y, cerebral, maintenance: (low, high)",
        lambda: (lambda b: (b.low, b.high))(increase_band(Patient(40, "cerebral"), "maintenance")),
        (0.05, 0.20),
        "limited to 20 %, range 5–20 %",
        (_LIO_42_MAINT_CEREBRAL,),
    ),
    Case(
        "band-under-4",
        "titration.increase_limits",
        "child 3 y, spinal",
        lambda: increase_limits(Patient(3, "spinal")),
        Refused(EligibilityError),
        "3 y < 4 y, outside the indication: refused",
        (_LIO_41_CHILDREN, _LIO_42_UNDER_4),
    ),
    # ---- titration.titration_plan
    Case(
        "plan-spinal-10pct",
        "titration.titration_plan",
        "adult spinal, programmable pump, 100 → 133.1 µg/day: (days, µg/day)",
        lambda: _ug_day(titration_plan(Patient(40, "spinal"), "100 ug/day", "133.1 ug/day")),
        ((0, 1, 2, 3), (100.0, 110.0, 121.0, 133.1)),
        "no change in the first 24 h, then one 10 % step per 24 h: 100 × 1.1 = 110, × 1.1 = 121, × 1.1 = 133.1",
        (_LIO_42_SPINAL, _LIO_42_FIRST_24H, _LIO_42_ONCE_24H),
    ),
    Case(
        "plan-non-programmable-48h",
        "titration.titration_plan",
        "adult spinal, non-programmable pump, 100 → 133.1 µg/day: days of the steps",
        lambda: _ug_day(titration_plan(Patient(40, "spinal"), "100 ug/day", "133.1 ug/day", pump="non_programmable"))[
            0
        ],
        (0, 2, 4, 6),
        "the same three 10 % steps 48 h apart: days 2, 4, 6",
        (_LIO_42_1ML_A_DAY,),
    ),
    Case(
        "plan-cerebral-15pct",
        "titration.titration_plan",
        "adult cerebral, 15 % steps, 100 → 132.25 µg/day: (days, µg/day)",
        lambda: _ug_day(titration_plan(Patient(40, "cerebral"), "100 ug/day", "132.25 ug/day", step_fraction=0.15)),
        ((0, 1, 2), (100.0, 115.0, 132.25)),
        "the top of 5–15 %: 100 × 1.15 = 115, × 1.15 = 132.25",
        (_LIO_42_CEREBRAL,),
    ),
    Case(
        "plan-step-above-band",
        "titration.titration_plan",
        "adult spinal, 35 % steps, 100 → 200 µg/day",
        lambda: titration_plan(Patient(40, "spinal"), "100 ug/day", "200 ug/day", step_fraction=0.35),
        Refused(DoseLimitError),
        "35 % > 30 %: refused",
        (_LIO_42_SPINAL,),
    ),
    Case(
        "plan-decrease-20pct",
        "titration.titration_plan",
        "adult spinal, side effects, 20 % steps, 200 → 160 µg/day: (days, µg/day)",
        lambda: _ug_day(titration_plan(Patient(40, "spinal"), "200 ug/day", "160 ug/day", step_fraction=0.2)),
        ((0, 1), (200.0, 160.0)),
        "the top of 10–20 %: 200 × 0.8 = 160 in one step",
        (_LIO_42_DECREASE,),
    ),
    # ---- pk
    Case(
        "pk-half-life",
        "pk.half_life",
        "label defaults V 75 mL, CL 30 mL/h",
        lambda: half_life(),
        Q_(_LN2 * 75 / 30, "h"),
        "ln 2 × 75 mL ÷ 30 mL/h = 0.6931 × 2.5 h = 1.733 h (inside the labels' 1–5 h)",
        (_LIO_52_V, _LIO_52_CL, _LIO_52_T_HALF),
    ),
    Case(
        "pk-half-life-157ml",
        "pk.half_life",
        "V 157 mL (the top of the labels' range), CL 30 mL/h",
        lambda: half_life("157 mL", "30 mL/h"),
        Q_(_LN2 * 157 / 30, "h"),
        "ln 2 × 157 mL ÷ 30 mL/h = 3.627 h",
        (_LIO_52_V_RANGE, _LIO_52_CL),
    ),
    Case(
        "pk-steady-state-500",
        "pk.steady_state_concentration",
        "500 µg/day, CL 30 mL/h",
        lambda: steady_state_concentration("500 ug/day"),
        Q_(500 / 720 * 1000, "ng/mL"),
        "30 mL/h × 24 h = 720 mL/day; 500 µg/day ÷ 720 mL/day = 0.6944 µg/mL = 694.4 ng/mL",
        (_LIO_52_CL, _LIORESAL_LESS_CL),
    ),
    Case(
        "pk-steady-state-label-range",
        "pk.steady_state_concentration",
        "50 µg/day, CL 30 mL/h",
        lambda: steady_state_concentration("50 ug/day"),
        Between(Q_(130, "ng/mL"), Q_(1240, "ng/mL")),
        "the labels' lumbar steady states at 50–1200 µg/day: 130 to 1240 ng/mL",
        (_LIO_52_SS,),
        difference="The one-compartment model gives 50 µg/day ÷ 720 mL/day = 69.4 ng/mL: it has no lumbar-to-"
        "cisternal gradient, so it stays below the labels' lumbar values at low doses (documented in "
        "pk.steady_state_concentration).",
    ),
    Case(
        "pk-time-to-95pct",
        "pk.time_to_steady_state",
        "95 % of steady state, V 75 mL, CL 30 mL/h",
        lambda: time_to_steady_state(0.95),
        Q_(math.log(20) * 75 / 30, "h"),
        "−ln(1 − 0.95) × 75/30 h = ln 20 × 2.5 h = 7.489 h",
        (_LIO_52_V, _LIO_52_CL),
    ),
    Case(
        "pk-time-to-50pct",
        "pk.time_to_steady_state",
        "50 % of steady state (one half-life)",
        lambda: time_to_steady_state(0.5),
        Q_(_LN2 * 75 / 30, "h"),
        "−ln 0.5 × 2.5 h = 1.733 h, one half-life",
        (_LIO_52_V, _LIO_52_CL),
    ),
    Case(
        "pk-time-to-steady-state-label",
        "pk.time_to_steady_state",
        "95 % of steady state, label defaults",
        lambda: time_to_steady_state(0.95),
        Between(Q_(24, "h"), Q_(48, "h")),
        "the labels: steady state within 1 to 2 days = 24 to 48 h",
        (_LIO_52_SS,),
        difference="A well-mixed compartment with V 75 mL and CL 30 mL/h reaches 95 % in 7.49 h; the labels' 1–2 "
        "days reflect the slow CSF circulation the model leaves out (documented in "
        "pk.time_to_steady_state).",
    ),
    Case(
        "pk-bolus-peak",
        "pk.csf_concentration",
        "50 µg bolus at 0 h: concentration at 0 h",
        lambda: csf_concentration(["0 h"], boluses=[("0 h", "50 ug")])[0],
        Q_(50 / 75 * 1000, "ng/mL"),
        "50 µg ÷ 75 mL = 0.6667 µg/mL = 666.7 ng/mL",
        (_LIO_52_V, _LIO_52_T_HALF),
    ),
    Case(
        "pk-bolus-one-half-life",
        "pk.csf_concentration",
        "50 µg bolus at 0 h: concentration after one half-life (1.733 h)",
        lambda: csf_concentration([Q_(_LN2 * 2.5, "h")], boluses=[("0 h", "50 ug")])[0],
        Q_(50 / 75 * 1000 / 2, "ng/mL"),
        "666.7 ng/mL ÷ 2 = 333.3 ng/mL",
        (_LIO_52_V, _LIO_52_CL),
    ),
    Case(
        "pk-infusion-plateau",
        "pk.csf_concentration",
        "500 µg/day infusion from 0 h: concentration at 240 h",
        lambda: csf_concentration(["240 h"], infusions=[("0 h", None, "500 ug/day")])[0],
        Q_(500 / 720 * 1000, "ng/mL"),
        "after many half-lives the plateau rate ÷ CL: 500 ÷ 720 µg/mL = 694.4 ng/mL",
        (_LIO_52_CL,),
    ),
    # ---- overdose.physostigmine
    Case(
        "physostigmine-adult",
        "overdose.physostigmine",
        "adult 40 y: (dose low, dose high, over low, over high)",
        lambda: (lambda r: (*r.dose_range, *r.over))(physostigmine(Patient(40, "spinal"))),
        (Q_(1, "mg"), Q_(2, "mg"), Q_(5, "min"), Q_(10, "min")),
        "1–2 mg over 5–10 min",
        (_LIORESAL_PHYSO_ADULT,),
    ),
    Case(
        "physostigmine-adult-repeat",
        "overdose.physostigmine",
        "adult 40 y: repeat (dose, every low, every high)",
        lambda: (lambda r: (r.repeat.dose, *r.repeat.interval))(physostigmine(Patient(40, "spinal"))),
        (Q_(1, "mg"), Q_(30, "min"), Q_(60, "min")),
        "1 mg every 30–60 min",
        (_LIORESAL_PHYSO_REPEAT,),
    ),
    Case(
        "physostigmine-child-20kg",
        "overdose.physostigmine",
        "child 8 y, 20 kg: (dose, shortest time to give it)",
        lambda: (lambda r: (r.dose, r.min_duration))(physostigmine(Patient(8, "cerebral"), weight="20 kg")),
        (Q_(0.4, "mg"), Q_(0.8, "min")),
        "0.02 mg/kg × 20 kg = 0.4 mg; at ≤ 0.5 mg/min: 0.4 ÷ 0.5 = 0.8 min",
        (_LIORESAL_PHYSO_CHILD,),
    ),
    Case(
        "physostigmine-child-cap",
        "overdose.physostigmine",
        "child 8 y, 20 kg: (maximum total, doses to reach it)",
        lambda: (lambda r: (r.max_total, float((r.max_total / r.dose).to("").magnitude)))(
            physostigmine(Patient(8, "cerebral"), weight="20 kg")
        ),
        (Q_(2, "mg"), 5.0),
        "maximum 2 mg; 2 mg ÷ 0.4 mg = 5 doses",
        (_LIORESAL_PHYSO_CAP,),
    ),
    Case(
        "physostigmine-heavy-child",
        "overdose.physostigmine",
        "child 17 y, 110 kg: dose",
        lambda: physostigmine(Patient(17, "spinal"), weight="110 kg").dose,
        Q_(2, "mg"),
        "0.02 mg/kg × 110 kg = 2.2 mg > the 2 mg maximum: 2 mg",
        (_LIORESAL_PHYSO_CHILD, _LIORESAL_PHYSO_CAP),
    ),
    Case(
        "physostigmine-child-no-weight",
        "overdose.physostigmine",
        "child 8 y, weight unknown",
        lambda: physostigmine(Patient(8, "cerebral")),
        Refused(InputError),
        "0.02 mg/kg needs the weight: refused",
        (_LIORESAL_PHYSO_CHILD,),
    ),
    # ---- withdrawal.taper
    Case(
        "taper-21-days-end",
        "withdrawal.taper",
        "420 µg/day over 21 days: (last day, dose on it)",
        lambda: taper("420 ug/day", 21)[-1],
        (21, Q_(0, "ug/day")),
        "21 days = 3 weeks, inside 2–4 weeks; 0 µg/day on day 21",
        (_LIO_42_HOLIDAY, _LIORESAL_GRADUAL),
    ),
    Case(
        "taper-21-days-gradual",
        "withdrawal.taper",
        "420 µg/day over 21 days: (every day lower than the day before, days with a dose above zero)",
        lambda: _gradual(taper("420 ug/day", 21)),
        (True, 21),
        "a sequential reduction, never an abrupt stop: each day below the one before, and a dose on days 0 to 20 "
        "(21 days) before 0 on day 21",
        (_LIORESAL_GRADUAL, _LIO_42_HOLIDAY),
    ),
    Case(
        "taper-14-days",
        "withdrawal.taper",
        "420 µg/day over 14 days: last day",
        lambda: taper("420 ug/day", 14)[-1][0],
        14,
        "2 weeks × 7 = 14 days, the shortest the label allows",
        (_LIO_42_HOLIDAY,),
    ),
    Case(
        "taper-28-days",
        "withdrawal.taper",
        "420 µg/day over 28 days: last day",
        lambda: taper("420 ug/day", 28)[-1][0],
        28,
        "4 weeks × 7 = 28 days, the longest the label names",
        (_LIO_42_HOLIDAY,),
    ),
    Case(
        "taper-13-days",
        "withdrawal.taper",
        "420 µg/day over 13 days",
        lambda: taper("420 ug/day", 13),
        Refused(DoseLimitError),
        "13 days < 2 weeks = 14 days: refused",
        (_LIO_42_HOLIDAY, _LIORESAL_GRADUAL),
    ),
    # ---- pump.priming_bolus, pump.bridge_bolus (the sources give the rule, not numbers)
    Case(
        "priming-bolus",
        "pump.priming_bolus",
        "500 µg/mL, 76 cm catheter at 2 µL/cm, 100 µL pump tubing (device values the user enters): "
        "(volume, baclofen in the line)",
        lambda: (lambda p: (p.volume, p.amount_in_line))(priming_bolus("500 ug/mL", "76 cm", "2 uL/cm", "100 uL")),
        (Q_(252, "uL"), Q_(126, "ug")),
        "no worked value in the sources, only the rule: 76 cm × 2 µL/cm + 100 µL = 252 µL; × 500 µg/mL = 126 µg",
        (_PRACTICE_BOLUS, _LIORESAL_76CM),
    ),
    Case(
        "bridge-bolus",
        "pump.bridge_bolus",
        "500 → 2000 µg/mL at 480 µg/day, same line as above: (bolus volume, time at the old rate)",
        lambda: (lambda b: (b.bolus_volume, b.bolus_duration))(
            bridge_bolus("500 ug/mL", "2000 ug/mL", "480 ug/day", "76 cm", "2 uL/cm", "100 uL")
        ),
        (Q_(252, "uL"), Q_(6.3, "h")),
        "no worked value in the sources, only the rule: the old rate 480 ÷ 500 = 0.96 mL/day = 40 µL/h; "
        "252 µL ÷ 40 µL/h = 6.3 h",
        (_PRACTICE_BOLUS, _PRACTICE_BRIDGE),
    ),
)
