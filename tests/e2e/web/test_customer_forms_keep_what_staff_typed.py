"""The customer forms over HTTP keep what staff typed: an unlisted phone number is a second
step on the same form, changing the purpose keeps what the new one still uses, the error
summary names every field once, a save answers 303 so a reload registers nobody twice, and
the history names who by name and role."""

from __future__ import annotations

import re

from tests.e2e.web._reveal import revealed
from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.test_customer_records_screens import ADA, add, customer_id_in

DRAMA = {**ADA, "field_phone": "07700 900123"}


def summary_of(html: str) -> list[str]:
    box = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    return re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', box)


def count_customers(container) -> int:
    with container.uow() as uow:
        return len(uow.customers.live_ids(after=None, limit=100))


def test_an_unlisted_number_is_a_second_step_that_keeps_everything_typed(
    signed_in, container
) -> None:
    agent = signed_in("agent")
    asked = add(agent, DRAMA)
    assert asked.status_code == 422
    assert "This number is not in a range we know is in use" in asked.text
    assert 'id="unlisted_phone"' in asked.text and 'href="#field_phone"' in asked.text
    assert 'value="07700 900123"' in asked.text and 'value="Lovelace"' in asked.text
    assert count_customers(container) == 0
    kept = add(agent, DRAMA, unlisted_phone="yes")
    assert [r.status_code for r in kept.history] == [303]
    assert "Done: saved." in kept.text
    record = revealed(agent, customer_id_in(kept.text))
    assert "07700 900123" in record and "unlisted number: kept after read-back" in record


def test_changing_the_purpose_keeps_what_the_new_one_uses(signed_in, container) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/customers/new").text)
    data = {"csrf_token": token, "shown_purpose": "service", "purpose": "billing"}
    changed = agent.post("/customers/new", data={**data, **ADA, "change_purpose": "yes"})
    assert changed.status_code == 200
    assert 'value="Lovelace"' in changed.text and 'value="ada@example.com"' in changed.text
    assert 'name="field_phone"' not in changed.text and "7946 0018" not in changed.text
    assert "does not collect Phone number" in changed.text
    assert 'name="shown_purpose" value="billing"' in changed.text
    # A new choice is never saved under the fields of the old one, whichever button.
    agent.post("/customers/new", data={**data, **ADA})
    assert count_customers(container) == 0


def test_the_error_summary_names_each_field_once(signed_in) -> None:
    agent = signed_in("agent")
    empty = add(agent, {"field_family_name": " "})
    assert empty.status_code == 422
    messages = summary_of(empty.text)
    assert "Given name: the service purpose requires this." in messages
    assert "Family name: the service purpose requires this." in messages
    assert len(messages) == len(set(messages))
    wrong = summary_of(add(agent, {**ADA, "field_email": "nope"}).text)
    # A message that already names its field is left as it is.
    assert wrong == ["Enter an email address in the right format, such as name@example.com."]


def test_a_reload_after_saving_registers_nobody_twice(signed_in, container) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/customers/new").text)
    saved = agent.post(
        "/customers/new",
        data={"csrf_token": token, "purpose": "service", "source": "phone", **ADA},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    record = saved.headers["location"]
    assert re.fullmatch(r"/customers/cus_[a-z0-9]+\?purpose=service&done=saved", record)
    for _ in range(2):  # what a reload of the page shown does
        assert agent.get(record).status_code == 200
    assert count_customers(container) == 1


def test_the_history_names_who_by_name_and_shows_values_as_the_record_does(
    signed_in, personas, container
) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    history = agent.get(
        f"/customers/{cid}/history?purpose=service&reveal=back_office_correction"
    ).text
    with container.uow() as uow:
        member = uow.staff.get(personas.agent.actor.id)
    assert f"<td>{member.display_name or member.username} (agent)</td>" in history
    assert personas.agent.actor.id not in history
    assert "020 7946 0018" in history and "+442079460018" not in history


def test_a_correction_to_an_unlisted_number_is_the_same_second_step(signed_in) -> None:
    agent = signed_in("agent")
    cid = customer_id_in(add(agent).text)
    token = csrf_of(agent.get(f"/customers/{cid}/edit?purpose=service").text)
    data = {"csrf_token": token, "purpose": "service", "field_phone": "07700 900456"} | {
        "original_phone": "020 7946 0018",
        "reason": "new number",
        "asked_by": "internal",
        "source": "internal_records",
    }
    asked = agent.post(f"/customers/{cid}/edit", data=data)
    assert asked.status_code == 422 and 'id="unlisted_phone"' in asked.text
    assert 'value="07700 900456"' in asked.text and 'value="new number"' in asked.text
    kept = agent.post(
        f"/customers/{cid}/edit", data={**data, "unlisted_phone": "yes"}, follow_redirects=False
    )
    assert kept.status_code == 303 and kept.headers["location"].endswith("done=updated")
    assert "Done: updated." in agent.get(kept.headers["location"]).text
    record = revealed(agent, cid)
    assert "07700 900456" in record and "unlisted number: kept after read-back" in record
    history = agent.get(
        f"/customers/{cid}/history?purpose=service&reveal=back_office_correction"
    ).text
    assert "020 7946 0018" in history and "07700 900456" in history


def test_pressing_change_purpose_without_a_change_saves_nothing_and_keeps_everything(
    signed_in, container
) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/customers/new").text)
    data = {"csrf_token": token, "shown_purpose": "service", "purpose": "service", **ADA}
    again = agent.post("/customers/new", data={**data, "change_purpose": "yes"})
    assert again.status_code == 200 and "nothing has been saved yet" in again.text
    assert 'value="020 7946 0018"' in again.text
    assert count_customers(container) == 0
