"""Likely duplicates: same email or phone, or a similar name at the same postcode or date of
birth. One set of rules, used when a customer is registered and when the whole book is scanned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from clientkeep.customers import values
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.matching.model import Match, summary
from clientkeep.policy.model import Policy

NAME_THRESHOLD = 80.0
_ANCHORS = ("email", "phone", "postcode", "date_of_birth")
COMPARED = frozenset({*_ANCHORS, "given_name", "family_name"})
# "Bill" and "William" compare as one name: each nickname group's first member stands in.
_CANONICAL = {name: min(group) for group in values._NICKNAMES for name in group}


@dataclass(frozen=True, slots=True)
class Verdict:
    reasons: tuple[str, ...]
    score: float


def full_name(fields: Mapping[str, str]) -> str:
    given = fields.get("given_name", "")
    return " ".join(values.name_tokens(f"{given} {fields.get('family_name', '')}"))


def name_similarity(first: str, second: str) -> float:
    """0-100 for two full names from `full_name`. Token order is ignored, so given and family
    names swapped still agree, and a nickname counts as the name it stands for."""
    if not first or not second:
        return 0.0
    plain = fuzz.token_sort_ratio(first, second)
    if plain == 100.0:
        return plain
    canonical = fuzz.token_sort_ratio(_canonical(first), _canonical(second))
    return float(max(plain, canonical))


def _canonical(name: str) -> str:
    return " ".join(_CANONICAL.get(token, token) for token in name.split())


def compare(first: Mapping[str, str], second: Mapping[str, str]) -> Verdict | None:
    """Why two records look like one person, or None. Values are stored (normalised) ones."""
    reasons: list[str] = []
    for name in ("email", "phone"):
        mine, theirs = first.get(name), second.get(name)
        if mine and theirs and mine.casefold() == theirs.casefold():
            reasons.append(f"same {name}")
    exact = bool(reasons)
    score = 100.0 if exact else 0.0
    anchors = [
        label
        for name, label in (("postcode", "postcode"), ("date_of_birth", "date of birth"))
        if first.get(name) and first.get(name) == second.get(name)
    ]
    if anchors:
        similarity = name_similarity(full_name(first), full_name(second))
        if similarity >= NAME_THRESHOLD:
            reasons.extend(f"similar name and same {label}" for label in anchors)
            score = max(score, similarity)
    return Verdict(tuple(reasons), score) if reasons else None


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
    matches: list[Match] = []
    for other in uow.customers.get_many(ids, fields=COMPARED | {"preferred_name"}):
        verdict = compare(candidate, {n: r.value for n, r in other.fields.items()})
        if verdict is not None:
            matches.append(summary(other, verdict.reasons, verdict.score))
    matches.sort(key=lambda m: (-len(m.reasons), -m.score))
    return matches[:limit]
