"""The list of customers: a page at a time, in an order the database can keep.

Values are sealed per customer, so the database can order the book only by what it holds in
the clear: when a record was made or last changed, and whether it needs review (a detail past
its confirmation period, or an open duplicate suspicion). A name is readable only after its
record is opened, so a page can be arranged by name once fetched, never the whole book.

Paging is by keyset: a cursor names the last (or first) customer a page showed by its sort
key and id, so each page is a walk along an index however deep it is, and a customer added
or changed meanwhile neither repeats nor hides another. Each page is one read, audited as
one event naming everyone it showed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import CustomerUnitOfWork, ListedRow, ListPosition, ListSpec
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import staleness_cutoffs, summary, summary_fields
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import has_prefix

ACTION = "customer.listed"
# How a list may be ordered, and the column each walks.
SORTS = {"updated": "updated_at", "created": "created_at", "needs_review": "updated_at"}
ORDERS = ("desc", "asc")
MAX_LIMIT = 100
DEFAULT_LIMIT = 25
_CURSOR_VERSION = 1
_BAD_CURSOR = "The cursor is not one this server issued for this list's order."


@dataclass(frozen=True, slots=True)
class ListQuery:
    purpose: str
    sort: str = "updated"  # one of SORTS
    order: str = "desc"  # newest (desc) or oldest (asc) first within the sort
    cursor: str | None = None  # a page's next_cursor or prev_cursor
    limit: int = DEFAULT_LIMIT
    # Only customers needing review: a stale detail or an open duplicate suspicion.
    needs_review: bool = False
    # Only customers with a detail past its confirmation period.
    stale_only: bool = False
    # Dates (2026-11-23), each end included.
    created_from: str | None = None
    created_to: str | None = None
    updated_from: str | None = None
    updated_to: str | None = None
    # Arrange the page, once chosen in the database's order, by family name then name.
    page_by_name: bool = False


@dataclass(frozen=True, slots=True)
class ListedCustomer:
    """One line of the list: enough to pick the right person, and why they may need review."""

    customer_id: str
    # The customer's id where the projection shows no name.
    display_name: str
    postcode_district: str | None
    reference: str | None
    birth_year: int | None
    created_at: datetime
    updated_at: datetime
    # Details past their confirmation period that the projection shows; the rest counted.
    stale_fields: tuple[str, ...]
    other_stale: int
    suspected_duplicate: bool
    # The fields this line was built from, for the audit trail.
    fields_shown: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return bool(self.stale_fields or self.other_stale or self.suspected_duplicate)


@dataclass(frozen=True, slots=True)
class CustomerPage:
    items: list[ListedCustomer]
    # Further on in the list's order; None at its end.
    next_cursor: str | None
    # Back towards its start; None on the first page.
    prev_cursor: str | None
    sort: str
    order: str
    # True when the page was arranged by name after it was chosen.
    by_name: bool = False


def require_names(projection: Projection) -> None:
    """A list answers with names, so its purpose must show them, as a name search must."""
    if not projection.shows_names:
        raise PermissionDenied(
            f"The {projection.purpose} purpose does not show customers' names, so it may not "
            "list customers."
        )


@records_denials(ACTION)
def list_customers(
    query: ListQuery, *, uow: CustomerUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> CustomerPage:
    projection = projection_for(policy, actor.role, query.purpose)
    require_names(projection)
    now = clock.now()
    spec = _spec(query, policy, now)
    start, backwards = _decode(query.cursor, query)
    with uow:
        rows = uow.customers.list_live(
            spec, start=start, backwards=backwards, limit=query.limit + 1
        )
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        if backwards:
            rows.reverse()
        ids = [r.customer_id for r in rows]
        stale = uow.customers.stale_fields(ids, spec.cutoffs)
        suspected = uow.duplicates.suspected_among(ids)
        opened = {c.id: c for c in uow.customers.get_many(ids, fields=summary_fields(projection))}
        shown = [r for r in rows if r.customer_id in opened]
        items = [
            _line(
                opened[r.customer_id],
                projection,
                stale.get(r.customer_id, frozenset()),
                r.customer_id in suspected,
            )
            for r in shown
        ]
        fields = tuple(sorted({n for item in items for n in item.fields_shown}))
        listed = entry_for(
            actor,
            ACTION,
            purpose=projection.purpose,
            fields=fields,
            detail={
                "results": len(items),
                "sort": query.sort,
                "order": query.order,
                "needs_review": query.needs_review,
                "stale_only": query.stale_only,
            },
        )
        uow.audit.append(naming_shown(listed, {i.customer_id: i.fields_shown for i in items}))
        uow.commit()
    next_cursor, prev_cursor = _cursors(query, spec, rows, start, backwards=backwards, more=more)
    if query.page_by_name:
        items.sort(key=lambda i: _name_key(opened[i.customer_id], projection, i))
    return CustomerPage(
        items=items,
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
        sort=query.sort,
        order=query.order,
        by_name=query.page_by_name,
    )


def _line(
    customer: Customer, projection: Projection, stale: frozenset[str], suspected: bool
) -> ListedCustomer:
    match = summary(customer, projection, (), 0.0)
    named = tuple(n for n in sorted(stale) if projection.shows(n))
    return ListedCustomer(
        customer_id=customer.id,
        display_name=match.display_name,
        postcode_district=match.postcode_district,
        reference=match.reference,
        birth_year=match.birth_year,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        stale_fields=named,
        other_stale=len(stale) - len(named),
        suspected_duplicate=suspected,
        fields_shown=match.fields_shown,
    )


def _name_key(customer: Customer, projection: Projection, item: ListedCustomer) -> tuple[str, ...]:
    family = projection.parts.family_name
    surname = customer.value(family) if projection.shows(family) else None
    return ((surname or "").casefold(), item.display_name.casefold(), item.customer_id)


def _spec(query: ListQuery, policy: Policy, now: datetime) -> ListSpec:
    errors: list[tuple[str, str]] = []
    if query.sort not in SORTS:
        errors.append(("sort", f"Sort by one of: {', '.join(SORTS)}."))
    if query.order not in ORDERS:
        errors.append(("order", "Give desc (newest first) or asc (oldest first)."))
    if not 1 <= query.limit <= MAX_LIMIT:
        errors.append(("limit", f"Give a limit from 1 to {MAX_LIMIT}."))
    bounds: dict[str, datetime | None] = {}
    for name in ("created_from", "created_to", "updated_from", "updated_to"):
        try:
            bounds[name] = _day_bound(getattr(query, name), end=name.endswith("_to"))
        except ValueError:
            errors.append((name, "Give a date such as 2026-11-23."))
    if errors:
        raise InvalidInput(errors)
    return ListSpec(
        key=SORTS[query.sort],
        descending=query.order == "desc",
        review_first=query.sort == "needs_review",
        cutoffs=staleness_cutoffs(policy, now),
        needs_review_only=query.needs_review,
        stale_only=query.stale_only,
        created_from=bounds["created_from"],
        created_until=bounds["created_to"],
        updated_from=bounds["updated_from"],
        updated_until=bounds["updated_to"],
    )


def _day_bound(text: str | None, *, end: bool) -> datetime | None:
    """The start of the day given, or of the day after it for an end: both ends included."""
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    if len(stripped) != 10:
        raise ValueError(stripped)
    day = date.fromisoformat(stripped)
    return datetime.combine(day + timedelta(days=1) if end else day, time(), UTC)


# A cursor: which way from which place, in which order. Base64 of JSON, so clients treat it
# as opaque; the order is inside so a cursor cannot be read against another order's keys.


def _encode(query: ListQuery, spec: ListSpec, row: ListedRow, *, before: bool) -> str:
    at = row.updated_at if spec.key == "updated_at" else row.created_at
    return _encode_position(query, ListPosition(row.group, at, row.customer_id), before=before)


def _encode_position(query: ListQuery, position: ListPosition, *, before: bool) -> str:
    raw = json.dumps(
        [
            _CURSOR_VERSION,
            "before" if before else "after",
            query.sort,
            query.order,
            position.group,
            position.at.astimezone(UTC).isoformat(),
            position.customer_id,
        ],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str | None, query: ListQuery) -> tuple[ListPosition | None, bool]:
    """(the place to page from, whether backwards); (None, False) for the first page."""
    if not cursor:
        return None, False
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, way, sort, order, group, at, customer_id = json.loads(raw)
        moment = datetime.fromisoformat(at)
        well_formed = (
            version == _CURSOR_VERSION
            and way in ("before", "after")
            and (sort, order) == (query.sort, query.order)
            and type(group) is int
            and group in (0, 1)
            and moment.tzinfo is not None
            and isinstance(customer_id, str)
            and has_prefix(customer_id, "cus")
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        well_formed = False
    if not well_formed:
        raise InvalidInput([("cursor", _BAD_CURSOR)])
    return ListPosition(group, moment.astimezone(UTC), customer_id), way == "before"


def _cursors(
    query: ListQuery,
    spec: ListSpec,
    rows: list[ListedRow],
    start: ListPosition | None,
    *,
    backwards: bool,
    more: bool,
) -> tuple[str | None, str | None]:
    """(next, previous): a way on past the last row, and a way back before the first."""
    if not rows:
        # Nothing here (the customers beyond were merged meanwhile): back the way we came.
        if start is None:
            return None, None
        turned = _encode_position(query, start, before=not backwards)
        return (turned, None) if backwards else (None, turned)
    onward = _encode(query, spec, rows[-1], before=False)
    back = _encode(query, spec, rows[0], before=True)
    if backwards:
        return onward, back if more else None
    return (onward if more else None), (back if start is not None else None)
