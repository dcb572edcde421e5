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
INPUTS = frozenset({*NAME_FIELDS, *ANCHORS.values()})


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


def reindexed_fields(changed: Collection[str]) -> set[str]:
    """Index fields to rewrite when ``changed`` fields change: the composite terms too when
    any of their inputs changed."""
    touched = set(changed)
    if touched & INPUTS:
        touched.update(COMPOSITE_KINDS)
    return touched
