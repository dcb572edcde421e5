"""Health and "who am I"."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from clientkeep import __version__
from clientkeep.adapters.http.deps import ActorDep, ContainerDep

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    version: str
    database: str


class Me(BaseModel):
    id: str
    username: str
    role: str
    purposes: list[str]
    may_see_special_category: bool
    capabilities: list[str]


@router.get(
    "/health", response_model=Health, summary="Is the service up and its database reachable?"
)
def health(container: ContainerDep) -> Health:
    with container.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__, database="ok")


@router.get("/me", response_model=Me, summary="The staff member behind this token, and their role")
def me(actor: ActorDep, container: ContainerDep) -> Me:
    role = container.policy.role(actor.role)
    return Me(
        id=actor.id,
        username=actor.name,
        role=role.name,
        purposes=sorted(role.purposes),
        may_see_special_category=role.may_see_special,
        capabilities=sorted(role.capabilities),
    )
