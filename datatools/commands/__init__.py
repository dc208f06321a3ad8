"""The `datatools` subcommands: one module per tool, a thin layer over `datatools.tools`."""
