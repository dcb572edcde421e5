"""create_app: one ASGI app serving the REST API under /api/v1 and the staff web UI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from clientkeep import __version__
from clientkeep.adapters.http import errors, middleware
from clientkeep.adapters.http.routers import audit, customer_records, review_queue, system
from clientkeep.adapters.web import app as web
from clientkeep.bootstrap import Container
from clientkeep.staff import authentication
from clientkeep.staff.failed_attempts import FailedAttempts

API_PREFIX = "/api/v1"
log = logging.getLogger("clientkeep.http")


def create_app(container: Container) -> FastAPI:
    failed_attempts = FailedAttempts(per_minute=container.settings.auth_failures_per_minute)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
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
        docs_url="/docs",
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=lifespan,
    )
    app.state.container = container
    app.state.failed_attempts = failed_attempts
    for router in (system.router, audit.router, customer_records.router, review_queue.router):
        app.include_router(router, prefix=API_PREFIX)
    web.mount(app)
    answer = errors.install(app, html_page=web.error_page)
    middleware.install(app, answer=answer, max_body_bytes=container.settings.max_body_bytes)
    return app
