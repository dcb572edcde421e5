"""The Timeline tab without a browser: the customer page has a "Timeline" tab; its "Log this
contact" form logs by post/redirect/get back to the tab with a fixed notice; the timeline lists
entries newest first with an "Older" link by cursor; a note the checker warns about brings the
form back (422) with what was typed, a warning per hit, the redacted version and "Save the
redacted version" ("Keep as written" only for kinds that may be kept); a correction needs a
reason and leaves the old entry marked; under a caller-facing purpose the changes of details
hidden until the caller is verified are left out; under a purpose without notes nothing of
contacts shows."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from clientkeep.adapters.db.contact_tables import interaction as interaction_table
from tests.e2e.web.conftest import csrf_of
from tests.integration.interactions._contacts import customer, log

CARD = "4111 1111 1111 1111"


def count(container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(interaction_table)).scalar_one())


def contact(token: str, **given: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "purpose": "service",
        "channel": "phone",
        "occurred_at": "",
        "category": "enquiry",
        "nature": "asked about the bill",
        "actions_taken": "explained the charges",
        "outcome": "resolved",
        "follow_up_due": "",
    }
    form.update(given)
    return form


def test_the_customer_page_has_a_timeline_tab(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    page = signed_in("agent").get(f"/customers/{ada}?purpose=service")
    assert f'href="/customers/{ada}/timeline?purpose=service"' in page.text
    tab = signed_in("agent").get(f"/customers/{ada}/timeline?purpose=service")
    assert tab.status_code == 200
    assert '<a href="/customers/' in tab.text and 'aria-current="page">Timeline</a>' in tab.text
    assert "Log this contact" in tab.text and 'name="csrf_token"' in tab.text


def test_logging_a_contact_redirects_back_to_the_tab_with_a_notice(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    web = signed_in("agent")
    token = csrf_of(web.get(f"/customers/{ada}/timeline?purpose=service").text)
    done = web.post(f"/customers/{ada}/interactions", data=contact(token), follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/customers/{ada}/timeline?purpose=service&done=logged"
    tab = web.get(done.headers["location"])
    assert "Done: the contact is logged." in tab.text
    timeline = tab.text[tab.text.index('data-testid="timeline"') :]
    assert "Phone call: enquiry" in timeline and "asked about the bill" in timeline
    assert "agent.one (agent)" in timeline
    assert count(container) == 1
    # A link cannot make the page say something else: an unknown code shows nothing.
    assert "Done" not in web.get(f"/customers/{ada}/timeline?purpose=service&done=x").text


def test_missing_notes_come_back_422_with_what_was_typed(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    web = signed_in("agent")
    token = csrf_of(web.get(f"/customers/{ada}/timeline?purpose=service").text)
    bad = web.post(
        f"/customers/{ada}/interactions",
        data=contact(token, nature="", outcome="follow_up", occurred_at="soon"),
    )
    assert bad.status_code == 422 and count(container) == 0
    message = re.search(r'id="occurred_at-error">([^<]*)<', bad.text)
    assert message and "soon" not in message.group(1)
    assert 'value="soon"' in bad.text  # what was typed stays in the form
    again = web.post(
        f"/customers/{ada}/interactions", data=contact(token, nature="", outcome="follow_up")
    )
    assert again.status_code == 422
    assert 'id="nature-error"' in again.text and 'id="follow_up_due-error"' in again.text
    assert "explained the charges</textarea>" in again.text
    assert 'href="#nature"' in again.text and 'aria-invalid="true"' in again.text


def test_a_card_number_is_warned_of_redacted_and_never_kept(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    web = signed_in("agent")
    token = csrf_of(web.get(f"/customers/{ada}/timeline?purpose=service").text)
    typed = contact(token, nature=f"paid with {CARD}, diabetes")
    warned = web.post(f"/customers/{ada}/interactions", data=typed)
    assert warned.status_code == 422 and count(container) == 0
    text = warned.text
    assert f"paid with {CARD}, diabetes</textarea>" in text
    hits = text[
        text.index('id="note-warnings"') : text.index("</ul>", text.index('id="note-warnings"'))
    ]
    assert hits.count("<li>") == 2
    assert "payment card number" in hits and "health" in hits
    redacted = text[text.index('id="redacted-version"') :]
    assert "paid with [card number removed], [health detail removed]" in redacted
    assert "Save the redacted version" in text
    # The health word may be kept; the card number is removed whatever is chosen.
    assert "Keep as written" in text and 'name="keep" value="health"' in text
    assert 'name="keep" value="card"' not in text
    # Forged: asking to keep the card number keeps nothing of it.
    forged = web.post(
        f"/customers/{ada}/interactions",
        data={**typed, "choice": "keep", "keep": ["health", "card"]},
    )
    assert forged.status_code == 422 and count(container) == 0
    kept = web.post(
        f"/customers/{ada}/interactions",
        data={**typed, "choice": "keep", "keep": "health"},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    tab = web.get(kept.headers["location"]).text
    assert "paid with [card number removed], diabetes" in tab and CARD not in tab


def test_only_a_card_offers_no_keep_and_saves_redacted(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    web = signed_in("agent")
    token = csrf_of(web.get(f"/customers/{ada}/timeline?purpose=service").text)
    typed = contact(token, actions_taken=f"took {CARD} by phone")
    warned = web.post(f"/customers/{ada}/interactions", data=typed)
    assert warned.status_code == 422 and "Keep as written" not in warned.text
    assert 'id="actions_taken-hit-1"' in warned.text
    saved = web.post(
        f"/customers/{ada}/interactions", data={**typed, "choice": "redact"}, follow_redirects=False
    )
    assert saved.status_code == 303
    tab = web.get(saved.headers["location"]).text
    assert "took [card number removed] by phone" in tab and CARD not in tab
    assert "Note checker warned of" in tab


def test_the_timeline_pages_older_by_cursor(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    for n in range(52):
        log(container, personas.agent, ada, nature=f"call number {n}")
    web = signed_in("agent")
    first = web.get(f"/customers/{ada}/timeline?purpose=service").text
    assert "call number 51" in first and "call number 1<" not in first
    older = re.search(r'href="([^"]+cursor=[^"]+)" rel="next" id="older"', first)
    assert older
    second = web.get(html.unescape(older.group(1))).text
    assert "call number 1<" in second and "call number 51" not in second
    assert "Given name collected" in second or "collected" in second


def test_a_correction_needs_a_reason_and_marks_the_old_entry(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    old = log(container, personas.agent, ada, nature="asked about the bill").interaction_id
    web = signed_in("agent")
    tab = web.get(f"/customers/{ada}/timeline?purpose=service").text
    link = f"/customers/{ada}/interactions/{old}/correct?purpose=service"
    assert f'href="{link}"' in tab
    form = web.get(link)
    assert form.status_code == 200 and "asked about the bill</textarea>" in form.text
    token = csrf_of(form.text)
    fields = dict(re.findall(r'name="(occurred_was)" value="([^"]*)"', form.text))
    data = contact(
        token,
        occurred_at=fields["occurred_was"],
        occurred_was=fields["occurred_was"],
        channel="email",
        reason="",
    )
    url = f"/customers/{ada}/interactions/{old}/corrections"
    refused = web.post(url, data=data)
    assert refused.status_code == 422 and 'id="reason-error"' in refused.text
    assert count(container) == 1
    done = web.post(url, data={**data, "reason": "it came by email"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("done=corrected")
    after = web.get(done.headers["location"]).text
    assert "Email: enquiry (correction)" in after and "it came by email" in after
    old_entry = after[after.index(f'id="entry-{old}"') :]
    old_entry = old_entry[: old_entry.index("</li>")]
    assert "Corrected by" in old_entry and "/correct?" not in old_entry
    # The old entry cannot be corrected again: its newest version is.
    assert "corrected already" in web.get(link).text


def test_a_caller_facing_timeline_hides_changes_of_masked_details(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    service = signed_in("agent").get(f"/customers/{ada}/timeline?purpose=service").text
    assert 'id="timeline-hidden"' in service and "Email" in service
    assert "ada@example.com" not in service and "Given name collected" in service
    # Working away from the phone, the reveal carried from the Details tab shows them.
    revealed = signed_in("agent").get(
        f"/customers/{ada}/timeline?purpose=service&reveal=returned_post"
    )
    assert "ada@example.com" in revealed.text


def test_a_purpose_without_notes_shows_no_contact_and_no_form(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    log(container, personas.agent, ada, nature="asked about the bill")
    page = signed_in("supervisor").get(f"/customers/{ada}/timeline?purpose=marketing").text
    assert 'id="no-notes"' in page and "Log this contact" not in page
    assert "asked about the bill" not in page and "Phone call" not in page
