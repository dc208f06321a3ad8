"""This release's version and date; the date decides which licenses' update windows cover it."""

from datetime import date

__version__ = "0.1.0"
# A license whose updates_until is before this date does not cover this release.
RELEASE_DATE = date(2026, 11, 23)
PRODUCT = "datatools"
