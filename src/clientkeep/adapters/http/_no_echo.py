"""Keeping submitted text out of problems: only names the API declares, and our own messages.

A client's text can reach an error three ways: as a key (an unknown JSON key, a key of the
``fields`` object) that becomes part of a field path, as the value pydantic quotes in some
messages, and as a name a domain error quotes back. Each is checked here against what this
server itself declares; anything else is replaced, never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI

from clientkeep.policy.errors import UnknownPurpose, UnknownRole
from clientkeep.shared.errors import DomainError

# Stands for a key the client sent that is no name of ours.
PLACEHOLDER = "*"
NEUTRAL_MESSAGE = "The value is not valid."
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
# pydantic's own marker in the location of a bad dictionary key.
_MARKERS = frozenset({"[key]"})
# Messages of these pydantic error types quote what was sent (a tag, a time zone, a custom
# validator's text) or a parser's view of it.
_QUOTING_TYPES = frozenset(
    {
        "assertion_error",
        "bytes_invalid_encoding",
        "datetime_object_invalid",
        "get_attribute_error",
        "iteration_error",
        "mapping_type",
        "no_such_attribute",
        "timezone_offset",
        "union_tag_invalid",
        "value_error",
    }
)
# Domain errors whose message quotes the name asked for: here, the client's text.
_NEUTRAL_DOMAIN_MESSAGES: dict[type[DomainError], str] = {
    UnknownPurpose: "The policy has no purpose of that name.",
    UnknownRole: "The policy has no role of that name.",
}


def declared_names(app: FastAPI) -> frozenset[str]:
    """Every name this API declares: schema properties, parameters and the policy's fields.

    Worked out once, from the OpenAPI document, on the first error that needs it.
    """
    found: frozenset[str] | None = getattr(app.state, "declared_names", None)
    if found is None:
        spec = app.openapi()
        names: set[str] = set(_MARKERS)
        _collect_properties(spec.get("components", {}).get("schemas", {}), names)
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                names.update(p["name"] for p in operation.get("parameters", []))
        names.update(app.state.container.policy.fields)
        found = frozenset(names)
        app.state.declared_names = found
    return found


def _collect_properties(node: Any, names: set[str]) -> None:
    if isinstance(node, Mapping):
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            names.update(properties)
        for value in node.values():
            _collect_properties(value, names)
    elif isinstance(node, list):
        for value in node:
            _collect_properties(value, names)


def field_of(loc: Iterable[object], names: frozenset[str]) -> str:
    """("body", "fields", "email") -> "fields.email"; ("body", "Ada") -> "*"."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    safe = [str(p) if isinstance(p, int) or p in names else PLACEHOLDER for p in parts]
    return ".".join(safe) or "body"


def field_path(path: str, names: frozenset[str]) -> str:
    """A domain error's dotted field path, with any segment that is not ours replaced."""
    return ".".join(
        part if part in names or part.isdigit() else PLACEHOLDER for part in path.split(".")
    )


def validation_error(error: Mapping[str, Any], names: frozenset[str]) -> dict[str, str]:
    """One pydantic error as {field, message}: never its ``input`` or ``ctx``."""
    kind = error.get("type")
    if kind == "json_invalid":
        # Its location is an offset into the body, not a field.
        return {"field": "body", "message": "The body is not valid JSON."}
    return {"field": field_of(error.get("loc", ()), names), "message": _message(error)}


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", ""))
    if error.get("type") in _QUOTING_TYPES:
        return NEUTRAL_MESSAGE
    # A backstop for the rest: their messages are templates of schema constants, but should
    # one ever quote the value, the value is not shown.
    given = error.get("input")
    if isinstance(given, str | int | float) and str(given) and str(given) in message:
        return NEUTRAL_MESSAGE
    return message


def domain_message(exc: DomainError) -> str:
    return next(
        (neutral for cls, neutral in _NEUTRAL_DOMAIN_MESSAGES.items() if isinstance(exc, cls)),
        exc.message,
    )
