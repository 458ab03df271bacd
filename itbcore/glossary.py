"""The clinical glossary: the suite's terms in English, Norwegian Bokmål (``nb``) and Turkish (``tr``), each taken
from the label that speaks the language where that label uses it.

For training only, not for treating patients.

The glossary is data (``itbcore/glossary.toml``), read once and checked when it is read.  Each :class:`Term`
gives the English the screens use, the Bokmål word and the Turkish word and, for each language, either the label's
own words — the section of lionova (Bokmål) or baclorex (Turkish) and a short quotation of it, the term inflected
as the label prints it — or a note saying why there is none (the suite's own words, a word the label does not use).
``tests/itbcore/test_glossary.py`` finds every quotation in the section it cites, as the citation audit does, and
``docs/GLOSSARY.md`` is generated from the same file.  A hospital corrects a term by editing the file.

The translations of the screens use the glossary's words: :func:`misuses` names the terms whose English a message
uses and whose word its translation lacks.  A word is found in a translation in any of its :func:`forms`,
case-insensitively: a form of four characters or more anywhere (so ``påfylling`` is found in ``påfyllingen`` and
``pumpereservoar``), a shorter one only where a word starts (``doz`` in ``dozunu``, ``ml`` in ``mikrogram/ml``,
never inside another word).

>>> term("refill").nb, term("refill").nb_source
('påfylling', 'lionova 4.4')
>>> [t.key for t in misuses("Abrupt discontinuation of the pump", "Brå stopp av pumpen", "nb")]
['discontinuation', 'abrupt_discontinuation']
>>> "dozu" in forms("dose", "tr")
True
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from .errors import FileProblem, LabelError
from .label_map import cited_sections

__all__ = [
    "Term",
    "GLOSSARY",
    "GLOSSARY_FILE",
    "LOCALES",
    "LABEL_OF",
    "term",
    "forms",
    "uses",
    "misuses",
    "load_glossary",
]

#: The glossary file shipped with the core.
GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
#: The languages the screens are translated into, and the label that speaks each.
LOCALES: tuple[str, ...] = ("nb", "tr")
LABEL_OF: dict[str, str] = {"nb": "lionova", "tr": "baclorex"}
#: A form at least this long is found inside a word (a compound, a suffix); a shorter one only where a word starts.
_INSIDE_A_WORD = 4

Locale = Literal["en", "nb", "tr"]

_KEYS = {"key", "group", "en", "en_forms", "note"} | {
    f"{loc}{part}" for loc in LOCALES for part in ("", "_source", "_quote", "_note", "_forms")
}


@dataclass(frozen=True)
class Term:
    """One term of the glossary: the English of the screens, the Bokmål and Turkish words, and where each comes
    from (``*_source`` a label section and ``*_quote`` its words, or an empty source and ``*_note`` saying why)."""

    key: str
    group: str
    en: str
    nb: str
    tr: str
    nb_source: str = ""
    nb_quote: str = ""
    nb_note: str = ""
    tr_source: str = ""
    tr_quote: str = ""
    tr_note: str = ""
    en_forms: tuple[str, ...] = ()
    nb_forms: tuple[str, ...] = ()
    tr_forms: tuple[str, ...] = ()
    note: str = ""

    def word(self, locale: str) -> str:
        """The term in ``locale`` (``"en"``, ``"nb"`` or ``"tr"``)."""
        return str(getattr(self, _locale(locale)))

    def source(self, locale: str) -> str:
        """The label section the ``locale`` word is quoted from, or ``""`` when no label uses it."""
        return str(getattr(self, f"{_label_locale(locale)}_source"))

    def quote(self, locale: str) -> str:
        """The label's words that use the ``locale`` word, or ``""``."""
        return str(getattr(self, f"{_label_locale(locale)}_quote"))

    def why_no_source(self, locale: str) -> str:
        """Why the ``locale`` word has no label source (``""`` when it has one)."""
        return str(getattr(self, f"{_label_locale(locale)}_note"))


def _locale(locale: str) -> str:
    if locale not in ("en", *LOCALES):
        raise LabelError(f"The glossary has no language {locale!r}; it has en, {', '.join(LOCALES)}.")
    return locale


def _label_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise LabelError(f"Only {', '.join(LOCALES)} words come from a label, not {locale!r}.")
    return locale


def _text_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    """Read and check a glossary file: every entry has a unique key, its three words, and for each of nb and tr
    a section of that language's label with a quotation, or an empty source with a note.

    Examples
    --------
    >>> len(load_glossary()) >= 80
    True
    """

    def bad(where: str, problem: str) -> FileProblem:
        return FileProblem(f"{path.name}: {where}: {problem}")

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FileProblem(f"{path.name} could not be read: {exc}") from None
    out: list[Term] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("term", []), 1):
        where = f"term {i} ({entry.get('key')!r})"
        if set(entry) - _KEYS:
            raise bad(where, f"unknown keys {sorted(set(entry) - _KEYS)}")
        for k in ("key", "group", "en", *LOCALES):
            if not isinstance(entry.get(k), str) or not entry[k].strip():
                raise bad(where, f"needs {k}")
        if entry["key"] in seen:
            raise bad(where, "the key is used twice")
        seen.add(entry["key"])
        if not isinstance(entry.get("note", ""), str):
            raise bad(where, "note is text")
        lists: dict[str, Any] = {}
        for k in ("en_forms", *(f"{loc}_forms" for loc in LOCALES)):
            forms_ = _text_list(entry.get(k, []))
            if forms_ is None:
                raise bad(where, f"{k} is a list of words")
            lists[k] = forms_
        for loc in LOCALES:
            source, quote, note = (entry.get(f"{loc}{part}", "") for part in ("_source", "_quote", "_note"))
            if not all(isinstance(v, str) for v in (source, quote, note)):
                raise bad(where, f"{loc}_source, {loc}_quote and {loc}_note are text")
            if f"{loc}_source" not in entry:
                raise bad(where, f'give {loc}_source: a section of {LABEL_OF[loc]}, or "" with {loc}_note')
            if source:
                try:
                    sections = cited_sections(source)
                except LabelError as exc:
                    raise bad(where, str(exc)) from None
                if [s.section for s in sections] != [source] or sections[0].label != LABEL_OF[loc]:
                    raise bad(where, f"{loc}_source cites exactly one section of {LABEL_OF[loc]}, not {source!r}")
                if not quote.strip():
                    raise bad(where, f"{loc}_source needs {loc}_quote: the label's words that use the term")
            elif not note.strip() or quote:
                raise bad(where, f"without {loc}_source, give {loc}_note (why no label has the word) and no quote")
        texts: dict[str, Any] = {k: entry.get(k, "") for k in _KEYS if not k.endswith("_forms")}
        out.append(Term(**texts, **lists))
    if not out:
        raise bad("file", "no [[term]] entries")
    return tuple(out)


#: Every term of the shipped glossary, in the file's order.
GLOSSARY: tuple[Term, ...] = load_glossary()
_BY_KEY = {t.key: t for t in GLOSSARY}


def term(key: str) -> Term:
    """The glossary term with this key.

    Examples
    --------
    >>> term("discontinuation").nb
    'seponering'
    """
    try:
        return _BY_KEY[key]
    except KeyError:
        raise LabelError(f"The glossary has no term {key!r}.") from None


def forms(term_: Term | str, locale: str) -> tuple[str, ...]:
    """The term's word in ``locale`` and the other forms a text may use (inflections, compounds, plurals).

    Examples
    --------
    >>> forms("refill", "nb")
    ('påfylling', 'påfyllingen', 'påfyllinger', 'påfyll')
    """
    t = term(term_) if isinstance(term_, str) else term_
    loc = _locale(locale)
    return tuple(dict.fromkeys((t.word(loc), *getattr(t, f"{loc}_forms"))))


def _fold(text: str) -> str:
    """Text as the glossary compares it: NFC, spaces folded, case folded the same way for Turkish and the rest
    (dotted and dotless i are one letter here, so ``İntratekal`` holds ``intratekal``)."""
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))
    text = text.replace("İ", "i").replace("I", "i").casefold().replace("ı", "i").replace("\u0307", "")
    return text.replace("’", "'")


@cache
def _form_pattern(form: str) -> re.Pattern[str]:
    f = re.escape(_fold(form))
    return re.compile(f if len(form) >= _INSIDE_A_WORD else rf"(?<!\w){f}")


@cache
def _english_pattern(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(_fold(form))}(?!\w)")


def uses(text: str, term_: Term | str, locale: str) -> bool:
    """Whether ``text`` uses the term in ``locale``: one of its :func:`forms` is in it (English: as a whole word).

    Examples
    --------
    >>> uses("Påfyllingen av pumpen", "refill", "nb"), uses("Dozunu azaltın", "dose", "tr")
    (True, True)
    >>> uses("Fortsett behandlingen", "dose", "nb")
    False
    """
    folded = _fold(text)
    pattern = _english_pattern if locale == "en" else _form_pattern
    return any(pattern(f).search(folded) for f in forms(term_, locale))


def misuses(english: str, translated: str, locale: str) -> list[Term]:
    """The glossary terms whose English the message uses (a whole word, any case) but none of whose forms in
    ``locale`` its translation has: the words a translator should check against the glossary.

    Examples
    --------
    >>> [t.key for t in misuses("Refill the reservoir", "Fyll reservoaret", "nb")]
    ['refill']
    >>> misuses("Refill the reservoir", "Påfylling av reservoaret", "nb")
    []
    """
    loc = _label_locale(locale)
    return [t for t in GLOSSARY if uses(english, t, "en") and not uses(translated, t, loc)]
