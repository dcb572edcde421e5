"""The edit form asks "Who asked for this change?": the caller, offered only while this
member's verification of them is valid (its id posted with the form), or an internal
correction with where it came from. Without a valid verification the caller's option is a
link to verify them; a caller's change on a lapsed or someone else's verification is refused
with the form back and nothing saved; an unanswered choice is named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.verification import services as verification
from tests.e2e.web.conftest import csrf_of
from tests.integration.record_kinds._storage import audit_events

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
    "town": "London",
}
RIGHT = {"date_of_birth": "14/03/1979", "postcode": "sw1a1aa"}


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=ADA, source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def verify(container, persona, customer_id) -> str:
    done = verification.check_knowledge(
        customer_id,
        verification.KnowledgeCheck(answers=RIGHT),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert done.verification_id is not None
    return done.verification_id


def edit_page(client, customer_id) -> str:
    page = client.get(f"/customers/{customer_id}/edit?purpose=service")
    assert page.status_code == 200
    return page.text


def post(client, customer_id, form: str, **data):
    return client.post(
        f"/customers/{customer_id}/edit",
        data={"csrf_token": csrf_of(form), "purpose": "service", "field_town": "Leeds"}
        | {"original_town": "London", "reason": "moved"}
        | data,
        follow_redirects=False,
    )


def town_of(container, customer_id) -> str | None:
    with container.uow().reading() as uow:
        found = uow.customers.get(customer_id)
    assert found is not None
    return found.value("town")


def updates(container, customer_id) -> list:
    return [e.entry for e in audit_events(container, "customer.updated", customer_id)]


def test_without_a_verification_the_caller_is_not_offered_but_a_link_to_verify_is(
    signed_in, ada
) -> None:
    form = edit_page(signed_in("agent"), ada)
    assert 'id="asked_by_caller"' not in form and 'name="verification_id"' not in form
    assert f'href="/customers/{ada}/verify?purpose=service"' in form
    assert "<legend>Who asked for this change?</legend>" in form
    assert 'id="asked_by_internal"' in form
    for source in ("returned_post", "internal_records", "post", "email", "import"):
        assert f'<option value="{source}"' in form
    select = re.search(r'<select id="source".*?</select>', form, re.S).group(0)
    for channel in ("phone", "in_person", "web"):
        assert f'value="{channel}"' not in select


def test_a_verified_callers_change_posts_the_verification_and_the_trail_names_it(
    signed_in, ada, container, personas
) -> None:
    agent = signed_in("agent")
    ver = verify(container, personas.agent, ada)
    form = edit_page(agent, ada)
    assert f'name="verification_id" value="{ver}"' in form
    label = re.search(r'<label for="asked_by_caller">([^<]+)</label>', form).group(1)
    assert re.fullmatch(
        r"The caller, whom I verified at \d\d:\d\d UTC \(valid until \d\d:\d\d UTC\)", label
    )
    saved = post(agent, ada, form, asked_by="caller", verification_id=ver, caller_source="phone")
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=updated")
    assert town_of(container, ada) == "Leeds"
    [event] = updates(container, ada)
    assert event.detail["verification_id"] == ver and event.detail["source"] == "phone"


def test_a_lapsed_or_another_members_verification_is_refused_and_nothing_is_saved(
    signed_in, ada, container, personas
) -> None:
    agent = signed_in("agent")
    theirs = verify(container, personas.supervisor, ada)
    form = edit_page(agent, ada)
    assert 'id="asked_by_caller"' not in form  # the supervisor's check proves nothing to me
    forged = post(agent, ada, form, asked_by="caller", verification_id=theirs)
    assert forged.status_code == 403
    assert 'id="asked_by-error"' in forged.text and "verify the caller again" in forged.text
    assert 'value="Leeds"' in forged.text and 'value="moved"' in forged.text

    ver = verify(container, personas.agent, ada)
    form = edit_page(agent, ada)
    container.clock.advance(timedelta(minutes=15))
    lapsed = post(agent, ada, form, asked_by="caller", verification_id=ver)
    assert lapsed.status_code == 403 and 'id="asked_by-error"' in lapsed.text
    # Its verification has lapsed: the form no longer offers the caller, but the way to verify.
    assert 'id="asked_by_caller"' not in lapsed.text
    assert f'href="/customers/{ada}/verify?purpose=service"' in lapsed.text
    assert town_of(container, ada) == "London"
    assert [e.outcome for e in updates(container, ada)] == ["denied", "denied"]


def test_an_internal_correction_says_where_it_came_from(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    form = edit_page(agent, ada)
    missing = post(agent, ada, form, asked_by="internal")
    assert missing.status_code == 422
    assert 'id="source-error"' in missing.text and 'aria-describedby="source-error"' in missing.text
    assert 'href="#source"' in missing.text
    posing = post(agent, ada, form, asked_by="internal", source="phone")  # not on the form
    assert posing.status_code == 422 and 'id="source-error"' in posing.text
    assert town_of(container, ada) == "London"
    saved = post(agent, ada, form, asked_by="internal", source="returned_post")
    assert saved.status_code == 303
    assert town_of(container, ada) == "Leeds"
    [event] = updates(container, ada)
    assert event.detail == {"unchanged": 0, "source": "returned_post"}


def test_an_unanswered_choice_is_named_and_nothing_is_saved(signed_in, ada, container) -> None:
    agent = signed_in("agent")
    form = edit_page(agent, ada)
    unanswered = post(agent, ada, form, source="returned_post")
    assert unanswered.status_code == 422
    assert 'id="asked_by-error"' in unanswered.text
    assert 'href="#asked_by_internal"' in unanswered.text
    assert 'aria-describedby="asked_by-error"' in unanswered.text
    assert town_of(container, ada) == "London"
    assert updates(container, ada) == []
