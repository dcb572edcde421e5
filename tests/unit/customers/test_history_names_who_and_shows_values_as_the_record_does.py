"""The history names who made each change by name and role, and shows values in the format
the record shows them (UK phones nationally), while keeping the stored value and the id."""

from __future__ import annotations

from datetime import UTC, datetime

from clientkeep.customers import services as customers
from clientkeep.staff.model import StaffMember

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def test_history_shows_the_name_and_role_and_the_number_as_the_record_does(
    uow, policy, clock, personas, register
) -> None:
    agent = personas.agent.actor
    uow.staff.add(
        StaffMember(
            id=agent.id,
            username="agent.one",
            display_name="Sam Agent",
            role="agent",
            password_hash="x",
            created_at=WHEN,
            updated_at=WHEN,
        )
    )
    cid = register().customer.id
    customers.update(
        cid,
        customers.UpdateCustomer(
            purpose="service",
            fields={"phone": "+44 113 496 0000"},
            reason="new number",
            source="internal_records",
        ),
        uow=uow,
        actor=agent,
        policy=policy,
        clock=clock,
    )
    changes = customers.history(cid, purpose="service", uow=uow, actor=agent, policy=policy)
    (phone,) = [c for c in changes if c.field == "phone" and c.kind == "rectified"]
    assert (phone.old_display, phone.new_display) == ("020 7946 0018", "0113 496 0000")
    assert (phone.old_value, phone.new_value) == ("+442079460018", "+441134960000")
    assert (phone.changed_by, phone.changed_by_name) == (agent.id, "Sam Agent (agent)")


def test_an_id_no_member_of_staff_holds_is_shown_as_it_is(uow, policy, personas, register) -> None:
    cid = register().customer.id
    agent = personas.agent.actor
    changes = customers.history(cid, purpose="service", uow=uow, actor=agent, policy=policy)
    assert {c.changed_by_name for c in changes} == {agent.id}
