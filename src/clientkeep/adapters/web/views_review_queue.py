"""The review queue on the web: customers whose caller checks are locked now, stale records,
suspected duplicates, and merging them in two steps (choose the survivor, check the merged
record as it will read, then confirm)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import (
    FORM_ID,
    container,
    done_notice,
    summary_links,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.customers import merge as merging
from clientkeep.customers import merge_choice, review
from clientkeep.customers import merge_preview as previewing
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import lockouts

router = APIRouter()


@router.get("/review")
def review_page(request: Request, staff: StaffDep) -> Response:
    c = container(request)
    # Not counted to the end: a full page says so instead (counting every stale record on each
    # visit costs a pass over the confirmation times; the CLI's report counts).
    queue = review.review_queue(uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock)
    locked = lockouts.locked_customers(
        uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    labels = {n: f.label for n, f in c.policy.fields.items()}
    return render(
        request,
        "records/review.html",
        {
            "queue": queue,
            "locked": locked,
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


@router.get("/customers/{customer_id}/merge")
def choose_survivor(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    duplicate_id: Annotated[str, Query(max_length=32)],
    survivor_id: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """Both records side by side; choosing one (a GET form) leads to the preview."""
    if survivor_id is not None and survivor_id in (customer_id, duplicate_id):
        other = duplicate_id if survivor_id == customer_id else customer_id
        return RedirectResponse(
            f"/customers/{survivor_id}/merge/preview?duplicate_id={other}", status_code=303
        )
    c = container(request)
    pair = merge_choice.compare_for_merge(
        customer_id, duplicate_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    errors = {} if survivor_id is None else {"survivor_id": "Choose one of the two records."}
    return render(
        request,
        "records/merge.html",
        {
            "pair": pair,
            "chosen": pair.suggested_survivor_id,
            "errors": errors,
            "error_links": summary_links(errors, {"survivor_id": f"survivor_{pair.first.id}"}),
        },
        status=422 if errors else 200,
    )


def _choices(params: ImmutableMultiDict[str, str]) -> previewing.MergeChoices:
    """The choices a preview or confirmation form carries: name=duplicate, keep_<field>=..."""
    items = params.multi_items()
    return previewing.MergeChoices(
        name_from_duplicate=("name", "duplicate") in items,
        take_from_duplicate=frozenset(
            k.removeprefix("keep_") for k, v in items if k.startswith("keep_") and v == "duplicate"
        ),
    )


def _preview_page(
    request: Request,
    staff: StaffDep,
    survivor_id: str,
    duplicate_id: str,
    choices: previewing.MergeChoices,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
    status: int = 200,
) -> Response:
    c = container(request)

    def preview_with(chosen: previewing.MergeChoices) -> previewing.MergePreview:
        return previewing.preview_merge(
            survivor_id,
            previewing.PreviewMerge(duplicate_id, c.policy.default_purpose, chosen),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            kinds=c.record_kinds,
        )

    errors = dict(errors or {})
    try:
        preview = preview_with(choices)
    except InvalidInput as exc:
        # Choices these records do not offer (an old or altered address): start from the
        # survivor's values and say what was wrong.
        for field, message in exc.errors:
            errors.setdefault(field, message)
        preview = preview_with(previewing.MergeChoices())
        status = 422
    targets = {"reason": "reason", "name_from_duplicate": "name_duplicate"}
    # A choice at fault leads to its radio button; one these records do not offer (from an
    # old or altered address) to the detail's row in the merged record.
    targets.update(
        {
            f"take_from_duplicate.{r.name}": f"keep_{r.name}_duplicate"
            if r.choice
            else f"result_{r.name}"
            for r in preview.rows
        }
    )
    return render(
        request,
        "records/merge_preview.html",
        {
            "preview": preview,
            "errors": errors,
            "error_links": summary_links(errors, targets),
            "reason": reason,
            "form_id": FORM_ID,
        },
        status=status,
    )


@router.get("/customers/{survivor_id}/merge/preview")
def preview(
    request: Request,
    staff: StaffDep,
    survivor_id: str,
    duplicate_id: Annotated[str, Query(max_length=32)],
) -> Response:
    choices = _choices(request.query_params)
    return _preview_page(request, staff, survivor_id, duplicate_id, choices)


@router.post("/customers/{survivor_id}/merge")
async def merge(request: Request, staff: StaffDep, survivor_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    duplicate_id = str(form.get("duplicate_id", ""))[:32]
    reason = str(form.get("reason", ""))
    fields = ImmutableMultiDict([(k, str(v)) for k, v in form.multi_items()])
    choices = _choices(fields)
    try:
        await run_in_threadpool(
            lambda: merging.merge(
                survivor_id,
                merging.MergeCustomers(
                    duplicate_id=duplicate_id,
                    reason=reason,
                    purpose=c.policy.default_purpose,
                    take_from_duplicate=choices.take_from_duplicate,
                    name_from_duplicate=choices.name_from_duplicate,
                    # Always sent by the page: a form without one is refused as outdated.
                    preview_digest=str(form.get("preview_digest", "")),
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
                kinds=c.record_kinds,
            )
        )
    except (InvalidInput, merging.MergePreviewOutdated) as exc:
        outdated = isinstance(exc, merging.MergePreviewOutdated)
        errors: dict[str, str] = {}
        if isinstance(exc, InvalidInput):
            for field, message in exc.errors:
                errors.setdefault(field, message)
        else:
            errors["preview_digest"] = exc.message
        return await run_in_threadpool(
            lambda: _preview_page(
                request,
                staff,
                survivor_id,
                duplicate_id,
                choices,
                errors=errors,
                reason=reason,
                status=409 if outdated else 422,
            )
        )
    return RedirectResponse(
        f"/customers/{survivor_id}?purpose={c.policy.default_purpose}&done=merged",
        status_code=303,
    )
