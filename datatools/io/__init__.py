"""Reading and writing tables: every tool goes through `read_table` and `write_table`.

Columns are read as text (leading zeros and ZIP codes survive); empty cells are "".
"""

from datatools.io.detect import EncodingReport, detect_encoding
from datatools.io.tables import Table, preview_table, read_table
from datatools.io.writing import write_table

__all__ = ["EncodingReport", "Table", "detect_encoding", "preview_table", "read_table", "write_table"]
