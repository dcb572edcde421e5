"""Sealing values under each customer's data key, bound to where they are stored."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.crypto.keystore import KeyStore


class Sealer:
    """Opens ciphers per customer; the key store caches unwrapped data keys."""

    def __init__(self, keystore: KeyStore) -> None:
        self._keystore = keystore

    def new_customers(self, customer_ids: list[str]) -> dict[str, CustomerCipher]:
        keys = self._keystore.create_data_keys(customer_ids)
        return {cid: CustomerCipher(cid, key) for cid, key in keys.items()}

    def cipher(self, customer_id: str) -> CustomerCipher:
        return CustomerCipher(customer_id, self._keystore.data_key(customer_id))

    def ciphers(self, customer_ids: Iterable[str]) -> dict[str, CustomerCipher]:
        keys = self._keystore.data_keys(list(customer_ids))
        return {cid: CustomerCipher(cid, key) for cid, key in keys.items()}

    def destroy(self, customer_id: str) -> None:
        self._keystore.destroy(customer_id)
