"""Likely duplicates: same email or phone, or a similar name at the same postcode or date of
birth. One set of rules, used when a customer is registered and when the whole book is scanned.

The rules compare records keyed by the part each value plays (``given_name``, ``email``...),
which the policy's ``[field_roles]`` maps to its fields; they never assume a field's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from clientkeep.customers import values
from clientkeep.customers.index_terms import field_terms, nickname_root
from clientkeep.customers.ports import CustomerUnitOfWork, LikelyDuplicate
from clientkeep.policy.model import Policy

NAME_THRESHOLD = 80.0
# The parts that find candidates, and every part the rules compare.
_ANCHORS = ("email", "phone", "postcode", "date_of_birth")
COMPARED_PARTS = (*_ANCHORS, "given_name", "family_name")


def compared_fields(policy: Policy) -> frozenset[str]:
    """The fields to open to judge a pair: those playing the parts the rules compare."""
    by_part = policy.field_roles.as_dict()
    return frozenset(by_part[part] for part in COMPARED_PARTS)


@dataclass(frozen=True, slots=True)
class Verdict:
    reasons: tuple[str, ...]
    score: float


def full_name(fields: Mapping[str, str]) -> str:
    given = fields.get("given_name", "")
    return " ".join(values.name_tokens(f"{given} {fields.get('family_name', '')}"))


def name_similarity(first: Mapping[str, str], second: Mapping[str, str]) -> float:
    """0-100 for the names of two records; 0 unless the given and family names each agree
    with their counterparts (or, swapped, with each other's). A shared family name alone does
    not make "Karen Taylor" and "Marie Taylor" one person, however alike the whole names look.
    """
    a_given, a_family = _name_part(first, "given_name"), _name_part(first, "family_name")
    b_given, b_family = _name_part(second, "given_name"), _name_part(second, "family_name")
    if not (
        (_part_agrees(a_given, b_given) and _part_agrees(a_family, b_family))
        or (_part_agrees(a_given, b_family) and _part_agrees(a_family, b_given))
    ):
        return 0.0
    # Token order is ignored, and a nickname counts as the name it stands for.
    return float(
        max(
            fuzz.token_sort_ratio(full_name(first), full_name(second)),
            fuzz.token_sort_ratio(" ".join(a_given + a_family), " ".join(b_given + b_family)),
        )
    )


def _name_part(fields: Mapping[str, str], name: str) -> list[str]:
    return [nickname_root(t) for t in values.name_tokens(fields.get(name) or "")]


def _part_agrees(first: list[str], second: list[str]) -> bool:
    """The same name, a nickname, one holding the other's words (a middle name, half of a
    double-barrelled name), or a typo apart: one edit in a short name, two in a longer one."""
    if not first or not second:
        return False
    if set(first) <= set(second) or set(second) <= set(first):
        return True
    a, b = " ".join(first), " ".join(second)
    return OSA.distance(a, b) <= (1 if min(len(a), len(b)) <= 5 else 2)


def compare(first: Mapping[str, str], second: Mapping[str, str]) -> Verdict | None:
    """Why two records look like one person, or None. Values are stored (normalised) ones,
    keyed by part."""
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
        similarity = name_similarity(first, second)
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
) -> list[LikelyDuplicate]:
    """Records that look like ``candidate`` (stored values by field). Must run inside the
    caller's unit of work; implements customers' DuplicateFinder port."""
    by_part = policy.field_roles.as_dict()
    terms: list[tuple[str, str]] = []
    for part in _ANCHORS:
        name = by_part[part]
        if name in candidate:
            terms.extend(field_terms(policy, name, candidate[name]))
    terms = [t for t in terms if t[0] != "postcode_district"]
    if not terms:
        return []
    mine = policy.field_roles.parts_of(candidate)
    ids = [i for i in uow.customers.find_by_terms(terms, limit=200) if i != exclude]
    found: list[LikelyDuplicate] = []
    opened = compared_fields(policy) | _shown_fields(policy)
    for other in uow.customers.get_many(ids, fields=opened):
        theirs = policy.field_roles.parts_of({n: r.value for n, r in other.fields.items()})
        verdict = compare(mine, theirs)
        if verdict is not None:
            found.append(LikelyDuplicate(other, verdict.reasons, verdict.score))
    found.sort(key=lambda m: (-len(m.reasons), -m.score))
    return found[:limit]


def _shown_fields(policy: Policy) -> frozenset[str]:
    # Opened too so a warning can show the name the customer goes by and the reference they
    # quote, where the purpose may show them: what tells two people of one name apart.
    parts = policy.field_roles
    return frozenset(n for n in (parts.preferred_name, parts.reference) if n)
