"""The drug library: soft and hard limits for every quantity the suite reads.

For training only, not for treating patients.

Smart infusion pumps reduce dose errors with a drug library kept by the hospital: a value past a
**hard** limit is refused, a value past a **soft** limit is allowed only after a warning and a
confirmation.  The suite does the same, from one data file (``itbcore/drug_library.toml``, or the file
named by the environment variable ``ITB_DRUG_LIBRARY``), loaded and validated at import: a mistake in the
file is a :class:`~itbcore.errors.LibraryError` that names the file, the key and the problem.

Every range carries its source: a label section, practice guidance, device documentation, or
``local protocol`` (the suite's default, to be edited for a hospital).  A local library may narrow a
range a label sets, never widen it.

>>> lib = active_library()
>>> lib.limit("test_dose").hard.max, lib.limit("test_dose").hard.source
(100.0, 'lionova 4.2')
>>> check("daily_dose", 2500.0, "ug/day")[0].code
'soft_limit_daily_dose'
>>> check("daily_dose", "100 mg/day", name="daily dose")
Traceback (most recent call last):
...
itbcore.errors.DoseLimitError: The daily dose 100 000 µg/day is above the hard limit of 3000 µg/day (about 1.5 times the
highest daily dose the labels report; a mg/µg slip lands far above it; local protocol — the suite's default, edit for
your hospital): 1000 times 100 µg/day — was mg written for µg?
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import MIB, read_regular
from ._in_force import STATE as _STATE
from .errors import DoseLimitError, InputError, LibraryError
from .i18n import CORE, N_, gettext, localize_number, message
from .sources import DEFAULT_LABEL, LABELS, Finding
from .units import _fmt_float, _parse_unit, as_quantity, magnitude_in

__all__ = [
    "DEFAULT_LIBRARY_PATH",
    "LIBRARY_ENV",
    "Range",
    "Limit",
    "DrugLibrary",
    "load_library",
    "active_library",
    "use_library",
    "limit",
    "check",
    "check_date",
    "read_date",
    "starting_values",
    "hard_check",
    "hard_check_array",
    "read_amount",
    "check_amount",
    "amount",
    "soft_findings",
    "Reading",
    "read",
    "OVERRIDE_REASONS",
    "override_reason",
]

#: The library the suite ships.
DEFAULT_LIBRARY_PATH = Path(__file__).with_name("drug_library.toml")
#: The environment variable that names a hospital's own library file.
LIBRARY_ENV = "ITB_DRUG_LIBRARY"
#: The largest drug-library file read (the shipped one is a few kilobytes).
MAX_LIBRARY_BYTES = MIB

_LABEL_KEYS = tuple(LABELS)
_SOURCE_PREFIXES = (*(f"{k} " for k in _LABEL_KEYS), "practice guidance", "local protocol")


@dataclass(frozen=True)
class Range:
    """One soft or hard range in the limit's unit (``None``: no bound on that side)."""

    min: Any
    max: Any
    source: str
    why: str = ""
    min_inclusive: bool = True
    max_inclusive: bool = True

    def below(self, x: Any) -> bool:
        """Whether ``x`` lies below this range."""
        return self.min is not None and (x < self.min or (x == self.min and not self.min_inclusive))

    def above(self, x: Any) -> bool:
        """Whether ``x`` lies above this range."""
        return self.max is not None and (x > self.max or (x == self.max and not self.max_inclusive))

    def contains(self, x: Any) -> bool:
        return not (self.below(x) or self.above(x))

    @property
    def from_label(self) -> bool:
        """Whether a product label sets this range (a local library may narrow it, never widen it)."""
        return self.source.startswith(tuple(f"{k} " for k in _LABEL_KEYS))


@dataclass(frozen=True)
class Limit:
    """The soft and hard ranges of one quantity, with label-profile overrides."""

    key: str
    title: str
    unit: str
    hard: Range
    soft: Range | None = None
    default: Any = None
    by_label: dict[str, dict[str, Range]] = field(default_factory=dict, hash=False)

    def ranges(self, label: str | None = DEFAULT_LABEL) -> tuple[Range, Range | None]:
        """(hard, soft) under ``label`` (``None``: the ranges every label has unless it overrides them)."""
        over = self.by_label.get(label, {}) if label is not None else {}
        return over.get("hard", self.hard), over.get("soft", self.soft)

    @property
    def default_text(self) -> str:
        """The usual value as text with its unit (``"2 mL"``), for a field or an exercise to start from."""
        if self.default is None:
            raise LibraryError(message("The drug-library limit {key} has no default value.", key=repr(self.key)))
        return f"{self.default:g} {self.unit}".strip()


@dataclass(frozen=True)
class DrugLibrary:
    """A validated drug library: ``limits`` keyed by quantity name, and where it came from."""

    name: str
    version: str
    path: str
    drug: str
    care_area: str
    limits: dict[str, Limit] = field(hash=False)
    #: The apps' starting values: app -> field key -> text such as ``"20 mL"`` (a teaching case, not limits).
    start: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)

    def limit(self, key: str) -> Limit:
        try:
            return self.limits[key]
        except (KeyError, TypeError):
            raise InputError(
                message(
                    "The drug library has no limit {key}; it has: {keys}.", key=repr(key), keys=", ".join(self.limits)
                )
            ) from None

    @property
    def is_default(self) -> bool:
        return Path(self.path).resolve() == DEFAULT_LIBRARY_PATH.resolve()

    @property
    def summary(self) -> str:
        """One line for the apps: which library is in force."""
        if self.is_default:
            return message(
                "Drug library in force: {name}, version {version} (the suite's default).",
                name=gettext(self.name),  # the suite's own library's name is in the catalogue
                version=self.version,
            )
        return message(
            "Drug library in force: {name}, version {version} (local file {file}).",
            name=self.name,
            version=self.version,
            file=Path(self.path).name,
        )


# -------------------------------------------------------------------------------------------- loading
def _problem(path: Path, key: str, text: str) -> LibraryError:
    return LibraryError(message("Drug library {path}: {key}: {problem}", path=str(path), key=key, problem=text))


def _number(path: Path, key: str, value: Any, unit: str) -> Any:
    if unit == "date":
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise _problem(path, key, message("must be a date such as 2000-01-01, not {value}.", value=repr(value)))
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _problem(path, key, message("must be a finite number, not {value}.", value=repr(value)))
    return float(value)


def _range(path: Path, key: str, raw: Any, unit: str) -> Range:
    if not isinstance(raw, dict):
        raise _problem(path, key, gettext("must be a table with min, max and source."))
    unknown = set(raw) - {"min", "max", "source", "why", "min_inclusive", "max_inclusive"}
    if unknown:
        raise _problem(path, key, message("unknown key(s) {keys}.", keys=", ".join(sorted(unknown))))
    lo = None if "min" not in raw else _number(path, f"{key}.min", raw["min"], unit)
    hi = None if "max" not in raw else _number(path, f"{key}.max", raw["max"], unit)
    if lo is None and hi is None:
        raise _problem(path, key, gettext("needs a min, a max or both."))
    if lo is not None and hi is not None and lo > hi:
        raise _problem(path, key, message("min {min} is above max {max}.", min=str(raw["min"]), max=str(raw["max"])))
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _problem(
            path,
            f"{key}.source",
            gettext("every range needs a source (a label section, practice guidance or 'local protocol')."),
        )
    if not source.startswith(_SOURCE_PREFIXES):
        raise _problem(
            path,
            f"{key}.source",
            message(
                "{source} names no label ({labels}), practice guidance or local protocol.",
                source=repr(source),
                labels=", ".join(_LABEL_KEYS),
            ),
        )
    why = raw.get("why", "")
    if not isinstance(why, str):
        raise _problem(path, f"{key}.why", gettext("must be text."))
    flags = {}
    for flag in ("min_inclusive", "max_inclusive"):
        v = raw.get(flag, True)
        if not isinstance(v, bool):
            raise _problem(path, f"{key}.{flag}", message("must be true or false, not {value}.", value=repr(v)))
        flags[flag] = v
    return Range(lo, hi, source.strip(), why, **flags)


def _within(outer: Range, inner: Range) -> bool:
    """Whether ``inner`` lies within ``outer`` (bounds included as ``outer`` includes them)."""
    if outer.min is not None and (
        inner.min is None
        or inner.min < outer.min
        or (inner.min == outer.min and inner.min_inclusive and not outer.min_inclusive)
    ):
        return False
    return not (
        outer.max is not None
        and (
            inner.max is None
            or inner.max > outer.max
            or (inner.max == outer.max and inner.max_inclusive and not outer.max_inclusive)
        )
    )


def _limit(path: Path, key: str, raw: Any) -> Limit:
    where = f"limits.{key}"
    if not isinstance(raw, dict):
        raise _problem(path, where, gettext("must be a table."))
    known = {"title", "unit", "default", "hard", "soft", *_LABEL_KEYS}
    unknown = set(raw) - known
    if unknown:
        raise _problem(path, where, message("unknown key(s) {keys}.", keys=", ".join(sorted(unknown))))
    title, unit = raw.get("title"), raw.get("unit")
    if not isinstance(title, str) or not title:
        raise _problem(path, f"{where}.title", gettext("every limit needs a title."))
    if not isinstance(unit, str):
        raise _problem(path, f"{where}.unit", gettext("every limit needs a unit ('' for a count, 'date' for a date)."))
    if unit not in ("", "date"):
        try:
            _parse_unit(unit)
        except Exception:  # noqa: BLE001 - pint raises many types; all mean the same here
            raise _problem(
                path, f"{where}.unit", message("{unit} is not a unit the suite knows.", unit=repr(unit))
            ) from None
    if "hard" not in raw:
        raise _problem(path, where, gettext("every limit needs a hard range."))
    hard = _range(path, f"{where}.hard", raw["hard"], unit)
    soft = None if "soft" not in raw else _range(path, f"{where}.soft", raw["soft"], unit)
    if soft is not None and not _within(hard, soft):
        raise _problem(path, f"{where}.soft", gettext("the soft range must lie within the hard range."))
    default = raw.get("default")
    if default is not None:
        default = _number(path, f"{where}.default", default, unit)
        if not hard.contains(default):
            raise _problem(
                path, f"{where}.default", message("{value} lies outside the hard range.", value=str(raw["default"]))
            )
    by_label: dict[str, dict[str, Range]] = {}
    for label in _LABEL_KEYS:
        if label not in raw:
            continue
        over = raw[label]
        if not isinstance(over, dict) or not over or set(over) - {"hard", "soft"}:
            raise _problem(path, f"{where}.{label}", gettext("must hold a hard and/or a soft range."))
        ranges = {kind: _range(path, f"{where}.{label}.{kind}", over[kind], unit) for kind in over}
        h = ranges.get("hard", hard)
        if "soft" in ranges and not _within(h, ranges["soft"]):
            raise _problem(path, f"{where}.{label}.soft", gettext("the soft range must lie within the hard range."))
        by_label[label] = ranges
    return Limit(key, title, unit, hard, soft, default, by_label)


def load_library(path: str | os.PathLike | None = None) -> DrugLibrary:
    """Read and validate a drug library file (default: the one the suite ships).

    A local library must hold every limit of the suite's own library, and may narrow a range that a
    label sets but never widen it.

    Raises
    ------
    LibraryError
        Naming the file, the key and the problem.
    """
    p = Path(path) if path is not None else DEFAULT_LIBRARY_PATH
    try:
        # a regular file of at most MAX_LIBRARY_BYTES: ITB_DRUG_LIBRARY=/dev/zero or a FIFO is refused, not read
        raw = tomllib.loads(read_regular(p, MAX_LIBRARY_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise LibraryError(message("Drug library {path}: the file does not exist.", path=str(p))) from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(
            message("Drug library {path}: not valid TOML ({error}).", path=str(p), error=str(exc))
        ) from None
    except UnicodeDecodeError as exc:
        raise LibraryError(
            message(
                "Drug library {path}: the file cannot be read ({error}).", path=str(p), error=exc.__class__.__name__
            )
        ) from None
    except ValueError as exc:  # not a regular file, or larger than the bound (the message names the file)
        raise LibraryError(message("Drug library {path}: {problem}", path=str(p), problem=str(exc))) from None
    except OSError as exc:
        raise LibraryError(
            message(
                "Drug library {path}: the file cannot be read ({error}).", path=str(p), error=exc.__class__.__name__
            )
        ) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise LibraryError(message("Drug library {path}: not valid TOML (nested too deeply).", path=str(p))) from None
    head = raw.get("library")
    if not isinstance(head, dict):
        raise _problem(p, "library", gettext("the file needs a [library] table with name and version."))
    for key in ("name", "version"):
        if not isinstance(head.get(key), str) or not head[key].strip():
            raise _problem(p, f"library.{key}", gettext("must be a non-empty text."))
    limits_raw = raw.get("limits")
    if not isinstance(limits_raw, dict) or not limits_raw:
        raise _problem(p, "limits", gettext("the file needs [limits.<quantity>] tables."))
    limits = {key: _limit(p, key, value) for key, value in limits_raw.items()}
    start = _start(p, raw.get("start", {}))
    unknown = set(raw) - {"library", "limits", "start"}
    if unknown:
        raise _problem(
            p,
            ", ".join(sorted(unknown)),
            gettext("unknown table(s); a library has [library], [limits.*] and [start.*]."),
        )
    lib = DrugLibrary(
        head["name"].strip(),
        head["version"].strip(),
        str(p),
        str(head.get("drug", "")),
        str(head.get("care_area", "")),
        limits,
        start,
    )
    if path is not None and not lib.is_default:
        _check_against_default(lib, p)
    return lib


def _start(path: Path, raw: Any) -> dict[str, dict[str, str]]:
    from .units import _read

    if not isinstance(raw, dict):
        raise _problem(path, "start", gettext("must hold one table per app."))
    out: dict[str, dict[str, str]] = {}
    for app, fields in raw.items():
        if not isinstance(fields, dict):
            raise _problem(path, f"start.{app}", gettext('must be a table of field = "value with its unit".'))
        for key, text in fields.items():
            if not isinstance(text, str) or _read(text)[0] == "refused" or _read(text)[1] is None:
                raise _problem(
                    path,
                    f"start.{app}.{key}",
                    message('{value} is not a value with its unit, such as "20 mL".', value=repr(text)),
                )
        out[app] = dict(fields)
    return out


def _check_against_default(lib: DrugLibrary, path: Path) -> None:
    base = _DEFAULT
    for key, ref in base.limits.items():
        if key not in lib.limits:
            raise _problem(
                path,
                f"limits.{key}",
                gettext(
                    "is missing; a local library keeps every limit of the suite's library (change its values instead)."
                ),
            )
        mine = lib.limits[key]
        if mine.unit != ref.unit:
            raise _problem(
                path,
                f"limits.{key}.unit",
                message("must be {unit}, the unit the suite computes in.", unit=repr(ref.unit)),
            )
        for label in (None, *_LABEL_KEYS):
            r_hard, _ = ref.ranges(label)  # label None: the ranges without a label override
            m_hard, _ = mine.ranges(label)
            if r_hard.from_label and not _within(r_hard, m_hard):
                where = (
                    f"limits.{key}.hard"
                    if label is None
                    else message("limits.{key} under {label}", key=key, label=label)
                )
                raise _problem(
                    path,
                    where,
                    message(
                        "widens the hard range that {source} sets; a local library may narrow it, never widen it.",
                        source=r_hard.source,
                    ),
                )


#: (limit's unit, unit) -> factor from the limit's unit to ``unit``.  Keyed by the units alone, so it holds
#: whatever library is in force (a local library must keep every limit's unit).
_FACTORS: dict[tuple[str, str], float] = {}


# The library in force is kept in itbcore._in_force, not here: a second copy of this module (pytest's importlib
# mode runs this file again when its doctests are collected first) must check against the same library as the
# copy the rest of the core imported.  A copy run again leaves the library in force as it is.
_DEFAULT: DrugLibrary = _STATE.setdefault("default", load_library())


def use_library(path: str | os.PathLike | None = None) -> DrugLibrary:
    """Put the library in ``path`` in force for this process (``None``: the suite's default) and return it.

    Every check of the core reads the library in force when it runs, so the new library binds every entry
    point from the next call on.
    """
    lib = _DEFAULT if path is None else load_library(path)
    _STATE["active"] = lib
    return lib


def active_library() -> DrugLibrary:
    """The library in force."""
    return _STATE["active"]


def limit(key: str) -> Limit:
    """The limit ``key`` of the library in force."""
    return _STATE["active"].limit(key)


def starting_values(app: str) -> dict[str, str]:
    """Where the fields of ``app`` start (field key -> text with its unit), from the library in force.

    A local library that leaves an app out gets the suite's own starting values for it.
    """
    values = _STATE["active"].start.get(app) or _DEFAULT.start.get(app)
    if values is None:
        raise LibraryError(message("The drug library has no starting values for the app {app}.", app=repr(app)))
    return {**_DEFAULT.start.get(app, {}), **values}


if "active" not in _STATE:
    _STATE["active"] = _DEFAULT
    if os.environ.get(LIBRARY_ENV):
        use_library(os.environ[LIBRARY_ENV])


# ------------------------------------------------------------------------------------------- checking


def _factor(lim: Limit, unit: str) -> float:
    key = (lim.unit, unit)
    f = _FACTORS.get(key)
    if f is None:
        f = 1.0 if unit == lim.unit or lim.unit == "" else magnitude_in(f"1 {lim.unit}", unit)
        _FACTORS[key] = f
    return f


def _show(x: float, unit: str) -> str:
    return _fmt_float(x, unit) if unit else localize_number(f"{x:g}")


def _bound_text(r: Range, side: str, unit: str, f: float) -> str:
    value = r.min if side == "min" else r.max
    return _show(value * f, unit)


def _slip_note(lim: Limit, x: float, f: float, soft: Range | None, unit: str, above: bool) -> str:
    """'1000 times 100 µg/day — was mg written for µg?' when ``x`` is a thousandfold slip of a usual value."""
    if soft is None or not lim.unit.startswith("ug"):
        return ""
    meant = x / 1000 if above else x * 1000
    if not soft.contains(meant / f):
        return ""
    if above:
        return message("1000 times {meant} — was mg written for µg?", meant=_show(meant, unit))
    return message("a thousandth of {meant} — was µg written for mg?", meant=_show(meant, unit))


def _reason(r: Range) -> str:
    """What a refusal or a warning says in brackets: the range's explanation (drug-library data, as written in
    the file) and its source."""
    # both data of the library file: translated where the catalogue has them (a hospital's own text as written)
    return "; ".join((gettext(r.why), gettext(r.source))) if r.why else gettext(r.source)


#: A hard refusal by the side of the range it falls past: (without a slip note, with one).
_HARD = {
    "above": (
        N_("The {name} {value} is above the hard limit of {limit} ({reason})."),
        N_("The {name} {value} is above the hard limit of {limit} ({reason}): {slip}"),
    ),
    "below_exclusive_max": (
        N_("The {name} {value} must be below {limit} ({reason})."),
        N_("The {name} {value} must be below {limit} ({reason}): {slip}"),
    ),
    "zero": (
        N_("The {name} {value} must be above zero ({reason})."),
        N_("The {name} {value} must be above zero ({reason}): {slip}"),
    ),
    "below": (
        N_("The {name} {value} is below the hard limit of {limit} ({reason})."),
        N_("The {name} {value} is below the hard limit of {limit} ({reason}): {slip}"),
    ),
    "above_exclusive_min": (
        N_("The {name} {value} must be above {limit} ({reason})."),
        N_("The {name} {value} must be above {limit} ({reason}): {slip}"),
    ),
}


def hard_check(key: str, x: float, unit: str, name: str | None = None, label: str = DEFAULT_LABEL) -> float:
    """Refuse ``x`` (a plain number in ``unit``) past the hard range of ``key``; return it otherwise.

    Raises
    ------
    DoseLimitError
        With ``.name``, ``.value``, ``.limit`` and ``.source``.
    """
    lim = _STATE["active"].limits[key]
    hard, soft = lim.ranges(label)
    f = _factor(lim, unit)
    xs = x / f  # in the limit's unit
    if hard.contains(xs):
        return x
    what = name or gettext(lim.title).lower()
    above = hard.above(xs)
    bound_text = _bound_text(hard, "max" if above else "min", unit, f)
    if above:
        kind = "above" if hard.max_inclusive else "below_exclusive_max"
    elif hard.min == 0 and not hard.min_inclusive:
        kind = "zero"  # the core's one wording for an amount at or below zero (check_amount)
    else:
        kind = "below" if hard.min_inclusive else "above_exclusive_min"
    slip = _slip_note(lim, x, f, soft, unit, above)
    text = CORE.message(
        _HARD[kind][1 if slip else 0],
        name=gettext(what),
        value=_show(x, unit),
        limit=bound_text,
        reason=_reason(hard),
        slip=slip,
    )
    raise DoseLimitError(
        text,
        name=what,
        value=x,
        limit=(hard.max if above else hard.min) * f,
        source=hard.source,
        unit=unit,
        key=key,
    )


def read_amount(value: Any, unit: str, name: str, key: str | None = None, *, zero_ok: bool = False) -> float:
    """``value`` (a Quantity or text) as a plain float in ``unit``: the one reader of a volume, strength or
    dose that must be above zero (or, with ``zero_ok``, not negative) and, with ``key``, within the
    drug library's hard range for that limit.

    >>> read_amount("0.5 mL", "uL", "bolus volume")
    500.0
    >>> read_amount("0 mL", "mL", "reservoir volume")
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: The reservoir volume 0 mL must be above zero.

    Raises
    ------
    UnitError
        For a value that cannot be read in ``unit``.
    DoseLimitError
        Below zero, at zero (unless ``zero_ok``), or past the hard range of ``key``; with ``.name``,
        ``.value``, ``.limit`` and ``.unit``.
    """
    return check_amount(magnitude_in(value, unit, name), unit, name, key, zero_ok=zero_ok)


def check_amount(m: float, unit: str, name: str, key: str | None = None, *, zero_ok: bool = False) -> float:
    """:func:`read_amount`'s checks on a plain number ``m`` already in ``unit``; returns ``m``."""
    if m < 0 or (m == 0 and not zero_ok):
        if zero_ok:
            text = message("The {name} {value} must not be negative.", name=gettext(name), value=_fmt_float(m, unit))
        else:
            text = message("The {name} {value} must be above zero.", name=gettext(name), value=_fmt_float(m, unit))
        raise DoseLimitError(text, name=name, value=m, limit=0.0, unit=unit, key=key)
    if key is not None:
        hard_check(key, m, unit, name)
    return m


def amount(value: Any, unit: str, name: str, key: str | None = None, *, zero_ok: bool = False) -> Any:
    """:func:`read_amount` that keeps the Quantity (in ``unit``, its magnitude as given).

    >>> amount("2 mg/mL", "ug/mL", "concentration", "concentration")
    <Quantity(2000.0, 'microgram / milliliter')>
    """
    q = as_quantity(value, unit, name)
    check_amount(float(q.magnitude), unit, name, key, zero_ok=zero_ok)
    return q


def hard_check_array(key: str, values: Any, unit: str, name: str | None = None, label: str = DEFAULT_LABEL) -> Any:
    """:func:`hard_check` on the smallest and largest of an array of plain numbers in ``unit``."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    if arr.size:
        hard_check(key, float(arr.min()), unit, name, label)
        hard_check(key, float(arr.max()), unit, name, label)
    return values


def check(
    key: str, value: Any, unit: str | None = None, name: str | None = None, label: str = DEFAULT_LABEL
) -> list[Finding]:
    """Check ``value`` against the limit ``key``: refuse past the hard range, warn past the soft range.

    ``value`` is a Quantity or text (read in the limit's unit), or a plain number in ``unit``.  Returns
    the soft-limit warnings (a list with at most one :class:`Finding`, code ``soft_limit_<key>``).

    Raises
    ------
    DoseLimitError
        Past the hard range.
    """
    lim = _STATE["active"].limit(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit is None and lim.unit:
            raise InputError(f"A plain number checked against {key!r} needs its unit.")
        u, x = (unit if unit is not None else lim.unit), float(value)
    else:
        u = unit or lim.unit
        x = magnitude_in(value, u, name or gettext(lim.title).lower())
    hard_check(key, x, u, name, label)
    return soft_findings(key, x, u, name, label)


def soft_findings(key: str, x: float, unit: str, name: str | None = None, label: str = DEFAULT_LABEL) -> list[Finding]:
    """The soft-limit warning for ``x`` (a plain number in ``unit``), or an empty list."""
    lim = _STATE["active"].limits[key]
    _, soft = lim.ranges(label)
    if soft is None:
        return []
    f = _factor(lim, unit)
    xs = x / f
    # Zero (a stop, an empty step) is left to the rules, which judge it more strictly than a soft limit.
    if soft.contains(xs) or (x == 0 and soft.below(xs)):
        return []
    above = soft.above(xs)
    what = name or gettext(lim.title).lower()
    bound = _bound_text(soft, "max" if above else "min", unit, f)
    # A thousandfold slip of a usual value says so, as the hard refusal does.
    slip = _slip_note(lim, x, f, soft, unit, above)
    values = {"name": gettext(what), "value": _show(x, unit), "limit": bound, "reason": _reason(soft), "slip": slip}
    if above and slip:
        text = message(
            "The {name} {value} is above the soft limit of {limit} ({reason}): {slip} Confirm it is what is meant.",
            **values,
        )
    elif above:
        text = message(
            "The {name} {value} is above the soft limit of {limit} ({reason}): confirm it is what is meant.", **values
        )
    elif slip:
        text = message(
            "The {name} {value} is below the soft limit of {limit} ({reason}): {slip} Confirm it is what is meant.",
            **values,
        )
    else:
        text = message(
            "The {name} {value} is below the soft limit of {limit} ({reason}): confirm it is what is meant.", **values
        )
    return [Finding(f"soft_limit_{key}", "warning", text, soft.source)]


@dataclass(frozen=True)
class Reading:
    """A typed value read once and checked once against the drug library in force.

    ``quantity`` is in ``unit`` (the limit's unit unless the caller named another); ``warnings`` holds
    the soft-limit finding (at most one) that a user must confirm; ``key``, ``name`` and ``label`` say
    which limit, which field and which label profile judged it.
    """

    quantity: Any
    warnings: tuple[Finding, ...]
    key: str
    name: str
    unit: str
    label: str

    @property
    def text(self) -> str:
        """How the value was read, in clinical units ("1500 µg/day")."""
        from .units import fmt

        return fmt(self.quantity)


def read(key: str, value: Any, unit: str | None = None, name: str | None = None, label: str = DEFAULT_LABEL) -> Reading:
    """Read ``value`` (text with its unit, or a Quantity) and check it against the limit ``key`` of the
    library in force, under the label profile ``label``: the one path every field and every core entry
    point takes.

    >>> r = read("daily_dose", "1 500 ug/day")
    >>> r.text, [w.code for w in r.warnings]
    ('1500 µg/day', [])
    >>> read("time_since_fill", "100 days", label="lioresal").warnings[0].code
    'soft_limit_time_since_fill'

    Raises
    ------
    InputError
        (or :class:`~itbcore.errors.UnitError`) when the text cannot be read as one number and a unit.
    DoseLimitError
        Past the hard range, with ``name``, ``value``, ``limit``, ``unit``, ``source`` and ``key``.
    """
    lim = _STATE["active"].limit(key)
    u = lim.unit if unit is None else unit
    what = name or gettext(lim.title).lower()
    q = as_quantity(value, u, what)
    x = float(q.magnitude)
    hard, _ = lim.ranges(label)
    if x < 0 and hard.min is not None and hard.min >= 0:
        # said as typed: a tiny negative converted reads as noise ("-0.000000003 kg")
        typed = value.strip() if isinstance(value, str) else _show(x, u)
        raise DoseLimitError(
            message("The {name} cannot be negative; {typed} was typed.", name=gettext(what), typed=repr(typed)),
            name=what,
            value=x,
            limit=hard.min * _factor(lim, u),
            source=hard.source,
            unit=u,
            key=key,
        )
    hard_check(key, x, u, what, label)
    return Reading(q, tuple(soft_findings(key, x, u, what, label)), key, what, u, label)


#: Why a value past a soft limit was confirmed: code -> what the user chose.  Smart-pump libraries record a
#: reason with every override so that a review can learn from them; the list is the suite's own (local
#: protocol), "other" asks for free text.
OVERRIDE_REASONS: dict[str, str] = {
    "prescribed": N_("Prescribed dose, checked with the prescriber"),
    "patient_plan": N_("Documented in this patient's plan"),
    "teaching_error": N_("Teaching scenario: the error is the lesson"),
    "other": N_("Other (say why)"),
}


def override_reason(code: str, text: str = "") -> str:
    """The reason for confirming a value past a soft limit, as it is shown and saved.

    >>> override_reason("prescribed")
    'Prescribed dose, checked with the prescriber'
    >>> override_reason("other", "  long-standing dose after a pump change ")
    'Other: long-standing dose after a pump change'
    >>> override_reason("other")
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: Say why the value past the soft limit is confirmed (the reason 'Other' needs a few
    words).

    Raises
    ------
    InputError
        For an unknown code, or "other" without text.
    """
    if code not in OVERRIDE_REASONS:
        raise InputError(
            message(
                "Choose why the value past the soft limit is confirmed: {codes}.", codes=", ".join(OVERRIDE_REASONS)
            )
        )
    note = " ".join(str(text).split())[:200]
    if code == "other":
        if not note:
            raise InputError(
                gettext("Say why the value past the soft limit is confirmed (the reason 'Other' needs a few words).")
            )
        return message("Other: {note}", note=note)
    if note:
        return message("{reason} ({note})", reason=gettext(OVERRIDE_REASONS[code]), note=note)
    return gettext(OVERRIDE_REASONS[code])


def check_date(value: _dt.date, name: str = N_("date")) -> _dt.date:
    """Refuse a date outside the library's date range (DoseLimitError is not for dates: InputError)."""
    hard = _STATE["active"].limits["date"].hard
    if hard.contains(value):
        return value
    raise InputError(
        message(
            "The {name} {value} lies outside the dates the suite plans for ({first} to {last}; {source}).",
            name=gettext(name),
            value=value.isoformat(),
            first=hard.min.isoformat(),
            last=hard.max.isoformat(),
            source=hard.source,
        )
    )


_DMY = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")


def read_date(value: Any, name: str = N_("date")) -> _dt.date | None:
    """The suite's one date reader: a ``datetime.date``, ``'YYYY-MM-DD'`` or ``'DD.MM.YYYY'`` (as Norwegian
    records write it), within the library's date range; ``None`` stays ``None``.

    >>> read_date("2026-11-21"), read_date("21.11.2026")
    (datetime.date(2026, 11, 21), datetime.date(2026, 11, 21))
    >>> read_date("9999-12-25", "fill date")
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: The fill date 9999-12-25 lies outside the dates the suite plans for (2000-01-01 to
    2100-12-31; local protocol — the suite's default, edit for your hospital).
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return check_date(value, name)
    if isinstance(value, str) and len(value) <= 32:
        text = value.strip()
        day = None
        try:
            day = _dt.date.fromisoformat(text)
        except ValueError:
            m = _DMY.fullmatch(text)
            if m:
                with contextlib.suppress(ValueError):
                    day = _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if day is not None:
            return check_date(day, name)
    shown = repr(value) if not isinstance(value, str) or len(value) <= 32 else gettext("text too long to be a date")
    raise InputError(
        message(
            "The {name} {shown} is not a date; give it as YYYY-MM-DD (for example 2026-11-21).",
            name=gettext(name),
            shown=shown,
        )
    )
