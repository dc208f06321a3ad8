"""The data tools' exception tree: each error carries a stable code and a message for the user.

Raised below the edges, translated once at the edge: CLI → message + exit code 1, local server →
JSON error, UI → a message next to the control that caused it.
"""

from typing import Sequence


class DataToolsError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadInput(DataToolsError):
    """The input file or an option cannot be used as given (unreadable, empty, wrong column…).

    `params` fill the UI's translated message for `code` (the file's name, a line number).
    """

    code = "bad_input"

    def __init__(self, message: str, *, code: str | None = None,
                 params: dict[str, str] | None = None):
        super().__init__(message, code=code)
        self.params = params or {}


class BadOption(BadInput):
    """An option or reading setting is not usable (unknown codec, column, choice; out of range).

    A usage error: the CLI exits 2, the desktop answers 400; `params` fill the UI's message.
    """

    code = "bad_option"

    def __init__(self, message: str, *, code: str | None = None,
                 params: dict[str, str] | None = None):
        super().__init__(message, code=code)
        self.params = params or {}


class OutputExists(DataToolsError):
    """The output file exists and the user did not allow replacing it (`--force`).

    `params`: `file`, the name of the file that exists (the UI's message names it).
    """

    code = "output_exists"

    def __init__(self, message: str, *, params: dict[str, str] | None = None):
        super().__init__(message)
        self.params = params or {}


class WouldOverwriteInput(DataToolsError):
    """The output names one of the run's inputs; refused even with `--force` (datatools/safe_write.py)."""

    code = "would_overwrite_input"


class Cancelled(DataToolsError):
    """The user cancelled a long run; nothing was written."""

    code = "cancelled"

    def __init__(self, message: str = "Cancelled; nothing was written."):
        super().__init__(message)


class CommandError(DataToolsError):
    """A user-facing failure of a command line: printed as one line, exit code 1 (or the one given)."""

    code = "command_error"

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def no_such_column(missing: Sequence[str], columns: Sequence, what: str = "",
                   hint: str = "") -> "BadOption":
    """The one `no_such_column` error every tool gives: `No column 'x' in the right table; the
    columns are: a, b.` `what` names the table ("" for the only one). When a missing name joins
    existing columns with `+` but without the spaces of `A + B`, the message shows how to write
    it; else `hint` (a sentence, "" for none) ends it.
    """
    names = [str(c) for c in columns]
    where = f" in {what}" if what else ""
    hint = f" {hint}" if hint else ""
    for name in missing:
        parts = [p.strip() for p in str(name).split("+")]
        if len(parts) > 1 and all(p in names for p in parts):
            hint = f" To read columns as one, put spaces around the plus: '{' + '.join(parts)}'."
            break
    return BadOption(f"No column {', '.join(repr(str(c)) for c in missing)}{where}; "
                     f"the columns are: {', '.join(names)}.{hint}",
                     code="no_such_column", params={"columns": ", ".join(map(str, missing))})
