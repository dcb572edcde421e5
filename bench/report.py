"""Render bench/run.py reports as the table in bench/RESULTS.md.

.venv/bin/python bench/report.py results-100k.json results-1m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROWS = (
    ("registration_bulk", "Bulk registration"),
    ("lookup_email", "Exact lookup by email"),
    ("lookup_phone", "Exact lookup by phone"),
    ("lookup_postcode", "Exact lookup by postcode"),
    ("name_fuzzy_top10", "Fuzzy name search, top 10"),
    ("read_for_purpose", "Read one customer for a purpose (in process)"),
    ("api_read", "Read one customer through the REST API"),
    ("audit_verify", "Audit-trail verification"),
    ("duplicate_scan", "Whole-book duplicate scan"),
)


def figure(metric: dict[str, Any]) -> str:
    if metric["unit"].endswith("/s"):
        text = f"{metric['per_second']:,.0f} {metric['unit']}"
        if "p95_ms" in metric:
            text += f" (p95 {metric['p95_ms']:.1f} ms)"
        return text
    if "p95_ms" in metric:
        return (
            f"p50 {metric['p50_ms']:.2f} ms, p95 {metric['p95_ms']:.2f} ms, "
            f"p99 {metric['p99_ms']:.2f} ms"
        )
    return (
        f"{metric['seconds']:.1f} s; precision {metric['precision']:.3f}, "
        f"recall {metric['recall']:.3f}, F1 {metric['f1']:.3f}"
    )


def baseline(metric: dict[str, Any]) -> str:
    if "baseline_per_second" in metric:
        return f"{metric['baseline_per_second']:,.0f} /s"
    base = metric.get("baseline")
    if isinstance(base, dict):
        return f"p50 {base['p50_ms']:.2f} ms, p95 {base['p95_ms']:.2f} ms"
    return "-"


def verdict(metric: dict[str, Any]) -> str:
    parts = []
    if "met" in metric:
        parts.append(f"target {metric['target']}: {'met' if metric['met'] else 'MISSED'}")
    if "overhead" in metric:
        parts.append(
            f"overhead {metric['overhead']:.2f}x: {'met' if metric['overhead_met'] else 'MISSED'}"
        )
    return "; ".join(parts) or "no target"


def table(report: dict[str, Any]) -> str:
    lines = [
        f"### N = {report['customers']:,} (commit {report['commit']}, {report['when']})",
        "",
        f"`{report['command']}`",
        "",
        "| measure | clientkeep | plain baseline | against target (docs/architecture.md) |",
        "|---|---|---|---|",
    ]
    for key, label in ROWS:
        metric = report["metrics"].get(key)
        if metric is not None:
            lines.append(f"| {label} | {figure(metric)} | {baseline(metric)} | {verdict(metric)} |")
    return "\n".join(lines)


def main() -> None:
    for path in sys.argv[1:]:
        print(table(json.loads(Path(path).read_text())))
        print()


if __name__ == "__main__":
    main()
