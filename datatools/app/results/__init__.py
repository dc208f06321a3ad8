"""One object per kind of result a desktop job leaves: its view, its file types and one `write()`.

Each kind has a module here and a module of the same name in `datatools/ui/results/` that
draws its view; the JSON says which (`"kind"`). Save and Download both call `write()`, so the
file a user downloads is the file Save writes.
"""

from datatools.app.results.base import Result, TableResult, table_view

__all__ = ["Result", "TableResult", "table_view"]
