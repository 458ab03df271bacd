"""Answer parts and their checks: quantities in any equivalent unit, choices and orderings.

For training only, not for treating patients.

A quantity answer is read with :func:`itbcore.units.as_quantity`, so ``"0.5 mL"``,
``"500 µL"`` and ``"500 uL"`` are the same answer; a bare number is refused with
the unit hint.  A wrong answer is compared with the slips clinicians make (the
exercise's own first, then mg/µg ×1000 and doubled/halved) and the feedback
names the slip, the rule and its source.

>>> from itbcore.units import Q_
>>> part = QuantityPart("volume", "Volume to draw up?", Q_(0.5, "mL"), unit="mL",
...                     rule="50 µg/mL solution: volume = dose / 50 µg/mL", source="lionova 4.2")
>>> part.check("500 µL").status
'correct'
>>> part.check(0.5).status
'invalid'
>>> part.check("500 mL").slip
'unit_x1000'

A quantity part may name the drug-library limit its answer is a value of (``limit="daily_dose"``): the
answer is then read by :func:`itbcore.library.read`, the core's one reader and judge of a typed value.  An
answer past the limit's hard range is wrong, with the library's message; one past the soft range is checked
here with the library's note, and the practice and assessment apps hold it until the trainee confirms it
with a reason (:meth:`QuantityPart.soft_warning`, ``override_reason=``), as a smart pump does.  An answer
of zero ("none") is left to the rule.

>>> dose = QuantityPart("daily_dose", "Daily dose?", "400 ug/day", unit="ug/day", limit="daily_dose")
>>> dose.check("400 mg/day").status, dose.soft_warning("2500 ug/day")[-28:]
('wrong', 'confirm it is what is meant.')
>>> dose.check("2500 ug/day", override_reason="Teaching scenario: the error is the lesson").override_reason
'Teaching scenario: the error is the lesson'
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pint

from itbcore import library
from itbcore.errors import DoseLimitError, InputError, ITBError, UnitError
from itbcore.library import read_date
from itbcore.sources import DEFAULT_LABEL
from itbcore.testing import quantity_close
from itbcore.units import as_quantity, display_unit, fmt, magnitude_in

from .i18n import N_, _, message

__all__ = [
    "Slip",
    "CheckResult",
    "Part",
    "QuantityPart",
    "ChoicePart",
    "OrderPart",
    "DatePart",
    "CONFIRMED",
    "HARD_LIMIT_SLIP",
]


@dataclass(frozen=True)
class Slip:
    """A typical wrong answer: what value it gives and what to say about it."""

    code: str
    value: Any
    message: str
    source: str = ""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one answer: ``status`` is correct, wrong, invalid or missing."""

    exercise: str
    part: str
    status: str
    message: str
    rule: str = ""
    source: str = ""
    slip: str | None = None
    answer_text: str = ""
    #: Why the trainee confirmed an answer past the drug library's soft limit (what is saved with the attempt).
    override_reason: str | None = None
    #: The library's soft-limit message for an answer past it that was checked without a confirmation.
    warning: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def text(self) -> str:
        out: str = message("{status}: {message}", status=_(_STATUS[self.status]), message=self.message)
        if self.rule and self.status in ("correct", "wrong"):
            out += "\n" + message("Rule: {rule} (source: {source})", rule=self.rule, source=self.source)
        for line in self._limit_lines():
            out += f"\n{line}"
        return out

    def _limit_lines(self) -> list[str]:
        if self.override_reason:
            return [message("{confirmed}: {reason}", confirmed=_(CONFIRMED), reason=self.override_reason)]
        if self.warning:
            return [message("Soft limit: {warning}", warning=self.warning)]
        return []

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def html(self, cite: Callable[[str], str] | None = None) -> str:
        """The feedback as HTML; ``cite`` turns the source into links (the apps link it to its section).

        The colour comes from the suite's stylesheet (``.itb-check-<status>`` in widgets/static/itb.css, one
        palette); the bar itself is drawn inline so a notebook without the stylesheet (JupyterLab) still shows
        it, in the text's colour. The status word is always written too: colour is never the only cue.
        """
        out: str = message(
            "{status}: {message}", status=html.escape(_(_STATUS[self.status])), message=html.escape(self.message)
        )
        if self.rule and self.status in ("correct", "wrong"):
            source = cite(self.source) if cite else html.escape(self.source)
            out += "<br>" + message("Rule: {rule} (source: {source})", rule=html.escape(self.rule), source=source)
        for line in self._limit_lines():
            out += f"<br>{html.escape(line)}"
        bar = "border-left:4px solid;padding:4px 8px"
        return f'<div class="itb-check itb-check-{self.status}" style="{bar}">{out}</div>'

    def _repr_html_(self) -> str:
        return self.html()


#: How a result says that its answer was confirmed past the soft limit (followed by the reason).
CONFIRMED = N_("Confirmed past the soft limit")
#: How a result names its status (translated where it is shown).
_STATUS = {
    "correct": N_("✔ Correct"),
    "wrong": N_("✘ Not yet"),
    "invalid": N_("⚠ Cannot check"),
    "missing": N_("… No answer yet"),
}
#: The slip code of an answer past the hard range of its drug-library limit (that matches no other slip).
HARD_LIMIT_SLIP = "past_hard_limit"


def _missing(answer: Any) -> bool:
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


@dataclass(frozen=True)
class Part:
    """One question of an exercise. Subclasses implement :meth:`_check`."""

    id: str
    prompt: str
    expected: Any
    rule: str = ""
    source: str = ""
    hints: tuple[str, ...] = ()

    kind = "part"

    def check(
        self, answer: Any, exercise: str = "", *, label: str = DEFAULT_LABEL, override_reason: str | None = None
    ) -> CheckResult:
        """Check ``answer``; never raises for bad input (the result says what was wrong).

        ``label`` is the label profile the drug library judges a quantity under; ``override_reason`` is why
        an answer past the library's soft limit was confirmed (:func:`itbcore.library.override_reason`), kept
        in the result when the answer is past it.
        """
        if _missing(answer):
            return CheckResult(
                exercise, self.id, "missing", message("replace ... with your answer, {hint}.", hint=self.answer_hint())
            )
        try:
            return self._check_under(answer, exercise, label, override_reason)
        except ITBError as exc:
            return CheckResult(
                exercise,
                self.id,
                "invalid",
                message("{problem} Answer {hint}.", problem=str(exc), hint=self.answer_hint()),
                answer_text=_text_of(answer),
            )

    def answer_hint(self) -> str:
        return _("as asked")

    def expected_text(self) -> str:
        return str(self.expected)

    def _result(
        self, exercise: str, ok: bool, message: str, answer: Any, slip: str | None = None, source: str | None = None
    ) -> CheckResult:
        return CheckResult(
            exercise,
            self.id,
            "correct" if ok else "wrong",
            message,
            self.rule,
            source or self.source,
            slip,
            _text_of(answer),
        )

    def _check(self, answer: Any, exercise: str) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_under(self, answer: Any, exercise: str, label: str, override_reason: str | None) -> CheckResult:
        """:meth:`_check` with the label profile and the override reason (used by parts with a library limit)."""
        return self._check(answer, exercise)

    def soft_warning(self, answer: Any, label: str = DEFAULT_LABEL) -> str:
        """The drug library's soft-limit message for ``answer``, or ``""`` (only quantity parts have limits)."""
        return ""


def _text_of(answer: Any) -> str:
    if isinstance(answer, pint.Quantity):
        try:
            return fmt(answer)
        except Exception:  # noqa: BLE001 - any answer is echoed as typed
            return str(answer)
    if isinstance(answer, (list, tuple)):
        return ", ".join(map(str, answer))
    return str(answer)


@dataclass(frozen=True)
class QuantityPart(Part):
    """A numeric answer with a unit, accepted in any equivalent unit within the tolerance.

    ``rtol`` is relative (0.02 = 2 %); ``atol`` an absolute tolerance in ``unit``'s
    dimension (``"0.5 day"``).  The tolerance is stated to the trainee.
    """

    unit: str = ""
    rtol: float = 0.01
    atol: str | None = None
    slips: tuple[Slip, ...] = ()
    generic_slips: bool = True
    #: The drug-library limit the answer is a value of (``"daily_dose"``), or ``None``: the answer is then read
    #: and judged by :func:`itbcore.library.read` (wrong past the hard range, held past the soft range).
    limit: str | None = None

    kind = "quantity"

    def __post_init__(self) -> None:
        object.__setattr__(self, "expected", as_quantity(self.expected, self.unit, "expected answer"))
        if self.limit is not None:
            lim = library.limit(self.limit)  # an unknown key is refused here, naming the keys there are
            if lim.unit:  # the answer must be a value of the limit's kind (a volume for a volume limit)
                magnitude_in(f"1 {lim.unit}", self.unit, f"the unit of the limit {self.limit!r}")

    def tolerance_text(self) -> str:
        if self.atol is not None:
            return message("± {tolerance}", tolerance=fmt(as_quantity(self.atol, self.unit)))
        return message("± {percent} %", percent=self.rtol * 100)

    def answer_hint(self) -> str:
        return message(
            "with its unit, for example '{example} {unit}' (any equivalent unit is accepted; tolerance {tolerance})",
            example=12.5,
            unit=display_unit(self.unit),
            tolerance=self.tolerance_text(),
        )

    def expected_text(self) -> str:
        return fmt(self.expected)

    def _close(self, q: pint.Quantity, target: Any) -> bool:
        return quantity_close(q, target, rtol=self.rtol, atol=self.atol)

    def _refuse_bare(self, answer: Any) -> None:
        if isinstance(answer, (int, float)) and not isinstance(answer, bool) or _bare_number_text(answer):
            raise UnitError(
                message(
                    "The answer {answer} is a bare number; a dose or volume without its unit is how "
                    "mg/µg errors reach patients, so give the unit ({unit} or any equivalent).",
                    answer=repr(answer),
                    unit=display_unit(self.unit),
                )
            )

    def _read(self, answer: Any) -> pint.Quantity:
        self._refuse_bare(answer)
        return as_quantity(answer, self.unit, "answer")

    def _reading(self, limit: str, answer: Any, label: str) -> library.Reading | None:
        """The drug library's reading of ``answer`` as a value of ``limit`` (:attr:`limit`); ``None``: an answer
        of zero, left to the rule.

        Zero is how a part says "none" ("answer 0 µg if no further test bolus is given"); the library leaves a
        stop to the rules the same way, so a limit that excludes zero does not refuse it here.
        """
        self._refuse_bare(answer)
        try:
            return library.read(limit, answer, unit=self.unit, label=label)
        except DoseLimitError as exc:
            if exc.value == 0:
                return None
            raise

    def soft_warning(self, answer: Any, label: str = DEFAULT_LABEL) -> str:
        """The drug library's soft-limit message when ``answer`` lies past the soft range of :attr:`limit`.

        ``""`` within the soft range, without a limit, and for an answer the check refuses or finds past the
        hard range (the check says so).  The apps hold an answer with a message until it is confirmed.
        """
        if self.limit is None or _missing(answer):
            return ""
        try:
            reading = self._reading(self.limit, answer, label)
        except ITBError:
            return ""
        return "" if reading is None else " ".join(w.message for w in reading.warnings)

    def _check(self, answer: Any, exercise: str) -> CheckResult:
        return self._judge(self._read(answer), answer, exercise)

    def _check_under(self, answer: Any, exercise: str, label: str, override_reason: str | None) -> CheckResult:
        if self.limit is None:
            return self._check(answer, exercise)
        try:
            reading = self._reading(self.limit, answer, label)
        except DoseLimitError as exc:
            # past the hard range: a wrong answer whatever else it is, with the library's message (and the
            # slip it matches, if any: a ×1000 slip usually lands past the hard limit)
            slip = self._slip_for(self._read(answer))
            text = str(exc) + (f" {slip.message}" if slip else "")
            return self._result(
                exercise,
                False,
                text,
                answer,
                slip.code if slip else HARD_LIMIT_SLIP,
                (slip.source or None) if slip else None,
            )
        if reading is None:
            return self._check(answer, exercise)
        result = self._judge(reading.quantity, answer, exercise)
        warning = " ".join(w.message for w in reading.warnings)
        if not warning:
            return result
        if override_reason:
            return replace(result, override_reason=override_reason)
        return replace(result, warning=warning)

    def _judge(self, q: pint.Quantity, answer: Any, exercise: str) -> CheckResult:
        if self._close(q, self.expected):
            # the answer as read, formatted (never the typed text back: "1e3 mL", "4.28571 weeks")
            msg = message("{answer} is right, within {tolerance}.", answer=fmt(q), tolerance=self.tolerance_text())
            return self._result(exercise, True, msg, answer)
        slip = self._slip_for(q)
        if slip is not None:
            return self._result(exercise, False, slip.message, answer, slip.code, slip.source or None)
        msg = message(
            "{answer} is not within {tolerance} of the answer, and it does not match a "
            "common slip. Work through the rule again or ask for a hint.",
            answer=fmt(q),
            tolerance=self.tolerance_text(),
        )
        return self._result(exercise, False, msg, answer)

    def _slip_for(self, q: pint.Quantity) -> Slip | None:
        return next((slip for slip in self._all_slips() if self._close(q, slip.value)), None)

    def _all_slips(self) -> list[Slip]:
        out = []
        for slip in self.slips:
            value = as_quantity(slip.value, self.unit, "slip value")
            if not self._close(value, self.expected):
                out.append(Slip(slip.code, value, slip.message, slip.source))
        if self.generic_slips:
            e = self.expected
            out += [
                Slip(
                    "unit_x1000",
                    e * 1000,
                    _(
                        "Your answer is 1000 times too large: a mg/µg (or mL/µL) slip. "
                        "1 mg = 1000 µg; check which unit each number is in before you divide."
                    ),
                ),
                Slip(
                    "unit_div1000",
                    e / 1000,
                    _(
                        "Your answer is 1000 times too small: a mg/µg (or mL/µL) slip. "
                        "1 mg = 1000 µg; check which unit each number is in before you divide."
                    ),
                ),
                Slip(
                    "doubled",
                    e * 2,
                    _(
                        "Your answer is twice the right value: check whether the rule doubles "
                        "here at all, and that you did not count something twice."
                    ),
                ),
                Slip(
                    "halved",
                    e / 2,
                    _(
                        "Your answer is half the right value: check whether a factor of 2 was "
                        "dropped, or whether the rule doubles here."
                    ),
                ),
            ]
        return [s for s in out if not self._close(s.value, self.expected)]


def _bare_number_text(answer: Any) -> bool:
    if not isinstance(answer, str):
        return False
    try:
        float(answer.strip().replace(",", "."))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ChoicePart(Part):
    """Choose one option. ``options`` maps a key ("a") to its text; ``slips`` maps a wrong key to feedback."""

    options: dict[str, str] = field(default_factory=dict, hash=False)
    slips: dict[str, Slip] = field(default_factory=dict, hash=False)

    kind = "choice"

    def answer_hint(self) -> str:
        return message("as the letter of one option ({letters})", letters=", ".join(f"'{k}'" for k in self.options))

    def expected_text(self) -> str:
        return f"{self.expected}) {self.options[self.expected]}"

    def _key(self, answer: Any) -> str:
        text = str(answer).strip()
        low = text.lower().rstrip(")")
        if low in self.options:
            return low
        for key, option in self.options.items():
            if text.lower() == option.lower():
                return key
        raise InputError(message("{answer} is not one of the options.", answer=repr(text)))

    def _check(self, answer: Any, exercise: str) -> CheckResult:
        key = self._key(answer)
        if key == self.expected:
            return self._result(exercise, True, f"{key}) {self.options[key]}.", answer)
        slip = self.slips.get(key)
        if slip is not None:
            return self._result(exercise, False, slip.message, answer, slip.code, slip.source or None)
        return self._result(exercise, False, message("{key}) is not what the rule says.", key=key), answer)


@dataclass(frozen=True)
class OrderPart(Part):
    """Put items in order. ``items`` maps a key to its text; ``expected`` is the keys in the right order."""

    items: dict[str, str] = field(default_factory=dict, hash=False)
    item_sources: dict[str, str] = field(default_factory=dict, hash=False)

    kind = "order"

    def answer_hint(self) -> str:
        return message("as the letters in order, e.g. '{letters}'", letters=", ".join(sorted(self.items)))

    def expected_text(self) -> str:
        return " → ".join(f"{k}) {self.items[k]}" for k in self.expected)

    def _keys(self, answer: Any) -> list[str]:
        if isinstance(answer, str):
            parts = [p for p in answer.replace(">", ",").replace(";", ",").replace(" ", ",").split(",") if p]
        elif isinstance(answer, Sequence):
            parts = [str(p) for p in answer]
        else:
            raise InputError(message("{answer} is not an ordering.", answer=repr(answer)))
        keys = [p.strip().lower().rstrip(")") for p in parts]
        unknown = [k for k in keys if k not in self.items]
        if unknown:
            raise InputError(message("{item} is not one of the items.", item=repr(unknown[0])))
        if sorted(keys) != sorted(self.items):
            raise InputError(message("Give each of the {count} items exactly once.", count=len(self.items)))
        return keys

    def _check(self, answer: Any, exercise: str) -> CheckResult:
        keys = self._keys(answer)
        if keys == list(self.expected):
            return self._result(exercise, True, _("the order is right."), answer)
        pos = next(i for i, (a, b) in enumerate(zip(keys, self.expected, strict=False)) if a != b)
        want = self.expected[pos]
        if set(keys[: pos + 1]) == set(self.expected[: pos + 1]):
            msg = message("steps {step} and after are out of order.", step=pos + 1)
        else:
            msg = message(
                "step {step} should be '{right}' ({source}), not '{given}'.",
                step=pos + 1,
                right=self.items[want],
                source=self.item_sources.get(want, self.source),
                given=self.items[keys[pos]],
            )
        return self._result(exercise, False, msg, answer, slip="order")


@dataclass(frozen=True)
class DatePart(Part):
    """A calendar date, answered as ``datetime.date`` or ``"YYYY-MM-DD"``; ``slips`` maps a wrong date to feedback."""

    slips: tuple[Slip, ...] = ()

    kind = "date"

    def answer_hint(self) -> str:
        return _("as a date 'YYYY-MM-DD'")

    def expected_text(self) -> str:
        return self.expected.isoformat()

    def _read(self, answer: Any) -> _dt.date:
        try:
            day = read_date(answer if isinstance(answer, (str, _dt.date)) else str(answer), "answer")
        except ITBError as exc:
            raise InputError(str(exc)) from None
        if day is None:
            raise InputError(_("The answer is empty; write a date as YYYY-MM-DD."))
        return day

    def _check(self, answer: Any, exercise: str) -> CheckResult:
        day = self._read(answer)
        if day == self.expected:
            return self._result(exercise, True, message("{day} is right.", day=day), answer)
        for slip in self.slips:
            if slip.value == day and slip.value != self.expected:
                return self._result(exercise, False, slip.message, answer, slip.code, slip.source or None)
        return self._result(
            exercise,
            False,
            message(
                "{day} is not the date the rule gives; count whole days from the fill date, or ask for a hint.",
                day=day,
            ),
            answer,
        )
