"""Under a policy whose fields and purposes have other names, the whole flow still works.

No field or purpose name is hard-coded outside the shipped policy: the policy's field roles
say which field is the given name, the email, the reference and so on, and its default
purpose says what screens act under. Here every one of them is renamed, in every place the
policy names it, and registration, reading, search, duplicate warnings, the whole-book scan,
merge, the review queue and corrections all run under the new names.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete

from clientkeep.adapters.db.customer_tables import duplicate_suspect
from clientkeep.customers import merge as merging
from clientkeep.customers import review
from clientkeep.customers import services as customers
from clientkeep.customers.errors import CustomerMerged
from clientkeep.matching import search as matching
from clientkeep.matching.book_scan import scan_book
from tests.integration.customers._policies import (
    COMPOSITE_FIELDS,
    SHIPPED,
    container_under,
    expected_terms,
    policy_file,
    renamed,
    stored_terms,
    with_default_purpose,
)
from tests.integration.customers.conftest import ADA

NEW_NAMES = {
    "given_name": "forename",
    "family_name": "surname",
    "preferred_name": "known_as",
    "email": "email_address",
    "phone": "telephone",
    "postcode": "post_code",
    "date_of_birth": "born_on",
    "customer_reference": "account_ref",
}
RENAMED = with_default_purpose(renamed(SHIPPED, NEW_NAMES, {"service": "support"}), "support")
PURPOSE = "support"
COUNTESS = {NEW_NAMES.get(n, n): v for n, v in {**ADA, "preferred_name": "Countess"}.items()}
# The same person again, sharing only her names and date of birth with the first record.
COUNTESS_AGAIN = {
    "forename": "Ada",
    "surname": "Lovelace",
    "email_address": "countess@example.org",
    "born_on": ADA["date_of_birth"],
}


@pytest.fixture
def container(settings, clock, tmp_path):
    with container_under(settings, clock, policy_file(tmp_path, RENAMED)) as c:
        yield c


@pytest.fixture
def countess(register, personas):
    return register(personas.agent, COUNTESS, purpose=PURPOSE)


def find(container, persona, kind, text):
    return matching.search(
        matching.SearchQuery(purpose=PURPOSE, kind=kind, text=text),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
    ).matches


def queue(container, persona):
    return review.review_queue(
        uow=container.uow(), actor=persona.actor, policy=container.policy, clock=container.clock
    )


def test_the_policy_names_none_of_the_shipped_fields_or_the_service_purpose(container) -> None:
    policy = container.policy
    named = set(policy.fields) | set(policy.field_roles.as_dict().values())
    named |= set(policy.staleness.per_field_days)
    for purpose in policy.purposes.values():
        named |= purpose.fields | set(purpose.required) | purpose.compare_only
        named |= {n for group in purpose.one_of for n in group}
    for method in policy.verification.values():
        named |= set(method.fields)
    assert named & set(NEW_NAMES) == set()
    assert set(NEW_NAMES.values()) <= named
    assert "service" not in policy.purposes
    assert not any("service" in role.purposes for role in policy.roles.values())
    assert policy.default_purpose == PURPOSE


def test_registering_assigns_the_reference_to_the_policys_reference_field(
    countess, read, personas
) -> None:
    made = countess.customer
    assert made.reference is not None and made.reference.name == "account_ref"
    assert re.fullmatch(r"CK-[0-9A-Z]{4}-[0-9A-Z]{4}", made.fields["account_ref"].value)
    assert made.display_name == "Countess Lovelace"
    again = read(personas.agent, made.id, PURPOSE)
    assert again.fields["post_code"].value == "SW1A 1AA"
    assert again.fields["telephone"].value == "+442079460018"
    assert set(again.fields) == set(made.fields)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("name", "Ada Lovelace"),
        ("email", "ADA.LOVELACE@example.com"),
        ("phone", "+44 20 7946 0018"),
        ("postcode", "sw1a1aa"),
        ("any", "020 7946 0018"),
    ],
)
def test_search_finds_her_by_each_kind(countess, container, personas, kind, text) -> None:
    (match,) = find(container, personas.agent, kind, text)
    assert (match.customer_id, match.display_name, match.postcode_district) == (
        countess.customer.id,
        "Countess Lovelace",
        "SW1A",
    )


def test_search_finds_her_by_reference(countess, container, personas) -> None:
    reference = countess.customer.reference.value
    (match,) = find(container, personas.agent, "reference", reference)
    assert match.customer_id == countess.customer.id


def test_registering_her_again_warns_of_the_likely_duplicate(countess, register, personas) -> None:
    again = register(personas.agent, COUNTESS_AGAIN, purpose=PURPOSE)
    (warning,) = again.possible_duplicates
    assert (warning.customer_id, warning.display_name) == (
        countess.customer.id,
        "Countess Lovelace",
    )
    assert warning.reasons == ("similar name and same date of birth",)


def test_the_whole_book_scan_finds_her_twice(countess, register, personas, container) -> None:
    again = register(personas.agent, COUNTESS_AGAIN, purpose=PURPOSE).customer
    with container.engine.begin() as conn:  # as a bulk import leaves the queue: empty
        conn.execute(delete(duplicate_suspect))
    report = scan_book(
        uow_factory=container.uow,
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    (pair,) = report.found
    assert {pair.customer_id, pair.other_id} == {again.id, countess.customer.id}
    assert "similar name and same date of birth" in pair.reasons


def test_the_review_queue_lists_her_as_the_default_purpose_shows_her(
    countess, register, personas, container
) -> None:
    again = register(personas.agent, COUNTESS_AGAIN, purpose=PURPOSE).customer
    container.clock.advance(timedelta(days=400))
    found = queue(container, personas.supervisor)
    assert [(d.customer_id, d.display_name) for d in found.duplicates] == [
        (again.id, "Ada Lovelace")
    ]
    assert found.duplicates[0].other_display_name == "Countess Lovelace"
    stale = {s.customer_id: s.stale_fields for s in found.stale}[countess.customer.id]
    # Staleness per field, under the new names: a year for contact details, two for addresses.
    assert {"email_address", "telephone", "forename"} <= set(stale)
    assert "post_code" not in stale and "account_ref" not in stale


def test_merging_her_records_keeps_the_survivors_reference(
    countess, register, read, personas, container
) -> None:
    again = register(personas.agent, COUNTESS_AGAIN, purpose=PURPOSE).customer
    merged = merging.merge(
        countess.customer.id,
        merging.MergeCustomers(
            duplicate_id=again.id,
            reason="same person",
            purpose=PURPOSE,
            take_from_duplicate=frozenset({"email_address"}),
        ),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )
    assert merged.fields["email_address"].value == "countess@example.org"
    assert merged.reference.value == countess.customer.reference.value
    with pytest.raises(CustomerMerged):
        read(personas.agent, again.id, PURPOSE)
    assert stored_terms(container, merged.id, COMPOSITE_FIELDS) == expected_terms(
        container, merged.id, COMPOSITE_FIELDS
    )


@pytest.mark.parametrize(
    "change", [{"post_code": "EC1A 1BB"}, {"forename": "Augusta"}, {"born_on": "1985-12-11"}]
)
def test_a_correction_rewrites_the_composite_terms(countess, personas, container, change) -> None:
    made = countess.customer
    before = stored_terms(container, made.id, COMPOSITE_FIELDS)
    customers.update(
        made.id,
        customers.UpdateCustomer(
            purpose=PURPOSE, fields=change, reason="customer rang", source="internal_records"
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    after = stored_terms(container, made.id, COMPOSITE_FIELDS)
    assert after != before
    assert after == expected_terms(container, made.id, COMPOSITE_FIELDS)
