"""Duty 5: the kind's part of a subject access pack holds every row the kind reports for the
customer, opened, and nobody else's."""

from __future__ import annotations


def text_of(packed) -> str:
    return " ".join(v for p in packed for v in p.content.values() if v).casefold()


def test_the_access_pack_holds_every_row_of_the_customer_opened(
    container, kind, driver, canaries
) -> None:
    made, other = driver.make(canaries), driver.make(canaries)
    with container.uow().reading() as uow:
        rows = kind.rows(uow, made.customer_id)
        packed = kind.pack(uow, made.customer_id)
    assert rows
    assert sorted((p.ref for p in packed), key=lambda r: r.row_id) == sorted(
        rows, key=lambda r: r.row_id
    )
    assert {(r.kind, r.customer_id) for r in rows} == {(kind.name, made.customer_id)}
    for name, words in made.canaries.items():
        about = text_of(p for p in packed if name in p.ref.fields)
        assert all(w.casefold() in about for w in words), name
    assert not any(w.casefold() in text_of(packed) for w in other.words)
