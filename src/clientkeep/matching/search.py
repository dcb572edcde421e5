"""Search for customers: exact by email, phone, postcode or reference; fuzzy by name.

Only blind-index tokens reach the database; candidates are decrypted and ranked here, and the
answer is a summary per person, never their record.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from clientkeep.audit.model import entry_for
from clientkeep.customers import values
from clientkeep.customers._collect import check_purpose
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.matching import blocking
from clientkeep.matching.model import Match, summary
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput

KINDS = ("email", "phone", "postcode", "name", "reference", "any")
NAME_MIN_SCORE = 60.0
MAX_CANDIDATES = 500
# Candidates come ranked by how many name terms they share, so the best are in the first few.
NAME_CANDIDATES = 200
SUMMARY_FIELDS = frozenset({"given_name", "family_name", "preferred_name", "postcode"})
_FIELD_OF = {
    "email": "email",
    "phone": "phone",
    "postcode": "postcode",
    "reference": "customer_reference",
}


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


def search(
    query: SearchQuery, *, uow: CustomerUnitOfWork, actor: Actor, policy: Policy
) -> SearchResult:
    purpose = check_purpose(policy, actor, query.purpose)
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
            pairs = blocking.query_pair_terms(query.text)
            matches = _ranked_names(uow, pairs, query) if pairs else []
            if not matches:
                matches = _ranked_names(uow, terms, query)
        else:
            ids = uow.customers.find_by_terms(terms, limit=MAX_CANDIDATES)
            customers = uow.customers.get_many(ids, fields=SUMMARY_FIELDS | {_FIELD_OF[kind]})
            exact = set(terms)
            matches = [
                summary(c, (f"same {kind}",), 100.0)
                for c in customers
                if _holds(c, kind, exact, policy)
            ][: query.limit]
        if not {"given_name", "family_name"} <= policy.visible_fields(actor.role, purpose.name):
            matches = [
                Match(m.customer_id, m.customer_id, None, m.reasons, m.score) for m in matches
            ]
        uow.audit.append(
            entry_for(
                actor,
                "customer.searched",
                purpose=purpose.name,
                fields=(kind,),
                detail={
                    "results": len(matches),
                    "customer_ids": ",".join(m.customer_id for m in matches),
                },
            )
        )
        uow.commit()
    return SearchResult(kind=kind, matches=matches)


def _ranked_names(
    uow: CustomerUnitOfWork, terms: list[tuple[str, str]], query: SearchQuery
) -> list[Match]:
    ids = uow.customers.find_by_terms(terms, limit=NAME_CANDIDATES)
    wanted = " ".join(values.name_tokens(query.text))
    scored = []
    for c in uow.customers.get_many(ids, fields=SUMMARY_FIELDS):
        score = _name_score(wanted, c.display_name, c.value("given_name"), c.value("family_name"))
        if score >= NAME_MIN_SCORE:
            scored.append(summary(c, ("similar name",), score))
    return sorted(scored, key=lambda m: -m.score)[: query.limit]


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


def _holds(customer: Customer, kind: str, terms: set[tuple[str, str]], policy: Policy) -> bool:
    """Blind indexes may be truncated: decrypt and compare to drop false positives."""
    if kind == REFERENCE_KIND:
        stored = customer.value("customer_reference")
        found = reference_term(stored, policy.customer_reference) if stored else None
        return (REFERENCE_KIND, found or "") in terms
    stored = customer.value(kind)
    if stored is None:
        return False
    return bool(set(values.index_terms(policy.fields[kind], stored)) & terms)
