"""The API's one mapping from errors to problem+json. No traces, no submitted values."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC
from email.utils import format_datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from clientkeep.adapters.db.engine import NUL_REFUSED, refused_nul
from clientkeep.adapters.http import _no_echo
from clientkeep.adapters.http.problems import problem
from clientkeep.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    InvalidInput,
    Locked,
    NotFound,
    PermissionDenied,
    TooManyRequests,
)
from clientkeep.staff.errors import TooManyFailedAttempts

log = logging.getLogger("clientkeep.http")

_STATUS: list[tuple[type[DomainError], int, str]] = [
    (InvalidInput, 422, "Invalid input"),
    (AuthenticationFailed, 401, "Not authenticated"),
    (PermissionDenied, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (TooManyFailedAttempts, 429, "Too many requests"),
    (TooManyRequests, 429, "Too many requests"),
    (Locked, 423, "Locked"),
]
_HTTP_TITLES = {
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
}


def _rid(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def domain_problem(request: Request, exc: DomainError) -> Response:
    status, title = next(
        ((status, title) for cls, status, title in _STATUS if isinstance(exc, cls)),
        (400, "Request refused"),
    )
    names = _no_echo.declared_names(request.app)
    message = _no_echo.domain_message(exc)
    errors = None
    if isinstance(exc, InvalidInput):
        errors = [{"field": _no_echo.field_path(f, names), "message": m} for f, m in exc.errors]
    elif exc.field:
        errors = [{"field": _no_echo.field_path(exc.field, names), "message": message}]
    headers = None
    extra = None
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, TooManyFailedAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, Locked | TooManyRequests):
        headers = {"Retry-After": format_datetime(exc.retry_at.astimezone(UTC), usegmt=True)}
        extra = {"retry_at": exc.retry_at.astimezone(UTC).isoformat()}
    return problem(
        status,
        title,
        message,
        slug=exc.code.replace("_", "-"),
        errors=errors,
        headers=headers,
        request_id=_rid(request),
        extra=extra,
    )


def validation_problem(request: Request, exc: RequestValidationError) -> Response:
    names = _no_echo.declared_names(request.app)
    return problem(
        422,
        "Invalid input",
        "The request has invalid or missing values.",
        slug="invalid-input",
        errors=[_no_echo.validation_error(e, names) for e in exc.errors()],
        request_id=_rid(request),
    )


def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
    return problem(
        exc.status_code,
        _HTTP_TITLES.get(exc.status_code, "Error"),
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
Answer = Callable[[Request, Exception], Response]


def install(app: FastAPI, *, html_page: HtmlErrorPage) -> Answer:
    """API paths get problem+json; the staff web UI gets an HTML page with the same facts.

    Returns the same answers for the middleware, which meets exceptions outside the app's
    handlers (an unexpected one: Starlette sends the catch-all handler's answer from outside
    every middleware) or answers before the app runs (a body over the limit).
    """

    def by_path(api_handler: Callable[[Request, Any], Response]) -> Callable[..., Response]:
        def handler(request: Request, exc: Any) -> Response:
            response = api_handler(request, exc)
            if request.url.path.startswith("/api/"):
                return response
            body = json.loads(bytes(response.body))
            return html_page(request, response.status_code, body["title"], body["detail"])

        return handler

    domain = by_path(domain_problem)
    http = by_path(http_problem)
    failed = by_path(unexpected_problem)

    def unexpected(request: Request, exc: Exception) -> Response:
        if refused_nul(exc):
            return domain(request, InvalidInput([("request", NUL_REFUSED)]))
        return failed(request, exc)

    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(RequestValidationError, by_path(validation_problem))
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, unexpected)

    def answer(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DomainError):
            return domain(request, exc)
        if isinstance(exc, StarletteHTTPException):
            return http(request, exc)
        return unexpected(request, exc)

    return answer
