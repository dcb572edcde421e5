"""The data protection lead explores the trail in Chromium: filters by member of staff and
action, pages older, newer and back, exports what is shown, and reads the chart, all in a
1280 pixel window with no axe-core violation on any page."""

from __future__ import annotations

import csv

import pytest

from clientkeep.audit.model import AuditEntry
from clientkeep.audit.ports import TrailFilter
from clientkeep.shared.ids import new_id
from tests.e2e.web.conftest import sign_in_browser as sign_in

pytestmark = pytest.mark.browser
READS = 55  # more than a page of 50


def reads_by(container, actor, n: int) -> None:
    with container.uow() as uow:
        for _ in range(n):
            uow.audit.append(
                AuditEntry(
                    action="customer.read",
                    actor_id=actor.id,
                    actor_role=actor.role,
                    credential="test",
                    customer_id=new_id("cus"),
                    fields=("email",),
                    purpose="service",
                )
            )
        uow.commit()


def fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280


def who_column(page) -> set[str]:
    return set(page.get_by_test_id("who").all_inner_texts())


def seqs(page) -> list[int]:
    return [int(t) for t in page.locator("table.audit tbody tr td:first-child").all_inner_texts()]


def test_the_dpo_filters_pages_exports_and_reads_the_chart(
    page, axe, personas, container, tmp_path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    reads_by(container, personas.agent.actor, READS)
    reads_by(container, personas.supervisor.actor, 3)
    sign_in(page, personas.dpo)
    page.goto("/audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit trail"
    axe()
    fits(page)

    page.get_by_label("Member of staff", exact=True).select_option(label="agent.one (agent)")
    page.get_by_label("Action", exact=True).select_option(label="Read a customer record")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/audit?*actor_id=*")
    axe()
    fits(page)
    newest = seqs(page)
    assert len(newest) == 50 and newest == sorted(newest, reverse=True)
    assert who_column(page) == {"agent.one (agent)"}
    assert set(page.get_by_test_id("action").all_inner_texts()) == {
        "Read a customer record\ncustomer.read"
    }

    page.get_by_role("link", name="Older events").click()
    page.wait_for_url("**before=*")
    axe()
    older = seqs(page)
    assert len(older) == READS - 50 and max(older) < min(newest)
    assert who_column(page) == {"agent.one (agent)"}

    page.get_by_role("link", name="Newer events").click()
    page.wait_for_url("**after=*")
    axe()
    assert seqs(page) == newest
    fits(page)

    chart = page.get_by_test_id("reads-chart")
    assert chart.is_visible()
    (row,) = chart.locator("tbody tr").all()
    assert row.locator("th").inner_text() == "agent.one (agent)"
    assert row.locator("td").last.inner_text() == str(READS)

    with page.expect_download() as downloading:
        page.get_by_test_id("export").click()
    saved = tmp_path / "audit.csv"
    downloading.value.save_as(saved)
    with saved.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == READS
    assert {r["actor_name"] for r in rows} == {"agent.one (agent)"}
    with container.uow().reading() as uow:
        (exported,) = uow.audit.page(TrailFilter(action="audit.exported"))
    assert exported.entry.detail["count"] == READS
    assert exported.entry.detail["actor_filter"] == personas.agent.actor.id


def test_a_bad_time_is_shown_on_its_field(page, axe, personas) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, personas.dpo)
    page.goto("/audit")
    axe()
    page.get_by_label("From (UTC)").fill("last Tuesday")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**from=*")
    summary = page.get_by_role("alert")
    assert "Give a date" in summary.inner_text()
    assert page.get_by_label("From (UTC)").get_attribute("aria-invalid") == "true"
    assert "last Tuesday" not in page.content()
    axe()
    fits(page)
    summary.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.id") == "filter-from"
