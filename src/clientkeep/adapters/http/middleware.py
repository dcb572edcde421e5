"""Headers every response carries: a request id, no caching of personal data, a tight CSP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.responses import Response

from clientkeep.shared.ids import new_id

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# The interactive API docs load their own script and styles from the CDN FastAPI names; the
# docs hold no personal data, so they get a looser policy of their own.
_DOCS_CSP = (
    "default-src 'self'; img-src 'self' data: https://fastapi.tiangolo.com; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; frame-ancestors 'none'"
)


def install(app: FastAPI, *, on_unexpected: Callable[[Request, Exception], Response]) -> None:
    """``on_unexpected`` answers an exception no handler took, so that answer gets the headers."""

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.request_id = new_id("req")
        try:
            response = await call_next(request)
        except Exception as exc:
            # Left to escape, it would be answered outside this middleware, without these
            # headers, and the server would log its message and trace, which may hold
            # personal data. Answered here, it is logged by type and request id only.
            response = on_unexpected(request, exc)
        response.headers["X-Request-ID"] = request.state.request_id
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path in ("/docs", "/redoc"):
            response.headers["Content-Security-Policy"] = _DOCS_CSP
        if not request.url.path.startswith("/static/"):
            # Pages and API answers may hold personal data: never keep them in any cache.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
