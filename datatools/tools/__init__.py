"""The data tools, one module per tool: a pure function over data plus its `register` for the CLI."""
