"""The "Follow-ups" page: open follow-ups due first, yours or the team's, each linking to the
customer's timeline, where logging the follow-up closes it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep
from clientkeep.adapters.web.views_interactions import FOLLOW_UP_VIEWS, utc_text
from clientkeep.interactions import follow_ups as queue
from clientkeep.interactions.vocabulary import CHANNEL_LABELS

router = APIRouter()


@router.get("/follow-ups")
def follow_ups_page(
    request: Request,
    staff: StaffDep,
    view: Annotated[str, Query(max_length=8)] = "mine",
    due_before: Annotated[str | None, Query(max_length=10)] = None,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    shown = view if view in FOLLOW_UP_VIEWS else "mine"
    errors: dict[str, str] = {}
    due: date | None = None
    if due_before:
        try:
            due = date.fromisoformat(due_before)
        except ValueError:
            errors["due_before"] = "Give a date, such as 2026-11-30."
    found = queue.follow_ups(
        team=shown == "team",
        due_before=due,
        purpose=chosen,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    return render(
        request,
        "interactions/follow_ups.html",
        {
            "items": [(f, utc_text(f.occurred_at)) for f in found],
            "view": shown,
            "purpose": chosen,
            "due_before": due.isoformat() if due else "",
            "channels": {k.value: v for k, v in CHANNEL_LABELS.items()},
            "errors": errors,
            "error_links": summary_links(
                errors, {"due_before": "due_before"}, {"due_before": "Due on or before"}
            ),
        },
        status=422 if errors else 200,
    )
