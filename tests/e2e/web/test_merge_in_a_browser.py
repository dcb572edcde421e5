"""A supervisor merges two records of one person in a real browser: from the review queue,
choose the record that stays, check the merged record (a value both hold alike shown once,
the name chosen whole), confirm, and land on the survivor; reloading that page merges
nothing again. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.ports import TrailFilter
from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.integration.customers.conftest import register  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

RHYS = {
    "given_name": "Rhys",
    "family_name": "Jones",
    "email": "Rhys.Jones@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
    "town": "London",
}
REES = {**RHYS, "given_name": "Rees", "preferred_name": "Bob", "email": "rhys.jones@example.com"}


@pytest.fixture
def pair(register, personas, clock):  # noqa: F811 (the fixture imported above)
    older = register(personas.agent, RHYS).customer
    clock.advance(timedelta(days=1))
    newer = register(personas.agent, REES)
    assert newer.possible_duplicates
    return older, newer.customer


def test_a_supervisor_merges_in_two_steps_and_a_reload_changes_nothing(
    page, axe, personas, pair, container
) -> None:
    older, newer = pair
    sign_in(page, personas.supervisor)
    page.goto("/review")
    axe()
    page.get_by_role("link", name="Merge").first.click()
    page.get_by_role("heading", name="Merge two records: choose the one that stays").wait_for()
    axe()
    # The older record is the one suggested to stay.
    assert page.locator(f"#survivor_{older.id}").is_checked()
    page.get_by_role("button", name="Check the merged record").click()
    page.wait_for_url(f"**/customers/{older.id}/merge/preview?duplicate_id={newer.id}")
    page.get_by_role("heading", name="Check the merged record").wait_for()
    axe()
    differences = page.locator("#choices")
    # The email differs only in case: shown once, not offered. The name is one choice.
    assert differences.get_by_role("group", name="Email address").count() == 0
    name = differences.get_by_role("group", name="Name (taken whole from one record)")
    assert name.get_by_role("radio").count() == 2
    assert differences.get_by_role("group", name="Given name").count() == 0
    name.get_by_label("Rees Jones, known as Bob").check()
    page.get_by_role("button", name="Show the merged record with these choices").click()
    page.wait_for_url("**name=duplicate**")
    page.get_by_role("heading", name="Check the merged record").wait_for()
    axe()
    result = page.locator("table").last
    assert result.get_by_role("row", name="Given name Rees").count() == 1
    assert result.get_by_role("row", name="Preferred name Bob").count() == 1
    assert result.get_by_role("row", name="Email address").count() == 1
    page.get_by_label("Reason for the merge").fill("the same person registered twice")
    page.get_by_role("button", name="Merge these records").click()
    page.wait_for_url(f"**/customers/{older.id}?purpose=service&done=merged")
    axe()
    assert page.get_by_role("status").inner_text() == "Done: merged."
    assert page.get_by_role("heading", level=1).inner_text() == "Bob Jones"
    with container.uow().reading() as uow:
        events = len(uow.audit.page(TrailFilter(), limit=10_000))
    page.reload()
    page.get_by_role("heading", level=1).wait_for()
    axe()
    assert page.get_by_role("heading", level=1).inner_text() == "Bob Jones"
    with container.uow().reading() as uow:
        after = uow.audit.page(TrailFilter(), limit=10_000)
        assert uow.customers.get(newer.id).merged_into == older.id
    # The reload read the record again (one read) and merged nothing.
    assert [e.entry.action for e in after[events:]] == ["customer.read"]
