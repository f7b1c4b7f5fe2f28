package scaler

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	kairos "github.com/libkairos/kairos-go"
	pb "github.com/libkairos/kairos-go/externalscaler"
	"github.com/libkairos/kairos-go/internal/testpki"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// fakeProm answers query_range with a daily pattern scaled by level, or fails.
type fakeProm struct {
	fn      func(t int64) float64 // nil: the daily pattern
	level   atomic.Value          // float64
	fail    atomic.Bool
	queries atomic.Int64
}

func (f *fakeProm) value(t int64) float64 {
	if f.fn != nil {
		return f.fn(t)
	}
	h := float64(t%86400) / 3600
	return math.Round((300+200*math.Sin(2*math.Pi*h/24)+float64(t/3600%7))*10) / 10 * f.level.Load().(float64)
}

func (f *fakeProm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.queries.Add(1)
	if f.fail.Load() {
		http.Error(w, `{"status":"error","errorType":"unavailable","error":"down for a test"}`, http.StatusServiceUnavailable)
		return
	}
	q := r.URL.Query()
	start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
	end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
	step, _ := strconv.ParseInt(q.Get("step"), 10, 64)
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[`)
	for t := start; t <= end; t += step {
		if t > start {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `[%d,"%s"]`, t, strconv.FormatFloat(f.value(t), 'g', -1, 64))
	}
	b.WriteString(`]}]}}`)
	_, _ = io.WriteString(w, b.String())
}

func newFake(t *testing.T) (*fakeProm, string) {
	f := &fakeProm{}
	f.level.Store(1.0)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func testConfig(t *testing.T, url, extra string) *Config {
	t.Helper()
	cfg, err := ParseConfig([]byte(fmt.Sprintf(`
workloads:
  - name: api
    prometheus: {url: %q, query: "sum(rate(x[5m]))"}
    step: 1h
    history: 10d
    forecast: {horizon: 24}
    plan: {target_per_replica: 100, risk: 0.1, min_replicas: 0}
    lead_time: 2h
%s`, url, extra)))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// serve starts the service on a loopback port with the given server credentials.
func serve(t *testing.T, svc *Service, creds credentials.TransportCredentials) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var opts []grpc.ServerOption
	if creds != nil {
		opts = append(opts, grpc.Creds(creds))
	}
	gs := grpc.NewServer(opts...)
	pb.RegisterExternalScalerServer(gs, svc)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)
	return lis.Addr().String()
}

func dial(t *testing.T, addr string, creds credentials.TransportCredentials) pb.ExternalScalerClient {
	t.Helper()
	if creds == nil {
		creds = insecure.NewCredentials()
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pb.NewExternalScalerClient(conn)
}

var apiRef = &pb.ScaledObjectRef{Name: "web", Namespace: "shop",
	ScalerMetadata: map[string]string{"workload": "api"}}

func TestParseConfigExampleAndErrors(t *testing.T) {
	cfg, err := LoadConfig("../../../../examples/go/scaler.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Workloads) != 2 || cfg.Workloads[0].Step.D() != 5*time.Minute ||
		cfg.Workloads[0].History.D() != 21*24*time.Hour || cfg.Workloads[1].Refresh.D() != time.Minute {
		t.Fatalf("config %+v", cfg.Workloads)
	}
	po := cfg.Workloads[0].PlanOptions()
	if po.MinReplicas != 2 || po.Risk != 0.05 || po.MaxDownFraction != 0.5 || po.Stabilization != 15*time.Minute {
		t.Fatalf("plan options %+v", po)
	}
	for text, words := range map[string]string{
		"workloads: []":                    "no workloads",
		"workloads: [{name: a}]":           "prometheus.url",
		"bogus: 1\nworkloads: [{name: a}]": "field bogus not found",
		"workloads: [{name: a, prometheus: {url: u, query: q}, step: 1x, history: 1d}]": "duration",
		"workloads: [{name: a, prometheus: {url: u, query: q}, step: 1h, history: 1d}]": "target_per_replica",
	} {
		if _, err := ParseConfig([]byte(text)); err == nil || !strings.Contains(err.Error(), words) {
			t.Errorf("%q: error %v, want %q", text, err, words)
		}
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{"90": 90 * time.Second, "5m": 5 * time.Minute,
		"1h30m": 90 * time.Minute, "2d": 48 * time.Hour, "1w": 168 * time.Hour} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("%s = %v, %v", in, got, err)
		}
	}
}

// The value served is the plan step in force at now + lead time, and the plan is the one
// the binding (and so `kairos plan`) computes from the same history.
func TestGetMetricsServesPlanForNowPlusLeadTime(t *testing.T) {
	fake, url := newFake(t)
	_ = fake
	svc, err := NewService(testConfig(t, url, ""), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	r := svc.byName["api"]
	if err := r.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := dial(t, serve(t, svc, nil), nil)
	ctx := context.Background()

	spec, err := client.GetMetricSpec(ctx, apiRef)
	if err != nil {
		t.Fatal(err)
	}
	if s := spec.MetricSpecs[0]; s.TargetSize != 1 || s.TargetSizeFloat != 1 || s.MetricName != "kairos-api" {
		t.Fatalf("spec %+v", s)
	}
	before := time.Now()
	resp, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: apiRef, MetricName: "s0-kairos-api"})
	if err != nil {
		t.Fatal(err)
	}
	st := r.snapshot().state
	want := LookupStep(st, before.Add(2*time.Hour)).Replicas
	if want2 := LookupStep(st, time.Now().Add(2*time.Hour)).Replicas; want2 != want {
		t.Skip("crossed a step boundary during the call")
	}
	mv := resp.MetricValues[0]
	if mv.MetricValue != int64(want) || mv.MetricValueFloat != float64(want) || mv.MetricName != "s0-kairos-api" {
		t.Fatalf("metric %+v, want %d", mv, want)
	}

	// The same plan, computed by the binding from the same window.
	win := st.Window
	var values []float64
	var times []int64
	for t := win.Start.Unix(); t <= win.End.Unix(); t += 3600 {
		values, times = append(values, fake.value(t)), append(times, t)
	}
	m, err := kairos.Fit(&kairos.Series{Values: values, Timestamps: times}, kairos.FitOptions{Horizon: 24})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p, _, err := m.Plan(24, svc.byName["api"].w.PlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p.Replicas) != fmt.Sprint(st.Plan.Replicas) {
		t.Fatalf("plan %v, binding says %v", st.Plan.Replicas, p.Replicas)
	}
	active, err := client.IsActive(ctx, apiRef)
	if err != nil || active.Result != (want > 0) {
		t.Fatalf("IsActive %v %v", active, err)
	}
}

func TestPrometheusFailureServesLastGoodPlanAndReportsStaleness(t *testing.T) {
	fake, url := newFake(t)
	svc, err := NewService(testConfig(t, url, "    max_staleness: 1h"), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	r := svc.byName["api"]
	client := dial(t, serve(t, svc, nil), nil)
	ctx := context.Background()
	http := httptest.NewServer(svc.Handler())
	defer http.Close()

	// no plan yet: Unavailable, and /healthz says so
	fake.fail.Store(true)
	if err := r.refresh(ctx); err == nil || !strings.Contains(err.Error(), "down for a test") {
		t.Fatalf("refresh error %v", err)
	}
	if _, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: apiRef}); status.Code(err) != codes.Unavailable {
		t.Fatalf("without a plan: %v", err)
	}
	if code, body := get(t, http.URL+"/healthz"); code != 503 || !strings.Contains(body, "no plan") {
		t.Fatalf("healthz %d %s", code, body)
	}

	fake.fail.Store(false)
	if err := r.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	good, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: apiRef})
	if err != nil {
		t.Fatal(err)
	}
	fake.fail.Store(true)
	if err := r.refresh(ctx); err == nil {
		t.Fatal("refresh should fail")
	}
	stale, err := client.GetMetrics(ctx, &pb.GetMetricsRequest{ScaledObjectRef: apiRef})
	if err != nil || stale.MetricValues[0].MetricValue != good.MetricValues[0].MetricValue {
		t.Fatalf("stale plan not served: %v %v", stale, err)
	}
	_, metrics := get(t, http.URL+"/metrics")
	for _, line := range []string{`kairos_scaler_plan_stale{workload="api"} 1`,
		`kairos_scaler_errors_total{workload="api",stage="fetch"} 2`,
		`kairos_scaler_refreshes_total{workload="api"} 1`,
		fmt.Sprintf(`kairos_scaler_desired_replicas{workload="api"} %d`, good.MetricValues[0].MetricValue),
		`kairos_scaler_grpc_errors_total{method="GetMetrics"} 1`,
		"# TYPE kairos_scaler_forecast_age_seconds gauge", `kairos_scaler_predicted_value{workload="api"} `,
		`kairos_scaler_fetch_duration_seconds{workload="api"} `, `kairos_scaler_fit_duration_seconds{workload="api"} `} {
		if !strings.Contains(metrics, line) {
			t.Errorf("/metrics lacks %q:\n%s", line, metrics)
		}
	}
	if code, body := get(t, http.URL+"/healthz"); code != 200 || !strings.Contains(body, "stale") {
		t.Fatalf("healthz %d %s", code, body)
	}
	var plans struct{ Workloads []PlanView }
	_, body := get(t, http.URL+"/plans")
	if err := json.Unmarshal([]byte(body), &plans); err != nil || !plans.Workloads[0].Stale ||
		len(plans.Workloads[0].Replicas) != 24 {
		t.Fatalf("/plans %s %v", body, err)
	}

	// older than max_staleness: the call fails so KEDA's fallback applies
	r.mu.Lock()
	r.state.MadeAt = r.state.MadeAt.Add(-2 * time.Hour)
	r.mu.Unlock()
	if _, err := client.IsActive(ctx, apiRef); status.Code(err) != codes.Unavailable ||
		!strings.Contains(err.Error(), "max_staleness") {
		t.Fatalf("past max_staleness: %v", err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStreamIsActivePushesWhenThePlanChanges(t *testing.T) {
	fake, url := newFake(t)
	svc, err := NewService(testConfig(t, url, ""), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	r := svc.byName["api"]
	if err := r.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := dial(t, serve(t, svc, nil), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, err := client.StreamIsActive(ctx, apiRef)
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil || !first.Result {
		t.Fatalf("first push %v %v", first, err)
	}
	// no load at all: the plan goes to zero replicas and the stream says inactive
	fake.level.Store(0.0)
	if err := r.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	second, err := stream.Recv()
	if err != nil || second.Result {
		t.Fatalf("second push %v %v", second, err)
	}
	fake.level.Store(3.0)
	if err := r.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	third, err := stream.Recv()
	if err != nil || !third.Result {
		t.Fatalf("third push %v %v", third, err)
	}
}

// Time alone moves the plan into steps with another replica count: the stream pushes
// without any refresh.
func TestStreamIsActivePushesWhenTheStepChanges(t *testing.T) {
	f := &fakeProm{fn: func(t int64) float64 {
		if t/2%2 == 0 {
			return 0
		}
		return 1000
	}}
	f.level.Store(1.0)
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg, err := ParseConfig([]byte(fmt.Sprintf(`
refresh_interval: 1h
workloads:
  - name: api
    prometheus: {url: %q, query: q}
    step: 2s
    history: 2m
    forecast: {model: snaive, seasons: [2], horizon: 30}
    plan: {target_per_replica: 100, min_replicas: 0, max_up_factor: 100, max_down_fraction: 1}
`, srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := NewService(cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.byName["api"].refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := dial(t, serve(t, svc, nil), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream, err := client.StreamIsActive(ctx, apiRef)
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for len(got) < 3 {
		m, err := stream.Recv()
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got = append(got, m.Result)
	}
	for i := 1; i < len(got); i++ {
		if got[i] == got[i-1] {
			t.Fatalf("pushes %v do not follow the alternating plan", got)
		}
	}
	svc.Shutdown()
	if _, err := stream.Recv(); status.Code(err) != codes.Unavailable {
		t.Fatalf("after Shutdown: %v", err)
	}
}

func TestUnknownWorkloadAndNamespace(t *testing.T) {
	_, url := newFake(t)
	svc, err := NewService(testConfig(t, url, "    namespace: shop"), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	client := dial(t, serve(t, svc, nil), nil)
	ctx := context.Background()
	if _, err := client.GetMetricSpec(ctx, &pb.ScaledObjectRef{Name: "nope"}); status.Code(err) != codes.NotFound {
		t.Fatalf("unknown: %v", err)
	}
	ref := &pb.ScaledObjectRef{Name: "api", Namespace: "other"}
	if _, err := client.GetMetricSpec(ctx, ref); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("other namespace: %v", err)
	}
	if _, err := client.GetMetricSpec(ctx, &pb.ScaledObjectRef{Name: "api", Namespace: "shop"}); err != nil {
		t.Fatalf("by name: %v", err)
	}
	// as `kairos keda --mode external` writes the trigger metadata
	kedaRef := &pb.ScaledObjectRef{Name: "web", Namespace: "shop",
		ScalerMetadata: map[string]string{"scalerAddress": "x:9443", "workload": "shop/api", "metric": "api"}}
	if _, err := client.GetMetricSpec(ctx, kedaRef); err != nil {
		t.Fatalf("namespace/name metadata: %v", err)
	}
	kedaRef.ScalerMetadata["workload"] = "other/api"
	if _, err := client.GetMetricSpec(ctx, kedaRef); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("namespace/name metadata of another namespace: %v", err)
	}
}

// ---- TLS and mTLS ----------------------------------------------------------------------

func TestTLSAndMutualTLS(t *testing.T) {
	_, url := newFake(t)
	svc, err := NewService(testConfig(t, url, ""), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	p := testpki.New(t)
	ctx := context.Background()

	tlsOnly, err := ServerTLS(&TLSConfig{CertFile: p.CertFile, KeyFile: p.KeyFile}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, svc, credentials.NewTLS(tlsOnly))
	c := dial(t, addr, credentials.NewTLS(p.ClientConfig(false)))
	if _, err := c.GetMetricSpec(ctx, apiRef); err != nil {
		t.Fatalf("TLS: %v", err)
	}
	if _, err := dial(t, addr, nil).GetMetricSpec(ctx, apiRef); status.Code(err) != codes.Unavailable {
		t.Fatalf("plaintext client against TLS: %v", err)
	}

	mtls, err := ServerTLS(&TLSConfig{CertFile: p.CertFile, KeyFile: p.KeyFile, ClientCAFile: p.CAFile, MinVersion: "1.3"}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	addr = serve(t, svc, credentials.NewTLS(mtls))
	good := dial(t, addr, credentials.NewTLS(p.ClientConfig(true)))
	if _, err := good.GetMetricSpec(ctx, apiRef); err != nil {
		t.Fatalf("mTLS with a client certificate: %v", err)
	}
	anon := dial(t, addr, credentials.NewTLS(p.ClientConfig(false)))
	if _, err := anon.GetMetricSpec(ctx, apiRef); err == nil {
		t.Fatal("mTLS accepted a client without a certificate")
	}
}

// Many KEDA operators (and their polls) at once, while refreshes replace the plan.
func TestConcurrentCallsDuringRefreshes(t *testing.T) {
	_, url := newFake(t)
	svc, err := NewService(testConfig(t, url, ""), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	r := svc.byName["api"]
	if err := r.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := dial(t, serve(t, svc, nil), nil)
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := client.GetMetrics(context.Background(), &pb.GetMetricsRequest{ScaledObjectRef: apiRef}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 0; i < 5; i++ {
		if err := r.refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// Renewed certificate files are picked up without a restart.
func TestTLSFilesAreReloaded(t *testing.T) {
	_, url := newFake(t)
	svc, err := NewService(testConfig(t, url, ""), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	a, b := testpki.New(t), testpki.New(t)
	conf, err := ServerTLS(&TLSConfig{CertFile: a.CertFile, KeyFile: a.KeyFile, ClientCAFile: a.CAFile}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, svc, credentials.NewTLS(conf))
	ctx := context.Background()
	if _, err := dial(t, addr, credentials.NewTLS(a.ClientConfig(true))).GetMetricSpec(ctx, apiRef); err != nil {
		t.Fatalf("first certificates: %v", err)
	}
	for src, dst := range map[string]string{b.CertFile: a.CertFile, b.KeyFile: a.KeyFile, b.CAFile: a.CAFile} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := dial(t, addr, credentials.NewTLS(b.ClientConfig(true))).GetMetricSpec(ctx, apiRef); err != nil {
		t.Fatalf("renewed certificates: %v", err)
	}
	if _, err := dial(t, addr, credentials.NewTLS(a.ClientConfig(true))).GetMetricSpec(ctx, apiRef); err == nil {
		t.Fatal("the old CA is still trusted")
	}
}
