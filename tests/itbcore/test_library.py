"""The drug library: soft and hard limits from one validated data file, the same as the rules' constants."""

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itbcore
from itbcore import library, pk, pump, screening, titration
from itbcore.errors import DoseLimitError, LibraryError
from itbcore.formulations import PUMP_FORMULATIONS
from itbcore.units import magnitude_in

DEFAULT = library.DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8")
NUMERIC = [k for k, lim in library.active_library().limits.items() if lim.unit != "date"]


def test_every_limit_has_a_hard_range_with_a_source_and_a_soft_range_inside_it():
    lib = library.active_library()
    assert lib.is_default and "default" in lib.summary
    for key, lim in lib.limits.items():
        for label in (None, "lionova", "lioresal"):
            hard, soft = lim.ranges(label) if label else (lim.hard, lim.soft)
            assert hard.source and hard.source.startswith(
                ("lionova", "lioresal", "baclorex", "practice guidance", "local protocol")
            ), key
            if soft is not None:
                assert soft.source and library._within(hard, soft), key


def test_label_values_in_the_library_are_the_rules_own_constants():
    lim = library.limit
    assert lim("test_dose").hard.max == magnitude_in(screening.MAX_TEST_DOSE, "ug")
    assert lim("concentration").hard.max == magnitude_in(PUMP_FORMULATIONS[-1].concentration, "ug/mL")
    assert (lim("daily_dose").soft.min, lim("daily_dose").soft.max) == titration.OBSERVED_SPINAL
    lo, hi = pk.LABEL_PK.volume_range
    assert (lim("csf_volume").soft.min, lim("csf_volume").soft.max) == (magnitude_in(lo, "mL"), magnitude_in(hi, "mL"))
    assert lim("time_since_fill").ranges("lioresal")[1].max == magnitude_in(pump.LIORESAL_STABILITY, "day")
    assert lim("time_since_fill").soft.max == magnitude_in(pump.MANUFACTURER_REFILL_CAP, "day")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMERIC), st.sampled_from(["lionova", "lioresal"]), st.floats(1e-6, 0.5))
def test_every_hard_limit_refuses_just_past_its_edge_and_accepts_just_inside(key, label, eps):
    lim = library.limit(key)
    hard, _ = lim.ranges(label)
    for edge, side in ((hard.max, +1), (hard.min, -1)):
        if edge is None:
            continue
        step = max(abs(edge), 1.0) * eps
        past, inside = edge + side * step, edge - side * step
        with pytest.raises(DoseLimitError) as info:
            library.hard_check(key, past, lim.unit, label=label)
        assert info.value.key == key and info.value.source == hard.source and math.isclose(info.value.limit, edge)
        library.hard_check(key, inside, lim.unit, label=label)
        inclusive = hard.max_inclusive if side > 0 else hard.min_inclusive
        if inclusive:
            library.hard_check(key, edge, lim.unit, label=label)
        else:
            with pytest.raises(DoseLimitError):
                library.hard_check(key, edge, lim.unit, label=label)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: pump.refill_plan("20 mL", "2000 mg/mL", "400 ug/day"), "was mg written for µg"),
        (lambda: pump.refill_plan("20 mL", "500 ug/mL", "100 mg/day"), "was mg written for µg"),
        (
            lambda: titration.titration_plan(itbcore.Patient(40, "spinal"), "100 ug/day", "100 mg/day"),
            "was mg written for µg",
        ),
        (lambda: pump.daily_volume("400 mg/day", "500 ug/mL"), "hard limit of 3000 µg/day"),
        (lambda: screening.test_dose_volume("50 mg"), "above the maximum test dose"),
    ],
)
def test_gross_mg_ug_slips_hit_a_hard_limit_where_they_enter(call, match):
    with pytest.raises(DoseLimitError, match=match):
        call()


def test_between_the_labels_highest_dose_and_the_hard_limit_a_soft_warning():
    plan = pump.refill_plan("40 mL", "2000 ug/mL", "2500 ug/day")
    (f,) = [f for f in plan.findings if f.code == "soft_limit_daily_dose"]
    assert f.severity == "warning" and "2003 µg/day" in f.message and "lionova 4.2" in f.source
    out = titration.check_change(
        itbcore.Patient(40, "spinal"), "2000 ug/day", "2400 ug/day", "30 day", "3 day", phase="maintenance"
    )
    assert "soft_limit_daily_dose" in [f.code for f in out]
    assert "soft_limit_daily_dose" not in [
        f.code for f in pump.refill_plan("20 mL", "500 ug/mL", "400 ug/day").findings
    ]


# ------------------------------------------------------------------ a hospital's own library
def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "hospital.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_narrower_local_library_is_used_and_shown(tmp_path):
    text = DEFAULT.replace('name = "ITB training suite default library"', 'name = "St Olav ITB clinic"').replace(
        "[limits.daily_dose.hard]\nmin = 0\nmax = 3000", "[limits.daily_dose.hard]\nmin = 0\nmax = 2500"
    )
    try:
        lib = library.use_library(_write(tmp_path, text))
        assert "St Olav ITB clinic" in lib.summary and "hospital.toml" in lib.summary
        with pytest.raises(DoseLimitError, match="hard limit of 2500 µg/day"):
            pump.refill_plan("40 mL", "2000 ug/mL", "2600 ug/day")
    finally:
        library.use_library(None)
    pump.refill_plan("40 mL", "2000 ug/mL", "2600 ug/day")  # the default again


@pytest.mark.parametrize(
    "change, key, problem",
    [
        (
            ('max = 100\nsource = "lionova 4.2"', 'max = 150\nsource = "lionova 4.2"'),
            "limits.test_dose.hard",
            "widens the hard range that lionova 4.2 sets",
        ),
        (('source = "lionova 2"\n', 'source = ""\n'), "limits.concentration.hard.source", "needs a source"),
        (
            ("[limits.weight.soft]\nmin = 10", "[limits.weight.soft]\nmin = -10"),
            "limits.weight.soft",
            "within the hard range",
        ),
        (
            (
                'unit = "ug/h"\ndefault = 20\n[limits.infusion_rate.hard]',
                'unit = "ug/h"\ndefault = 20\ncolour = 1\n[limits.infusion_rate.hard]',
            ),
            "limits.infusion_rate",
            "unknown key(s) colour",
        ),
        (
            ("[limits.age.hard]\nmin = 0\nmax = 120", '[limits.age.hard]\nmin = 0\nmax = "old"'),
            "limits.age.hard.max",
            "must be a finite number",
        ),
        (('name = "ITB training suite default library"', 'name = ""'), "library.name", "non-empty"),
    ],
)
def test_a_bad_library_file_names_the_file_the_key_and_the_problem(tmp_path, change, key, problem):
    old, new = change
    assert old in DEFAULT
    p = _write(tmp_path, DEFAULT.replace(old, new, 1))
    with pytest.raises(LibraryError) as info:
        library.load_library(p)
    msg = str(info.value)
    assert str(p) in msg and key in msg and problem in msg


def test_a_library_that_is_not_toml_or_is_missing_is_refused(tmp_path):
    with pytest.raises(LibraryError, match="not valid TOML"):
        library.load_library(_write(tmp_path, "[library\nname="))
    with pytest.raises(LibraryError, match="does not exist"):
        library.load_library(tmp_path / "nope.toml")
    without = DEFAULT[: DEFAULT.index("[limits.weight]")] + DEFAULT[DEFAULT.index("[limits.age]") :]
    with pytest.raises(LibraryError, match="limits.weight: is missing"):
        library.load_library(_write(tmp_path, without))


def test_ITB_DRUG_LIBRARY_puts_a_hospital_library_in_force(tmp_path):
    text = DEFAULT.replace('name = "ITB training suite default library"', 'name = "Haukeland ITB"')
    p = _write(tmp_path, text)
    code = "import itbcore.library as L; print(L.active_library().summary)"
    env = dict(os.environ, ITB_DRUG_LIBRARY=str(p))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "Haukeland ITB" in out
    bad = _write(tmp_path, DEFAULT.replace('max = 100\nsource = "lionova 4.2"', 'max = 900\nsource = "lionova 4.2"'))
    res = subprocess.run(
        [sys.executable, "-c", code], env=dict(os.environ, ITB_DRUG_LIBRARY=str(bad)), capture_output=True, text=True
    )
    assert res.returncode != 0 and "widens the hard range" in res.stderr


def test_the_date_range_bounds_every_date():
    with pytest.raises(itbcore.InputError, match="outside the dates"):
        library.read_date("1999-12-31")
    assert library.read_date("01.02.2027").isoformat() == "2027-02-01"
