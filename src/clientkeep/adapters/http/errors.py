"""The API's one mapping from errors to problem+json. No traces, no submitted values."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from clientkeep.adapters.http.problems import problem
from clientkeep.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)

log = logging.getLogger("clientkeep.http")

_STATUS: list[tuple[type[DomainError], int, str]] = [
    (InvalidInput, 422, "Invalid input"),
    (AuthenticationFailed, 401, "Not authenticated"),
    (PermissionDenied, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
]


def _rid(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def _field_of(loc: tuple[object, ...]) -> str:
    # ("body", "fields", "email") -> "fields.email"; ("query", "purpose") -> "purpose"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def domain_problem(request: Request, exc: DomainError) -> Response:
    status, title = next(
        ((status, title) for cls, status, title in _STATUS if isinstance(exc, cls)),
        (400, "Request refused"),
    )
    errors = None
    if isinstance(exc, InvalidInput):
        errors = [{"field": f, "message": m} for f, m in exc.errors]
    elif exc.field:
        errors = [{"field": exc.field, "message": exc.message}]
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(
        status,
        title,
        exc.message,
        slug=exc.code.replace("_", "-"),
        errors=errors,
        headers=headers,
        request_id=_rid(request),
    )


def validation_problem(request: Request, exc: RequestValidationError) -> Response:
    # Pydantic's own errors echo the input; we keep only where and what, never the value.
    errors = [{"field": _field_of(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    return problem(
        422,
        "Invalid input",
        "The request has invalid or missing values.",
        slug="invalid-input",
        errors=errors,
        request_id=_rid(request),
    )


def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
    titles = {
        401: "Not authenticated",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        409: "Conflict",
    }
    return problem(
        exc.status_code,
        titles.get(exc.status_code, "Error"),
        str(exc.detail),
        slug=f"http-{exc.status_code}",
        headers=getattr(exc, "headers", None),
        request_id=_rid(request),
    )


def unexpected_problem(request: Request, exc: Exception) -> Response:
    # The exception text may hold data; log its type and the request id only.
    log.error("unexpected %s in request %s", type(exc).__name__, _rid(request))
    return problem(
        500,
        "Internal error",
        "Something went wrong; nothing was changed. Quote the request id to your administrator.",
        slug="internal-error",
        request_id=_rid(request),
    )


HtmlErrorPage = Callable[[Request, int, str, str], Response]


def install(app: FastAPI, *, html_page: HtmlErrorPage) -> Callable[[Request, Exception], Response]:
    """API paths get problem+json; the staff web UI gets an HTML page with the same facts.

    Returns the answer to an unexpected exception, for the middleware that adds the security
    headers: Starlette sends the catch-all handler's answer from outside every middleware.
    """

    def by_path(api_handler: Callable[[Request, Any], Response]) -> Callable[..., Response]:
        def handler(request: Request, exc: Any) -> Response:
            response = api_handler(request, exc)
            if request.url.path.startswith("/api/"):
                return response
            body = json.loads(bytes(response.body))
            return html_page(request, response.status_code, body["title"], body["detail"])

        return handler

    app.add_exception_handler(DomainError, by_path(domain_problem))
    app.add_exception_handler(RequestValidationError, by_path(validation_problem))
    app.add_exception_handler(StarletteHTTPException, by_path(http_problem))
    unexpected = by_path(unexpected_problem)
    app.add_exception_handler(Exception, unexpected)
    return unexpected
