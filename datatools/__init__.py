"""DataTools: an offline data-cleaning toolkit for people who live in spreadsheets."""

from datatools.version import RELEASE_DATE, __version__

__all__ = ["RELEASE_DATE", "__version__"]
