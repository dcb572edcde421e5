"""Merging over REST in two steps: preview the merged record, then merge exactly that.

The preview answers with the record as it will read and a digest of what was previewed; the
merge takes the same choices and the digest, works the preview out again from the records
under lock, and is refused (409, merge-preview-outdated) when either record changed since.
This router's merge route replaces the one that merged without a preview.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import (
    CustomerOut,
    FieldName,
    Purpose,
    Strict,
)
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.customers import merge as merging
from clientkeep.customers import merge_preview as previewing

router = APIRouter(prefix="/customers", tags=["customers"])

CustomerId = Annotated[str, StringConstraints(max_length=32)]
Digest = Annotated[str, StringConstraints(min_length=64, max_length=64, pattern="^[0-9a-f]+$")]


class MergeChoicesIn(Strict):
    duplicate_id: CustomerId
    # The duplicate's whole name (given, family and preferred name together).
    name_from_duplicate: bool = False
    # Other fields where the duplicate's value replaces the survivor's; never name parts.
    take_from_duplicate: list[FieldName] = Field(default_factory=list, max_length=50)
    # Absent: the policy's default purpose.
    purpose: Purpose | None = None


class MergeConfirm(MergeChoicesIn):
    reason: Annotated[str, StringConstraints(max_length=500)]
    preview_digest: Digest = Field(description="The preview_digest of the preview confirmed.")


class NameOut(BaseModel):
    survivor: str
    duplicate: str
    choice: bool
    from_duplicate: bool


class PreviewFieldOut(BaseModel):
    name: str
    label: str
    survivor: str | None
    duplicate: str | None
    result: str | None
    choice: bool
    source: str


class OtherRecordOut(BaseModel):
    id: str
    becomes: str = "tombstone"
    points_to: str
    # Rows of each kind of record that move to the survivor.
    moves: dict[str, int]
    key_destroyed: bool = True


class MergePreviewOut(BaseModel):
    survivor_id: str
    purpose: str
    display_name: str
    name: NameOut
    fields: list[PreviewFieldOut]
    other_record: OtherRecordOut
    preview_digest: str

    @classmethod
    def of(cls, p: previewing.MergePreview) -> MergePreviewOut:
        return cls(
            survivor_id=p.survivor_id,
            purpose=p.purpose,
            display_name=p.result_name,
            name=NameOut(
                survivor=p.name.survivor,
                duplicate=p.name.duplicate,
                choice=p.name.choice,
                from_duplicate=p.name.from_duplicate,
            ),
            fields=[
                PreviewFieldOut(
                    name=r.name,
                    label=r.label,
                    survivor=r.survivor,
                    duplicate=r.duplicate,
                    result=r.result,
                    choice=r.choice,
                    source=r.source,
                )
                for r in p.rows
            ],
            other_record=OtherRecordOut(
                id=p.duplicate_id, points_to=p.survivor_id, moves=dict(p.moves)
            ),
            preview_digest=p.digest,
        )


@router.post(
    "/{survivor_id}/merge/preview",
    response_model=MergePreviewOut,
    summary="Preview a merge: the record as it would read, and its digest (supervisor)",
)
def preview_merge(
    survivor_id: str, body: MergeChoicesIn, actor: ActorDep, c: ContainerDep
) -> MergePreviewOut:
    preview = previewing.preview_merge(
        survivor_id,
        previewing.PreviewMerge(
            duplicate_id=body.duplicate_id,
            purpose=body.purpose or c.policy.default_purpose,
            choices=previewing.MergeChoices(
                name_from_duplicate=body.name_from_duplicate,
                take_from_duplicate=frozenset(body.take_from_duplicate),
            ),
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        kinds=c.record_kinds,
    )
    return MergePreviewOut.of(preview)


@router.post(
    "/{survivor_id}/merge",
    response_model=CustomerOut,
    summary="Merge a duplicate into this record, exactly as previewed (supervisor)",
)
def confirm_merge(
    survivor_id: str, body: MergeConfirm, actor: ActorDep, c: ContainerDep
) -> CustomerOut:
    view = merging.merge(
        survivor_id,
        merging.MergeCustomers(
            duplicate_id=body.duplicate_id,
            reason=body.reason,
            purpose=body.purpose or c.policy.default_purpose,
            take_from_duplicate=frozenset(body.take_from_duplicate),
            name_from_duplicate=body.name_from_duplicate,
            preview_digest=body.preview_digest,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        kinds=c.record_kinds,
    )
    return CustomerOut.of(view)
