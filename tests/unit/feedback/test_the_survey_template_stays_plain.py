"""The survey email is a service message: its template says why it must stay plain (PECR),
holds no value of the record, and sells nothing."""

from __future__ import annotations

from pathlib import Path

import clientkeep.adapters.feedback_survey as survey_adapter
from clientkeep.adapters.feedback_survey import JinjaSurvey
from clientkeep.feedback.survey import SurveyContext

TEMPLATE = Path(survey_adapter.__file__).parent / "templates" / "survey_email.txt"


def context(about: str | None) -> SurveyContext:
    return SurveyContext(
        controller_name="Example Ltd",
        privacy_contact="dpo@example.com",
        about=about,
        csat_low=1,
        csat_high=5,
        signed_by="Example Ltd",
    )


def test_the_templates_docs_say_a_promoting_survey_is_marketing() -> None:
    docs = TEMPLATE.read_text().split("#}")[0]
    assert "PECR" in docs and "direct marketing" in docs and "marketing consent" in docs


def test_the_email_asks_about_the_contact_and_sells_nothing() -> None:
    email = JinjaSurvey().render(context("your phone call with us on 23 November 2026"))
    assert "your phone call with us on 23 November 2026" in email.body
    assert "1 (very dissatisfied) to 5 (very satisfied)" in email.body
    assert "PECR" not in email.body  # the docs are a comment, not sent
    lowered = email.body.casefold()
    assert not any(w in lowered for w in ("offer", "discount", "refer a friend", "prize"))


def test_without_a_contact_it_asks_about_the_service() -> None:
    assert "how our service to you went" in JinjaSurvey().render(context(None)).body
