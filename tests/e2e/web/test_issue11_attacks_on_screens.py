"""Attacks on the screens issue 11 added: every new form without its session's CSRF token (or
with another member's), a notice code that is not one of the fixed ones, the same form sent
twice, another customer's contact through this customer's pages, a score typed in superscript
digits, a time in the hour the clocks skip, tampered cursors, and the satisfaction CSV opened
in a spreadsheet. Each is refused with a page that names the field (never a 500) and saves
nothing, or shows what the defence lets through."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta

from sqlalchemy import func, select

from clientkeep.adapters.db.contact_tables import complaint, complaint_step, interaction
from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from clientkeep.shared.spreadsheet_safe import FORMULA_STARTS
from clientkeep.shared.uk_time import uk_date
from tests.e2e.web.conftest import csrf_of
from tests.integration.complaints._cases import open_case
from tests.integration.feedback._making import record
from tests.integration.interactions._contacts import customer, log

CONTACT = {
    "purpose": "service",
    "channel": "phone",
    "category": "enquiry",
    "nature": "asked about the bill",
    "actions_taken": "explained the charges",
}


def rows(container, table) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_every_new_form_needs_its_own_sessions_csrf_token(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    iid = log(container, personas.agent, ada).interaction_id
    cid = open_case(container, personas.agent, ada).id
    agent, supervisor = signed_in("agent"), signed_in("supervisor")
    theirs = csrf_of(supervisor.get(f"/customers/{ada}/timeline?purpose=service").text)
    forms = {
        f"/customers/{ada}/interactions": CONTACT,
        f"/customers/{ada}/interactions/{iid}/corrections": {**CONTACT, "reason": "typo"},
        f"/customers/{ada}/complaints": {
            "purpose": "complaints",
            "type": "general",
            "summary": "charged twice",
            "channel": "phone",
        },
        f"/complaints/{cid}/steps": {"step": "acknowledge"},
        f"/customers/{ada}/feedback": {"purpose": "service", "scale": "csat", "score": "5"},
        f"/customers/{ada}/feedback-requests": {"purpose": "service"},
    }
    tables = (interaction, complaint, complaint_step, feedback_table)
    before = [rows(container, t) for t in tables]
    for url, data in forms.items():
        for token in (None, theirs):
            sent = data if token is None else {**data, "csrf_token": token}
            answer = agent.post(url, data=sent, follow_redirects=False)
            assert answer.status_code in (400, 403), (url, token, answer.status_code)
    assert [rows(container, t) for t in tables] == before


def test_forms_answer_by_redirect_to_a_fixed_notice_and_a_sent_one_is_never_shown(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    agent = signed_in("agent")
    token = csrf_of(agent.get(f"/customers/{ada}/timeline?purpose=service").text)
    done = agent.post(
        f"/customers/{ada}/interactions",
        data={**CONTACT, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith("?purpose=service&done=logged")
    for page in (f"/customers/{ada}/timeline", f"/customers/{ada}/feedback"):
        shown = agent.get(page, params={"done": "<script>alert(1)</script>Hacked"})
        assert shown.status_code == 200
        assert "Hacked" not in shown.text and "<script>alert" not in shown.text
    cid = open_case(container, personas.agent, ada).id
    for notice in ("opened", "moved", "Your case is closed"):
        case = agent.get(f"/complaints/{cid}", params={"done": notice})
        assert "Your case is closed" not in case.text


def test_the_same_form_sent_twice_is_refused_the_second_time_with_a_page(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    grace = customer(container, personas, "Grace")
    due = uk_date(container.clock.now()) + timedelta(days=2)
    iid = log(container, personas.agent, ada, outcome="follow_up", follow_up_due=due).interaction_id
    graces = log(container, personas.agent, grace).interaction_id
    cid = open_case(container, personas.agent, ada).id
    agent = signed_in("agent")
    token = csrf_of(agent.get(f"/customers/{ada}/timeline?purpose=service").text)

    correction = {**CONTACT, "reason": "typo", "nature": "asked about the refund"}
    url = f"/customers/{ada}/interactions/{iid}/corrections"
    first = agent.post(url, data={**correction, "csrf_token": token}, follow_redirects=False)
    assert first.status_code == 303
    again = agent.post(url, data={**correction, "csrf_token": token}, follow_redirects=False)
    assert again.status_code == 409 and "text/html" in again.headers["content-type"]

    other = log(container, personas.agent, ada, outcome="follow_up", follow_up_due=due)
    closing = {**CONTACT, "follows_up": other.interaction_id, "csrf_token": token}
    url = f"/customers/{ada}/interactions"
    assert agent.post(url, data=closing, follow_redirects=False).status_code == 303
    closed_again = agent.post(url, data=closing)
    assert closed_again.status_code == 422 and 'id="follows_up-error"' in closed_again.text

    steps = f"/complaints/{cid}/steps"
    sent = {"step": "acknowledge", "csrf_token": token}
    assert agent.post(steps, data=sent, follow_redirects=False).status_code == 303
    assert agent.post(steps, data=sent, follow_redirects=False).status_code == 409

    # Another customer's contact through this customer's pages: not found, nothing saved.
    before = rows(container, interaction)
    assert agent.get(f"/customers/{ada}/interactions/{graces}/correct").status_code == 404
    stolen = agent.post(
        f"/customers/{ada}/interactions/{graces}/corrections",
        data={**correction, "csrf_token": token},
        follow_redirects=False,
    )
    assert stolen.status_code == 404 and rows(container, interaction) == before


def _cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def test_odd_scores_times_and_cursors_are_pages_naming_the_field_never_a_500(
    signed_in, container, personas
) -> None:
    ada = customer(container, personas)
    supervisor = signed_in("supervisor")
    tab = supervisor.get(f"/customers/{ada}/feedback?purpose=service")
    token = csrf_of(tab.text)
    for score in ("²", "-³", "½", "3.0", "1e1"):
        answer = supervisor.post(
            f"/customers/{ada}/feedback",
            data={"csrf_token": token, "purpose": "service", "scale": "csat", "score": score},
        )
        assert answer.status_code == 422, score
        assert 'id="fb-score"' in answer.text
    # Digits of another script are digits: a fullwidth 4 is a 4.
    fullwidth = supervisor.post(
        f"/customers/{ada}/feedback",
        data={"csrf_token": token, "purpose": "service", "scale": "csat", "score": "\uff14"},
        follow_redirects=False,
    )
    assert fullwidth.status_code == 303

    # 01:30 on the last Sunday of March never happened in the UK.
    skipped = supervisor.post(
        f"/customers/{ada}/interactions",
        data={**CONTACT, "occurred_at": "2026-03-29T01:30", "csrf_token": token},
    )
    assert skipped.status_code == 422 and 'id="occurred_at-error"' in skipped.text
    # 01:30 on the last Sunday of October happened twice: the first is taken.
    twice = supervisor.post(
        f"/customers/{ada}/interactions",
        data={**CONTACT, "occurred_at": "2026-10-25T01:30", "csrf_token": token},
        follow_redirects=False,
    )
    assert twice.status_code == 303

    for cursor in (_cursor("0001-01-01T00:00:00+14:00", "int_x"), "!!!!", "A" * 200):
        page = supervisor.get(f"/customers/{ada}/timeline", params={"cursor": cursor})
        assert page.status_code == 422, cursor
    edge = base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|fbk_x").decode()
    assert supervisor.get(f"/customers/{ada}/feedback", params={"cursor": edge}).status_code == 422
    assert supervisor.get("/complaints", params={"cursor": "!!!!"}).status_code == 422

    # The satisfaction CSV: every cell safe in a spreadsheet, a negative NPS included.
    for score in (0, 1, 2):
        record(container, personas.agent, ada, nps=score, channel="phone")
    for by in ("month", "channel", "category", "staff"):
        exported = supervisor.get("/reports/satisfaction.csv", params={"by": by})
        assert exported.status_code == 200
        cells = [c for row in csv.reader(io.StringIO(exported.text)) for c in row]
        assert "'-100.0" in cells, by
        assert not any(c.startswith(FORMULA_STARTS) for c in cells), by
