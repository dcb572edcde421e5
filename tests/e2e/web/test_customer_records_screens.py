"""The customer screens over plain HTTP: search by POST, purpose-limited pages, inline form
errors, reasons for corrections, history, the review queue and merging."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web._merging import digest_of
from tests.e2e.web._reveal import revealed
from tests.e2e.web.conftest import csrf_of

ADA = {
    "field_given_name": "Ada",
    "field_family_name": "Lovelace",
    "field_email": "ada@example.com",
    "field_phone": "020 7946 0018",
    "field_postcode": "sw1a 1aa",
    "field_address_line1": "12 Example Street",
    "field_town": "London",
}


def add(client, fields=None, **extra):
    token = csrf_of(client.get("/customers/new").text)
    data = {
        "csrf_token": token,
        "purpose": "service",
        "source": "phone",
        **(fields or ADA),
        **extra,
    }
    return client.post("/customers/new", data=data)


def customer_id_in(html: str) -> str:
    return re.search(r'action="/customers/(cus_[a-z0-9]+)/confirm"', html).group(1)


def test_the_search_form_posts_and_no_personal_value_reaches_a_url(signed_in) -> None:
    agent = signed_in("agent")
    add(agent)
    page = agent.get("/customers")
    assert 'method="post" action="/customers/search"' in page.text
    found = agent.post(
        "/customers/search",
        data={"query": "(020) 7946-0018", "purpose": "service", "csrf_token": csrf_of(page.text)},
    )
    assert found.status_code == 200
    assert "Ada Lovelace" in found.text and "SW1A" in found.text
    hrefs = re.findall(r'href="([^"]+)"', found.text)
    assert not [h for h in hrefs if "7946" in h or "lovelace" in h.lower() or "sw1a" in h.lower()]


def test_a_new_customer_is_saved_and_shown_for_the_purpose(signed_in) -> None:
    agent = signed_in("agent")
    response = add(agent)
    # POST/redirect/GET: the save answers 303 to the record, so a reload only reads it again.
    assert [r.status_code for r in response.history] == [303]
    assert response.status_code == 200 and "done=saved" in str(response.url)
    assert "Done: saved." in response.text
    cid = customer_id_in(response.text)
    # Read away from the phone: the details the caller-facing purposes hide are shown.
    service = revealed(agent, cid)
    assert "SW1A 1AA" in service and "020 7946 0018" in service
    billing = revealed(agent, cid, "billing")
    assert "SW1A 1AA" in billing
    assert "020 7946 0018" not in billing  # billing does not use the phone


def test_form_errors_are_inline_and_nothing_is_saved(signed_in, container) -> None:
    agent = signed_in("agent")
    response = add(agent, {**ADA, "field_postcode": "NOT A POSTCODE", "field_email": "nope"})
    assert response.status_code == 422
    assert 'id="field_postcode-error"' in response.text
    assert 'href="#field_email"' in response.text
    assert 'aria-invalid="true"' in response.text
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "ada@example.com")]) == []


def test_a_possible_duplicate_is_shown_before_saving(signed_in, container) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    twin = {**ADA, "field_email": "other@example.com"}
    warned = add(agent, twin)
    assert warned.status_code == 200
    assert "may already be on file" in warned.text and f"/customers/{first}?" in warned.text
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "other@example.com")]) == []
    saved = add(agent, twin, save_anyway="yes")
    assert [r.status_code for r in saved.history] == [303]
    assert "may be the same person as a record already on file" in saved.text


def test_an_agent_never_sees_special_category_fields(signed_in) -> None:
    assert "Accessibility needs" not in signed_in("agent").get("/customers/new").text
    assert "Accessibility needs" in signed_in("supervisor").get("/customers/new").text


def test_the_admin_cannot_reach_customer_screens(signed_in) -> None:
    admin = signed_in("admin")
    assert admin.get("/customers").status_code == 403
    assert admin.get("/customers/new").status_code == 403


def test_a_correction_needs_a_reason_and_shows_in_the_history(signed_in) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    form = agent.get(f"/customers/{cid}/edit?purpose=service").text
    data = {
        "csrf_token": csrf_of(form),
        "purpose": "service",
        "asked_by": "internal",
        "source": "returned_post",
        "field_town": "Leeds",
        "original_town": "London",
        "reason": "",
    }
    missing = agent.post(f"/customers/{cid}/edit", data=data)
    assert missing.status_code == 422 and 'id="reason-error"' in missing.text
    saved = agent.post(f"/customers/{cid}/edit", data={**data, "reason": "moved north"})
    assert saved.status_code == 200 and "Done: updated." in saved.text
    assert "Leeds" in revealed(agent, cid)
    history = agent.get(
        f"/customers/{cid}/history?purpose=service&reveal=back_office_correction"
    ).text
    assert "London" in history and "Leeds" in history and "moved north" in history


def test_confirming_details_is_recorded(signed_in) -> None:
    agent = signed_in("agent")
    page = add(agent)
    cid = customer_id_in(page.text)
    done = agent.post(
        f"/customers/{cid}/confirm",
        data={
            "csrf_token": csrf_of(page.text),
            "purpose": "service",
            "method": "phone",
            "fields": ["email", "phone"],
        },
    )
    assert done.status_code == 200 and "Done: confirmed" in done.text


@pytest.mark.parametrize("path", ["/customers/new", "/customers/search"])
def test_posts_without_the_csrf_token_are_refused(signed_in, container, path) -> None:
    agent = signed_in("agent")
    response = agent.post(path, data={**ADA, "purpose": "service", "query": "Ada"})
    assert response.status_code == 403
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "ada@example.com")]) == []


def test_a_supervisor_works_the_queue_and_merges(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    supervisor = signed_in("supervisor")
    queue = supervisor.get("/review").text
    assert f"/customers/{first}/merge?duplicate_id={second}" in queue
    chosen = supervisor.get(f"/customers/{first}/merge?duplicate_id={second}&survivor_id={first}")
    assert chosen.url.path == f"/customers/{first}/merge/preview"
    form = supervisor.get(
        f"/customers/{first}/merge/preview?duplicate_id={second}&keep_email=duplicate"
    ).text
    merged = supervisor.post(
        f"/customers/{first}/merge",
        data={
            "csrf_token": csrf_of(form),
            "duplicate_id": second,
            "reason": "same person",
            "keep_email": "duplicate",
            "preview_digest": digest_of(form),
        },
    )
    assert merged.status_code == 200 and "Done: merged." in merged.text
    assert "other@example.com" in revealed(supervisor, first)
    assert "None." in supervisor.get("/review").text
    assert agent.get(f"/customers/{second}?purpose=service").status_code == 404


def test_customer_pages_are_never_cached(signed_in) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    for path in (f"/customers/{cid}?purpose=service", f"/customers/{cid}/history"):
        assert agent.get(path).headers["cache-control"] == "no-store"
