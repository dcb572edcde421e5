"""Reading complaint cases: one case, a customer's cases, and the board of everyone's open
cases by their next deadline."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from typing import NoReturn

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import Outcome, entry_for
from clientkeep.complaints.case_views import (
    BOARD_READ,
    CUSTOMER_READ,
    DUE_FILTERS,
    PAGE_MAX,
    READ,
    BoardPage,
    ComplaintView,
    _read_in,
    _view,
    _working_projection,
    rules_of,
)
from clientkeep.complaints.clocks import (
    nearly_due_until,
)
from clientkeep.complaints.model import (
    STATES,
    Complaint,
    State,
)
from clientkeep.complaints.ports import BoardQuery, ComplaintUnitOfWork
from clientkeep.customers.services import load_customer
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, name_fields
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, NotFound, PermissionDenied
from clientkeep.shared.uk_time import uk_date
from clientkeep.staff.directory import directory


def complaint_detail(
    complaint_id: str, *, uow: ComplaintUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> ComplaintView:
    """One case with its steps, read under its own purpose; audited naming the customer."""
    now = clock.now()
    with uow:
        found = uow.complaints.get(complaint_id)
        if found is None:
            raise NotFound("No such complaint.")
        try:
            projection = projection_for(policy, actor.role, found.purpose)
        except PermissionDenied as refused:
            _refuse_read(uow, actor, found, refused)
        view = _read_in(uow, actor, policy, found, projection, now)
        uow.commit()
    return view


def _refuse_read(
    uow: ComplaintUnitOfWork, actor: Actor, found: Complaint, refused: Exception
) -> NoReturn:
    uow.audit.append(
        entry_for(
            actor,
            READ,
            outcome=Outcome.DENIED,
            customer_id=found.customer_id,
            purpose=found.purpose,
            detail={"refused": getattr(refused, "code", "denied"), "complaint_id": found.id},
        )
    )
    uow.commit()
    raise refused


@records_denials(CUSTOMER_READ, customer="customer_id")
def customer_complaints(
    customer_id: str,
    *,
    purpose: str,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> list[ComplaintView]:
    """The customer's cases, newest first; their words only where ``purpose`` shows the
    complaint details. Audited naming the customer and the field shown."""
    projection = projection_for(policy, actor.role, purpose)
    now = clock.now()
    field_name = policy.field_roles.complaint_details
    opened = field_name is not None and field_name in projection.shown
    with uow:
        load_customer(uow, customer_id)
        # That a customer complained is itself complaint details: a purpose that does not
        # show them lists no case at all, as feedback lists no answer.
        found = uow.complaints.for_customer(customer_id) if policy.complaints and opened else []
        people = directory(uow.staff)
        views = [
            _view(uow, policy, c, now, projection=projection, people=people, with_steps=True)
            for c in sorted(found, key=lambda c: (c.received_at, c.id), reverse=True)
        ]
        uow.audit.append(
            entry_for(
                actor,
                CUSTOMER_READ,
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=(field_name,) if opened and field_name and found else (),
                detail={"complaints": len(found)},
            )
        )
        uow.commit()
    return views


def encode_cursor(due: date, complaint_id: str) -> str:
    raw = f"{due.isoformat()}|{complaint_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_COMPLAINT_ID = re.compile(r"cmp_[a-z2-7]{1,28}")


def decode_cursor(cursor: str | None) -> tuple[date, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, sep, complaint_id = raw.partition("|")
        if not sep or not _COMPLAINT_ID.fullmatch(complaint_id):
            raise ValueError(cursor)
        return date.fromisoformat(due), complaint_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")]) from None


@records_denials(BOARD_READ)
def board(
    *,
    state: str | None = None,
    due: str | None = None,
    owner_id: str | None = None,
    complaint_type: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> BoardPage:
    """Everyone's cases (all but closed ones unless ``state`` says), by their next deadline;
    ``due`` keeps only the overdue or nearly-due of those awaiting a final response. Each
    shows its customer's name as the complaints purpose shows it; every customer shown is
    audited by id."""
    projection = _working_projection(policy, actor)
    rules = rules_of(policy)
    errors: list[tuple[str, str]] = []
    if state is not None and state not in STATES:
        errors.append(("state", f"Choose one of: {', '.join(STATES)}."))
    if due is not None and due not in DUE_FILTERS:
        errors.append(("due", f"Choose one of: {', '.join(DUE_FILTERS)}."))
    if complaint_type is not None and complaint_type not in rules.types:
        errors.append(("type", f"Choose one of: {', '.join(rules.types)}."))
    if not 1 <= limit <= PAGE_MAX:
        errors.append(("limit", f"Between 1 and {PAGE_MAX}."))
    if errors:
        raise InvalidInput(errors)
    after = decode_cursor(cursor)
    now = clock.now()
    states = (
        (State(state),) if state is not None else tuple(s for s in State if s is not State.CLOSED)
    )
    query = BoardQuery(
        states=states,
        due=due,
        owner_id=owner_id,
        type=complaint_type,
        today=uk_date(now),
        nearly_until=nearly_due_until(now, rules.nation, rules.nearly_due_working_days),
        limit=limit + 1,
        after=after,
    )
    names = name_fields(projection)
    with uow:
        found = uow.complaints.board(query)
        page, more = found[:limit], len(found) > limit
        people = directory(uow.staff)
        ids = sorted({c.customer_id for c in page})
        customers = {c.id: c for c in uow.customers.get_many(ids, fields=names)}
        shown_names = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    BOARD_READ,
                    purpose=projection.purpose,
                    fields=shown_names,
                    detail={"complaints": len(page), "due": due, "state": state},
                ),
                dict.fromkeys(
                    (c.customer_id for c in page if c.customer_id in customers), shown_names
                ),
            )
        )
        items = [
            _view(
                uow,
                policy,
                c,
                now,
                projection=projection,
                people=people,
                customer_name=display_name(customers[c.customer_id], projection)
                if c.customer_id in customers
                else None,
            )
            for c in page
        ]
        uow.commit()
    last = page[-1] if more and page else None
    return BoardPage(
        items=items,
        next_cursor=encode_cursor(_sort_key(last), last.id) if last else None,
    )


def _sort_key(c: Complaint) -> date:
    return c.acknowledge_due if c.acknowledged_at is None else c.final_response_due
