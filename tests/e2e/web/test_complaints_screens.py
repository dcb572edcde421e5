"""The complaints screens without a browser: the customer's Complaints tab opens a case (a
problem shows the form again, nothing saved), the case page offers only the moves its state
allows and takes them with PRG and a fixed notice, the resolve form records the checklist, the
letter page prints the final response, and the board lists and filters with each deadline's
status in words."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.web.conftest import csrf_of
from tests.integration.complaints._cases import customer, open_case


def test_a_complaint_on_the_screens(container, personas, signed_in) -> None:
    web = signed_in("agent")
    customer_id = customer(container, personas)
    tab = web.get(f"/customers/{customer_id}/complaints?purpose=complaints")
    assert tab.status_code == 200 and "Open a complaint" in tab.text
    token = csrf_of(tab.text)
    bad = web.post(
        f"/customers/{customer_id}/complaints",
        data={"csrf_token": token, "purpose": "complaints", "type": "general", "summary": ""},
    )
    assert bad.status_code == 422 and "error-summary" in bad.text
    no_csrf = web.post(
        f"/customers/{customer_id}/complaints",
        data={"purpose": "complaints", "type": "general", "summary": "x", "channel": "phone"},
        follow_redirects=False,
    )
    assert no_csrf.status_code in (400, 403)
    made = web.post(
        f"/customers/{customer_id}/complaints",
        data={
            "csrf_token": token,
            "purpose": "complaints",
            "type": "general",
            "summary": "<b>Charged twice</b>",
            "desired_outcome": "A refund",
            "channel": "email",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    where = made.headers["location"]
    assert where.endswith("?done=opened")
    case = web.get(where)
    assert "the complaint is opened" in case.text
    assert "&lt;b&gt;Charged twice&lt;/b&gt;" in case.text
    assert "Nearly due" in case.text and 'value="close"' not in case.text
    assert 'value="acknowledge"' in case.text
    case_id = where.split("/")[2].split("?")[0]

    token = csrf_of(case.text)
    hold = web.post(
        f"/complaints/{case_id}/steps", data={"csrf_token": token, "step": "hold", "reason": ""}
    )
    assert hold.status_code == 422 and "Required." in hold.text
    step = web.post(
        f"/complaints/{case_id}/steps",
        data={"csrf_token": token, "step": "acknowledge"},
        follow_redirects=False,
    )
    assert step.status_code == 303 and step.headers["location"].endswith("?done=moved")
    resolved = web.post(
        f"/complaints/{case_id}/steps",
        data={
            "csrf_token": token,
            "step": "resolve",
            "resolution": "Refunded",
            "checklist": ["listened", "thanked"],
            "customer_accepted": "no",
        },
    )
    assert resolved.status_code == 200
    assert "Listened to the customer: yes" in resolved.text
    assert "Apologised: no" in resolved.text
    letter = web.get(f"/complaints/{case_id}/final-response")
    assert letter.status_code == 200 and "Financial Ombudsman Service" in letter.text
    assert letter.headers["cache-control"] == "no-store"

    # A service complaint received ten days ago: its acknowledgement is overdue.
    open_case(
        container,
        personas.agent,
        customer_id,
        type="service",
        summary="Slow reply",
        received_at=container.clock.now() - timedelta(days=10),
    )
    board = web.get("/complaints")
    assert board.status_code == 200 and "Overdue" in board.text and case_id in board.text
    assert "<caption>Complaints, by next deadline</caption>" in board.text
    overdue = web.get("/complaints?due=overdue")
    assert "Service complaint" in overdue.text and case_id not in overdue.text
    assert "Complaints" in web.get("/").text


def test_roles_without_customer_data_see_no_board(signed_in) -> None:
    admin = signed_in("admin")
    assert 'href="/complaints"' not in admin.get("/").text
    assert admin.get("/complaints").status_code == 403
