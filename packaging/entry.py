"""The bundled program's entry point: the same `main` as the `datatools` console script."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A dedupe's second scoring process (datatools/tools/scoring_process.py) is started by
    # multiprocessing's spawn method: in the bundle that runs this program again, and
    # freeze_support turns such a run into the worker (it returns at once otherwise).
    multiprocessing.freeze_support()
    if sys.argv[1:2] == ["--datatools-sheet-reader"]:   # datatools/io/sheet_process.py's child
        from datatools.io.sheet_process import child_main

        sys.exit(child_main())
    from datatools.cli import main
    from datatools.leaving import run_and_leave

    run_and_leave(main)
