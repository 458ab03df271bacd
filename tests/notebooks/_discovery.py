"""Which notebooks the nbval and browser tests cover (discovered, so new apps are covered).

For training only, not for treating patients.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Notebooks whose stored outputs are the regression baseline.
NBVAL_GLOBS = (
    "notebooks/*.ipynb",
    "exercises/practice.ipynb",
    "exercises/assessment.ipynb",
    "exercises/solutions/*.ipynb",
)
#: Notebooks the browser test opens in Voilà.
APP_GLOBS = ("notebooks/*.ipynb", "exercises/practice.ipynb", "exercises/assessment.ipynb")


def _itb_meta(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("itb", {}) or {}
    except (OSError, ValueError):
        return {}


def _glob(globs: tuple[str, ...], root: Path) -> list[Path]:
    found: dict[Path, None] = {}
    for g in globs:
        for p in sorted(root.glob(g)):
            if ".ipynb_checkpoints" not in p.parts:
                found[p] = None
    return list(found)


def nbval_notebooks(root: Path = ROOT) -> list[Path]:
    """Notebooks nbval compares; a notebook opts out with metadata ``{"itb": {"nbval": false}}``."""
    return [p for p in _glob(NBVAL_GLOBS, root) if _itb_meta(p).get("nbval", True)]


def app_notebooks(root: Path = ROOT) -> list[Path]:
    """Notebooks served as apps (home first); opt out with ``{"itb": {"browser": false}}``."""
    paths = [p for p in _glob(APP_GLOBS, root) if _itb_meta(p).get("browser", True)]
    return sorted(paths, key=lambda p: (p.name != "index.ipynb", p.as_posix()))


def probe(path: Path) -> dict | None:
    """The notebook's browser probe (``metadata.itb.probe``), or None."""
    return _itb_meta(path).get("probe")
