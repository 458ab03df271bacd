"""itbcore: the clinical core of the ITB training suite.

For training only, not for treating patients.

Intrathecal baclofen dosing, pump, pharmacokinetic, overdose and withdrawal
rules as pure functions and frozen dataclasses.  Quantities go in and come out
as pint Quantities of the one registry :data:`ureg`; every rule cites its label
and section (``"lionova 4.2"``); every refusal is an :class:`ITBError`.

>>> import itbcore
>>> itbcore.test_dose_volume("50 mcg")
<Quantity(1.0, 'milliliter')>
"""

from . import (
    adverse_effects,
    formulations,
    maintenance,
    overdose,
    pk,
    pump,
    scenarios,
    screening,
    sources,
    titration,
    units,
    withdrawal,
)
from .errors import (
    ClinicalRefusal,
    DiluentError,
    DoseLimitError,
    EligibilityError,
    FileProblem,
    InputError,
    ITBError,
    LabelError,
    UnitError,
)
from .formulations import *  # noqa: F403
from .i18n import N_
from .maintenance import *  # noqa: F403
from .patient import CONDITIONS, MEDICINES, ORIGINS, Patient
from .pk import *  # noqa: F403
from .pump import *  # noqa: F403
from .report import explain
from .scenarios import *  # noqa: F403
from .screening import *  # noqa: F403
from .sources import LABEL_DIFFERENCES, LABELS, Action, Finding, LabelDifference, cite, differences
from .titration import *  # noqa: F403
from .units import Q_, as_quantity, fmt, ureg

TRAINING_ONLY = N_(
    "For training only — not for treating patients. Every number comes from the product labels "
    "(lionova, lioresal, baclorex) or marked practice guidance; follow your local protocol and the pump "
    "manufacturer's instructions in practice."
)

__version__ = "0.1.0"
