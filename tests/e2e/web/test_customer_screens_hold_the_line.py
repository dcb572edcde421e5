"""The customer screens where it matters most: no POST without its token, no personal value in
a URL, nothing cached, special-category data only with consent and only for roles that may see
it, and forms that give back everything staff typed when they report a problem."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web._merging import confirmation_of
from tests.e2e.web._reveal import revealed
from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.test_customer_records_screens import ADA, add, customer_id_in

# Anything that would identify Ada if it reached an address bar, a server log or a Referer.
PERSONAL = ("ada", "lovelace", "example.com", "7946", "0018", "sw1a", "london", "street")


def personal_in_urls(response) -> list[str]:
    """Every href, form action and Location header of a response that carries a personal value."""
    urls = re.findall(r'(?:href|action)="([^"]*)"', response.text)
    urls.append(response.headers.get("location", ""))
    return [u for u in urls if any(p in u.lower() for p in PERSONAL)]


def history_of(client, cid: str) -> str:
    return client.get(f"/customers/{cid}/history?purpose=service").text


def last_confirmed(client, cid: str, label: str) -> str:
    """The "Last confirmed" cell of one detail on the customer page, read away from the phone
    (so the details hidden until the caller is verified are shown)."""
    page = revealed(client, cid)
    row = re.search(rf'<th scope="row">{label}</th>.*?</tr>', page, re.S)
    assert row, f"no {label} row"
    return row.group(0)


def ticked(html: str, element_id: str) -> bool:
    """Whether the checkbox or radio button with this id is shown ticked."""
    tag = re.search(rf'<input[^>]*\bid="{element_id}"[^>]*>', html)
    assert tag, f"no input {element_id}"
    return re.search(r"\schecked\b", tag.group(0)) is not None


def summary_targets(html: str) -> list[str]:
    """Where each link in the error summary leads; each must be one element on the page."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    targets = re.findall(r'<a href="#([^"]+)"', summary.group(0))
    assert targets, "an error summary with no links"
    for target in targets:
        assert html.count(f'id="{target}"') == 1, target
    return targets


def test_no_personal_value_reaches_a_url_anywhere_in_a_working_day(signed_in) -> None:
    agent = signed_in("agent")
    saved = add(agent)
    cid = customer_id_in(saved.text)
    token = csrf_of(saved.text)
    twin = add(agent, {**ADA, "field_email": "a.lovelace@example.org"}, save_anyway="yes")
    responses = [
        saved,
        twin,
        agent.post(
            "/customers/search",
            data={"query": "ada@example.com", "purpose": "service", "csrf_token": token},
        ),
        agent.post(
            f"/customers/{cid}/edit",
            data={"csrf_token": token, "purpose": "service", "field_town": "Leeds"}
            | {"original_town": "London", "reason": "moved"}
            | {"asked_by": "internal", "source": "internal_records"},
            follow_redirects=False,
        ),
        agent.post(
            f"/customers/{cid}/confirm",
            data={"csrf_token": token, "purpose": "service", "method": "phone"}
            | {"fields": ["email"]},
            follow_redirects=False,
        ),
        agent.get(f"/customers/{cid}?purpose=service"),
        agent.get(f"/customers/{cid}/edit?purpose=service"),
        agent.get(f"/customers/{cid}/history?purpose=service"),
        signed_in("supervisor").get("/review"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 303, 303, 200, 200, 200, 200]
    # Both saves went by a 303 to the record's address, which holds only its id.
    assert [r.status_code for r in saved.history + twin.history] == [303, 303]
    assert [u for r in responses + saved.history + twin.history for u in personal_in_urls(r)] == []


@pytest.mark.parametrize(
    "path", ["/customers", "/customers/new", "/customers/{cid}/edit", "/customers/{cid}"]
)
def test_every_customer_screen_is_sent_with_no_store(signed_in, path) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    assert agent.get(path.format(cid=cid)).headers["cache-control"] == "no-store"


def test_search_results_review_queue_and_merge_page_are_not_cached_either(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    found = agent.post(
        "/customers/search",
        data={"query": "Ada Lovelace", "purpose": "service"}
        | {"csrf_token": csrf_of(agent.get("/customers").text)},
    )
    supervisor = signed_in("supervisor")
    for response in (
        found,
        supervisor.get("/review"),
        supervisor.get(f"/customers/{first}/merge?duplicate_id={second}"),
    ):
        assert response.headers["cache-control"] == "no-store"


def test_changing_posts_without_the_token_are_refused_and_change_nothing(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    supervisor = signed_in("supervisor")
    queue = supervisor.get("/review").text
    suspect = re.search(r'action="/review/duplicates/([^/]+)/dismiss"', queue).group(1)
    before = history_of(agent, first)
    refused = [
        agent.post(
            f"/customers/{first}/edit",
            data={"purpose": "service", "field_town": "Leeds", "reason": "moved"},
        ),
        agent.post(
            f"/customers/{first}/confirm",
            data={"purpose": "service", "method": "phone", "fields": ["email"]},
        ),
        supervisor.post(
            f"/customers/{first}/merge", data={"duplicate_id": second, "reason": "same"}
        ),
        supervisor.post(f"/review/duplicates/{suspect}/dismiss", data={}),
        # A token from another session is no better than none.
        agent.post(
            f"/customers/{first}/edit",
            data={"csrf_token": csrf_of(queue), "purpose": "service", "field_town": "Leeds"}
            | {"reason": "moved"},
        ),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert history_of(agent, first) == before
    assert "never confirmed" in last_confirmed(agent, first, "Email address")
    assert agent.get(f"/customers/{second}?purpose=service").status_code == 200
    assert f"/review/duplicates/{suspect}/dismiss" in supervisor.get("/review").text


def test_special_category_data_needs_explicit_consent_and_agents_never_see_it(
    signed_in, container
) -> None:
    supervisor = signed_in("supervisor")
    needs = {**ADA, "field_accessibility_needs": "Large print letters"}
    refused = add(supervisor, needs)
    assert refused.status_code == 422
    assert 'id="field_accessibility_needs-error"' in refused.text
    assert 'href="#field_accessibility_needs"' in refused.text
    assert "Large print letters" in refused.text  # what was typed comes back
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "ada@example.com")]) == []
    saved = add(supervisor, needs, consent_accessibility_needs="yes")
    assert saved.history[0].status_code == 303 and "Large print letters" in saved.text
    cid = customer_id_in(saved.text)
    agent = signed_in("agent")
    for path in ("", "/edit", "/history"):
        page = agent.get(f"/customers/{cid}{path}?purpose=service")
        assert page.status_code == 200
        assert "Large print" not in page.text and "Accessibility needs" not in page.text


def test_who_may_reach_which_screen(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    admin = signed_in("admin")
    assert admin.get(f"/customers/{first}?purpose=service").status_code == 403
    assert admin.get("/review").status_code == 403
    assert agent.get("/review").status_code == 403
    assert agent.get(f"/customers/{first}/merge?duplicate_id={second}").status_code == 403
    dpo = signed_in("dpo")
    assert dpo.get("/review").status_code == 200


def test_a_merge_without_a_reason_is_refused_on_the_form_and_merges_nothing(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    supervisor = signed_in("supervisor")
    form = supervisor.get(f"/customers/{first}/merge?duplicate_id={second}").text
    refused = supervisor.post(
        f"/customers/{first}/merge",
        data={"csrf_token": csrf_of(form), "duplicate_id": second, "reason": ""},
    )
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert agent.get(f"/customers/{second}?purpose=service").status_code == 200


def test_not_a_duplicate_takes_the_pair_off_the_queue(signed_in) -> None:
    agent = signed_in("agent")
    add(agent)
    add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes")
    supervisor = signed_in("supervisor")
    queue = supervisor.get("/review").text
    suspect = re.search(r'action="/review/duplicates/([^/]+)/dismiss"', queue).group(1)
    done = supervisor.post(
        f"/review/duplicates/{suspect}/dismiss", data={"csrf_token": csrf_of(queue)}
    )
    assert done.status_code == 200 and "Done: dismissed" in done.text
    assert "Suspected duplicates (0)" in done.text


# Forms give back everything staff ticked, as well as everything they typed.


def test_the_read_back_tick_survives_an_inline_error(signed_in) -> None:
    agent = signed_in("agent")
    again = add(agent, {**ADA, "field_postcode": "NOT A POSTCODE"}, confirmed="yes")
    assert again.status_code == 422
    assert ticked(again.text, "confirmed")
    assert not ticked(add(agent, {**ADA, "field_postcode": "NOT A POSTCODE"}).text, "confirmed")


def test_a_remove_tick_survives_an_inline_error(signed_in) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    form = agent.get(f"/customers/{cid}/edit?purpose=service").text
    again = agent.post(
        f"/customers/{cid}/edit",
        data={"csrf_token": csrf_of(form), "purpose": "service", "remove_address_line1": "yes"}
        | {"original_address_line1": "12 Example Street", "original_town": "London"}
        | {"reason": "", "asked_by": "internal", "source": "internal_records"},
    )
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    assert ticked(again.text, "remove_address_line1")
    assert not ticked(again.text, "remove_town")
    assert "12 Example Street" in revealed(agent, cid)


def test_a_consent_tick_survives_an_inline_error_on_the_edit_form(signed_in) -> None:
    supervisor = signed_in("supervisor")
    cid = customer_id_in(add(supervisor).text)
    form = supervisor.get(f"/customers/{cid}/edit?purpose=service").text
    again = supervisor.post(
        f"/customers/{cid}/edit",
        data={"csrf_token": csrf_of(form), "purpose": "service", "reason": ""}
        | {"field_accessibility_needs": "Large print", "consent_accessibility_needs": "yes"}
        | {"asked_by": "internal", "source": "internal_records"},
    )
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    assert ticked(again.text, "consent_accessibility_needs")
    assert "Large print" in again.text


def test_a_merge_choice_survives_an_inline_error(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    second = customer_id_in(
        add(agent, {**ADA, "field_email": "other@example.com"}, save_anyway="yes").text
    )
    supervisor = signed_in("supervisor")
    preview = f"/customers/{first}/merge/preview?duplicate_id={second}"
    form = supervisor.get(preview).text
    assert ticked(form, "keep_email_survivor") and not ticked(form, "keep_email_duplicate")
    chosen = supervisor.get(f"{preview}&keep_email=duplicate").text
    again = supervisor.post(
        f"/customers/{first}/merge",
        data=confirmation_of(chosen) | {"reason": ""},
    )
    assert again.status_code == 422
    assert ticked(again.text, "keep_email_duplicate")
    assert not ticked(again.text, "keep_email_survivor")
    assert confirmation_of(again.text)["keep_email"] == "duplicate"


# Every error summary link takes staff (and their keyboard focus) to the control at fault.


def test_every_error_summary_link_leads_somewhere(signed_in) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    form = agent.get(f"/customers/{cid}/edit?purpose=service").text
    token = csrf_of(form)
    nothing = agent.post(
        f"/customers/{cid}/edit",
        data={"csrf_token": token, "purpose": "service", "reason": "checking"}
        | {"asked_by": "internal", "source": "internal_records"},
    )
    assert nothing.status_code == 422
    assert summary_targets(nothing.text) == ["form"]  # nothing to change: the whole form
    no_reason = agent.post(
        f"/customers/{cid}/edit",
        data={"csrf_token": token, "purpose": "service", "field_town": "Leeds", "reason": ""}
        | {"asked_by": "internal", "source": "internal_records"},
    )
    assert summary_targets(no_reason.text) == ["reason"]
    # A name but no way of reaching the customer: a rule about the form as a whole.
    unreachable = add(agent, {"field_given_name": "Ada", "field_family_name": "Lovelace"})
    assert unreachable.status_code == 422
    assert summary_targets(unreachable.text) == ["form"]
    wrong = add(agent, {**ADA, "field_email": "nope", "field_postcode": "nope"})
    assert summary_targets(wrong.text) == ["field_email", "field_postcode"]


def test_a_merge_error_is_linked_to_the_field_at_fault(signed_in) -> None:
    agent = signed_in("agent")
    first = customer_id_in(add(agent).text)
    # The duplicate has no phone number.
    second = customer_id_in(
        add(
            agent,
            {**ADA, "field_email": "other@example.com", "field_phone": ""},
            save_anyway="yes",
        ).text
    )
    supervisor = signed_in("supervisor")
    preview = f"/customers/{first}/merge/preview?duplicate_id={second}"
    form = supervisor.get(preview).text
    no_reason = supervisor.post(
        f"/customers/{first}/merge", data=confirmation_of(form) | {"reason": ""}
    )
    assert no_reason.status_code == 422
    assert summary_targets(no_reason.text) == ["reason"]
    assert 'id="reason-error"' in no_reason.text
    assert re.search(r'<input id="reason"[^>]*aria-describedby="reason-error"', no_reason.text)
    # Asking for the duplicate's phone, which it does not have, is about the phone's row.
    no_such = supervisor.get(f"{preview}&keep_phone=duplicate")
    assert no_such.status_code == 422
    assert summary_targets(no_such.text) == ["result_phone"]
    assert 'id="result_phone" tabindex="-1"' in no_such.text
    assert agent.get(f"/customers/{second}?purpose=service").status_code == 200


# Messages are the app's own, in the words staff use.


@pytest.mark.parametrize("page", ["/customers/{cid}?purpose=service", "/review"])
def test_the_done_notice_says_only_what_the_app_wrote(signed_in, page) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    supervisor = signed_in("supervisor")
    path = page.format(cid=cid)
    for code in ("call+0900+now+to+unlock", "<b>urgent</b>", "updated+-+call+0900", ""):
        shown = supervisor.get(f"{path}{'&' if '?' in path else '?'}done={code}").text
        assert 'role="status"' not in shown and "0900" not in shown and "urgent" not in shown
    done = "confirmed" if "customers" in path else "dismissed"
    known = supervisor.get(f"{path}{'&' if '?' in path else '?'}done={done}").text
    assert f'<p class="notice" role="status">Done: {done}.</p>' in known


def test_the_consent_error_is_in_plain_words(signed_in) -> None:
    supervisor = signed_in("supervisor")
    refused = add(supervisor, {**ADA, "field_accessibility_needs": "Large print letters"})
    assert refused.status_code == 422
    message = re.search(r'id="field_accessibility_needs-error">([^<]+)<', refused.text).group(1)
    assert "explicit_consent" not in refused.text and "_" not in message
    assert "health information" in message and "tick the box" in message
    cid = customer_id_in(add(supervisor).text)
    form = supervisor.get(f"/customers/{cid}/edit?purpose=service").text
    edit = supervisor.post(
        f"/customers/{cid}/edit",
        data={"csrf_token": csrf_of(form), "purpose": "service", "reason": "asked for it"}
        | {"field_accessibility_needs": "Large print"}
        | {"asked_by": "internal", "source": "internal_records"},
    )
    assert edit.status_code == 422
    assert "explicit_consent" not in edit.text and "tick the box" in edit.text


# A purpose nobody may use here is refused outright, never swapped for another.

UNKNOWN = "call0900support"


@pytest.mark.parametrize(
    "path",
    [
        "/customers?purpose={p}",
        "/customers/new?purpose={p}",
        "/customers/{cid}?purpose={p}",
        "/customers/{cid}/edit?purpose={p}",
        "/customers/{cid}/history?purpose={p}",
    ],
)
def test_an_unknown_purpose_in_an_address_is_a_clear_error(signed_in, path) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    unknown = agent.get(path.format(cid=cid, p=UNKNOWN))
    assert unknown.status_code == 400
    assert "no such purpose" in unknown.text and UNKNOWN not in unknown.text
    assert "Lovelace" not in unknown.text and "7946" not in unknown.text
    # A purpose the policy has, but the agent's role may not use, is refused too.
    marketing = agent.get(path.format(cid=cid, p="marketing"))
    assert marketing.status_code == 403 and "may not work under the marketing purpose" in (
        marketing.text
    )
    assert "Lovelace" not in marketing.text


def test_an_unknown_purpose_in_a_form_is_a_clear_error_and_nothing_happens(
    signed_in, container
) -> None:
    agent = signed_in("agent")
    page = add(agent)
    cid, token = customer_id_in(page.text), csrf_of(page.text)
    before = history_of(agent, cid)
    refused = [
        agent.post(
            "/customers/search", data={"csrf_token": token, "purpose": UNKNOWN, "query": "Ada"}
        ),
        agent.post(
            "/customers/new",
            data={**ADA, "field_email": "new@example.com", "csrf_token": token}
            | {"purpose": UNKNOWN, "source": "phone", "save_anyway": "yes"},
        ),
        agent.post(
            f"/customers/{cid}/edit",
            data={"csrf_token": token, "purpose": UNKNOWN, "field_town": "Leeds"}
            | {"original_town": "London", "reason": "moved"},
        ),
        agent.post(
            f"/customers/{cid}/confirm",
            data={"csrf_token": token, "purpose": UNKNOWN, "method": "phone"}
            | {"fields": ["email"]},
        ),
    ]
    assert [r.status_code for r in refused] == [400] * 4
    assert all("no such purpose" in r.text and UNKNOWN not in r.text for r in refused)
    assert "Lovelace" not in refused[0].text
    assert history_of(agent, cid) == before
    assert "never confirmed" in last_confirmed(agent, cid, "Email address")
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "new@example.com")]) == []
