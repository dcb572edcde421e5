"""What the customer screens share: the purposes a role may use, and which fields a form
shows."""

from __future__ import annotations

from fastapi import Request

from clientkeep.adapters.web.session import SignedInStaff
from clientkeep.bootstrap import Container
from clientkeep.policy.model import FieldDef
from clientkeep.shared.errors import PermissionDenied


def container(request: Request) -> Container:
    c: Container = request.app.state.container
    return c


def purposes_for(c: Container, staff: SignedInStaff) -> list[str]:
    role = c.policy.roles.get(staff.actor.role)
    return [p for p in c.policy.purposes if role is not None and p in role.purposes]


def chosen_purpose(c: Container, staff: SignedInStaff, asked: str | None) -> str:
    """The purpose asked for if the role may use it, else its first; none at all is a 403."""
    allowed = purposes_for(c, staff)
    if not allowed:
        raise PermissionDenied("Your role sees no customer data.")
    if asked in allowed:
        return str(asked)
    return "service" if "service" in allowed else allowed[0]


def form_fields(c: Container, staff: SignedInStaff, purpose: str) -> list[FieldDef]:
    """The fields staff may type for this purpose, in policy order."""
    visible = c.policy.visible_fields(staff.actor.role, purpose)
    return [f for name, f in c.policy.fields.items() if name in visible and not f.system]


def input_type(field: FieldDef) -> str:
    return {"email": "email", "phone": "tel", "date": "date"}.get(field.type.value, "text")
