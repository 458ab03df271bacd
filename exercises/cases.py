"""The case library: fictional patients and situations kept as YAML under ``exercises/cases/``.

For training only, not for treating patients.

Each patient is one file in ``cases/patients/``, each situation one file in
``cases/situations/``.  Files are validated field by field when loaded; a bad file is
skipped (so one typo never takes the other exercises down) and named, with the field and
what is wrong, in :attr:`CaseLibrary.problems` and the server's log; ``python -m
exercises.cases`` checks the library and ``load_library(strict=True)`` raises
:class:`CaseFileError` for the first bad file.

>>> lib = load_library()
>>> sorted(lib.situation_kinds())[:4]
['emergency_call', 'maintenance_review', 'medication_review', 'phone_triage']
>>> lib.patient("spinal_ms_adult").to_patient().population
'adult'
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pint
import yaml

from itbcore._files import read_regular
from itbcore.errors import FileProblem, ITBError
from itbcore.i18n import gettext as core_gettext
from itbcore.patient import CONDITIONS, MEDICINES, ORIGINS, Patient
from itbcore.units import _example, _parse_text, as_quantity

from .i18n import N_, _, message

_log = logging.getLogger("itb.cases")

__all__ = [
    "CaseFileError",
    "PatientCase",
    "Situation",
    "CaseLibrary",
    "SITUATION_KINDS",
    "CASES_DIR",
    "origin_text",
    "load_library",
    "load_patient_file",
    "load_situation_file",
]

#: Where the library lives.
CASES_DIR = Path(__file__).with_name("cases")

#: How each origin of spasticity is named to the trainee (translated where it is shown: :func:`origin_text`).
_ORIGIN_TEXT = {"spinal": N_("spinal"), "cerebral": N_("cerebral")}


def origin_text(origin: str) -> str:
    """The origin of spasticity (``"spinal"``, ``"cerebral"``) as the trainee reads it, in the locale in force."""
    return _(_ORIGIN_TEXT[origin]) if origin in _ORIGIN_TEXT else origin


#: The kinds of situation an exercise can be set in.
SITUATION_KINDS = (
    "screening_day",
    "titration_day",
    "refill_visit",
    "emergency_call",
    "medication_review",
    "maintenance_review",
    "solution_inspection",
    "phone_triage",
)


class CaseFileError(FileProblem):
    """A case file is malformed: ``.file``, ``.field`` and ``.problem`` say where and what."""

    def __init__(self, file: str | Path, fieldname: str, problem: str) -> None:
        self.file = str(file)
        self.field = fieldname
        self.problem = problem
        super().__init__(f"{self.file}: field '{fieldname}': {problem}")


@dataclass(frozen=True)
class PatientCase:
    """A fictional patient of the library (all fields validated on load)."""

    id: str
    name: str
    age_years: float
    origin: Literal["spinal", "cerebral"]
    weight: pint.Quantity
    diagnosis: str
    medicines: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    history: str = ""
    file: str = ""

    @property
    def population(self) -> str:
        return "adult" if self.age_years >= 18 else "pediatric"

    def to_patient(self) -> Patient:
        """The :class:`itbcore.Patient` the rules are applied to."""
        return Patient(
            self.age_years,
            self.origin,
            weight=self.weight,
            medicines=frozenset(self.medicines),
            conditions=frozenset(self.conditions),
        )

    def describe(self) -> str:
        """One line a trainee reads (the name, diagnosis and history are the case file's own text)."""
        meds = ", ".join(core_gettext(MEDICINES[m]) for m in self.medicines) or _("none relevant")
        return message(
            "{name}, {age} years, {weight} kg; spasticity of {origin} origin ({diagnosis}). Medicines: {medicines}.",
            name=_(self.name),
            age=float(self.age_years),
            weight=float(self.weight.magnitude),
            origin=origin_text(self.origin),
            diagnosis=_(self.diagnosis),
            medicines=meds,
        )


@dataclass(frozen=True)
class Situation:
    """A setting an exercise happens in, with the choices a variant may draw from."""

    id: str
    kind: str
    title: str
    setting: str
    day: int | None = None
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    file: str = ""


def _require(data: dict, key: str, file: Path, kind: type | tuple[type, ...], what: str) -> Any:
    if key not in data:
        raise CaseFileError(file, key, f"is missing; it must be {what}.")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise CaseFileError(file, key, f"must be {what}, not {value!r}.")
    return value


def _text(data: dict, key: str, file: Path, *, required: bool = True) -> str:
    if not required and key not in data:
        return ""
    value = _require(data, key, file, str, "text")
    if not value.strip():
        raise CaseFileError(file, key, "is empty; it must be text.")
    return value.strip()


def _codes(data: dict, key: str, file: Path, known: dict[str, str]) -> tuple[str, ...]:
    value = data.get(key, []) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CaseFileError(file, key, f"must be a list of codes, not {value!r}.")
    for i, code in enumerate(value):
        if code not in known:
            raise CaseFileError(file, f"{key}[{i}]", f"unknown code {code!r}; known codes: {', '.join(known)}.")
    return tuple(value)


#: The largest case file read (the library's are under 2 KB).
MAX_CASE_BYTES = 64 * 1024
#: The most aliases (``*name``) a case file may use: none of the library's needs one, and a few cannot
#: expand into the billion laughs (nine aliases nine deep are 9**9 strings once anything walks them).
MAX_ALIASES = 16


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses more than :data:`MAX_ALIASES` aliases in one file."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases = getattr(self, "_aliases", 0) + 1
            if self._aliases > MAX_ALIASES:
                raise _TooManyAliases(self.peek_event().start_mark)
        return super().compose_node(parent, index)


class _TooManyAliases(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


def _read_yaml(file: Path) -> dict:
    try:
        text = read_regular(file, MAX_CASE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise CaseFileError(file, "(whole file)", "does not exist.") from None
    except UnicodeDecodeError:
        raise CaseFileError(file, "(whole file)", "is not UTF-8 text.") from None
    except ValueError as exc:  # a FIFO, a device, or larger than MAX_CASE_BYTES
        raise CaseFileError(file, "(whole file)", str(exc)) from None
    except OSError as exc:
        raise CaseFileError(file, "(whole file)", f"cannot be read ({exc.__class__.__name__}).") from None
    loader = _BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except _TooManyAliases as exc:
        raise CaseFileError(
            file,
            f"line {exc.mark.line + 1}",
            f"uses more than {MAX_ALIASES} YAML aliases (*name); write the values out.",
        ) from None
    except RecursionError:
        raise CaseFileError(file, "(whole file)", "is nested too deeply.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(whole file)"
        raise CaseFileError(file, where, f"is not valid YAML ({getattr(exc, 'problem', exc)}).") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise CaseFileError(file, "(top level)", "must be a mapping of field: value.")
    return data


_PATIENT_FIELDS = {"id", "name", "age_years", "origin", "weight", "diagnosis", "medicines", "conditions", "history"}
_SITUATION_FIELDS = {"id", "kind", "title", "setting", "day", "choices"}


def _unknown_fields(data: dict, allowed: set[str], file: Path) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise CaseFileError(file, extra[0], f"is not a known field; known fields: {', '.join(sorted(allowed))}.")


def _check_id(data: dict, file: Path) -> str:
    ident = _text(data, "id", file)
    if ident != file.stem:
        raise CaseFileError(file, "id", f"{ident!r} must equal the file name without '.yaml' ({file.stem!r}).")
    return ident


def load_patient_file(file: str | Path) -> PatientCase:
    """Read and validate one patient file."""
    file = Path(file)
    data = _read_yaml(file)
    _unknown_fields(data, _PATIENT_FIELDS, file)
    ident = _check_id(data, file)
    age = _require(data, "age_years", file, (int, float), "a number of years")
    if not 0 <= age <= 120:
        raise CaseFileError(file, "age_years", f"{age} is not a possible age (0 to 120 years).")
    origin_text = _text(data, "origin", file)
    if origin_text not in ORIGINS:
        raise CaseFileError(file, "origin", f"{origin_text!r} is not known; use 'spinal' or 'cerebral'.")
    origin = cast(Literal["spinal", "cerebral"], origin_text)  # one of ORIGINS, checked above
    weight_text = _require(data, "weight", file, str, "a weight with its unit, e.g. '70 kg'")
    try:
        weight = as_quantity(weight_text, "kg", "weight")
    except ITBError as exc:
        raise CaseFileError(file, "weight", str(exc)) from None
    if not 2 <= weight.magnitude <= 250:
        raise CaseFileError(file, "weight", f"{weight_text!r} is not a plausible body weight (2 to 250 kg).")
    case = PatientCase(
        id=ident,
        name=_text(data, "name", file),
        age_years=float(age),
        origin=origin,
        weight=weight,
        diagnosis=_text(data, "diagnosis", file),
        medicines=_codes(data, "medicines", file, MEDICINES),
        conditions=_codes(data, "conditions", file, CONDITIONS),
        history=_text(data, "history", file, required=False),
        file=str(file),
    )
    try:
        case.to_patient()
    except ITBError as exc:
        raise CaseFileError(file, "(patient)", str(exc)) from None
    return case


def load_situation_file(file: str | Path) -> Situation:
    """Read and validate one situation file."""
    file = Path(file)
    data = _read_yaml(file)
    _unknown_fields(data, _SITUATION_FIELDS, file)
    ident = _check_id(data, file)
    kind = _text(data, "kind", file)
    if kind not in SITUATION_KINDS:
        raise CaseFileError(file, "kind", f"{kind!r} is not known; use one of {', '.join(SITUATION_KINDS)}.")
    day = None
    if kind == "titration_day":
        day = _require(data, "day", file, int, "the day number of titration (1 or more)")
        if day < 1:
            raise CaseFileError(file, "day", f"{day} must be 1 or more.")
    elif "day" in data:
        raise CaseFileError(file, "day", "is only used by situations of kind 'titration_day'.")
    raw = data.get("choices", {}) or {}
    if not isinstance(raw, dict):
        raise CaseFileError(file, "choices", "must be a mapping of name: list of values.")
    choices: dict[str, tuple[str, ...]] = {}
    for name, values in raw.items():
        if not isinstance(values, list) or not values:
            raise CaseFileError(file, f"choices.{name}", "must be a non-empty list of values.")
        for i, v in enumerate(values):
            # every choice is a quantity with its unit: a bare 20 could be mL, µL or µg/day
            if not isinstance(v, str):
                raise CaseFileError(
                    file,
                    f"choices.{name}[{i}]",
                    f"must be a value with its unit such as {_example('mL')!r}, not {v!r}.",
                )
            try:
                read = _parse_text(v, f"choices.{name}")
            except ITBError as exc:
                raise CaseFileError(file, f"choices.{name}[{i}]", str(exc)) from None
            if not hasattr(read, "units"):
                raise CaseFileError(
                    file,
                    f"choices.{name}[{i}]",
                    f"{v!r} has no unit; write it with its unit, such as {_example('mL')!r}.",
                )
        choices[str(name)] = tuple(values)
    return Situation(
        id=ident,
        kind=kind,
        title=_text(data, "title", file),
        setting=_text(data, "setting", file),
        day=day,
        choices=choices,
        file=str(file),
    )


@dataclass(frozen=True)
class CaseLibrary:
    """All patients and situations, by id."""

    patients: dict[str, PatientCase] = field(hash=False)
    situations: dict[str, Situation] = field(hash=False)
    #: Case files skipped because they failed validation (file, field, why), for the educator.
    problems: tuple[str, ...] = ()

    def patient(self, ident: str) -> PatientCase:
        return self.patients[ident]

    def situation(self, ident: str) -> Situation:
        return self.situations[ident]

    def situation_kinds(self) -> set[str]:
        return {s.kind for s in self.situations.values()}

    def find_patients(
        self, *, population: str | None = None, origin: str | None = None, eligible: bool = True
    ) -> list[PatientCase]:
        """Patients matching the filters, sorted by id so a seed always picks the same one."""
        out = []
        for p in sorted(self.patients.values(), key=lambda c: c.id):
            if population and p.population != population:
                continue
            if origin and p.origin != origin:
                continue
            if eligible:
                try:
                    p.to_patient().require_eligible()
                except ITBError:
                    continue
            out.append(p)
        return out

    def find_situations(self, kind: str) -> list[Situation]:
        return sorted((s for s in self.situations.values() if s.kind == kind), key=lambda s: s.id)


def _load_all(files: list[Path], load: Any, strict: bool, problems: list[str]) -> list:
    out = []
    for f in files:
        try:
            out.append(load(f))
        except CaseFileError as exc:
            if strict:
                raise
            problems.append(str(exc))
            _log.warning("case file skipped: %s", exc)
    return out


def load_library(directory: str | Path | None = None, *, strict: bool = False) -> CaseLibrary:
    """Load and validate every case file under ``directory`` (default: the packaged library).

    A file that fails validation is skipped — the other exercises go on for every trainee — and
    named in :attr:`CaseLibrary.problems` and the server's log; ``strict=True`` (the tests,
    ``python -m exercises.cases``) raises :class:`CaseFileError` for it instead.
    """
    root = Path(directory) if directory is not None else CASES_DIR
    problems: list[str] = []
    patients = {
        c.id: c for c in _load_all(sorted((root / "patients").glob("*.yaml")), load_patient_file, strict, problems)
    }
    situations = {
        s.id: s for s in _load_all(sorted((root / "situations").glob("*.yaml")), load_situation_file, strict, problems)
    }
    if not patients:
        raise CaseFileError(root / "patients", "(directory)", "holds no patient files.")
    if not situations:
        raise CaseFileError(root / "situations", "(directory)", "holds no situation files.")
    return CaseLibrary(patients, situations, tuple(problems))


def main(argv: list[str] | None = None) -> int:
    """``python -m exercises.cases [DIR]``: check every case file; exit 1 naming each one that fails."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    lib = load_library(args[0] if args else None)
    for p in lib.problems:
        print(p)
    print(f"{len(lib.patients)} patients, {len(lib.situations)} situations; {len(lib.problems)} file(s) skipped.")
    return 1 if lib.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
