"""Search for customers: exact by email, phone, postcode or reference; fuzzy by name.

Only blind-index tokens reach the database; candidates are decrypted and ranked here, and the
answer is a summary per person, never their record. What may be searched, and what a summary
shows, is the read's projection: a purpose that does not use phone numbers cannot search by
one, and a summary shows only what the purpose shows of what tells people apart: the name, the
postcode district, the reference and the year of birth (never the whole date).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import values
from clientkeep.customers.index_terms import field_terms, query_pair_terms
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.customers.shown import naming_matches
from clientkeep.customers.views import Match, display_name, name_fields, summary, summary_fields
from clientkeep.policy.access import projection_for, require_search
from clientkeep.policy.model import SEARCH_KINDS, Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput

KINDS = (*SEARCH_KINDS, "any")
NAME_MIN_SCORE = 60.0
MAX_CANDIDATES = 500
# Candidates come ranked by how many name terms they share, so the best are in the first few.
NAME_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class SearchQuery:
    purpose: str
    kind: str  # one of KINDS; "any" guesses from the text, as the web's single box does
    text: str
    limit: int = 10


@dataclass(frozen=True, slots=True)
class SearchResult:
    kind: str
    matches: list[Match]


def _field_of(policy: Policy, kind: str) -> str:
    parts = policy.field_roles
    return {
        "email": parts.email,
        "phone": parts.phone,
        "postcode": parts.postcode,
        "reference": parts.reference,
    }[kind]


@records_denials("customer.searched")
def search(
    query: SearchQuery, *, uow: CustomerUnitOfWork, actor: Actor, policy: Policy
) -> SearchResult:
    projection = projection_for(policy, actor.role, query.purpose)
    if query.kind not in KINDS:
        raise InvalidInput([("kind", f"Search by one of: {', '.join(KINDS)}.")])
    if not query.text.strip():
        raise InvalidInput([(query.kind, "Enter something to search for.")])
    if not 1 <= query.limit <= 50:
        raise InvalidInput([("limit", "Give a limit from 1 to 50.")])
    reference = reference_term(query.text, policy.customer_reference)
    if query.kind == "any":
        kind = REFERENCE_KIND if reference else values.classify_query(query.text)
    else:
        kind = query.kind
    require_search(projection, kind)
    if kind == REFERENCE_KIND:
        if reference is None:
            raise InvalidInput(
                [
                    (
                        "reference",
                        "Enter a customer reference such as "
                        f"{policy.customer_reference.format('7KQ4M2PX')}.",
                    )
                ]
            )
        terms = [(REFERENCE_KIND, reference)]
    else:
        terms = values.query_terms(kind, query.text)
    with uow:
        if kind == "name":
            # First the people holding two of the names (by sound) together: an exact token
            # lookup, cheap at any size. Only if that finds nobody, every holder of any one
            # of the names, most names in common first.
            pairs = query_pair_terms(query.text)
            matches = _ranked_names(uow, projection, pairs, query) if pairs else []
            if not matches:
                matches = _ranked_names(uow, projection, terms, query)
        else:
            field = _field_of(policy, kind)
            ids = uow.customers.find_by_terms(terms, limit=MAX_CANDIDATES)
            customers = uow.customers.get_many(ids, fields=summary_fields(projection) | {field})
            exact = set(terms)
            matches = [
                summary(c, projection, (f"same {kind}",), 100.0)
                for c in customers
                if _holds(c, policy, field, exact)
            ][: query.limit]
        searched = entry_for(
            actor,
            "customer.searched",
            purpose=projection.purpose,
            fields=(kind,),
            detail={"results": len(matches)},
        )
        uow.audit.append(naming_matches(searched, matches))
        uow.commit()
    return SearchResult(kind=kind, matches=matches)


def _ranked_names(
    uow: CustomerUnitOfWork,
    projection: Projection,
    terms: list[tuple[str, str]],
    query: SearchQuery,
) -> list[Match]:
    ids = uow.customers.find_by_terms(terms, limit=NAME_CANDIDATES)
    wanted = " ".join(values.name_tokens(query.text))
    parts = projection.parts
    scores: dict[str, float] = {}
    # Only the names are opened to rank the candidates; what else a summary shows (postcode,
    # reference, year of birth) is opened for the few shown, not for every candidate.
    for c in uow.customers.get_many(ids, fields=name_fields(projection)):
        score = _name_score(
            wanted,
            display_name(c, projection),
            c.value(parts.given_name),
            c.value(parts.family_name),
        )
        if score >= NAME_MIN_SCORE:
            scores[c.id] = round(score, 1)
    best = sorted(scores, key=lambda i: -scores[i])[: query.limit]
    shown = {c.id: c for c in uow.customers.get_many(best, fields=summary_fields(projection))}
    return [summary(shown[i], projection, ("similar name",), scores[i]) for i in best if i in shown]


def _name_score(wanted: str, display: str, given: str | None, family: str | None) -> float:
    full = " ".join(values.name_tokens(f"{given or ''} {family or ''}"))
    shown = " ".join(values.name_tokens(display))
    best = max(fuzz.token_sort_ratio(wanted, full), fuzz.token_sort_ratio(wanted, shown))
    # A query of one word ("Smyth") should match the surname alone, not the whole name.
    if " " not in wanted:
        parts = values.name_tokens(f"{given or ''} {family or ''} {display}")
        best = max([best, *(fuzz.ratio(wanted, p) for p in parts)])
    # Phonetic agreement lifts near-misses ("Jon" / "John") the spelling alone would drop.
    wanted_codes = {values.phonetic(t) for t in wanted.split()}
    codes = {values.phonetic(t) for t in full.split()}
    if wanted_codes and wanted_codes <= codes:
        best = max(best, 85.0)
    return float(best)


def _holds(customer: Customer, policy: Policy, field: str, terms: set[tuple[str, str]]) -> bool:
    """Blind indexes may be truncated: decrypt and compare to drop false positives."""
    stored = customer.value(field)
    if stored is None:
        return False
    return bool(set(field_terms(policy, field, stored)) & terms)
