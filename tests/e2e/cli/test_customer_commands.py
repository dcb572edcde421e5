"""`clientkeep customer add|show|find` as staff would use them, and who may use them."""

from __future__ import annotations

import json

import pytest

from clientkeep import bootstrap
from clientkeep.adapters.cli._common import os_user
from clientkeep.audit.ports import TrailFilter
from clientkeep.config import load_settings

PASSWORD = "a sound long password"
STAFF = {"ann": "agent", "sam": "supervisor", "dee": "dpo"}
ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "Ada.Lovelace@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
}


def add_staff(run) -> None:
    for username, role in STAFF.items():
        result = run(
            "user", "add", username, "--role", role, "--password-stdin", input=PASSWORD + "\n"
        )
        assert result.exit_code == 0, result.output


def field_args(fields: dict[str, str]) -> list[str]:
    return [arg for name, value in fields.items() for arg in ("--field", f"{name}={value}")]


def add_customer(run, fields=None, *, as_user="ann", extra=()) -> dict:
    result = run(
        "customer",
        "add",
        "--as",
        as_user,
        "--purpose",
        "service",
        "--source",
        "phone",
        *field_args(fields or ADA),
        *extra,
        "--json",
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def staff(initialised, run) -> None:
    add_staff(run)


def test_add_prints_the_id_reference_and_normalised_values(staff, run) -> None:
    added = add_customer(run)
    assert added["id"].startswith("cus_") and added["reference"].startswith("CK-")
    fields = added["fields"]
    assert fields["phone"] == "+442079460018"
    assert added["field_details"]["phone"]["display"] == "020 7946 0018"
    assert fields["postcode"] == "SW1A 1AA"
    assert fields["email"].lower() == "ada.lovelace@example.com"
    assert added["possible_duplicates"] == [] and added["replayed"] is False


def test_add_as_a_table_shows_the_values_and_warns_of_a_possible_duplicate(staff, run) -> None:
    first = add_customer(run)
    result = run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--source",
        "email",
        *field_args({**ADA, "given_name": "Adah"}),
    )
    assert result.exit_code == 0, result.output
    assert "Lovelace" in result.stdout and "020 7946 0018" in result.stdout
    assert "possible duplicates" in result.stdout and first["id"] in result.stdout


def test_the_same_idempotency_key_adds_once(staff, run) -> None:
    key = ("--idempotency-key", "import-row-17")
    first = add_customer(run, extra=key)
    again = add_customer(run, extra=key)
    assert again["id"] == first["id"] and again["replayed"] is True


def test_a_bad_email_fails_in_one_line_without_echoing_it(staff, run) -> None:
    result = run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--source",
        "phone",
        *field_args({**ADA, "email": "ada-at-nowhere"}),
    )
    assert result.exit_code == 2
    assert "fields.email" in result.output and "ada-at-nowhere" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_field_the_purpose_does_not_use_is_refused(staff, run) -> None:
    result = run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "billing",
        "--source",
        "phone",
        *field_args(ADA),
    )
    assert result.exit_code == 2
    assert "fields.phone" in result.output and "data minimisation" in result.output


def test_a_field_without_an_equals_sign_is_refused_without_echoing_it(staff, run) -> None:
    result = run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--source",
        "phone",
        *field_args(ADA),
        "--field",
        "ada@example.com",
    )
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output and "ada@example.com" not in result.output


def test_an_unknown_or_disabled_member_of_staff_cannot_act(staff, run) -> None:
    unknown = run("customer", "review", "--as", "nobody")
    assert unknown.exit_code == 4 and "--as" in unknown.output
    assert run("user", "disable", "sam").exit_code == 0
    assert run("customer", "review", "--as", "sam").exit_code == 4


def test_clientkeep_as_in_the_environment_names_who_acts(staff, run, monkeypatch) -> None:
    monkeypatch.setenv("CLIENTKEEP_AS", "sam")
    result = run("customer", "review", "--json")
    assert result.exit_code == 0, result.output


def test_an_agent_never_sees_accessibility_needs_and_may_not_record_them(staff, run) -> None:
    needs = {**ADA, "accessibility_needs": "Large print letters"}
    consent = ("--explicit-consent", "accessibility_needs")
    added = add_customer(run, needs, as_user="sam", extra=consent)
    for_supervisor = json.loads(
        run("customer", "show", added["id"], "--as", "sam", "--purpose", "service", "--json").stdout
    )
    assert for_supervisor["fields"]["accessibility_needs"] == "Large print letters"
    shown = run("customer", "show", added["id"], "--as", "ann", "--purpose", "service", "--json")
    assert shown.exit_code == 0
    assert "accessibility_needs" not in json.loads(shown.stdout)["fields"]
    assert "Large print" not in shown.output
    refused = run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--source",
        "phone",
        *field_args(needs),
        *consent,
    )
    assert refused.exit_code == 3 and "Large print" not in refused.output


def test_an_administrator_sees_no_customer_data(staff, run) -> None:
    added = add_customer(run)
    shown = run("customer", "show", added["id"], "--as", "admin", "--purpose", "service")
    assert shown.exit_code == 3 and "Lovelace" not in shown.output
    adding = run(
        "customer",
        "add",
        "--as",
        "admin",
        "--purpose",
        "service",
        "--source",
        "phone",
        *field_args(ADA),
    )
    assert adding.exit_code == 3


def test_show_prints_labels_display_values_and_confirmation(staff, run) -> None:
    added = add_customer(run)
    result = run("customer", "show", added["id"], "--as", "ann", "--purpose", "service")
    assert result.exit_code == 0, result.output
    for text in ("Phone number", "020 7946 0018", "SW1A 1AA", "not yet", added["reference"]):
        assert text in result.stdout


def test_show_of_an_unknown_id_exits_4(staff, run) -> None:
    result = run("customer", "show", "cus_nope", "--as", "ann", "--purpose", "service")
    assert result.exit_code == 4 and "No customer" in result.output


@pytest.mark.parametrize(
    "criterion",
    [
        ("--phone", "+44 20 7946 0018"),
        ("--phone", "(020) 7946-0018"),
        ("--email", "ADA.LOVELACE@example.com"),
        ("--postcode", "SW1A 1AA"),
        ("0207 946 0018",),
    ],
)
def test_find_by_phone_email_or_postcode_in_any_format(staff, run, criterion) -> None:
    added = add_customer(run)
    found = run("customer", "find", "--as", "ann", "--purpose", "service", *criterion, "--json")
    assert found.exit_code == 0, found.output
    assert [m["id"] for m in json.loads(found.stdout)["items"]] == [added["id"]]


@pytest.mark.parametrize("name", ["Ada Lovelase", "Lovelace", "Adah Lovelace"])
def test_find_by_a_name_forgives_typos(staff, run, name) -> None:
    added = add_customer(run)
    add_customer(
        run, {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.net"}
    )
    found = run("customer", "find", "--as", "ann", "--purpose", "service", "--name", name)
    assert found.exit_code == 0, found.output
    assert added["id"] in found.stdout and "Hopper" not in found.stdout


def test_find_by_reference_as_a_table(staff, run) -> None:
    added = add_customer(run)
    found = run(
        "customer",
        "find",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--reference",
        added["reference"].lower(),
    )
    assert found.exit_code == 0, found.output
    assert added["id"] in found.stdout and "SW1A" in found.stdout


@pytest.mark.parametrize("criteria", [(), ("--email", "a@example.com", "--name", "Ada")])
def test_find_needs_exactly_one_criterion(staff, run, criteria) -> None:
    result = run("customer", "find", "--as", "ann", "--purpose", "service", *criteria)
    assert result.exit_code == 2 and "exactly one" in result.output


def test_the_audit_trail_records_the_member_of_staff_using_the_cli(staff, run) -> None:
    added = add_customer(run)
    assert (
        run("customer", "show", added["id"], "--as", "Ann", "--purpose", "billing").exit_code == 0
    )
    c = bootstrap.build(load_settings())
    try:
        with c.uow() as uow:
            member = uow.staff.by_username("ann")
            reads = uow.audit.page(TrailFilter(action="customer.read"), limit=500)
    finally:
        c.close()
    assert [
        (e.entry.actor_id, e.entry.actor_role, e.entry.credential, e.entry.purpose) for e in reads
    ] == [(member.id, "agent", f"cli:{os_user()}", "billing")]


def test_values_are_printed_as_typed_not_read_as_markup(staff, run) -> None:
    added = add_customer(run, {**ADA, "address_line1": "Flat [b]2[/b] [/] Example Street"})
    shown = run("customer", "show", added["id"], "--as", "ann", "--purpose", "service")
    assert shown.exit_code == 0, shown.output
    assert "Flat [b]2[/b] [/] Example Street" in shown.stdout
