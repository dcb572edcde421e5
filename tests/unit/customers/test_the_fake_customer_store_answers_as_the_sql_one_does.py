"""The in-memory customer store answers the port's questions the way the SQL one does, so the
use cases' unit tests mean what their storage tests mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clientkeep.customers.model import Customer, FieldRecord, Source
from clientkeep.customers.ports import DuplicateSuspect, IndexTerm

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def customer(customer_id: str, **values: str) -> Customer:
    fields = {n: FieldRecord(v, T0, "stf_agent", Source.PHONE) for n, v in values.items()}
    return Customer(id=customer_id, created_at=T0, updated_at=T0, fields=fields)


def term(kind: str, text: str, field: str | None = None) -> IndexTerm:
    return IndexTerm(field or kind, kind, text)


@pytest.fixture
def store(uow):
    uow.customers.add_many(
        [
            (customer("cus_b", given_name="Ada"), [term("name", "ada"), term("name", "lovelace")]),
            (customer("cus_a", given_name="Ada"), [term("name", "ada")]),
            (customer("cus_c", given_name="Bob"), [term("name", "lovelace")]),
        ]
    )
    return uow.customers


def test_customers_holding_more_of_the_terms_come_first_then_by_id(store) -> None:
    found = store.find_by_terms([("name", "ada"), ("name", "lovelace"), ("name", "nobody")])
    assert found == ["cus_b", "cus_a", "cus_c"]
    assert store.find_by_terms([("name", "ada")], limit=1) == ["cus_a"]


def test_one_term_held_under_two_fields_counts_once(store) -> None:
    store.replace_all_terms("cus_a", [term("name", "ada", "given_name"), term("name", "ada")])
    assert store.find_by_terms([("name", "ada"), ("name", "lovelace")]) == [
        "cus_b",
        "cus_a",
        "cus_c",
    ]


def test_a_merged_customer_is_no_longer_found_but_still_resolves(store, uow) -> None:
    store.mark_merged("cus_b", "cus_a", T0)
    assert store.find_by_terms([("name", "lovelace")]) == ["cus_c"]
    assert store.get_many(["cus_b", "cus_a"]) == [store.get("cus_a")]
    assert store.get("cus_b").merged_into == "cus_a"
    assert store.live_ids(after=None, limit=10) == ["cus_a", "cus_c"]
    assert [r.customer_id for r in uow.key_outbox.requests] == ["cus_b"]


def test_only_the_fields_asked_for_are_opened_in_the_order_asked(store) -> None:
    store.set_fields("cus_c", {"email": FieldRecord("b@x.org", T0, "s", Source.EMAIL)}, T0)
    (bob, ada) = store.get_many(["cus_c", "cus_a", "cus_c"], fields={"email"})
    assert (bob.id, set(bob.fields)) == ("cus_c", {"email"})
    assert (ada.id, ada.fields) == ("cus_a", {})


def test_a_record_handed_out_cannot_change_what_is_stored(store) -> None:
    handed_out = store.get("cus_a")
    handed_out.fields.clear()  # type: ignore[attr-defined]
    assert store.get("cus_a").value("given_name") == "Ada"


def test_stale_candidates_come_oldest_confirmation_first(store) -> None:
    store.set_fields(
        "cus_c", {"given_name": FieldRecord("Bob", T0 - timedelta(days=9), "s", Source.EMAIL)}, T0
    )
    cutoff = {"given_name": T0 + timedelta(days=1)}
    assert store.stale_candidates(cutoff, limit=10) == ["cus_c", "cus_a", "cus_b"]
    assert store.stale_candidates({"given_name": T0}, limit=10) == ["cus_c"]


def test_erasing_a_field_takes_its_own_terms_and_erasing_all_takes_every_term(store) -> None:
    store.replace_all_terms("cus_b", [term("name", "ada", "given_name"), term("name_dob", "x")])
    assert store.erase_fields("cus_b", ["given_name"]) == 1
    assert store.find_by_terms([("name", "ada")]) == ["cus_a"]
    assert store.find_by_terms([("name_dob", "x")]) == ["cus_b"]  # for the caller to rewrite
    assert store.erase_fields("cus_b") == 0
    assert store.find_by_terms([("name_dob", "x")]) == []


def test_shared_tokens_group_their_holders_and_leave_common_values_uncounted_by_id(
    uow, store
) -> None:
    groups = uow.duplicates.shared_token_groups("name", max_size=2)
    assert groups == [
        (b"ada".hex(), 2, ("cus_a", "cus_b")),
        (b"lovelace".hex(), 2, ("cus_b", "cus_c")),
    ]
    assert uow.duplicates.shared_token_groups("name", after=b"ada".hex()) == groups[1:]
    assert [n for _, n, ids in uow.duplicates.shared_token_groups("name", max_size=1)] == [2, 2]
    assert all(ids == () for _, _, ids in uow.duplicates.shared_token_groups("name", max_size=1))


def test_known_pairs_are_known_either_way_round(uow) -> None:
    uow.duplicates.add(DuplicateSuspect("dup_1", "cus_a", "cus_b", ("same phone",), T0))
    uow.duplicates.resolve("dup_1", T0, "not_duplicate")
    asked = [("cus_b", "cus_a"), ("cus_a", "cus_c")]
    assert uow.duplicates.known_pairs(asked) == {("cus_b", "cus_a")}
