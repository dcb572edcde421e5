"""Scanning the whole book fills the review queue with likely duplicate pairs, once."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from clientkeep.adapters.db.customer_tables import duplicate_suspect
from clientkeep.customers import review
from clientkeep.matching.book_scan import scan_book
from clientkeep.shared.actor import SYSTEM
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.customers.conftest import ADA, audit_events

GRACE = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.org",
    "phone": "07700 123423",
    "postcode": "EC1A 1BB",
    "date_of_birth": "1906-12-09",
}


def scan(container, persona=None, **options):
    return scan_book(
        uow_factory=container.uow,
        actor=persona.actor if persona else SYSTEM,
        policy=container.policy,
        clock=container.clock,
        **options,
    )


def queued_pairs(container, persona):
    queue = review.review_queue(
        uow=container.uow(), actor=persona.actor, policy=container.policy, clock=container.clock
    )
    return {frozenset((s.customer_id, s.other_id)): s.reasons for s in queue.duplicates}


def forget_suspects(container) -> None:
    """As a bulk import that skips the per-record check leaves the queue: empty."""
    with container.engine.begin() as conn:
        conn.execute(delete(duplicate_suspect))


@pytest.fixture
def book(register, personas, container):
    """Ada four times over (swapped names, a typo and a nickname-free copy with a new email),
    Grace twice (a new phone style, a new email domain), and two strangers who share a date
    of birth and postcode with Ada but not her name."""
    agent = personas.agent
    ada = register(agent).customer
    swapped = register(
        agent,
        {
            **ADA,
            "given_name": "Lovelace",
            "family_name": "Ada",
            "email": "al@example.net",
            "phone": "07700 123401",
        },
    ).customer
    typo = register(
        agent,
        {**ADA, "family_name": "Lovelcae", "email": "ada@example.net", "phone": "07700 123402"},
    ).customer
    grace = register(agent, GRACE).customer
    grace_again = register(
        agent, {**GRACE, "email": "grace@example.com", "phone": "+44 7700 123423"}
    ).customer
    for given, family, phone in (("Mary", "Shelley", "07700 123403"), ("Percy", "Bysshe", None)):
        stranger = {**ADA, "given_name": given, "family_name": family, "email": f"{given}@x.org"}
        if phone:
            stranger["phone"] = phone
        else:
            del stranger["phone"]
        register(agent, stranger)
    forget_suspects(container)
    grace_pair = (grace.id, grace_again.id)
    return {"ada": ada.id, "swapped": swapped.id, "typo": typo.id, "grace": grace_pair}


def test_likely_duplicates_reach_the_review_queue(book, container, personas) -> None:
    report = scan(container, personas.supervisor)
    queued = queued_pairs(container, personas.supervisor)
    ada, swapped, typo = book["ada"], book["swapped"], book["typo"]
    assert set(queued) == {
        frozenset((ada, swapped)),
        frozenset((ada, typo)),
        frozenset((swapped, typo)),
        frozenset(book["grace"]),
    }
    assert queued[frozenset(book["grace"])][0] == "same phone"
    assert "similar name and same date of birth" in queued[frozenset((ada, swapped))]
    assert report.suspects_recorded == report.suspects_found == len(report.found) == 4
    assert {frozenset((f.customer_id, f.other_id)) for f in report.found} == set(queued)
    assert all(f.new and f.score >= 80 for f in report.found)


def test_a_second_scan_records_nothing_again(book, container, personas) -> None:
    scan(container, personas.supervisor)
    again = scan(container, personas.supervisor)
    assert again.suspects_recorded == 0
    assert again.already_known == again.suspects_found == 4
    assert not any(f.new for f in again.found)
    assert len(queued_pairs(container, personas.supervisor)) == 4


def test_a_dismissed_pair_is_not_queued_again(book, container, personas) -> None:
    scan(container, personas.supervisor)
    grace = next(
        s
        for s in review.review_queue(
            uow=container.uow(),
            actor=personas.supervisor.actor,
            policy=container.policy,
            clock=container.clock,
        ).duplicates
        if s.customer_id in book["grace"]
    )
    review.dismiss_duplicate(
        grace.id,
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    scan(container, personas.supervisor)
    assert frozenset(book["grace"]) not in queued_pairs(container, personas.supervisor)


def test_small_batches_find_the_same_pairs_and_each_batch_is_audited(
    book, container, personas
) -> None:
    report = scan(container, batch=1)
    assert report.suspects_recorded == 4
    events = audit_events(container, "customer.duplicates_scanned")
    assert len(events) == report.batches > 4
    assert sum(int(e.entry.detail["suspects_recorded"]) for e in events) == 4
    assert all("Lovelace" not in str(e) and "Ada" not in str(e) for e in events)
    assert {k for e in events for k in e.entry.detail} == {
        "kind",
        "customers_opened",
        "pairs_compared",
        "suspects_recorded",
        "already_known",
        "groups_too_common",
    }


def test_a_value_shared_by_too_many_is_skipped_and_counted(book, container) -> None:
    report = scan(container, max_group=2)
    # Ada's three records share a date of birth and postcode with the two strangers.
    assert report.groups_too_common > 0
    assert frozenset(book["grace"]) in {
        frozenset((f.customer_id, f.other_id)) for f in report.found
    }


def test_merged_records_are_not_scanned(book, container, personas) -> None:
    from clientkeep.customers import merge as merging

    merging.merge(
        book["ada"],
        merging.MergeCustomers(duplicate_id=book["typo"], reason="same person", purpose="service"),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )
    forget_suspects(container)
    report = scan(container)
    assert all(book["typo"] not in (f.customer_id, f.other_id) for f in report.found)


def test_only_roles_that_work_the_review_queue_may_scan(container, personas) -> None:
    with pytest.raises(PermissionDenied):
        scan(container, personas.agent)
    with pytest.raises(InvalidInput):
        scan(container, personas.dpo, batch=0)
