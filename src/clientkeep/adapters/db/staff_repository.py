"""Staff, second factor, API token and web session rows <-> domain objects."""

from __future__ import annotations

import builtins
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from clientkeep.adapters.db.tables import (
    api_token,
    staff_recovery_code,
    staff_second_factor,
    staff_user,
    web_session,
)
from clientkeep.staff.model import ApiToken, SecondFactor, StaffMember, WebSession

# Built once: every API request looks up its token and the token's holder.
_STAFF_BY_ID = select(staff_user).where(staff_user.c.id == bindparam("staff_id"))
_TOKEN_BY_HASH = select(api_token).where(api_token.c.token_hash == bindparam("token_hash"))


def _staff(row: Any) -> StaffMember:
    return StaffMember(**row._mapping)


class SqlStaffRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, member: StaffMember) -> None:
        self._conn.execute(staff_user.insert().values(**asdict(member)))

    def get(self, staff_id: str) -> StaffMember | None:
        row = self._conn.execute(_STAFF_BY_ID, {"staff_id": staff_id}).first()
        return _staff(row) if row else None

    def by_username(self, username: str) -> StaffMember | None:
        query = select(staff_user).where(staff_user.c.username == username)
        row = self._conn.execute(query).first()
        return _staff(row) if row else None

    def for_sign_in(self, username: str) -> StaffMember | None:
        # FOR UPDATE on PostgreSQL; SQLite ignores it, its BEGIN IMMEDIATE already serialises.
        query = select(staff_user).where(staff_user.c.username == username).with_for_update()
        row = self._conn.execute(query).first()
        return _staff(row) if row else None

    def update(self, member: StaffMember) -> None:
        values = asdict(member)
        del values["id"], values["created_at"]
        self._conn.execute(update(staff_user).where(staff_user.c.id == member.id).values(**values))

    def list(self) -> list[StaffMember]:
        rows = self._conn.execute(select(staff_user).order_by(staff_user.c.username))
        return [_staff(row) for row in rows]

    def second_factor(self, staff_id: str) -> SecondFactor | None:
        query = select(staff_second_factor).where(staff_second_factor.c.staff_id == staff_id)
        row = self._conn.execute(query).first()
        return SecondFactor(**row._mapping) if row else None

    def put_second_factor(self, factor: SecondFactor) -> None:
        self._conn.execute(
            delete(staff_second_factor).where(staff_second_factor.c.staff_id == factor.staff_id)
        )
        self._conn.execute(insert(staff_second_factor).values(**asdict(factor)))

    def remove_second_factor(self, staff_id: str) -> None:
        self._conn.execute(
            delete(staff_recovery_code).where(staff_recovery_code.c.staff_id == staff_id)
        )
        self._conn.execute(
            delete(staff_second_factor).where(staff_second_factor.c.staff_id == staff_id)
        )

    def with_second_factor(self) -> set[str]:
        query = select(staff_second_factor.c.staff_id).where(
            staff_second_factor.c.confirmed_at.is_not(None)
        )
        return set(self._conn.scalars(query))

    def replace_recovery_codes(
        self, staff_id: str, code_hashes: builtins.list[str], at: datetime
    ) -> None:
        self._conn.execute(
            delete(staff_recovery_code).where(staff_recovery_code.c.staff_id == staff_id)
        )
        if code_hashes:
            self._conn.execute(
                insert(staff_recovery_code),
                [{"staff_id": staff_id, "code_hash": h, "created_at": at} for h in code_hashes],
            )

    def use_recovery_code(self, staff_id: str, code_hash: str, at: datetime) -> bool:
        # One statement that only matches an unused code: two requests racing with the same
        # code cannot both use it, whatever the isolation level.
        query = (
            update(staff_recovery_code)
            .where(
                staff_recovery_code.c.staff_id == staff_id,
                staff_recovery_code.c.code_hash == code_hash,
                staff_recovery_code.c.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return self._conn.execute(query).rowcount == 1

    def recovery_codes_left(self, staff_id: str) -> int:
        query = select(func.count()).where(
            staff_recovery_code.c.staff_id == staff_id, staff_recovery_code.c.used_at.is_(None)
        )
        return int(self._conn.scalar(query) or 0)


class SqlTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, token: ApiToken) -> None:
        self._conn.execute(api_token.insert().values(**asdict(token)))

    def get(self, token_id: str) -> ApiToken | None:
        row = self._conn.execute(select(api_token).where(api_token.c.id == token_id)).first()
        return ApiToken(**row._mapping) if row else None

    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._conn.execute(_TOKEN_BY_HASH, {"token_hash": token_hash}).first()
        return ApiToken(**row._mapping) if row else None

    def for_staff(self, staff_id: str) -> list[ApiToken]:
        query = (
            select(api_token)
            .where(api_token.c.staff_id == staff_id)
            .order_by(api_token.c.created_at, api_token.c.id)
        )
        return [ApiToken(**row._mapping) for row in self._conn.execute(query)]

    def list_all(self) -> list[ApiToken]:
        query = select(api_token).order_by(api_token.c.created_at, api_token.c.id)
        return [ApiToken(**row._mapping) for row in self._conn.execute(query)]

    def mark_used(self, token_id: str, at: datetime) -> None:
        query = update(api_token).where(api_token.c.id == token_id).values(last_used_at=at)
        self._conn.execute(query)

    def revoke(self, token_id: str, at: datetime) -> None:
        query = update(api_token).where(api_token.c.id == token_id).values(revoked_at=at)
        self._conn.execute(query)


class SqlSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, session: WebSession) -> None:
        self._conn.execute(web_session.insert().values(**asdict(session)))

    def get(self, session_id: str) -> WebSession | None:
        query = select(web_session).where(web_session.c.id == session_id)
        row = self._conn.execute(query).first()
        return WebSession(**row._mapping) if row else None

    def end(self, session_id: str, at: datetime) -> None:
        query = (
            update(web_session)
            .where(web_session.c.id == session_id)
            .values(ended_at=at, pending_token=None, pending_recovery_codes=None)
        )
        self._conn.execute(query)

    def end_all_for(self, staff_id: str, at: datetime) -> None:
        query = (
            update(web_session)
            .where(web_session.c.staff_id == staff_id, web_session.c.ended_at.is_(None))
            .values(ended_at=at, pending_token=None, pending_recovery_codes=None)
        )
        self._conn.execute(query)

    def hold_token(self, session_id: str, secret: str | None) -> None:
        query = (
            update(web_session).where(web_session.c.id == session_id).values(pending_token=secret)
        )
        self._conn.execute(query)

    def hold_recovery_codes(self, session_id: str, codes: str | None) -> None:
        query = (
            update(web_session)
            .where(web_session.c.id == session_id)
            .values(pending_recovery_codes=codes)
        )
        self._conn.execute(query)
