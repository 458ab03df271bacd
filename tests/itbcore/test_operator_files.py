"""Operator files a wrong path or a hostile copy must not turn against the server (issue "A class that cannot
be turned against itself", item 16): each test is named after the finding and failed on the code before the fix."""

import os
import shutil
import sys

import pytest

from exercises import cases
from exercises.cases import CaseFileError
from itbcore import library
from itbcore.errors import LibraryError

# 9 aliases of 9, nine deep: 9**9 strings once anything walks the value (the validator's message does)
BILLION_LAUGHS = (
    "id: bomb\nname: Ana\nage_years: 40\norigin: spinal\nweight: 70 kg\ndiagnosis: MS\nhistory: [\n"
    '  &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"],\n'
    + "".join(f"  &{n} [{','.join(['*' + p] * 9)}],\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + "]\n"
)


def _case_dir(tmp_path):
    root = tmp_path / "cases"
    shutil.copytree(cases.CASES_DIR, root)
    return root


def test_yaml_alias_bomb_in_a_case_file_is_skipped_with_a_case_file_error_naming_it(tmp_path):
    assert len(BILLION_LAUGHS.encode()) < 600  # a few hundred bytes
    root = _case_dir(tmp_path)
    bomb = root / "patients" / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(CaseFileError) as err:
        cases.load_patient_file(bomb)
    assert "alias" in err.value.problem and err.value.file == str(bomb)
    lib = cases.load_library(root)  # the rest of the library loads; the bomb is named among the problems
    assert "bomb" not in lib.patients and any(str(bomb) in p for p in lib.problems)
    assert "spinal_ms_adult" in lib.patients


def test_a_few_aliases_in_a_case_file_are_still_read(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text(
        "id: ok\nname: &n Ana\ndiagnosis: *n\nage_years: 40\norigin: spinal\nweight: 70 kg\n", encoding="utf-8"
    )
    assert cases.load_patient_file(f).diagnosis == "Ana"


def test_a_case_file_that_is_a_fifo_or_too_large_is_refused_naming_it(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseFileError, match="not a regular file") as err:
        cases.load_patient_file(fifo)  # never waits for a writer
    assert str(fifo) in str(err.value)
    big = tmp_path / "big.yaml"
    big.write_text("id: big\nhistory: '" + "x" * (cases.MAX_CASE_BYTES + 1) + "'\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="bytes") as err:
        cases.load_patient_file(big)
    assert str(big) in str(err.value)


def test_deeply_nested_toml_drug_library_raises_library_error_not_recursion_error(tmp_path):
    deep = tmp_path / "deep.toml"
    depth = sys.getrecursionlimit() * 2
    deep.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="nested too deeply") as err:
        library.load_library(deep)
    assert str(deep) in str(err.value)


def test_drug_library_dev_zero_is_refused_as_not_a_regular_file_not_read_until_memory_runs_out():
    with pytest.raises(LibraryError, match="not a regular file") as err:
        library.load_library("/dev/zero")
    assert "/dev/zero" in str(err.value)


def test_drug_library_fifo_or_oversized_file_is_refused_naming_it(tmp_path):
    fifo = tmp_path / "lib.toml"
    os.mkfifo(fifo)
    with pytest.raises(LibraryError, match="not a regular file") as err:
        library.load_library(fifo)  # never waits for a writer
    assert str(fifo) in str(err.value)
    big = tmp_path / "big.toml"
    big.write_text(
        library.DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8") + "#" * (library.MAX_LIBRARY_BYTES + 1) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(LibraryError, match="bytes") as err:
        library.load_library(big)
    assert str(big) in str(err.value)


def test_the_shipped_drug_library_is_well_within_the_size_bound():
    assert library.DEFAULT_LIBRARY_PATH.stat().st_size < library.MAX_LIBRARY_BYTES // 8
    assert library.load_library(library.DEFAULT_LIBRARY_PATH).is_default
