"""The clinical glossary (``itbcore/glossary.toml``, read by :mod:`itbcore.glossary`): every Bokmål word quoted from
lionova and every Turkish word quoted from baclorex is found in the section it cites, the quotation uses the term,
every word without a label source says why, and :func:`itbcore.glossary.misuses` names the terms a translation
lacks.

For training only, not for treating patients.

Quotations are searched as the citation audit searches its own (``test_citation_audit.found``: whitespace folded,
within the cited section of the seed text).  ``docs/GLOSSARY.md`` is generated from the glossary; run this file as
a script to write it again after a change::

    python tests/itbcore/test_glossary.py --write
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

# Run as a script, the project root is not on the path: put it first, then this folder (the citation audit).
sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
from test_citation_audit import found, needs_seeds

from itbcore.audit import Quotation
from itbcore.errors import FileProblem, LabelError
from itbcore.glossary import GLOSSARY, GLOSSARY_FILE, LABEL_OF, LOCALES, Term, forms, load_glossary, misuses, term, uses

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY_MD = ROOT / "docs" / "GLOSSARY.md"
REGENERATE = "python tests/itbcore/test_glossary.py --write"

QUOTED = [(t, loc) for t in GLOSSARY for loc in LOCALES if t.source(loc)]


def quotation(t: Term, locale: str) -> Quotation:
    """The glossary's quotation as the citation audit reads one."""
    return Quotation(f"Glossary:{t.key}", t.source(locale), t.quote(locale), t.word(locale))


# ------------------------------------------------------------------------------------------------- the data
def test_the_glossary_holds_the_terms_the_screens_use():
    assert 80 <= len(GLOSSARY) <= 130
    for key in ("baclofen", "intrathecal", "refill", "ampoule", "discontinuation", "withdrawal", "daily_dose"):
        assert term(key).key == key
    # the labels' own words, even where another is more common
    assert (term("discontinuation").nb, term("refill").nb, term("intrathecal").nb) == (
        "seponering",
        "påfylling",
        "intratekal",
    )
    assert (term("dose").tr, term("ampoule").tr, term("pump").tr) == ("doz", "ampul", "pompa")
    # units as the labels write them
    assert (term("microgram_per_ml").nb, term("microgram_per_ml").tr) == ("mikrogram/ml", "mikrogram/ml")


def test_keys_are_unique_in_the_file():
    raw = tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))["term"]
    twice = [k for k, n in Counter(e["key"] for e in raw).items() if n > 1]
    assert not twice, twice
    assert len(raw) == len(GLOSSARY)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_word_has_a_label_source_or_says_why_not(locale):
    for t in GLOSSARY:
        if t.source(locale):
            assert t.source(locale).startswith(LABEL_OF[locale] + " ") and t.quote(locale), t.key
        else:
            assert t.why_no_source(locale).strip() and not t.quote(locale), t.key


def test_the_suite_s_own_words_have_no_label_source():
    for key in ("training_only", "source", "finding", "label"):
        assert not term(key).nb_source and not term(key).tr_source, key


@needs_seeds
@pytest.mark.parametrize(("t", "locale"), QUOTED, ids=[f"{t.key}-{loc}" for t, loc in QUOTED])
def test_every_quotation_is_found_in_the_section_it_cites(t, locale):
    assert found(quotation(t, locale)), f"{t.key}: {t.quote(locale)!r} is not in {t.source(locale)}"


@pytest.mark.parametrize(("t", "locale"), QUOTED, ids=[f"{t.key}-{loc}" for t, loc in QUOTED])
def test_every_quotation_uses_the_term(t, locale):
    assert uses(t.quote(locale), t, locale), f"{t.key}: no form of {forms(t, locale)} in {t.quote(locale)!r}"


# ---------------------------------------------------------------------------------------------- the loader
def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.toml"
    path.write_text(body, encoding="utf-8")
    return path


_GOOD = """
[[term]]
key = "pump"
group = "g"
en = "pump"
nb = "pumpe"
nb_source = "lionova 4.2"
nb_quote = "pumpe"
tr = "pompa"
tr_source = ""
tr_note = "why"
"""


def test_the_loader_reads_a_good_file(tmp_path):
    (t,) = load_glossary(_write(tmp_path, _GOOD))
    assert (t.nb_source, t.tr_source, t.tr_note) == ("lionova 4.2", "", "why")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('tr_note = "why"', ""), "tr_note"),  # no source and no note
        (('nb_source = "lionova 4.2"', 'nb_source = "baclorex 3"'), "one section of lionova"),  # wrong label
        (('nb_source = "lionova 4.2"', 'nb_source = "lionova 4.2, 4.4"'), "one section"),
        (('nb_source = "lionova 4.2"', 'nb_source = "lionova 4.22"'), "4.22"),  # no such section
        (('nb_quote = "pumpe"', ""), "nb_quote"),
        (('tr_source = ""', "tr_forms = 3"), "tr_forms"),
        (('group = "g"', 'group = "g"\nspelling = "x"'), "unknown keys"),
    ],
)
def test_the_loader_refuses_a_bad_entry(tmp_path, change, problem):
    with pytest.raises(FileProblem, match=problem):
        load_glossary(_write(tmp_path, _GOOD.replace(*change)))


def test_the_loader_refuses_a_key_used_twice(tmp_path):
    with pytest.raises(FileProblem, match="twice"):
        load_glossary(_write(tmp_path, _GOOD + _GOOD))


def test_an_unknown_key_or_language_is_refused():
    with pytest.raises(LabelError, match="no term"):
        term("pumpkin")
    with pytest.raises(LabelError, match="no language"):
        forms("pump", "de")
    with pytest.raises(LabelError, match="from a label"):
        misuses("pump", "pump", "en")


# --------------------------------------------------------------------------------------- the translation check
def test_misuses_names_a_term_whose_word_the_translation_lacks():
    assert [t.key for t in misuses("Refill the reservoir.", "Fyll reservoaret.", "nb")] == ["refill"]
    assert [t.key for t in misuses("Check the dose.", "Miktarı kontrol edin.", "tr")] == ["dose"]


def test_misuses_accepts_the_label_s_inflections_and_compounds():
    assert misuses("Refill the reservoir.", "Påfyllingen av pumpereservoaret.", "nb") == []
    assert misuses("Check the dose.", "Dozunu kontrol edin.", "tr") == []
    assert misuses("Stop it gradually: discontinuation", "Baklofen seponeres gradvis", "nb") == []
    assert misuses("Open one ampoule.", "Bir ampulü açın.", "tr") == []


def test_misuses_reads_the_english_as_whole_words_in_any_case():
    assert misuses("PUMPKIN soup", "suppe", "nb") == []  # not the pump
    assert [t.key for t in misuses("PUMP", "noe", "nb")] == ["pump"]
    assert [t.key for t in misuses("Two pumps", "To ting", "nb")] == ["pump"]  # an English form
    # a hyphenated compound is its own word: "non-programmable pump" is not the programmable pump
    keys = [t.key for t in misuses("a non-programmable pump", "en ikke-programmerbar pumpe", "nb")]
    assert keys == []


def test_a_short_form_is_found_only_where_a_word_starts():
    assert [t.key for t in misuses("Draw 5 mL.", "Trekk opp 5 samlet.", "nb")] == ["millilitre"]
    assert misuses("Draw 5 mL.", "Trekk opp 5 ml.", "nb") == []
    assert misuses("500 µg/mL", "500 mikrogram/ml", "nb") == []
    assert [t.key for t in misuses("The dose", "Bir dozimetre", "tr")] == []  # "doz" starts the word
    assert [t.key for t in misuses("The dose", "Bu endoz", "tr")] == ["dose"]  # inside a word: not the dose


def test_turkish_capitals_fold_as_the_label_prints_them():
    assert misuses("intrathecal", "İNTRATEKAL", "tr") == []
    assert misuses("intrathecal", "İntratekal", "tr") == []
    assert misuses("overdose", "AŞIRI DOZ BELİRTİLERİ", "tr") == []  # capital I of a dotless ı


def test_a_translation_with_no_glossary_english_has_nothing_to_check():
    assert misuses("Open the app.", "Åpne appen.", "nb") == []


# ---------------------------------------------------------------------------------------- the reviewer's table
def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _word_cell(t: Term, locale: str) -> str:
    word = f"**{_cell(t.word(locale))}**"
    if t.source(locale):
        return f"{word} — {t.source(locale)}: «{_cell(t.quote(locale))}»"
    return f"{word} — *no label source*"


def render() -> str:
    """``docs/GLOSSARY.md``: every term by group, in the file's order."""
    n = len(GLOSSARY)
    with_source = {loc: sum(1 for t in GLOSSARY if t.source(loc)) for loc in LOCALES}
    lines = [
        "# Clinical glossary: English ↔ Bokmål ↔ Turkish",
        "",
        "For training only, not for treating patients.",
        "",
        f"Generated from `itbcore/glossary.toml` by `{REGENERATE}`. The Bokmål (nb) words are taken from lionova "
        "and the Turkish (tr) words from baclorex where those labels use them, with the section and the label's "
        "words as the seed text prints them (extraction artefacts included); `tests/itbcore/test_glossary.py` finds "
        "every quotation in the section it cites. A word without a label source says why in the note. The "
        "translations of the screens use these words: `itbcore.glossary.misuses(english, translated, locale)` "
        "names the terms a translated message lacks.",
        "",
        f"{n} terms; {with_source['nb']} Bokmål words quoted from lionova, {with_source['tr']} Turkish words quoted "
        "from baclorex.",
        "",
        "## How a hospital corrects a term",
        "",
        "1. Edit the term in `itbcore/glossary.toml`: its word (`nb`, `tr`), the forms a translation may use "
        "(`nb_forms`, `tr_forms`), and either the label section and its exact words (`nb_source`, `nb_quote`) or "
        '`nb_source = ""` with `nb_note` saying why no label has the word (the same for `tr_`).',
        f"2. Regenerate this file: `{REGENERATE}`.",
        "3. Run the tests: `python -m pytest tests/itbcore/test_glossary.py`. They find every quotation in its "
        "section and fail when this file is out of date.",
        "4. The translations' catalogues are then checked against the glossary (`itbcore.glossary.misuses`): "
        "a translated message that uses a term's English must use the glossary's word, in one of its forms.",
    ]
    group = None
    for t in GLOSSARY:
        if t.group != group:
            group = t.group
            lines += ["", f"## {group[0].upper()}{group[1:]}", "", "| en | nb (source) | tr (source) | note |"]
            lines.append("|---|---|---|---|")
        notes = " ".join(
            [t.note] * bool(t.note) + [f"{loc}: {t.why_no_source(loc)}" for loc in LOCALES if t.why_no_source(loc)]
        )
        lines.append(f"| {_cell(t.en)} | {_word_cell(t, 'nb')} | {_word_cell(t, 'tr')} | {_cell(notes)} |")
    return "\n".join(lines) + "\n"


def test_glossary_md_matches_the_glossary():
    assert GLOSSARY_MD.exists() and GLOSSARY_MD.read_text(encoding="utf-8") == render(), (
        f"docs/GLOSSARY.md is out of date: run {REGENERATE}"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        GLOSSARY_MD.write_text(render(), encoding="utf-8")
        print(f"wrote {GLOSSARY_MD.relative_to(ROOT)}")
    else:
        sys.stdout.write(render())
