"""Mounts the web UI's views, static files and templates on the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from clientkeep.adapters.web import (
    views_audit,
    views_auth,
    views_complaints,
    views_customer_forms,
    views_customer_records,
    views_feedback,
    views_follow_ups,
    views_home,
    views_interactions,
    views_outbox,
    views_policy,
    views_replies,
    views_representatives,
    views_review_queue,
    views_staff,
    views_third_party,
    views_verification,
)
from clientkeep.adapters.web.render import render

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The forms module first: its /customers/new must win over /customers/{customer_id}.
    for module in (
        views_auth,
        views_home,
        views_customer_forms,
        views_customer_records,
        views_verification,
        views_representatives,
        views_third_party,
        views_replies,
        views_review_queue,
        views_staff,
        views_audit,
        views_policy,
        views_outbox,
        views_feedback,
        views_complaints,
        views_interactions,
        views_follow_ups,
    ):
        app.include_router(module.router, include_in_schema=False)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    if status == 401:
        # A signed-out visitor to a staff page is sent to sign in, not shown an error.
        return Response(status_code=303, headers={"Location": "/sign-in"})
    return render(request, "error.html", {"title": title, "detail": detail}, status=status)
