"""Operator tools: `dtadmin` (the daemon's /internal API over an SSH tunnel) and `dtmint`.

`dtadmin.cli` and what it imports use the standard library only, so `dtadmin` runs on an
operator's laptop without the server extras; `dtadmin.offline` (`dtmint`) also needs the
license codec, `datatools/license.py` (the standard library and `cryptography`).
"""
