"""The lawful bases a third party's request for a customer's details may rest on.

No request gives an automatic right to data: the basis says which exemption or lawful basis
the person asking relies on, so the member of staff deciding can weigh it. The catalogue is
fixed here (code, label, the law it rests on); a request names one by its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Basis:
    code: str
    label: str
    law: str


_ALL = (
    Basis(
        "crime_and_taxation",
        "Prevention or detection of crime, or tax collection",
        "DPA 2018 Sch 2 Part 1 para 2",
    ),
    Basis(
        "required_by_law_or_court_order",
        "Required by law or by a court order",
        "DPA 2018 Sch 2 Part 1 para 5(1)-(2)",
    ),
    Basis(
        "legal_proceedings",
        "Legal proceedings, legal advice or legal rights",
        "DPA 2018 Sch 2 Part 1 para 5(3)",
    ),
    Basis(
        "public_body_request",
        "A public body's request for its task",
        "UK GDPR Art 6(1)(ea) recognised legitimate interest, Annex 1 "
        "(Data (Use and Access) Act 2025): disclosure requested by a public body for its task",
    ),
    Basis(
        "vital_interests",
        "To protect someone's life (vital interests)",
        "UK GDPR Art 6(1)(d)",
    ),
    Basis(
        "customer_consent",
        "The customer agreed to it",
        "UK GDPR Art 6(1)(a)",
    ),
)

BASES: MappingProxyType[str, Basis] = MappingProxyType({b.code: b for b in _ALL})
BASIS_CODES: tuple[str, ...] = tuple(BASES)


def basis_label(code: str) -> str:
    """The label of a basis; a code the catalogue no longer has is shown as it is."""
    found = BASES.get(code)
    return code if found is None else found.label
