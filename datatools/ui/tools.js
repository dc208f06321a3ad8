// Each tool's inputs and options as the form draws them, built from the tool registry the server
// sends in /api/state (datatools/registry.py): names, kinds, defaults and choices live there.
// What stays here is how the preview offers reading choices.
import { language, t } from "./i18n.js";

export const ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "cp1250", "latin-1", "utf-16", "mac_roman", "cp850",
                          "iso-8859-15", "iso-8859-2"];
export const DELIMITERS = [[",", "delimiter.comma"], [";", "delimiter.semicolon"], ["\t", "delimiter.tab"], ["|", "delimiter.pipe"]];

// Registry option kind → the control the form draws.
const CONTROLS = { flag: "checkbox", choice: "select", encoding: "select", region: "select",
                   number: "number", integer: "number", column: "column", columns: "columns",
                   file: "text", rules: "rules" };

function field(option, options) {
  const control = { name: option.name, type: CONTROLS[option.kind], label: option.label,
                    value: option.default ?? "", input: option.input ?? 0, empty: option.empty,
                    min: option.minimum, max: option.maximum, step: 1 };
  // Columns of the second file beside columns of the first (match's right_on next to on) are
  // their partners, in order: the form shows them as explicit pairs, one per chosen column.
  const partner = options.find((o) => o.kind === "columns" && (o.input ?? 0) === 0 && o.form);
  if (option.kind === "columns" && option.input === 1 && partner) {
    control.type = "pairing";
    control.partner = partner.name;
  }
  if (control.type === "select") {
    const choices = option.kind === "region" ? regionChoices(option.regions || []) : option.choices || [];
    control.named = option.kind === "region";   // labels already in words, not catalog keys
    const empty = option.empty && control.named ? t(option.empty) : option.empty;
    control.choices = option.empty ? [["", empty], ...choices] : choices;
  }
  if (control.type === "checkbox") control.value = Boolean(option.default);
  return control;
}

// Phone regions: every region the server's libphonenumber knows, named in the window's language
// by the browser's own table (Intl.DisplayNames, CLDR) as "Poland (PL)", sorted by that name.
function regionChoices(codes) {
  const names = new Intl.DisplayNames([language], { type: "region" });
  const name = (code) => { try { return names.of(code) ?? code; } catch { return code; } };
  return codes.map((code) => [code, `${name(code)} (${code})`])
    .sort((a, b) => a[1].localeCompare(b[1], language));
}

// The form's definition of tool `id` from the server's state: { inputs: [label keys], options }.
export function toolDef(state, id) {
  const tool = state.tools[id];
  return { inputs: tool.inputs, recipe: tool.recipe, options: tool.options.filter((o) => o.form).map((o) => field(o, tool.options)) };
}
