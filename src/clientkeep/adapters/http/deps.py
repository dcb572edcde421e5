"""Request-scoped dependencies: the container, the request id and the authenticated actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clientkeep.bootstrap import Container
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import AuthenticationFailed, InvalidInput
from clientkeep.staff import authentication
from clientkeep.staff.failed_attempts import FailedAttempts

_bearer = HTTPBearer(auto_error=False, description="An API token from `clientkeep token create`")
IDEMPOTENCY_KEY_MAX = 200


# Cheap dependencies are async: FastAPI runs a sync dependency in the thread pool, and each
# hop to a worker thread and back cost more than what these do.
async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def request_id(request: Request) -> str:
    rid: str = request.state.request_id
    return rid


def client_source(request: Request) -> str:
    """Where a request came from, as failed authentication is counted: the client address.

    Behind a reverse proxy that is the proxy's, unless the server is told to trust the proxy's
    forwarded-for header (uvicorn does for 127.0.0.1 by default: FORWARDED_ALLOW_IPS).
    """
    client = request.client
    return client.host[:64] if client is not None and client.host else "unknown"


def failed_attempts(request: Request) -> FailedAttempts:
    found: FailedAttempts = request.app.state.failed_attempts
    return found


ContainerDep = Annotated[Container, Depends(get_container)]


def api_actor(
    request: Request,
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed("Send an API token as 'Authorization: Bearer <token>'.")
    return authentication.token_actor(
        credentials.credentials,
        uow=container.uow(),
        clock=container.clock,
        request_id=request_id(request),
        source=client_source(request),
        failures=failed_attempts(request),
    )


ActorDep = Annotated[Actor, Depends(api_actor)]


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Any 1-200 visible ASCII characters; a retry with the same key and "
            "body replays the first answer instead of registering twice.",
        ),
    ] = None,
) -> str | None:
    """A key the client chose, or None; one that is empty, too long or not visible ASCII is
    refused, rather than taken as a key every careless client would share."""
    if key is None:
        return None
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX or not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput(
            [
                (
                    "Idempotency-Key",
                    f"Use 1-{IDEMPOTENCY_KEY_MAX} visible ASCII characters (no spaces), "
                    "or leave the header out.",
                )
            ]
        )
    return key


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]
