"""create_app: one ASGI app serving the REST API under /api/v1 and the staff web UI."""

from __future__ import annotations

from fastapi import FastAPI

from clientkeep import __version__
from clientkeep.adapters.http import errors, middleware
from clientkeep.adapters.http.routers import audit, customer_records, review_queue, system
from clientkeep.adapters.web import app as web
from clientkeep.bootstrap import Container

API_PREFIX = "/api/v1"


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="clientkeep",
        version=__version__,
        summary="Customer records that keep the law: the clientkeep REST API.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.container = container
    for router in (system.router, audit.router, customer_records.router, review_queue.router):
        app.include_router(router, prefix=API_PREFIX)
    web.mount(app)
    unexpected = errors.install(app, html_page=web.error_page)
    middleware.install(app, on_unexpected=unexpected)
    return app
