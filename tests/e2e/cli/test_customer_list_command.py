"""`clientkeep customer list`: pages of customers as a named member of staff, with the API's
field names in --json, cursors both ways, and one-line errors that name the option."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import add_customer, add_staff

GIVEN = ("Ann", "Ben", "Cal", "Dee")
POSTCODES = ("LS1 4AP", "M1 1AE", "SW1A 1AA", "EH1 1YZ")


@pytest.fixture
def listed(run):
    def invoke(*args: str):
        return run("customer", "list", *args)

    return invoke


@pytest.fixture
def four(initialised, run):
    add_staff(run)
    return [
        add_customer(
            run,
            {
                "given_name": GIVEN[n],
                "family_name": "Tester",
                "email": f"person{n}@example.com",
                "postcode": POSTCODES[n],
                "date_of_birth": f"19{70 + n}-01-02",
            },
        )
        for n in range(4)
    ]


def page(listed, *args: str) -> dict:
    result = listed("--as", "ann", "--purpose", "service", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_pages_on_and_back_with_the_api_field_names(four, listed) -> None:
    first = page(listed, "--sort", "created", "--order", "asc", "--limit", "3")
    assert set(first) == {"items", "next_cursor", "prev_cursor"} and first["prev_cursor"] is None
    assert [i["id"] for i in first["items"]] == [c["id"] for c in four[:3]]
    item = first["items"][0]
    assert (item["display_name"], item["postcode_district"], item["birth_year"]) == (
        "Ann Tester",
        "LS1",
        1970,
    )
    assert item["reference"] == four[0]["reference"] and item["needs_review"] is False
    rest = page(listed, "--sort", "created", "--order", "asc", "--cursor", first["next_cursor"])
    assert [i["id"] for i in rest["items"]] == [four[3]["id"]] and rest["next_cursor"] is None
    back = page(listed, "--sort", "created", "--order", "asc", "--cursor", rest["prev_cursor"])
    assert back["items"] == first["items"]


def test_the_table_says_names_cannot_be_sorted_across_the_book(four, listed, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = listed("--as", "ann", "--purpose", "service", "--limit", "2", "--by-name")
    assert result.exit_code == 0, result.output
    assert "encrypted" in result.stdout and "next: --cursor" in result.stdout
    assert "arranged by family name" in result.stdout
    for text in (four[3]["id"], four[3]["reference"], "EH1", "1973"):
        assert text in result.stdout


def test_needs_review_shows_the_suspected_duplicate(four, run, listed) -> None:
    twin = add_customer(
        run, {"given_name": "Ann", "family_name": "Tester", "email": "person0@example.com"}
    )
    flagged = page(listed, "--needs-review")["items"]
    assert {i["id"] for i in flagged} == {four[0]["id"], twin["id"]}
    assert all(i["suspected_duplicate"] for i in flagged)


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--cursor", "bm9wZTox"), 2, "cursor:"),
        (("--sort", "name"), 2, "sort:"),
        (("--limit", "500"), 2, "limit:"),
        (("--created-from", "yesterday"), 2, "created_from:"),
    ],
)
def test_bad_options_fail_in_one_line_naming_the_option(four, listed, args, code, says) -> None:
    result = listed("--as", "ann", "--purpose", "service", *args)
    assert result.exit_code == code
    assert says in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_purpose_without_names_or_an_unknown_member_is_refused(four, listed) -> None:
    assert listed("--as", "ann", "--purpose", "identity_verification").exit_code == 3
    assert listed("--as", "nobody", "--purpose", "service").exit_code == 4
