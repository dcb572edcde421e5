"""The review queue on the web: stale records, suspected duplicates, merging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import container, done_notice, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.audit.denials import record_denial
from clientkeep.customers import merge as merging
from clientkeep.customers import review
from clientkeep.customers import services as customers
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.shared.errors import InvalidInput, PermissionDenied

router = APIRouter()


@router.get("/review")
def review_page(request: Request, staff: StaffDep) -> Response:
    c = container(request)
    queue = review.review_queue(uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock)
    labels = {n: f.label for n, f in c.policy.fields.items()}
    return render(
        request,
        "records/review.html",
        {
            "queue": queue,
            "labels": labels,
            "notice": done_notice(request.query_params.get("done")),
            "purpose": c.policy.default_purpose,
            "may_merge": c.policy.has_capability(staff.actor.role, MERGE_CUSTOMERS),
        },
    )


@router.post("/review/duplicates/{suspect_id}/dismiss")
def dismiss(
    request: Request,
    staff: StaffDep,
    suspect_id: str,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = container(request)
    review.dismiss_duplicate(
        suspect_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    return RedirectResponse("/review?done=dismissed", status_code=303)


def _merge_page(
    request: Request,
    staff: StaffDep,
    survivor_id: str,
    duplicate_id: str,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
    take: frozenset[str] = frozenset(),
    status: int = 200,
) -> Response:
    c = container(request)
    if not c.policy.has_capability(staff.actor.role, MERGE_CUSTOMERS):
        refused = PermissionDenied("Your role may not merge customer records.")
        # Refused here, before any use case runs: recorded as the use case would have.
        record_denial(
            c.uow(),
            staff.actor,
            c.policy,
            "customer.merged",
            customer_id=survivor_id,
            purpose=None,
            refused=refused,
        )
        raise refused
    survivor, duplicate = (
        customers.read(
            cid,
            purpose=c.policy.default_purpose,
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
        for cid in (survivor_id, duplicate_id)
    )
    names = [n for n in c.policy.fields if n in survivor.fields or n in duplicate.fields]
    errors = errors or {}
    # A choice at fault leads to its row's radio button (the duplicate's where there is one);
    # anything else (which record, the purpose) to the form.
    targets = {"reason": "reason"}
    reference = c.policy.field_roles.reference
    for n in names:
        offered = n != reference and n in survivor.fields and n in duplicate.fields
        targets[f"take_from_duplicate.{n}"] = f"keep_{n}_{'duplicate' if offered else 'survivor'}"
    return render(
        request,
        "records/merge.html",
        {
            "survivor": survivor,
            "duplicate": duplicate,
            "names": names,
            "labels": {n: f.label for n, f in c.policy.fields.items()},
            "errors": errors,
            "error_links": summary_links(errors, targets),
            "reason": reason,
            "take": take,
            "reference": reference,
        },
        status=status,
    )


@router.get("/customers/{survivor_id}/merge")
def merge_form(
    request: Request,
    staff: StaffDep,
    survivor_id: str,
    duplicate_id: Annotated[str, Query(max_length=32)],
) -> Response:
    return _merge_page(request, staff, survivor_id, duplicate_id)


@router.post("/customers/{survivor_id}/merge")
async def merge(request: Request, staff: StaffDep, survivor_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    duplicate_id = str(form.get("duplicate_id", ""))
    reason = str(form.get("reason", ""))
    take = frozenset(
        str(k).removeprefix("keep_")
        for k, v in form.multi_items()
        if str(k).startswith("keep_") and v == "duplicate"
    )
    try:
        await run_in_threadpool(
            lambda: merging.merge(
                survivor_id,
                merging.MergeCustomers(
                    duplicate_id=duplicate_id,
                    reason=reason,
                    purpose=c.policy.default_purpose,
                    take_from_duplicate=take,
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
                kinds=c.record_kinds,
            )
        )
    except InvalidInput as exc:
        errors: dict[str, str] = {}
        for field, message in exc.errors:
            # "The survivor keeps its own reference" is about the reference's row.
            if field == "take_from_duplicate":
                field = f"take_from_duplicate.{c.policy.field_roles.reference}"
            errors.setdefault(field, message)
        return await run_in_threadpool(
            lambda: _merge_page(
                request,
                staff,
                survivor_id,
                duplicate_id,
                errors=errors,
                reason=reason,
                take=take,
                status=422,
            )
        )
    return RedirectResponse(
        f"/customers/{survivor_id}?purpose={c.policy.default_purpose}&done=merged",
        status_code=303,
    )
