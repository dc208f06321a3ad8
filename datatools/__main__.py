"""`python -m datatools` runs the same entry point as the `datatools` command."""

from datatools.cli import main
from datatools.leaving import run_and_leave

run_and_leave(main)
