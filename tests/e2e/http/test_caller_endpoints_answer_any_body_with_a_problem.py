"""Whatever body a client sends to the caller-facing endpoints (verifications, disclosures),
the answer is a success or an RFC 9457 problem, never a server error, and no stored value of
the customer ever appears in it."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import bearer

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
}
HELD = ("1979-03-14", "SW1A 1AA", "ada@example.com", "+442079460018", "Lovelace")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    [
        "method",
        "answers",
        "code",
        "channel",
        "purpose",
        "verification_id",
        "fields",
        "recipient",
        "date_of_birth",
        "postcode",
    ]
)
bodies = st.one_of(values, st.dictionaries(keys, values, max_size=6))


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.mark.parametrize("path", ["verifications", "disclosures"])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=bodies)
def test_any_body_gets_a_success_or_a_problem(client, tokens, ada, path, body) -> None:
    answer = client.post(
        f"/api/v1/customers/{ada}/{path}",
        content=json.dumps(body),
        headers={**bearer(tokens["agent"]), "content-type": "application/json"},
    )
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["status"] == answer.status_code
    for held in HELD:
        assert held not in answer.text
