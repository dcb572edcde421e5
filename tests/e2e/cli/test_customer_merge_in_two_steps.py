"""`clientkeep customer merge SURVIVOR OTHER`: a preview first, which changes nothing and gives
a digest; then `--confirm DIGEST` merges exactly what was previewed, with the `--take` choices
it was previewed with, and a stale digest is refused with nothing changed."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

TWIN = {**ADA, "given_name": "Adah", "email": "adah@example.net", "town": "London"}
REASON = ("--reason", "same person, registered twice")


@pytest.fixture
def pair(initialised, run) -> tuple[str, str]:
    add_staff(run)
    return add_customer(run)["id"], add_customer(run, TWIN)["id"]


def merge(run, survivor: str, other: str, *args: str):
    return run("customer", "merge", survivor, other, "--as", "sam", "--purpose", "service", *args)


def preview(run, survivor: str, other: str, *args: str) -> dict:
    result = merge(run, survivor, other, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def exists(run, customer_id: str) -> bool:
    shown = run("customer", "show", customer_id, "--as", "ann", "--purpose", "service")
    assert shown.exit_code in (0, 4), shown.output
    return shown.exit_code == 0


def row(body: dict, name: str) -> dict:
    return next(f for f in body["fields"] if f["name"] == name)


def test_the_preview_has_the_apis_fields_and_changes_nothing(pair, run) -> None:
    from clientkeep.adapters.http.routers.merge import MergePreviewOut, NameOut, OtherRecordOut

    survivor, other = pair
    body = preview(run, survivor, other)
    assert set(body) == set(MergePreviewOut.model_fields)
    assert set(body["name"]) == set(NameOut.model_fields)
    assert set(body["other_record"]) == set(OtherRecordOut.model_fields)
    assert body["survivor_id"] == survivor and body["other_record"]["id"] == other
    assert len(body["preview_digest"]) == 64
    # Equal values once, differing ones a choice, a value only the other holds comes across.
    assert row(body, "family_name")["source"] == "both"
    email = row(body, "email")
    assert email["choice"] and email["source"] == "survivor"
    assert email["result"] == email["survivor"] != email["duplicate"] == "adah@example.net"
    assert row(body, "town")["source"] == "duplicate" and row(body, "town")["result"] == "London"
    assert body["name"]["choice"] and not body["name"]["from_duplicate"]
    assert exists(run, survivor) and exists(run, other)
    assert preview(run, survivor, other)["preview_digest"] == body["preview_digest"]


def test_the_text_preview_shows_sources_choices_and_how_to_confirm(pair, run) -> None:
    survivor, other = pair
    result = merge(run, survivor, other)
    assert result.exit_code == 0, result.output
    text = result.stdout
    digest = preview(run, survivor, other)["preview_digest"]
    assert "Nothing has been changed" in text
    assert f"digest: {digest}" in text and f"--confirm {digest}" in text
    assert f"survivor: {survivor}" in text and f"other:    {other}" in text
    assert "both (the same)" in text and "Adah (other)" in text
    assert f"--take email={other}" in text and f"--name-from {other}" in text
    assert "adah@example.net" in text and "London" in text
    assert exists(run, other)


def test_confirming_merges_with_the_values_taken(pair, run) -> None:
    survivor, other = pair
    take = ("--take", f"email={other}", "--take", f"phone={survivor}")
    digest = preview(run, survivor, other, *take)["preview_digest"]
    merged = merge(run, survivor, other, *take, "--confirm", digest, *REASON, "--json")
    assert merged.exit_code == 0, merged.output
    record = json.loads(merged.stdout)
    assert record["id"] == survivor
    assert record["fields"]["email"] == "adah@example.net"
    assert record["fields"]["given_name"] == "Ada" and record["fields"]["town"] == "London"
    assert not exists(run, other)


def test_the_name_is_taken_whole_from_the_record_named(pair, run) -> None:
    survivor, other = pair
    body = preview(run, survivor, other, "--name-from", other)
    assert body["name"]["from_duplicate"] and row(body, "given_name")["result"] == "Adah"
    merged = merge(run, survivor, other, "--name-from", other, "--confirm",
                   body["preview_digest"], *REASON, "--json")  # fmt: skip
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.stdout)["fields"]["given_name"] == "Adah"


def test_a_stale_digest_is_refused_and_nothing_is_merged(pair, run) -> None:
    survivor, other = pair
    digest = preview(run, survivor, other)["preview_digest"]
    changed = run(
        "customer", "update", other, "--as", "ann", "--purpose", "service",
        "--field", "town=Leeds", "--reason", "moved", "--source", "internal_records",
    )  # fmt: skip
    assert changed.exit_code == 0, changed.output
    refused = merge(run, survivor, other, "--confirm", digest, *REASON)
    assert refused.exit_code != 0
    assert refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
    assert "changed after the preview" in refused.stderr
    assert exists(run, other)


def test_confirming_other_choices_than_were_previewed_is_refused(pair, run) -> None:
    survivor, other = pair
    digest = preview(run, survivor, other)["preview_digest"]
    refused = merge(run, survivor, other, "--take", f"email={other}", "--confirm", digest, *REASON)
    assert refused.exit_code != 0 and exists(run, other)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--take", "email"), "--take: item 1 is not FIELD=CUSTOMER_ID"),
        (("--take", "email=cus_someoneelse"), "--take email: give SURVIVOR or OTHER"),
        (("--take", "given_name={other}"), "(--name-from)"),
        (("--take", "family_name={other}"), "(--name-from)"),
        (("--take", "address_line1={other}"), "--take address_line1: The duplicate holds no"),
        (("--name-from", "cus_someoneelse"), "--name-from: give SURVIVOR or OTHER"),
        (("--confirm", "not-a-digest", *REASON), "--confirm: give the digest"),
        (("--confirm", "0" * 64), "--reason: say why"),
    ],
)
def test_bad_choices_are_one_line_naming_the_option(pair, run, args, said) -> None:
    survivor, other = pair
    result = merge(run, survivor, other, *(a.format(other=other) for a in args))
    assert result.exit_code == 2, result.output
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert exists(run, other)


def test_only_a_role_that_merges_may_preview(pair, run) -> None:
    survivor, other = pair
    result = run("customer", "merge", survivor, other, "--as", "ann")
    assert result.exit_code == 3
