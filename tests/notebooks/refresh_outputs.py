"""Re-execute the notebooks and store their outputs: the nbval regression baseline.

For training only, not for treating patients.

    .venv/bin/python tests/notebooks/refresh_outputs.py            # the apps in notebooks/
    .venv/bin/python tests/notebooks/refresh_outputs.py --all      # every notebook nbval checks
    .venv/bin/python tests/notebooks/refresh_outputs.py notebooks/titration.ipynb

Run it after an intended change to a clinical number, then review the diff of the printed
summaries (``git diff notebooks/``) before committing: that diff is the change a reviewer signs off.
Widget state is not stored (outputs stay small); execution timings are not recorded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
from _discovery import nbval_notebooks


def refresh(path: Path, timeout: int = 300) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    if argv == ["--all"]:
        paths = nbval_notebooks()
    else:
        paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(f"executing {p.relative_to(ROOT)}", flush=True)
        refresh(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
