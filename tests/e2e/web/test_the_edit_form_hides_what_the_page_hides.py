"""The edit form hides what the customer page hides: with no check of the caller, a detail the
purpose masks is neither pre-filled nor carried as an original in the page, yet it can still be
replaced or removed by an internal correction; after the Details tab's reveal (a reason from
the fixed list), the Edit tab opens with the values, and that reveal is recorded too."""

from __future__ import annotations

from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.test_representatives_screens import ada
from tests.integration.record_kinds._storage import audit_events

__all__ = ["ada"]  # the fixture, used by name below


def test_masked_details_are_not_in_the_edit_page(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    form = agent.get(f"/customers/{ada}/edit?purpose=service")
    assert form.status_code == 200
    for value in ("ada@example.com", "020 7946 0018", "SW1A 1AA", "1979"):
        assert value not in form.text, value
    assert 'name="masked" value="email"' in form.text
    assert 'id="remove_email"' in form.text
    [read] = [e for e in audit_events(container, "customer.read", ada)]
    assert "email" not in read.entry.fields and "given_name" in read.entry.fields

    saved = agent.post(
        f"/customers/{ada}/edit",
        data={
            "csrf_token": csrf_of(form.text),
            "purpose": "service",
            "field_given_name": "Ada",
            "field_family_name": "Lovelace",
            "original_given_name": "Ada",
            "original_family_name": "Lovelace",
            "masked": ["email", "postcode"],
            "field_postcode": "EC1A 1BB",
            "remove_email": "yes",
            "reason": "letter returned: moved",
            "asked_by": "internal",
            "source": "returned_post",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    with container.uow().reading() as uow:
        customer = uow.customers.get(ada)
    assert customer is not None
    assert customer.value("postcode") == "EC1A 1BB" and customer.value("email") is None


def test_after_a_reveal_the_edit_tab_opens_with_the_values(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    page = agent.get(f"/customers/{ada}?purpose=service")
    shown = agent.post(
        f"/customers/{ada}/reveal",
        data={"csrf_token": csrf_of(page.text), "purpose": "service", "reason": "returned_post"},
    )
    assert shown.status_code == 200 and "ada@example.com" in shown.text
    assert f"/customers/{ada}/edit?purpose=service&amp;reveal=returned_post" in shown.text
    form = agent.get(f"/customers/{ada}/edit?purpose=service&reveal=returned_post")
    assert 'value="ada@example.com"' in form.text
    assert 'name="masked"' not in form.text
    reveals = audit_events(container, "customer.revealed", ada)
    assert [e.entry.detail["reason"] for e in reveals] == ["returned_post", "returned_post"]
    refused = agent.get(f"/customers/{ada}/edit?purpose=service&reveal=curious")
    assert refused.status_code == 422
    assert "ada@example.com" not in refused.text


def test_a_reveal_in_a_link_from_another_site_reveals_and_records_nothing(
    signed_in, ada, container
) -> None:
    agent = signed_in("agent")
    for tab in ("edit", "history"):
        got = agent.get(
            f"/customers/{ada}/{tab}?purpose=service&reveal=returned_post",
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert got.status_code == 200
        assert "ada@example.com" not in got.text
    assert audit_events(container, "customer.revealed", ada) == []
    same = agent.get(
        f"/customers/{ada}/history?purpose=service&reveal=returned_post",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert "ada@example.com" in same.text
    assert len(audit_events(container, "customer.revealed", ada)) == 1
