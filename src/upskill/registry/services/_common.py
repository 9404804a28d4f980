"""What several of the registry's services share."""

from __future__ import annotations

# The purpose of the bank account number's keyed hash (core/crypto.py).
ACCOUNT_PURPOSE = "bank.account_number"
