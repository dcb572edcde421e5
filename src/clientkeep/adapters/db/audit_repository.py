"""The audit log in SQL: appends serialised per chain by locking the chain's head row.

Every few seconds an append also has the new head checkpointed, after commit, in the key
store's database (see adapters/crypto/checkpoints.py): a head put back from earlier is then
older than the newest checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, func, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError

from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.db._bulk import insert_rows
from clientkeep.adapters.db.tables import audit_chain, audit_event, audit_shown
from clientkeep.audit.model import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEntry,
    AuditEvent,
    Link,
    event_from_body,
    seal_event,
)
from clientkeep.audit.ports import ChainHead, DailyCount, TrailFilter, with_legacy
from clientkeep.shared.clock import Clock, as_utc
from clientkeep.shared.ids import new_id

log = logging.getLogger("clientkeep.audit")


def _event(row: Any) -> AuditEvent:
    # Shown from the hashed bytes, so what staff read is exactly what the chain protects.
    return event_from_body(bytes(row.body), prev_hash=row.prev_hash, hash=row.hash)


# The copies of fields and detail are written exactly as the body encodes them.
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode

# Does every column kept beside the hashed body agree with it? Each is shown or filtered on
# somewhere, if only by someone querying the database, so none may differ unnoticed. One pass,
# in the database. On SQLite the body is rebuilt from the columns, keys in order and strings
# escaped as Python's json writes them: the same text means every copy holds what the hash
# covers (the time spelt as UtcDateTime stores it: naive UTC, six-digit microseconds, no T).
# Only where it differs are the copies compared one by one, as values: a copy written before
# it was kept in the body's encoding has characters past ASCII escaped (\\u00e9 for é).
_SQLITE_MISMATCH = """
SELECT min(seq) FROM audit_event
WHERE chain = ? AND CASE
  WHEN CAST(body AS TEXT) IS json_object(
      'action', action, 'actor', actor_id,
      'at', iif(instr(occurred_at, 'T'), NULL, replace(occurred_at, ' ', 'T') || '+00:00'),
      'chain', chain, 'credential', credential, 'customer', customer_id,
      'detail', iif(json_valid(detail), json(detail), NULL),
      'fields', iif(json_valid(fields), json(fields), NULL),
      'id', id, 'outcome', outcome, 'purpose', purpose, 'request', request_id,
      'role', actor_role, 'seq', seq) THEN 0
  WHEN json_extract(CAST(body AS TEXT), '$.id', '$.seq', '$.action', '$.actor', '$.role',
                    '$.credential', '$.outcome', '$.customer', '$.purpose', '$.request')
       IS NOT json_array(id, seq, action, actor_id, actor_role, credential, outcome,
                         customer_id, purpose, request_id) THEN 1
  WHEN occurred_at IS NOT replace(substr(json_extract(CAST(body AS TEXT), '$.at'), 1, 26), 'T', ' ')
       THEN 1
  WHEN NOT (json_valid(fields) AND json_valid(detail)) THEN 1
  ELSE EXISTS (SELECT key, type, atom FROM json_each(fields) EXCEPT
               SELECT key, type, atom FROM json_each(CAST(body AS TEXT), '$.fields'))
    OR EXISTS (SELECT key, type, atom FROM json_each(CAST(body AS TEXT), '$.fields') EXCEPT
               SELECT key, type, atom FROM json_each(fields))
    OR EXISTS (SELECT key, type, atom FROM json_each(detail) EXCEPT
               SELECT key, type, atom FROM json_each(CAST(body AS TEXT), '$.detail'))
    OR EXISTS (SELECT key, type, atom FROM json_each(CAST(body AS TEXT), '$.detail') EXCEPT
               SELECT key, type, atom FROM json_each(detail))
END
"""
# jsonb compares values, not spelling. OFFSET 0 keeps the planner from folding the parse into
# each condition, which parsed the body once per condition instead of once per row.
_POSTGRES_MISMATCH = """
SELECT min(seq) FROM audit_event,
     LATERAL (SELECT convert_from(body, 'UTF8')::jsonb AS j OFFSET 0) AS parsed
WHERE chain = %s AND seq < %s AND (
      j->>'id' IS DISTINCT FROM id OR (j->>'seq')::bigint IS DISTINCT FROM seq
   OR j->>'action' IS DISTINCT FROM action OR j->>'actor' IS DISTINCT FROM actor_id
   OR j->>'role' IS DISTINCT FROM actor_role OR j->>'credential' IS DISTINCT FROM credential
   OR j->>'outcome' IS DISTINCT FROM outcome OR j->>'customer' IS DISTINCT FROM customer_id
   OR j->>'purpose' IS DISTINCT FROM purpose OR j->>'request' IS DISTINCT FROM request_id
   OR (j->>'at')::timestamptz IS DISTINCT FROM occurred_at
   OR j->'fields' IS DISTINCT FROM fields::jsonb OR j->'detail' IS DISTINCT FROM detail::jsonb)
"""
_NO_LIMIT = 2**62


# Built once: every read and change appends, so statement building is on the hot path.
_HEAD = select(audit_chain.c.head_seq, audit_chain.c.head_hash).where(
    audit_chain.c.name == bindparam("chain")
)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_MOVE_HEAD = (
    update(audit_chain)
    .where(audit_chain.c.name == bindparam("chain"))
    .values(
        head_seq=bindparam("head_seq"),
        head_hash=bindparam("head_hash"),
        head_seal=bindparam("head_seal"),
    )
)

# The prev_hash column must hold the hash of the event before it (genesis for the first).
_SQLITE_BROKEN_LINK = """
SELECT min(a.seq) FROM audit_event AS a
LEFT JOIN audit_event AS b ON b.chain = a.chain AND b.seq = a.seq - 1
WHERE a.chain = ? AND a.prev_hash IS NOT coalesce(b.hash, ?)
"""
_POSTGRES_BROKEN_LINK = """
SELECT min(a.seq) FROM audit_event AS a
LEFT JOIN audit_event AS b ON b.chain = a.chain AND b.seq = a.seq - 1
WHERE a.chain = %s AND a.prev_hash IS DISTINCT FROM coalesce(b.hash, %s)
"""


# The index of customers shown must list exactly those the event's detail lists: no row for a
# customer the event does not list (nor for an event that is not there), and as many rows as
# it lists (the key makes each row distinct). The detail column is compared with the hashed
# body by the query above, so reading the list from it is reading it from the body.
_SQLITE_SHOWN_MISMATCH = """
SELECT min(seq) FROM (
  SELECT s.seq AS seq FROM audit_shown AS s
  LEFT JOIN audit_event AS e ON e.chain = s.chain AND e.seq = s.seq
  WHERE s.chain = ? AND (e.seq IS NULL OR instr(
      ',' || coalesce(CASE WHEN json_valid(e.detail) THEN json_extract(e.detail, '$.shown') END,
                      '') || ',',
      ',' || s.customer_id || ','
  ) = 0)
  UNION ALL
  SELECT e.seq FROM audit_event AS e
  WHERE e.chain = ? AND instr(e.detail, '"shown":') AND json_valid(e.detail)
    AND json_extract(e.detail, '$.shown') IS NOT NULL
    AND (SELECT count(*) FROM audit_shown AS s WHERE s.chain = e.chain AND s.seq = e.seq)
        IS NOT length(json_extract(e.detail, '$.shown'))
               - length(replace(json_extract(e.detail, '$.shown'), ',', '')) + 1
)
"""
_POSTGRES_SHOWN_MISMATCH = """
SELECT min(seq) FROM (
  SELECT s.seq AS seq FROM audit_shown AS s
  LEFT JOIN audit_event AS e ON e.chain = s.chain AND e.seq = s.seq
  WHERE s.chain = %s AND (e.seq IS NULL OR NOT s.customer_id = ANY(
      string_to_array(coalesce(substring(e.detail FROM '"shown":"([^"]*)"'), ''), ',')))
  UNION ALL
  SELECT e.seq FROM audit_event AS e
  WHERE e.chain = %s AND strpos(e.detail, '"shown":"') > 0
    AND (SELECT count(*) FROM audit_shown AS s WHERE s.chain = e.chain AND s.seq = e.seq)
        IS DISTINCT FROM cardinality(
            string_to_array(substring(e.detail FROM '"shown":"([^"]*)"'), ','))
) AS found
"""


class SqlAuditLog:
    def __init__(
        self,
        conn: Connection,
        clock: Clock,
        head_key: bytes,
        *,
        after_commit: Callable[[Callable[[], None]], None] | None = None,
        checkpoints: CheckpointStore | None = None,
        reader: Callable[[], AbstractContextManager[Connection]] | None = None,
    ) -> None:
        self._conn = conn
        # A reading transaction of its own, for checks that run beside this unit's.
        self._reader = reader
        self._clock = clock
        self._head_key = head_key
        # Checkpoints of the head go to the key store only once the events are committed.
        self._after_commit = after_commit
        self._checkpoints = checkpoints
        # The newest event this unit appended to each chain, and whether a checkpoint of it
        # waits for the commit.
        self._newest: dict[str, AuditEvent] = {}
        self._checkpoint_waiting = False

    def _seal(self, chain: str, seq: int, head_hash: str) -> str:
        # Keyed, so rewriting every event and the head still fails without the key store.
        message = f"{chain}\x00{seq}\x00{head_hash}".encode()
        return hmac.new(self._head_key, message, hashlib.sha256).hexdigest()

    def _checkpoint_seal(self, chain: str, seq: int, head_hash: str) -> str:
        # The same key, a different message: a checkpoint's seal is never a valid head seal.
        message = f"checkpoint\x00{chain}\x00{seq}\x00{head_hash}".encode()
        return hmac.new(self._head_key, message, hashlib.sha256).hexdigest()

    def _lock_head(self, chain: str) -> tuple[int, str]:
        query = _HEAD_FOR_UPDATE if self._conn.dialect.name == "postgresql" else _HEAD
        row = self._conn.execute(query, {"chain": chain}).first()
        if row is not None:
            return int(row.head_seq), str(row.head_hash)
        # First event of a chain: create its head; a concurrent creator makes this a no-op.
        insert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        self._conn.execute(
            insert(audit_chain)
            .values(
                name=chain,
                head_seq=0,
                head_hash=GENESIS_HASH,
                head_seal=self._seal(chain, 0, GENESIS_HASH),
            )
            .on_conflict_do_nothing(index_elements=["name"])
        )
        row = self._conn.execute(query, {"chain": chain}).one()
        return int(row.head_seq), str(row.head_hash)

    def append(self, entry: AuditEntry, *, chain: str = MAIN_CHAIN) -> AuditEvent:
        head_seq, head_hash = self._lock_head(chain)
        event = self._seal_next(entry, chain, head_seq, head_hash)
        insert_rows(self._conn, audit_event, [self._row(event)])
        insert_rows(self._conn, audit_shown, self._shown_rows(event))
        self._move_head(event)
        self._checkpoint_after_commit(event)
        return event

    def append_many(self, entries: Sequence[AuditEntry], *, chain: str = MAIN_CHAIN) -> None:
        if not entries:
            return
        head_seq, head_hash = self._lock_head(chain)
        rows, shown = [], []
        for entry in entries:
            event = self._seal_next(entry, chain, head_seq, head_hash)
            rows.append(self._row(event))
            shown.extend(self._shown_rows(event))
            head_seq, head_hash = event.seq, event.hash
        insert_rows(self._conn, audit_event, rows)
        insert_rows(self._conn, audit_shown, shown)
        self._move_head(event)
        self._checkpoint_after_commit(event)

    def _seal_next(
        self, entry: AuditEntry, chain: str, head_seq: int, head_hash: str
    ) -> AuditEvent:
        return seal_event(
            chain=chain,
            seq=head_seq + 1,
            event_id=new_id("aud"),
            occurred_at=self._clock.now(),
            entry=entry,
            prev_hash=head_hash,
        )

    @staticmethod
    def _row(event: AuditEvent) -> dict[str, Any]:
        entry = event.entry
        return dict(
            chain=event.chain,
            seq=event.seq,
            id=event.id,
            occurred_at=event.occurred_at,
            actor_id=entry.actor_id,
            actor_role=entry.actor_role,
            credential=entry.credential,
            action=entry.action,
            customer_id=entry.customer_id,
            fields=_encode(list(entry.fields)),
            purpose=entry.purpose,
            outcome=str(entry.outcome),
            request_id=entry.request_id,
            detail=_encode(dict(entry.detail)),
            prev_hash=event.prev_hash,
            hash=event.hash,
            body=event.body,
        )

    @staticmethod
    def _shown_rows(event: AuditEvent) -> list[dict[str, Any]]:
        return [
            {"chain": event.chain, "seq": event.seq, "customer_id": customer_id}
            for customer_id in event.entry.shown
        ]

    def _move_head(self, event: AuditEvent) -> None:
        self._conn.execute(
            _MOVE_HEAD,
            {
                "chain": event.chain,
                "head_seq": event.seq,
                "head_hash": event.hash,
                "head_seal": self._seal(event.chain, event.seq, event.hash),
            },
        )

    def _checkpoint_after_commit(self, event: AuditEvent) -> None:
        if self._checkpoints is None or self._after_commit is None:
            return
        self._newest[event.chain] = event
        if not self._checkpoint_waiting and self._checkpoints.due():
            self._checkpoint_waiting = True
            # After commit only: a head that is rolled back must never be checkpointed.
            self._after_commit(self._write_checkpoints)

    def _write_checkpoints(self) -> None:
        assert self._checkpoints is not None
        newest, self._newest = self._newest, {}
        self._checkpoint_waiting = False
        if not self._checkpoints.due():
            return  # another unit, committed since this one asked, has just written one
        for chain, event in newest.items():
            seal = self._checkpoint_seal(chain, event.seq, event.hash)
            try:
                self._checkpoints.write(chain, event.seq, event.hash, seal)
            except Exception as exc:
                # The events are committed: the caller's change happened, so it is not told.
                # The error's type only (a driver's message may quote values); the next
                # append tries again.
                log.warning(
                    "audit checkpoint of chain %s at event %d was not written (%s)",
                    chain,
                    event.seq,
                    type(exc).__name__,
                )

    def checkpoint(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        if self._checkpoints is None:
            return None
        found = self._checkpoints.latest(chain)
        if found is None:
            return None
        expected = self._checkpoint_seal(chain, found.seq, found.hash)
        authentic = hmac.compare_digest(expected, found.seal)
        return ChainHead(seq=found.seq, hash=found.hash, authentic=authentic)

    def head(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        query = select(audit_chain).where(audit_chain.c.name == chain)
        row = self._conn.execute(query).first()
        if row is None:
            return None
        seq, head_hash = int(row.head_seq), str(row.head_hash)
        authentic = hmac.compare_digest(self._seal(chain, seq, head_hash), row.head_seal)
        return ChainHead(seq=seq, hash=head_hash, authentic=authentic)

    def links(self, *, chain: str = MAIN_CHAIN, batch_size: int = 20_000) -> Iterator[Link]:
        # The driver's own cursor, inside this unit's transaction: verification is hashing
        # millions of rows, and row objects would cost more than the hashing. One statement
        # is one snapshot on PostgreSQL too (a named, server-side cursor streams it).
        raw: Any = self._conn.connection.driver_connection
        if self._conn.dialect.name == "postgresql":
            cursor = raw.cursor(name="audit_links")
            sql = "SELECT seq, body, hash FROM audit_event WHERE chain = %s ORDER BY seq"
        else:
            cursor = raw.cursor()
            sql = "SELECT seq, body, hash FROM audit_event WHERE chain = ? ORDER BY seq"
        try:
            cursor.execute(sql, (chain,))
            while rows := cursor.fetchmany(batch_size):
                yield from rows
        finally:
            cursor.close()

    def begin_copy_check(self, *, chain: str = MAIN_CHAIN) -> Callable[[], int | None]:
        """Start comparing every copy with its hashed body; the callable waits for the answer.

        The comparison is one long query the database runs on its own, so where a second
        reading transaction can be had it runs on one, in a thread, while the caller rehashes
        the chain in this one: verification then takes as long as the longer of the two, not
        both. The thread's snapshot may hold events committed since this unit's began; their
        copies are checked too, which does no harm.
        """
        if self._reader is None:
            found = _first_mismatched_copy(self._conn, chain)
            return lambda: found
        reader = self._reader

        def check() -> int | None:
            with reader() as conn:
                return _first_mismatched_copy(conn, chain)

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-copies")
        future = pool.submit(check)
        pool.shutdown(wait=False)  # the thread ends with the check
        return future.result

    def page(
        self,
        where: TrailFilter | None = None,
        *,
        chain: str = MAIN_CHAIN,
        limit: int = 50,
        newest_first: bool = False,
        **legacy: Any,
    ) -> list[AuditEvent]:
        where = with_legacy(where, legacy)
        if where.customer_id is not None:
            return self._customer_page(where, chain, limit, newest_first)
        # Walks the primary key (chain, seq) one way and stops at the LIMIT.
        seq = audit_event.c.seq
        query = select(audit_event).where(*_conditions(where, chain))
        query = query.order_by(seq.desc() if newest_first else seq).limit(limit)
        return [_event(row) for row in self._conn.execute(query)]

    def _customer_page(
        self, where: TrailFilter, chain: str, limit: int, newest_first: bool
    ) -> list[AuditEvent]:
        """One customer's events, from the two indexes that find them: its own (the customer
        column's index) and those that showed it among others (``audit_shown``).

        Each side is read in order up to the LIMIT and the two merged here. Walking the
        trail's key and testing each event, as the other filters do, would read every event
        between one of this customer's and the next: a whole trail for a customer seen once.
        """
        e, s = audit_event.c, audit_shown.c
        others = _matches(where)
        own = (
            select(audit_event)
            .where(e.customer_id == where.customer_id, *_window(where, chain, e.chain, e.seq))
            .where(*others)
            .order_by(e.seq.desc() if newest_first else e.seq)
            .limit(limit)
            # SQLite would otherwise walk the key range and test every event in it.
            .with_hint(audit_event, "INDEXED BY ix_audit_event_customer_id", "sqlite")
        )
        listed = (
            select(audit_event)
            .select_from(audit_shown.join(audit_event, (e.chain == s.chain) & (e.seq == s.seq)))
            .where(s.customer_id == where.customer_id, *_window(where, chain, s.chain, s.seq))
            .where(*others)
            .order_by(s.seq.desc() if newest_first else s.seq)
            .limit(limit)
        )
        found: dict[int, AuditEvent] = {}
        for query in (own, listed):
            for row in self._conn.execute(query):
                found[int(row.seq)] = _event(row)
        ordered = sorted(found, reverse=newest_first)[:limit]
        return [found[seq] for seq in ordered]

    def first_seq_at(self, at: datetime, *, chain: str = MAIN_CHAIN) -> int:
        # Events are appended in time order (under the chain's lock, stamped after taking
        # it), so a binary search over positions: one primary-key lookup per halving.
        low, high = 1, self.newest_seq(chain=chain) + 1
        at = as_utc(at)
        while low < high:
            middle = (low + high) // 2
            probe = (
                select(audit_event.c.seq, audit_event.c.occurred_at)
                .where(audit_event.c.chain == chain, audit_event.c.seq >= middle)
                .order_by(audit_event.c.seq)
                .limit(1)
            )
            row = self._conn.execute(probe).first()
            if row is None or row.occurred_at >= at:
                high = middle
            else:
                low = int(row.seq) + 1
        return low

    def newest_seq(self, *, chain: str = MAIN_CHAIN) -> int:
        query = select(func.max(audit_event.c.seq)).where(audit_event.c.chain == chain)
        found = self._conn.execute(query).scalar()
        return 0 if found is None else int(found)

    def count(self, where: TrailFilter, *, chain: str = MAIN_CHAIN) -> int:
        query = select(func.count()).select_from(audit_event).where(*_conditions(where, chain))
        return int(self._conn.execute(query).scalar_one())

    def daily_counts(self, where: TrailFilter, *, chain: str = MAIN_CHAIN) -> list[DailyCount]:
        at = audit_event.c.occurred_at
        # SQLite keeps naive UTC text; PostgreSQL a timestamptz, its day taken in UTC.
        day = (
            func.date(func.timezone("UTC", at))
            if self._conn.dialect.name == "postgresql"
            else func.date(at)
        )
        query = (
            select(audit_event.c.actor_id, day.label("day"), func.count().label("n"))
            .where(*_conditions(where, chain))
            .group_by(audit_event.c.actor_id, day)
            .order_by(audit_event.c.actor_id, day)
        )
        return [
            DailyCount(str(row.actor_id), date.fromisoformat(str(row.day)), int(row.n))
            for row in self._conn.execute(query)
        ]


def _window(
    where: TrailFilter, chain: str, chain_column: Any, seq_column: Any
) -> list[ColumnElement[bool]]:
    """The filter's range of the chain's positions, on the given table's columns."""
    found = [chain_column == chain, seq_column > where.after_seq]
    if where.before_seq is not None:
        found.append(seq_column < where.before_seq)
    return found


def _matches(where: TrailFilter) -> list[ColumnElement[bool]]:
    """What an event must match besides its position and customer."""
    e = audit_event.c
    found = []
    for column, value in (
        (e.actor_id, where.actor_id),
        (e.action, where.action),
        (e.outcome, where.outcome),
        (e.purpose, where.purpose),
    ):
        if value is not None:
            found.append(column == value)
    if where.actions:
        found.append(e.action.in_(where.actions))
    return found


def _conditions(where: TrailFilter, chain: str) -> list[ColumnElement[bool]]:
    """The filter in SQL: always a range of the chain's positions, then what must match."""
    e = audit_event.c
    found = _window(where, chain, e.chain, e.seq)
    if where.customer_id is not None:
        # Its own events, and those that showed it among others: both positions come from an
        # index (an OR of the customer column would test every event in the window instead;
        # at 114,000 events a count took 90 ms that way and 12 ms this way).
        own = select(e.seq).where(e.customer_id == where.customer_id, e.chain == chain)
        showed = select(audit_shown.c.seq).where(
            audit_shown.c.customer_id == where.customer_id, audit_shown.c.chain == chain
        )
        found.append(e.seq.in_(union_all(own, showed)))
    return found + _matches(where)


def _first_mismatched_copy(conn: Connection, chain: str) -> int | None:
    """The first event with a copy (a column or its prev_hash link) unlike its hashed body."""
    postgres = conn.dialect.name == "postgresql"
    copies = _postgres_mismatch(conn, chain) if postgres else _sqlite_mismatch(conn, chain)
    links = conn.exec_driver_sql(
        _POSTGRES_BROKEN_LINK if postgres else _SQLITE_BROKEN_LINK, (chain, GENESIS_HASH)
    ).scalar()
    shown = conn.exec_driver_sql(
        _POSTGRES_SHOWN_MISMATCH if postgres else _SQLITE_SHOWN_MISMATCH, (chain, chain)
    ).scalar()
    bad = [int(seq) for seq in (copies, links, shown) if seq is not None]
    return min(bad) if bad else None


def _sqlite_mismatch(conn: Connection, chain: str) -> int | None:
    found = conn.exec_driver_sql(_SQLITE_MISMATCH, (chain,)).scalar()
    return None if found is None else int(found)


def _postgres_mismatch(conn: Connection, chain: str, before: int = _NO_LIMIT) -> int | None:
    try:
        with conn.begin_nested():
            found = conn.exec_driver_sql(_POSTGRES_MISMATCH, (chain, before)).scalar()
        return None if found is None else int(found)
    except DataError:
        # A copy PostgreSQL cannot read as JSON: we never write one, so it was tampered
        # with. Find it (only now, on a trail already known to be bad), then any earlier.
        unreadable = _first_unreadable_copy(conn, chain)
        if unreadable is None or unreadable >= before:
            raise
        earlier = _postgres_mismatch(conn, chain, unreadable)
        return unreadable if earlier is None else earlier


def _first_unreadable_copy(conn: Connection, chain: str) -> int | None:
    query = (
        select(audit_event.c.seq, audit_event.c.fields, audit_event.c.detail)
        .where(audit_event.c.chain == chain)
        .order_by(audit_event.c.seq)
    )
    rows = conn.execute(query.execution_options(yield_per=10_000))
    for seq, fields, detail in rows:
        if not (_jsonb_readable(fields) and _jsonb_readable(detail)):
            return int(seq)
    return None


def _refuse(constant: str) -> None:
    raise ValueError(constant)


def _jsonb_readable(text: str) -> bool:
    """Whether PostgreSQL's jsonb would read this text (Python's json reads more)."""
    try:
        value = json.loads(text, parse_constant=_refuse)  # NaN and Infinity are not JSON
        dumped = json.dumps(value, ensure_ascii=False)
        dumped.encode()  # a lone half of a surrogate pair does not encode
    except (ValueError, UnicodeEncodeError):
        return False
    return "\\u0000" not in dumped  # jsonb has no NUL character
