"""The suite runs for every kind the composition root registers: a kind without a driver, or
a driver for a kind no longer registered, fails here."""

from __future__ import annotations

from tests.integration.record_kinds.conftest import registered_kinds
from tests.integration.record_kinds.registry import DRIVERS


def test_every_registered_kind_has_a_driver_and_every_driver_a_kind(container) -> None:
    assert set(DRIVERS) == set(container.record_kinds.names)


def test_the_suite_is_parametrized_over_the_kinds_the_container_registers(container) -> None:
    assert registered_kinds() == container.record_kinds.names


def test_each_driver_drives_the_kind_it_is_filed_under(container, personas) -> None:
    for name, make in DRIVERS.items():
        assert make(container, personas).kind == name
