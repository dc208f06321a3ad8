"""The bundled program's entry point: the same `main` as the `datatools` console script."""

import sys

from datatools.cli import main

if __name__ == "__main__":
    sys.exit(main())
