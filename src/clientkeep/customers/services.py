"""The customer-record use cases: what entry points and other capabilities call.

Each use case lives in its own module (registration, reading, rectification, merge, review,
bulk, reindex); this module is their one public door.
"""

from __future__ import annotations

from clientkeep.customers._records import load as load_customer
from clientkeep.customers.index_terms import terms_of as index_terms_for
from clientkeep.customers.kinds import customer_record_kinds
from clientkeep.customers.merge import MergeCustomers, merge
from clientkeep.customers.reading import history, read
from clientkeep.customers.rectification import CONFIRM_METHODS, UpdateCustomer, confirm, update
from clientkeep.customers.registration import (
    RegisterCustomer,
    Registered,
    find_duplicates_before_saving,
    register,
)
from clientkeep.customers.review import ReviewQueue, dismiss_duplicate, review_queue

__all__ = [
    "CONFIRM_METHODS",
    "MergeCustomers",
    "RegisterCustomer",
    "Registered",
    "ReviewQueue",
    "UpdateCustomer",
    "confirm",
    "customer_record_kinds",
    "dismiss_duplicate",
    "find_duplicates_before_saving",
    "history",
    "index_terms_for",
    "load_customer",
    "merge",
    "read",
    "register",
    "review_queue",
    "update",
]
