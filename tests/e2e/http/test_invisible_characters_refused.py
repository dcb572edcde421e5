"""An invisible character in a value is refused over the API too: 422 naming the field and
the character, never echoing the value."""

from __future__ import annotations

from tests.e2e.conftest import bearer

ADA = {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}


def test_a_name_holding_a_right_to_left_override_is_422_naming_the_field(client, tokens) -> None:
    body = {
        "purpose": "service",
        "source": "phone",
        "fields": {**ADA, "family_name": "Love\u202ecalo"},
    }
    response = client.post("/api/v1/customers", json=body, headers=bearer(tokens["agent"]))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {
            "field": "fields.family_name",
            "message": "Remove the invisible character (U+202E RIGHT-TO-LEFT OVERRIDE) "
            "at position 5.",
        }
    ]
    assert "calo" not in response.text
