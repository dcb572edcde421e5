"""The review queue and merge screens act under the policy's default purpose, whatever the
policy calls it, and a refusal made by the screen itself is recorded as denied."""

from __future__ import annotations

import re

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.audit.ports import TrailFilter
from tests.e2e.web._merging import confirmation_of
from tests.integration.customers._policies import (
    SHIPPED,
    container_under,
    policy_file,
    renamed,
    with_default_purpose,
)
from tests.integration.customers.conftest import ADA, register  # noqa: F401 (a fixture)

SUPPORT = with_default_purpose(renamed(SHIPPED, {}, {"service": "support"}), "support")


@pytest.fixture
def container(settings, clock, tmp_path):
    with container_under(settings, clock, policy_file(tmp_path, SUPPORT)) as c:
        yield c


@pytest.fixture
def pair(register, personas):  # noqa: F811 (the fixture imported above)
    first = register(personas.supervisor, ADA, purpose="support").customer
    second = register(personas.supervisor, {**ADA, "email": "ada2@example.com"}, purpose="support")
    assert second.possible_duplicates
    return first, second.customer


def test_every_link_of_the_queue_and_the_page_after_a_merge_open(signed_in, pair) -> None:
    first, second = pair
    web = signed_in("supervisor")
    page = web.get("/review")
    links = set(re.findall(r'href="(/customers/cus_[^"/]+)"', page.text))
    assert links and all("purpose=support" in link for link in links)
    assert all(web.get(link.replace("&amp;", "&")).status_code == 200 for link in links)
    chosen = web.get(f"/customers/{first.id}/merge?duplicate_id={second.id}")
    assert chosen.status_code == 200
    form = web.get(f"/customers/{first.id}/merge/preview?duplicate_id={second.id}")
    done = web.post(
        f"/customers/{first.id}/merge",
        data=confirmation_of(form.text) | {"reason": "same"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert web.get(done.headers["location"]).status_code == 200


def test_an_agent_refused_the_merge_screen_is_recorded(signed_in, pair, container) -> None:
    first, second = pair
    refused = signed_in("agent").get(f"/customers/{first.id}/merge?duplicate_id={second.id}")
    assert refused.status_code == 403
    with container.uow() as uow:
        denied = [
            (e.entry.action, e.entry.customer_id)
            for e in uow.audit.page(TrailFilter(), limit=500)
            if e.entry.outcome is Outcome.DENIED
        ]
    assert denied == [("customer.merged", first.id)]
