"""The customer reference callers quote (CK-7KQ4-M2PX): indexed, matched however typed."""

from __future__ import annotations

import re

from clientkeep.policy.model import CustomerReference

REFERENCE_KIND = "reference"


def reference_term(text: str, rules: CustomerReference) -> str | None:
    """``ck 7kq4 m2px`` -> ``CK7KQ4M2PX``; None if it cannot be a reference under ``rules``."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not compact.startswith(rules.prefix):
        return None
    body = compact[len(rules.prefix) :]
    if len(body) != rules.length or any(ch not in rules.alphabet for ch in body):
        return None
    return compact
