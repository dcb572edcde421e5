"""`[verification.one_time_code]` is read as a code sent to the customer, not as stated
details: its channels, how long a code lasts and the purpose its message goes under, each
problem named by its key."""

from __future__ import annotations

from clientkeep.policy.model import VerificationKind
from tests.unit.policy.conftest import problems_of

CHANNELS = 'channels = ["email", "sms"]'
PURPOSE = '\npurpose = "service"'


def test_the_shipped_policy_sends_codes_by_email_and_sms_under_service(policy) -> None:
    method = policy.verification["one_time_code"]
    assert method.kind is VerificationKind.ONE_TIME_CODE
    assert method.channels == ("email", "sms") and method.code_minutes == 10
    assert method.send_purpose == "service" and method.fields == ()
    assert policy.verification["knowledge"].kind is VerificationKind.KNOWLEDGE


def test_an_unknown_channel_is_named() -> None:
    problems = problems_of((CHANNELS, 'channels = ["email", "fax"]'))
    assert "unknown channel 'fax'" in problems["verification.one_time_code.channels[1]"]


def test_no_channel_at_all_is_refused() -> None:
    problems = problems_of((CHANNELS, "channels = []"))
    assert "at least one channel" in problems["verification.one_time_code.channels"]


def test_a_code_lasting_more_than_an_hour_is_refused() -> None:
    problems = problems_of(("code_minutes = 10", "code_minutes = 90"))
    assert "at most 60" in problems["verification.one_time_code.code_minutes"]


def test_the_purpose_must_be_declared_and_use_the_fields_codes_go_to() -> None:
    undeclared = problems_of((PURPOSE, '\npurpose = "sending"'))
    assert "not a declared purpose" in undeclared["verification.one_time_code.purpose"]
    # identity_verification uses the phone (compare-only) but no email field.
    no_email = problems_of((PURPOSE, '\npurpose = "identity_verification"'))
    assert "uses no email field" in no_email["verification.one_time_code.purpose"]


def test_keys_of_the_knowledge_check_are_not_taken_here() -> None:
    problems = problems_of(("code_minutes = 10", "code_minutes = 10\nmin_matches = 1"))
    assert "unknown key" in problems["verification.one_time_code.min_matches"]
