"""Every customer screen in a real browser, in the order staff meet them: each page is checked
for the things a screen reader and a keyboard need, what staff typed or ticked survives an
error, and no personal value ever reaches a URL.

Screenshots go to CLIENTKEEP_SCREENSHOTS if set (to look at the layout), else to tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.web._reveal import HIDDEN, reveal_in_browser
from tests.e2e.web.conftest import sign_in_browser as sign_in

pytestmark = pytest.mark.browser

GRACE = {
    "Given name": "Grace",
    "Family name": "Hopper",
    "Email address": "grace.hopper@example.com",
    "Phone number": "07700 123456",
    "Address line 1": "3 Sample Road",
    "Town or city": "Bristol",
}
# What would identify Grace if it leaked into an address bar, a log of URLs or a Referer.
PERSONAL = ("grace", "hopper", "example.com", "07700", "7700123456", "123456", "bs1", "bristol")

# Run in the page: problems a screen reader or keyboard user would meet, as sentences.
A11Y_PROBLEMS = """() => {
  const problems = [];
  const shown = (e) => e.type !== "hidden" && e.offsetParent !== null;
  for (const e of document.querySelectorAll("input, select, textarea")) {
    if (!shown(e) || e.type === "submit") continue;
    const named = (e.labels && e.labels.length) || e.getAttribute("aria-label");
    if (!named) problems.push("no label for " + (e.name || e.id));
  }
  for (const e of document.querySelectorAll("[aria-describedby]")) {
    for (const id of e.getAttribute("aria-describedby").split(/\\s+/)) {
      if (!document.getElementById(id)) problems.push("describedby points nowhere: " + id);
    }
  }
  for (const e of document.querySelectorAll("[aria-invalid=true]")) {
    if (!e.getAttribute("aria-describedby")) problems.push("invalid without message: " + e.id);
  }
  for (const a of document.querySelectorAll(".error-summary a[href^='#']")) {
    if (!document.getElementById(a.getAttribute("href").slice(1))) {
      problems.push("error summary link to nothing: " + a.getAttribute("href"));
    }
  }
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push("duplicate ids: " + twice.join(", "));
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  for (const f of document.querySelectorAll("form[method=post]")) {
    if (!f.querySelector("input[name=csrf_token]")) problems.push("POST form without csrf_token");
  }
  return problems;
}"""


@pytest.fixture
def shots(tmp_path) -> Path:
    where = Path(os.environ.get("CLIENTKEEP_SCREENSHOTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    return where


@pytest.fixture
def urls(page) -> list[str]:
    """Every URL the browser asked for, and every Location it was sent to."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("response", lambda response: seen.append(response.headers.get("location", "")))
    return seen


def screen(page, shots: Path, name: str) -> None:
    """Check the page as assistive technology meets it (axe-core, then what axe does not
    look for), then photograph it."""
    page.accessibility_check.check()
    assert page.evaluate(A11Y_PROBLEMS) == [], name
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def fill(page, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)


def test_every_customer_screen_is_accessible_and_keeps_personal_values_out_of_urls(
    page, personas, shots, urls
) -> None:
    sign_in(page, personas.agent)

    # Search, from the keyboard: type into the box and press Enter.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    screen(page, shots, "01-search")
    box = page.get_by_label("Email, phone, postcode, name or reference")
    box.fill("grace.hopper@example.com")
    box.press("Enter")
    assert "No customers match" in page.get_by_role("main").inner_text()
    screen(page, shots, "02-search-no-match")

    # New customer: two mistakes, reported together and inline, then put right.
    page.get_by_role("link", name="New customer").first.click()
    page.get_by_role("button", name="Save customer").wait_for()
    page.accessibility_check.check()
    fill(page, {**GRACE, "Email address": "grace.hopper@", "Postcode": "BS1 4D"})
    page.get_by_label("I read these details back to the customer").check()
    page.get_by_role("button", name="Save customer").click()
    summary = page.get_by_role("alert")
    assert "nothing was saved" in summary.inner_text()
    assert summary.get_by_role("link").count() == 2
    for label in ("Email address", "Postcode"):
        assert page.get_by_label(label, exact=True).get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Town or city").input_value() == "Bristol"
    assert page.get_by_label("I read these details back to the customer").is_checked()
    screen(page, shots, "03-new-with-errors")
    summary.get_by_role("link").first.click()  # the summary takes the keyboard to the field
    assert page.evaluate("document.activeElement.id") == "field_email"
    fill(page, {"Email address": GRACE["Email address"], "Postcode": "bs14dj"})
    page.get_by_role("button", name="Save customer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Grace Hopper"
    assert page.get_by_role("link", name=HIDDEN).count() > 0  # until the caller is verified
    screen(page, shots, "04-customer")
    # Away from the phone, the details are shown for one page view, saying why.
    reveal_in_browser(page)
    assert page.get_by_role("cell", name="BS1 4DJ").is_visible()
    # Read back before the error and still ticked after it: every detail counts as confirmed.
    assert page.get_by_role("cell", name="never confirmed").count() == 0
    screen(page, shots, "04-customer-details-shown")

    # The same person again, by another email: warned before anything is saved.
    page.goto("/customers/new")
    page.accessibility_check.check()
    fill(page, {**GRACE, "Email address": "g.hopper@example.org", "Postcode": "BS1 4DJ"})
    page.get_by_role("button", name="Save customer").click()
    assert "may already be on file" in page.get_by_role("alert").inner_text()
    screen(page, shots, "05-new-duplicate-warning")
    page.get_by_role("button", name="Save as a new customer anyway").click()
    assert "may be the same person" in page.get_by_role("status").inner_text()
    screen(page, shots, "06-customer-with-duplicates")

    # Not read back this time. The agent verifies the caller by what she states, and she
    # then confirms her email on the phone.
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Verify the caller"
    ).click()
    page.get_by_role("heading", name="Verify the caller: Grace Hopper").wait_for()
    screen(page, shots, "06-verify-the-caller")
    fill(page, {"Postcode": "bs1 4dj", "Last four digits of the phone number": "3456"})
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("#verification-result").wait_for()
    assert page.locator("#verification-result").inner_text().startswith("Verified.")
    page.accessibility_check.check()
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Details"
    ).click()
    page.locator("#caller-verified").wait_for()
    page.accessibility_check.check()
    assert "never confirmed" in page.get_by_role("row", name="Email address").inner_text()
    for box in (
        page.get_by_role("group", name="Which details are still right?")
        .get_by_role("checkbox")
        .all()
    ):
        box.uncheck()
    page.get_by_role("group", name="Which details are still right?").get_by_label(
        "Email address"
    ).check()
    page.get_by_label("How").select_option("phone")
    page.get_by_role("button", name="Record confirmation").click()
    # Beside the banner saying the caller is verified, which is a status too.
    done = page.get_by_role("status").filter(has_text="Done:")
    assert done.inner_text() == "Done: confirmed."
    page.accessibility_check.check()
    confirmed = page.get_by_role("row", name="Email address").inner_text()
    assert "phone" in confirmed and "never confirmed" not in confirmed
    assert "never confirmed" in page.get_by_role("row", name="Town or city").inner_text()

    # Find her by phone in another format; both records come back.
    page.goto("/customers")
    page.accessibility_check.check()
    page.get_by_label("Email, phone, postcode, name or reference").fill("+447700123456")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("link", name="Grace Hopper").count() == 2
    screen(page, shots, "07-search-results")

    # Correct a detail: the reason is required, then the history shows old and new.
    page.get_by_role("link", name="Grace Hopper").first.click()
    page.get_by_role("navigation", name="Customer record").wait_for()
    page.accessibility_check.check()
    page.get_by_role("navigation", name="Customer record").get_by_role("link", name="Edit").click()
    page.get_by_label("Reason for the change").wait_for()
    page.accessibility_check.check()
    page.get_by_label("Town or city").fill("Bath")
    page.get_by_label("An internal correction").check()
    page.get_by_label("Where the correction came from").select_option("internal_records")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_label("Reason for the change").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Town or city").input_value() == "Bath"  # kept through the error
    screen(page, shots, "08-edit-with-errors")
    page.get_by_role("alert").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "reason"
    page.get_by_label("Reason for the change").fill("moved to Bath")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("status").inner_text() == "Done: updated."
    page.accessibility_check.check()
    # The town is hidden until the caller is verified, in the history too.
    reveal_in_browser(page)
    page.get_by_role("link", name="History").click()
    assert "moved to Bath" in page.get_by_role("row").filter(has_text="Bath").first.inner_text()
    screen(page, shots, "09-history")

    # A supervisor works the review queue and merges the two.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=1")
    page.accessibility_check.check()
    sign_in(page, personas.supervisor)
    page.get_by_role("link", name="Review queue").click()
    screen(page, shots, "10-review")
    page.get_by_role("link", name="Merge").first.click()
    screen(page, shots, "11-merge")
    page.get_by_role("button", name="Check the merged record").click()
    page.get_by_role("heading", name="Check the merged record").wait_for()
    screen(page, shots, "11-merge-preview")
    page.get_by_label("Reason for the merge").fill("the same person, registered twice")
    page.get_by_role("button", name="Merge these records").click()
    assert page.get_by_role("status").inner_text() == "Done: merged."
    screen(page, shots, "12-after-merge")

    assert len(urls) > 20  # the listeners saw the journey
    leaked = [u for u in urls if any(p in u.lower() for p in PERSONAL)]
    assert leaked == []
