"""The shipped default is a complete, valid policy for a UK small business."""

from __future__ import annotations

from clientkeep.policy import (
    CAPABILITIES,
    Category,
    FieldType,
    LawfulBasis,
    check_policy,
    load_policy,
)
from clientkeep.policy.loader import default_policy_path

CUSTOMER_FIELDS = {
    "given_name",
    "family_name",
    "preferred_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "country",
    "date_of_birth",
    "preferred_contact",
    "accessibility_needs",
}
# Notes kept in records of contacts, complaints and feedback, not on the customer's record.
NOTES_FIELDS = {"contact_notes", "complaint_details", "feedback"}


def test_the_default_has_no_problems() -> None:
    assert check_policy(default_policy_path().read_text()) == []


def test_load_policy_without_a_path_loads_the_default() -> None:
    assert load_policy() == load_policy(default_policy_path())


def test_it_declares_the_customer_fields_and_the_reference(policy) -> None:
    assert set(policy.fields) == CUSTOMER_FIELDS | NOTES_FIELDS | {"customer_reference"}
    assert {n for n, f in policy.fields.items() if not f.on_record} == NOTES_FIELDS
    assert policy.fields["date_of_birth"].type is FieldType.DATE
    assert policy.fields["country"].type is FieldType.COUNTRY
    assert policy.fields["preferred_contact"].choices == ("email", "phone", "post", "sms")
    assert policy.fields["customer_reference"].system is True


def test_accessibility_needs_is_the_only_special_category_field(policy) -> None:
    assert policy.special_fields == {"accessibility_needs"}
    assert policy.fields["accessibility_needs"].category is Category.SPECIAL
    assert policy.fields["accessibility_needs"].special_kind == "health"


def test_each_purpose_has_the_right_lawful_basis(policy) -> None:
    assert {name: p.lawful_basis for name, p in policy.purposes.items()} == {
        "service": LawfulBasis.CONTRACT,
        "billing": LawfulBasis.LEGAL_OBLIGATION,
        "marketing": LawfulBasis.CONSENT,
        "complaints": LawfulBasis.LEGAL_OBLIGATION,
        "identity_verification": LawfulBasis.LEGITIMATE_INTERESTS,
    }


def test_service_uses_every_customer_field_under_explicit_consent_for_health(policy) -> None:
    service = policy.purpose("service")
    assert service.fields >= CUSTOMER_FIELDS
    assert service.required == ("given_name", "family_name")
    assert service.one_of == (("email",), ("phone",), ("address_line1", "town", "postcode"))
    assert service.article9_condition == "explicit_consent"


def test_identity_verification_records_its_legitimate_interests_assessment(policy) -> None:
    purpose = policy.purpose("identity_verification")
    assert purpose.legitimate_interest_assessment
    assert purpose.compare_only == {"date_of_birth", "postcode", "phone", "customer_reference"}
    assert purpose.retention.lasts_as_long_as_the_record


def test_retention_follows_uk_law(policy) -> None:
    six_years = 6 * 365
    assert policy.purpose("billing").retention.period_days == six_years
    assert policy.purpose("billing").retention.trigger == "end_of_relationship"
    assert policy.purpose("complaints").retention.trigger == "case_closed"
    assert policy.purpose("complaints").retention.period_days == six_years
    marketing = policy.purpose("marketing").retention
    assert (marketing.trigger, marketing.longstop_days) == ("consent_withdrawn", 730)


def test_it_has_the_four_staff_roles(policy) -> None:
    assert set(policy.roles) == {"agent", "supervisor", "dpo", "admin"}
    assert policy.has_capability("admin", "staff.manage")
    assert policy.has_capability("supervisor", "customers.merge")
    assert policy.has_capability("dpo", "audit.read")
    assert not policy.has_capability("agent", "audit.read")
    assert all(r.capabilities <= CAPABILITIES for r in policy.roles.values())


def test_staff_rules_staleness_and_reference_settings(policy) -> None:
    assert (policy.staff.max_failed_sign_ins, policy.staff.lockout_minutes) == (5, 15)
    assert (policy.staff.session_minutes, policy.staff.min_password_length) == (480, 12)
    assert policy.staleness.days_for("given_name") == 365
    assert policy.staleness.days_for("postcode") == 730
    assert policy.customer_reference.prefix == "CK"
    assert policy.customer_reference.length == 8
    assert policy.verification["knowledge"].min_matches == 2


def test_the_policy_cannot_be_changed_once_loaded(policy) -> None:
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.version = "tampered"
    with pytest.raises(TypeError):
        policy.roles["agent"] = policy.roles["admin"]  # type: ignore[index]
    assert hash(policy) == hash(load_policy())
