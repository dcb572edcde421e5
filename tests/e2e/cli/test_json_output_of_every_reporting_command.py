"""`--json` on the commands that report something: one JSON document on stdout, with the field
names the REST API uses where it shows the same thing; errors stay one line on stderr."""

from __future__ import annotations

import json

import pytest

from clientkeep import __version__
from clientkeep.adapters.db import migrate
from clientkeep.policy.loader import default_policy_path

PASSWORD = "a long enough passphrase for tests"
ACCOUNT_FIELDS = {
    "id",
    "username",
    "display_name",
    "role",
    "status",
    "must_change_password",
    "created_at",
}
TOKEN_FIELDS = {"id", "label", "created_at", "last_used_at", "revoked_at"}


def document(result) -> dict | list:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def add_user(run, username: str, role: str):
    return run(
        "user", "add", username, "--role", role, "--password-stdin", "--json",
        input=PASSWORD + "\n",
    )  # fmt: skip


def test_version(run) -> None:
    assert document(run("version", "--json")) == {"version": __version__}


def test_init_names_the_data_directory_and_the_first_administrator(run, cli_env) -> None:
    body = document(run("init", "--admin-password-stdin", "--json", input=PASSWORD + "\n"))
    assert body["data_dir"] == str(cli_env)
    assert set(body["admin"]) == ACCOUNT_FIELDS
    assert body["admin"]["username"] == "admin" and body["admin"]["status"] == "active"


def test_db_status_and_upgrade(run) -> None:
    head = migrate.head_revision()
    before = document(run("db", "status", "--json"))
    assert before == {"revision": None, "head": head, "up_to_date": False}
    assert document(run("db", "upgrade", "--json")) == {
        "revision": head,
        "head": head,
        "up_to_date": True,
    }
    assert document(run("db", "status", "--json"))["up_to_date"] is True


def test_db_reindex_counts_customers_and_batches(initialised, run) -> None:
    add_user(run, "sam", "supervisor")
    for email in ("one@example.org", "two@example.org", "three@example.org"):
        added = run(
            "customer", "add", "--as", "sam", "--purpose", "service", "--source", "phone",
            "--field", "given_name=Test", "--field", "family_name=Person",
            "--field", f"email={email}",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    body = document(run("db", "reindex", "--batch", "2", "--json"))
    assert body == {"customers": 3, "batches": 2}


def test_policy_check_valid_and_not(run, tmp_path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(default_policy_path().read_text(encoding="utf-8"))
    body = document(run("policy", "check", str(good), "--json"))
    assert body["valid"] is True and body["problems"] == []
    assert body["file"] == str(good) and body["fields"] > 0 and body["roles"] > 0
    bad = tmp_path / "bad.toml"
    bad.write_text('version = "x"\n')
    result = run("policy", "check", str(bad), "--json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["valid"] is False and body["fields"] is None
    assert body["problems"] and set(body["problems"][0]) == {"location", "message"}


def test_policy_check_of_an_unreadable_file_is_one_line_on_stderr(run, tmp_path) -> None:
    result = run("policy", "check", str(tmp_path / "missing.toml"), "--json")
    assert result.exit_code == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1


def test_keys_rotate_reports_what_it_rewrapped(initialised, run) -> None:
    body = document(run("keys", "rotate", "--json"))
    assert body["source"] == "file" and body["added_version"] is True
    assert body["target_version"] == 2
    assert body["secrets_rewrapped"] >= 1
    assert set(body["secrets_by_version"]) == {"2"}
    # Keyed as `keys status --json` keys them.
    status = document(run("keys", "status", "--json"))
    assert status["current_version"] == 2
    assert status["secrets_by_version"] == body["secrets_by_version"]


def test_user_add_list_and_changes_show_the_same_account(initialised, run) -> None:
    added = document(add_user(run, "ann", "agent"))
    assert set(added) == ACCOUNT_FIELDS and added["role"] == "agent"
    listed = document(run("user", "list", "--json"))
    assert added in listed
    disabled = document(run("user", "disable", "ann", "--json"))
    assert disabled["id"] == added["id"] and disabled["status"] == "disabled"


def test_token_create_list_and_revoke(initialised, run) -> None:
    add_user(run, "ann", "agent")
    made = document(
        run("token", "create", "ann", "--label", "scripts", "--password-stdin", "--json",
            input=PASSWORD + "\n")
    )  # fmt: skip
    assert set(made) == TOKEN_FIELDS | {"secret"}
    assert made["label"] == "scripts" and made["secret"] and made["revoked_at"] is None
    listed = document(run("token", "list", "ann", "--json"))
    assert [t["id"] for t in listed] == [made["id"]] and "secret" not in listed[0]
    revoked = document(run("token", "revoke", made["id"], "--json"))
    assert set(revoked) == TOKEN_FIELDS and revoked["id"] == made["id"] and revoked["revoked_at"]


def test_audit_verify(initialised, run) -> None:
    body = document(run("audit", "verify", "--json"))
    assert body["ok"] is True and body["count"] == body["head_seq"] >= 1


def test_audit_list_has_the_apis_fields_and_values(initialised, run, cli_env) -> None:
    # The CLI builds its page without the HTTP layer; the API's models say what it must hold.
    from clientkeep import bootstrap
    from clientkeep.adapters.http.routers.audit import AuditEventOut, AuditPageOut, event_out
    from clientkeep.config import load_settings
    from clientkeep.staff.directory import directory

    add_user(run, "dana", "dpo")
    body = document(run("audit", "list", "--as", "dana", "--limit", "2", "--json"))
    assert set(body) == set(AuditPageOut.model_fields)
    assert set(body["items"][0]) == set(AuditEventOut.model_fields)
    c = bootstrap.build(load_settings())
    try:
        with c.uow().reading() as uow:
            names = directory(uow.staff)
            seqs = {item["seq"] for item in body["items"]}
            events = [e for e in uow.audit.page(limit=500) if e.seq in seqs]
    finally:
        c.close()
    api = {e.seq: event_out(e, names).model_dump(mode="json") for e in events}
    assert {item["seq"]: item for item in body["items"]} == api


@pytest.mark.parametrize(
    "args",
    [
        ("db", "reindex", "--json"),
        ("audit", "verify", "--json"),
        ("customer", "find-duplicates", "--json"),
    ],
)
def test_an_error_is_one_line_on_stderr_and_nothing_on_stdout(run, args) -> None:
    result = run(*args)  # nothing initialised yet
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
