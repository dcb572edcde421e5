"""Replies to a disclosure written from Jinja2 templates: plain text, one template per form."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from clientkeep.verification.replies import Reply, ReplyContext, ReplyForm

SUBJECTS = {
    ReplyForm.LETTER: "The details you asked for",
    ReplyForm.EMAIL: "The details you asked us for",
}


class JinjaReplies:
    def __init__(self) -> None:
        # Plain text, not HTML: nothing here is parsed as markup, and a page showing a letter
        # escapes it as it escapes everything else. A missing name in a template is an error,
        # never a blank.
        self._env = Environment(
            loader=PackageLoader("clientkeep.adapters.replies", "templates"),
            autoescape=False,  # noqa: S701 (plain text; pages escape it when shown)
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, form: ReplyForm, context: ReplyContext) -> Reply:
        template = self._env.get_template(f"disclosure_{form.value}.txt")
        return Reply(subject=SUBJECTS[form], body=template.render(reply=context))
