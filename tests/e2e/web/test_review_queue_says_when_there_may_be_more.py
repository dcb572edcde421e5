"""The review page's headings never pass a full page off as the whole queue: a page that is
full says there may be more; one that is not gives the true number."""

from __future__ import annotations

import re
from datetime import timedelta

from clientkeep.customers import services as customers

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def heading(html: str, title: str) -> str:
    found = re.search(rf"<h2>{title} \(([^)]*)\)</h2>", html)
    assert found, f"no heading {title!r}"
    return found.group(1)


def add_people(container, persona, n: int) -> None:
    for i in range(n):
        customers.register(
            customers.RegisterCustomer(
                purpose="service",
                fields={
                    "given_name": "Pat",
                    "family_name": "Tester " + LETTERS[i // 26] + LETTERS[i % 26],
                    "email": f"pat{i}@example.com",
                },
                source="phone",
            ),
            uow=container.uow(),
            actor=persona.actor,
            policy=container.policy,
            clock=container.clock,
            duplicates=container.duplicate_finder,
        )


def test_a_full_page_says_there_may_be_more_and_a_short_one_counts(
    signed_in, container, personas
) -> None:
    add_people(container, personas.agent, 101)
    container.clock.advance(timedelta(days=400))
    page = signed_in("supervisor").get("/review").text
    assert heading(page, "Details not confirmed in time") == (
        "the first 100 shown; there may be more"
    )
    assert heading(page, "Suspected duplicates") == "0"
