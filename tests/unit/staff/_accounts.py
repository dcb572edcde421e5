"""Members to look after in the account tests: an admin with a row, and a colleague."""

from __future__ import annotations

from clientkeep.shared.actor import Actor
from clientkeep.staff import services
from tests.unit.staff.conftest import PASSWORD


def add(deps, username: str, role: str = "agent"):
    system = Actor(id="cli:root", name="root", role="system", credential="cli:root")
    return services.add_staff(
        services.AddStaff(username=username, role=role, password=PASSWORD),
        actor=system,
        **deps,
    )


def as_actor(member) -> Actor:
    return Actor(id=member.id, name=member.username, role=member.role, credential="test")
