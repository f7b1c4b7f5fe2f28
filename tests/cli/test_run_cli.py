"""Specification tests of `kairos run` (the contract in DESIGN.md, the schema in
docs/run.md): every file of every workload exists and parses, the summary agrees with
report.json, the output does not depend on --jobs, config errors name the key and its line,
and one failing workload fails alone."""
import http.server
import json
import os
import pty
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import DATA, ROOT, parse_csv

EXAMPLE = ROOT / "examples" / "run" / "kairos.yaml"
FILES = ["forecast.csv", "plan.csv", "report.json", "scaledobject.yaml", "chart.svg"]
SVG = "{http://www.w3.org/2000/svg}"

BASE = """\
defaults:
  horizon: 24
  plan: {target_per_replica: 100, risk: 0.05}
  cost: {cpu: 500m, memory: 1Gi}
workloads:
"""


def write_config(tmp_path, body, name="kairos.yaml"):
    path = tmp_path / name
    path.write_text(body)
    return path


def summary_rows(stdout):
    """{workload: [cells]} of the summary table: columns are separated by two blanks."""
    lines = stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0].strip()) == [
        "WORKLOAD", "MODEL", "DECISION", "PEAK", "$/MONTH DELTA", "RISK"]
    rows = {}
    for line in lines[1:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells
    return rows


@pytest.fixture(scope="module")
def example_run(kairos, tmp_path_factory):
    """The bundled example, run once: (output directory, stdout)."""
    out = tmp_path_factory.mktemp("run") / "report"
    stdout = kairos.ok("run", EXAMPLE, "--out", out, "--jobs", 2)
    return out, stdout


# ---- the bundled example ------------------------------------------------------------------

def test_example_has_three_workloads_of_different_shapes(example_run):
    out, stdout = example_run
    assert list(summary_rows(stdout)) == ["web", "nightly-batch", "auth"]
    assert "3 workloads: 3 ok, 0 failed." in stdout


@pytest.mark.parametrize("workload", ["web", "nightly-batch", "auth"])
def test_every_file_of_a_workload_exists(example_run, workload):
    out, _ = example_run
    assert sorted(p.name for p in (out / workload).iterdir()) == sorted(FILES)


@pytest.mark.parametrize("workload", ["web", "nightly-batch", "auth"])
def test_forecast_and_plan_csv_parse_with_the_contract_columns(example_run, workload):
    out, _ = example_run
    report = json.loads((out / workload / "report.json").read_text())
    horizon = report["forecast"]["horizon"]
    header, rows = parse_csv((out / workload / "forecast.csv").read_text())
    assert header == ["step", "timestamp", "mean", "q0.05", "q0.1", "q0.5", "q0.9", "q0.95"]
    assert [int(r["step"]) for r in rows] == list(range(1, horizon + 1))
    assert rows[0]["timestamp"] == report["forecast"]["first"]
    assert rows[-1]["timestamp"] == report["forecast"]["last"]
    header, plan = parse_csv((out / workload / "plan.csv").read_text())
    assert header == ["step", "timestamp", "demand", "replicas", "p_shortfall"]
    assert len(plan) == horizon
    replicas = [int(r["replicas"]) for r in plan]
    assert max(replicas) == report["plan"]["peak_replicas"]
    assert all(report["plan"]["min_replicas"] <= r <= report["plan"]["max_replicas"]
               for r in replicas)


@pytest.mark.parametrize("workload", ["web", "nightly-batch", "auth"])
def test_manifest_passes_kairos_lint(kairos, example_run, workload):
    out, _ = example_run
    manifest = out / workload / "scaledobject.yaml"
    kairos.ok("lint", manifest)
    text = manifest.read_text()
    assert "kind: ScaledObject" in text
    assert f"name: {workload}" in text
    report = json.loads((out / workload / "report.json").read_text())
    assert report["keda"]["lint"] == {"errors": 0, "warnings": report["keda"]["lint"]["warnings"]}


@pytest.mark.parametrize("workload", ["web", "nightly-batch", "auth"])
def test_chart_is_well_formed_svg_with_axes_legend_and_title(example_run, workload):
    out, _ = example_run
    root = ET.parse(out / workload / "chart.svg").getroot()
    assert root.tag == SVG + "svg"
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert any(workload in t for t in texts)                      # the title
    for label in ("history", "forecast mean", "90% interval", "50% interval", "time (UTC)"):
        assert label in texts
    assert any(t.startswith("planned capacity (replicas") for t in texts)
    assert len(root.findall(f".//{SVG}path")) >= 5                 # bands, lines, capacity
    assert sum(re.fullmatch(r"[0-9.]+k?", t) is not None for t in texts) >= 3   # value ticks


def test_report_json_carries_forecast_plan_cost_decision_and_keda(example_run):
    out, _ = example_run
    report = json.loads((out / "web" / "report.json").read_text())
    assert report["status"] == "ok"
    assert report["workload"] == "web" and report["namespace"] == "shop"
    assert report["source"] == {"csv": "../data/web-requests.csv"}
    assert report["model"]["name"] == report["summary"]["model"]
    assert report["plan"]["planned_on"] == "q0.95"
    assert report["cost"]["current_replicas"] == 12
    assert report["cost"]["delta_vs_current"] == pytest.approx(
        report["cost"]["plan_month"] - report["cost"]["current_month"], abs=1e-5)
    decision = report["decision"]
    assert decision["rationale"].startswith(f"web: {decision['decision']} ({decision['rule']})")
    assert report["keda"]["mode"] == "cron" and report["keda"]["windows"] >= 1


def test_summary_rows_match_report_json(example_run):
    out, stdout = example_run
    for name, cells in summary_rows(stdout).items():
        s = json.loads((out / name / "report.json").read_text())["summary"]
        assert cells[1] == s["model"]
        assert cells[2] == s["decision"]
        assert int(cells[3]) == s["peak_replicas"]
        assert cells[4] == f"{s['cost_delta_month']:+.2f} USD"
        assert cells[5] == f"{s['risk'] * 100:.1f}%"


def test_index_html_is_self_contained_and_shows_every_workload(example_run):
    out, stdout = example_run
    html = (out / "index.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg ") == 3
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"url\((?!#)", html)                   # only local clip paths
    for name, cells in summary_rows(stdout).items():
        assert f'id="w-{name}"' in html
        assert f"<td>{cells[2]}</td>" in html


def test_jobs_1_and_2_give_byte_identical_files(kairos, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    kairos.ok("run", EXAMPLE, "--out", one, "--jobs", 1)
    kairos.ok("run", EXAMPLE, "--out", two, "--jobs", 2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert len(files) == 3 * len(FILES) + 1
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for f in files:
        assert (one / f).read_bytes() == (two / f).read_bytes(), f


def test_csv_paths_are_relative_to_the_config(kairos, tmp_path):
    result = subprocess.run([str(kairos.path), "run", str(EXAMPLE), "--out", "here"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "here" / "web" / "plan.csv").exists()


def test_default_out_dir_is_kairos_run(kairos, tmp_path):
    result = subprocess.run([str(kairos.path), "run", str(EXAMPLE)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kairos-run" / "index.html").exists()


# ---- agreement with the single-purpose commands ------------------------------------------

def test_plan_and_manifest_match_kairos_plan_and_kairos_keda(kairos, tmp_path):
    csv = DATA / "web-requests.csv"
    config = write_config(tmp_path, f"""\
workloads:
  - name: web
    namespace: shop
    source: {csv}
    horizon: 48
    season: [24, 168]
    plan: {{target_per_replica: 100, risk: 0.05, headroom: 1.2, lead_time: 2h}}
    current: {{replicas: 4}}
    cost: {{cpu: 500m, memory: 1Gi}}
    keda: {{mode: cron, max_windows: 12}}
""")
    kairos.ok("run", config, "--out", tmp_path / "out")
    opts = ["--horizon", 48, "--season", "24,168", "--target-per-replica", 100, "--risk",
            0.05, "--headroom", 1.2, "--lead-time", "2h", "--current", 4]
    _, expected = parse_csv(kairos.ok("plan", csv, *opts))
    _, got = parse_csv((tmp_path / "out" / "web" / "plan.csv").read_text())
    for e, g in zip(expected, got, strict=True):
        assert (g["timestamp"], g["demand"], g["replicas"]) == \
            (e["timestamp"], e["demand"], e["replicas"])
        assert float(g["p_shortfall"]) == pytest.approx(float(e["p_shortfall"]), abs=0.02)
    manifest = kairos.ok("keda", "--name", "web", "--namespace", "shop", "--mode", "cron",
                         "--max-windows", 12, csv, *opts)
    assert (tmp_path / "out" / "web" / "scaledobject.yaml").read_text() == manifest


def test_defaults_are_merged_key_by_key(kairos, tmp_path):
    config = write_config(tmp_path, BASE.replace(
        "plan: {target_per_replica: 100, risk: 0.05}",
        "plan: {target_per_replica: 100, risk: 0.05, max: 30}") + f"""\
  - name: a
    source: {DATA / 'web-requests.csv'}
  - name: b
    source: {DATA / 'web-requests.csv'}
    plan: {{max: 12}}
    quantiles: [0.25, 0.75]
""")
    kairos.ok("run", config, "--out", tmp_path / "out")
    a = json.loads((tmp_path / "out" / "a" / "report.json").read_text())["plan"]
    b = json.loads((tmp_path / "out" / "b" / "report.json").read_text())["plan"]
    assert (a["max_replicas"], a["planned_on"], a["target_per_replica"]) == (30, "q0.95", 100)
    assert (b["max_replicas"], b["planned_on"], b["target_per_replica"]) == (12, "q0.95", 100)
    header, _ = parse_csv((tmp_path / "out" / "b" / "forecast.csv").read_text())
    assert header == ["step", "timestamp", "mean", "q0.25", "q0.75"]


# ---- configuration errors: exit 2, naming the key and its line ----------------------------

def config_error(kairos, tmp_path, body):
    return kairos.fails(2, "run", write_config(tmp_path, body), "--out", tmp_path / "out")


def test_unknown_key_is_exit_2_naming_the_key_and_its_line(kairos, tmp_path):
    message = config_error(kairos, tmp_path, BASE + f"""\
  - name: web
    source: {DATA / 'web-requests.csv'}
    horizn: 24
""")
    assert "kairos.yaml:8:" in message and "'horizn'" in message
    assert not (tmp_path / "out").exists()                   # nothing is run


def test_unknown_nested_key_names_its_section(kairos, tmp_path):
    message = config_error(kairos, tmp_path, BASE + f"""\
  - name: web
    source: {DATA / 'web-requests.csv'}
    plan:
      headrom: 1.2
""")
    assert "kairos.yaml:9:" in message and "'plan.headrom'" in message
    assert "headroom" in message                             # the known keys are listed


def test_unknown_top_level_key(kairos, tmp_path):
    message = config_error(kairos, tmp_path, "default:\n  horizon: 3\nworkloads: []\n")
    assert "kairos.yaml:1:" in message and "'default'" in message


@pytest.mark.parametrize("line, fragment, expected", [
    ("    horizon: abc", "horizon", "not a whole number"),
    ("    plan: {headroom: 0.5}", "plan.headroom", "between 1 and 100"),
    ("    step: 5x", "step", "not a duration"),
    ("    season: [24, zero]", "season", "not a whole number"),
    ("    keda: {mode: sometimes}", "keda.mode", "not one of"),
    ("    cost: {cpu: lots}", "cost.cpu", "cost.cpu"),
    ("    quantiles: [0.1, 1.5]", "quantiles", "strictly between"),
])
def test_bad_values_name_the_key_and_its_line(kairos, tmp_path, line, fragment, expected):
    message = config_error(kairos, tmp_path, BASE + f"""\
  - name: web
    source: {DATA / 'web-requests.csv'}
{line}
""")
    assert "kairos.yaml:8:" in message and fragment in message and expected in message


@pytest.mark.parametrize("body, expected", [
    ("  - name: web\n    horizon: 3\n", "no source"),
    ("  - source: x.csv\n", "no name"),
    ("  - name: Web\n    source: x.csv\n", "DNS-1123"),
    ("  - name: web\n    source: x.csv\n  - name: web\n    source: y.csv\n", "used twice"),
    ("  - name: web\n    source: x.csv\n    horizon: 3\n    horizon: 4\n", "given twice"),
    ("  - name: web\n    source: x.csv\n    plan: {quantile: 0.9}\n", "cannot be used together"),
    ("  - name: web\n    source: {prometheus: {url: http://p:9090}}\n", "url and query"),
    ("  - name: web\n    source: x.csv\n    keda: {mode: external}\n", "scaler_address"),
])
def test_incomplete_workloads_are_config_errors(kairos, tmp_path, body, expected):
    assert expected in config_error(kairos, tmp_path, BASE + body)


def test_name_is_not_a_default(kairos, tmp_path):
    message = config_error(kairos, tmp_path, "defaults:\n  name: x\nworkloads: []\n")
    assert "kairos.yaml:2:" in message and "name" in message


def test_yaml_syntax_error_is_exit_2_with_its_line(kairos, tmp_path):
    message = config_error(kairos, tmp_path, BASE + "  - name: [web\n")
    assert "kairos.yaml:" in message and "not valid YAML" in message


def test_missing_config_is_exit_3(kairos, tmp_path):
    assert "cannot open" in kairos.fails(3, "run", tmp_path / "nope.yaml")


@pytest.mark.parametrize("args", [[], ["a.yaml", "b.yaml"], ["x.yaml", "--jobs", 0],
                                  ["x.yaml", "--frobnicate"], ["x.yaml", "--out"]])
def test_usage_errors(kairos, args):
    kairos.fails(2, "run", *args)


def test_help(kairos):
    text = kairos.ok("run", "--help")
    assert "kairos run CONFIG.yaml" in text and "--jobs" in text
    assert "run" in kairos.ok("--help")


# ---- failures of one workload -------------------------------------------------------------

def test_a_workload_with_a_broken_csv_fails_alone(kairos, tmp_path):
    config = write_config(tmp_path, BASE + f"""\
  - name: web
    source: {DATA / 'web-requests.csv'}
  - name: broken
    source: {DATA / 'broken.csv'}
  - name: flat
    source: {ROOT / 'examples' / 'run' / 'flat-service.csv'}
""")
    out = tmp_path / "out"
    result = kairos.run("run", config, "--out", out)
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines() == [
        "kairos: workload 'broken': " + str(DATA / "broken.csv") +
        ": line 7, column 'value': 'abc' is not a number"]
    rows = summary_rows(result.stdout)
    assert rows["broken"] == ["broken", "-", "failed", "-", "-", "-"]
    assert rows["web"][2] != "failed" and rows["flat"][2] != "failed"
    assert "3 workloads: 2 ok, 1 failed." in result.stdout
    for name in ("web", "flat"):
        assert sorted(p.name for p in (out / name).iterdir()) == sorted(FILES)
    assert [p.name for p in (out / "broken").iterdir()] == ["report.json"]
    report = json.loads((out / "broken" / "report.json").read_text())
    assert (report["status"], report["exit_code"]) == ("failed", 3)
    assert "line 7" in report["error"]
    html = (out / "index.html").read_text()
    assert html.count("<svg ") == 2 and "failed (exit 3)" in html


def test_a_failed_workload_leaves_no_stale_files(kairos, tmp_path):
    csv = tmp_path / "load.csv"
    shutil.copy(DATA / "web-requests.csv", csv)
    config = write_config(tmp_path, BASE + "  - name: web\n    source: load.csv\n")
    out = tmp_path / "out"
    kairos.ok("run", config, "--out", out)
    shutil.copy(DATA / "broken.csv", csv)
    assert kairos.run("run", config, "--out", out).returncode == 3
    assert [p.name for p in (out / "web").iterdir()] == ["report.json"]


def test_exit_code_is_the_highest_of_the_failures(kairos, tmp_path):
    config = write_config(tmp_path, BASE + f"""\
  - name: broken
    source: {DATA / 'broken.csv'}
  - name: unknown-model
    source: {DATA / 'web-requests.csv'}
    model: crystal-ball
""")
    result = kairos.run("run", config, "--out", tmp_path / "out")
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 2
    assert "workload 'unknown-model'" in result.stderr


def test_history_without_timestamps_is_bad_data(kairos, tmp_path):
    (tmp_path / "plain.csv").write_text("value\n" + "\n".join(str(100 + i % 7)
                                                               for i in range(100)) + "\n")
    config = write_config(tmp_path, BASE + "  - name: plain\n    source: plain.csv\n")
    result = kairos.run("run", config, "--out", tmp_path / "out")
    assert result.returncode == 3
    assert "no timestamps" in result.stderr


# ---- progress -----------------------------------------------------------------------------

def test_progress_only_when_stderr_is_a_terminal(kairos, tmp_path):
    master, slave = pty.openpty()
    try:
        result = subprocess.run([str(kairos.path), "run", str(EXAMPLE), "--out",
                                 str(tmp_path / "out"), "--jobs", "1"],
                                stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    assert result.returncode == 0
    progress = b"".join(chunks).decode().splitlines()
    assert progress == ["kairos: [1/3] web: done", "kairos: [2/3] nightly-batch: done",
                        "kairos: [3/3] auth: done"]
    assert b"[1/3]" not in result.stdout


# ---- the Prometheus source ----------------------------------------------------------------

def query_range_body(start, step, values):
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {"job": "api"},
         "values": [[start + i * step, str(v)] for i, v in enumerate(values)]}]}})


@pytest.fixture
def prometheus():
    """A stand-in Prometheus answering query_range with three days of hourly data."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            seen.append((url.path, parse_qs(url.query)))
            q = parse_qs(url.query)
            start, step = int(q["start"][0]), int(q["step"][0])
            n = (int(q["end"][0]) - start) // step + 1
            body = query_range_body(start, step, [200 + 50 * ((i % 24) >= 12)
                                                  for i in range(n)]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_prometheus_source_is_fetched_and_planned(kairos, tmp_path, prometheus):
    url, seen = prometheus
    config = write_config(tmp_path, BASE + f"""\
  - name: api
    source:
      prometheus:
        url: {url}/
        query: sum(rate(http_requests_total{{job="api"}}[5m]))
        step: 1h
        window: 3d
        end: 2024-05-04T00:00:00Z
    keda: {{mode: prometheus}}
""")
    result = kairos.run("run", config, "--out", tmp_path / "out")
    if "built without" in result.stderr:
        pytest.skip("this kairos was built without libcurl")
    assert result.returncode == 0, result.stderr
    path, query = seen[0]
    assert path == "/api/v1/query_range"
    assert query["query"] == ['sum(rate(http_requests_total{job="api"}[5m]))']
    assert (query["step"], query["end"]) == (["3600"], ["1714780800"])
    assert int(query["end"][0]) - int(query["start"][0]) == 3 * 86400
    report = json.loads((tmp_path / "out" / "api" / "report.json").read_text())
    assert report["source"]["prometheus"]["url"] == url + "/"
    assert report["forecast"]["first"] == "2024-05-04T01:00:00Z"
    manifest = (tmp_path / "out" / "api" / "scaledobject.yaml").read_text()
    assert f'serverAddress: "{url}/"' in manifest           # the trigger reuses the query
    assert "http_requests_total" in manifest


def test_unreachable_prometheus_fails_the_workload_alone(kairos, tmp_path):
    config = write_config(tmp_path, BASE + f"""\
  - name: api
    source: {{prometheus: {{url: "http://127.0.0.1:9", query: up, timeout: 5s}}}}
  - name: web
    source: {DATA / 'web-requests.csv'}
""")
    result = kairos.run("run", config, "--out", tmp_path / "out")
    assert result.returncode in (2, 3)        # 2 when built without libcurl
    assert summary_rows(result.stdout)["web"][2] != "failed"
    assert result.stderr.startswith("kairos: workload 'api': ")
