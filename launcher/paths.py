"""What the launcher serves: the notebooks a visitor may render, and files from installed packages.

For training only, not for treating patients.  Reads files only; imports none of the apps.
"""

from __future__ import annotations

import functools
import importlib.util
import posixpath
import urllib.parse
from pathlib import Path

__all__ = [
    "ROOT",
    "HOME",
    "SERVED",
    "STATIC",
    "DATA_DIR",
    "app_notebooks",
    "served_notebooks",
    "normalised_path",
    "font_awesome_dir",
    "reveal_dir",
]

ROOT = Path(__file__).resolve().parent.parent
HOME = "notebooks/index.ipynb"
#: Folders whose notebooks may be rendered.
SERVED = ("notebooks", "exercises")
#: URL path (under the server's base URL) of the files served from installed packages.
STATIC = "itb-static"
#: The suite's Jupyter data folder in the checkout (``voila/templates/itb``, ``voila/templates/itb-reveal``);
#: an installed suite also has a copy in ``<prefix>/share/jupyter`` (pyproject's data files).
DATA_DIR = ROOT / "share" / "jupyter"


@functools.cache
def _package_files(package: str, folder: str, marker: str) -> Path | None:
    """``folder`` inside the installed ``package`` if it holds ``marker``, else None (not installed);
    looked up once per process (every rendered page asks), without importing the package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = Path(location) / folder
        if (found / marker).is_file():
            return found
    return None


def font_awesome_dir() -> Path | None:
    """Font Awesome's ``css/`` and ``webfonts/`` from the ``fontawesomefree`` package, or None."""
    return _package_files("fontawesomefree", "static/fontawesomefree", "css/all.min.css")


def reveal_dir() -> Path | None:
    """reveal.js's files (``dist/reveal.css``, ``dist/theme/…``, ``plugin/…``) from sphinx-revealjs, or None."""
    return _package_files("sphinx_revealjs", "_static/revealjs", "dist/reveal.css")


def app_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks served as apps, relative to ``root`` (home first)."""
    found = sorted(p.relative_to(root).as_posix() for p in (root / "notebooks").glob("*.ipynb"))
    found += [p.relative_to(root).as_posix() for p in sorted((root / "exercises").glob("*.ipynb"))]
    return sorted(found, key=lambda p: (p != HOME, p))


def served_notebooks(root: Path = ROOT) -> frozenset[str]:
    """Every notebook a visitor may render: the apps and the trainee notebooks, nothing else.

    Solutions, authored sources, tests, benchmarks and anything else under the root are never rendered.
    """
    trainee = [p.relative_to(root).as_posix() for p in (root / "exercises" / "trainee").glob("*.ipynb")]
    return frozenset([*app_notebooks(root), *trainee])


def normalised_path(path: str | None) -> str | None:
    """The notebook path a request names, decoded (``%2e``, ``%2f``, repeated encodings) and with ``..``
    resolved; ``None`` when it leaves the root or cannot be read."""
    if not path:
        return None
    text = path
    for _ in range(4):  # %252e%252e → %2e%2e → ..
        decoded = urllib.parse.unquote(text)
        if decoded == text:
            break
        text = decoded
    if "\\" in text or "\x00" in text:
        return None
    norm = posixpath.normpath("/" + text.lstrip("/"))
    if norm.startswith("/.."):
        return None
    return norm.lstrip("/")
