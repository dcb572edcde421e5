"""Sealing staff members' second-factor secrets with AES-256-GCM.

One key for every member, derived from a key-store secret of its own: these secrets belong
to staff, not to a customer, so they are not under any customer's data key and are not
destroyed by an erasure. The associated data binds each sealed secret to its table, column
and member, so a secret copied onto another member's row does not open.
"""

from __future__ import annotations

from clientkeep.adapters.crypto.aead import associated_data, open_sealed, seal

_TABLE = "staff_second_factor"
_COLUMN = "sealed_secret"


class SecondFactorSealer:
    """The staff domain's SecretSealer port."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "SecondFactorSealer(<key>)"

    def seal(self, staff_id: str, secret: str) -> bytes:
        return seal(self._key, secret.encode("utf-8"), self._aad(staff_id))

    def open(self, staff_id: str, sealed: bytes) -> str:
        return open_sealed(self._key, sealed, self._aad(staff_id)).decode("utf-8")

    @staticmethod
    def _aad(staff_id: str) -> bytes:
        # The member's id stands where a customer's would: the row and its owner are one.
        return associated_data(_TABLE, _COLUMN, staff_id, staff_id)
