"""Reading and writing tables: every tool goes through `read_table` and `write_table`.

Columns are read as text (leading zeros and ZIP codes survive); empty cells are "".
"""

from datatools.io.tables import Table, read_table, write_table

__all__ = ["Table", "read_table", "write_table"]
