// Package integration runs the scaler against real components on loopback: a Prometheus
// server (Debian package `prometheus`) serving history backfilled with
// `promtool tsdb create-blocks-from openmetrics`, the kairos-scaler binary, and a gRPC
// client generated from KEDA's externalscaler.proto calling every method. The replicas the
// scaler reports must equal `kairos plan` on the same data.
package integration

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pb "github.com/libkairos/kairos-go/externalscaler"
	"github.com/libkairos/kairos-go/internal/testpki"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

const (
	step    = time.Hour
	history = 15 * 24 * time.Hour
	horizon = 48
)

// workload is one scaled workload of the test, with the `kairos plan` options that must
// give the same plan as its scaler configuration.
type workload struct {
	name, metric, planYAML string
	forecastYAML           string // extra keys of the forecast section
	forecastArgs           []string
	planArgs               []string
	leadTime               time.Duration
	base, amp              float64
}

var workloads = []workload{
	{name: "api", metric: `requests_per_second{job="api"}`, base: 400, amp: 250,
		planYAML: "{target_per_replica: 100, risk: 0.1, min_replicas: 2, max_replicas: 30, lead_time: 1h}",
		planArgs: []string{"--target-per-replica", "100", "--risk", "0.1", "--min", "2", "--max", "30", "--lead-time", "1h"},
		leadTime: 2 * time.Hour},
	{name: "worker", metric: `queue_depth{queue="jobs"}`, base: 2000, amp: 1500,
		planYAML:     "{target_per_replica: 500, headroom: 1.2, stabilization: 3h, min_replicas: 0}",
		planArgs:     []string{"--target-per-replica", "500", "--headroom", "1.2", "--stabilization", "3h", "--min", "0"},
		forecastYAML: ", model: ets, calibrate: true, calibrate_windows: 4",
		forecastArgs: []string{"--model", "ets", "--calibrate", "--calibrate-windows", "4"}},
}

func need(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (Debian package prometheus; run-tests.sh installs it as root)", name)
	}
	return p
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs a process we own and stops it (SIGTERM, then SIGKILL) at cleanup.
func start(t *testing.T, logPath string, name string, args ...string) *exec.Cmd {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return cmd
}

func waitHTTP(t *testing.T, url string, want int, logPath string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	logText, _ := os.ReadFile(logPath)
	t.Fatalf("%s did not answer %d in time; log:\n%s", url, want, logText)
}

// writeOpenMetrics writes the history of every workload: hourly gauges with a daily cycle
// and noise, ending at the last whole hour.
func writeOpenMetrics(t *testing.T, path string, end time.Time) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(8, 8))
	seen := map[string]bool{}
	for _, wl := range workloads {
		family := wl.metric[:strings.IndexByte(wl.metric, '{')]
		if !seen[family] {
			fmt.Fprintf(w, "# TYPE %s gauge\n", family)
			seen[family] = true
		}
		for ts := end.Add(-history); !ts.After(end); ts = ts.Add(step) {
			h := float64(ts.Hour())
			v := wl.base + wl.amp*math.Sin(2*math.Pi*(h-8)/24) + rng.NormFloat64()*wl.amp/10
			fmt.Fprintf(w, "%s %.1f %d\n", wl.metric, math.Max(v, 0), ts.Unix())
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

type planView struct {
	Workload     string  `json:"workload"`
	HistoryStart int64   `json:"history_start"`
	HistoryEnd   int64   `json:"history_end"`
	Timestamps   []int64 `json:"timestamp"`
	Replicas     []int   `json:"replicas"`
	Stale        bool    `json:"stale"`
	LastError    string  `json:"last_error"`
}

func plans(t *testing.T, base string) map[string]planView {
	t.Helper()
	resp, err := http.Get(base + "/plans")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Workloads []planView }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	out := map[string]planView{}
	for _, p := range v.Workloads {
		out[p.Workload] = p
	}
	return out
}

// historyCSV asks Prometheus for the window the scaler used and writes it as the CSV
// `kairos plan` reads, with the sample values exactly as Prometheus sent them.
func historyCSV(t *testing.T, promURL, query string, start, end int64, path string) {
	t.Helper()
	q := url.Values{"query": {query}, "start": {strconv.FormatInt(start, 10)},
		"end": {strconv.FormatInt(end, 10)}, "step": {strconv.Itoa(int(step / time.Second))}}
	resp, err := http.Get(promURL + "/api/v1/query_range?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Result []struct {
				Values [][2]any `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Data.Result) != 1 {
		t.Fatalf("query_range: %v (%d series)", err, len(body.Data.Result))
	}
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for _, p := range body.Data.Result[0].Values {
		fmt.Fprintf(&b, "%d,%s\n", int64(p[0].(float64)), p[1].(string))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestScalerWithRealPrometheus(t *testing.T) {
	prom := need(t, "prometheus")
	promtool := need(t, "promtool")
	cli := os.Getenv("KAIROS_CLI")
	if cli == "" {
		t.Skip("KAIROS_CLI is not set (run bindings/go/run-tests.sh)")
	}
	dir := t.TempDir()
	t0 := time.Now()
	end := time.Now().UTC().Truncate(step)

	// 1. history → OpenMetrics → TSDB blocks
	om := filepath.Join(dir, "history.om")
	writeOpenMetrics(t, om, end)
	data := filepath.Join(dir, "prom-data")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", om, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}

	t.Logf("%s: %s", time.Since(t0).Round(time.Millisecond), "blocks written")
	// 2. Prometheus on loopback, scraping nothing
	promCfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(promCfg, []byte("global:\n  scrape_interval: 1m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	promAddr := freePort(t)
	promURL := "http://" + promAddr
	promLog := filepath.Join(dir, "prometheus.log")
	promCmd := start(t, promLog, prom, "--config.file="+promCfg, "--storage.tsdb.path="+data,
		"--web.listen-address="+promAddr, "--storage.tsdb.retention.time=100y")
	waitHTTP(t, promURL+"/-/ready", 200, promLog)

	t.Logf("%s: %s", time.Since(t0).Round(time.Millisecond), "prometheus ready")
	// 3. the scaler binary
	bin := filepath.Join(dir, "kairos-scaler")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/kairos-scaler").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	grpcAddr, httpAddr := freePort(t), freePort(t)
	var cfg strings.Builder
	pki := testpki.New(t) // the gRPC port serves mutual TLS
	fmt.Fprintf(&cfg, "listen: %q\nhttp_listen: %q\nrefresh_interval: 1s\n"+
		"tls: {cert_file: %q, key_file: %q, client_ca_file: %q}\nworkloads:\n",
		grpcAddr, httpAddr, pki.CertFile, pki.KeyFile, pki.CAFile)
	for _, wl := range workloads {
		fmt.Fprintf(&cfg, "  - name: %s\n    prometheus: {url: %q, query: %q, timeout: 5s}\n"+
			"    step: 1h\n    history: 15d\n    forecast: {horizon: %d%s}\n    plan: %s\n    lead_time: %ds\n",
			wl.name, promURL, wl.metric, horizon, wl.forecastYAML, wl.planYAML, int(wl.leadTime/time.Second))
	}
	cfgPath := filepath.Join(dir, "scaler.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	scalerLog := filepath.Join(dir, "scaler.log")
	start(t, scalerLog, bin, "-config", cfgPath)
	httpURL := "http://" + httpAddr
	waitHTTP(t, httpURL+"/healthz", 200, scalerLog)

	t.Logf("%s: %s", time.Since(t0).Round(time.Millisecond), "scaler healthy")
	// 4. a gRPC client from the same proto calls every method, over mutual TLS
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(pki.ClientConfig(true))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := pb.NewExternalScalerClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for name, creds := range map[string]credentials.TransportCredentials{
		"plaintext": insecure.NewCredentials(), "TLS without a client certificate": credentials.NewTLS(pki.ClientConfig(false))} {
		bad, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(creds))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pb.NewExternalScalerClient(bad).GetMetricSpec(ctx, &pb.ScaledObjectRef{Name: "api"}); err == nil {
			t.Fatalf("the scaler accepted a %s client", name)
		}
		bad.Close()
	}

	for _, wl := range workloads {
		ref := &pb.ScaledObjectRef{Name: wl.name + "-so", Namespace: "default",
			ScalerMetadata: map[string]string{"workload": wl.name}}
		spec, err := client.GetMetricSpec(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		ms := spec.MetricSpecs[0]
		if ms.TargetSize != 1 || ms.TargetSizeFloat != 1 {
			t.Fatalf("%s: spec %+v", wl.name, ms)
		}
		before := time.Now()
		metrics, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: ref, MetricName: ms.MetricName})
		if err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		active, err := client.IsActive(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		stream, err := client.StreamIsActive(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		pushed, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		specStream, err := client.StreamMetricSpec(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		streamedSpec, err := specStream.Recv()
		if err != nil || streamedSpec.MetricSpecs[0].TargetSizeFloat != 1 {
			t.Fatalf("StreamMetricSpec: %v %v", streamedSpec, err)
		}

		// the same plan from `kairos plan` on the same data
		pv := plans(t, httpURL)[wl.name]
		csv := filepath.Join(dir, wl.name+".csv")
		historyCSV(t, promURL, wl.metric, pv.HistoryStart, pv.HistoryEnd, csv)
		args := append([]string{"plan", csv, "--horizon", strconv.Itoa(horizon), "--format", "json"}, append(wl.planArgs, wl.forecastArgs...)...)
		out, err := exec.Command(cli, args...).Output()
		if err != nil {
			t.Fatalf("kairos %v: %v", args, err)
		}
		var want struct {
			Plan struct {
				Timestamp []string `json:"timestamp"`
				Replicas  []int    `json:"replicas"`
			} `json:"plan"`
		}
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(pv.Replicas) != fmt.Sprint(want.Plan.Replicas) {
			t.Fatalf("%s: scaler plan %v\nkairos plan  %v", wl.name, pv.Replicas, want.Plan.Replicas)
		}
		first, _ := time.Parse(time.RFC3339, want.Plan.Timestamp[0])
		if first.Unix() != pv.Timestamps[0] {
			t.Fatalf("%s: plan starts %d, kairos plan %s", wl.name, pv.Timestamps[0], want.Plan.Timestamp[0])
		}
		// the row of `kairos plan` in force at now + lead time
		row := func(at time.Time) int {
			k := 0
			for i, ts := range want.Plan.Timestamp {
				if tt, _ := time.Parse(time.RFC3339, ts); !tt.After(at) {
					k = i
				}
			}
			return want.Plan.Replicas[k]
		}
		lo, hi := row(before.Add(wl.leadTime)), row(after.Add(wl.leadTime))
		got := int(metrics.MetricValues[0].MetricValue)
		if (got != lo && got != hi) || metrics.MetricValues[0].MetricValueFloat != float64(got) {
			t.Fatalf("%s: GetMetrics %+v, kairos plan says %d", wl.name, metrics.MetricValues[0], lo)
		}
		if active.Result != (got > 0) || pushed.Result != (got > 0) {
			t.Fatalf("%s: IsActive %v, StreamIsActive %v for %d replicas", wl.name, active.Result, pushed.Result, got)
		}
		t.Logf("%s: %d points, plan %v…, reported %d replicas (IsActive %v)", wl.name,
			(pv.HistoryEnd-pv.HistoryStart)/3600+1, want.Plan.Replicas[:6], got, active.Result)
	}

	t.Logf("%s: %s", time.Since(t0).Round(time.Millisecond), "compared with kairos plan")
	// 5. Prometheus goes away: the last good plan is still served and reported stale
	ref := &pb.ScaledObjectRef{Name: "api"}
	good, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: ref})
	if err != nil {
		t.Fatal(err)
	}
	_ = promCmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(30 * time.Second)
	for !plans(t, httpURL)["api"].Stale {
		if time.Now().After(deadline) {
			t.Fatal("the scaler never noticed Prometheus was gone")
		}
		time.Sleep(200 * time.Millisecond)
	}
	stale, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: ref})
	if err != nil || stale.MetricValues[0].MetricValue != good.MetricValues[0].MetricValue {
		t.Fatalf("with Prometheus down: %v %v (before: %v)", stale, err, good)
	}
	resp, err := http.Get(httpURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{`kairos_scaler_plan_stale{workload="api"} 1`,
		`kairos_scaler_forecast_age_seconds{workload="api"}`} {
		if !strings.Contains(string(body), line) {
			t.Fatalf("/metrics lacks %s:\n%s", line, body)
		}
	}
}
