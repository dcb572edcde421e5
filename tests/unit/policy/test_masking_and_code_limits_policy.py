"""A purpose may list ``masked_until_verified``: fields it uses, shown only once the caller is
verified. ``[verification.one_time_code]`` limits how often codes go to one customer. Every
problem is named by its key."""

from __future__ import annotations

from clientkeep.policy import parse_policy
from tests.unit.policy.conftest import edited, problems_of

BILLING_MASK = """masked_until_verified = [
  "email", "address_line1", "address_line2", "town", "postcode", "country",
]"""


def test_the_shipped_policy_masks_contact_details_on_caller_facing_purposes(policy) -> None:
    contact = {"email", "address_line1", "address_line2", "town", "postcode", "country"}
    service = policy.purposes["service"].masked_until_verified
    assert service == contact | {"phone", "date_of_birth"}
    assert policy.purposes["billing"].masked_until_verified == contact
    assert policy.purposes["complaints"].masked_until_verified == contact | {"phone"}
    for purpose in ("service", "billing", "complaints"):
        masked = policy.purposes[purpose].masked_until_verified
        assert not masked & {"given_name", "family_name", "customer_reference"}
    assert policy.purposes["marketing"].masked_until_verified == frozenset()
    assert policy.purposes["identity_verification"].masked_until_verified == frozenset()


def test_a_masked_field_the_purpose_does_not_use_is_named() -> None:
    problems = problems_of((BILLING_MASK, 'masked_until_verified = ["email", "phone"]'))
    assert (
        "'phone' is not one of this purpose's fields"
        in (problems["purposes.billing.masked_until_verified[1]"])
    )


def test_an_undeclared_field_is_named() -> None:
    problems = problems_of((BILLING_MASK, 'masked_until_verified = ["shoe_size"]'))
    assert "shoe_size" in problems["purposes.billing.masked_until_verified[0]"]


def test_masking_a_compare_only_field_is_refused() -> None:
    problems = problems_of(
        (
            'compare_only = ["date_of_birth", "postcode", "phone", "customer_reference"]',
            'compare_only = ["date_of_birth", "postcode", "phone", "customer_reference"]\n'
            'masked_until_verified = ["postcode"]',
        )
    )
    assert "compare_only" in problems["purposes.identity_verification.masked_until_verified"]


def test_an_empty_or_absent_list_masks_nothing() -> None:
    emptied = parse_policy(edited((BILLING_MASK, "masked_until_verified = []")))
    assert emptied.purposes["billing"].masked_until_verified == frozenset()
    absent = parse_policy(edited((BILLING_MASK, "")))
    assert absent.purposes["billing"].masked_until_verified == frozenset()


def test_a_list_that_is_not_of_strings_is_refused() -> None:
    problems = problems_of((BILLING_MASK, 'masked_until_verified = "email"'))
    assert any(k.startswith("purposes.billing.masked_until_verified") for k in problems)


def test_the_shipped_code_limits(policy) -> None:
    method = policy.verification["one_time_code"]
    assert method.resend_after_seconds == 60 and method.max_codes_per_hour == 5


def test_absent_code_limits_take_the_defaults() -> None:
    text = edited(("resend_after_seconds = 60\n", ""), ("max_codes_per_hour = 5\n", ""))
    method = parse_policy(text).verification["one_time_code"]
    assert method.resend_after_seconds == 60 and method.max_codes_per_hour == 5


def test_code_limits_out_of_range_are_named() -> None:
    where = "verification.one_time_code."
    negative = problems_of(("resend_after_seconds = 60", "resend_after_seconds = -1"))
    assert "at least 0" in negative[where + "resend_after_seconds"]
    long = problems_of(("resend_after_seconds = 60", "resend_after_seconds = 7200"))
    assert "at most 3600" in long[where + "resend_after_seconds"]
    none = problems_of(("max_codes_per_hour = 5", "max_codes_per_hour = 0"))
    assert "at least 1" in none[where + "max_codes_per_hour"]
    text = problems_of(("max_codes_per_hour = 5", 'max_codes_per_hour = "five"'))
    assert where + "max_codes_per_hour" in text
