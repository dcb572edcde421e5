"""Reading a customer's page in tests the way a member of staff working away from the phone
does: under a caller-facing purpose the page hides contact and identity details until the
caller is verified, and "Show details: I am not speaking to the customer", with a reason,
shows them for that one page view (``POST /customers/{id}/reveal``, answered with the page)."""

from __future__ import annotations

from tests.e2e.web.conftest import csrf_of

REVEAL_BUTTON = "Show details: I am not speaking to the customer"
HIDDEN = "Hidden until you verify the caller"
BACK_OFFICE = "back_office_correction"
BACK_OFFICE_LABEL = "A back-office correction"


def revealed(client, customer_id: str, purpose: str = "service", reason: str = BACK_OFFICE) -> str:
    """The customer page under ``purpose`` with every detail it hides until the caller is
    verified shown, as a member of staff gets it by choosing ``reason`` and pressing the
    reveal button. Fails unless the page says the details are shown and hides none."""
    page = client.get(f"/customers/{customer_id}?purpose={purpose}")
    assert page.status_code == 200, page.text
    shown = client.post(
        f"/customers/{customer_id}/reveal",
        data={"csrf_token": csrf_of(page.text), "purpose": purpose, "reason": reason},
    )
    assert shown.status_code == 200, shown.text
    assert 'id="details-revealed"' in shown.text and HIDDEN not in shown.text
    return shown.text


def reveal_in_browser(page, reason: str = BACK_OFFICE_LABEL) -> None:
    """On the customer page shown: choose ``reason``, press the reveal button, wait for the
    page with the details shown and check it with axe-core (see the ``page`` fixture)."""
    page.get_by_label(reason, exact=True).check()
    page.get_by_role("button", name=REVEAL_BUTTON).click()
    page.locator("#details-revealed").wait_for()
    page.accessibility_check.check()
    assert page.get_by_role("link", name=HIDDEN).count() == 0
