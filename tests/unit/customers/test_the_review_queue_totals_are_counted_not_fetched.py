"""The review queue's totals come from the store's counts: a full page is counted to the end
without fetching every stale id or open suspect into memory."""

from __future__ import annotations

from datetime import timedelta

from clientkeep.customers import review
from clientkeep.customers.ports import DuplicateSuspect


def test_a_full_page_is_counted_by_the_store_not_by_fetching_everything(
    uow, policy, clock, personas, register
) -> None:
    made = [
        register({"given_name": "Ada", "family_name": "T" + "x" * n, "email": f"a{n}@example.com"})
        for n in range(5)
    ]
    for n in range(3):
        uow.duplicates.add(
            DuplicateSuspect(
                f"dup_{n}", made[n].customer.id, made[4].customer.id, ("same name",), clock.now()
            )
        )
    clock.advance(timedelta(days=400))
    asked: list[int] = []
    fetch_stale, fetch_open = uow.customers.stale_candidates, uow.duplicates.open

    def stale_candidates(cutoffs, *, limit):
        asked.append(limit)
        return fetch_stale(cutoffs, limit=limit)

    def open_suspects(*, limit):
        asked.append(limit)
        return fetch_open(limit=limit)

    uow.customers.stale_candidates = stale_candidates
    uow.duplicates.open = open_suspects
    queue = review.review_queue(
        uow=uow,
        actor=personas.supervisor.actor,
        policy=policy,
        clock=clock,
        limit=2,
        count_all=True,
    )
    assert (queue.stale_total, queue.duplicates_total) == (5, 3)
    assert (len(queue.stale), len(queue.duplicates)) == (2, 2)
    assert asked == [2, 2]  # only the page was fetched


def test_the_counts_agree_with_what_the_unlimited_queries_would_find(
    uow, policy, clock, register
) -> None:
    for n in range(4):
        register({"given_name": "Ada", "family_name": "T" + "x" * n, "email": f"b{n}@example.com"})
    clock.advance(timedelta(days=400))
    register({"given_name": "Bo", "family_name": "Fresh", "email": "fresh@example.com"})
    cutoffs = {n: clock.now() - timedelta(days=365) for n in ("email", "given_name")}
    assert uow.customers.count_stale(cutoffs) == len(
        uow.customers.stale_candidates(cutoffs, limit=100)
    )
    assert uow.customers.count_stale(cutoffs) == 4
    assert uow.duplicates.count_open() == len(uow.duplicates.open(limit=100))
