"""The trail's filters are written into the audit.read event, so only well-formed ones pass:
a caller's text (a NUL byte, a name, an email) never reaches the trail."""

from __future__ import annotations

import pytest

from clientkeep.audit import services as audit
from clientkeep.shared.errors import InvalidInput


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"action": "customer.read\x00"}, "action"),
        ({"action": "Ada Lovelace"}, "action"),
        ({"customer_id": "cus_\x00"}, "customer_id"),
        ({"customer_id": "ada@example.com"}, "customer_id"),
    ],
)
def test_a_malformed_filter_is_refused_and_nothing_is_recorded(
    filters, field, uow, personas, policy
) -> None:
    with pytest.raises(InvalidInput) as caught:
        audit.read_page(
            audit.AuditQuery(**filters), uow=uow, actor=personas.dpo.actor, policy=policy
        )
    assert caught.value.errors[0][0] == field
    assert uow.audit.events == []


def test_a_well_formed_filter_is_recorded_with_the_read(uow, personas, policy) -> None:
    audit.read_page(
        audit.AuditQuery(action="customer.read"), uow=uow, actor=personas.dpo.actor, policy=policy
    )
    assert [e.entry.action for e in uow.audit.events] == ["audit.read"]
