"""A read names its purpose and returns only what that purpose needs; every read is audited."""

from __future__ import annotations

import pytest

from clientkeep.customers.errors import CustomerNotFound
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.customers.conftest import audit_events


def test_billing_sees_no_phone_or_date_of_birth(register, read, personas) -> None:
    made = register(personas.agent).customer
    billing = read(personas.agent, made.id, "billing")
    assert "phone" not in billing.fields and "date_of_birth" not in billing.fields
    assert billing.fields["email"].value == "Ada.Lovelace@example.com"


def test_identity_verification_fields_are_never_shown(register, read, personas) -> None:
    made = register(personas.agent).customer
    assert read(personas.agent, made.id, "identity_verification").fields == {}


def test_every_read_is_audited_naming_the_fields_returned(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    view = read(personas.agent, made.id, "billing")
    event = audit_events(container, "customer.read")[-1]
    assert event.entry.customer_id == made.id
    assert event.entry.purpose == "billing"
    assert set(event.entry.fields) == set(view.fields)


def test_an_unknown_purpose_or_id_is_refused(register, read, personas) -> None:
    made = register(personas.agent).customer
    with pytest.raises(InvalidInput):
        read(personas.agent, made.id, "curiosity")
    with pytest.raises(CustomerNotFound):
        read(personas.agent, "cus_" + "a" * 24)


def test_a_role_outside_the_purpose_is_refused(register, read, personas) -> None:
    made = register(personas.agent).customer
    with pytest.raises(PermissionDenied):
        read(personas.agent, made.id, "marketing")
    with pytest.raises(PermissionDenied):
        read(personas.admin, made.id, "service")
