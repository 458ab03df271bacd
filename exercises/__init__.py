"""Checked exercises for the ITB training suite.

For training only — not for treating patients.

>>> from exercises import load_exercise
>>> ex = load_exercise("test_bolus_volume", seed=1)
>>> ex.check(ex.solution()).correct
True

Authoring: see ``docs/EXERCISES.md``.  Regenerate the trainee and solution
notebooks with ``python -m exercises.generate``.
"""

from .cases import CaseFileError, CaseLibrary, PatientCase, Situation, load_library
from .checking import CheckResult, ChoicePart, DatePart, OrderPart, QuantityPart, Slip
from .core import TRAINING_NOTICE, Draw, Exercise, Variant, exercise, list_exercises, load_exercise
from .progress import ProgressStore, default_progress_path

__all__ = [
    "TRAINING_NOTICE",
    "load_exercise",
    "list_exercises",
    "exercise",
    "Exercise",
    "Variant",
    "Draw",
    "QuantityPart",
    "ChoicePart",
    "OrderPart",
    "DatePart",
    "Slip",
    "CheckResult",
    "CaseFileError",
    "CaseLibrary",
    "PatientCase",
    "Situation",
    "load_library",
    "ProgressStore",
    "default_progress_path",
]
