"""The signer: the one process that holds the private keys (ARCHITECTURE.md).

The daemon sends license *fields* over a Unix socket (`protocol.py`); the signer checks the
caller (`SO_PEERCRED`), the fields (`policy.py`) and its rate limits (`limits.py`), builds the
payload itself with the license codec, signs it, and appends the signature to a hash-chained
log (`chain.py`) before answering. `server.py` runs it, `client.py` is the daemon's side.
"""
