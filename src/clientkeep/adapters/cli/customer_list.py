"""`clientkeep customer list`: the customers a page at a time, as a named member of staff.

The book is ordered by when records were last changed or added, or needing review first;
names are sealed per customer, so ``--by-name`` arranges only the page shown. Each page is
recorded in the audit trail naming everyone it shows. ``--cursor`` takes the next or previous
cursor a page printed, for the same ``--sort`` and ``--order``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from clientkeep.adapters.cli._common import cli_errors, container, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, Purpose, acting_as

# Written out so `--help` need not load the domain (a unit test keeps them equal to
# customers.listing's).
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


def list_customers(
    as_user: AsUser,
    purpose: Purpose,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="updated (last changed), created, or needs_review (those first)."
        ),
    ] = "updated",
    order: Annotated[
        str, typer.Option("--order", help="desc (newest first) or asc (oldest first).")
    ] = "desc",
    cursor: Annotated[
        str | None, typer.Option("--cursor", help="The next or previous cursor a page printed.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help=f"At most this many (1-{MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
    needs_review: Annotated[
        bool,
        typer.Option(
            "--needs-review", help="Only those with a stale detail or a suspected duplicate."
        ),
    ] = False,
    stale: Annotated[
        bool, typer.Option("--stale", help="Only those with a detail past its period.")
    ] = False,
    created_from: Annotated[
        str | None, typer.Option("--created-from", metavar="DATE", help="Added on or after.")
    ] = None,
    created_to: Annotated[
        str | None, typer.Option("--created-to", metavar="DATE", help="Added on or before.")
    ] = None,
    updated_from: Annotated[
        str | None,
        typer.Option("--updated-from", metavar="DATE", help="Last changed on or after."),
    ] = None,
    updated_to: Annotated[
        str | None,
        typer.Option("--updated-to", metavar="DATE", help="Last changed on or before."),
    ] = None,
    by_name: Annotated[
        bool,
        typer.Option("--by-name", help="Arrange this page by family name (never the whole book)."),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """List customers a page at a time: last changed, added, or needing review first."""
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.customers import listing

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        page = listing.list_customers(
            listing.ListQuery(
                purpose=purpose,
                sort=sort,
                order=order,
                cursor=cursor,
                limit=limit,
                needs_review=needs_review,
                stale_only=stale,
                created_from=created_from,
                created_to=created_to,
                updated_from=updated_from,
                updated_to=updated_to,
                page_by_name=by_name,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json(render.page_json(page))
        return
    render.show_page(page, policy=c.policy)
