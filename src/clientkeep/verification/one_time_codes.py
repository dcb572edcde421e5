"""Verifying a caller by a one-time code sent to the contact details on their record.

The code goes only to the email address or phone number the record holds, never to one the
caller gives, through the outbox in the same unit of work as the code's row. Only a keyed
digest of the code is kept; it lasts a few minutes, works once, and only the latest code a
member of staff sent a customer counts. A wrong, used or expired code is one failure toward
the customer's lockout, answered alike, so the answer never says which it was.

Sending is limited per customer, whoever sends: not again within the policy's
``resend_after_seconds`` of the last code, and no more than ``max_codes_per_hour`` in an hour.
The sends are counted from the audit trail, where each one is recorded in the unit that sends
it (``verification_code`` keeps only the latest code of each member of staff, so it cannot
count them); the customer's row lock makes two sends take turns, so neither misses the other.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import Outcome, entry_for
from clientkeep.audit.ports import TrailFilter
from clientkeep.policy.access import projection_for, purpose_for
from clientkeep.policy.model import Policy, VerificationKind, VerificationMethod
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied, TooManyRequests
from clientkeep.shared.ids import new_id
from clientkeep.verification.kinds import PURPOSE
from clientkeep.verification.model import IssuedCode, Method
from clientkeep.verification.ports import CodeMessage, OneTimeCodes, VerificationUnitOfWork
from clientkeep.verification.services import (
    CheckResult,
    begin_check,
    lockout_rules,
    record_attempt,
)

CODE_DIGITS = 6
_CODE = re.compile(rf"\d{{{CODE_DIGITS}}}")
MESSAGE_KIND = "verification_code"
SENT = "customer.verification_code_sent"
_HOUR = timedelta(hours=1)


class TooManyCodes(TooManyRequests):
    """Codes were sent to this customer too recently or too often: try again at ``retry_at``.
    Says nothing of the customer or the codes; the same answer for every member of staff."""

    code = "too_many_codes"

    def __init__(self, message: str, *, retry_at: datetime, limit: str) -> None:
        super().__init__(message, retry_at=retry_at)
        # Which limit: "resend_after" (too soon after the last) or "per_hour".
        self.limit = limit


@dataclass(frozen=True, slots=True)
class SendCode:
    channel: str
    # The purpose the check is made under; the message goes under the policy's own.
    purpose: str = PURPOSE


@dataclass(frozen=True, slots=True)
class CodeCheck:
    code: str
    purpose: str = PURPOSE


@dataclass(frozen=True, slots=True)
class SentCode:
    channel: str
    expires_at: datetime
    # A masked form of where it went ("a***@example.com"), only where the message's purpose
    # shows the reader that field and does not hide it until the caller is verified; never
    # the address itself, never the code.
    hint: str | None


def one_time_code_method(policy: Policy) -> VerificationMethod:
    method = policy.verification.get(Method.ONE_TIME_CODE.value)
    if method is None or method.kind is not VerificationKind.ONE_TIME_CODE:
        raise PermissionDenied("The policy declares no check of callers by a one-time code.")
    return method


def _send_purpose(method: VerificationMethod) -> str:
    # The policy loader refuses a one-time-code method without its purpose.
    assert method.send_purpose is not None
    return method.send_purpose


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _code_id() -> str:
    return new_id("otc")


def code_digest(key: bytes, code_id: str, code: str) -> bytes:
    """HMAC-SHA256 of the code bound to its row, so a digest copied to another row, or one
    worked out for every six-digit number, is worth nothing without the key."""
    return hmac.new(key, f"{code_id}\0{code}".encode(), hashlib.sha256).digest()


def recipient_field(policy: Policy, channel: str) -> str:
    return policy.field_roles.email if channel == "email" else policy.field_roles.phone


def masked(channel: str, address: str) -> str:
    """Enough for the agent to ask "is that your address ending ...?", little more."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = "".join(ch for ch in address if ch.isdigit())
    return f"*** *** {digits[-4:]}"


def _message(
    policy: Policy, method: VerificationMethod, customer_id: str, channel: str, to: str, code: str
) -> CodeMessage:
    sender = policy.controller.name
    body = (
        f"Your {sender} verification code is {code}. It works once, for "
        f"{method.code_minutes} minutes. Read it only to the person you are speaking to on "
        "a call about your account."
    )
    return CodeMessage(
        customer_id=customer_id,
        channel=channel,
        to=to,
        subject=f"Your {sender} verification code",
        body=body,
        purpose=_send_purpose(method),
    )


@records_denials("customer.verification_code_sent", customer="customer_id")
def send_code(
    customer_id: str,
    request: SendCode,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    codes: OneTimeCodes,
) -> SentCode:
    """Send a new code to the customer's address on record for ``request.channel``; any
    earlier code this member of staff sent them stops counting."""
    method = one_time_code_method(policy)
    if request.channel not in method.channels:
        raise InvalidInput([("channel", f"Must be one of: {', '.join(method.channels)}.")])
    purpose_for(policy, actor.role, request.purpose)
    send_purpose = _send_purpose(method)
    purpose_for(policy, actor.role, send_purpose)
    to_field = recipient_field(policy, request.channel)
    rules = lockout_rules(policy, method)
    now = clock.now()
    with uow:
        # Sending to a locked customer would only hand out more guesses.
        customer, _ = begin_check(
            uow,
            actor,
            customer_id,
            rules=rules,
            now=now,
            action="customer.verification_code_sent",
            purpose=send_purpose,
            fields=(to_field,),
            method=method.name,
        )
        _refuse_if_too_frequent(
            uow,
            actor,
            customer.id,
            method=method,
            now=now,
            purpose=send_purpose,
            fields=(to_field,),
        )
        to = customer.value(to_field)
        if not to:
            what = "email address" if request.channel == "email" else "phone number"
            raise InvalidInput(
                [("channel", f"The record holds no {what} to send a code to: choose another.")]
            )
        code, code_id = new_code(), _code_id()
        issued = IssuedCode(
            id=code_id,
            customer_id=customer.id,
            staff_id=actor.id,
            channel=request.channel,
            digest=code_digest(codes.key, code_id, code),
            created_at=now,
            expires_at=now + timedelta(minutes=method.code_minutes),
        )
        uow.verifications.replace_code(issued)
        message_id = codes.messenger.send(
            uow,
            _message(policy, method, customer.id, request.channel, to, code),
            now,
            policy=policy,
            actor=actor,
        )
        uow.audit.append(
            entry_for(
                actor,
                SENT,
                customer_id=customer.id,
                purpose=send_purpose,
                fields=(to_field,),
                detail={
                    "method": method.name,
                    "channel": request.channel,
                    "code": issued.id,
                    "message": message_id,
                },
            )
        )
        uow.commit()
    # No hint of a detail hidden until the caller is verified: sending a code means they are
    # not yet, and "your number ending 0018" would tell them an answer the check asks for.
    shown = projection_for(policy, actor.role, send_purpose).shown
    hidden = policy.purpose(send_purpose).masked_until_verified
    return SentCode(
        channel=request.channel,
        expires_at=issued.expires_at,
        hint=masked(request.channel, to) if to_field in shown - hidden else None,
    )


def sends_in_the_last_hour(
    uow: VerificationUnitOfWork, customer_id: str, now: datetime, *, at_most: int
) -> list[datetime]:
    """When the newest ``at_most`` codes sent to the customer in the hour before ``now`` went,
    newest first, by anyone: the audit trail's successful sends of this customer."""
    since = uow.audit.first_seq_at(now - _HOUR)
    sent = uow.audit.page(
        TrailFilter(
            after_seq=since - 1,
            customer_id=customer_id,
            action=SENT,
            outcome=Outcome.SUCCESS.value,
        ),
        limit=at_most,
        newest_first=True,
    )
    return [e.occurred_at for e in sent if e.occurred_at > now - _HOUR]


def _refuse_if_too_frequent(
    uow: VerificationUnitOfWork,
    actor: Actor,
    customer_id: str,
    *,
    method: VerificationMethod,
    now: datetime,
    purpose: str,
    fields: tuple[str, ...],
) -> None:
    """Inside the caller's unit, under the customer's row lock: when a code went to this
    customer too recently, or the hour's allowance is used, the refusal is audited and
    committed and the caller gets ``TooManyCodes`` with the time to try again."""
    limit = method.max_codes_per_hour
    sent = sends_in_the_last_hour(uow, customer_id, now, at_most=limit)
    wait = timedelta(seconds=method.resend_after_seconds)
    reasons: list[tuple[str, datetime]] = []
    if sent and now < sent[0] + wait:
        reasons.append(("resend_after", sent[0] + wait))
    if len(sent) >= limit:
        # The oldest of the hour's allowance leaves the window first.
        reasons.append(("per_hour", sent[limit - 1] + _HOUR))
    if not reasons:
        return
    reason, retry_at = max(reasons, key=lambda r: r[1])
    uow.audit.append(
        entry_for(
            actor,
            SENT,
            outcome=Outcome.DENIED,
            customer_id=customer_id,
            purpose=purpose,
            fields=fields,
            detail={"method": method.name, "limit": reason, "retry_at": retry_at.isoformat()},
        )
    )
    uow.commit()
    if reason == "per_hour":
        message = (
            f"{limit} codes have been sent to this customer in the last hour, the most the "
            f"policy allows. Try again after {retry_at:%H:%M:%S} UTC, or verify the caller by "
            "their details."
        )
    else:
        message = (
            "A code was sent to this customer moments ago: ask the caller to look for it. "
            f"Another can be sent after {retry_at:%H:%M:%S} UTC."
        )
    raise TooManyCodes(message, retry_at=retry_at, limit=reason)


def _readable(code: str) -> str:
    typed = "".join(code.split())
    if not _CODE.fullmatch(typed):
        # A slip of the keyboard costs no attempt, as a mistyped answer does not.
        raise InvalidInput([("code", f"Enter the {CODE_DIGITS} digits the caller reads out.")])
    return typed


@records_denials("customer.verified", customer="customer_id")
def check_code(
    customer_id: str,
    check: CodeCheck,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    codes: OneTimeCodes,
) -> CheckResult:
    """Compare the code the caller reads out with the latest one this member of staff sent."""
    method = one_time_code_method(policy)
    purpose_for(policy, actor.role, check.purpose)
    typed = _readable(check.code)
    rules = lockout_rules(policy, method)
    now = clock.now()
    with uow:
        customer, failures = begin_check(
            uow,
            actor,
            customer_id,
            rules=rules,
            now=now,
            action="customer.verified",
            purpose=check.purpose,
            fields=(),
            method=method.name,
        )
        current = uow.verifications.current_code(customer.id, actor.id)
        # Digested and compared even with no code to compare with, so that case takes as
        # long as a wrong code.
        expected = current.digest if current is not None else bytes(32)
        code_id = current.id if current is not None else "none"
        same = hmac.compare_digest(code_digest(codes.key, code_id, typed), expected)
        passed = (
            same
            and current is not None
            and current.open_at(now)
            and uow.verifications.use_code(current.id, now)
        )
        done = record_attempt(
            uow,
            actor,
            customer_id=customer.id,
            method=Method.ONE_TIME_CODE,
            passed=passed,
            stated=(),
            purpose=check.purpose,
            now=now,
            rules=rules,
            failures=len(failures),
        )
        uow.commit()
    return done
