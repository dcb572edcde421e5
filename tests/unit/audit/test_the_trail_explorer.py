"""The audit explorer's use cases on fakes: filters are checked and recorded, pages run newest
first and page both ways, the chart counts reads per member of staff per day, and an export
is recorded with its count before a line of it is given out."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from clientkeep.audit import export as exporting
from clientkeep.audit import reads_chart
from clientkeep.audit import services as audit
from clientkeep.audit.model import AuditEntry, Outcome
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id

KIM, LEE = new_id("stf"), new_id("stf")
ADA = new_id("cus")


def event(action: str, actor_id: str = KIM, **kwargs) -> AuditEntry:
    return AuditEntry(
        action=action, actor_id=actor_id, actor_role="agent", credential="test", **kwargs
    )


def seqs(page: audit.AuditPage) -> list[int]:
    return [e.seq for e in page.events]


@pytest.fixture
def trail(uow, clock):
    """Twelve events, an hour apart from 09:30 on 23 November 2026, numbered 1 to 12."""
    for i in range(12):
        uow.audit.append(event("customer.read" if i % 2 else "staff.sign_in", detail={"i": i}))
        clock.advance(timedelta(hours=1))
    return uow.audit


def read(uow, personas, policy, **asked) -> audit.AuditPage:
    return audit.read_page(
        audit.AuditQuery(**asked), uow=uow, actor=personas.dpo.actor, policy=policy
    )


def kims(uow, personas, policy, **asked) -> audit.AuditPage:
    """Kim's events only: each read of the trail is an event too, and would come first."""
    return read(uow, personas, policy, actor_id=KIM, **asked)


def test_the_newest_events_come_first_and_older_and_newer_pages_lead_back(
    trail, uow, personas, policy
) -> None:
    first = kims(uow, personas, policy, limit=5)
    assert seqs(first) == [12, 11, 10, 9, 8] and first.newer is None and first.older == 8
    second = kims(uow, personas, policy, limit=5, before_seq=first.older)
    assert seqs(second) == [7, 6, 5, 4, 3] and second.older == 3 and second.newer == 7
    last = kims(uow, personas, policy, limit=5, before_seq=second.older)
    assert seqs(last) == [2, 1] and last.older is None and last.newer == 2
    # Newer from the last page is the second page again, and from there the first.
    back = kims(uow, personas, policy, limit=5, after_seq=last.newer)
    assert seqs(back) == [7, 6, 5, 4, 3] and back.newer == 7 and back.older == 3
    top = kims(uow, personas, policy, limit=5, after_seq=back.newer)
    assert seqs(top) == [12, 11, 10, 9, 8] and top.newer is None and top.older == 8


def test_paging_holds_the_filters_and_oldest_first_still_walks_up(
    trail, uow, personas, policy
) -> None:
    reads = kims(uow, personas, policy, limit=2, action="customer.read")
    assert seqs(reads) == [12, 10] and reads.older == 10
    assert seqs(kims(uow, personas, policy, limit=2, action="customer.read", before_seq=10)) == [
        8,
        6,
    ]
    up = kims(uow, personas, policy, limit=5, oldest_first=True)
    assert seqs(up) == [1, 2, 3, 4, 5] and up.newer == 5


def test_every_filter_combines_with_the_others(trail, uow, personas, policy) -> None:
    uow.audit.append(event("customer.read", LEE, customer_id=ADA, purpose="billing"))
    uow.audit.append(event("customer.read", LEE, outcome=Outcome.DENIED, purpose="billing"))
    found = read(uow, personas, policy, actor_id=LEE, action="customer.read", purpose="billing")
    assert seqs(found) == [14, 13]
    assert seqs(read(uow, personas, policy, actor_id=LEE, outcome="denied")) == [14]
    assert seqs(read(uow, personas, policy, customer_id=ADA, actor_id=LEE)) == [13]
    assert seqs(read(uow, personas, policy, actor_id=KIM, outcome="denied")) == []


def test_a_time_range_takes_dates_or_date_times_in_utc(trail, uow, personas, policy) -> None:
    # Events 1..12 are at 09:30, 10:30, ... 20:30 on 23 November.
    assert seqs(
        kims(uow, personas, policy, since="2026-11-23T12:00", until="2026-11-23T14:30")
    ) == [6, 5, 4]
    assert seqs(
        kims(uow, personas, policy, since="2026-11-23T12:00Z", until="2026-11-23T14:29:59")
    ) == [5, 4]
    # A date is the whole day: "to" a date includes all of it.
    assert len(kims(uow, personas, policy, since="2026-11-23", until="2026-11-23").events) == 12
    assert kims(uow, personas, policy, since="2026-11-24").events == []
    # Given in another zone, taken as the same instant in UTC.
    assert seqs(kims(uow, personas, policy, until="2026-11-23T11:30+01:00")) == [2, 1]


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"actor_id": "Kim New"}, "actor_id"),
        ({"outcome": "maybe"}, "outcome"),
        ({"purpose": "gossip"}, "purpose"),
        ({"since": "yesterday"}, "from"),
        ({"since": "2026-13-45"}, "from"),
        ({"until": "2026-11-23T25:00"}, "to"),
        ({"since": "2026-11-24", "until": "2026-11-23"}, "to"),
        ({"before_seq": 0}, "cursor"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field_and_never_its_value(
    asked, field, uow, personas, policy
) -> None:
    with pytest.raises(InvalidInput) as caught:
        read(uow, personas, policy, **asked)
    assert [f for f, _ in caught.value.errors] == [field]
    for value in asked.values():
        assert str(value) not in caught.value.errors[0][1]
    assert uow.audit.events == []


def test_each_bad_filter_is_named_at_once(uow, personas, policy) -> None:
    with pytest.raises(InvalidInput) as caught:
        read(uow, personas, policy, outcome="x", purpose="y", since="z")
    assert [f for f, _ in caught.value.errors] == ["outcome", "purpose", "from"]


def test_the_read_records_every_filter_it_used(trail, uow, personas, policy) -> None:
    read(
        uow,
        personas,
        policy,
        customer_id=ADA,
        actor_id=KIM,
        action="customer.read",
        outcome="success",
        purpose="service",
        since="2026-11-23",
        until="2026-11-23T12:00",
        before_seq=9,
    )
    recorded = uow.audit.events[-1].entry
    assert recorded.action == "audit.read" and recorded.customer_id == ADA
    assert recorded.detail == {
        "after_seq": 0,
        "before_seq": 9,
        "returned": 0,
        "action_filter": "customer.read",
        "actor_filter": KIM,
        "outcome_filter": "success",
        "purpose_filter": "service",
        "from": "2026-11-23T00:00:00+00:00",
        "to": "2026-11-23T12:00:00.000001+00:00",
    }


def test_only_a_role_that_reads_the_trail_may_page_chart_or_export_it(
    uow, personas, policy
) -> None:
    with pytest.raises(PermissionDenied):
        audit.read_page(audit.AuditQuery(), uow=uow, actor=personas.agent.actor, policy=policy)
    with pytest.raises(PermissionDenied):
        exporting.export(audit.AuditQuery(), uow=uow, actor=personas.agent.actor, policy=policy)


def test_the_chart_counts_reads_per_member_of_staff_per_day_within_the_filters(
    uow, clock, personas, policy
) -> None:
    start = clock.now().date()
    for day in range(3):
        for _ in range(day + 1):
            uow.audit.append(event("customer.read", KIM))
        uow.audit.append(event("customer.searched", LEE))
        uow.audit.append(event("staff.sign_in", LEE))  # not a read
        clock.advance(timedelta(days=1))
    today = start + timedelta(days=2)
    page = read_with_chart(uow, personas, policy, today)
    assert page.chart is not None and len(page.chart.days) == reads_chart.CHART_DAYS
    assert page.chart.days[-1] == today
    assert page.chart.counts[KIM][-3:] == (1, 2, 3) and sum(page.chart.counts[KIM]) == 6
    assert page.chart.counts[LEE][-3:] == (1, 1, 1) and page.chart.most == 3
    only_lee = read_with_chart(uow, personas, policy, today, actor_id=LEE)
    assert set(only_lee.chart.counts) == {LEE}
    # A time range moves and narrows the window; a non-read action leaves nothing to chart.
    ranged = read_with_chart(uow, personas, policy, today, since=str(start), until=str(start))
    assert ranged.chart.days == (start,) and ranged.chart.counts == {KIM: (1,), LEE: (1,)}
    assert read_with_chart(uow, personas, policy, today, action="staff.sign_in").chart.counts == {}


def read_with_chart(uow, personas, policy, today: date, **asked) -> audit.AuditPage:
    return audit.read_page(
        audit.AuditQuery(**asked),
        uow=uow,
        actor=personas.dpo.actor,
        policy=policy,
        chart_until=today,
    )


def test_an_export_is_recorded_with_its_count_before_a_line_is_read(
    trail, uow, personas, policy
) -> None:
    done = exporting.export(
        audit.AuditQuery(action="customer.read"),
        uow=uow,
        actor=personas.dpo.actor,
        policy=policy,
        label=lambda actor_id: "Kim New (agent)" if actor_id == KIM else actor_id,
    )
    recorded = uow.audit.events[-1].entry
    assert recorded.action == "audit.exported" and recorded.detail["count"] == 6 == done.count
    assert recorded.detail["action_filter"] == "customer.read"
    uow.audit.append(event("customer.read"))  # after the count: not in this export
    rows = list(csv.reader(io.StringIO("".join(done.lines))))
    assert rows[0] == list(exporting.EXPORT_COLUMNS)
    assert [int(r[0]) for r in rows[1:]] == [12, 10, 8, 6, 4, 2]
    assert rows[1][3] == "Kim New (agent)" and rows[1][7] == "Read a customer record"


def test_an_export_is_read_in_batches_and_neutralises_formulas(
    uow, personas, policy, monkeypatch
) -> None:
    monkeypatch.setattr(exporting, "_EXPORT_BATCH", 2)
    # A name a spreadsheet would run: staff choose their own display names.
    leads = ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "Kim"]
    for lead in leads:
        uow.audit.append(event("customer.read", lead))
    done = exporting.export(
        audit.AuditQuery(), uow=uow, actor=personas.dpo.actor, policy=policy, label=lambda a: a
    )
    lines = iter(done.lines)
    next(lines)  # the header, before any event is read
    commits = uow.commits
    body = list(csv.reader(io.StringIO("".join(lines))))
    assert len(body) == 5 and uow.commits == commits  # read only: nothing more recorded
    names = [row[exporting.EXPORT_COLUMNS.index("actor_name")] for row in reversed(body)]
    assert names == ["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)", "Kim"]
    assert [row[0] for row in body] == ["5", "4", "3", "2", "1"]


def test_batches_are_read_in_reading_units_one_after_another(uow, personas, policy, monkeypatch):
    monkeypatch.setattr(exporting, "_EXPORT_BATCH", 2)
    for _ in range(5):
        uow.audit.append(event("customer.read"))
    pages: list[int] = []
    page = uow.audit.page

    def watched(where, **kwargs):
        assert uow.audit._unit is not None and uow.audit._unit.read_only
        found = page(where, **kwargs)
        pages.append(len(found))
        return found

    monkeypatch.setattr(uow.audit, "page", watched)
    done = exporting.export(audit.AuditQuery(), uow=uow, actor=personas.dpo.actor, policy=policy)
    assert pages == []  # nothing read until the lines are
    assert len(list(done.lines)) == 6 and pages == [2, 2, 1]
