"""Final response letters to complaints, written from a Jinja2 plain-text template."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from clientkeep.complaints.final_response import LetterContext


class JinjaComplaintLetters:
    def __init__(self) -> None:
        # Plain text, not HTML: a page showing the letter escapes it as it escapes everything
        # else. A missing name in the template is an error, never a blank.
        self._env = Environment(
            loader=PackageLoader("clientkeep.adapters.complaint_letters", "templates"),
            autoescape=False,  # noqa: S701 (plain text; pages escape it when shown)
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, context: LetterContext) -> str:
        return self._env.get_template("final_response.txt").render(letter=context)
