"""The feedback screens without a browser: the Satisfaction dashboard is only for members
holding reports.read and is in their navigation only; it draws CSAT and NPS by month as SVG
with a table of the same figures beside each chart, and gives CSV; the customer's Feedback tab
records an answer (post/redirect/get), refuses a bad score with 422 and nothing saved, shows
answers only under a purpose that shows feedback, and asks for feedback by email."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from tests.e2e.web.conftest import csrf_of
from tests.integration.feedback._making import a_customer, record


def count(container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(feedback_table)).scalar_one())


def test_the_dashboard_is_for_reports_read_and_in_their_navigation(signed_in) -> None:
    agent = signed_in("agent")
    assert agent.get("/reports/satisfaction").status_code == 403
    assert 'href="/reports/satisfaction"' not in agent.get("/").text
    supervisor = signed_in("supervisor")
    assert 'href="/reports/satisfaction"' in supervisor.get("/").text


def test_the_charts_are_svg_with_their_figures_beside_them(signed_in, container, personas) -> None:
    customer = a_customer(container, personas.agent)
    for score in (9, 9, 10, 8, 7, 6, 0, 10, 9, 3):
        record(container, personas.agent, customer, nps=score)
    record(container, personas.agent, customer, csat=5, channel="chat")
    page = signed_in("dpo").get("/reports/satisfaction")
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') == 2 and "<script" not in html
    nps_svg = html[
        html.index('id="nps-chart"') : html.index("</svg>", html.index('id="nps-chart"'))
    ]
    assert ">20<" in nps_svg and "<title" in nps_svg and "Month" in nps_svg
    table = html[html.index('id="nps-chart-table"') :]
    assert re.search(
        r"<th scope=\"row\">2026-11</th>\s*<td>100.0</td>\s*<td>1</td>\s*<td>20.0</td>", table
    )
    assert 'data-testid="by-channel-table"' in html and "chat" in html
    assert "agent.one (agent)" in html and customer not in html
    csv = signed_in("dpo").get("/reports/satisfaction.csv?by=channel")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "channel,chat,100.0,1" in csv.text


def test_a_bad_month_is_a_422_naming_the_field(signed_in) -> None:
    page = signed_in("dpo").get("/reports/satisfaction?from=2026-13")
    assert page.status_code == 422 and 'id="from-error"' in page.text
    assert "2026-13" not in page.text.split('id="from-error"')[1].split("</p>")[0]


def test_the_feedback_tab_records_an_answer_and_refuses_a_bad_one(
    signed_in, container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    web = signed_in("agent")
    tab = web.get(f"/customers/{customer}/feedback?purpose=service")
    assert tab.status_code == 200 and "No feedback recorded" in tab.text
    token = csrf_of(tab.text)
    bad = web.post(
        f"/customers/{customer}/feedback",
        data={"csrf_token": token, "purpose": "service", "scale": "csat", "score": "7"},
    )
    assert bad.status_code == 422 and 'id="fb-score-error"' in bad.text and count(container) == 0
    done = web.post(
        f"/customers/{customer}/feedback",
        data={
            "csrf_token": token,
            "purpose": "service",
            "scale": "nps",
            "score": "9",
            "comment": "Very <b>helpful</b>",
            "channel": "phone",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith("done=recorded")
    after = web.get(done.headers["location"])
    assert "Done: the answer is recorded." in after.text
    assert "9 of 10" in after.text and "Very &lt;b&gt;helpful&lt;/b&gt;" in after.text
    billing = web.get(f"/customers/{customer}/feedback?purpose=billing")
    assert 'id="feedback-not-shown"' in billing.text and "helpful" not in billing.text
    no_token = web.post(
        f"/customers/{customer}/feedback",
        data={"purpose": "service", "scale": "csat", "score": "4"},
    )
    assert no_token.status_code == 403 and count(container) == 1


def test_asking_for_feedback_by_email_redirects_with_a_notice(
    signed_in, container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    web = signed_in("agent")
    token = csrf_of(web.get(f"/customers/{customer}/feedback").text)
    done = web.post(
        f"/customers/{customer}/feedback-requests",
        data={"csrf_token": token, "purpose": "service"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("done=asked")
    with container.uow().reading() as uow:
        [message] = uow.outbox.for_customer(customer)
    assert message.kind == "feedback_survey"
