"""Blind-index terms of a customer record: what search, the duplicate check and the whole-book
scan look up. Customer records own them (they are rewritten whenever a record changes);
matching only reads them.

Besides each field's own terms there are composite ones. Each name token's phonetic code is
joined to the first letter of the other name and to the date of birth (or the full postcode):
one term per given or family name token. Two records of one person still share a term when
the names are swapped or one of them carries a typo, while two people who merely share a
birthday and a first name ("John Smith", "John Brown") do not, which keeps a scan from opening
most of the book. Equal terms of a kind mean equal normalised values, so the database can
group customers by these tokens without ever seeing a name or a date.

Which field is the given name, the date of birth and so on is the policy's to say
(``[field_roles]``); the functions here that take ``parts`` take a record keyed by part.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from clientkeep.customers import values
from clientkeep.customers.ports import IndexTerm
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.policy.model import Policy

DOB_KIND = "dob"
# Kind of term -> the part it pairs the name with. Each kind is also the term's field name
# in the index, so rewriting a record's composite terms never touches its other terms.
ANCHORS = {"name_dob": "date_of_birth", "name_postcode": "postcode"}
COMPOSITE_KINDS = tuple(ANCHORS)
# Two name tokens' phonetic codes together, in either order: a fuzzy name search looks these
# up exactly and gets the few people with both names, not every Smith in the book.
PAIR_KIND = "name_pair"
NAME_PARTS = ("given_name", "family_name")
PAIR_PARTS = ("given_name", "family_name", "preferred_name")
MAX_PAIR_TOKENS = 5
INPUT_PARTS = frozenset({*NAME_PARTS, *ANCHORS.values(), *PAIR_PARTS})
# Each nickname group's first member stands for the group: "bill" for Bill, Will and William.
_ROOTS = {name: min(group) for group in values.NICKNAME_GROUPS for name in group}


def field_terms(policy: Policy, name: str, value: str) -> list[tuple[str, str]]:
    """(kind, term) of one stored value."""
    parts = policy.field_roles
    if name == parts.reference:
        term = reference_term(value, policy.customer_reference)
        return [(REFERENCE_KIND, term)] if term else []
    definition = policy.fields.get(name)
    if definition is None:
        return []
    terms = values.index_terms(definition, value)
    if name == parts.date_of_birth:
        terms.append((DOB_KIND, value))
    return terms


def terms_of(policy: Policy, fields: Mapping[str, str]) -> list[IndexTerm]:
    """Blind-index terms of ``fields``. The composite terms come only from the fields given,
    so to rewrite them pass the whole record, not just the fields that changed."""
    terms = [
        IndexTerm(name, kind, term)
        for name, value in fields.items()
        for kind, term in field_terms(policy, name, value)
    ]
    parts = policy.field_roles.parts_of(fields)
    terms.extend(IndexTerm(f, k, t) for f, k, t in composite_terms(parts))
    terms.extend(IndexTerm(f, k, t) for f, k, t in name_pair_terms(parts))
    return terms


def composite_terms(parts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(field, kind, term) for each name token's sound with the other name's initial and each
    anchor held ("AT|l|1985-12-10" for Ada Lovelace).

    Needs the record's names and anchors together: given only some of them (the fields an
    update changed, say) it cannot know the rest, so callers pass the whole record.
    """
    given = values.name_tokens(parts.get("given_name") or "")
    family = values.name_tokens(parts.get("family_name") or "")
    keys = sorted(
        {
            f"{values.phonetic(token)}|{_initial(other)}"
            for tokens, other in ((given, family), (family, given))
            for token in tokens
        }
    )
    terms: list[tuple[str, str, str]] = []
    for kind, anchor in ANCHORS.items():
        held = parts.get(anchor)
        if held:
            value = held.replace(" ", "") if anchor == "postcode" else held
            terms.extend((kind, kind, f"{key}|{value}") for key in keys)
    return terms


def nickname_root(token: str) -> str:
    """The name a (case-folded) name token stands for: itself unless it is in a nickname group."""
    return _ROOTS.get(token, token)


def _initial(tokens: list[str]) -> str:
    # Of the full form a nickname stands for, so "Bill Turner" and "William Turner" still meet.
    # A letter, not a sound: a typo near the start changes the sound more often ("Gerard",
    # "Gorard") than the letter.
    return nickname_root(tokens[0])[0] if tokens else ""


def name_pair_terms(parts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(field, kind, term) for every two distinct name codes the record holds."""
    tokens = [
        token for part in PAIR_PARTS if parts.get(part) for token in values.name_tokens(parts[part])
    ][:MAX_PAIR_TOKENS]
    return [(PAIR_KIND, PAIR_KIND, term) for term in _pairs({values.phonetic(t) for t in tokens})]


def query_pair_terms(text: str) -> list[tuple[str, str]]:
    """(kind, term) pairs for a typed name, each token standing also for its nicknames."""
    tokens = values.name_tokens(text)[:MAX_PAIR_TOKENS]
    options = [values.name_variants(token) for token in tokens]
    terms: set[str] = set()
    for i, first in enumerate(options):
        for second in options[i + 1 :]:
            terms.update(_pair(a, b) for a in first for b in second if a != b)
    return [(PAIR_KIND, term) for term in sorted(terms)]


def _pairs(codes: set[str]) -> list[str]:
    ordered = sorted(codes)
    return [_pair(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def _pair(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


def reindexed_fields(policy: Policy, changed: Collection[str]) -> set[str]:
    """Index fields to rewrite when ``changed`` fields change: the composite terms too when
    any of their inputs changed."""
    by_part = policy.field_roles.as_dict()
    changed_parts = {part for part, name in by_part.items() if name in changed}
    touched = set(changed)
    if changed_parts & INPUT_PARTS:
        touched.update(COMPOSITE_KINDS)
    if changed_parts & set(PAIR_PARTS):
        touched.add(PAIR_KIND)
    return touched
