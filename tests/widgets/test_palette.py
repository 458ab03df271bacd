"""One palette in one stylesheet: the colours are named in the template's itb.css and nowhere else."""

import re
from pathlib import Path

import pytest

from widgets.palette import PALETTE, SEVERITY_COLOUR_NAMES, STYLESHEET, _read, colour

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
APPS = Path(__file__).resolve().parents[2] / "exercises"
MODULES = sorted([*WIDGETS.rglob("*.py"), *APPS.glob("*.py")])


def test_the_palette_is_the_stylesheets_custom_properties():
    css = STYLESHEET.read_text(encoding="utf-8")
    for name, value in PALETTE.items():
        assert f"--itb-{name}: {value};" in css
    assert {"info", "warning", "danger", "ok", "ink", "muted"} <= set(PALETTE)
    assert colour("violation") == PALETTE["danger"] and colour("action") == PALETTE["ok"]
    assert set(SEVERITY_COLOUR_NAMES) == {"info", "warning", "violation", "action"}


def test_an_unknown_colour_name_is_a_key_error_not_a_default():
    with pytest.raises(KeyError):
        colour("vilation")


def test_the_palette_reader_reads_only_the_root_block():
    assert _read(":root {\n  --itb-a: #123456;\n}\n.x { --itb-b: #654321; }") == {"a": "#123456"}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_colour_a_module_names_is_in_the_palette_and_no_module_writes_its_own(module):
    text = module.read_text(encoding="utf-8")
    for name in re.findall(r"""colour\(["']([a-z-]+)["']\)""", text):
        colour(name)
    if module.name in ("palette.py", "serve.py"):  # serve.py: the standalone "class is full" page
        return
    literals = re.findall(r"""["']#[0-9a-fA-F]{3,8}["']|#[0-9a-fA-F]{6}\b""", text)
    assert not literals, f"{module.name} writes colours of its own: {literals}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_no_inline_style_where_the_stylesheet_has_a_class(module):
    if module.name in ("serve.py", "checking.py"):  # a standalone page; feedback also shown without the stylesheet
        return
    assert not re.findall(r"""\bstyle=['"]""", module.read_text(encoding="utf-8")), module.name
