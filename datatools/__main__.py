"""`python -m datatools` runs the same entry point as the `datatools` command."""

import sys

from datatools.cli import main

sys.exit(main())
