"""What makes a second import of the same file create nothing new.

Each imported customer carries blind-index terms of a pseudo-field, ``_import``: the
fingerprint of the row it came from (its normalised values, canonically encoded) and, when
the caller names a column holding their own id for the customer, that external id. They are
index terms like any other: the repository stores only the blind indexer's HMAC of them
(never a plain hash, which could be guessed offline from a few likely values), and they go
wherever the customer's index terms go. An import looks each row's terms up before saving it.

The terms are not derived from the values held today (a record corrected after its import
is still the customer that row made), so rebuilding a record's terms from its values does
not make them again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from clientkeep.customers.ports import IndexTerm

IMPORT_FIELD = "_import"
FINGERPRINT_KIND = "row_fingerprint"
EXTERNAL_ID_KIND = "external_id"
# An id from another system: long enough for a UUID, a URN or a composite key.
MAX_EXTERNAL_ID = 200


def fingerprint_term(values: Mapping[str, str]) -> IndexTerm:
    """The term for a row of normalised values: equal rows, however their files spelt them
    ("sw1a1aa", "SW1A 1AA"), give equal terms."""
    canonical = json.dumps(sorted(values.items()), ensure_ascii=False, separators=(",", ":"))
    return IndexTerm(IMPORT_FIELD, FINGERPRINT_KIND, canonical)


def external_id_term(external_id: str) -> IndexTerm:
    return IndexTerm(IMPORT_FIELD, EXTERNAL_ID_KIND, external_id)


def external_id_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be an external id, or None. It is compared as given, stripped."""
    text = raw.strip()
    if not text:
        return "Give this row's id from the other system."
    if len(text) > MAX_EXTERNAL_ID:
        return f"Use at most {MAX_EXTERNAL_ID} characters for the id."
    if not text.isprintable():
        return "Remove the invisible or control characters from the id."
    return None
