"""`clientkeep disclose` tells a caller verified by the same member the fields named, as the
record shows them; without that verification it exits non-zero and prints no value;
`clientkeep disclosures` lists the log with who told whom what."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, {**ADA, "date_of_birth": "1979-03-14"})["id"]


def verified(run, customer_id, as_user="ann") -> str:
    done = run(
        "verify", "check", customer_id, "--as", as_user, "--json",
        "--answer", "date_of_birth=14/03/1979", "--answer", "postcode=sw1a 1aa",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)["verification_id"]


def disclose(run, customer_id, verification_id, *fields, as_user="ann", extra=()):
    return run(
        "disclose", customer_id, "--as", as_user, "--verification", verification_id,
        *(a for f in fields for a in ("--field", f)),
        "--channel", "phone", "--recipient", "the caller", *extra,
    )  # fmt: skip


def test_a_verified_caller_is_told_and_the_log_lists_it(run, ada) -> None:
    ver = verified(run, ada)
    done = disclose(run, ada, ver, "email", "phone", extra=("--json",))
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert body["disclosure_id"].startswith("dis_")
    assert body["values"] == {"email": "Ada.Lovelace@example.com", "phone": "020 7946 0018"}

    plain = disclose(run, ada, ver, "postcode")
    assert plain.exit_code == 0, plain.output
    assert "postcode: SW1A 1AA" in plain.output

    log = run("disclosures", ada, "--as", "ann", "--json")
    assert log.exit_code == 0, log.output
    items = json.loads(log.stdout)["items"]
    assert [i["fields"] for i in items] == [["postcode"], ["email", "phone"]]
    assert {i["recipient"] for i in items} == {"the caller"}
    assert {i["verification_id"] for i in items} == {ver}
    assert "example.com" not in log.stdout
    text = run("disclosures", ada, "--as", "ann")
    assert text.exit_code == 0 and "told the caller by phone: email, phone" in text.output


def test_without_your_verification_it_fails_and_shows_nothing(run, ada) -> None:
    ver = verified(run, ada)
    for who, given in (("ann", "ver_unknown"), ("sam", ver)):
        refused = disclose(run, ada, given, "email", as_user=who)
        assert refused.exit_code != 0
        assert "example.com" not in refused.output.lower()
    bad_field = disclose(run, ada, ver, "accessibility_needs")
    assert bad_field.exit_code == 2 and "fields.0" in bad_field.output
    log = run("disclosures", ada, "--as", "ann", "--json")
    assert json.loads(log.stdout)["items"] == []
