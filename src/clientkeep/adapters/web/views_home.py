"""The home page: who you are and what your role lets you do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep

router = APIRouter()


@router.get("/")
def home(request: Request, staff: StaffDep) -> Response:
    policy = request.app.state.container.policy
    role = policy.role(staff.actor.role)
    purposes = [policy.purposes[name] for name in sorted(role.purposes)]
    return render(request, "home.html", {"role": role, "purposes": purposes})
