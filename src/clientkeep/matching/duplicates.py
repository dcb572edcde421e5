"""Likely duplicates of a set of values: same email or phone, or a close name at the same
postcode or date of birth."""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz

from clientkeep.customers import values
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.matching.model import Match, summary
from clientkeep.policy.model import Policy

NAME_THRESHOLD = 80.0
_ANCHORS = ("email", "phone", "postcode", "date_of_birth")
_COMPARED = frozenset({*_ANCHORS, "given_name", "family_name", "preferred_name"})


def full_name(fields: Mapping[str, str]) -> str:
    given = fields.get("given_name", "")
    return " ".join(values.name_tokens(f"{given} {fields.get('family_name', '')}"))


def likely_duplicates(
    candidate: Mapping[str, str],
    *,
    uow: CustomerUnitOfWork,
    policy: Policy,
    exclude: str | None = None,
    limit: int = 10,
) -> list[Match]:
    """Must run inside the caller's unit of work."""
    terms: list[tuple[str, str]] = []
    for name in _ANCHORS:
        if name in candidate and name in policy.fields:
            terms.extend(values.index_terms(policy.fields[name], candidate[name]))
    terms = [t for t in terms if t[0] != "postcode_district"]
    if not terms:
        return []
    ids = [i for i in uow.customers.find_by_terms(terms, limit=200) if i != exclude]
    wanted_name = full_name(candidate)
    matches: list[Match] = []
    for other in uow.customers.get_many(ids, fields=_COMPARED):
        reasons: list[str] = []
        for name in ("email", "phone"):
            mine, theirs = candidate.get(name), other.value(name)
            if mine and theirs and mine.casefold() == theirs.casefold():
                reasons.append(f"same {name}")
        other_name = full_name({k: other.value(k) or "" for k in ("given_name", "family_name")})
        score = fuzz.token_sort_ratio(wanted_name, other_name) if wanted_name else 0.0
        if score >= NAME_THRESHOLD:
            for name, label in (("postcode", "postcode"), ("date_of_birth", "date of birth")):
                if candidate.get(name) and candidate.get(name) == other.value(name):
                    reasons.append(f"similar name and same {label}")
        if reasons:
            exact = any(r in ("same email", "same phone") for r in reasons)
            matches.append(summary(other, tuple(reasons), 100.0 if exact else score))
    matches.sort(key=lambda m: (-len(m.reasons), -m.score))
    return matches[:limit]
