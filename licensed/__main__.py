"""`python -m licensed` runs the `licensed` command."""

import sys

from licensed.cli import main

sys.exit(main())
