"""A customer with 5,000 interactions: how long the first timeline page, a page deep in (by
cursor) and the interaction kind's access pack take, in process, on SQLite. Prints JSON.

    .venv/bin/python -m bench.timeline [--interactions 5000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from clientkeep import bootstrap
from clientkeep.config import Settings
from clientkeep.customers import services as customers
from clientkeep.interactions import recording
from clientkeep.interactions import timeline as timelines
from clientkeep.interactions.model import Interaction, Notes
from clientkeep.interactions.vocabulary import Category, Channel, Outcome
from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.ids import new_id
from clientkeep.staff import services as staff


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interactions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="clientkeep-timeline-")) / "data"
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'clientkeep.db'}",
        keystore_url=f"sqlite:///{data_dir / 'keystore.db'}",
        master_key=None,
        policy_path=None,
    )
    c = bootstrap.build(settings)
    bootstrap.initialise(c, admin_username="bench.admin", admin_password=secrets.token_urlsafe(16))
    member = staff.add_staff(
        staff.AddStaff("bench.agent", "agent", secrets.token_urlsafe(16)),
        uow=c.uow(),
        actor=SYSTEM,
        policy=c.policy,
        clock=c.clock,
        hasher=c.hasher,
    )
    actor = Actor(id=member.id, name=member.username, role="agent", credential="bench")
    cid = customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={"given_name": "Ada", "family_name": "Lovelace", "email": "a@example.com"},
            source="phone",
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        duplicates=c.duplicate_finder,
    ).customer.id
    now = c.clock.now()
    started = time.perf_counter()
    with c.uow() as uow:
        for n in range(args.interactions):
            at = now - timedelta(minutes=n + 10)
            uow.interactions.add(
                Interaction(
                    id=new_id("int"),
                    customer_id=cid,
                    staff_id=actor.id,
                    occurred_at=at,
                    recorded_at=at,
                    channel=Channel.PHONE,
                    category=Category.ENQUIRY,
                    outcome=Outcome.RESOLVED,
                    purpose="service",
                    notes=Notes(f"asked about order {n}", "explained the delivery times"),
                )
            )
        uow.commit()
    built = time.perf_counter() - started
    # Some corrections, through the use case, so the timeline marks corrected entries.
    with c.uow() as uow:
        some = [i.id for i in uow.interactions.page(cid, before=None, limit=20)]
    for old in some:
        recording.correct_interaction(
            cid,
            old,
            recording.CorrectInteraction(reason="misheard the order number"),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )

    def page(cursor: str | None) -> timelines.TimelinePage:
        return timelines.timeline(
            cid,
            purpose="service",
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            sources=c.timeline_sources,
            cursor=cursor,
        )

    first = []
    for _ in range(args.runs):
        t = time.perf_counter()
        got = page(None)
        first.append(time.perf_counter() - t)
    # A page deep in: the cursor of an entry about 4,000 contacts back.
    with c.uow() as uow:
        deep_row = uow.interactions.page(cid, before=None, limit=4000)[-1]
    deep_cursor = timelines.encode_cursor((deep_row.occurred_at, deep_row.id))
    deep = []
    for _ in range(args.runs):
        t = time.perf_counter()
        deep_page = page(deep_cursor)
        deep.append(time.perf_counter() - t)
    kind = c.record_kinds["interaction"]
    packs = []
    for _ in range(max(3, args.runs // 10)):
        t = time.perf_counter()
        with c.uow().reading() as uow:
            packed = kind.pack(uow, cid)
        packs.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "interactions": args.interactions + len(some),
                "build_s": round(built, 2),
                "first_page": {**percentiles(first), "entries": len(got.entries)},
                "deep_page": {**percentiles(deep), "entries": len(deep_page.entries)},
                "access_pack_interactions": {**percentiles(packs), "rows": len(packed)},
            },
            indent=2,
        )
    )
    c.close()


if __name__ == "__main__":
    main()
