"""Rendering pages with the layout's shared context (who is signed in, the navigation)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    capability: str | None = None  # None: every signed-in role sees it
    needs_customer_data: bool = False


# Each capability adds its screen here as it lands; the layout shows only what the role may use.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "/"),
    NavItem("Customers", "/customers", needs_customer_data=True),
    NavItem("Review queue", "/review", capability="review.work"),
    NavItem("Third-party requests", "/third-party-requests", capability="disclosures.approve"),
    NavItem("Complaints", "/complaints", needs_customer_data=True),
    NavItem("Follow-ups", "/follow-ups", needs_customer_data=True),
    NavItem("Satisfaction", "/reports/satisfaction", capability="reports.read"),
    NavItem("Staff", "/staff", capability="staff.manage"),
    NavItem("Audit trail", "/audit", capability="audit.read"),
    NavItem("Messages", "/outbox", capability="keys.manage"),
    NavItem("Policy", "/policy"),
    NavItem("Your account", "/account/password"),
)


def nav_for(request: Request) -> list[NavItem]:
    signed_in = getattr(request.state, "web", None)
    if signed_in is None:
        return []
    policy = request.app.state.container.policy
    role = policy.role(signed_in.actor.role)
    return [
        item
        for item in NAVIGATION
        if (item.capability is None or item.capability in role.capabilities)
        and (not item.needs_customer_data or role.sees_customer_data)
    ]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> Response:
    signed_in = getattr(request.state, "web", None)
    full = {
        "request": request,
        "signed_in": signed_in,
        "csrf_token": signed_in.session.csrf_token if signed_in else None,
        "nav": nav_for(request),
        "current_path": request.url.path,
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, full, status_code=status)
