"""What a search or a duplicate check returns: enough to pick the right person, no more."""

from __future__ import annotations

from dataclasses import dataclass

from clientkeep.customers import values
from clientkeep.customers.model import Customer


@dataclass(frozen=True, slots=True)
class Match:
    customer_id: str
    display_name: str
    postcode_district: str | None
    reasons: tuple[str, ...]
    score: float


def summary(customer: Customer, reasons: tuple[str, ...], score: float) -> Match:
    postcode = customer.value("postcode")
    return Match(
        customer_id=customer.id,
        display_name=customer.display_name,
        postcode_district=values.postcode_district(postcode) if postcode else None,
        reasons=reasons,
        score=round(score, 1),
    )
