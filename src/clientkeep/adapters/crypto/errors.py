"""Key-store errors. Messages hold customer ids at most, never key material."""

from __future__ import annotations


class KeystoreError(Exception):
    """Base for key-store failures."""


class DataKeyMissing(KeystoreError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no data key for customer {customer_id}")
        self.customer_id = customer_id


class DataKeyDestroyed(KeystoreError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"the data key for customer {customer_id} was destroyed (erased)")
        self.customer_id = customer_id


class DataKeyExists(KeystoreError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"customer {customer_id} already has a data key")
        self.customer_id = customer_id


class NothingToRotate(KeystoreError):
    """Every key is already on the highest master version the operator supplied."""


class NewestKeyVersion(KeystoreError):
    """Destroying a customer's newest key version on its own: add a newer version first."""

    def __init__(self, customer_id: str, version: int) -> None:
        super().__init__(
            f"version {version} is the newest data key of customer {customer_id}: add a new "
            "version before destroying it, or destroy every version"
        )
        self.customer_id = customer_id
        self.version = version
