"""The canary scan of `clientkeep verify`: a customer whose date of birth, postcode, phone and
reference are canaries is checked by stated details (given as options and at the prompt; right,
wrong and unreadable, through to the lockout) and by one-time codes. No output of any command,
plain or --json, no log record and no audit event holds a held value or a stated answer."""

from __future__ import annotations

import logging
import re

from clientkeep import bootstrap
from clientkeep.audit.model import MAIN_CHAIN
from clientkeep.config import load_settings
from tests.e2e._canaries import FIELDS, HELD_FORMS, STATED_FORMS, forms_of_reference, found_in
from tests.e2e.cli.test_customer_commands import add_customer, add_staff
from tests.e2e.cli.test_verify_by_one_time_code_commands import code_sent_to

ECHOED = re.compile(r"(?<=\(Enter to skip\): )[^\n]*")


def reference_and_events(customer_id: str) -> tuple[str, list[tuple[str, str]]]:
    container = bootstrap.build(load_settings())
    try:
        with container.uow().reading() as uow:
            [customer] = uow.customers.get_many([customer_id])
            events = uow.audit.page(chain=MAIN_CHAIN, limit=100_000)
        reference = customer.value(container.policy.field_roles.reference)
    finally:
        container.close()
    assert reference
    return reference, [(f"audit {e.seq} {e.entry.action}", e.body.decode()) for e in events]


def test_no_verify_command_prints_logs_or_records_a_canary(run, initialised, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    add_staff(run)
    customer_id = add_customer(run, FIELDS)["id"]
    reference, _ = reference_and_events(customer_id)
    outputs = []

    def verify(*args, input=None):
        result = run("verify", *args, input=input)
        # At a prompt the test runner echoes what is typed, as a terminal would: that is the
        # agent's own typing, not output; everything the command writes is scanned.
        outputs.append((" ".join(args), ECHOED.sub("", result.output)))
        return result

    def answers(**given):
        return [a for name, value in given.items() for a in ("--answer", f"{name}={value}")]

    ann = (customer_id, "--as", "ann")
    assert (
        verify("check", *ann, *answers(date_of_birth="11/02/1952", postcode="ZE2 9AE")).exit_code
        == 1
    )
    assert (
        verify("check", *ann, *answers(date_of_birth="31/02/1952", postcode="ZE2 9AE")).exit_code
        == 2
    )
    right = answers(date_of_birth="29 August 1947", customer_reference=reference)
    assert verify("check", *ann, "--json", *right).exit_code == 0
    # At the prompt: date of birth, postcode, reference, last four of the phone.
    assert verify("check", *ann, input="\nKW17 2QJ\n\n3731\n").exit_code == 0
    assert verify("send-code", *ann, "--channel", "sms", "--json").exit_code == 0
    assert verify("send-code", *ann, "--channel", "email").exit_code != 0  # too soon
    code = code_sent_to(customer_id)
    assert verify("check", *ann, "--code", code, "--json").exit_code == 0
    assert verify("check", *ann, "--code", code).exit_code == 1  # used: the second failure
    assert (
        verify("check", *ann, *answers(phone_last_four="5519", postcode="ZE2 9AE")).exit_code == 1
    )
    locked = verify("check", *ann, *answers(date_of_birth="29/08/1947", postcode="KW172QJ"))
    assert locked.exit_code != 0 and "Too many failed verification attempts" in locked.output
    assert verify("list", *ann, "--json").exit_code == 0
    assert verify("list", *ann).exit_code == 0
    assert verify("lockouts", "--as", "sam", "--json").exit_code == 0
    assert verify("lockouts", "--as", "sam").exit_code == 0

    _, events = reference_and_events(customer_id)
    canaries = (*HELD_FORMS, *STATED_FORMS, *forms_of_reference(reference))
    for where, text in [*outputs, *events, *((r.name, r.getMessage()) for r in caplog.records)]:
        assert found_in(text, canaries) == [], f"canaries in {where}"
