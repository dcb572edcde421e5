"""Headers every response carries: a request id, no caching of personal data, a tight CSP.
And the cap on request bodies (body_limit), installed inside them."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clientkeep.adapters.http.body_limit import Answer, BodyLimit
from clientkeep.shared.ids import new_id

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def policy_with_inline_scripts(html: str) -> str:
    """The policy above, letting in the inline scripts of this one page by their hashes and no
    others. For the API docs, whose start-up script is inline: set on that page's response,
    it stands (the middleware never replaces a policy the app set)."""
    scripts = _INLINE_SCRIPT.findall(html)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts
    )
    policy = _SECURITY_HEADERS["Content-Security-Policy"]
    return policy.replace("script-src 'self'", f"script-src 'self' {hashes}".rstrip())


def install(app: FastAPI, *, answer: Answer, max_body_bytes: int) -> None:
    """``answer`` turns an exception into the app's error response (problem+json or a page),
    for exceptions no handler took and for bodies refused before the app sees them."""
    app.add_middleware(BodyLimit, answer=answer, max_bytes=max_body_bytes)
    # Added last, so outermost: every answer, the body limit's too, gets the headers.
    app.add_middleware(SecurityHeaders, on_unexpected=answer)


class SecurityHeaders:
    """Plain ASGI, not BaseHTTPMiddleware: that one runs the app in a task of its own and
    streams the body through a queue, which cost more per API read than the read itself."""

    def __init__(self, app: ASGIApp, *, on_unexpected: Answer) -> None:
        self.app = app
        self.on_unexpected = on_unexpected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope["path"]
        extra = _headers_for(path, request_id)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name in _REPLACED or name not in headers:
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise
            # Left to escape, it would be answered outside this middleware, without these
            # headers, and the server would log its message and trace, which may hold
            # personal data. Answered here, it is logged by type and request id only.
            response = self.on_unexpected(Request(scope, receive), exc)
            await response(scope, receive, send_with_headers)


# Set whatever the app said; the rest only where the app set nothing of its own.
_REPLACED = frozenset({"X-Request-ID", "Cache-Control", "Pragma"})


def _headers_for(path: str, request_id: str) -> list[tuple[str, str]]:
    headers = [("X-Request-ID", request_id), *_SECURITY_HEADERS.items()]
    if not path.startswith("/static/"):
        # Pages and API answers may hold personal data: never keep them in any cache.
        headers += [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
    return headers
