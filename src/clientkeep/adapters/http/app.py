"""create_app: one ASGI app serving the REST API under /api/v1 and the staff web UI."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from clientkeep import __version__
from clientkeep.adapters.http import errors, middleware
from clientkeep.adapters.http.routers import (
    audit,
    complaints,
    customer_records,
    disclosures,
    feedback,
    interactions,
    merge,
    outbox,
    replies,
    representatives,
    review_queue,
    system,
    third_party_requests,
    verifications,
)
from clientkeep.adapters.web import app as web
from clientkeep.bootstrap import Container
from clientkeep.outbox.delivery import run_sender
from clientkeep.staff import authentication
from clientkeep.staff.failed_attempts import FailedAttempts

API_PREFIX = "/api/v1"
# Swagger UI's script, styles and icon as the fastapi-offline package ships them: the docs
# work with no internet and the page loads nothing from another host. Under /static/, so
# browsers may cache them like the web UI's own assets.
API_DOCS_ASSETS = "/static/api-docs"
log = logging.getLogger("clientkeep.http")


def create_app(container: Container) -> FastAPI:
    failed_attempts = FailedAttempts(per_minute=container.settings.auth_failures_per_minute)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The outbox is sent from a thread of its own, only where a sender is configured:
        # a server with none (tests, a fresh install) starts no thread.
        stop = threading.Event()
        sender = None
        if container.senders:
            sender = threading.Thread(
                target=run_sender,
                args=(stop, container.settings.outbox.interval_seconds, container.deliver_outbox),
                name="outbox-sender",
                daemon=True,
            )
            sender.start()
        yield
        stop.set()
        if sender is not None:
            sender.join(timeout=35)  # one send's SMTP or HTTP timeout is 30 s
        # Failures counted since their source's last record would otherwise be lost.
        try:
            authentication.record_pending_failures(
                failed_attempts, uow=container.uow(), clock=container.clock
            )
        except SQLAlchemyError as exc:
            log.error("could not record failed sign-ins at shutdown (%s)", type(exc).__name__)

    app = FastAPI(
        title="clientkeep",
        version=__version__,
        summary="Customer records that keep the law: the clientkeep REST API.",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=lifespan,
    )
    app.state.container = container
    app.state.failed_attempts = failed_attempts
    routers = (
        system,
        audit,
        merge,
        customer_records,
        verifications,
        disclosures,
        representatives,
        third_party_requests,
        replies,
        review_queue,
        outbox,
        feedback,
        interactions,
        complaints,
    )
    for router in (r.router for r in routers):
        app.include_router(router, prefix=API_PREFIX)
    # Before the web UI, whose /static mount would otherwise take the docs' assets' paths.
    _serve_api_docs(app)
    web.mount(app)
    answer = errors.install(app, html_page=web.error_page)
    middleware.install(app, answer=answer, max_body_bytes=container.settings.max_body_bytes)
    return app


# Served with the web UI's own static files.
_DOCS_FIXES = "/static"


def _serve_api_docs(app: FastAPI) -> None:
    """Swagger UI at /docs, from local assets, under the app's own Content-Security-Policy
    less one thing: the page's inline start-up script, let in by its hash."""
    page = get_swagger_ui_html(
        openapi_url=f"{API_PREFIX}/openapi.json",
        title="clientkeep API docs",
        swagger_js_url=f"{API_DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{API_DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{API_DOCS_ASSETS}/favicon.png",
        # No online validator (Swagger UI would send it the spec and show its badge); no deep
        # links, which put a link inside each operation's button (axe: nested-interactive).
        swagger_ui_parameters={"validatorUrl": None, "deepLinking": False},
    )
    # FastAPI's page names no language and puts Swagger UI in no landmark; screen readers
    # need both.
    html = (
        bytes(page.body)
        .decode()
        .replace("<html>", '<html lang="en">', 1)
        .replace('<div id="swagger-ui">\n    </div>', '<main id="swagger-ui"></main>', 1)
        # Darker shades of Swagger UI's colours, and its groups' headings at the right level:
        # without them axe-core finds colour contrast and heading order at fault.
        .replace(
            "</head>", f'<link rel="stylesheet" href="{_DOCS_FIXES}/api-docs.css">\n</head>', 1
        )
        .replace(
            "</body>", f'<script src="{_DOCS_FIXES}/api-docs-headings.js"></script>\n</body>', 1
        )
    )
    headers = {"Content-Security-Policy": middleware.policy_with_inline_scripts(html)}
    app.mount(
        API_DOCS_ASSETS,
        StaticFiles(packages=[("fastapi_offline", "static")]),
        name="api-docs-assets",
    )

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(html, headers=headers)
