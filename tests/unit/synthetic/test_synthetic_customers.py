"""The synthetic generator: reproducible, valid under the default policy, duplicates with truth."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from clientkeep.customers._collect import collect, require_complete
from clientkeep.customers.values import parse_phone
from clientkeep.policy.loader import load_policy
from clientkeep.shared.actor import Actor
from clientkeep.synthetic import (
    VARIATIONS,
    customers,
    generate,
    read_dataset,
    read_truth,
    write_dataset,
)

POLICY = load_policy(None)
SUPERVISOR = Actor(id="stf_test", name="test", role="supervisor")


def test_the_same_seed_gives_the_same_customers_and_another_seed_does_not() -> None:
    first = list(generate(200, seed=7, duplicate_rate=0.1))
    assert first == list(generate(200, seed=7, duplicate_rate=0.1))
    assert first != list(generate(200, seed=8, duplicate_rate=0.1))


def test_every_record_passes_the_default_policys_validation() -> None:
    purpose = POLICY.purposes["service"]
    for record in generate(1_500, seed=3, duplicate_rate=0.1):
        collected = collect(
            POLICY,
            SUPERVISOR,
            purpose,
            record.fields,
            explicit_consent=record.explicit_consent,
            today=date(2026, 11, 24),
        )
        require_complete(purpose, set(collected.values))


def test_only_injected_duplicates_share_a_phone_or_email() -> None:
    owner: dict[str, str] = {}
    records = {r.key: r for r in generate(3_000, seed=5, duplicate_rate=0.05)}
    for record in records.values():
        original = record.duplicate_of or record.key
        for name in ("email", "phone"):
            value = record.fields.get(name)
            if value is None:
                continue
            value = str(parse_phone(value).national_number) if name == "phone" else value.casefold()
            seen = owner.setdefault(f"{name}:{value}", original)
            assert seen == original, f"{record.key} shares a {name} with an unrelated record"


def test_duplicates_copy_an_earlier_record_in_the_named_way() -> None:
    records = list(generate(4_000, seed=11, duplicate_rate=0.1))
    by_key = {r.key: r for r in records}
    duplicates = [r for r in records if r.duplicate_of]
    assert 250 < len(duplicates) < 550
    assert set(Counter(r.variation for r in duplicates)) <= set(VARIATIONS)
    assert {"typo", "swapped_names", "phone_reformatted", "missing_fields"} <= {
        r.variation for r in duplicates
    }
    for dup in duplicates:
        original = by_key[dup.duplicate_of]
        assert original.duplicate_of is None and original.key < dup.key
        if dup.variation == "swapped_names":
            assert (dup.fields["given_name"], dup.fields["family_name"]) == (
                original.fields["family_name"],
                original.fields["given_name"],
            )
        if dup.variation == "phone_reformatted":
            assert dup.fields["phone"] != original.fields["phone"]
            assert parse_phone(dup.fields["phone"]) == parse_phone(original.fields["phone"])
        if dup.variation == "missing_fields":
            assert set(dup.fields) < set(original.fields)


def test_names_have_variety_and_some_customers_have_accessibility_needs_with_consent() -> None:
    records = list(generate(3_000, seed=2))
    families = Counter(r.fields["family_name"] for r in records)
    assert len(families) > 500
    assert any(not name.isascii() for name in families)
    assert any("-" in name for name in families)
    needs = [r for r in records if "accessibility_needs" in r.fields]
    assert needs and all(r.explicit_consent == {"accessibility_needs"} for r in needs)


def test_generation_streams_without_building_the_whole_book() -> None:
    stream = generate(10**9, seed=1, duplicate_rate=0.02)
    first = list(itertools.islice(stream, 5))
    assert [r.key for r in first] == [f"S{i:07d}" for i in range(5)]


def test_a_written_dataset_reads_back_with_its_truth(tmp_path) -> None:
    data, truth = tmp_path / "customers.jsonl", tmp_path / "truth.csv"
    injected = write_dataset(data, truth, 500, seed=4, duplicate_rate=0.1)
    read = list(read_dataset(data))
    assert [r.fields for r in read] == [r.fields for r in generate(500, seed=4, duplicate_rate=0.1)]
    pairs = list(read_truth(truth))
    assert len(pairs) == injected > 0
    keys = {r.key for r in read}
    assert all(dup in keys and original in keys for dup, original, _ in pairs)


def test_the_fields_only_helper_yields_plain_dicts() -> None:
    assert list(customers(3, seed=9)) == [r.fields for r in generate(3, seed=9)]
