"""Sealing values under each customer's data key, bound to where they are stored."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.crypto.keystore import KeyStore


class Sealer:
    """Opens ciphers per customer; the key store caches unwrapped data keys.

    A cipher seals under the customer's newest key version and opens any version they still
    hold (the version is in each value's header).
    """

    def __init__(self, keystore: KeyStore) -> None:
        self._keystore = keystore

    def new_customers(self, customer_ids: list[str]) -> dict[str, CustomerCipher]:
        keys = self._keystore.create_data_keys(customer_ids)
        return {cid: CustomerCipher(cid, key) for cid, key in keys.items()}

    def cipher(self, customer_id: str) -> CustomerCipher:
        return CustomerCipher(customer_id, self._keystore.keys_of(customer_id))

    def ciphers(self, customer_ids: Iterable[str]) -> dict[str, CustomerCipher]:
        found = self._keystore.customer_keys(customer_ids)
        return {cid: CustomerCipher(cid, keys) for cid, keys in found.items()}

    def versions(self, customer_id: str) -> list[int]:
        """The key versions the customer still holds, oldest first."""
        return self._keystore.versions(customer_id)

    def add_version(self, customer_id: str) -> int:
        """A new newest key version: what is sealed from now on goes under it."""
        return self._keystore.add_version(customer_id)

    def destroy(self, customer_id: str, version: int | None = None) -> None:
        """Destroy one key version, or (None) the customer's every version. Idempotent."""
        self._keystore.destroy(customer_id, version)
