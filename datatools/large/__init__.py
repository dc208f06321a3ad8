"""Files larger than memory: a Parquet working copy of the input, and DuckDB running the tools on it.

The reading front end (datatools/io) decides encoding, dialect and header as for any file; then
`workcopy.make_working_copy` streams the input once into a UTF-8 Parquet file in the user's cache
folder, and the tools here (`profile`, `clean`) run on it under DuckDB's memory limit, spilling to
disk. `engine.choose_engine` decides by size which path a run takes. docs/DECISIONS.md 171.
"""
