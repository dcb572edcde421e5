"""A purpose that does not use a kind of value may not search by it, nor may a role act under
a purpose it is not given: each refusal is recorded as a denied search."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.matching import search
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.unit.conftest import ADA


def find(uow, policy, persona, kind, text, purpose):
    return search.search(
        search.SearchQuery(purpose=purpose, kind=kind, text=text),
        uow=uow,
        actor=persona.actor,
        policy=policy,
    )


@pytest.mark.parametrize(
    ("who", "kind", "text", "purpose"),
    [
        ("agent", "phone", "020 7946 0018", "billing"),  # billing holds no phone numbers
        ("agent", "any", "020 7946 0018", "billing"),  # nor by guessing what was typed
        ("agent", "email", "ada.lovelace@example.com", "identity_verification"),
        ("agent", "email", "ada.lovelace@example.com", "marketing"),  # not an agent's
        ("admin", "email", "ada.lovelace@example.com", "service"),
    ],
)
def test_the_search_is_refused_and_recorded_as_denied(
    uow, policy, personas, register, who, kind, text, purpose
) -> None:
    register(ADA)
    since = len(uow.audit.events)
    with pytest.raises(PermissionDenied):
        find(uow, policy, getattr(personas, who), kind, text, purpose)
    (event,) = uow.audit.events[since:]
    assert (event.entry.action, event.entry.outcome) == ("customer.searched", Outcome.DENIED)
    assert event.entry.purpose == purpose
    assert event.entry.customer_id is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [("shoe_size", "5"), ("email", "   "), ("reference", "not a reference")],
)
def test_a_search_that_makes_no_sense_is_invalid_and_unrecorded(
    uow, policy, personas, kind, text
) -> None:
    with pytest.raises(InvalidInput):
        find(uow, policy, personas.agent, kind, text, "service")
    assert uow.audit.events == []
