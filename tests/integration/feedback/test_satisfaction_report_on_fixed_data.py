"""The satisfaction report on fixed data: CSAT (share of 4-5) and NPS (promoters minus
detractors) by month, channel, category and member of staff, each with its answers; it needs
reports.read, is audited naming no customer, and holds no customer and no comment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientkeep.feedback import services as feedback
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.feedback._making import a_contact, a_customer, record
from tests.integration.record_kinds._storage import audit_events

OCTOBER = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def answers(container, personas) -> str:
    customer = a_customer(container, personas.agent)
    by_agent = a_contact(container, customer, personas.agent.actor.id, row_id="int_a")
    by_supervisor = a_contact(
        container,
        customer,
        personas.supervisor.actor.id,
        channel="email",
        category="request",
        row_id="int_b",
    )
    for score in (9, 9, 10, 8, 7):
        record(container, personas.agent, customer, nps=score, interaction_id=by_agent)
    for score in (6, 0, 10, 9, 3):
        record(
            container,
            personas.agent,
            customer,
            nps=score,
            interaction_id=by_supervisor,
            comment="a comment never reported",
        )
    for score in (5, 4, 3):
        record(container, personas.agent, customer, csat=score, channel="chat", at=OCTOBER)
    for score in (2, 1, 4):
        record(container, personas.agent, customer, csat=score, interaction_id=by_supervisor)
    return customer


def report(container, persona, by, **months):
    return feedback.satisfaction_report(
        by=by,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        **months,
    )


def figures(found) -> dict:
    return {
        line.label: (line.csat, line.tally.csat_answers, line.nps, line.tally.nps_answers)
        for line in found.lines
    }


def test_the_total_is_nps_20_and_csat_50(container, personas, answers) -> None:
    found = report(container, personas.supervisor, "month")
    total = found.total.tally
    assert (found.total.nps, total.nps_answers) == (20.0, 10)
    assert (total.promoters, total.passives, total.detractors) == (5, 2, 3)
    assert (found.total.csat, total.csat_answers) == (50.0, 6)


def test_by_month_every_month_of_the_last_twelve_is_a_line(container, personas, answers) -> None:
    found = report(container, personas.supervisor, "month")
    assert (found.from_month, found.to_month) == ("2025-12", "2026-11")
    assert [line.key for line in found.lines][-2:] == ["2026-10", "2026-11"]
    assert len(found.lines) == 12
    got = figures(found)
    assert got["2026-10"] == (66.7, 3, None, 0)
    assert got["2026-11"] == (33.3, 3, 20.0, 10)
    assert got["2026-01"] == (None, 0, None, 0)


def test_by_channel_category_and_member_of_staff(container, personas, answers) -> None:
    assert figures(report(container, personas.dpo, "channel")) == {
        "phone": (None, 0, 60.0, 5),
        "email": (33.3, 3, -20.0, 5),
        "chat": (66.7, 3, None, 0),
    }
    assert figures(report(container, personas.dpo, "category")) == {
        "enquiry": (None, 0, 60.0, 5),
        "request": (33.3, 3, -20.0, 5),
        "not stated": (66.7, 3, None, 0),
    }
    by_staff = figures(report(container, personas.dpo, "staff"))
    assert by_staff == {
        "agent.one (agent)": (66.7, 3, 60.0, 5),
        "supervisor.one (supervisor)": (33.3, 3, -20.0, 5),
    }


def test_a_month_range_narrows_the_report(container, personas, answers) -> None:
    found = report(
        container, personas.supervisor, "channel", from_month="2026-10", to_month="2026-10"
    )
    assert figures(found) == {"chat": (66.7, 3, None, 0)}


def test_the_report_is_audited_with_no_customer_and_holds_none(
    container, personas, answers
) -> None:
    found = report(container, personas.supervisor, "staff")
    [event] = audit_events(container, "reports.satisfaction_read")
    assert event.entry.customer_id is None and event.entry.fields == ()
    assert event.entry.detail == {"by": "staff", "from": "2025-12", "to": "2026-11"}
    assert answers not in repr(found) and "comment" not in repr(found)


def test_a_role_without_reports_read_is_refused_and_the_refusal_audited(
    container, personas, answers
) -> None:
    with pytest.raises(PermissionDenied):
        report(container, personas.agent, "month")
    [event] = audit_events(container, "reports.satisfaction_read")
    assert (event.entry.outcome, event.entry.actor_id) == ("denied", personas.agent.actor.id)


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"by": "weather"}, "by"),
        ({"by": "month", "from_month": "2026-13"}, "from"),
        ({"by": "month", "to_month": "26-01"}, "to"),
        ({"by": "month", "from_month": "2026-11", "to_month": "2026-10"}, "from"),
        ({"by": "month", "from_month": "2000-01", "to_month": "2026-10"}, "from"),
    ],
)
def test_a_bad_grouping_or_month_is_refused_naming_it(container, personas, asked, field) -> None:
    by = asked.pop("by")
    with pytest.raises(InvalidInput) as refused:
        report(container, personas.supervisor, by, **asked)
    assert refused.value.errors[0][0] == field


def test_the_dashboard_counts_once_and_equals_each_report(container, personas, answers) -> None:
    board = feedback.satisfaction_dashboard(
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    [event] = audit_events(container, "reports.satisfaction_read")
    assert event.entry.detail["by"] == "all"
    for by in feedback.GROUPINGS:
        assert board[by] == report(container, personas.supervisor, by), by
    with pytest.raises(PermissionDenied):
        feedback.satisfaction_dashboard(
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
