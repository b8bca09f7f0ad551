"""Evidence protection: encryption of identity fields and the custody hash chain."""

from .crypto import FieldCipher, LedgerKey
from .custody import CustodyEntry, chain_problems, entry_hash

__all__ = ["CustodyEntry", "FieldCipher", "LedgerKey", "chain_problems", "entry_hash"]
