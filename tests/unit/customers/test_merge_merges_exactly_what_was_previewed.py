"""The merge works the preview out again from the records under lock: it makes the record
the preview showed, keeps the name whole, and refuses (changing nothing) when a record
changed since the preview or the choices are not the ones previewed."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers.merge import MergePreviewOutdated
from clientkeep.customers.model import ChangeKind
from clientkeep.shared.errors import InvalidInput
from tests.unit.customers import _merge_pairs
from tests.unit.customers._merge_pairs import everything

# The shared fixtures: a pair of records of one person, a preview and a merge of them.
pair, kinds, preview, merge = (
    _merge_pairs.pair,
    _merge_pairs.kinds,
    _merge_pairs.preview,
    _merge_pairs.merge,
)


def test_the_merged_record_reads_as_the_preview_said(pair, preview, merge) -> None:
    rhys, rees = pair
    p = preview(rhys.id, rees.id, name=True, take={"phone"})
    merged = merge(rhys.id, rees.id, digest=p.digest, name=True, take={"phone"})
    assert {n: f.display for n, f in merged.fields.items()} == {
        r.name: r.result for r in p.rows if r.result is not None
    }
    assert merged.display_name == p.result_name == "Bob Jones"


def test_keeping_the_survivors_name_never_makes_a_name_neither_had(
    uow, pair, preview, merge
) -> None:
    rhys, rees = pair
    merged = merge(rhys.id, rees.id, digest=preview(rhys.id, rees.id).digest)
    assert merged.display_name == "Rhys Jones"
    assert uow.customers.get(rhys.id).value("preferred_name") is None
    # The preferred name not kept is in the survivor's history, not lost.
    removed = [c for c in uow.history.for_customer(rhys.id) if c.kind == ChangeKind.REMOVED]
    assert [(c.field, c.old_value) for c in removed] == [("preferred_name", "Bob")]
    assert uow.customers.find_by_terms([("name", "bob")]) == []


def test_a_record_changed_after_the_preview_is_not_merged(
    uow, pair, preview, merge, policy, clock, personas
) -> None:
    rhys, rees = pair
    digest = preview(rhys.id, rees.id).digest
    customers.update(
        rees.id,
        customers.UpdateCustomer(
            purpose="service", fields={"town": "Leeds"}, reason="moved", source="internal_records"
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )
    before, events = everything(uow), len(uow.audit.events)
    with pytest.raises(MergePreviewOutdated):
        merge(rhys.id, rees.id, digest=digest)
    assert everything(uow) == before
    assert len(uow.audit.events) == events


def test_choices_other_than_those_previewed_are_not_merged(uow, pair, preview, merge) -> None:
    rhys, rees = pair
    digest = preview(rhys.id, rees.id).digest
    before = everything(uow)
    with pytest.raises(MergePreviewOutdated):
        merge(rhys.id, rees.id, digest=digest, take={"phone"})
    assert everything(uow) == before


def test_the_new_preview_after_a_refusal_merges(uow, pair, preview, merge) -> None:
    rhys, rees = pair
    with pytest.raises(MergePreviewOutdated):
        merge(rhys.id, rees.id, digest="0" * 64)
    merge(rhys.id, rees.id, digest=preview(rhys.id, rees.id).digest)
    assert uow.customers.get(rees.id).merged_into == rhys.id


@pytest.mark.parametrize(
    "take", [{"given_name"}, {"email"}], ids=["part of a name", "a value both hold alike"]
)
def test_a_choice_the_preview_would_not_offer_is_refused(uow, pair, merge, take) -> None:
    rhys, rees = pair
    before = everything(uow)
    with pytest.raises(InvalidInput):
        merge(rhys.id, rees.id, digest=None, take=take)
    assert everything(uow) == before
