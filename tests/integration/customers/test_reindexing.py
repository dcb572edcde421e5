"""Reindexing rebuilds index terms from sealed values, so records made before a new kind of
term existed are found by it afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from clientkeep.adapters.db.customer_tables import blind_index
from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import reindex as reindexing
from clientkeep.matching import search
from clientkeep.shared.actor import SYSTEM
from clientkeep.shared.errors import PermissionDenied
from tests.integration.customers.conftest import ADA


def name_pair_holders(container) -> list[str]:
    from clientkeep.customers.index_terms import query_pair_terms

    with container.uow() as uow:
        return uow.customers.find_by_terms(query_pair_terms("Ada Lovelace"))


def test_a_record_without_the_newer_terms_gets_them_back(container, personas, register) -> None:
    ada = register(personas.agent, ADA).customer
    grace = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.com"}
    other = register(personas.agent, grace).customer
    with container.engine.begin() as conn:
        # As a database made before name-pair and composite terms were indexed would be.
        conn.execute(delete(blind_index).where(blind_index.c.kind.in_(["name_pair", "name_dob"])))
    assert name_pair_holders(container) == []
    seen: list[int] = []
    report = reindexing.reindex(
        uow_factory=container.uow, actor=SYSTEM, policy=container.policy, batch=1,
        progress=seen.append,
    )  # fmt: skip
    assert (report.customers, report.batches) == (2, 2) and seen == [1, 2]
    assert name_pair_holders(container) == [ada.id]
    found = search.search(
        search.SearchQuery("service", "email", ADA["email"]),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert [m.customer_id for m in found.matches] == [ada.id] != [other.id]
    with container.uow() as uow:
        events = uow.audit.page(TrailFilter(action="customer.reindexed"), limit=10)
    assert [e.entry.detail["customers"] for e in events] == [1, 1]


def test_only_the_operator_reindexes(container, personas) -> None:
    with pytest.raises(PermissionDenied):
        reindexing.reindex(
            uow_factory=container.uow, actor=personas.admin.actor, policy=container.policy
        )
