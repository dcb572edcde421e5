"""Request-scoped dependencies: the container, the request id and the authenticated actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clientkeep.bootstrap import Container
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication

_bearer = HTTPBearer(auto_error=False, description="An API token from `clientkeep token create`")


# Cheap dependencies are async: FastAPI runs a sync dependency in the thread pool, and each
# hop to a worker thread and back cost more than what these do.
async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def request_id(request: Request) -> str:
    rid: str = request.state.request_id
    return rid


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
    )


ActorDep = Annotated[Actor, Depends(api_actor)]
