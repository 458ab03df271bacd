"""The citation audit: for every rule, finding, action, table row and label difference, the words of the section
it cites.

For training only, not for treating patients.

Each :class:`Quotation` names a rule (``"Finding:caution_hepatic_impairment"``, ``"AdverseEffect:ataxia"``,
``"LabelDifference:hepatic_impairment"`` — the kind of record and its code, see :func:`rule_id`), one cited
section (``"lionova 4.4"``), the short passage of that section the rule rests on as the label prints it
(Norwegian for lionova, Turkish for baclorex, the English translation for lioresal) and, beside a Norwegian or
Turkish passage, the suite's English rendering.  The quotations are data (``itbcore/quotations/*.toml``, one
file per area of the core), checked when they are read; ``tests/itbcore/test_citation_audit.py`` finds every
passage in the seed text it cites and fails the build when a rule the core can give has a cited section without
a quotation.  A reviewer checks the suite by reading these files beside the labels.

>>> q = quotations("Finding:monitor_until_stable", "lionova 4.4")[0]
>>> q.text[:40], q.english[:40]
('ved endring i konsentrasjonen av baklofe', 'when the concentration of baclofen or th')
>>> from itbcore.sources import Finding
>>> rule_id(Finding("x", "info", "m", "lionova 4.2"))
'Finding:x'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import FileProblem, LabelError
from .label_map import cited_sections

__all__ = ["Quotation", "QUOTATIONS_DIR", "quotations", "rule_id", "quotations_for"]

#: The folder of quotation files shipped with the core.
QUOTATIONS_DIR = Path(__file__).with_name("quotations")
#: A quotation is a short passage: long enough to be found once, short enough to read beside the rule.
MAX_QUOTATION = 600
#: Attributes that name a record, in the order :func:`rule_id` tries them.
_ID_ATTRIBUTES = ("code", "key", "medicine", "effect", "name", "id")


@dataclass(frozen=True)
class Quotation:
    """The words of one cited section that one rule rests on."""

    rule: str
    source: str
    text: str
    english: str
    note: str = ""

    @property
    def label(self) -> str:
        return self.source.split(" ", 1)[0]


def rule_id(record: Any, within: Any = None) -> str:
    """``"<kind>:<code>"`` for a record with a ``.source``: its class name and the first of its ``code``,
    ``key``, ``medicine``, ``effect``, ``name`` or ``id`` that is text; a record without one takes the code of
    the record it sits ``within`` (a drug-library ``Range`` that of its ``Limit``), else its class name alone."""
    kind = type(record).__name__
    for rec in (record, within):
        for attr in _ID_ATTRIBUTES:
            value = getattr(rec, attr, None)
            if isinstance(value, str) and value:
                return f"{kind}:{value}"
    return kind


def _load(path: Path) -> tuple[Quotation, ...]:
    def bad(where: str, problem: str) -> FileProblem:
        return FileProblem(f"{path.name}: {where}: {problem}")

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FileProblem(f"{path.name} could not be read: {exc}") from None
    out = []
    for i, entry in enumerate(raw.get("quote", []), 1):
        rules = entry.get("rules", [entry.get("rule")] if "rule" in entry else [])
        where = f"quote {i} ({rules!r}, {entry.get('source')!r})"
        unknown = set(entry) - {"rule", "rules", "source", "text", "english", "note"}
        if unknown or ("rule" in entry and "rules" in entry):
            raise bad(where, f"unknown keys {sorted(unknown)}" if unknown else "give rule or rules, not both")
        if not all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("source", "text")):
            raise bad(where, "needs a source and a text")
        if not isinstance(rules, list) or not rules or not all(isinstance(r, str) and r for r in rules):
            raise bad(where, "needs a rule (or a list of rules) it supports")
        for rule in rules:
            kind, _, code = rule.partition(":")
            if not kind.isidentifier() or (":" in rule and not code.strip()):
                raise bad(where, f"a rule is named '<Kind>:<code>', e.g. 'Finding:driving', not {rule!r}")
        try:
            sections = cited_sections(entry["source"])
        except LabelError as exc:
            raise bad(where, str(exc)) from None
        if [s.section for s in sections] != [entry["source"]]:
            raise bad(where, "cite exactly one section, as the label map names it")
        english = entry.get("english", "")
        if not isinstance(english, str) or not isinstance(entry.get("note", ""), str):
            raise bad(where, "english and note are text")
        if sections[0].label == "lioresal":
            english = english or entry["text"]
        elif not english.strip():
            raise bad(where, "a Norwegian or Turkish passage needs its English beside it")
        if len(entry["text"]) > MAX_QUOTATION:
            raise bad(where, f"a quotation is a short passage (at most {MAX_QUOTATION} characters)")
        out += [Quotation(rule, entry["source"], entry["text"], english, entry.get("note", "")) for rule in rules]
    return tuple(out)


@cache
def _all() -> tuple[Quotation, ...]:
    found: list[Quotation] = []
    for path in sorted(QUOTATIONS_DIR.glob("*.toml")):
        found += _load(path)
    seen: set[tuple[str, str, str]] = set()
    for q in found:
        if (q.rule, q.source, q.text) in seen:
            raise FileProblem(f"quotations: {q.rule} at {q.source} is quoted twice with the same words")
        seen.add((q.rule, q.source, q.text))
    return tuple(found)


def quotations(rule: str | None = None, source: str | None = None) -> tuple[Quotation, ...]:
    """Every quotation, or those of ``rule`` and/or ``source`` (one cited section)."""
    return tuple(q for q in _all() if (rule is None or q.rule == rule) and (source is None or q.source == source))


def quotations_for(record: Any) -> tuple[Quotation, ...]:
    """The quotations behind a record's ``.source`` (a finding, an action, a table row), one or more per
    section it cites, in the order of its citation; practice guidance has none (it is not a label)."""
    rid = rule_id(record)
    out: list[Quotation] = []
    for s in cited_sections(getattr(record, "source", "") or ""):
        out += quotations(rid, s.section)
    return tuple(out)
