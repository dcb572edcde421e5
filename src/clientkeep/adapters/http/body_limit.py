"""A cap on request bodies, so a client cannot make the server read and parse 100 MB."""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Answer = Callable[[Request, Exception], Response]


class BodyTooLarge(HTTPException):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413, f"The request body is larger than this server accepts ({max_bytes} bytes)."
        )


class BodyLimit:
    """Refuses a request body over ``max_bytes`` before anything parses it.

    A declared Content-Length over the cap is answered at once, without running the app. A
    body without one (chunked) is counted as it streams in, and reading stops with 413 once it
    is over: the app's handlers turn the exception raised from ``receive`` into the answer.
    A body within its declared length passes untouched (the server holds the client to that
    length), as does a request with no body, so the usual request costs a scan of its headers
    and nothing more.
    """

    def __init__(self, app: ASGIApp, *, answer: Answer, max_bytes: int) -> None:
        self.app = app
        self.answer = answer
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _framing(scope)
        if declared is None and not chunked and scope.get("http_version", "1.1") in _HTTP_1:
            # HTTP/1 has no body without one of the two: the usual GET goes straight through.
            await self.app(scope, receive, send)
            return
        if declared is not None and declared <= self.max_bytes:
            await self.app(scope, receive, send)
            return
        if declared is not None:
            response = self.answer(Request(scope), BodyTooLarge(self.max_bytes))
            await response(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            if received > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except BodyTooLarge as exc:
            # Raised where no handler of the app caught it; answer here unless too late.
            if started:
                raise
            await self.answer(Request(scope), exc)(scope, receive, send)


_HTTP_1 = frozenset({"1.0", "1.1"})


def _framing(scope: Scope) -> tuple[int | None, bool]:
    """(the declared Content-Length, whether the body is chunked)."""
    declared, chunked = None, False
    for name, value in scope["headers"]:
        if name == b"content-length":
            # The server has already refused a malformed one; this is belt and braces.
            declared = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked
