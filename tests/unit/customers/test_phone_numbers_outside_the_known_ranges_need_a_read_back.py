"""A well-formed phone number the phone library does not list as in use (Ofcom's drama range
07700 900000-900999, pagers, new ranges) is kept only when staff say they read it back; what
cannot be a phone number at all is refused outright."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers import values
from clientkeep.customers._collect import collect
from clientkeep.matching.duplicates import likely_duplicates
from clientkeep.policy import load_policy
from clientkeep.shared.errors import InvalidInput
from tests.unit.conftest import ADA

TODAY = date(2026, 11, 23)
PHONE = load_policy().fields["phone"]
DRAMA = "07700 900123"


@pytest.mark.parametrize(
    "raw",
    [
        "0800 FLOWERS",  # letters are not read as a keypad word
        "07700 9001",  # too short for a UK number
        "07700 900123 45",  # too long
        "020 7946 001",  # a London number a digit short
        "+1 23",
        "phone me",
    ],
)
def test_what_cannot_be_a_phone_number_is_refused_outright(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        values.normalise(PHONE, raw, today=TODAY)
    assert not isinstance(refused.value, values.UnlistedPhoneNumber)
    assert refused.value.errors == [
        ("phone", "Enter a UK phone number, or an international one starting with +.")
    ]


@pytest.mark.parametrize("raw", [DRAMA, "+44 7700 900999", "+1 555 0100 123"])
def test_a_well_formed_unlisted_number_asks_for_a_read_back(raw: str) -> None:
    with pytest.raises(values.UnlistedPhoneNumber) as asked:
        values.normalise(PHONE, raw, today=TODAY)
    assert asked.value.code == "unlisted_phone_number"
    assert asked.value.fields == frozenset({"phone"})


def test_once_read_back_it_is_kept_in_e164_and_shown_in_national_format() -> None:
    stored = values.normalise(PHONE, DRAMA, today=TODAY, accept_unlisted=True)
    assert stored == "+447700900123"
    assert values.display(PHONE, stored) == "07700 900123"
    assert values.phone_is_unlisted(stored)
    assert not values.phone_is_unlisted("+442079460018")


def test_an_unlisted_number_is_searched_for_as_it_is_stored() -> None:
    assert values.query_terms("phone", "07700900123") == values.index_terms(PHONE, "+447700900123")
    assert values.classify_query(DRAMA) == "phone"


def test_collecting_names_the_field_and_keeps_the_other_problems(policy, personas) -> None:
    with pytest.raises(values.UnlistedPhoneNumber) as asked:
        collect(
            policy,
            personas.agent.actor,
            policy.purpose("service"),
            {"phone": DRAMA, "email": "not an email"},
            explicit_consent=frozenset(),
            today=TODAY,
        )
    fields = [f for f, _ in asked.value.errors]
    assert fields == ["fields.phone", "fields.email"]
    # With another problem to fix, the code is the general one; the field is still named.
    assert asked.value.code == "invalid_input"
    assert asked.value.fields == frozenset({"phone"})


def test_only_phone_fields_can_be_accepted_unlisted(policy, personas) -> None:
    with pytest.raises(InvalidInput) as refused:
        collect(
            policy,
            personas.agent.actor,
            policy.purpose("service"),
            {"email": "ada@example.com"},
            explicit_consent=frozenset(),
            today=TODAY,
            accept_unlisted=frozenset({"email"}),
        )
    assert refused.value.errors == [
        ("accept_unlisted_phones", "Name only phone fields the policy declares.")
    ]


def register(uow, policy, clock, personas, **extra):
    return customers.register(
        customers.RegisterCustomer(
            purpose="service", fields={**ADA, "phone": DRAMA}, source="phone", **extra
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
        duplicates=likely_duplicates,
    )


def test_registering_without_the_read_back_saves_nothing(uow, policy, clock, personas) -> None:
    with pytest.raises(values.UnlistedPhoneNumber) as asked:
        register(uow, policy, clock, personas)
    assert asked.value.errors == [("fields.phone", values.UNLISTED_MESSAGE)]
    assert asked.value.code == "unlisted_phone_number"
    assert uow.customers.find_by_terms([("phone", "+447700900123")]) == []
    assert uow.commits == 0


def test_registering_after_the_read_back_records_that_it_was_kept_unlisted(
    uow, policy, clock, personas
) -> None:
    done = register(uow, policy, clock, personas, accept_unlisted_phones=frozenset({"phone"}))
    phone = done.customer.fields["phone"]
    assert (phone.value, phone.display, phone.unlisted) == ("+447700900123", DRAMA, True)
    assert not done.customer.fields["email"].unlisted
    stored = uow.customers.get(done.customer.id)
    assert stored.fields["phone"].unlisted and stored.fields["phone"].condition == "unlisted_number"
    assert uow.customers.find_by_terms([("phone", "+447700900123")]) == [done.customer.id]
    (created,) = [e.entry for e in uow.audit.events if e.entry.action == "customer.created"]
    assert created.detail["unlisted_phones"] == "phone"


def test_a_listed_number_accepted_unlisted_is_not_marked(uow, policy, clock, personas) -> None:
    done = customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields=ADA,
            source="phone",
            accept_unlisted_phones=frozenset({"phone"}),
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
        duplicates=likely_duplicates,
    )
    assert not done.customer.fields["phone"].unlisted


def test_a_correction_to_an_unlisted_number_needs_the_read_back_too(
    uow, policy, clock, personas, register
) -> None:
    cid = register().customer.id

    def correct(**extra):
        return customers.update(
            cid,
            customers.UpdateCustomer(
                purpose="service",
                fields={"phone": DRAMA},
                reason="new number",
                **extra,
                source="internal_records",
            ),
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )

    with pytest.raises(values.UnlistedPhoneNumber):
        correct()
    assert uow.customers.get(cid).value("phone") == "+442079460018"
    assert correct(accept_unlisted_phones=frozenset({"phone"})).fields["phone"].unlisted
