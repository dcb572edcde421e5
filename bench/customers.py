"""Timings of create, exact lookup and fuzzy name search through the real services.

    .venv/bin/python bench/customers.py --customers 100000 --out bench/customers-100k.json

Builds a fresh SQLite installation in a temporary directory (or --data-dir), registers N
synthetic customers through the registration use case (validated, sealed, indexed, audited,
duplicate-checked), then measures lookups. Given a --data-dir this script built before, it
skips the build and measures lookups again. Reports JSON with the machine and git commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clientkeep import bootstrap
from clientkeep.config import Settings
from clientkeep.customers import services
from clientkeep.matching import search
from clientkeep.shared.actor import Actor
from clientkeep.staff import services as staff
from clientkeep.synthetic import customers as synthetic

SYSTEM = Actor(id="bench", name="bench", role="system")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50) * 1000, 3),
        "p95_ms": round(pick(0.95) * 1000, 3),
        "p99_ms": round(pick(0.99) * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "n": len(ordered),
    }


def sample_of(n: int, lookups: int) -> list[dict[str, str]]:
    """Every k-th synthetic customer: the generator is seeded, so a rebuilt sample matches."""
    step = max(1, n // lookups)
    return [fields for i, fields in enumerate(synthetic(n)) if i % step == 0][:lookups]


def build(c: bootstrap.Container, actor: Actor, n: int) -> dict[str, float]:
    create_times: list[float] = []
    started = time.perf_counter()
    for i, fields in enumerate(synthetic(n)):
        t0 = time.perf_counter()
        services.register(
            services.RegisterCustomer("service", fields, "phone"),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            duplicates=c.duplicate_finder,
        )
        create_times.append(time.perf_counter() - t0)
        if i and i % 10_000 == 0:
            rate = i / (time.perf_counter() - started)
            print(f"{i} registered, {rate:.0f}/s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    return {"per_second": round(n / elapsed, 1), **percentiles(create_times)}


def measure(c: bootstrap.Container, actor: Actor, sample: list[dict[str, str]]) -> dict:
    def timed(kind: str, text: str) -> float:
        t0 = time.perf_counter()
        search.search(
            search.SearchQuery("service", kind, text), uow=c.uow(), actor=actor, policy=c.policy
        )
        return time.perf_counter() - t0

    rng = random.Random(7)
    lookups = {
        "email": [timed("email", f["email"].upper()) for f in sample],
        "phone": [timed("phone", f["phone"].replace(" ", "")) for f in sample],
        "postcode": [timed("postcode", f["postcode"].lower()) for f in sample],
        "name_fuzzy_top10": [
            timed("name", f"{f['given_name'][:-1]}{rng.choice('aeiou')} {f['family_name']}")
            for f in sample
        ],
    }
    return {kind: percentiles(samples) for kind, samples in lookups.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="clientkeep-bench-")) / "data"
    # The master key goes in the data directory's key file, so a built database can be reused.
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'clientkeep.db'}",
        keystore_url=f"sqlite:///{data_dir / 'keystore.db'}",
        master_key=None,
        policy_path=None,
    )
    c = bootstrap.build(settings)
    create = None
    if (data_dir / "clientkeep.db").exists():
        with c.uow() as uow:
            member = uow.staff.by_username("bench.agent")
        if member is None:
            sys.exit(f"{data_dir} is not a benchmark database")
    else:
        bootstrap.initialise(
            c, admin_username="bench.admin", admin_password=secrets.token_urlsafe(16)
        )
        member = staff.add_staff(
            staff.AddStaff("bench.agent", "agent", secrets.token_urlsafe(16)),
            uow=c.uow(),
            actor=SYSTEM,
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
    actor = Actor(id=member.id, name=member.username, role="agent", credential="bench")
    if not (data_dir / "built").exists():
        create = build(c, actor, args.customers)
        (data_dir / "built").write_text(f"{args.customers}\n")
    report = {
        "customers": args.customers,
        "commit": commit,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "create": create or "reused a database built earlier",
        "lookup": measure(c, actor, sample_of(args.customers, args.lookups)),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
