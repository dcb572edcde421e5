"""The explorer's queries in SQL (SQLite, and PostgreSQL with --backend postgres): pages walk
positions newest first with every filter, a time becomes a position by a few lookups, and
the chart's counts and the export come out as on the fakes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from clientkeep.audit import export as exporting
from clientkeep.audit import services as audit
from clientkeep.audit.model import SHOWN, Outcome
from clientkeep.audit.ports import TrailFilter
from clientkeep.shared.ids import new_id
from tests.integration.audit.trail import entry

KIM, LEE = new_id("stf"), new_id("stf")
ADA, GRACE = new_id("cus"), new_id("cus")


@pytest.fixture
def trail(container, clock):
    """Kim and Lee over three days: at 23:30 and 00:30 either side of each midnight."""
    assert clock.now() == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    clock.advance(timedelta(hours=14))
    made = []
    with container.uow() as uow:
        for _ in range(3):
            for who, action, extra in (
                (KIM, "customer.read", {"customer_id": ADA, "purpose": "service"}),
                (LEE, "customer.searched", {"detail": {SHOWN: f"{ADA},{GRACE}"}}),
                (LEE, "customer.read", {"outcome": Outcome.DENIED, "purpose": "billing"}),
            ):
                made.append(uow.audit.append(entry(action, actor_id=who, **extra)).seq)
            clock.advance(timedelta(hours=1))  # past midnight
            made.append(uow.audit.append(entry("staff.sign_in", actor_id=KIM)).seq)
            clock.advance(timedelta(hours=23))
        uow.commit()
    return made


def page(container, where: TrailFilter, **kwargs) -> list[int]:
    with container.uow().reading() as uow:
        return [e.seq for e in uow.audit.page(where, **kwargs)]


def test_pages_walk_newest_first_with_every_filter(container, trail) -> None:
    kim = TrailFilter(actor_id=KIM)
    kims = sorted(trail[0::4] + trail[3::4])
    assert page(container, kim, limit=3, newest_first=True) == kims[::-1][:3]
    assert page(container, kim, limit=100) == kims
    assert page(container, TrailFilter(customer_id=GRACE), newest_first=True) == trail[1::4][::-1]
    ada = page(container, TrailFilter(customer_id=ADA, actor_id=LEE))
    assert ada == trail[1::4]  # shown among others by Lee's searches
    denied = TrailFilter(actor_id=LEE, action="customer.read", outcome="denied", purpose="billing")
    assert page(container, denied) == trail[2::4]
    window = TrailFilter(actor_id=KIM, after_seq=trail[0], before_seq=trail[4])
    assert page(container, window) == [trail[3]]
    reads = TrailFilter(actions=("customer.read", "customer.searched"), after_seq=trail[0] - 1)
    assert page(container, reads) == [s for i, s in enumerate(trail) if i % 4 != 3]


def test_a_time_is_found_as_a_position_and_past_the_end_is_one_past_the_newest(
    container, trail
) -> None:
    with container.uow().reading() as uow:
        log = uow.audit
        assert log.first_seq_at(datetime(2026, 11, 24, tzinfo=UTC)) == trail[3]
        assert log.first_seq_at(datetime(2026, 11, 23, 23, 30, tzinfo=UTC)) == trail[0]
        assert log.first_seq_at(datetime(2026, 11, 25, 0, 30, tzinfo=UTC)) == trail[7]
        assert log.first_seq_at(datetime(2030, 1, 1, tzinfo=UTC)) == log.newest_seq() + 1
        assert log.first_seq_at(datetime(2000, 1, 1, tzinfo=UTC)) == 1
        assert log.newest_seq() == trail[-1]
        assert log.count(TrailFilter(actor_id=LEE)) == 6


def test_counts_per_actor_per_utc_day(container, trail) -> None:
    reads = TrailFilter(actions=("customer.read", "customer.searched"))
    with container.uow().reading() as uow:
        counted = {(c.actor_id, c.day): c.count for c in uow.audit.daily_counts(reads)}
    days = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)]
    mine = {k: v for k, v in counted.items() if k[0] in (KIM, LEE)}
    assert mine == {**{(KIM, d): 1 for d in days}, **{(LEE, d): 2 for d in days}}


def test_the_services_page_both_ways_by_time_and_chart_within_it(
    container, trail, personas
) -> None:
    def read(**asked) -> audit.AuditPage:
        return audit.read_page(
            audit.AuditQuery(**asked),
            uow=container.uow(),
            actor=personas.dpo.actor,
            policy=container.policy,
            chart_until=date(2026, 11, 26),
        )

    day = read(actor_id=LEE, since="2026-11-24", until="2026-11-24", limit=1)
    assert [e.seq for e in day.events] == [trail[6]] and day.older == trail[6]
    older = read(actor_id=LEE, since="2026-11-24", until="2026-11-24", before_seq=day.older)
    assert [e.seq for e in older.events] == [trail[5]] and older.older is None
    newer = read(actor_id=LEE, since="2026-11-24", until="2026-11-24", after_seq=older.newer)
    assert [e.seq for e in newer.events] == [trail[6]] and newer.newer is None
    chart = read(since="2026-11-24").chart
    assert chart is not None and chart.days[0] == date(2026, 11, 24)
    assert chart.counts[LEE] == (2, 2, 0) and chart.counts[KIM] == (1, 1, 0)


def test_the_export_streams_what_it_counted(container, trail, personas) -> None:
    done = exporting.export(
        audit.AuditQuery(actor_id=LEE, action="customer.searched"),
        uow=container.uow(),
        actor=personas.dpo.actor,
        policy=container.policy,
    )
    assert done.count == 3
    with container.uow() as uow:
        uow.audit.append(entry("customer.searched", actor_id=LEE))  # after: not exported
        uow.commit()
    rows = list(csv.DictReader(io.StringIO("".join(done.lines))))
    assert [int(r["seq"]) for r in rows] == trail[1::4][::-1]
    assert rows[0]["customers"] == f"{ADA} {GRACE}"
    with container.uow().reading() as uow:
        (exported,) = uow.audit.page(TrailFilter(action="audit.exported"))
    assert exported.entry.detail["count"] == 3


def test_the_first_versions_keywords_still_filter_a_page(container, trail) -> None:
    with container.uow().reading() as uow:
        legacy = uow.audit.page(action="customer.searched", customer_id=GRACE, after_seq=trail[1])
        assert [e.seq for e in legacy] == [trail[5], trail[9]]
        with pytest.raises(TypeError):
            uow.audit.page(actor=KIM)
