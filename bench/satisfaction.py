"""The satisfaction report over 1,000,000 feedback answers: how long the report takes by each
grouping (month, channel, category, member of staff; the last twelve months and two whole
years), and the Satisfaction dashboard page through the web app, signed in as a supervisor.
Prints JSON.

    .venv/bin/python -m bench.satisfaction [--rows 1000000] [--runs 7]
    .venv/bin/python -m bench.satisfaction --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

The answers are inserted straight into the feedback table in bulk (a handful of customers,
no comments; months over two years, weighted towards the recent ones; six channels, six
categories, forty members of staff; CSAT and NPS in realistic proportions), then the report
and the page run as staff use them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from clientkeep import bootstrap
from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from clientkeep.config import Settings
from clientkeep.customers import services as customers
from clientkeep.feedback import services as feedback
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS
from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.uk_time import uk_month
from clientkeep.staff import services as staff

SEED = 2026
PASSWORD = secrets.token_urlsafe(16)
NOW = datetime.now(UTC)
CSAT_WEIGHTS = (5, 7, 13, 35, 40)  # 1..5
NPS_WEIGHTS = (3, 1, 2, 2, 3, 5, 6, 12, 18, 22, 26)  # 0..10
CHUNK = 50_000


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
        "runs": len(ordered),
    }


def timed(runs: int, operation: Callable[[], Any]) -> dict[str, float]:
    operation()  # warm the caches once, as a page in use would be
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


@contextmanager
def database(postgres: str | None, data_dir: Path) -> Iterator[tuple[str, str]]:
    if postgres is None:
        yield (
            f"sqlite:///{data_dir / 'clientkeep.db'}",
            f"sqlite:///{data_dir / 'keystore.db'}",
        )
        return
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres else "?"
    url = f"{postgres}{sep}options=-csearch_path%3D{schema}"
    try:
        yield url, url.replace("?", "?application_name=keystore&", 1)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def setup(c: bootstrap.Container) -> tuple[list[str], list[str], Actor]:
    bootstrap.initialise(c, admin_username="bench.admin", admin_password=PASSWORD)
    members = []
    for i in range(40):
        role = "supervisor" if i == 0 else "agent"
        made = staff.add_staff(
            staff.AddStaff(f"bench.{role}.{i:02d}", role, PASSWORD, display_name=f"Member {i:02d}"),
            uow=c.uow(),
            actor=SYSTEM,
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
        members.append(made.id)
    supervisor = Actor(id=members[0], name="bench.supervisor.00", role="supervisor")
    people = []
    for i in range(5):
        people.append(
            customers.register(
                customers.RegisterCustomer(
                    purpose="service",
                    fields={
                        "given_name": f"Bench{chr(65 + i)}",
                        "family_name": "Customer",
                        "email": f"bench{i}@example.com",
                    },
                    source="phone",
                ),
                uow=c.uow(),
                actor=supervisor,
                policy=c.policy,
                clock=c.clock,
                duplicates=c.duplicate_finder,
            ).customer.id
        )
    return people, members, supervisor


def insert_answers(
    c: bootstrap.Container, rows: int, people: list[str], members: list[str]
) -> float:
    rng = random.Random(SEED)
    # Two years of months, the recent ones busier (the service grew).
    days = [NOW - timedelta(days=d, seconds=rng.randrange(86_400)) for d in range(730)]
    day_weights = [1.0 + (730 - d) / 365 for d in range(730)]
    started = time.perf_counter()
    made = 0
    with c.engine.begin() as conn:
        while made < rows:
            batch = []
            for at in rng.choices(days, weights=day_weights, k=min(CHUNK, rows - made)):
                member = rng.choice(members)
                csat = nps = None
                if rng.random() < 0.6:
                    csat = rng.choices(range(1, 6), weights=CSAT_WEIGHTS)[0]
                else:
                    nps = rng.choices(range(11), weights=NPS_WEIGHTS)[0]
                batch.append(
                    {
                        "id": f"fbk_{made:024d}",
                        "customer_id": rng.choice(people),
                        "at": at,
                        "month": uk_month(at),
                        "purpose": "service",
                        "recorded_by": member,
                        "staff_id": member,
                        "interaction_id": None,
                        "channel": rng.choice(CHANNELS) if rng.random() < 0.95 else None,
                        "category": rng.choice(CATEGORIES) if rng.random() < 0.95 else None,
                        "csat": csat,
                        "nps": nps,
                        "comment": None,
                    }
                )
                made += 1
            conn.execute(feedback_table.insert(), batch)
    if c.engine.dialect.name == "postgresql":
        with c.engine.begin() as conn:
            conn.execute(text("ANALYZE feedback"))
    return time.perf_counter() - started


def signed_in_client(c: bootstrap.Container) -> Any:
    from fastapi.testclient import TestClient

    from clientkeep.adapters.http.app import create_app

    client = TestClient(create_app(c), base_url="http://testserver")
    client.__enter__()
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    done = client.post(
        "/sign-in",
        data={"username": "bench.supervisor.00", "password": PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


def measure(c: bootstrap.Container, supervisor: Actor, runs: int) -> dict[str, Any]:
    two_years = (uk_month(NOW - timedelta(days=730)), uk_month(NOW))

    def report(by: str, span: tuple[str | None, str | None]) -> Callable[[], Any]:
        return lambda: feedback.satisfaction_report(
            by=by,
            from_month=span[0],
            to_month=span[1],
            uow=c.uow(),
            actor=supervisor,
            policy=c.policy,
            clock=c.clock,
        )

    found: dict[str, Any] = {
        "report_last_12_months": {
            by: timed(runs, report(by, (None, None))) for by in feedback.GROUPINGS
        },
        "report_two_years": {by: timed(runs, report(by, two_years)) for by in feedback.GROUPINGS},
    }
    client = signed_in_client(c)
    try:

        def dashboard() -> None:
            got = client.get("/reports/satisfaction")
            assert got.status_code == 200, got.status_code

        found["dashboard_page"] = timed(runs, dashboard)
        found["dashboard_csv_by_staff"] = timed(
            runs, lambda: client.get("/reports/satisfaction.csv?by=staff")
        )
    finally:
        client.__exit__(None, None, None)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a schema is made and dropped")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="clientkeep-satisfaction-")) / "data"
    with database(args.postgres, data_dir) as (main_url, keystore_url):
        settings = Settings(
            data_dir=data_dir,
            database_url=main_url,
            keystore_url=keystore_url,
            master_key=None,
            policy_path=None,
            # The page is fetched over plain HTTP in process: no TLS for secure cookies.
            insecure_cookies=True,
        )
        from clientkeep.adapters.passwords import Argon2PasswordHasher

        c = bootstrap.build(settings, hasher=Argon2PasswordHasher(fast_for_tests=True))
        try:
            people, members, supervisor = setup(c)
            insert_s = insert_answers(c, args.rows, people, members)
            with c.engine.connect() as conn:
                held = conn.execute(select(func.count()).select_from(feedback_table)).scalar_one()
            results: dict[str, Any] = {
                "backend": c.engine.dialect.name,
                "rows": held,
                "insert_s": round(insert_s, 1),
                **measure(c, supervisor, args.runs),
            }
        finally:
            c.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
