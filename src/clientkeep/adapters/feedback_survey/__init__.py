"""The survey email asking a customer for feedback, written from a Jinja2 plain-text template.

Keep it plain: see the comment at the top of ``templates/survey_email.txt`` (a survey that
promotes anything is direct marketing under PECR and needs marketing consent).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from clientkeep.feedback.survey import SurveyContext, SurveyEmail

SUBJECT = "How did we do?"


class JinjaSurvey:
    def __init__(self) -> None:
        # Plain text, not HTML; a missing name in the template is an error, never a blank.
        self._env = Environment(
            loader=PackageLoader("clientkeep.adapters.feedback_survey", "templates"),
            autoescape=False,  # noqa: S701 (plain text; pages escape it when shown)
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, context: SurveyContext) -> SurveyEmail:
        body = self._env.get_template("survey_email.txt").render(survey=context)
        return SurveyEmail(subject=SUBJECT, body=body)
