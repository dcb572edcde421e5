"""Request and response bodies for feedback and the satisfaction report. Responses are
allow-lists: a report holds figures and group names, never a customer or a comment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.feedback import services as feedback

Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# An id is printable ASCII without spaces: U+0000 or a control character is refused
# here, naming the field, before it reaches a database that cannot hold it.
ID_PATTERN = r"^[!-~]+$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]
Channel = Literal["phone", "email", "in_person", "web", "letter", "chat"]
Category = Literal["enquiry", "request", "complaint", "feedback", "update", "other"]


class FeedbackIn(BaseModel):
    # Not strict about the scores' types: the use case refuses a bool, a fraction or a
    # string itself, with a problem naming the score, so every edge says the same.
    model_config = ConfigDict(extra="forbid")

    csat: object = Field(None, description="1 (very dissatisfied) to 5 (very satisfied).")
    nps: object = Field(None, description="0 (not at all likely to recommend) to 10.")
    comment: Annotated[str, StringConstraints(max_length=4000)] | None = Field(
        None, description="What the customer said with the score; sealed."
    )
    interaction_id: Id | None = Field(
        None, description="The customer's contact it rates: its channel, category and member."
    )
    channel: Channel | None = Field(None, description="Without an interaction: how it came.")
    category: Category | None = Field(None, description="Without an interaction: about what.")
    at: datetime | None = Field(None, description="When it was given; now if not given.")
    purpose: Purpose | None = Field(
        None, description="The policy's default purpose if not given; it must use feedback."
    )


class FeedbackOut(Strict):
    id: str
    customer_id: str
    at: datetime
    month: str
    purpose: str
    scale: Literal["csat", "nps"]
    score: int
    comment: str | None = Field(description="Null where the purpose does not show feedback.")
    interaction_id: str | None
    channel: str | None
    category: str | None
    staff_id: str = Field(description="Whose contact it rates.")
    staff_name: str
    recorded_by: str
    recorded_by_name: str

    @classmethod
    def of(cls, view: feedback.FeedbackView) -> FeedbackOut:
        return cls(
            id=view.id,
            customer_id=view.customer_id,
            at=view.at,
            month=view.month,
            purpose=view.purpose,
            scale=view.scale,  # type: ignore[arg-type]
            score=view.score,
            comment=view.comment,
            interaction_id=view.interaction_id,
            channel=view.channel,
            category=view.category,
            staff_id=view.staff_id,
            staff_name=view.staff_name,
            recorded_by=view.recorded_by,
            recorded_by_name=view.recorded_by_name,
        )


class FeedbackList(Strict):
    shown: bool = Field(description="False: the purpose does not show feedback; none listed.")
    items: list[FeedbackOut]
    next_cursor: str | None = None


class FeedbackRequestIn(Strict):
    interaction_id: Id | None = Field(None, description="The contact the survey asks about.")
    purpose: Purpose | None = Field(
        None, description="The policy's default purpose if not given; it must use email."
    )


class FeedbackRequestOut(Strict):
    message_id: str
    purpose: str


class SatisfactionLineOut(Strict):
    key: str | None = Field(description="The month, channel, category or staff id; null: none.")
    label: str
    csat: float | None = Field(description="% of CSAT answers that were 4 or 5.")
    csat_answers: int
    nps: float | None = Field(description="% promoters (9-10) minus % detractors (0-6).")
    nps_answers: int
    promoters: int
    passives: int
    detractors: int

    @classmethod
    def of(cls, line: feedback.SatisfactionLine) -> SatisfactionLineOut:
        t = line.tally
        return cls(
            key=line.key,
            label=line.label,
            csat=line.csat,
            csat_answers=t.csat_answers,
            nps=line.nps,
            nps_answers=t.nps_answers,
            promoters=t.promoters,
            passives=t.passives,
            detractors=t.detractors,
        )


class SatisfactionOut(Strict):
    by: str
    from_month: str
    to_month: str
    lines: list[SatisfactionLineOut]
    total: SatisfactionLineOut
