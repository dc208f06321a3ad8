"""Each tool end to end in real Chromium: choose files, preview, options, run, result, save; cancel."""

from __future__ import annotations

import random

import pytest

from conftest import FIXTURES


@pytest.fixture
def licensed_page(page, client, keys):
    client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    page.reload()
    page.wait_for_selector("body[data-ready]")
    return page


def choose_files(page, tool, paths):
    page.click(f"#tool-{tool}")
    for index, path in enumerate(paths):
        page.fill(f"#path-{index}", str(path))
        page.press(f"#path-{index}", "Enter")
        page.wait_for_selector(f"#input-{index} .preview")
    page.wait_for_selector("#run-area:not([hidden])")


def run_and_wait(page):
    page.click("#run")
    page.wait_for_selector("#result-area:not([hidden]), #run-error:not([hidden])")
    assert page.locator("#run-error").is_hidden(), page.locator("#run-error").inner_text()


def summary(page) -> dict[str, str]:
    terms = page.locator("#result-summary dt").all_inner_texts()
    values = page.locator("#result-summary dd").all_inner_texts()
    return dict(zip(terms, values))


def compare_counts(page) -> dict[str, str]:
    """Compare's row counts, shown after its schema changes (ui/results/compare.js)."""
    terms = page.locator("#compare-counts dt").all_inner_texts()
    return dict(zip(terms, page.locator("#compare-counts dd").all_inner_texts()))


def save_as(page, target):
    page.fill("#save-path", str(target))
    page.click("#save")
    page.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])")
    assert page.locator("#save-message").inner_text().startswith(f"Saved: {target}"), \
        page.locator("#save-error").inner_text()


def test_fix_encoding_shows_the_detected_encoding_and_saves_utf8(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "encoding", [FIXTURES / "latin1.csv"])
    assert page.locator("#encoding-0").input_value() == "cp1252"
    assert page.locator("#delimiter-0").input_value() == ","
    assert "José Müller" in page.locator("#input-0 table").inner_text()
    run_and_wait(page)
    assert summary(page)["Encoding"] == "cp1252"
    # Only the start of the new file is shown, and the caption says so (not "200 of 200").
    assert page.locator("#result-table caption").inner_text().startswith("The new file's first ")
    screenshot(page, "desktop-tool-encoding")
    target = tmp_path / "latin1-utf8.csv"
    save_as(page, target)
    assert target.read_text(encoding="utf-8").splitlines()[1] == "José Müller,Köln"


def test_clean_lists_what_changed(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "clean", [FIXTURES / "messy.csv"])
    page.select_option("#option-case", "title")
    run_and_wait(page)
    assert int(summary(page)["Cells changed"]) > 0
    assert "Remove extra spaces (at the start and end, and repeated inside)" in page.locator(".changes").inner_text()
    # What really changed, column by column, with examples: counted by comparing the cells.
    examples = page.locator(".examples tbody tr").all_inner_texts()
    assert examples[0].split("\t")[:2] == ["name", "2"]
    # Spaces a page would hide are drawn (DECISIONS 522).
    assert "␣␣Anna␣␣␣Schmidt␣ → Anna Schmidt" in examples[0]
    screenshot(page, "desktop-tool-clean")
    target = tmp_path / "clean.csv"
    save_as(page, target)
    assert "Anna Schmidt,Berlin" in target.read_text(encoding="utf-8")


def test_profile_draws_a_chart_per_column(licensed_page, screenshot):
    page = licensed_page
    choose_files(page, "profile", [FIXTURES / "customers.csv"])
    run_and_wait(page)
    assert summary(page) == {"Rows": "10", "Columns": "4"}
    assert page.locator(".column-card").count() == 4
    assert page.locator(".column-card svg.chart").count() >= 4
    assert "10 of 10 filled" in page.locator(".column-card").first.inner_text()
    screenshot(page, "desktop-tool-profile")


def test_compare_counts_added_removed_changed(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "compare", [FIXTURES / "customers.csv", FIXTURES / "customers-new.csv"])
    page.select_option("#option-key", "id")
    run_and_wait(page)
    assert compare_counts(page) == {"Rows added": "1", "Rows removed": "3", "Rows changed": "1", "Rows unchanged": "6"}
    page.wait_for_selector("#compare-list table")
    screenshot(page, "desktop-tool-compare")
    save_as(page, tmp_path / "changes.csv")


def test_compare_without_a_key_says_which_column_it_chose_and_why(licensed_page, tmp_path):
    page = licensed_page
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("No,sku\n1,A\n2,B\n", encoding="utf-8")
    new.write_text("No,sku\n1,X\n2,A\n3,B\n", encoding="utf-8")
    choose_files(page, "compare", [old, new])
    assert page.locator("#option-key option").first.inner_text() == "(none: DataTools picks the column)"
    run_and_wait(page)
    assert compare_counts(page) == {"Rows added": "1", "Rows removed": "0", "Rows changed": "0", "Rows unchanged": "2"}
    assert page.locator("#result-extra .notice").all_inner_texts() == [
        "Rows paired by the column sku (chosen by DataTools: 0 other cells equal; also considered: "
        "No, a running row number).",
        "No is a running row number: renumbered in 2 paired rows, not counted as a change."]


def test_dedupe_groups_can_be_reviewed_before_saving(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "dedupe", [FIXTURES / "customers.csv"])
    page.check("#option-columns input[value='name']")
    page.check("#option-columns input[value='email']")
    # The form's default is the engine's (the registry's), the one the command line uses: no
    # fixed score, the run decides certain and possible groups from the table itself.
    assert page.input_value("#option-threshold") == ""
    run_and_wait(page)
    # The review's keep choices are drawn after the run's result arrives: read them once drawn
    # (read at once, under load, they were not there yet).
    page.wait_for_selector("input[name=keep][value=all]", state="attached")
    keep = page.locator("input[name=keep]")
    # The recommended policy first, and chosen: the most complete row survives.
    assert [keep.nth(i).get_attribute("value") for i in range(keep.count())] == [
        "most-complete", "first", "all"]
    assert page.is_checked("input[name=keep][value=most-complete]")
    page.wait_for_selector("#review-groups .group")
    groups = page.locator(".group")
    assert groups.count() >= 3
    assert "Why" in groups.first.inner_text()
    screenshot(page, "desktop-tool-dedupe")
    page.check("input[name=keep][value=first]")
    page.wait_for_selector("#review-counts:has-text('3 rows removed')")
    target = tmp_path / "deduped.csv"
    save_as(page, target)
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1 + 10 - 3


def test_dedupe_takes_a_synonym_table_typed_into_its_field(licensed_page, tmp_path):
    page = licensed_page
    members = tmp_path / "members.csv"
    members.write_text("first,last,street\nBob,Haines,41 Birch Rd\nRobert,Haines,41 Birch Rd\n"
                       "Linda,Haines,41 Birch Rd\n", encoding="utf-8")
    table = tmp_path / "nicknames.csv"
    table.write_text("from,to\nBob,Robert\n", encoding="utf-8")
    choose_files(page, "dedupe", [members])
    for column in ("first", "last", "street"):
        page.check(f"#option-columns input[value='{column}']")
    assert page.locator("label[for=option-synonyms]").inner_text() == (
        "Synonym table (a CSV with from,to columns; optional)")
    page.fill("#option-synonyms", str(table))
    run_and_wait(page)
    page.wait_for_selector("#review-groups .group")
    groups = page.locator("#review-groups .group")
    assert groups.count() == 1
    assert "Robert" in groups.first.inner_text() and "Bob" in groups.first.inner_text()


def test_match_links_each_order_to_a_customer(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "match", [FIXTURES / "orders.csv", FIXTURES / "customers.csv"])
    page.check("#option-on input[value='customer']")
    # The pairing is shown: no column of the second file is called "customer", so it asks.
    assert page.input_value("#pair-0") == ""
    page.select_option("#pair-0", "name")
    run_and_wait(page)
    found = summary(page)
    assert found["Rows to match"] == "5"
    assert int(found["Rows matched"]) >= 3
    page.wait_for_selector("#matches-list tbody tr")
    # Both sides' columns under their own names, grouped by file: no right_ prefix.
    assert page.locator("#matches-list thead tr").first.inner_text().split("\t")[1:] == [
        "First file: orders.csv", "Second file: customers.csv"]
    assert "right_name" not in page.locator("#matches-list").inner_text()
    screenshot(page, "desktop-tool-match")
    save_as(page, tmp_path / "matched.csv")


def test_long_run_shows_progress_and_cancel_writes_nothing(licensed_page, tmp_path, screenshot):
    page = licensed_page
    rng = random.Random(7)
    first = ["Anna", "Ben", "Carla", "David", "Emile", "Fatima", "Greta", "Hiro", "Ines", "Jon"]
    last = ["Schmidt", "Okafor", "Ruiz", "Chen", "Durand", "Zahra", "Lind", "Tanaka", "Costa", "Berg"]
    folder = tmp_path / "data"
    folder.mkdir()
    big = folder / "big.csv"
    big.write_text("name,city\n" + "".join(
        f"{rng.choice(first)} {rng.choice(last)}{rng.randint(1, 999)},Leeds\n" for _ in range(30_000)),
        encoding="utf-8")
    choose_files(page, "dedupe", [big])
    page.check("#option-columns input[value='name']")
    page.click("#run")
    page.wait_for_selector("#progress-area:not([hidden])")
    page.wait_for_selector('#progress:not([aria-valuenow="0"])')
    assert 0 < int(page.get_attribute("#progress", "aria-valuenow")) < 100
    screenshot(page, "desktop-progress")
    page.click("#cancel")
    page.wait_for_selector("#run-error:not([hidden])")
    assert page.locator("#run-error").inner_text() == "Cancelled. Nothing was written."
    # A cancel the user asked for is said calmly, not as a red error.
    assert page.get_attribute("#run-error", "class") == "cancelled"
    assert page.get_attribute("#run-error", "role") == "status"
    assert page.eval_on_selector("#run-error", "e => getComputedStyle(e).color") != "rgb(164, 22, 26)"   # --bad
    assert page.locator("#result-area").is_hidden()
    assert sorted(p.name for p in folder.iterdir()) == ["big.csv"]


def test_trial_result_says_which_rows_were_used(page, tmp_path, screenshot):
    source = tmp_path / "long.csv"
    source.write_text("n,word\n" + "".join(f"{i},w{i % 7}\n" for i in range(1500)), encoding="utf-8")
    choose_files(page, "profile", [source])
    run_and_wait(page)
    assert page.locator("#result-trial").inner_text() == (
        "Trial version: only part of the data was used (long.csv: 1,000 of 1,500 rows). "
        "Enter your license to use whole files.")
    screenshot(page, "desktop-trial-result")


def test_a_missing_file_is_reported_next_to_its_field(page):
    page.click("#tool-clean")
    page.fill("#path-0", "/nowhere/file.csv")
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-error-0:not([hidden])")
    assert page.locator("#input-error-0").inner_text() == (
        "There is no file at this location. Check the spelling, or choose the file again.")
    assert page.evaluate("document.activeElement.id") == "path-0"


def test_browser_mode_uploads_a_chosen_file(page, screenshot):
    page.click("#tool-profile")
    page.set_input_files("#upload-0", str(FIXTURES / "customers.csv"))
    page.wait_for_selector("#input-0 .preview")
    assert page.locator("#path-0").input_value().endswith("/customers.csv")
    screenshot(page, "desktop-preview")


def test_a_file_dropped_on_the_window_is_previewed_and_focus_moves_to_the_options(licensed_page):
    page = licensed_page
    page.click("#tool-dedupe")
    content = (FIXTURES / "customers.csv").read_text(encoding="utf-8")
    drop = page.evaluate_handle("""(text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], "dropped.csv", { type: "text/csv" }));
        return data; }""", content)
    page.dispatch_event("#screen-tool", "dragover", {"dataTransfer": drop})
    page.dispatch_event("#inputs", "drop", {"dataTransfer": drop})
    page.wait_for_selector("#input-0 .preview")
    assert page.input_value("#path-0").endswith("/dropped.csv")
    # Focus lands on what just appeared (the first option), not at the top of the window.
    assert page.evaluate("document.activeElement.id") == "option-columns-0"


def test_the_hidden_file_chooser_shows_a_focus_ring_on_its_button(page):
    page.click("#tool-profile")
    page.focus("#path-0")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "upload-0"
    ring = page.evaluate("getComputedStyle(document.querySelector('label[for=upload-0]')).outlineStyle")
    assert ring == "solid"


def test_going_back_to_the_tools_keeps_the_result_until_starting_over(licensed_page):
    page = licensed_page
    choose_files(page, "profile", [FIXTURES / "customers.csv"])
    run_and_wait(page)
    page.click("#tool-back")
    page.click("#tool-profile")
    assert page.locator("#result-area").is_visible()
    assert page.input_value("#path-0") == str(FIXTURES / "customers.csv")
    page.click("#start-over")
    assert page.locator("#result-area").is_hidden() and page.input_value("#path-0") == ""


def test_one_tools_error_is_not_shown_in_the_next_tool(licensed_page):
    # Run with no column chosen says so; Match, opened next with both files, has no error yet
    # (trial E: "Choose at least one column." stood under Match before any Run).
    page = licensed_page
    choose_files(page, "dedupe", [FIXTURES / "customers.csv"])
    page.click("#run")
    page.wait_for_selector("#run-error:not([hidden])")
    assert page.locator("#run-error").inner_text() == "Choose at least one column."
    page.click("#tool-back")
    choose_files(page, "match", [FIXTURES / "orders.csv", FIXTURES / "customers.csv"])
    assert page.locator("#run-error").is_hidden()


def test_visible_mojibake_is_shown_and_its_repair_starts_ticked(licensed_page, tmp_path):
    page = licensed_page
    source = tmp_path / "cities.csv"
    source.write_text("city,country\n" + "KÃ¸benhavn,DK\nMÃ¼nchen,DE\n" + "Oslo,NO\n" * 50, encoding="utf-8")
    choose_files(page, "encoding", [source])
    assert page.locator("#mojibake-0").inner_text().startswith(
        "Some letters look garbled, as when a UTF-8 file is read as cp1252: “KÃ¸benhavn,DK” should read “København,DK”.")
    assert page.is_checked("#option-repair_mojibake")
    run_and_wait(page)
    target = tmp_path / "cities-fixed.csv"
    save_as(page, target)
    assert target.read_text(encoding="utf-8").splitlines()[1:3] == ["København,DK", "München,DE"]


def test_a_german_review_explains_each_group_in_german_and_jumps_to_save(licensed_page):
    page = licensed_page
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    choose_files(page, "dedupe", [FIXTURES / "customers.csv"])
    page.check("#option-columns input[value='name']")
    page.check("#option-columns input[value='email']")
    run_and_wait(page)
    page.wait_for_selector("#review-groups .group")
    reason = page.locator("#review-groups .group").first.locator("tbody tr td.why").first.inner_text()
    assert reason.startswith("wie Zeile ") and "übereinstimmend name " in reason \
        and "; ganze Zeile " in reason and "seltene Wörter " in reason, reason
    page.click("#review-to-save")
    assert page.evaluate("document.activeElement.id") == "save"


def test_the_file_chooser_offers_every_spreadsheet_kind_the_reader_reads(page):
    page.click("#tool-profile")
    offered = page.get_attribute("#upload-0", "accept").split(",")
    assert {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"} <= set(offered)


def test_formulas_without_results_are_named_in_the_preview_and_the_result(licensed_page):
    page = licensed_page
    book = FIXTURES.parents[1] / "data" / "field_cases" / "formulas_no_cached_values.xlsx"
    choose_files(page, "profile", [book])
    assert "empty: total (C2)." in page.locator("#input-0 .preview").inner_text()
    # A workbook has no encoding or separator to choose: no empty choice and no "Other:" shown.
    options = " ".join(page.locator("#input-0 .read-options").inner_text().split())
    assert options == "The file has a header row Header row"
    assert page.locator("#encoding-0, #delimiter-0").count() == 0
    run_and_wait(page)
    assert "empty: total (C2)." in page.locator("#result-extra .notice").first.inner_text()


def test_the_phone_region_list_holds_every_region_named_in_the_windows_language(licensed_page, tmp_path):
    """A Polish shop found no Poland among the form's 14 countries, though `--phone-region PL`
    works on the command line. Every region the command line takes is offered, by name."""
    page = licensed_page
    source = tmp_path / "tel.csv"
    source.write_text("tel\n12 345 67 89\n+49 30 1234567\n", "utf-8")
    choose_files(page, "clean", [source])
    labels = page.locator("#option-phone_region option").all_inner_texts()
    assert "Poland (PL)" in labels and "Germany (DE)" in labels and len(labels) > 200
    page.select_option("#option-phone_region", "PL")
    page.check("#option-phones")
    run_and_wait(page)
    target = tmp_path / "tel-clean.csv"
    save_as(page, target)
    assert target.read_text("utf-8") == "tel\n+48123456789\n+49301234567\n"
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    assert "Polen (PL)" in page.locator("#option-phone_region option").all_inner_texts()


def test_a_trimmed_space_shows_in_the_clean_examples(licensed_page, tmp_path):
    """Spaces at an end or doubled do not show on a page: the examples once read
    "Al. Jana Pawła II2  → Al. Jana Pawła II2", a change that looked like none."""
    page = licensed_page
    source = tmp_path / "adresy.csv"
    source.write_text("adres;miasto\nAl. Jana Pawła II2  ;Kraków\nul.  Długa 5;Gdańsk\n", "utf-8")
    choose_files(page, "clean", [source])
    run_and_wait(page)
    examples = page.locator("section.examples tbody tr td").all_inner_texts()
    assert examples[2] == "Al. Jana Pawła II2␣␣ → Al. Jana Pawła II2   ·   ul.␣␣Długa 5 → ul. Długa 5"
    assert page.locator("#clean-spaces-key").inner_text() == (
        "␣ is a space the page would not show (at an end, or one of several); ⍽ a no-break space; ⇥ a tab.")
