"""A Babel extractor for the case library (``exercises/cases/``): the texts a trainee reads of each patient
(name, diagnosis, history) and each situation (title, setting).

For training only, not for treating patients.

``babel.cfg`` maps the case files to :func:`extract_cases`, so their texts join the ``exercises`` catalogue;
:meth:`exercises.cases.PatientCase.describe` and the exercise page translate them when they are shown.  Each
file is read with the library's own loader, so a catalogue entry is exactly the text the page shows; a file
the loader refuses gives nothing (``python -m exercises.cases`` names it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

__all__ = ["extract_cases", "PATIENT_TEXTS", "SITUATION_TEXTS"]

PATIENT_TEXTS = ("name", "diagnosis", "history")
SITUATION_TEXTS = ("title", "setting")


def extract_cases(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extraction method: ``(lineno, None, text, [])`` for each shown text of a patient or situation file."""
    from .cases import CaseFileError, load_patient_file, load_situation_file

    path = Path(getattr(fileobj, "name", ""))
    situation = path.parent.name == "situations"
    try:
        case: Any = load_situation_file(path) if situation else load_patient_file(path)
    except (CaseFileError, OSError):
        return
    lines: dict[str, int] = {}
    try:
        node = yaml.compose(fileobj.read())
        for key, _value in getattr(node, "value", []):
            lines[str(key.value)] = key.start_mark.line + 1
    except yaml.YAMLError:
        pass
    for field in SITUATION_TEXTS if situation else PATIENT_TEXTS:
        text = getattr(case, field, "")
        if isinstance(text, str) and text:
            yield lines.get(field, 0), None, text, []
