"""The reply templates put in exactly the details given, as text: a value that looks like a
template or markup is printed as typed, and each form names the controller and the ICO."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientkeep.adapters.replies import JinjaReplies
from clientkeep.verification.replies import ReplyContext, ReplyForm


def context(details: tuple[tuple[str, str], ...]) -> ReplyContext:
    return ReplyContext(
        controller_name="Example Trading Ltd",
        controller_address="1 Example Street, Exampletown",
        privacy_contact="dataprotection@example.co.uk",
        recipient="the caller",
        dated=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        disclosure_id="dis_abc",
        details=details,
        signed_by="Ann Agent",
    )


@pytest.mark.parametrize("form", list(ReplyForm))
def test_each_detail_is_one_line_of_the_reply_and_the_rights_are_stated(form) -> None:
    reply = JinjaReplies().render(form, context((("Postcode", "SW1A 1AA"), ("Town", "Leeds"))))
    lines = reply.body.splitlines()
    assert "Postcode: SW1A 1AA" in lines and "Town: Leeds" in lines
    assert "dis_abc" in reply.body and "Example Trading Ltd" in reply.body
    assert "dataprotection@example.co.uk" in reply.body and "ico.org.uk" in reply.body
    assert reply.subject and "\n" not in reply.subject


def test_a_value_that_looks_like_a_template_is_printed_as_typed() -> None:
    hostile = "{{ 7 * 7 }} {% raw %}<script>"
    reply = JinjaReplies().render(ReplyForm.LETTER, context((("Address line 1", hostile),)))
    assert f"Address line 1: {hostile}" in reply.body
    assert "49" not in reply.body


def test_the_letter_is_dated_in_words() -> None:
    reply = JinjaReplies().render(ReplyForm.LETTER, context(()))
    assert "1 December 2026" in reply.body
