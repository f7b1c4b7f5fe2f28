"""Specification tests of `kairos keda` and `kairos lint` (the contract in DESIGN.md, the
guide in docs/keda.md). The cron windows are checked here against the plan, minute by
minute, by evaluating the emitted cron expressions independently of the library."""
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from conftest import ROOT, START, write_csv

LINT = ROOT / "tests" / "data" / "keda" / "lint"
PLAN_HEADER = ["step", "timestamp", "demand", "replicas", "p_shortfall"]


def write_plan(path, replicas, start=START, step=timedelta(hours=1), timed=True):
    rows = []
    for i, r in enumerate(replicas):
        ts = (start + i * step).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append((i + 1, ts, r * 100, r, 0.01) if timed else (i + 1, r * 100, r, 0.01))
    header = PLAN_HEADER if timed else ["step", "demand", "replicas", "p_shortfall"]
    return write_csv(path, header, rows)


def cron_triggers(yaml_text):
    """(timezone, start, end, desiredReplicas) of each cron trigger, read from the text the
    emitter writes (block style, metadata values double-quoted)."""
    found = []
    for block in yaml_text.split("- type: cron")[1:]:
        fields = dict(re.findall(r'^\s+(timezone|start|end|desiredReplicas): "([^"]*)"',
                                 block, re.M))
        found.append((fields["timezone"], fields["start"], fields["end"],
                      int(fields["desiredReplicas"])))
    return found


def zone_offset(name):
    if name == "Etc/UTC":
        return timedelta(0)
    m = re.fullmatch(r"Etc/GMT([+-]\d+)", name)
    assert m, name
    return timedelta(hours=-int(m.group(1)))  # Etc/GMT-2 is UTC+2


def capacity_by_minute(triggers, first, last, floor):
    """Capacity at every minute in [first, last): active from a start match to an end match."""
    parsed = [(zone_offset(tz), tuple(map(int, s.split()[:4])), tuple(map(int, e.split()[:4])), d)
              for tz, s, e, d in triggers]
    active = [False] * len(parsed)
    t = first - timedelta(minutes=1)
    caps = {}
    while t < last:
        best = floor
        for k, (off, start, end, desired) in enumerate(parsed):
            local = t + off
            now = (local.minute, local.hour, local.day, local.month)
            if now == end:
                active[k] = False
            if now == start:
                active[k] = True
            if active[k]:
                best = max(best, desired)
        caps[t] = best
        t += timedelta(minutes=1)
    return caps


@pytest.mark.parametrize("tz", ["UTC", "+02:00", "UTC-5", "+05:30", "Europe/Paris"])
@pytest.mark.parametrize("max_windows", [1, 3, 10])
def test_cron_schedule_never_falls_below_the_plan(kairos, tmp_path, tz, max_windows):
    replicas = [2, 2, 3, 8, 8, 9, 12, 12, 7, 3, 2, 2, 5, 5, 2, 2, 1, 1, 4, 6, 6, 2, 2, 2]
    plan = write_plan(tmp_path / "plan.csv", replicas, start=datetime(2026, 12, 31, 14,
                                                                      tzinfo=timezone.utc))
    out = kairos.ok("keda", "--name", "web", "--mode", "cron", "--plan", plan,
                    "--timezone", tz, "--max-windows", max_windows, "--min", 2)
    triggers = cron_triggers(out)
    assert 1 <= len(triggers) <= max_windows
    first = datetime(2026, 12, 31, 14, tzinfo=timezone.utc)
    caps = capacity_by_minute(triggers, first, first + len(replicas) * timedelta(hours=1), 2)
    for i, want in enumerate(replicas):
        for m in range(60):
            t = first + i * timedelta(hours=1) + timedelta(minutes=m)
            assert caps[t] >= want, (i, m, caps[t], want)


def test_cron_output_lints_clean_and_reports_extra_hours(kairos, tmp_path):
    plan = write_plan(tmp_path / "plan.csv", [2, 6, 2, 6, 2, 6, 2, 2])
    run = kairos.run("keda", "--name", "web", "--mode", "cron", "--plan", plan,
                     "--max-windows", 1, "--verbose")
    assert run.returncode == 0, run.stderr
    assert "cron window(s)" in run.stderr and "replica-hours" in run.stderr
    manifest = tmp_path / "so.yaml"
    manifest.write_text(run.stdout)
    assert kairos.ok("lint", manifest) == ""


def test_keda_plans_from_a_history_file(kairos, web_requests, tmp_path):
    out = kairos.ok("keda", "--name", "web", "--namespace", "shop", "--mode", "cron",
                    web_requests, "--horizon", 24, "--target-per-replica", 100,
                    "--max-windows", 4)
    assert out.startswith("---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\n")
    assert "namespace: shop" in out
    assert 1 <= len(cron_triggers(out)) <= 4
    # The planner's default limits reach the HPA behavior.
    assert "horizontalPodAutoscalerConfig" in out


def test_reactive_modes_derive_the_threshold(kairos, tmp_path):
    plan = write_plan(tmp_path / "plan.csv", [2, 4, 6])
    out = kairos.ok("keda", "--name", "web", "--mode", "prometheus", "--plan", plan,
                    "--prometheus-server", "http://prometheus:9090", "--query", "sum(up)",
                    "--target-per-replica", 120, "--headroom", 1.2)
    assert 'threshold: "100"' in out and "metricType: AverageValue" in out
    out = kairos.ok("keda", "--name", "web", "--mode", "external", "--plan", plan,
                    "--scaler-address", "kairos:9090", "--metric", "requests")
    assert "type: external" in out and 'scalerAddress: "kairos:9090"' in out


def test_keda_usage_and_data_errors(kairos, tmp_path):
    plan = write_plan(tmp_path / "plan.csv", [2, 4])
    assert "--name" in kairos.fails(2, "keda", "--mode", "cron", "--plan", plan)
    assert "DNS-1123" in kairos.fails(2, "keda", "--name", "Web", "--mode", "cron", "--plan", plan)
    kairos.fails(2, "keda", "--name", "web", "--mode", "sometimes", "--plan", plan)
    untimed = write_plan(tmp_path / "untimed.csv", [2, 4], timed=False)
    assert "timestamps" in kairos.fails(3, "keda", "--name", "web", "--mode", "cron",
                                        "--plan", untimed)
    kairos.fails(2, "keda", "--name", "web", "--mode", "cpu", "--plan", plan, "--min", 0,
                 "--target-per-replica", 0.5)


def test_catalog_lists_scalers(kairos):
    text = kairos.ok("keda", "catalog", "kafka")
    assert "bootstrapServers" in text and "required" in text
    data = json.loads(kairos.ok("keda", "catalog", "--format", "json"))
    types = {s["type"] for s in data["scalers"]}
    assert {"kafka", "rabbitmq", "aws-sqs-queue", "prometheus", "cron", "cpu"} <= types
    kairos.fails(2, "keda", "catalog", "kafak")


def test_lint_exit_codes_and_formats(kairos):
    assert kairos.ok("lint", LINT / "clean.yaml") == ""
    run = kairos.run("lint", LINT / "inline-secret.yaml")
    assert run.returncode == 1
    assert "inline-secret" in run.stdout and "spec.triggers[0].metadata.password" in run.stdout
    run = kairos.run("lint", LINT / "polling-interval-too-low.yaml", "--format", "json")
    assert run.returncode == 0  # warnings only
    data = json.loads(run.stdout)
    assert data["errors"] == 0 and data["warnings"] == 1
    assert data["findings"][0]["rule"] == "polling-interval-too-low"


def test_lint_rules_each_have_a_fixture(kairos):
    ids = [line.split()[0] for line in kairos.ok("lint", "--rules").splitlines()]
    assert len(ids) == len(set(ids)) >= 25
    for rule in ids:
        run = kairos.run("lint", LINT / f"{rule}.yaml", "--format", "json")
        assert run.returncode in (0, 1), run.stderr
        assert rule in {f["rule"] for f in json.loads(run.stdout)["findings"]}


def test_lint_refuses_malformed_yaml(kairos, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec: [1, 2\nkind: x\n")
    assert "line" in kairos.fails(3, "lint", bad)
    kairos.fails(2, "lint")
    kairos.fails(3, "lint", tmp_path / "missing.yaml")
