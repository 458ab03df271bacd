"""itbcore.fastpath: the pint internals it relies on are there for the pint the project pins, and
without them it steps aside (pint answers every call)."""

import re
import tomllib
from pathlib import Path

import pint
import pytest

from itbcore import Q_, fastpath, units, ureg

ROOT = Path(__file__).resolve().parents[2]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_the_installed_pint_is_in_the_tested_range_and_the_project_pins_that_range():
    lo, hi = fastpath.PINT_TESTED
    assert _version(lo) <= _version(pint.__version__) < _version(hi), pint.__version__
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"pint>={lo},<{hi}" in deps


def test_every_internal_the_fast_path_uses_is_there():
    assert fastpath.missing_internals(ureg) == []
    assert units._FAST_OK and units._FAST.enabled


def test_a_registry_without_an_internal_is_noticed():
    class OldRegistry:
        def Quantity(self, *_a):
            return object()

    missing = fastpath.missing_internals(OldRegistry())  # type: ignore[arg-type]
    assert "_get_conversion_factor" in missing and "Quantity._magnitude" in missing


def test_switched_off_it_answers_nothing_and_builds_through_pint():
    off = fastpath.Converter(ureg, units._parse_unit, enabled=False)
    assert off.magnitude(2.0, Q_(2.0, "mg")._units, "ug") is None
    for q in (off.make(2.5, "mL"), off.maker("ug/day")(400.0)):
        assert type(q) is type(Q_(1, "mL")) and q._REGISTRY is ureg
    assert off.make(2.5, "mL") == Q_(2.5, "mL") and off.maker("ug/day")(400.0) == Q_(400.0, "ug/day")


@pytest.mark.parametrize(
    ("mag", "src", "unit"),
    [(2.0, "mg", "ug"), (90, "min", "h"), (3, "day", "h"), (0.5, "mL", "uL"), (20.0, "ug/h", "ug/day")],
)
def test_switched_on_it_answers_what_pint_answers(mag, src, unit):
    q = Q_(mag, src)
    got = units._FAST.magnitude(q._magnitude, q._units, unit)
    assert got == q.to(unit).magnitude and type(got) is type(q.to(unit).magnitude)


def test_the_parse_cache_returns_pints_own_parse():
    fresh = pint.UnitRegistry(cache_folder=None)
    expected = fresh.parse_units_as_container("ug/day")
    fastpath.install_parse_cache(fresh)
    assert fresh.parse_units_as_container("ug/day") == expected
    assert fresh.parse_units_as_container("ug/day") is fresh.parse_units_as_container("ug/day")
    assert fresh.Quantity(2, "mg").to("ug").magnitude == 2000
