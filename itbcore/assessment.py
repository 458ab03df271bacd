"""The refill procedure as a mastery checklist: the steps, the unsafe actions, the pass standard, the score.

For training only, not for treating patients.

Simulation-based mastery learning (practice guidance: PM&R 2023, pump management) scores a trainee's
refill against a checklist with a high minimum passing standard — there 30 of 31 items — and repeats
the practice until the standard is met.  That study's 31 items are not in the suite's sources, so
the checklist here is the suite's own, built only from what the labels and the practice guidance
say about a refill; each step cites where it comes from.  The pass standard follows the study's
shape: every step marked *critical* done, at most one other step missed, and no unsafe action
chosen.  The trainee is also offered actions that must **not** be taken (each a recorded harm:
pocket fill, glucose as diluent, restarting over a residual mismatch…): choosing any one fails
the attempt, so ticking everything never passes.

>>> r = score_refill([s.code for s in REFILL_STEPS])
>>> r.passed, r.score, r.total
(True, 13, 13)
>>> score_refill([s.code for s in REFILL_STEPS] + ["inject_without_template"]).passed
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InputError
from .i18n import N_, gettext, message
from .screening import ChecklistItem

__all__ = [
    "ProcedureStep",
    "MasteryResult",
    "MasteryStandard",
    "REFILL_STEPS",
    "REFILL_UNSAFE",
    "MASTERY_STANDARD",
    "MASTERY_SOURCE",
    "score_refill",
    "refill_options",
]

#: Where the mastery-learning design (checklist, high pass standard, repeat until passed) comes from.
MASTERY_SOURCE = "practice guidance: simulation-based mastery learning for pump management (PM&R 2023)"


@dataclass(frozen=True)
class ProcedureStep(ChecklistItem):
    """One step of the refill checklist (``safe``) or one action that must not be taken (``not safe``):
    a checklist item (code, text, source) that may be critical, or unsafe with the harm it does."""

    critical: bool = False
    safe: bool = True
    #: For an unsafe action: why it harms (shown after the attempt).
    harm: str = ""


#: The refill steps, in the order they are done.
REFILL_STEPS: tuple[ProcedureStep, ...] = (
    ProcedureStep(
        "check_prescription",
        N_(
            "Check the prescription against the pump's programme: drug, concentration "
            "and daily dose (µg/day), and the label profile in force."
        ),
        "lionova 4.2; practice guidance: incident reports, concentration mismatch",
        critical=True,
    ),
    # lionova never asks for an inspection: it describes a clear, colourless solution (3) and single use at once
    # (6.6, 6.3); lioresal (Dosing and Administration) refuses a changed colour or visible particles.
    ProcedureStep(
        "inspect_solution",
        N_("Inspect the solution: clear and colourless, without particles; single use, used at once after opening."),
        "lioresal Dosing and Administration; lionova 3, 6.6, 6.3",
        critical=True,
    ),
    ProcedureStep(
        "diluent_nacl_only",
        N_("If the solution must be diluted: sodium chloride 9 mg/mL (0.9 %) only."),
        "lionova 6.2, 6.6",
        critical=True,
    ),
    ProcedureStep(
        "aseptic_technique",
        N_("Prepare the site and the refill kit aseptically (the patient must stay free of infection)."),
        "lionova 4.2, 4.4",
    ),
    ProcedureStep(
        "locate_reservoir_port",
        N_("Locate the reservoir fill port with the template, not the catheter access port."),
        "practice guidance: incident reports, pocket fill",
        critical=True,
    ),
    ProcedureStep(
        "aspirate_residual",
        N_("Empty the reservoir and measure the residual volume."),
        "practice guidance: incident reports, residual volume mismatch",
        critical=True,
    ),
    ProcedureStep(
        "compare_residual",
        N_(
            "Compare the residual volume found with the volume the programme predicts; "
            "stop and investigate a mismatch before refilling."
        ),
        "practice guidance: incident reports, residual volume mismatch",
        critical=True,
    ),
    ProcedureStep(
        "confirm_in_reservoir",
        N_("Confirm the needle stays in the reservoir while injecting (no pocket fill)."),
        "practice guidance: incident reports, pocket fill",
        critical=True,
    ),
    ProcedureStep(
        "program_pump",
        N_("Program the new concentration and reservoir volume; a concentration change needs a bridge bolus."),
        "practice guidance: device documentation, bridge bolus",
        critical=True,
    ),
    ProcedureStep(
        "refill_before_alarm",
        N_("Set the next refill before the low-reservoir alarm and within the drug's stability in the pump."),
        "lionova 4.4; lioresal Stability of the drug; practice guidance: device documentation",
        critical=True,
    ),
    ProcedureStep(
        "record_dates",
        N_("Record the low-reservoir alarm date and the refill date."),
        "practice guidance: device documentation",
    ),
    ProcedureStep(
        "observe_after_refill",
        N_("Observe the patient for 24 h after the refill (lionova; lioresal gives no window)."),
        "lionova 4.4",
    ),
    ProcedureStep(
        "teach_warning_signs",
        N_(
            "Tell the patient and carers the early signs of withdrawal and overdose, and to keep the refill "
            "appointment."
        ),
        "lionova 4.4; lioresal Dosing: discontinuation of treatment",
    ),
)

#: Actions offered beside the steps that must never be taken (choosing one fails the attempt).
REFILL_UNSAFE: tuple[ProcedureStep, ...] = (
    ProcedureStep(
        "dilute_glucose",
        N_("Dilute with glucose 5 % when no sodium chloride is at hand."),
        "lionova 6.2, 6.6",
        safe=False,
        harm=N_("glucose is incompatible: sodium chloride 0.9 % is the only diluent"),
    ),
    ProcedureStep(
        "inject_without_template",
        N_("Inject where the port is felt, without the template, to save time."),
        "practice guidance: incident reports, pocket fill",
        safe=False,
        harm=N_("a pocket fill or an injection into the catheter access port: a recalled cause of deaths"),
    ),
    ProcedureStep(
        "restart_despite_mismatch",
        N_("Refill and restart at the old rate although 19 mL were found where about 2 mL were expected."),
        "practice guidance: incident reports, residual volume mismatch",
        safe=False,
        harm=N_("the pump was not delivering; restarting without care caused a near-fatal overdose"),
    ),
    ProcedureStep(
        "reuse_opened_ampoule",
        N_("Keep an opened ampoule's remainder for the next refill."),
        "lionova 6.6, 6.3",
        safe=False,
        harm=N_("the solution is for single use, used at once after opening"),
    ),
)


@dataclass(frozen=True)
class MasteryStandard:
    """The pass standard: every critical step, at most ``other_missed_at_most`` other steps missed, no unsafe
    action (the study's 30 of 31 allowed one miss)."""

    other_missed_at_most: int = 1


MASTERY_STANDARD = MasteryStandard()


@dataclass(frozen=True)
class MasteryResult:
    """A scored attempt: steps done out of all, what was missed, any unsafe action, passed or not."""

    score: int
    total: int
    missed: tuple[str, ...]
    missed_critical: tuple[str, ...]
    unsafe: tuple[str, ...]
    passed: bool
    source: str = MASTERY_SOURCE

    @property
    def message(self) -> str:
        if self.passed:
            values = {"score": self.score, "total": self.total}
            if self.missed:
                return message(
                    "Mastery standard met: {score} of {total} steps, every critical step, no unsafe action "
                    "(missed: {missed}).",
                    missed=", ".join(self.missed),
                    **values,
                )
            return message(
                "Mastery standard met: {score} of {total} steps, every critical step, no unsafe action.", **values
            )
        why = []
        if self.unsafe:
            why.append(message("unsafe action chosen: {codes}", codes=", ".join(self.unsafe)))
        if self.missed_critical:
            why.append(message("critical step missed: {codes}", codes=", ".join(self.missed_critical)))
        other = [m for m in self.missed if m not in self.missed_critical]
        if len(other) > MASTERY_STANDARD.other_missed_at_most:
            why.append(
                message(
                    "{count} other steps missed (at most {limit})",
                    count=len(other),
                    limit=MASTERY_STANDARD.other_missed_at_most,
                )
            )
        # the reasons are whole clauses, listed with semicolons
        return message(
            "Not yet: {score} of {total} steps; {reasons}. Practise and try again.",
            score=self.score,
            total=self.total,
            reasons="; ".join(why),
        )


_BY_CODE = {s.code: s for s in REFILL_STEPS + REFILL_UNSAFE}


def refill_options(seed: int = 0) -> tuple[ProcedureStep, ...]:
    """The steps and the unsafe actions in one list, shuffled by ``seed`` (the same seed, the same order)."""
    import random

    items = list(REFILL_STEPS + REFILL_UNSAFE)
    random.Random(int(seed)).shuffle(items)
    return tuple(items)


def score_refill(chosen: Iterable[str]) -> MasteryResult:
    """Score the codes a trainee chose (steps done and any unsafe action) against the pass standard.

    An unknown code is refused (:class:`InputError`): a typo must not score as a missed step.
    """
    if isinstance(chosen, str):
        raise InputError(gettext("Give the chosen steps as a list of codes, not one text."))
    picked = list(dict.fromkeys(chosen))
    unknown = [c for c in picked if c not in _BY_CODE]
    if unknown:
        raise InputError(
            message(
                "Unknown refill step {code}; the steps are {codes}.", code=repr(unknown[0]), codes=", ".join(_BY_CODE)
            )
        )
    done = set(picked)
    missed = tuple(s.code for s in REFILL_STEPS if s.code not in done)
    missed_critical = tuple(s.code for s in REFILL_STEPS if s.critical and s.code not in done)
    unsafe = tuple(s.code for s in REFILL_UNSAFE if s.code in done)
    other_missed = len(missed) - len(missed_critical)
    passed = not missed_critical and not unsafe and other_missed <= MASTERY_STANDARD.other_missed_at_most
    return MasteryResult(len(REFILL_STEPS) - len(missed), len(REFILL_STEPS), missed, missed_critical, unsafe, passed)


def step(code: str) -> ProcedureStep:
    """The step or unsafe action of ``code``."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise InputError(message("Unknown refill step {code}.", code=repr(code))) from None
