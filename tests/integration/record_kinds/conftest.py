"""Fixtures of the record-kind contract suite: each duty test runs once per registered kind.

The kinds are read from a container built at collection time with the default policy: building
a container connects to nothing, and the registry needs only the policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientkeep import bootstrap
from clientkeep.config import Settings
from tests.integration.record_kinds.drivers import Canaries, KindDriver
from tests.integration.record_kinds.registry import DRIVERS


def registered_kinds() -> tuple[str, ...]:
    settings = Settings(
        data_dir=Path("unused"),
        database_url="sqlite://",
        keystore_url="sqlite://",
        master_key=None,
        policy_path=None,
    )
    return bootstrap.build(settings).record_kinds.names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kind_name" in metafunc.fixturenames:
        names = registered_kinds()
        metafunc.parametrize("kind_name", names, ids=names)


@pytest.fixture
def kind(container, kind_name):
    return container.record_kinds[kind_name]


@pytest.fixture
def driver(container, personas, kind_name) -> KindDriver:
    make = DRIVERS.get(kind_name)
    if make is None:
        pytest.fail(f"no driver for the record kind {kind_name!r}: add one to registry.DRIVERS")
    return make(container, personas)


@pytest.fixture
def canaries() -> Canaries:
    return Canaries()
