"""nbval over every notebook: stored outputs are the regression baseline.

For training only, not for treating patients.

Each notebook runs in its own ``pytest --nbval`` subprocess with ``tests/nbval_sanitize.cfg``;
the printed clinical numbers (``print_summary(app)``) are compared as text.  Refresh the
baseline with ``.venv/bin/python tests/notebooks/refresh_outputs.py`` after an intended change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _discovery import ROOT, nbval_notebooks

SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
#: An app's stored outputs stay small: figures are widget views, never plotly JSON payloads.
MAX_OUTPUT_BYTES = 100_000
FORBIDDEN_MIMETYPES = ("application/vnd.plotly.v1+json",)


def run_nbval(path: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run nbval on one notebook in a subprocess; returns the finished process (check ``returncode``)."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        "--nbval-cell-timeout=300",
        str(path),
    ]
    return subprocess.run(cmd, cwd=path.parent, capture_output=True, text=True, timeout=timeout)


NOTEBOOKS = nbval_notebooks()


@pytest.mark.nbval
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_outputs_match_baseline(path: Path) -> None:
    proc = run_nbval(path)
    assert proc.returncode == 0, (
        f"nbval failed for {path.relative_to(ROOT)} (if the change is intended, refresh the baseline with "
        f"tests/notebooks/refresh_outputs.py and review the diff):\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_is_stored_with_small_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, "widget state is stored in the notebook; refresh it with refresh_outputs.py"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "print_summary" in cell.source:
            assert cell.outputs, f"cell {i} has no stored summary: run tests/notebooks/refresh_outputs.py"
        for out in cell.outputs:
            assert out.output_type != "error", f"cell {i} stored an error"
            assert all(m not in out.get("data", {}) for m in FORBIDDEN_MIMETYPES), (
                f"cell {i} stores a plotly JSON figure: build figures with widgets.plot.make_figure"
            )
        size = len(json.dumps(cell.outputs))
        assert size < MAX_OUTPUT_BYTES, f"cell {i} stores {size} bytes of output"


def test_notebooks_are_discovered() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert "notebooks/index.ipynb" in names


# --------------------------------------------------------------------------- the harness can fail
@pytest.fixture
def units_copy(tmp_path: Path) -> Path:
    src = ROOT / "notebooks" / "units.ipynb"
    if not src.exists():
        pytest.skip("notebooks/units.ipynb is the notebook these harness tests use")
    dst = tmp_path / "units.ipynb"
    shutil.copy(src, dst)
    return dst


def _summary_cell(nb) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "print_summary" in cell.source:
            return i
    raise AssertionError("no print_summary cell")


@pytest.mark.nbval
def test_nbval_fails_when_a_stored_clinical_number_differs(units_copy: Path) -> None:
    nb = nbformat.read(units_copy, as_version=4)
    out = nb.cells[_summary_cell(nb)].outputs[0]
    assert "0.025 mL" in out.text
    out.text = out.text.replace("0.025 mL", "0.25 mL")  # a ten-fold volume error in the baseline
    nbformat.write(nb, units_copy)
    proc = run_nbval(units_copy)
    assert proc.returncode != 0, proc.stdout
    assert "0.25 mL" in proc.stdout and "0.025 mL" in proc.stdout


@pytest.mark.nbval
def test_nbval_fails_when_the_core_computes_a_different_number(units_copy: Path) -> None:
    """A change to a clinical computation in itbcore (here: every quantity read 10 % high) fails nbval."""
    nb = nbformat.read(units_copy, as_version=4)
    patch = nbformat.v4.new_code_cell(
        "import itbcore.units as _u\n"
        "_read = _u.as_quantity\n"
        "_u.as_quantity = lambda value, unit, name='value', **kw: _read(value, unit, name, **kw) * 1.1"
    )
    nb.cells.insert(0, patch)
    nbformat.write(nb, units_copy)
    proc = run_nbval(units_copy)
    assert proc.returncode != 0, proc.stdout
    assert "failed" in proc.stdout


@pytest.mark.nbval
def test_nbval_passes_on_an_unchanged_copy(units_copy: Path) -> None:
    proc = run_nbval(units_copy)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_sanitiser_keeps_clinical_numbers_and_hides_what_varies() -> None:
    import configparser
    import re

    cfg = configparser.ConfigParser()
    cfg.read(SANITIZE)

    def sanitise(s: str) -> str:
        for section in cfg.sections():
            s = re.sub(cfg[section]["regex"], cfg[section]["replace"], s)
        return s

    clinical = "volume at 2000 µg/mL: 0.025 mL\ndays to alarm: 45 day\nincrease 10–30 % (lionova 4.2)"
    assert sanitise(clinical) == clinical
    assert sanitise("refill by 2025-03-01 (Monday)") == "refill by DATE (WEEKDAY)"
    assert sanitise("<object at 0x7f3a2b1c9d00>") == "<object at 0xADDRESS>"
    assert "MODEL_ID" in sanitise('"model_id": "c725adb2e40f47a8863b1f4a4c3dde09"')
