"""Adding and destroying versions of a customer's data key, inside a key-store transaction.

Versions only ever go up: a new one is one past every version the customer has held, those
destroyed included, so a number once destroyed never names another key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from clientkeep.adapters.crypto.errors import DataKeyDestroyed, DataKeyMissing, NewestKeyVersion
from clientkeep.adapters.crypto.tables import data_key, key_destruction, key_version_destruction

_dk = data_key.c
_retired = key_version_destruction.c


def key_owner(customer_id: str, version: int) -> str:
    """Who a data key is wrapped for: binds a wrapped key to its customer and version.

    Version 1 keeps the owner keys were first wrapped for (the customer id), so keys made
    before versions existed still open; a wrapped key moved to another row does not.
    """
    return customer_id if version == 1 else f"{customer_id}\x00v{version}"


def destroyed_among(conn: Connection, customer_ids: list[str]) -> str | None:
    """One of these customers whose every key was destroyed, if any."""
    query = select(key_destruction.c.customer_id).where(
        key_destruction.c.customer_id.in_(customer_ids)
    )
    found: str | None = conn.scalar(query.limit(1))
    return found


def next_version(conn: Connection, customer_id: str) -> int:
    if destroyed_among(conn, [customer_id]):
        raise DataKeyDestroyed(customer_id)
    newest = conn.scalar(select(func.max(_dk.version)).where(_dk.customer_id == customer_id))
    if newest is None:
        raise DataKeyMissing(customer_id)
    retired = conn.scalar(
        select(func.max(_retired.version)).where(_retired.customer_id == customer_id)
    )
    return max(int(newest), int(retired or 0)) + 1


def destroy_version(conn: Connection, customer_id: str, version: int, now: datetime) -> None:
    """Delete one version and record that it went; gone already is fine, the newest is not."""
    newest = conn.scalar(select(func.max(_dk.version)).where(_dk.customer_id == customer_id))
    if newest is not None and int(newest) == version:
        # What is sealed from now on goes under the newest: destroying it alone would leave
        # new values under an older version, perhaps one about to be destroyed as well.
        raise NewestKeyVersion(customer_id, version)
    gone = conn.execute(
        delete(data_key).where(_dk.customer_id == customer_id, _dk.version == version)
    )
    if gone.rowcount:
        conn.execute(
            insert(key_version_destruction).values(
                customer_id=customer_id, version=version, destroyed_at=now
            )
        )


def destroy_all(conn: Connection, customer_id: str, now: datetime) -> None:
    conn.execute(delete(data_key).where(_dk.customer_id == customer_id))
    if destroyed_among(conn, [customer_id]) is None:
        conn.execute(insert(key_destruction).values(customer_id=customer_id, destroyed_at=now))
