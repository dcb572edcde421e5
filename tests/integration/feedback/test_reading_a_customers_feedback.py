"""A customer's answers are read newest first, a page at a time, only under a purpose whose
projection shows the feedback field; every read is audited naming the customer; the timeline
source follows the same rule."""

from __future__ import annotations

from datetime import timedelta

from clientkeep.feedback import services as feedback
from clientkeep.feedback.timeline import FeedbackTimeline
from tests.integration.feedback._making import a_customer, record
from tests.integration.record_kinds._storage import audit_events


def read(container, persona, customer, purpose, cursor=None, limit=50):
    return feedback.customer_feedback(
        customer,
        purpose=purpose,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        cursor=cursor,
        limit=limit,
    )


def test_answers_page_newest_first_under_a_purpose_that_shows_feedback(container, personas) -> None:
    customer = a_customer(container, personas.agent)
    now = container.clock.now()
    for days, score in ((3, 1), (2, 2), (1, 3)):
        record(container, personas.agent, customer, csat=score, at=now - timedelta(days=days))
    first = read(container, personas.agent, customer, "service", limit=2)
    assert [i.score for i in first.items] == [3, 2]
    rest = read(container, personas.agent, customer, "service", cursor=first.next_cursor)
    assert [i.score for i in rest.items] == [1] and rest.next_cursor is None
    event = audit_events(container, "customer.feedback_read", customer)[-1].entry
    assert event.fields == ("feedback",)


def test_under_a_purpose_without_feedback_nothing_is_listed_and_the_read_names_no_field(
    container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    record(container, personas.agent, customer, csat=5, comment="lovely")
    page = read(container, personas.agent, customer, "billing")
    assert (page.shown, page.items) == (False, [])
    event = audit_events(container, "customer.feedback_read", customer)[-1].entry
    assert (event.customer_id, event.purpose, event.fields) == (customer, "billing", ())


def test_the_timeline_shows_an_answer_only_where_feedback_is_shown(container, personas) -> None:
    customer = a_customer(container, personas.agent)
    record(container, personas.agent, customer, csat=4, comment="well done")
    source = FeedbackTimeline(container.policy)
    with container.uow().reading() as uow:
        [entry] = source.entries(
            uow, customer, shown=frozenset({"feedback"}), before=None, limit=10
        )
        hidden = source.entries(uow, customer, shown=frozenset({"email"}), before=None, limit=10)
    assert entry.details == (("Score", "CSAT 4 of 5"), ("Comment", "well done"))
    assert entry.fields == frozenset({"feedback"})
    assert hidden == []
    assert source in container.timeline_sources or any(
        isinstance(s, FeedbackTimeline) for s in container.timeline_sources
    )
