"""The CLI's summaries say "1 row", "1 group", never "1 rows" (its English, through the real CLI)."""

import io

from datatools.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_one_row_and_one_group_are_singular(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("name\nAnna\n", encoding="utf-8")
    pair = tmp_path / "pair.csv"
    pair.write_text("name\nAnna Meier\nAnna Meier\n", encoding="utf-8")
    assert run("dedupe", one, "--columns", "name", "-q") == (
        0, "1 row: 0 groups of duplicates covering 0 rows (0 could go).\n", "")
    assert run("dedupe", pair, "--columns", "name", "-q") == (
        0, "2 rows: 1 group of duplicates covering 2 rows (1 could go).\n"
           "1 certain, 0 possible (to review).\n", "")
    # "Anna" against "Anna Meier" is only possible: named for review, not written as matched.
    assert run("match", one, pair, "--on", "name", "-q") == (
        0, "0 of 1 row matched.\n1 possible match left for review (named in match_reason; "
           "--include-possible writes them).\n", "")
    code, out, _ = run("clean", one, "--preview", "1", "-q")
    assert (code, out.splitlines()[0]) == (0, "1 row, 0 cells changed")
    assert "Wrote" not in out                                 # a preview writes nothing
    written = one.with_name("cleaned.csv")
    code, out, _ = run("clean", one, "-o", written)
    assert (code, out.splitlines()[-1]) == (0, f"Wrote {written}.")   # as the other tools say


def test_thousands_keep_their_separator_and_plural(tmp_path):
    many = tmp_path / "many.csv"
    many.write_text("name\n" + "".join(f"person {i}\n" for i in range(1200)), encoding="utf-8")
    code, out, _ = run("dedupe", many, "--columns", "name", "-q")
    assert (code, out.split(":")[0]) == (0, "1,200 rows")

