"""A new record that is both wrong and incomplete is told both in one try: each field's
problem once, a field typed but wrong never also reported as missing."""

from __future__ import annotations

import pytest

from clientkeep.customers import values
from clientkeep.shared.errors import InvalidInput


def test_missing_and_wrong_fields_come_back_together(register) -> None:
    with pytest.raises(InvalidInput) as refused:
        register({"family_name": "L0velace", "email": "not an email"})
    assert refused.value.errors == [
        ("fields.family_name", "Use letters, spaces, hyphens and apostrophes only."),
        ("fields.email", "Enter an email address in the right format, such as name@example.com."),
        ("fields.given_name", "The service purpose requires this."),
    ]


def test_an_unlisted_number_and_a_missing_name_come_back_together(register) -> None:
    with pytest.raises(values.UnlistedPhoneNumber) as refused:
        register({"given_name": "Ada", "phone": "07700 900123"})
    assert [f for f, _ in refused.value.errors] == ["fields.phone", "fields.family_name"]
    assert refused.value.fields == frozenset({"phone"})
    assert refused.value.code == "invalid_input"
