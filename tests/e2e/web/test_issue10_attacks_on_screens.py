"""Attacks on the caller-facing screens issue 10 added: the History tab of a caller-facing
purpose showed every old and new value of the details the Details tab hides until the caller
is verified (so an unverified caller could be read their email or date of birth off it); a
reveal on the Edit tab never shows more than the role, the purpose or a representative's
scope allows; and ids holding U+0000 in a page's path are a 422, not a 500."""

from __future__ import annotations

import pytest

from clientkeep.verification import representatives as reps
from clientkeep.verification import services as verification
from tests.e2e.web.test_representatives_screens import ada
from tests.integration.record_kinds._storage import audit_events

__all__ = ["ada"]  # the fixture, used by name below

HIDDEN_VALUES = ("ada@example.com", "SW1A 1AA", "1979", "7946 0018")
THEIRS = {"date_of_birth": "1961-07-02", "postcode": "YO31 7QZ"}


def _run(use_case, *args, container, persona, **kwargs):
    return use_case(
        *args,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        **kwargs,
    )


def verify_customer(container, personas, customer_id) -> None:
    done = _run(
        verification.check_knowledge,
        customer_id,
        verification.KnowledgeCheck(
            answers={"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}
        ),
        container=container,
        persona=personas.agent,
    )
    assert done.verified


def verify_representative(container, personas, customer_id, scope=("email",)) -> None:
    rep_id = _run(
        reps.record_representative,
        customer_id,
        reps.RecordRepresentative(
            name="Ann Other",
            relationship="daughter",
            authority="deputyship",
            reference="",
            evidence_seen="the court order",
            scope_fields=list(scope),
            scope_actions=["disclose"],
            answers=THEIRS,
        ),
        container=container,
        persona=personas.agent,
    ).representative_id
    _run(
        reps.decide,
        customer_id,
        rep_id,
        reps.Decide(decision="approve", reason="order checked"),
        container=container,
        persona=personas.supervisor,
    )
    done = _run(
        reps.check_representative,
        customer_id,
        reps.RepresentativeCheck(representative_id=rep_id, answers=THEIRS),
        container=container,
        persona=personas.agent,
    )
    assert done.verified


def test_the_history_tab_hides_what_the_details_tab_hides(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    page = agent.get(f"/customers/{ada}/history?purpose=service")
    assert page.status_code == 200, page.text
    for value in HIDDEN_VALUES:
        assert value not in page.text, value
    assert "Lovelace" in page.text  # names are not hidden: their changes are listed
    assert 'id="history-hidden"' in page.text
    [read] = audit_events(container, "customer.history_read", ada)
    assert "email" not in read.entry.fields and "family_name" in read.entry.fields
    # A purpose that hides nothing lists every change it shows.
    supervisor = signed_in("supervisor")
    marketing = supervisor.get(f"/customers/{ada}/history?purpose=marketing")
    assert "ada@example.com" in marketing.text and 'id="history-hidden"' not in marketing.text


def test_the_history_tab_shows_them_once_the_caller_is_verified(
    signed_in, ada, container, personas
) -> None:
    agent = signed_in("agent")
    verify_customer(container, personas, ada)
    page = agent.get(f"/customers/{ada}/history?purpose=service")
    for value in HIDDEN_VALUES:
        assert value in page.text, value
    assert 'id="history-hidden"' not in page.text


def test_a_representative_on_the_line_unhides_only_their_scope_in_the_history(
    signed_in, ada, container, personas
) -> None:
    agent = signed_in("agent")
    verify_representative(container, personas, ada)
    page = agent.get(f"/customers/{ada}/history?purpose=service")
    assert "ada@example.com" in page.text
    for value in ("SW1A 1AA", "1979", "7946 0018"):
        assert value not in page.text, value
    # Nor does a reveal, with someone on the line, on the history or the edit form.
    for url in (
        f"/customers/{ada}/history?purpose=service&reveal=other",
        f"/customers/{ada}/edit?purpose=service&reveal=other",
    ):
        got = agent.get(url)
        assert got.status_code == 200, got.text
        for value in ("SW1A 1AA", "1979", "7946 0018"):
            assert value not in got.text, (url, value)
    assert audit_events(container, "customer.revealed", ada) == []


def test_a_reveal_on_the_history_tab_shows_them_and_is_recorded(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    page = agent.get(f"/customers/{ada}/history?purpose=service&reveal=returned_post")
    assert page.status_code == 200
    assert "ada@example.com" in page.text and 'id="history-hidden"' not in page.text
    [revealed] = audit_events(container, "customer.revealed", ada)
    assert revealed.entry.detail["reason"] == "returned_post"
    refused = agent.get(f"/customers/{ada}/history?purpose=service&reveal=because")
    assert refused.status_code == 422 and "ada@example.com" not in refused.text


def test_a_reveal_never_shows_what_the_purpose_or_role_does_not(signed_in, ada) -> None:
    agent = signed_in("agent")
    # Billing has no phone and no date of birth; the agent may not use marketing at all.
    billing = agent.get(f"/customers/{ada}/edit?purpose=billing&reveal=other")
    assert billing.status_code == 200 and "ada@example.com" in billing.text
    assert "7946 0018" not in billing.text and "1979" not in billing.text
    for url in (
        f"/customers/{ada}/edit?purpose=marketing&reveal=other",
        f"/customers/{ada}/history?purpose=identity_verification&reveal=other",
    ):
        got = agent.get(url)
        for value in HIDDEN_VALUES:
            assert value not in got.text, (url, value)


@pytest.mark.parametrize(
    "path",
    [
        "/customers/%00?purpose=service",
        "/customers/%00/edit",
        "/customers/%00/history",
        "/customers/%00/representatives",
        "/customers/%00/third-party-requests/new",
        "/third-party-requests/%00",
        "/customers/{ada}/disclosures/%00/letter",
    ],
)
def test_a_nul_character_in_a_pages_path_is_refused_not_a_server_error(
    signed_in, ada, path
) -> None:
    got = signed_in("supervisor").get(path.format(ada=ada))
    # PostgreSQL refuses the character (422); SQLite finds no such record (404).
    assert got.status_code in (404, 422), got.text
