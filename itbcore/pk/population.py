"""Virtual populations drawn around the label's ranges, and percentile bands over them.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.pk`; import from there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from .. import library
from ..errors import InputError
from ..i18n import gettext, message
from ..units import Q_, as_array_quantity, as_quantity
from .curves import csf_concentration
from .model import _positive_array, half_life

__all__ = ["Population", "virtual_population", "percentile_band"]


@dataclass(frozen=True, eq=False)
class Population:
    """Virtual patients: one volume of distribution and one CSF clearance each.

    ``volume`` and ``clearance`` are 1-D Quantities of equal length; ``seed`` is the
    random seed that produced them (``None`` when built by hand).
    """

    volume: pint.Quantity
    clearance: pint.Quantity
    seed: int | None = None

    def __post_init__(self) -> None:
        v = _positive_array(self.volume, "mL", gettext("volume of distribution"))
        cl = _positive_array(self.clearance, "mL/h", gettext("CSF clearance"))
        if v.ndim != 1 or cl.shape != v.shape:
            raise InputError(
                "A population needs one volume and one clearance per patient, as two lists of equal length."
            )
        object.__setattr__(self, "volume", Q_(v, "mL"))
        object.__setattr__(self, "clearance", Q_(cl, "mL/h"))

    @property
    def n(self) -> int:
        """Number of virtual patients."""
        return int(self.volume.magnitude.shape[0])

    def __len__(self) -> int:
        return self.n

    @property
    def half_life(self) -> pint.Quantity:
        """Each patient's CSF half-life (h)."""
        return half_life(self.volume, self.clearance)

    def concentrations(
        self, times: Any, boluses: Iterable[tuple[Any, Any]] = (), infusions: Iterable[tuple[Any, Any, Any]] = ()
    ) -> pint.Quantity:
        """CSF concentrations of every patient, shape ``(n, len(times))`` (see :func:`csf_concentration`)."""
        return csf_concentration(times, boluses, infusions, volume=self.volume, clearance=self.clearance)


def _truncated_lognormal(rng: np.random.Generator, n: int, mu: float, sigma: float, lo: float, hi: float) -> np.ndarray:
    """``n`` lognormal draws kept inside ``[lo, hi]`` by redrawing those outside (deterministic per generator)."""
    out = rng.lognormal(mu, sigma, n)
    bad = (out < lo) | (out > hi)
    while np.any(bad):
        out[bad] = rng.lognormal(mu, sigma, int(bad.sum()))
        bad = (out < lo) | (out > hi)
    return out


def virtual_population(
    n: int,
    seed: int | None = 0,
    volume_mean: Any = "75 mL",
    volume_range: tuple[Any, Any] = ("22 mL", "157 mL"),
    volume_sigma: float = 0.4,
    half_life_median: Any = None,
    half_life_range: tuple[Any, Any] = ("1 h", "5 h"),
    half_life_sigma: float = 0.4,
) -> Population:
    """Draw ``n`` virtual patients whose parameters stay inside the label ranges.

    Sampling (a choice of the suite; the labels give ranges and means, not distributions):

    * volume of distribution: lognormal with the given arithmetic mean (label mean about
      75 mL) and log-standard deviation ``volume_sigma``, redrawn until inside the label
      range 22–157 mL (lionova 5.2; lioresal Pharmacokinetics);
    * half-life: lognormal around ``half_life_median`` (default ``ln 2 · 75 mL / 30 mL/h``
      ≈ 1.73 h, the half-life of the label mean patient), redrawn until inside the
      label's 1–5 h;
    * clearance follows as ``CL = ln 2 · V / t½``, so its typical value is near the
      label's 30 mL/h.

    Skewed lognormals fit parameters that cannot be negative and whose ranges stretch
    further above the mean than below it.  The same ``seed`` always gives the same
    population.

    Parameters
    ----------
    n : int
        Number of patients (1 to 1,000,000).
    seed : int or None, optional
        Seed of :func:`numpy.random.default_rng`; ``None`` draws a fresh population.
    volume_mean, volume_range, volume_sigma, half_life_median, half_life_range, half_life_sigma
        The sampling distribution (defaults from the labels, see above).

    Returns
    -------
    Population

    Examples
    --------
    >>> pop = virtual_population(1000, seed=1)
    >>> len(pop)
    1000
    >>> bool(pop.volume.min() >= Q_(22, "mL") and pop.volume.max() <= Q_(157, "mL"))
    True
    >>> bool(pop.half_life.min() >= Q_(1, "h") and pop.half_life.max() <= Q_(5, "h"))
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 1_000_000:
        raise InputError(
            message("The number of virtual patients must be a whole number from 1 to 1,000,000, not {n}.", n=repr(n))
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError(f"The seed must be a whole number of zero or more, or None, not {seed!r}.")
    for s_name, s in (("volume_sigma", volume_sigma), ("half_life_sigma", half_life_sigma)):
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 < s <= 2:
            raise InputError(f"The {s_name} must be a number above 0 and at most 2, not {s!r}.")
    v_mean = float(as_quantity(volume_mean, "mL", gettext("mean volume")).magnitude)
    v_lo = float(as_quantity(volume_range[0], "mL", gettext("lowest volume")).magnitude)
    v_hi = float(as_quantity(volume_range[1], "mL", gettext("highest volume")).magnitude)
    for v_x, v_name in ((v_mean, "mean volume"), (v_hi, "highest volume")):
        if v_x > 0:  # at or below zero: the model's own refusal below
            library.hard_check("csf_volume", v_x, "mL", v_name)
    t_lo = float(as_quantity(half_life_range[0], "h", gettext("shortest half-life")).magnitude)
    t_hi = float(as_quantity(half_life_range[1], "h", gettext("longest half-life")).magnitude)
    t_med = (
        math.log(2) * 75.0 / 30.0
        if half_life_median is None
        else float(as_quantity(half_life_median, "h", gettext("median half-life")).magnitude)
    )
    if not 0 < v_lo < v_mean < v_hi:
        raise InputError(gettext("The mean volume must lie inside the volume range, and the range must be above zero."))
    if not 0 < t_lo < t_med < t_hi:
        raise InputError(
            gettext("The median half-life must lie inside the half-life range, and the range must be above zero.")
        )

    rng = np.random.default_rng(seed)
    # Lognormal mean = exp(mu + sigma²/2): choose mu so the untruncated mean is volume_mean.
    v = _truncated_lognormal(rng, int(n), math.log(v_mean) - volume_sigma**2 / 2, volume_sigma, v_lo, v_hi)
    t_half = _truncated_lognormal(rng, int(n), math.log(t_med), half_life_sigma, t_lo, t_hi)
    cl = math.log(2) * v / t_half
    return Population(Q_(v, "mL"), Q_(cl, "mL/h"), None if seed is None else int(seed))


def percentile_band(
    concentrations: Any, percentiles: tuple[float, float] = (5, 95)
) -> tuple[pint.Quantity, pint.Quantity]:
    """Lower and upper percentile across patients (axis 0) at each time (or of a 1-D array across patients).

    Parameters
    ----------
    concentrations : Quantity
        An ``(n, t)`` array of concentrations (e.g. from :meth:`Population.concentrations`).
    percentiles : (float, float), optional
        Lower and upper percentile, 0–100 (default 5th and 95th).

    Returns
    -------
    (Quantity, Quantity)
        Two arrays of length ``t`` in the unit of ``concentrations``.

    Examples
    --------
    >>> c = Q_(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), "ng/mL")
    >>> low, high = percentile_band(c, (0, 100))
    >>> low.magnitude.tolist(), high.magnitude.tolist()
    ([1.0, 2.0], [5.0, 6.0])
    """
    if isinstance(concentrations, pint.Quantity):
        # any quantity across patients (concentrations, half-lives, ...) keeps its own unit
        q = as_array_quantity(concentrations, str(concentrations.units), gettext("values"))
        unit: Any = concentrations.units
    else:
        q, unit = as_array_quantity(concentrations, "ng/mL", gettext("concentrations")), "ng/mL"
    mag = np.asarray(q.magnitude, dtype=float)
    if mag.ndim == 0 or mag.shape[0] == 0:
        raise InputError("Percentiles need at least one patient's concentrations.")
    try:
        lo, hi = (float(p) for p in percentiles)
    except (TypeError, ValueError):
        raise InputError(f"The percentiles {percentiles!r} must be two numbers from 0 to 100.") from None
    if not (0 <= lo <= hi <= 100):
        raise InputError(
            message(
                "The percentiles must satisfy 0 ≤ lower ≤ upper ≤ 100, not {lo} and {hi}.", lo=float(lo), hi=float(hi)
            )
        )
    low, high = np.percentile(mag, [lo, hi], axis=0)
    return Q_(low, unit), Q_(high, unit)
