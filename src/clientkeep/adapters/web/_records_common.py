"""What the customer screens share: the purposes a role may use, which fields a form shows,
the notices a screen may show, and where each error in an error summary leads."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

from clientkeep.adapters.web.session import SignedInStaff
from clientkeep.bootstrap import Container
from clientkeep.policy.model import FieldDef
from clientkeep.shared.errors import DomainError, PermissionDenied

# The id of every form that can report a form-wide problem: a summary link for an error that
# names no single field leads here.
FORM_ID = "form"

# ?done= carries only a code: the notice shown is always one the app wrote, so nobody can
# send staff a link that makes the page say something else. Unknown codes show nothing.
DONE_NOTICES: dict[str, str] = {
    "saved": "Done: saved.",
    "saved_beside_duplicates": (
        "Done: saved. It may be the same person as a record already on file, so a "
        "supervisor will review the two."
    ),
    "updated": "Done: updated.",
    "confirmed": "Done: confirmed.",
    "merged": "Done: merged.",
    "dismissed": "Done: dismissed.",
}


class PurposeNotRecognised(DomainError):
    """A purpose the policy does not have was asked for (shown as a 400 page)."""

    code = "unknown_purpose"


def container(request: Request) -> Container:
    c: Container = request.app.state.container
    return c


def purposes_for(c: Container, staff: SignedInStaff) -> list[str]:
    role = c.policy.roles.get(staff.actor.role)
    return [p for p in c.policy.purposes if role is not None and p in role.purposes]


def chosen_purpose(c: Container, staff: SignedInStaff, asked: str | None) -> str:
    """The purpose asked for; none asked means the role's usual one.

    A purpose the role may not use, or one the policy does not have, is an error: a screen
    never quietly shows another purpose's details than the one asked for.
    """
    allowed = purposes_for(c, staff)
    if not allowed:
        raise PermissionDenied("Your role sees no customer data.")
    if not asked:
        usual = c.policy.default_purpose
        return usual if usual in allowed else allowed[0]
    if asked in allowed:
        return asked
    choices = ", ".join(p.replace("_", " ") for p in allowed)
    if asked in c.policy.purposes:
        raise PermissionDenied(
            f"Your role may not work under the {asked.replace('_', ' ')} purpose. "
            f"Choose one of: {choices}."
        )
    # What was asked is not repeated: it came from an address anyone could have written.
    raise PurposeNotRecognised(f"There is no such purpose. Choose one of: {choices}.")


def done_notice(code: str | None) -> str | None:
    return DONE_NOTICES.get(code or "")


def form_fields(c: Container, staff: SignedInStaff, purpose: str) -> list[FieldDef]:
    """The fields staff may type for this purpose, in policy order."""
    visible = c.policy.visible_fields(staff.actor.role, purpose)
    return [
        f for name, f in c.policy.fields.items() if name in visible and not f.system and f.on_record
    ]


def input_type(field: FieldDef) -> str:
    return {"email": "email", "phone": "tel", "date": "date"}.get(field.type.value, "text")


def summary_links(
    errors: Mapping[str, str],
    targets: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(element id, message) for each error: the control at fault, else the form itself.

    A summary is read away from the fields, so each message names its field: one that does
    not already ("The service purpose requires this.") is given the field's label first."""
    links = []
    for key, message in errors.items():
        label = (labels or {}).get(key)
        if label and label.casefold() not in message.casefold():
            # "The ..." reads on after a colon as "the ..."; "UK ..." stays as it is.
            lowered = message[:1].lower() if message[1:2].islower() else message[:1]
            message = f"{label}: {lowered}{message[1:]}"
        links.append((targets.get(key, FORM_ID), message))
    return links


def reveal_asked(request: Request, reveal: str | None) -> str | None:
    """A reveal carried by a link (the Edit and History tabs after the Details tab's reveal)
    counts only when the browser says the link was followed from this site or typed: a link
    on another site must not record a reveal in a signed-in member's name. Browsers send
    Sec-Fetch-Site on every navigation; a client that sends none is taken at its word."""
    if not reveal:
        return None
    return reveal if request.headers.get("sec-fetch-site", "same-origin") in _OWN else None


_OWN = ("same-origin", "none")
