"""The citation audit: every rule the core gives rests on words of the section it cites, and those words are there.

For training only, not for treating patients.

The quotations (:mod:`itbcore.audit`, ``itbcore/quotations/*.toml``) are searched in the seed texts
(``shared/seeds``) with line breaks and repeated spaces folded, within the section they cite: lionova by its
numbered section (``4.2`` up to the next heading), lioresal within its heading (``Carefully:`` up to the next;
its ``Dosing: …`` parts, "Stability of the drug" and "Instructions for use of the infusion system" within
"Dosing and Administration", "Use in specific patient categories" within "Special instructions"), baclorex
within its numbered section of the leaflet (after the contents list).  A passage may skip words with " … ":
each piece must then be found, in order.

:func:`test_every_rule_the_core_gives_has_a_quotation_for_each_section_it_cites` runs the sweep of
``citation_sweep`` (every table of the core and a broad set of calls under both rule profiles) and needs a
quotation for every (rule, cited section) it meets; the sweep itself must reach every finding and action code
the core's code can build.

``docs/CITATIONS.md`` is the same data for a reviewer: every quotation by label and section, with the rules it
supports and the English beside it.  Run this file as a script to write it again after a change::

    python tests/itbcore/test_citation_audit.py --write
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

# Run as a script, the project root is not on the path: put it first, then this folder (the sweep).
sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
import citation_sweep

from itbcore.audit import QUOTATIONS_DIR, Quotation, quotations
from itbcore.label_map import LABEL_MAP
from itbcore.sources import LABELS

ROOT = Path(__file__).resolve().parents[2]
CITATIONS = ROOT / "docs" / "CITATIONS.md"
REGENERATE = "python tests/itbcore/test_citation_audit.py --write"

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside the project")

#: lioresal parts that sit inside a heading of the text.
_LIORESAL_PARENT = {
    "Stability of the drug": "Dosing and Administration",
    "Instructions for use of the infusion system": "Dosing and Administration",
    "Use in specific patient categories": "Special instructions",
}
#: lioresal headings that the label map does not cite but that end a section.
_LIORESAL_OTHER_HEADINGS = (
    "Description",
    "ATX",
    "Form release / dosage",
    "Terms of leave from pharmacies",
    "Registration number",
    "Date of registration",
    "Representation",
    "The owner of the registration certificate",
    "Information update date",
)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _seed(label: str) -> str:
    return (SEEDS / LABELS[label].seed_file).read_text(encoding="utf-8")


@cache
def _regions(label: str) -> dict[str, tuple[int, int]]:
    """Each cited section's (start, end) in the seed text of ``label``."""
    text = _seed(label)
    starts: dict[str, int] = {}
    if label == "lionova":  # the headings in the order of the text, each searched after the one before
        cited = [s.section.split(" ", 1)[1] for s in LABEL_MAP[label]]
        at = 0
        for n in sorted({*cited, "1", "4", "5", "6"}, key=lambda n: tuple(int(x) for x in n.split("."))):
            m = re.compile(rf"^[ \t]*{re.escape(n)}\.?[ \t]+[A-ZÆØÅ]", re.M).search(text, at)
            assert m, f"lionova heading {n} not found"
            starts[n], at = m.start(), m.end()
        bounds = sorted(starts.values())
        keys = set(cited)
    elif label == "lioresal":
        cited = [s.section.split(" ", 1)[1] for s in LABEL_MAP[label]]
        heads = [h for h in cited if not h.startswith("Dosing:") and h not in _LIORESAL_PARENT]
        for h in (*heads, *_LIORESAL_OTHER_HEADINGS):
            m = re.search(rf"^{re.escape(h)}[^\n:]*:", text, re.M)
            assert m, f"lioresal heading {h!r} not found"
            starts[h] = m.start()
        bounds = sorted(starts.values())
        keys = set(heads)
    else:  # baclorex: the numbered sections after the contents list, and the part on dilution
        for n in "12345":
            found = list(re.finditer(rf"^[ \t]*{n}\.[ \t]+\S", text, re.M))
            starts[n] = found[-1].start()
        starts["Seyreltme"] = re.search(r"^Seyreltme\s*$", text, re.M).start()
        bounds = sorted(v for k, v in starts.items() if k != "Seyreltme")
        keys = set(starts)
    out = {}
    for k in keys:
        start = starts[k]
        end = min((b for b in bounds if b > start), default=len(text))
        out[k] = (start, len(text) if k == "Seyreltme" else end)
    return out


def section_text(source: str) -> str:
    """The folded text of one cited section (``"lionova 4.4"``, ``"lioresal Dosing: re-fill"``)."""
    label, _, name = source.partition(" ")
    if label == "lioresal":
        name = "Dosing and Administration" if name.startswith("Dosing:") else _LIORESAL_PARENT.get(name, name)
    start, end = _regions(label)[name]
    return fold(_seed(label)[start:end])


def found(q: Quotation) -> bool:
    where, at = section_text(q.source), 0
    for piece in (p for p in fold(q.text).split(" … ") if p):
        at = where.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


ALL = quotations()


def test_the_quotation_files_are_there_and_not_empty():
    assert sorted(p.name for p in QUOTATIONS_DIR.glob("*.toml")), QUOTATIONS_DIR
    assert len(ALL) >= 100


@needs_seeds
def test_every_section_of_the_map_has_a_region_in_its_seed():
    for entries in LABEL_MAP.values():
        for s in entries:
            assert section_text(s.section), s.section


@needs_seeds
@pytest.mark.parametrize("q", ALL, ids=[f"{q.rule}@{q.source}" for q in ALL])
def test_every_quotation_is_found_in_the_section_it_cites(q):
    assert found(q), f"{q.rule}: {q.text!r} is not in {q.source}"


@pytest.fixture(scope="module")
def pairs() -> dict[tuple[str, str], str]:
    return citation_sweep.cited_pairs()


def test_the_sweep_reaches_every_finding_and_action_the_code_can_build():
    reached: dict[str, set[str]] = {"Finding": set(), "Action": set()}
    for record, _ in citation_sweep.records():
        kind = type(record).__name__
        if kind in reached:
            reached[kind].add(record.code)
    in_code = citation_sweep.finding_codes_in_code()
    missing = {k: sorted(in_code[k] - reached[k]) for k in in_code if in_code[k] - reached[k]}
    assert not missing, f"extend tests/itbcore/citation_sweep.py to reach {missing}"


def test_every_rule_the_core_gives_has_a_quotation_for_each_section_it_cites(pairs):
    have = {(q.rule, q.source) for q in ALL}
    missing = sorted(
        f"{rule} @ {section}   (cited as {src!r})"
        for (rule, section), src in pairs.items()
        if (rule, section) not in have
    )
    assert not missing, f"{len(missing)} of {len(pairs)} cited (rule, section) pairs have no quotation:\n" + "\n".join(
        missing
    )


def test_every_quotation_belongs_to_a_rule_that_cites_its_section(pairs):
    stale = sorted(f"{q.rule} @ {q.source}" for q in ALL if (q.rule, q.source) not in pairs)
    assert not stale, "quotations for a rule or section the core no longer cites:\n" + "\n".join(stale)


# ------------------------------------------------------------------------------------------- the reviewer's table
def _cell(text: str) -> str:
    return fold(text).replace("|", "\\|")


def render() -> str:
    """``docs/CITATIONS.md``: every quotation, by label and section in the label map's order."""
    by_passage: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for q in ALL:
        by_passage[(q.source, q.text, q.english, q.note)].append(q.rule)
    order = {s.section: i for i, s in enumerate(e for entries in LABEL_MAP.values() for e in entries)}
    lines = [
        "# The citation audit: what each rule rests on",
        "",
        "For training only, not for treating patients.",
        "",
        f"Generated from `itbcore/quotations/*.toml` by `{REGENERATE}`; `tests/itbcore/test_citation_audit.py` "
        "finds every passage in the section of the seed text it cites, and fails when a rule the core gives "
        "has a cited section without one, or when this file is out of date.  lionova is quoted in Norwegian "
        "and baclorex in Turkish as their texts print them (extraction artefacts included), each with the "
        "suite's English beside it; lioresal is an English translation.",
        "",
        f"{len(ALL)} quotation records, {len(by_passage)} passages.",
        "",
    ]
    current = None
    for (source, text, english, note), rules in sorted(by_passage.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        if source != current:
            current = source
            lines += ["", f"## {source}", "", "| rules | the label's words | English | note |", "|---|---|---|---|"]
        english_cell = "" if english == text else _cell(english)
        named = ", ".join(f"`{r}`" for r in sorted(rules))
        lines.append(f"| {named} | {_cell(text)} | {english_cell} | {_cell(note)} |")
    return "\n".join(lines) + "\n"


def test_citations_md_matches_the_quotations():
    assert CITATIONS.exists() and CITATIONS.read_text(encoding="utf-8") == render(), (
        f"docs/CITATIONS.md is out of date: run {REGENERATE}"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        CITATIONS.write_text(render(), encoding="utf-8")
        print(f"wrote {CITATIONS.relative_to(ROOT)}")
    else:
        sys.stdout.write(render())
