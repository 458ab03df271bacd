"""A Babel extractor for the core's data file of user-visible texts, ``label_differences.toml``.

For training only, not for treating patients.

``babel.cfg`` maps the file to :func:`extract_toml` (``python3 tasks.py i18n`` runs ``pybabel extract -F
babel.cfg``), so its texts join the ``itbcore`` catalogue; :class:`itbcore.sources.LabelDifference` translates
them when they are shown.  The fields extracted are those the apps show: each difference's ``topic`` and
``note`` and what each text says (``text`` of ``[difference.<text>]``); codes and sources (citations) are not.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["extract_toml", "extract_library", "SHOWN_FIELDS", "LIBRARY_FIELDS"]

#: The fields of a difference shown to users (``text`` is that of each text's table).
SHOWN_FIELDS = ("topic", "note", "text")


def _shown(data: dict[str, Any]) -> Iterator[str]:
    """The shown strings of the parsed file, in the file's order."""
    for entry in data.get("difference", []):
        if not isinstance(entry, dict):
            continue
        for key, value in entry.items():
            if key in ("topic", "note") and isinstance(value, str) and value:
                yield value
            elif isinstance(value, dict) and isinstance(value.get("text"), str) and value["text"]:
                yield value["text"]


def extract_toml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extraction method: ``(lineno, None, text, [])`` for every shown string of the file.

    Each string is found on the line that assigns it (``topic = "…"``, ``note = "…"``, ``text = "…"``), so a
    catalogue entry points at its line in the file.
    """
    source = fileobj.read()
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    data = tomllib.loads(text)
    # The line of each assignment of a shown field, read as TOML on its own (the file writes one per line).
    lines: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        key = line.split("=", 1)[0].strip()
        if key in SHOWN_FIELDS and "=" in line:
            try:
                value = tomllib.loads(f"v = {line.split('=', 1)[1].strip()}")["v"]
            except tomllib.TOMLDecodeError:
                continue
            if isinstance(value, str):
                lines.append((lineno, value))
    at = 0
    for shown in _shown(data):
        found = next((n for n, (_, v) in enumerate(lines[at:], at) if v == shown), None)
        if found is None:  # written across lines: no line of its own to point at
            yield 0, None, shown, []
            continue
        at = found + 1
        yield lines[found][0], None, shown, []


#: The fields of the drug library's limits shown to users in its refusals and questions: a limit's ``title``,
#: and each range's ``why`` and a ``source`` that is a remark rather than a label citation ("local protocol").
LIBRARY_FIELDS = ("title", "why", "source", "name")


def extract_library(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extraction method for ``drug_library.toml``: every shown string on the line that assigns it.

    A hospital's own library (edited texts) is shown as written where the catalogue has no translation."""
    source = fileobj.read()
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    for lineno, line in enumerate(text.splitlines(), 1):
        key, eq, rest = line.partition("=")
        if not eq or key.strip() not in LIBRARY_FIELDS:
            continue
        try:
            value = tomllib.loads(f"v = {rest.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            continue
        if isinstance(value, str) and value and not _is_citation(value):
            yield lineno, None, value, []


def _is_citation(value: str) -> bool:
    """A source made of label sections only (``"lionova 4.2; lioresal Dosing: supportive therapy"``)."""
    from .label_map import citation_parts

    try:
        return all(entry is not None or not part.strip(" ;,") for part, entry in citation_parts(value))
    except Exception:  # noqa: BLE001 - not a citation the map reads: a remark, translated
        return False


#: The functions whose literal first argument (and second, for ngettext) is a message (tasks.py I18N_KEYWORDS).
PYTHON_KEYWORDS = {"message": 1, "gettext": 1, "_": 1, "N_": 1, "ngettext": 2}


def extract_python(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Babel extraction method for the suite's Python: every marked call, read from the syntax tree.

    Babel's own Python extractor does not look inside f-strings, where many a widget's text is marked
    (``f"<strong>{esc(_('Patient and pump'))}</strong>"``); Python's parser does, so a message is found wherever
    it is marked.  Only literal strings are messages (adjacent literals are one string, as Python joins them).
    """
    import ast

    source = fileobj.read()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        count = PYTHON_KEYWORDS.get(name)
        if count is None or len(node.args) < count:
            continue
        args = node.args[:count]
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value for a in args):
            continue
        texts = [str(a.value) for a in args if isinstance(a, ast.Constant)]
        yield node.lineno, name, (texts[0] if count == 1 else (texts[0], texts[1])), []
