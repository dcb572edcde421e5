"""Every read is cut by the purpose's projection, and every customer it shows is in the trail.

A record, a search result, a duplicate warning and a review-queue entry show only what the
purpose declares for the role; a compare-only purpose collects and changes nothing; a search
looks only for values its purpose uses; each read names every customer it showed, and each
of them finds that read among their own events.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import review
from clientkeep.customers import services as customers
from clientkeep.matching import search as matching
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.customers._policies import (
    SHIPPED,
    container_under,
    policy_file,
    with_default_purpose,
    with_purpose,
)
from tests.integration.customers.conftest import ADA, audit_events

COUNTESS = {**ADA, "preferred_name": "Countess"}
# Ada as billing may collect her: billing uses neither phone, date of birth nor preferred name.
ADA_FOR_BILLING = {
    n: ADA[n] for n in ("given_name", "family_name", "email", "address_line1", "town", "postcode")
}
# "contact" uses names and email but no postcode; "mailing" uses the email alone.
NARROW_PURPOSES = with_purpose(
    with_purpose(
        SHIPPED, "contact", fields=["given_name", "family_name", "email"], one_of=[["email"]]
    ),
    "mailing",
    fields=["email"],
    one_of=[["email"]],
)
QUEUE_UNDER_BILLING = with_default_purpose(SHIPPED, "billing")


@pytest.fixture
def policy_text() -> str | None:
    """The shipped policy, unless a test parametrises its own."""
    return None


@pytest.fixture
def container(settings, clock, tmp_path, policy_text):
    path = policy_file(tmp_path, policy_text) if policy_text else None
    with container_under(settings, clock, path) as c:
        yield c


def find(container, persona, kind, text, purpose="service"):
    return matching.search(
        matching.SearchQuery(purpose=purpose, kind=kind, text=text),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
    ).matches


def check_before_saving(container, persona, fields, purpose="service"):
    return customers.find_duplicates_before_saving(
        customers.RegisterCustomer(purpose=purpose, fields=fields, source="phone"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    )


def queue(container, persona):
    return review.review_queue(
        uow=container.uow(), actor=persona.actor, policy=container.policy, clock=container.clock
    )


def shown(container, action):
    """The entries of one kind of read that showed several customers."""
    return [e.entry for e in audit_events(container, action) if e.entry.shown]


def reads_finding(container, customer_id, action):
    """The events of ``action`` the trail finds by this customer (the audit page's filter)."""
    with container.uow().reading() as uow:
        found = uow.audit.page(TrailFilter(customer_id=customer_id, action=action), limit=500)
    return [e.seq for e in found]


# The display name is built only from name fields the purpose shows.


def test_a_billing_read_names_the_customer_without_the_preferred_name(
    register, read, personas
) -> None:
    made = register(personas.agent, COUNTESS).customer
    assert made.display_name == "Countess Lovelace"
    billing = read(personas.agent, made.id, "billing")
    assert billing.display_name == "Ada Lovelace"
    assert "preferred_name" not in billing.fields


def test_a_billing_search_result_names_the_customer_without_the_preferred_name(
    register, personas, container
) -> None:
    made = register(personas.agent, COUNTESS).customer
    (match,) = find(container, personas.agent, "email", ADA["email"], purpose="billing")
    assert (match.customer_id, match.display_name) == (made.id, "Ada Lovelace")
    assert "preferred_name" not in match.fields_shown


def test_a_billing_duplicate_warning_names_the_customer_without_the_preferred_name(
    register, personas, container
) -> None:
    made = register(personas.agent, COUNTESS).customer
    (checked,) = check_before_saving(container, personas.agent, ADA_FOR_BILLING, "billing")
    (warning,) = register(personas.agent, ADA_FOR_BILLING, purpose="billing").possible_duplicates
    for summary in (checked, warning):
        assert (summary.customer_id, summary.display_name) == (made.id, "Ada Lovelace")


@pytest.mark.parametrize("policy_text", [QUEUE_UNDER_BILLING], ids=["billing by default"])
def test_the_review_queue_names_people_as_its_purpose_shows_them(
    register, personas, container
) -> None:
    first = register(personas.agent, COUNTESS).customer
    second = register(personas.agent, {**COUNTESS, "email": "countess@example.org"}).customer
    container.clock.advance(timedelta(days=400))
    found = queue(container, personas.supervisor)
    assert {(s.customer_id, s.display_name) for s in found.stale} == {
        (first.id, "Ada Lovelace"),
        (second.id, "Ada Lovelace"),
    }
    assert [(d.display_name, d.other_display_name) for d in found.duplicates] == [
        ("Ada Lovelace", "Ada Lovelace")
    ]


# A summary shows only the fields the purpose shows.


@pytest.mark.parametrize("policy_text", [NARROW_PURPOSES], ids=["narrow purposes"])
def test_a_warning_under_a_purpose_without_postcodes_shows_no_postcode_district(
    register, personas, container
) -> None:
    made = register(personas.agent).customer
    contact = {"given_name": "Ada", "family_name": "Lovelace", "email": ADA["email"]}
    (checked,) = check_before_saving(container, personas.agent, contact, "contact")
    (warning,) = register(personas.agent, contact, purpose="contact").possible_duplicates
    for summary in (checked, warning):
        assert (summary.customer_id, summary.display_name) == (made.id, "Ada Lovelace")
        assert summary.postcode_district is None
        assert summary.fields_shown == ("family_name", "given_name")


@pytest.mark.parametrize("policy_text", [NARROW_PURPOSES], ids=["narrow purposes"])
def test_a_warning_under_a_purpose_without_names_shows_only_the_id(
    register, personas, container
) -> None:
    made = register(personas.agent).customer
    (warning,) = register(
        personas.agent, {"email": ADA["email"]}, purpose="mailing"
    ).possible_duplicates
    assert (warning.display_name, warning.postcode_district) == (made.id, None)
    assert warning.fields_shown == ()


def test_a_compare_only_search_shows_neither_name_nor_postcode(
    register, personas, container
) -> None:
    made = register(personas.agent).customer
    (match,) = find(container, personas.agent, "phone", ADA["phone"], "identity_verification")
    assert (match.customer_id, match.display_name, match.postcode_district) == (
        made.id,
        made.id,
        None,
    )
    assert match.fields_shown == ()


# A compare-only purpose only compares: it collects and changes nothing.


def test_registering_under_a_compare_only_purpose_is_refused_naming_each_field(
    register, personas, container
) -> None:
    register(personas.agent)
    stated = {"phone": ADA["phone"], "postcode": ADA["postcode"]}
    with pytest.raises(InvalidInput) as refused:
        register(personas.agent, stated, purpose="identity_verification")
    assert {field for field, _ in refused.value.errors} == {"fields.phone", "fields.postcode"}
    assert all("only compares" in message for _, message in refused.value.errors)
    # Refused before any lookup: nobody was shown as a likely duplicate.
    assert shown(container, "duplicate warning") == []


def test_the_pre_save_check_under_a_compare_only_purpose_is_refused(
    register, personas, container
) -> None:
    register(personas.agent)
    with pytest.raises(InvalidInput) as refused:
        check_before_saving(
            container, personas.agent, {"phone": ADA["phone"]}, "identity_verification"
        )
    assert refused.value.field == "fields.phone"
    assert shown(container, "duplicate check") == []


def test_changing_a_value_under_a_compare_only_purpose_is_refused_naming_the_field(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    with pytest.raises(InvalidInput) as refused:
        customers.update(
            made.id,
            customers.UpdateCustomer(
                purpose="identity_verification",
                fields={"date_of_birth": "1990-01-01"},
                reason="caller says so",
                source="internal_records",
            ),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    assert refused.value.errors[0][0] == "fields.date_of_birth"
    assert "only compares" in refused.value.errors[0][1]
    assert read(personas.agent, made.id).fields["date_of_birth"].value == ADA["date_of_birth"]


# A search looks only for the kinds of value its purpose uses.


@pytest.mark.parametrize(("kind", "text"), [("phone", ADA["phone"]), ("any", "020 7946 0018")])
def test_billing_may_not_search_by_phone(register, personas, container, kind, text) -> None:
    register(personas.agent)
    with pytest.raises(PermissionDenied):
        find(container, personas.agent, kind, text, purpose="billing")
    assert [m.display_name for m in find(container, personas.agent, "phone", text)] == [
        "Ada Lovelace"
    ]


def test_a_compare_only_purpose_may_not_search_by_name(register, personas, container) -> None:
    register(personas.agent)
    with pytest.raises(PermissionDenied):
        find(container, personas.agent, "name", "Ada Lovelace", "identity_verification")


# Every customer shown is in the trail by id, with the fields shown of them.


def test_each_customer_a_search_shows_is_audited_by_id(register, personas, container) -> None:
    ada = register(personas.agent).customer
    neighbour = register(
        personas.agent,
        {
            "given_name": "Grace",
            "family_name": "Hopper",
            "postcode": ADA["postcode"],
            "address_line1": "14 Example Street",
            "town": "London",
        },
    ).customer
    found = find(container, personas.agent, "postcode", "SW1A 1AA", purpose="billing")
    assert {m.customer_id for m in found} == {ada.id, neighbour.id}
    (event,) = shown(container, "customer.searched")
    assert sorted(event.shown) == sorted([ada.id, neighbour.id])
    assert event.purpose == "billing"
    assert event.detail["shown_fields"] == "customer_reference,family_name,given_name,postcode"
    (searched,) = audit_events(container, "customer.searched")
    # Each of them finds the search among their own events.
    assert reads_finding(container, ada.id, "customer.searched") == [searched.seq]
    assert reads_finding(container, neighbour.id, "customer.searched") == [searched.seq]


def test_each_likely_duplicate_a_registration_shows_is_audited_by_id(
    register, personas, container
) -> None:
    first = register(personas.agent).customer
    second = register(personas.agent, {**ADA, "email": "ada@example.org"}).customer
    third = register(personas.agent, {**ADA, "email": "ada@example.net"})
    assert {w.customer_id for w in third.possible_duplicates} == {first.id, second.id}
    events = shown(container, "customer.created")
    # The second registration showed the first; the third showed both.
    assert [sorted(e.shown) for e in events] == [[first.id], sorted([first.id, second.id])]
    created = audit_events(container, "customer.created")[-1].entry
    assert created.customer_id == third.customer.id
    assert created.detail["possible_duplicates"] == 2
    # The first customer's own events: their registration and the two that showed them.
    assert len(reads_finding(container, first.id, "customer.created")) == 3
    assert len(reads_finding(container, second.id, "customer.created")) == 2


def test_each_likely_duplicate_the_pre_save_check_shows_is_audited_by_id(
    register, personas, container
) -> None:
    made = register(personas.agent).customer
    (found,) = check_before_saving(container, personas.agent, {**ADA, "email": "a@example.org"})
    # One customer shown: the check's own event names them.
    (event,) = [e.entry for e in audit_events(container, "customer.duplicate_check")]
    assert (found.customer_id, event.customer_id, event.purpose) == (made.id, made.id, "service")
    assert event.actor_id == personas.agent.actor.id


def test_each_customer_the_review_queue_shows_is_audited_by_id(
    register, personas, container
) -> None:
    first = register(personas.agent).customer
    second = register(personas.agent, {**ADA, "email": "ada@example.org"}).customer
    container.clock.advance(timedelta(days=400))
    third = register(personas.agent, {**ADA, "email": "ada@example.net"}).customer
    found = queue(container, personas.supervisor)
    listed = {s.customer_id for s in found.stale} | {
        i for d in found.duplicates for i in (d.customer_id, d.other_id)
    }
    assert listed == {first.id, second.id, third.id}
    (event,) = shown(container, "review.read")
    assert sorted(event.shown) == sorted(listed)
    assert event.actor_id == personas.supervisor.actor.id
    (read,) = audit_events(container, "review.read")
    for customer_id in listed:
        assert reads_finding(container, customer_id, "review.read") == [read.seq]
