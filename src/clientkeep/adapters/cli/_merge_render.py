"""How `clientkeep customer merge` shows a merge preview: the merged record as it will read,
where each value comes from, the choices left, and the digest that confirms exactly this.

JSON has the REST API's fields (``MergePreviewOut`` in `adapters/http/routers/merge.py`). Every
value from a record goes into the output as ``Text``, never as markup, so a customer's own
words cannot restyle it.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Column, Table
from rich.text import Text

from clientkeep.adapters.cli._common import out

if TYPE_CHECKING:
    from clientkeep.customers.merge_preview import MergePreview, PreviewRow

# The API's names for the merge's inputs, and the options that give them on the command line.
_OPTIONS = {
    "take_from_duplicate": "--take",
    "name_from_duplicate": "--name-from",
    "duplicate_id": "OTHER",
    "preview_digest": "--confirm",
}


def preview_json(p: MergePreview) -> dict[str, Any]:
    """The preview as `POST /customers/{id}/merge/preview` answers it."""
    return {
        "survivor_id": p.survivor_id,
        "purpose": p.purpose,
        "display_name": p.result_name,
        "name": {
            "survivor": p.name.survivor,
            "duplicate": p.name.duplicate,
            "choice": p.name.choice,
            "from_duplicate": p.name.from_duplicate,
        },
        "fields": [
            {
                "name": r.name,
                "label": r.label,
                "survivor": r.survivor,
                "duplicate": r.duplicate,
                "result": r.result,
                "choice": r.choice,
                "source": r.source,
            }
            for r in p.rows
        ],
        "other_record": {
            "id": p.duplicate_id,
            "becomes": "tombstone",
            "points_to": p.survivor_id,
            "moves": dict(p.moves),
            "key_destroyed": True,
        },
        "preview_digest": p.digest,
    }


def in_cli_terms(field: str, message: str) -> tuple[str, str]:
    """A problem the merge names in the API's terms, named by the option that gives it."""
    head, dot, rest = field.partition(".")
    option = _OPTIONS.get(head, head)
    for api, cli in _OPTIONS.items():
        message = message.replace(f"({api})", f"({cli})")
    return (f"{option} {rest}" if dot else option), message


def _from(row: PreviewRow) -> str:
    return {
        "both": "both (the same)",
        "survivor": "survivor",
        "duplicate": "other",
    }.get(row.source, "neither (not in the chosen name)")


def _not_kept(row: PreviewRow) -> Text:
    if row.survivor is None or row.duplicate is None or row.source == "both":
        return Text("")
    if row.source == "duplicate":
        return Text(f"{row.survivor} (survivor)")
    if row.source == "survivor":
        return Text(f"{row.duplicate} (other)")
    return Text("")


def show_preview(p: MergePreview, *, command: list[str]) -> None:
    """The preview, then how to confirm it: ``command`` is the command that would merge, up
    to (not including) ``--confirm``."""
    out.print(Text("Merge preview. Nothing has been changed.", style="bold"), soft_wrap=True)
    out.print(Text(f"survivor: {p.survivor_id}  {p.survivor_name}"), soft_wrap=True)
    out.print(Text(f"other:    {p.duplicate_id}  {p.duplicate_name}"), soft_wrap=True)
    out.print(
        Text(f"The survivor will read as: {p.result_name} (purpose: {p.purpose})"), soft_wrap=True
    )
    table = Table(
        Column("field", overflow="fold"),
        Column("merged record", overflow="fold"),
        Column("from", overflow="fold"),
        Column("not kept", overflow="fold"),
        box=box.SIMPLE_HEAD,
    )
    for row in p.rows:
        table.add_row(Text(row.label), Text(row.result or "-"), Text(_from(row)), _not_kept(row))
    out.print(table)
    moves = ", ".join(f"{label}: {n} rows" for label, n in p.moves) or "nothing"
    out.print(
        Text(
            f"The other record becomes a tombstone pointing to the survivor, and its key is "
            f"destroyed. Moving to the survivor: {moves}."
        ),
        soft_wrap=True,
    )
    _show_choices(p)
    out.print(Text(f"digest: {p.digest}"), soft_wrap=True)
    confirm = [*command, "--confirm", p.digest, "--reason", "WHY THEY ARE ONE PERSON"]
    out.print(Text("To merge exactly this, run:"), soft_wrap=True)
    out.print(Text("  " + shlex.join(confirm)), soft_wrap=True)


def _show_choices(p: MergePreview) -> None:
    # Lines, not a table: an option is copied whole into the next command, so it never wraps.
    lines: list[str] = []
    if p.name.choice:
        lines.append("name (whole):")
        lines += _options(
            "--name-from", p, p.name.survivor, p.name.duplicate, p.name.from_duplicate
        )
    for row in p.rows:
        if row.choice:
            lines.append(f"{row.label}:")
            lines += _options(
                f"--take {row.name}=", p, row.survivor, row.duplicate, row.from_duplicate
            )
    if not lines:
        out.print(Text("No choices: the records differ in nothing both hold."), soft_wrap=True)
        return
    out.print(
        Text("Choices (give the option to change what is shown, in both steps):"), soft_wrap=True
    )
    for line in lines:
        out.print(Text(line), soft_wrap=True)


def _options(
    option: str, p: MergePreview, survivor: str | None, other: str | None, from_other: bool
) -> list[str]:
    joiner = "" if option.endswith("=") else " "
    return [
        f"  {option}{joiner}{whose}  {value or '-'}{'  (shown)' if shown else ''}"
        for whose, value, shown in (
            (p.survivor_id, survivor, not from_other),
            (p.duplicate_id, other, from_other),
        )
    ]
