"""With a representative verified on the line, the customer page shows the details of their
scope and keeps the rest hidden (no reveal offered: someone is on the line), and "Tell the
caller" offers only their scope; the written reply of what they were told is a letter, never
an email to the customer's address."""

from __future__ import annotations

from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.test_representatives_screens import ADD, ada, page_of, post

__all__ = ["ada"]  # the fixture, used by name below


def approved_and_verified(signed_in, ada, container):
    agent, supervisor = signed_in("agent"), signed_in("supervisor")
    made = post(agent, f"/customers/{ada}/representatives", ADD, page_of(agent, ada))
    assert made.status_code == 303
    with container.uow().reading() as uow:
        [rep] = uow.representatives.for_customer(ada)
    decided = post(
        supervisor,
        f"/customers/{ada}/representatives/{rep.id}/decision",
        {"purpose": "service", "decision": "approve", "reason": "LPA checked with the OPG"},
        page_of(supervisor, ada),
    )
    assert decided.status_code == 303
    passed = post(
        agent,
        f"/customers/{ada}/representatives/{rep.id}/verify",
        {"purpose": "service", "answer_date_of_birth": "02/07/1961", "answer_postcode": "yo31 7qz"},
        page_of(agent, ada),
    )
    assert passed.headers["location"] == f"/customers/{ada}/tell?purpose=service"
    return agent


def test_the_page_and_the_tell_form_keep_to_the_scope(signed_in, ada, container) -> None:
    agent = approved_and_verified(signed_in, ada, container)
    shown = agent.get(f"/customers/{ada}?purpose=service")
    assert shown.status_code == 200
    assert "Representative verified" in shown.text
    assert "ada@example.com" in shown.text  # their scope: email
    assert "020 7946 0018" not in shown.text and "SW1A 1AA" not in shown.text
    assert "outside the representative's scope" in shown.text
    assert 'action="/customers/' + ada + '/reveal"' not in shown.text

    tell = agent.get(f"/customers/{ada}/tell?purpose=service")
    assert 'id="tell_email"' in tell.text
    assert 'id="tell_phone"' not in tell.text and 'id="tell_postcode"' not in tell.text

    told = agent.post(
        f"/customers/{ada}/disclosures",
        data={
            "csrf_token": csrf_of(tell.text),
            "purpose": "service",
            "verification_id": _verification_in(tell.text),
            "field": ["email"],
            "channel": "email",
            "recipient": "Byron Lovelace, her attorney",
        },
        follow_redirects=True,
    )
    assert told.status_code == 200, told.text
    assert "ada@example.com" in told.text
    assert 'id="reply-letter"' in told.text and 'id="reply-email"' not in told.text
    letter = agent.get(told.url.path + "/letter?purpose=service")
    assert letter.status_code == 200
    assert "Email address: ada@example.com" in letter.text
    assert "020 7946 0018" not in letter.text


def _verification_in(html: str) -> str:
    marker = 'name="verification_id" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]
