"""Label profiles, citations and the places where the labels disagree.

Every rule in the suite cites a label key and section, e.g. ``"lionova 4.2"``.
The three product texts live in ``shared/seeds`` (see :data:`LABELS`).  Practice
guidance that goes beyond the labels is cited with :data:`PRACTICE` and is never
mixed silently with a label rule.

>>> cite("lionova", "4.2")
'lionova 4.2'
>>> check_label("lioresal")
'lioresal'
>>> check_label("lioresol")
Traceback (most recent call last):
...
itbcore.errors.LabelError: Unknown label profile 'lioresol'; choose one of: lionova, lioresal, baclorex.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

from .errors import FileProblem, InputError, LabelError
from .i18n import N_, gettext, message

__all__ = [
    "LabelProfile",
    "LABELS",
    "DEFAULT_LABEL",
    "RULE_LABELS",
    "PRACTICE",
    "cite",
    "practice",
    "Severity",
    "SeverityName",
    "most_severe_first",
    "check_label",
    "check_rule_label",
    "Finding",
    "Action",
    "LabelDifference",
    "LABEL_DIFFERENCES",
    "LABEL_MAP",
    "cited_sections",
    "section",
    "differences",
]


@dataclass(frozen=True)
class LabelProfile:
    """One of the three product texts the suite is built from."""

    key: str
    product: str
    document: str
    country: str
    year: int
    language: str
    seed_file: str


LABELS: dict[str, LabelProfile] = {
    "lionova": LabelProfile(
        "lionova",
        "Lionova 50 µg/mL, 0.5 mg/mL, 2 mg/mL",
        N_("Summary of product characteristics (SmPC), sections 4.1–6.6"),
        N_("Norway"),
        2021,
        N_("Norwegian"),
        "000_2fd8641a6ccf2b8c.txt",
    ),
    "lioresal": LabelProfile(
        "lioresal",
        "Lioresal Intrathecal",
        N_("Instructions for medical use (Novartis, Russian registration)"),
        N_("Russia"),
        2014,
        N_("English translation"),
        "001_44a8ff065085413d.txt",
    ),
    "baclorex": LabelProfile(
        "baclorex",
        "Baclorex 0.05 mg/mL",
        N_("Patient leaflet"),
        N_("Turkey"),
        2021,
        N_("Turkish"),
        "002_605159c14b4e1c9e.txt",
    ),
}

#: The default label profile: the most complete text.
DEFAULT_LABEL = "lionova"
#: Profiles a user may choose where dosing rules differ (baclorex is a leaflet for the 50 µg/mL strength only).
RULE_LABELS = ("lionova", "lioresal")

#: Prefix of every citation of practice guidance beyond the labels.
PRACTICE = "practice guidance"


def check_label(label: str) -> str:
    """Return ``label`` if it names a known profile, else raise :class:`LabelError`."""
    if not isinstance(label, str) or label not in LABELS:
        raise LabelError(f"Unknown label profile {label!r}; choose one of: {', '.join(LABELS)}.")
    return label


def check_rule_label(label: str) -> str:
    """Return ``label`` if it carries dosing rules (lionova, lioresal), else raise :class:`LabelError`.

    >>> check_rule_label("baclorex")
    Traceback (most recent call last):
    ...
    itbcore.errors.LabelError: The baclorex text is a patient leaflet without screening, dosing or pump rules; choose
    one of: lionova, lioresal.
    """
    check_label(label)
    if label not in RULE_LABELS:
        raise LabelError(
            message(
                "The {label} text is a patient leaflet without screening, dosing or pump rules; choose one of: "
                "{labels}.",
                label=label,
                labels=", ".join(RULE_LABELS),
            )
        )
    return label


def cite(label: str, section: str) -> str:
    """A citation string ``"<label> <section>"`` for a known label key."""
    return f"{check_label(label)} {section}"


def practice(reference: str) -> str:
    """A citation of practice guidance beyond the labels.

    >>> practice("Neuromodulation 2016, Saulino et al.")
    'practice guidance: Neuromodulation 2016, Saulino et al.'
    """
    return f"{PRACTICE}: {reference}"


#: A finding's severity as it is written and stored (``Finding.severity``).
SeverityName = Literal["info", "warning", "violation"]


class Severity(StrEnum):
    """How much a finding matters, in order: ``Severity("info") < Severity("warning") < Severity("violation")``.

    A ``str`` enum: equal to the word it stands for (``Severity.VIOLATION == "violation"``).
    :func:`most_severe_first` is the one ordering the core and the apps use.

    >>> Severity("warning") > Severity.INFO, max(map(Severity, ["info", "violation", "warning"]))
    (True, 'violation')
    """

    INFO = "info"
    WARNING = "warning"
    VIOLATION = "violation"

    @classmethod
    def _missing_(cls, value: object) -> Severity:
        raise InputError(f"A severity is one of info, warning, violation, not {value!r}.")

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for violation."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __repr__(self) -> str:
        return repr(self.value)


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.VIOLATION: 2}
_SEVERITIES = tuple(s.value for s in Severity)


def most_severe_first(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` with violations first, then warnings, then information; each group in its given order."""
    if isinstance(findings, (str, bytes)) or not isinstance(findings, Iterable):
        raise InputError(f"Give the findings as a list of Finding records, not {findings!r}.")
    items = list(findings)
    for f in items:
        if not isinstance(f, Finding):
            raise InputError(f"Only findings can be ordered by severity, not {f!r}.")
    return sorted(items, key=lambda f: -Severity(f.severity).rank)


@dataclass(frozen=True)
class Finding:
    """Something a rule says about a proposal: ``severity`` is info, warning or violation."""

    code: str
    severity: SeverityName
    message: str
    source: str

    def __post_init__(self) -> None:
        if self.severity not in _SEVERITIES:
            raise InputError(f"A finding's severity must be one of {', '.join(_SEVERITIES)}, not {self.severity!r}.")


@dataclass(frozen=True)
class Action:
    """One step of management, with the section that asks for it."""

    code: str
    text: str
    source: str


@dataclass(frozen=True)
class LabelDifference:
    """A point where the texts (or the labels and practice guidance) say different things.

    The file's English is kept as it is read (``topic_msgid``, ``values_msgid``, ``note_msgid``: messages of
    the catalogues, extracted from :data:`LABEL_DIFFERENCES_FILE` by ``itbcore._extract``); :attr:`topic`,
    :attr:`values` and :attr:`note` give them in the locale in force, translated when they are read.  The
    sources are citations and stay as written.
    """

    code: str
    topic_msgid: str
    values_msgid: dict[str, str] = field(hash=False)
    sources: dict[str, str] = field(hash=False)
    note_msgid: str = ""

    @property
    def topic(self) -> str:
        """What the texts disagree about, in the locale in force."""
        return gettext(self.topic_msgid)

    @property
    def values(self) -> dict[str, str]:
        """What each text says (text key, or :data:`PRACTICE`, to its words), in the locale in force."""
        return {k: gettext(v) for k, v in self.values_msgid.items()}

    @property
    def note(self) -> str:
        """What follows for the suite, in the locale in force ("" when the file gives no note)."""
        return gettext(self.note_msgid) if self.note_msgid else ""


#: The label differences file (data, not code): what each text says and where.
LABEL_DIFFERENCES_FILE = Path(__file__).with_name("label_differences.toml")


def _load_differences(path: Path) -> tuple[LabelDifference, ...]:
    """Read and check :data:`LABEL_DIFFERENCES_FILE`: known text keys, a source for each, unique codes."""

    def bad(where: str, problem: str) -> FileProblem:
        return FileProblem(f"{path.name}: {where}: {problem}")

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FileProblem(f"{path.name} could not be read: {exc}") from None
    texts = {**{k: k for k in LABELS}, "practice": PRACTICE}
    out: list[LabelDifference] = []
    for i, entry in enumerate(raw.get("difference", []), 1):
        code = entry.get("code")
        where = f"difference {i} ({code!r})"
        if not isinstance(code, str) or not code.isidentifier() or any(d.code == code for d in out):
            raise bad(where, "needs a code of its own (letters, digits and _)")
        if not isinstance(entry.get("topic"), str) or not isinstance(entry.get("note", ""), str):
            raise bad(where, "topic and note are text")
        unknown = set(entry) - {"code", "topic", "note", *texts}
        if unknown:
            raise bad(where, f"unknown keys {sorted(unknown)}; the texts are {', '.join(texts)}")
        values, sources = {}, {}
        for key in (k for k in entry if k in texts):  # in the file's order
            name, said = texts[key], entry[key]
            if set(said) != {"text", "source"} or not all(isinstance(v, str) and v for v in said.values()):
                raise bad(f"{where}, {key}", "needs a text and a source, both non-empty")
            if key != "practice" and not said["source"].startswith(key + " "):
                raise bad(f"{where}, {key}", f"the source {said['source']!r} does not cite {key}")
            values[name] = said["text"]
            sources[name] = practice(said["source"]) if key == "practice" else said["source"]
        if len(values) < 2:
            raise bad(where, "a difference needs at least two texts")
        out.append(LabelDifference(code, entry["topic"], values, sources, entry.get("note", "")))
    if not out:
        raise bad("the file", "lists no difference")
    return tuple(out)


LABEL_DIFFERENCES: tuple[LabelDifference, ...] = _load_differences(LABEL_DIFFERENCES_FILE)

#: Every section of the three texts and what teaches it (see :mod:`itbcore.label_map`).
from .label_map import LABEL_MAP, cited_sections, section  # noqa: E402


def differences(code: str | None = None) -> tuple[LabelDifference, ...]:
    """The label differences, or the one with ``code``.

    >>> [d.code for d in differences("under_4")]
    ['under_4']
    """
    if code is None:
        return LABEL_DIFFERENCES
    if not isinstance(code, str):
        raise LabelError(f"A label difference is named by a text code, not {code!r}.")
    found = tuple(d for d in LABEL_DIFFERENCES if d.code == code)
    if not found:
        raise LabelError(f"No recorded label difference {code!r}.")
    return found
