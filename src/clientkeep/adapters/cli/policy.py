"""`clientkeep policy check FILE` and `clientkeep policy show`: the policy is code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.table import Table

    from clientkeep.policy import Policy

app = typer.Typer(
    help="The policy: what is held, why, who may see it and for how long.",
    no_args_is_help=True,
)


@app.command("check")
def check(
    file: Path = typer.Argument(..., help="The policy file (TOML) to check."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the verdict and every problem as JSON (exit 1 still)."
    ),
) -> None:
    """Check a policy file and list every problem with it; exit 1 if there are any."""
    from clientkeep.policy import check_policy, parse_policy

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        typer.echo(f"{file}: cannot read the policy: {reason}", err=True)
        raise typer.Exit(1) from None
    problems = check_policy(text, source=str(file))
    if as_json:
        policy = None if problems else parse_policy(text, source=str(file))
        typer.echo(
            json.dumps(
                {
                    "file": str(file),
                    "valid": not problems,
                    "problems": [{"location": p.location, "message": p.message} for p in problems],
                    "version": policy.version if policy else None,
                    "fields": len(policy.fields) if policy else None,
                    "purposes": len(policy.purposes) if policy else None,
                    "roles": len(policy.roles) if policy else None,
                },
                indent=2,
            )
        )
        if problems:
            raise typer.Exit(1)
        return
    if problems:
        for problem in problems:
            typer.echo(f"{file}:{problem.location}: {problem.message}", err=True)
        typer.echo(f"{file}: {len(problems)} problem(s); the policy is not valid", err=True)
        raise typer.Exit(1)
    policy = parse_policy(text, source=str(file))
    typer.echo(
        f"{file}: policy is valid ({len(policy.fields)} fields, {len(policy.purposes)} "
        f"purposes, {len(policy.roles)} roles)"
    )


@app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="Print the policy as JSON.")) -> None:
    """Show the policy in force (CLIENTKEEP_POLICY, or the shipped default)."""
    from clientkeep.config import ConfigError, load_settings
    from clientkeep.policy import PolicyInvalid, load_policy
    from clientkeep.policy.loader import default_policy_path

    try:
        path = load_settings().policy_path or default_policy_path()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        policy = load_policy(path)
    except PolicyInvalid as exc:
        for problem in exc.problems:
            typer.echo(f"{path}:{problem.location}: {problem.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(policy_document(policy), indent=2))
    else:
        _print_tables(policy, path)


def _print_tables(policy: Policy, path: Path) -> None:
    from rich.console import Console

    out = Console()
    out.print(f"Policy {policy.version} from {path}", highlight=False, soft_wrap=True)
    out.print(
        f"Controller: {policy.controller.name} (ICO {policy.controller.ico_registration})",
        highlight=False,
        soft_wrap=True,
    )
    fields = _table("Fields", "Field", "Type", "Category", "Purposes")
    for f in policy.fields.values():
        category = f.category.value + (f" ({f.special_kind})" if f.special_kind else "")
        fields.add_row(
            f.name, f.type.value, category, ", ".join(sorted(policy.purposes_using(f.name)))
        )
    purposes = _table("Purposes", "Purpose", "Lawful basis", "Fields", "Required", "Retention")
    for p in policy.purposes.values():
        basis = p.lawful_basis.value
        if p.article9_condition:
            basis += f"; Article 9: {p.article9_condition}"
        needs = list(p.required)
        if p.one_of:
            needs.append("one of: " + " or ".join("+".join(g) for g in p.one_of))
        purposes.add_row(
            p.name, basis, ", ".join(sorted(p.fields)), "; ".join(needs), p.retention.description
        )
    roles = _table("Roles", "Role", "Purposes", "Special category", "Capabilities")
    for r in policy.roles.values():
        roles.add_row(
            r.name,
            ", ".join(sorted(r.purposes)) or "none",
            "yes" if r.may_see_special else "no",
            ", ".join(sorted(r.capabilities)) or "none",
        )
    for table in (fields, purposes, roles):
        out.print(table)


def _table(title: str, *headers: str) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for header in headers:
        # Fold rather than cut: a field name cut short is a wrong field name.
        table.add_column(header, overflow="fold")
    return table


def policy_document(policy: Policy) -> dict[str, Any]:
    """The whole policy as plain JSON-ready data, in the order of the policy file."""
    return {
        "version": policy.version,
        "controller": {
            "name": policy.controller.name,
            "address": policy.controller.address,
            "ico_registration": policy.controller.ico_registration,
            "dpo_contact": policy.controller.dpo_contact,
        },
        "fields": {
            f.name: {
                "type": f.type.value,
                "category": f.category.value,
                "label": f.label,
                "description": f.description,
                "choices": list(f.choices),
                "special_kind": f.special_kind,
                "max_length": f.max_length,
                "system": f.system,
                "purposes": sorted(policy.purposes_using(f.name)),
            }
            for f in policy.fields.values()
        },
        "purposes": {
            p.name: {
                "description": p.description,
                "lawful_basis": p.lawful_basis.value,
                "fields": sorted(p.fields),
                "required": list(p.required),
                "one_of": [list(g) for g in p.one_of],
                "article9_condition": p.article9_condition,
                "compare_only": sorted(p.compare_only),
                "legitimate_interest_assessment": p.legitimate_interest_assessment,
                "retention": {
                    "period_days": p.retention.period_days,
                    "trigger": p.retention.trigger,
                    "longstop_days": p.retention.longstop_days,
                    "description": p.retention.description,
                },
            }
            for p in policy.purposes.values()
        },
        "roles": {
            r.name: {
                "description": r.description,
                "purposes": sorted(r.purposes),
                "may_see_special": r.may_see_special,
                "sees_customer_data": r.sees_customer_data,
                "capabilities": sorted(r.capabilities),
            }
            for r in policy.roles.values()
        },
        "verification": {
            v.name: {
                "description": v.description,
                "fields": list(v.fields),
                "min_matches": v.min_matches,
            }
            for v in policy.verification.values()
        },
        "staleness": {
            "default_days": policy.staleness.default_days,
            "per_field_days": dict(policy.staleness.per_field_days),
        },
        "staff": {
            "max_failed_sign_ins": policy.staff.max_failed_sign_ins,
            "lockout_minutes": policy.staff.lockout_minutes,
            "session_minutes": policy.staff.session_minutes,
            "min_password_length": policy.staff.min_password_length,
        },
        "default_purpose": policy.default_purpose,
        "field_roles": policy.field_roles.as_dict(),
        "customer_reference": {
            "prefix": policy.customer_reference.prefix,
            "length": policy.customer_reference.length,
            "alphabet": policy.customer_reference.alphabet,
        },
    }
