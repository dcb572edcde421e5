"""The audit page lists, in an event's Customer column, everyone the read showed."""

from __future__ import annotations

import re

from clientkeep.matching import search as matching
from tests.integration.customers.conftest import ADA, register  # noqa: F401 (a fixture)

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)


def test_a_search_that_showed_two_customers_lists_both_and_not_as_detail(
    signed_in,
    register,  # noqa: F811 (the fixture imported above)
    personas,
    container,
) -> None:
    ada = register(personas.agent).customer
    twin = register(personas.agent, {**ADA, "email": "ada@example.org"}).customer
    found = matching.search(
        matching.SearchQuery(purpose="service", kind="phone", text=ADA["phone"]),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert {m.customer_id for m in found.matches} == {ada.id, twin.id}
    page = signed_in("dpo").get("/audit", params={"action": "customer.searched"}).text
    (row,) = [r for r in ROW.findall(page) if "customer.searched" in r.replace("<wbr>", "")]
    cells = re.findall(r'<td data-testid="customers">(.*?)</td>', row, re.S)
    listed = {c.replace("<wbr>", "") for c in cells[0].split("<br>")}
    assert listed == {ada.id, twin.id}
    assert "shown=" not in row.replace("<wbr>", "")
    assert "results=2" in row.replace("<wbr>", "")
