// What each tool asks for: its input files and its options. Labels are catalog keys.
// Option `name`s are the names the server's tool adapters (datatools/app/tool_jobs.py) read.

export const ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac_roman", "cp850", "iso-8859-15"];
export const DELIMITERS = [[",", "delimiter.comma"], [";", "delimiter.semicolon"], ["\t", "delimiter.tab"], ["|", "delimiter.pipe"]];

export const TOOL_DEFS = {
  encoding: {
    inputs: ["input.file"],
    options: [
      { name: "target", type: "select", label: "encoding.target", value: "utf-8",
        choices: [["utf-8", "encoding.utf8"], ["utf-8-sig", "encoding.utf8bom"], ["cp1252", "encoding.cp1252"]] },
      { name: "repair_mojibake", type: "checkbox", label: "encoding.repair" },
    ],
  },
  clean: {
    inputs: ["input.file"],
    options: [
      { name: "trim", type: "checkbox", label: "clean.trim", value: true },
      { name: "invisible", type: "checkbox", label: "clean.invisible", value: true },
      { name: "empty_values", type: "checkbox", label: "clean.empty_values", value: true },
      { name: "unicode_nfc", type: "checkbox", label: "clean.unicode_nfc", value: true },
      { name: "case", type: "select", label: "clean.case", value: "",
        choices: [["", "clean.case_keep"], ["lower", "clean.case_lower"], ["upper", "clean.case_upper"], ["title", "clean.case_title"]] },
      { name: "dates", type: "select", label: "clean.dates", value: "",
        choices: [["", "clean.leave"], ["auto", "clean.dates_auto"], ["day-first", "clean.dates_day_first"], ["month-first", "clean.dates_month_first"]] },
      { name: "numbers", type: "select", label: "clean.numbers", value: "",
        choices: [["", "clean.leave"], ["auto", "clean.numbers_auto"], ["point", "clean.numbers_point"], ["comma", "clean.numbers_comma"]] },
      { name: "phones", type: "checkbox", label: "clean.phones" },
      { name: "emails", type: "checkbox", label: "clean.emails" },
    ],
  },
  profile: { inputs: ["input.file"], options: [] },
  compare: {
    inputs: ["input.old", "input.new"],
    options: [{ name: "key", type: "column", input: 0, label: "compare.key", empty: "compare.key_none" }],
  },
  dedupe: {
    inputs: ["input.file"],
    options: [
      { name: "columns", type: "columns", input: 0, label: "dedupe.columns" },
      { name: "threshold", type: "number", label: "option.threshold", min: 0, max: 100, step: 1, value: 60 },
    ],
  },
  match: {
    inputs: ["input.left", "input.right"],
    options: [
      { name: "on", type: "columns", input: 0, label: "match.on" },
      { name: "right_on", type: "columns", input: 1, label: "match.right_on" },
      { name: "threshold", type: "number", label: "option.threshold", min: 0, max: 100, step: 1, value: 60 },
      { name: "top", type: "number", label: "match.top", min: 1, max: 10, step: 1, value: 1 },
      { name: "unique", type: "checkbox", label: "match.unique" },
    ],
  },
};
