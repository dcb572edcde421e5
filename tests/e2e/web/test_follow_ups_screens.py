"""The Follow-ups page without a browser: it is in the main navigation of every role that sees
customer data (not the admin's); "Mine" lists the member's own open follow-ups and "Team"
everyone's, due first, each row linking to the customer's timeline; a due-by date narrows
the list (a bad one is a 422 naming the field); logging the contact from a follow-up's link
closes it."""

from __future__ import annotations

import html
import re
from datetime import date

from tests.e2e.web.conftest import csrf_of
from tests.integration.interactions._contacts import customer, log


def follow_up(container, persona, ada: str, due: date, owner: str | None = None) -> str:
    return log(
        container,
        persona,
        ada,
        outcome="follow_up",
        follow_up_due=due,
        follow_up_owner=owner,
    ).interaction_id


def test_the_page_is_in_the_navigation_of_roles_that_see_customers(signed_in) -> None:
    assert 'href="/follow-ups"' in signed_in("agent").get("/").text
    admin = signed_in("admin")
    assert 'href="/follow-ups"' not in admin.get("/").text
    assert admin.get("/follow-ups").status_code == 403


def test_mine_and_team_list_open_follow_ups_due_first(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    later = follow_up(container, personas.agent, ada, date(2026, 12, 10))
    sooner = follow_up(container, personas.agent, ada, date(2026, 11, 24))
    theirs = follow_up(
        container, personas.supervisor, ada, date(2026, 11, 30), owner=personas.supervisor.actor.id
    )
    web = signed_in("agent")
    mine = web.get("/follow-ups").text
    assert 'aria-current="page">Mine</a>' in mine and "Your open follow-ups" in mine
    assert mine.index(sooner) < mine.index(later) and theirs not in mine
    assert f'<a href="/customers/{ada}/timeline?purpose=service">Ada Lovelace</a>' in mine
    team = web.get("/follow-ups?view=team").text
    assert "The team's open follow-ups" in team
    assert team.index(sooner) < team.index(theirs) < team.index(later)
    assert "supervisor.one (supervisor)" in team
    narrowed = web.get("/follow-ups?view=team&due_before=2026-11-30").text
    assert sooner in narrowed and theirs in narrowed and later not in narrowed
    bad = web.get("/follow-ups?due_before=30-11-2026")
    assert bad.status_code == 422 and 'id="due_before-error"' in bad.text
    assert "30-11-2026" not in re.search(r'id="due_before-error">([^<]*)<', bad.text).group(1)


def test_logging_from_a_follow_up_closes_it(signed_in, container, personas) -> None:
    ada = customer(container, personas)
    open_one = follow_up(container, personas.agent, ada, date(2026, 11, 25))
    web = signed_in("agent")
    listed = web.get("/follow-ups").text
    link = re.search(r'href="([^"]*follows_up=' + open_one + r'[^"]*)"', listed)
    assert link
    tab = web.get(html.unescape(link.group(1)).split("#")[0])
    assert f'name="follows_up" value="{open_one}"' in tab.text
    done = web.post(
        f"/customers/{ada}/interactions",
        data={
            "csrf_token": csrf_of(tab.text),
            "purpose": "service",
            "follows_up": open_one,
            "channel": "phone",
            "category": "request",
            "nature": "called back as promised",
            "actions_taken": "sent the form",
            "outcome": "resolved",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("done=closed")
    after = web.get(done.headers["location"]).text
    assert "the follow-up it answers is closed" in after
    entry = after[after.index(f'id="entry-{open_one}"') :]
    assert "Followed up by" in entry[: entry.index("</li>")]
    assert "follows_up=" not in entry[: entry.index("</li>")]
    assert open_one not in web.get("/follow-ups").text
    # A follow-up already closed cannot be closed again: the form says so, nothing saved.
    again = web.post(
        f"/customers/{ada}/interactions",
        data={
            "csrf_token": csrf_of(tab.text),
            "purpose": "service",
            "follows_up": open_one,
            "channel": "phone",
            "category": "request",
            "nature": "called again",
            "actions_taken": "nothing",
            "outcome": "resolved",
        },
    )
    assert again.status_code == 422 and 'id="follows_up-error"' in again.text
