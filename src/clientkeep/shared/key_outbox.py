"""Destroying data keys once a change is committed: the port a use case asks through.

Destroying a key cannot be undone, so it never happens inside the transaction that needs it
(a rolled-back merge or erasure must still open its data). Nor may it be forgotten if the key
store is down when that transaction commits: the request is written in the same transaction,
carried out after commit, and retried until it is done.
"""

from __future__ import annotations

import re
from typing import Protocol

# A reason is a fixed word of the code's ("merged", "erased"), never free text: requests are
# kept in the clear, and a person's details must not end up in them.
_REASON = re.compile(r"[a-z][a-z_]{0,31}")


def check_reason(reason: str) -> str:
    if not _REASON.fullmatch(reason):
        raise ValueError("a key destruction reason is one lowercase word, such as 'merged'")
    return reason


class KeyOutbox(Protocol):
    def destroy_after_commit(
        self, customer_id: str, *, version: int | None = None, reason: str
    ) -> None:
        """Destroy the customer's data key once this unit of work commits.

        ``version`` is one version of the key (a partial erasure, after re-sealing what it
        keeps under a newer one); None is every version. If the unit rolls back, nothing is
        destroyed. If destroying fails after commit, the change stays committed and the
        request stays pending until a sweep carries it out.
        """
        ...
