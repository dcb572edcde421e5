"""The policy in force, readable by every member of staff: why the software says no."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep

router = APIRouter()


@router.get("/policy")
def show_policy(request: Request, staff: StaffDep) -> Response:
    policy = request.app.state.container.policy
    usage = {
        name: sorted(p.name for p in policy.purposes.values() if name in p.fields)
        for name in policy.fields
    }
    return render(request, "policy.html", {"policy": policy, "usage": usage})
