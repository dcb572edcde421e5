"""The third-party request screens hold the line without a browser: the queue is only for
members holding disclosures.approve, the recorder gets no decision form and a decision posted
anyway is refused, a bad form answers 422 with nothing saved, and a request that is not
approved discloses nothing."""

from __future__ import annotations

from clientkeep.verification import third_party
from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada

__all__ = ["ada"]  # the fixture, used by name below


def _recorded(container, personas, customer_id, persona) -> str:
    return third_party.record_request(
        customer_id,
        third_party.RecordRequest(
            requester="Ms Jo Example",
            organisation="Example Council",
            identity_check="called back on the council's published number",
            basis="public_body_request",
            reference="",
            reason="a council tax account",
            fields=["email"],
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    ).id


def test_the_queue_is_only_for_members_who_decide(signed_in) -> None:
    assert signed_in("agent").get("/third-party-requests").status_code == 403
    assert signed_in("supervisor").get("/third-party-requests").status_code == 200


def test_the_recorder_cannot_decide_and_nothing_is_disclosed_before_approval(
    signed_in, container, personas, ada
) -> None:
    request_id = _recorded(container, personas, ada, personas.supervisor)
    web = signed_in("supervisor")
    page = web.get(f"/third-party-requests/{request_id}")
    assert page.status_code == 200 and "Record the decision" not in page.text
    token = csrf_of(page.text)
    own = web.post(
        f"/third-party-requests/{request_id}/decision",
        data={"csrf_token": token, "decision": "approve", "reason": "mine", "field": "email"},
    )
    assert own.status_code == 403
    early = web.post(
        f"/third-party-requests/{request_id}/disclose",
        data={"csrf_token": token, "channel": "email", "recipient": "Ms Jo Example"},
    )
    assert early.status_code == 403 and "ada@example.com" not in early.text
    with container.uow().reading() as uow:
        assert uow.disclosures.for_customer(ada) == []
        assert uow.third_party_requests.get(request_id).status == "pending"


def test_a_bad_form_is_422_and_saves_nothing(signed_in, container, ada) -> None:
    web = signed_in("agent")
    page = web.get(f"/customers/{ada}/third-party-requests/new?purpose=service")
    assert page.status_code == 200
    bad = web.post(
        f"/customers/{ada}/third-party-requests",
        data={"csrf_token": csrf_of(page.text), "purpose": "service", "requester": "x"},
    )
    assert bad.status_code == 422
    assert "There is a problem; nothing was saved." in bad.text
    assert 'href="#organisation"' in bad.text
    with container.uow().reading() as uow:
        assert uow.third_party_requests.for_customer(ada) == []
