"""Baclofen in the cerebrospinal fluid: a one-compartment model built on the label numbers.

For training only, not for treating patients.

The labels describe intrathecal baclofen with a few numbers (lionova 5.2; lioresal
Pharmacokinetics): a volume of distribution of 22–157 mL (mean about 75 mL, about the
CSF volume), a CSF clearance of about 30 mL/h (the CSF turnover), a half-life of 1–5 h
after a 50–135 µg bolus, lumbar steady state of 130–1240 ng/mL at 50–1200 µg/day within
1–2 days, and a lumbar : cisternal gradient of 1.8:1 to 8.7:1 (mean 4:1).  This module
turns them into a one-compartment model with first-order elimination,
``k = CL / V``, and computes CSF concentrations by closed-form superposition of
boluses and zero-order infusions.  The model is a teaching baseline: it ignores the
slow CSF circulation and the gradient along the spine that the labels and later
population models describe, so its steady state comes sooner than the labels' 1–2 days.

One module per job: :mod:`~itbcore.pk.label_facts` (the labels' numbers), :mod:`~itbcore.pk.model` (half-life,
steady state, gradient), :mod:`~itbcore.pk.curves` (concentration over time, and its superposition kernel) and
:mod:`~itbcore.pk.population` (virtual populations, percentile bands); import every name from :mod:`itbcore.pk`.

>>> half_life()
<Quantity(1.73286795, 'hour')>
>>> fmt(steady_state_concentration("500 ug/day"))
'694 ng/mL'
>>> c = csf_concentration(["0 h", "1 h", "2 h"], boluses=[("0 h", "50 ug")])
>>> [round(x) for x in c.magnitude]
[667, 447, 300]
"""

from __future__ import annotations

from ..units import fmt  # the module doctest formats with it

# _segment_layout: the kernel's layout, read by tests/itbcore/test_pk_fast.py
from .curves import _segment_layout, csf_concentration, regimen_findings
from .label_facts import LABEL_PK, PKLabelFacts
from .model import (
    SteadyState,
    half_life,
    lumbar_to_cisternal,
    steady_state,
    steady_state_concentration,
    time_to_steady_state,
)
from .population import Population, percentile_band, virtual_population

__all__ = [
    "PKLabelFacts",
    "LABEL_PK",
    "half_life",
    "SteadyState",
    "steady_state",
    "steady_state_concentration",
    "time_to_steady_state",
    "csf_concentration",
    "Population",
    "virtual_population",
    "percentile_band",
    "lumbar_to_cisternal",
    "regimen_findings",
]
