"""The merge screens: choose the record that stays (both shown, one audited read naming
both), check the merged record, confirm with a reason. Only the confirming POST merges; a
record changed since the preview is refused with the new preview; after the merge the
survivor's page says so, and neither a reload nor the form sent again merges anything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import services as customers
from tests.e2e.web._merging import confirmation_of, digest_of
from tests.e2e.web.test_customer_screens_hold_the_line import summary_targets, ticked
from tests.integration.customers.conftest import register  # noqa: F401 (a fixture)

RHYS = {
    "given_name": "Rhys",
    "family_name": "Jones",
    "email": "Rhys.Jones@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
}
REES = {
    **RHYS,
    "given_name": "Rees",
    "preferred_name": "Bob",
    "email": "rhys.jones@example.com",
    "phone": "07700 123456",
}


@pytest.fixture
def pair(register, personas, clock):  # noqa: F811 (the fixture imported above)
    older = register(personas.agent, RHYS).customer.id
    clock.advance(timedelta(days=1))
    return older, register(personas.agent, REES).customer.id


def events(container, **where):
    with container.uow().reading() as uow:
        return uow.audit.page(TrailFilter(**where), limit=10_000)


def test_both_records_are_shown_and_the_older_is_suggested(signed_in, pair, container) -> None:
    older, newer = pair
    web = signed_in("supervisor")
    before = len(events(container))
    # From the newer record's side too: the suggestion is the older record.
    page = web.get(f"/customers/{newer}/merge?duplicate_id={older}")
    assert page.status_code == 200
    assert ticked(page.text, f"survivor_{older}") and not ticked(page.text, f"survivor_{newer}")
    assert "Rhys Jones" in page.text and "Bob Jones" in page.text
    [read] = events(container)[before:]
    assert read.entry.action == "customer.read"
    assert sorted(read.entry.customers) == sorted([older, newer])


def test_choosing_a_survivor_leads_to_its_preview(signed_in, pair) -> None:
    older, newer = pair
    web = signed_in("supervisor")
    chosen = web.get(
        f"/customers/{older}/merge?duplicate_id={newer}&survivor_id={newer}",
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == f"/customers/{newer}/merge/preview?duplicate_id={older}"
    wrong = web.get(f"/customers/{older}/merge?duplicate_id={newer}&survivor_id=cus_other")
    assert wrong.status_code == 422
    assert summary_targets(wrong.text) == [f"survivor_{older}"]


def test_the_preview_offers_only_real_differences_and_the_name_whole(signed_in, pair) -> None:
    older, newer = pair
    page = signed_in("supervisor").get(f"/customers/{older}/merge/preview?duplicate_id={newer}")
    assert page.status_code == 200
    assert 'name="keep_phone"' in page.text  # differs
    assert 'name="keep_email"' not in page.text  # the same but for case
    assert 'name="keep_given_name"' not in page.text  # the name is one choice
    assert ticked(page.text, "name_survivor") and not ticked(page.text, "name_duplicate")
    assert "Rees Jones, known as Bob" in page.text
    assert "tombstone" in page.text and "key is destroyed" in page.text


def test_only_the_confirmation_merges_and_its_page_is_a_get_of_the_survivor(
    signed_in, pair, container
) -> None:
    older, newer = pair
    web = signed_in("supervisor")
    form = web.get(f"/customers/{older}/merge/preview?duplicate_id={newer}&name=duplicate").text
    with container.uow().reading() as uow:
        assert uow.customers.get(newer).merged_into is None  # previewing merged nothing
    data = confirmation_of(form) | {"reason": "the same person"}
    done = web.post(f"/customers/{older}/merge", data=data, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/customers/{older}?purpose=service&done=merged"
    shown = web.get(done.headers["location"])
    assert "Done: merged." in shown.text and "Bob Jones" in shown.text
    merges = len(events(container, action="customer.merged"))
    assert merges == 2  # one event on each record
    web.get(done.headers["location"])  # a reload
    again = web.post(f"/customers/{older}/merge", data=data, follow_redirects=False)
    assert again.status_code == 404  # the other record is a tombstone now
    assert len(events(container, action="customer.merged")) == merges


def test_a_record_changed_since_the_preview_is_refused_with_the_new_preview(
    signed_in, pair, container, personas
) -> None:
    older, newer = pair
    web = signed_in("supervisor")
    form = web.get(f"/customers/{older}/merge/preview?duplicate_id={newer}").text
    customers.update(
        newer,
        customers.UpdateCustomer(
            purpose="service", fields={"town": "Leeds"}, reason="moved", source="internal_records"
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    refused = web.post(
        f"/customers/{older}/merge", data=confirmation_of(form) | {"reason": "same person"}
    )
    assert refused.status_code == 409
    assert "changed after the preview was made; nothing was merged" in refused.text
    assert "Leeds" in refused.text  # the new preview
    assert digest_of(refused.text) != digest_of(form)
    assert refused.text.count('value="same person"') == 1  # the reason is kept
    with container.uow().reading() as uow:
        assert uow.customers.get(newer).merged_into is None


def test_an_agent_is_refused_the_merge_screens_and_each_refusal_is_recorded(
    signed_in, pair, container
) -> None:
    older, newer = pair
    agent = signed_in("agent")
    assert agent.get(f"/customers/{older}/merge?duplicate_id={newer}").status_code == 403
    assert agent.get(f"/customers/{older}/merge/preview?duplicate_id={newer}").status_code == 403
    denied = events(container, action="customer.merged", outcome=Outcome.DENIED.value)
    assert [e.entry.customer_id for e in denied] == [older, older]
