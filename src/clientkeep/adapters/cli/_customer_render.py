"""How `clientkeep customer ...` shows what the services return: Rich tables, or plain JSON.

Every value from a record goes into a table as ``Text``, never as a markup string, so a
customer's own words ("[red]", "[/]") cannot restyle the output or break it. JSON is what the
REST API answers, field for field (its response models), so a script can use either.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from enum import Enum
from typing import Any

from rich import box
from rich.table import Column, Table
from rich.text import Text

from clientkeep.adapters.cli._common import out
from clientkeep.adapters.http.customer_records_schemas import (
    CustomerOut,
    CustomerPageOut,
    MatchOut,
    SearchOut,
)
from clientkeep.adapters.http.routers.review_queue import QueueOut
from clientkeep.customers.listing import CustomerPage
from clientkeep.customers.review import ReviewQueue
from clientkeep.customers.views import CustomerView, HistoryEntry
from clientkeep.matching.model import Match
from clientkeep.matching.search import SearchResult
from clientkeep.policy.model import Policy


def plain(value: Any) -> Any:
    """Dataclass fields as JSON wants them: ISO 8601 times, lists, plain strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _cell(value: str | None) -> Text:
    return Text(value if value is not None else "-")


def view_json(view: CustomerView) -> dict[str, Any]:
    """As GET /api/v1/customers/{id} answers."""
    return CustomerOut.of(view).model_dump(mode="json")


def _table(*columns: str | Column) -> Table:
    # Ids never wrap (they are copied into the next command); values fold rather than lose text.
    return Table(
        *(c if isinstance(c, Column) else Column(c, overflow="fold") for c in columns),
        box=box.SIMPLE_HEAD,
    )


def _whole(header: str) -> Column:
    """A column of ids or times, kept whole."""
    return Column(header, no_wrap=True)


def _heading(text: str) -> None:
    out.print(Text(text, style="bold"), soft_wrap=True)


def show_view(view: CustomerView) -> None:
    ref = f"  {view.reference.display}" if view.reference else ""
    _heading(f"{view.display_name}  {view.id}{ref}  (purpose: {view.purpose})")
    table = _table("field", "value", "confirmed", "stale")
    for f in view.fields.values():
        confirmed = f"{_when(f.confirmed_at)} {f.confirmed_method}" if f.confirmed_at else "not yet"
        stale = Text("STALE", style="yellow") if f.stale else Text("")
        shown = f"{f.display}\n(unlisted number, kept after read-back)" if f.unlisted else f.display
        table.add_row(Text(f.label), Text(shown), Text(confirmed), stale)
    out.print(table)


def matches_json(matches: list[Match]) -> list[dict[str, Any]]:
    """As the API's search results and duplicate warnings (``items``, ``possible_duplicates``)."""
    return [MatchOut.of(m).model_dump(mode="json") for m in matches]


def search_json(result: SearchResult) -> dict[str, Any]:
    """As POST /api/v1/customers/search answers."""
    return SearchOut(kind=result.kind, items=[MatchOut.of(m) for m in result.matches]).model_dump(
        mode="json"
    )


def _born(year: int | None) -> Text:
    return Text(str(year) if year is not None else "-")


def show_matches(matches: list[Match], *, title: str, style: str = "bold") -> None:
    out.print(Text(title, style=style), soft_wrap=True)
    # The district, reference and year of birth tell apart people who share a name.
    table = _table(_whole("id"), "name", "district", "reference", "born", "reasons", "score")
    for m in matches:
        table.add_row(
            Text(m.customer_id),
            _cell(m.display_name),
            _cell(m.postcode_district),
            _cell(m.reference),
            _born(m.birth_year),
            Text(", ".join(m.reasons)),
            Text(f"{m.score:g}"),
        )
    out.print(table)


def page_json(page: CustomerPage) -> dict[str, Any]:
    """As GET /api/v1/customers answers."""
    return CustomerPageOut.of(page).model_dump(mode="json")


_SORTED = {
    "updated": "last changed",
    "created": "added",
    "needs_review": "needing review first, then last changed",
}


def show_page(page: CustomerPage, *, policy: Policy) -> None:
    newest = "newest" if page.order == "desc" else "oldest"
    order = f"{_SORTED.get(page.sort, page.sort)}, {newest} first"
    if page.by_name:
        order += "; this page arranged by family name"
    _heading(f"{len(page.items)} customers, by {order}")
    table = _table(_whole("id"), "name", "district", "reference", "born", "changed", "review")
    for i in page.items:
        review = [policy.fields[n].label if n in policy.fields else n for n in i.stale_fields]
        if i.other_stale:
            review.append(f"{i.other_stale} more")
        if i.suspected_duplicate:
            review.append("suspected duplicate")
        table.add_row(
            Text(i.customer_id),
            _cell(i.display_name),
            _cell(i.postcode_district),
            _cell(i.reference),
            _born(i.birth_year),
            Text(_when(i.updated_at)),
            Text(", ".join(review)),
        )
    out.print(table)
    # Names are sealed per customer: only a page, once opened, can be put in name order.
    out.print(
        Text(
            "Names cannot be sorted across the whole book: they are encrypted. --by-name "
            "arranges this page."
        ),
        soft_wrap=True,
    )
    if page.next_cursor:
        out.print(Text(f"next: --cursor {page.next_cursor}"), soft_wrap=True)
    if page.prev_cursor:
        out.print(Text(f"previous: --cursor {page.prev_cursor}"), soft_wrap=True)


def history_json(changes: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [plain(asdict(c)) for c in changes]


def show_history(changes: list[HistoryEntry], *, policy: Policy, customer_id: str) -> None:
    _heading(f"History of {customer_id}, newest first ({len(changes)} changes)")
    # When and who share a cell, as do the field and the kind of change, to fit 80 columns.
    table = _table(_whole("when / who"), "field", "old", "new", "reason")
    for c in changes:
        label = policy.fields[c.field].label if c.field in policy.fields else c.field
        table.add_row(
            Text(f"{_when(c.changed_at)}\n{c.changed_by_name}"),
            Text(f"{label}\n({c.kind})"),
            _cell(c.old_display),
            _cell(c.new_display),
            Text(c.reason),
        )
    out.print(table)


def review_json(queue: ReviewQueue) -> dict[str, Any]:
    """As GET /api/v1/review-queue answers."""
    return QueueOut.of(queue).model_dump(mode="json")


def _counted(title: str, shown: int, total: int | None) -> str:
    """ "Records to confirm again (83,529; the first 100 shown)": the queue, not the page."""
    if total is None or total == shown:
        return f"{title} ({shown:,})"
    return f"{title} ({total:,}; the first {shown:,} shown)"


def show_review(queue: ReviewQueue) -> None:
    _heading(_counted("Records to confirm again", len(queue.stale), queue.stale_total))
    stale = _table(_whole("id"), "name", "stale fields", "oldest confirmation")
    for s in queue.stale:
        stale.add_row(
            Text(s.customer_id),
            _cell(s.display_name),
            Text(
                ", ".join([*s.stale_fields, *([f"{s.other_stale} more"] if s.other_stale else [])])
            ),
            Text(_when(s.oldest_confirmation)),
        )
    out.print(stale)
    _heading(
        _counted("Suspected duplicates", len(queue.duplicates), queue.duplicates_total)
        + "; --json adds when and the suspect ids"
    )
    duplicates = _table(_whole("customer"), _whole("may be the same as"), "reasons")
    for d in queue.duplicates:
        duplicates.add_row(
            Text(f"{d.customer_id}\n{d.display_name}"),
            Text(f"{d.other_id}\n{d.other_display_name}"),
            Text(", ".join(d.reasons)),
        )
    out.print(duplicates)
