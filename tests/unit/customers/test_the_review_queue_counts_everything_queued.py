"""The review queue says how many records are queued in all, not how many fit on a page."""

from __future__ import annotations

from datetime import timedelta

from clientkeep.customers import review


def people(n: int) -> list[dict[str, str]]:
    return [
        {"given_name": "Ada", "family_name": f"Tester{'x' * i}", "email": f"a{i}@example.com"}
        for i in range(n)
    ]


def test_a_full_page_is_counted_to_the_end_when_asked(
    uow, policy, clock, personas, register
) -> None:
    for fields in people(5):
        register(fields)
    clock.advance(timedelta(days=400))

    def queue(**extra):
        return review.review_queue(
            uow=uow, actor=personas.supervisor.actor, policy=policy, clock=clock, limit=2, **extra
        )

    counted = queue(count_all=True)
    assert (len(counted.stale), counted.stale_total) == (2, 5)
    # Not asked: a full page says only that there may be more.
    assert queue().stale_total is None


def test_a_page_that_is_not_full_is_the_whole_queue(uow, policy, clock, personas, register) -> None:
    for fields in people(3):
        register(fields)
    clock.advance(timedelta(days=400))
    queue = review.review_queue(
        uow=uow, actor=personas.supervisor.actor, policy=policy, clock=clock, limit=10
    )
    assert (len(queue.stale), queue.stale_total, queue.duplicates_total) == (3, 3, 0)
