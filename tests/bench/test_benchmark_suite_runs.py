"""A small run of the benchmark suite, so it cannot rot. It asserts the report's shape and
that the measured system behaved, never how fast it was: timings live in bench/RESULTS.md."""

from __future__ import annotations

import json

from bench import report as results
from bench import run as bench


def test_a_small_run_reports_every_metric_with_its_unit_and_target(tmp_path, monkeypatch) -> None:
    for name in ("MASTER_KEY", "POLICY", "DATABASE_URL", "KEYSTORE_URL", "DATA_DIR"):
        monkeypatch.delenv(f"CLIENTKEEP_{name}", raising=False)
    out = tmp_path / "report.json"
    work = str(tmp_path / "work")
    argv = ["--customers", "300", "--lookups", "15", "--api-seconds", "1",
            "--api-connections", "2", "--work", work, "--out", str(out)]  # fmt: skip
    report = bench.main(argv)
    assert json.loads(out.read_text()) == report
    assert report["customers"] == 300 and report["commit"] and report["machine"]["cpus"]
    metrics = report["metrics"]
    assert set(metrics) == {
        "registration_bulk", "lookup_email", "lookup_phone", "lookup_postcode",
        "name_fuzzy_top10", "read_for_purpose", "api_read", "audit_verify", "duplicate_scan",
    }  # fmt: skip
    assert all("unit" in m for m in metrics.values())
    assert metrics["registration_bulk"]["per_second"] > 0
    assert metrics["registration_bulk"]["baseline_per_second"] > 0
    for name in ("lookup_email", "lookup_phone", "lookup_postcode", "name_fuzzy_top10"):
        assert metrics[name]["samples"] > 0 and metrics[name]["baseline"]["samples"] > 0
        assert "met" in metrics[name] and "overhead" in metrics[name]
    api = metrics["api_read"]
    assert api["requests"] > 0 and api["errors"] == 0
    audit = metrics["audit_verify"]
    assert audit["ok"] is True and audit["events"] > 300
    duplicates = metrics["duplicate_scan"]
    assert duplicates["injected_pairs"] > 0 and duplicates["recall"] > 0.8

    # A second run reuses the built installation instead of registering everyone again.
    again = bench.main([*argv[:-2], "--skip", "api", "--skip", "duplicates"])
    assert again["metrics"]["registration_bulk"]["reused_build"] is True
    assert "api_read" not in again["metrics"]
    assert "Bulk registration" in results.table(report)
