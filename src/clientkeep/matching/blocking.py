"""Composite blind-index terms that let a whole-book scan find likely duplicates by token alone.

A name token's phonetic code joined to the date of birth (or the full postcode) is one term per
given or family name token, so two records of one person still share a term when the names are
swapped or one of them carries a typo. Equal terms of a kind mean equal normalised values, so
the database can group customers by these tokens without ever seeing a name or a date.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from clientkeep.customers import values

NAME_FIELDS = ("given_name", "family_name")
# Kind of term -> the field it pairs the name with. Each kind is also the term's field name
# in the index, so rewriting a record's composite terms never touches its other terms.
ANCHORS = {"name_dob": "date_of_birth", "name_postcode": "postcode"}
COMPOSITE_KINDS = tuple(ANCHORS)
# Two name tokens' phonetic codes together, in either order: a fuzzy name search looks these
# up exactly and gets the few people with both names, not every Smith in the book.
PAIR_KIND = "name_pair"
PAIR_FIELDS = ("given_name", "family_name", "preferred_name")
MAX_PAIR_TOKENS = 5
INPUTS = frozenset({*NAME_FIELDS, *ANCHORS.values(), *PAIR_FIELDS})


def composite_terms(fields: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(field, kind, term) for each name token's phonetic code with each anchor held.

    Needs the record's names and anchors together: given only some of them (the fields an
    update changed, say) it cannot know the rest, so callers pass the whole record.
    """
    codes = sorted(
        {
            values.phonetic(token)
            for name in NAME_FIELDS
            if fields.get(name)
            for token in values.name_tokens(fields[name])
        }
    )
    terms: list[tuple[str, str, str]] = []
    for kind, anchor in ANCHORS.items():
        held = fields.get(anchor)
        if held:
            value = held.replace(" ", "") if anchor == "postcode" else held
            terms.extend((kind, kind, f"{code}|{value}") for code in codes)
    return terms


def name_pair_terms(fields: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(field, kind, term) for every two distinct name codes the record holds."""
    tokens = [
        token
        for name in PAIR_FIELDS
        if fields.get(name)
        for token in values.name_tokens(fields[name])
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


def reindexed_fields(changed: Collection[str]) -> set[str]:
    """Index fields to rewrite when ``changed`` fields change: the composite terms too when
    any of their inputs changed."""
    touched = set(changed)
    if touched & INPUTS:
        touched.update(COMPOSITE_KINDS)
    if touched & set(PAIR_FIELDS):
        touched.add(PAIR_KIND)
    return touched
