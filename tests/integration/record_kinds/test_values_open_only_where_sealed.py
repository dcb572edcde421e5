"""Duty 2: a sealed value opens only under its customer's key, in the row and column it was
sealed for. A value copied elsewhere with SQL makes the kind's access pack and its read use
case fail, rather than show it as the other row's value; put back, both work again."""

from __future__ import annotations

import pytest

from clientkeep.adapters.crypto.aead import DecryptionFailed
from tests.integration.record_kinds._storage import Cell, put, sealed_cells


def opening_purpose(container, made) -> str:
    """A purpose whose read opens every field the kind's rows hold: service, unless it shows
    none of them (complaint details are shown under the complaints purpose only)."""
    policy = container.policy
    for purpose in ("service", *policy.purposes):
        if set(made.canaries) <= policy.projection("supervisor", purpose).shown:
            return purpose
    raise AssertionError("no purpose shows the kind's fields")


def assert_does_not_open(container, kind, driver, persona, made, customer_id) -> None:
    with pytest.raises(DecryptionFailed), container.uow().reading() as uow:
        kind.pack(uow, customer_id)
    with pytest.raises(DecryptionFailed):
        driver.read(persona, customer_id, opening_purpose(container, made))


def by_place(cells: list[Cell]) -> dict[tuple[str, str], list[Cell]]:
    places: dict[tuple[str, str], list[Cell]] = {}
    for cell in cells:
        places.setdefault((cell.table.name, cell.column), []).append(cell)
    return places


def test_a_value_copied_to_another_row_or_column_of_its_customer_does_not_open(
    container, kind, driver, canaries, personas
) -> None:
    made = driver.make(canaries)
    cells = sealed_cells(container, kind.name, made.customer_id)
    copies = []
    for (_, column), here in by_place(cells).items():
        assert len(here) >= 2, f"the driver should make two rows with {column} sealed"
        copies.append((here[0], here[1]))  # another row, same column
        copies += [  # the same row, another sealed column
            (here[0], other)
            for other in cells
            if other.key == here[0].key and other.column != column
        ][:1]
    for source, target in copies:
        put(container, target, source.blob)
        assert_does_not_open(container, kind, driver, personas.supervisor, made, made.customer_id)
        put(container, target, target.blob)
    with container.uow().reading() as uow:
        assert kind.pack(uow, made.customer_id)


def test_a_value_copied_to_another_customers_row_does_not_open(
    container, kind, driver, canaries, personas
) -> None:
    mine, theirs = driver.make(canaries), driver.make(canaries)
    their_places = by_place(sealed_cells(container, kind.name, theirs.customer_id))
    tried = 0
    for place, here in by_place(sealed_cells(container, kind.name, mine.customer_id)).items():
        source = here[0]
        # The same row of theirs where there is one (the same field), so only the customer
        # differs; otherwise any of their rows with the column sealed.
        target = next(
            (c for c in their_places[place] if c.row_key == source.row_key),
            their_places[place][0],
        )
        put(container, target, source.blob)
        assert_does_not_open(
            container, kind, driver, personas.supervisor, theirs, theirs.customer_id
        )
        put(container, target, target.blob)
        tried += 1
    assert tried
    with container.uow().reading() as uow:
        assert kind.pack(uow, theirs.customer_id)
