package kairos_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	kairos "github.com/libkairos/kairos-go"
)

const sample = "../../examples/data/web-requests.csv"

// cli is the kairos program built with the library under test (KAIROS_CLI, set by
// run-tests.sh and env.sh).
func cli(t *testing.T) string {
	t.Helper()
	p := os.Getenv("KAIROS_CLI")
	if p == "" {
		t.Skip("KAIROS_CLI is not set (run bindings/go/run-tests.sh)")
	}
	return p
}

func runCLI(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(cli(t), args...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("kairos %s: %v %s", strings.Join(args, " "), err, msg)
	}
	return out
}

// loadSample reads a CSV history the way the CLI does: parse, then regularize.
func loadSample(t *testing.T, path string) *kairos.Series {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := kairos.ParseCSV(text, kairos.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := kairos.Regularize(raw, kairos.RegularizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sameFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] { // the CLI prints round-trip-exact numbers
			t.Fatalf("%s[%d] = %v, CLI says %v", what, i, got[i], want[i])
		}
	}
}

func TestForecastEqualsCLI(t *testing.T) {
	history := loadSample(t, sample)
	for _, model := range []string{"auto", "naive", "snaive", "drift", "mean", "profile", "ets",
		"stl", "mstl", "dhr"} {
		t.Run(model, func(t *testing.T) {
			var want struct {
				Forecast struct {
					Timestamp []string             `json:"timestamp"`
					Mean      []float64            `json:"mean"`
					Quantiles map[string][]float64 `json:"quantiles"`
				} `json:"forecast"`
			}
			out := runCLI(t, "forecast", sample, "--horizon", "48", "--model", model,
				"--quantiles", "0.05,0.5,0.9", "--format", "json")
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatal(err)
			}
			got, err := kairos.ForecastSeries(history, kairos.ForecastOptions{
				FitOptions: kairos.FitOptions{Model: model, Horizon: 48},
				Quantiles:  []float64{0.05, 0.5, 0.9}})
			if err != nil {
				t.Fatal(err)
			}
			sameFloats(t, "mean", got.Mean, want.Forecast.Mean)
			for _, l := range []float64{0.05, 0.5, 0.9} {
				key := strconv.FormatFloat(l, 'g', -1, 64)
				sameFloats(t, "q"+key, got.Quantile(l), want.Forecast.Quantiles[key])
			}
			if got.Step != 3600 || len(got.Timestamps) != 48 {
				t.Fatalf("step %d, %d timestamps", got.Step, len(got.Timestamps))
			}
			first := time.Unix(got.Timestamps[0], 0).UTC().Format(time.RFC3339)
			if first != want.Forecast.Timestamp[0] {
				t.Fatalf("first timestamp %s, CLI says %s", first, want.Forecast.Timestamp[0])
			}
		})
	}
}

type cliPlan struct {
	Plan struct {
		Demand     []float64 `json:"demand"`
		Replicas   []int     `json:"replicas"`
		PShortfall []float64 `json:"p_shortfall"`
	} `json:"plan"`
	Totals struct {
		ReplicaHours float64 `json:"replica_hours"`
		PeakReplicas int     `json:"peak_replicas"`
		PeakStep     int     `json:"peak_step"`
		Shortfall    float64 `json:"shortfall_replica_minutes"`
	} `json:"totals"`
}

func TestPlanEqualsCLI(t *testing.T) {
	history := loadSample(t, sample)
	cases := []struct {
		name string
		args []string
		opts func(*kairos.PlanOptions)
	}{
		{"mean", []string{"--headroom", "1.2", "--min", "2", "--max", "30"},
			func(o *kairos.PlanOptions) { o.Headroom = 1.2; o.MinReplicas = 2; o.MaxReplicas = 30 }},
		{"risk", []string{"--risk", "0.1", "--lead-time", "1h", "--current", "4"},
			func(o *kairos.PlanOptions) { o.Risk = 0.1; o.LeadTime = time.Hour; o.CurrentReplicas = 4 }},
		{"quantile", []string{"--quantile", "0.97", "--stabilization", "3h", "--max-up-factor",
			"1.5", "--max-down", "0.2"},
			func(o *kairos.PlanOptions) {
				o.Quantile = 0.97
				o.Stabilization = 3 * time.Hour
				o.MaxUpFactor = 1.5
				o.MaxDownFraction = 0.2
			}},
	}
	model, err := kairos.Fit(history, kairos.FitOptions{Horizon: 48})
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"plan", sample, "--horizon", "48", "--target-per-replica",
				"100", "--format", "json"}, c.args...)
			var want cliPlan
			if err := json.Unmarshal(runCLI(t, args...), &want); err != nil {
				t.Fatal(err)
			}
			opts := kairos.DefaultPlanOptions(100)
			c.opts(&opts)
			got, _, err := model.Plan(48, opts)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got.Replicas) != fmt.Sprint(want.Plan.Replicas) {
				t.Fatalf("replicas %v\nCLI says %v", got.Replicas, want.Plan.Replicas)
			}
			sameFloats(t, "demand", got.Demand, want.Plan.Demand)
			sameFloats(t, "p_shortfall", got.PShortfall, want.Plan.PShortfall)
			if got.Totals.PeakReplicas != want.Totals.PeakReplicas ||
				got.Totals.PeakStep+1 != want.Totals.PeakStep ||
				got.Totals.ReplicaHours != want.Totals.ReplicaHours ||
				got.Totals.ShortfallReplicaMinutes != want.Totals.Shortfall {
				t.Fatalf("totals %+v, CLI says %+v", got.Totals, want.Totals)
			}
		})
	}
}

func TestCostEqualsCLI(t *testing.T) {
	dir := t.TempDir()
	planCSV := runCLI(t, "plan", sample, "--horizon", "48", "--target-per-replica", "100")
	path := filepath.Join(dir, "plan.csv")
	if err := os.WriteFile(path, planCSV, 0o600); err != nil {
		t.Fatal(err)
	}
	var want struct {
		ReplicaHourly float64 `json:"replica_hourly"`
		Plan          struct {
			MeanReplicas float64 `json:"mean_replicas"`
			PeakReplicas int     `json:"peak_replicas"`
			Month        float64 `json:"month"`
		} `json:"plan"`
		DeltaVsCurrent float64 `json:"delta_vs_current"`
	}
	if err := json.Unmarshal(runCLI(t, "cost", "--plan", path, "--cpu", "500m", "--memory",
		"1Gi", "--current", "4"), &want); err != nil {
		t.Fatal(err)
	}
	history := loadSample(t, sample)
	m, err := kairos.Fit(history, kairos.FitOptions{Horizon: 48})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p, _, err := m.Plan(48, kairos.DefaultPlanOptions(100))
	if err != nil {
		t.Fatal(err)
	}
	cpu, _ := kairos.ParseQuantity("500m")
	mem, _ := kairos.ParseQuantity("1Gi")
	got, err := kairos.Cost(p, kairos.CostOptions{Model: kairos.DefaultCostModel(),
		CPUCores: cpu, MemoryBytes: mem, CurrentReplicas: 4})
	if err != nil {
		t.Fatal(err)
	}
	round := func(x float64) float64 { return math.Round(x*1e6) / 1e6 } // the CLI rounds amounts
	if got.ReplicaHourly != want.ReplicaHourly || got.MeanReplicas != want.Plan.MeanReplicas ||
		got.PeakReplicas != want.Plan.PeakReplicas || round(got.PlanMonth) != want.Plan.Month ||
		round(got.DeltaVsCurrent) != want.DeltaVsCurrent {
		t.Fatalf("cost %+v, CLI says %+v", got, want)
	}
}

func TestMonthlyCostReference(t *testing.T) {
	got, err := kairos.MonthlyCost(kairos.DefaultCostModel(), 0.5, 1<<30, 3)
	if err != nil || math.Abs(got-54.75) > 1e-9 {
		t.Fatalf("MonthlyCost = %v, %v; want 54.75", got, err)
	}
	for q, want := range map[string]string{"250m": "250m", "2": "2", "1.5": "1500m"} {
		v, err := kairos.ParseQuantity(q)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := kairos.FormatCPU(v); s != want {
			t.Errorf("FormatCPU(%v) = %q, want %q", v, s, want)
		}
	}
	if s, _ := kairos.FormatMemory(512 << 20); s != "512Mi" {
		t.Errorf("FormatMemory(512Mi) = %q", s)
	}
}

func TestForecastOfPlainValues(t *testing.T) {
	values := []float64{10, 12, 14, 16, 18, 20, 22, 24}
	fc, err := kairos.Forecast(values, kairos.ForecastOptions{
		FitOptions: kairos.FitOptions{Model: "drift", Horizon: 3}, Quantiles: []float64{0.5}})
	if err != nil {
		t.Fatal(err)
	}
	sameFloats(t, "mean", fc.Mean, []float64{26, 28, 30})
	if fc.Timestamps != nil || fc.Step != 0 || fc.Model.Name != "drift" {
		t.Fatalf("untimed forecast: %+v", fc)
	}
	p, err := kairos.Plan(fc, kairos.DefaultPlanOptions(10))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p.Replicas) != "[3 3 3]" || p.Step != kairos.DefaultStep {
		t.Fatalf("plan %v step %d", p.Replicas, p.Step)
	}
}

// errorCase is one bad input with the status and the words its message must carry.
type errorCase struct {
	name   string
	call   func() error
	status kairos.Status
	sent   error
	words  string
}

func errorCases() []errorCase {
	broken, _ := os.ReadFile("../../examples/data/broken.csv")
	short := &kairos.Series{Values: []float64{1, 2, 3}}
	return []errorCase{
		{"csv-not-a-number", func() error { _, err := kairos.ParseCSV(broken, kairos.CSVOptions{}); return err },
			kairos.StatusParse, kairos.ErrParse, "line 7, column 'value': 'abc' is not a number"},
		{"csv-no-such-column", func() error {
			_, err := kairos.ParseCSV([]byte("timestamp,value\n1,2\n"), kairos.CSVOptions{Column: "cpu"})
			return err
		}, kairos.StatusData, kairos.ErrData, "cpu"},
		{"unknown-model", func() error {
			_, err := kairos.Fit(&kairos.Series{Values: []float64{1, 2, 3, 4}}, kairos.FitOptions{Model: "prophet"})
			return err
		}, kairos.StatusInvalid, kairos.ErrInvalid, "unknown model 'prophet'"},
		{"too-short-for-snaive", func() error {
			_, err := kairos.Fit(short, kairos.FitOptions{Model: "snaive", Periods: []int{24}})
			return err
		}, kairos.StatusData, kairos.ErrData, ""},
		{"all-missing", func() error {
			_, err := kairos.Forecast([]float64{math.NaN(), math.NaN()}, kairos.ForecastOptions{
				FitOptions: kairos.FitOptions{Model: "naive", Horizon: 1}})
			return err
		}, kairos.StatusData, kairos.ErrData, ""},
		{"bad-level", func() error {
			_, err := kairos.Forecast([]float64{1, 2, 3, 4}, kairos.ForecastOptions{
				FitOptions: kairos.FitOptions{Model: "naive", Horizon: 2}, Quantiles: []float64{1.5}})
			return err
		}, kairos.StatusInvalid, kairos.ErrInvalid, "1.5"},
		{"prometheus-error", func() error {
			_, err := kairos.ParsePrometheus([]byte(`{"status":"error","errorType":"bad_data","error":"parse error at char 4"}`))
			return err
		}, kairos.StatusData, kairos.ErrData, "parse error at char 4"},
		{"prometheus-not-json", func() error { _, err := kairos.ParsePrometheus([]byte("<html>")); return err },
			kairos.StatusParse, kairos.ErrParse, ""},
		{"plan-no-target", func() error {
			_, err := kairos.Plan(&kairos.ForecastResult{Mean: []float64{1}}, kairos.DefaultPlanOptions(0))
			return err
		}, kairos.StatusInvalid, kairos.ErrInvalid, "target"},
		{"plan-nan", func() error {
			_, err := kairos.Plan(&kairos.ForecastResult{Mean: []float64{1, math.NaN()}}, kairos.DefaultPlanOptions(1))
			return err
		}, kairos.StatusData, kairos.ErrData, "step 2"},
		{"quantity", func() error { _, err := kairos.ParseQuantity("12 Gi"); return err },
			kairos.StatusParse, kairos.ErrParse, ""},
	}
}

func TestBadInputGivesStatusAndMessage(t *testing.T) {
	for _, c := range errorCases() {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			var kerr *kairos.Error
			if !errors.As(err, &kerr) {
				t.Fatalf("error %v (%T), want *kairos.Error", err, err)
			}
			if kerr.Status != c.status || !errors.Is(err, c.sent) {
				t.Fatalf("status %v (%d), want %v", kerr.Status, kerr.Status, c.status)
			}
			if kerr.Message == "" || !strings.Contains(kerr.Message, c.words) {
				t.Fatalf("message %q does not say %q", kerr.Message, c.words)
			}
			if errors.Is(err, kairos.ErrNoMemory) {
				t.Fatal("errors.Is matched another status")
			}
		})
	}
}

// Failures on many goroutines at once each get their own message: the detail is read
// inside the failing cgo call, on the thread that made it.
func TestErrorsAreNotMixedAcrossGoroutines(t *testing.T) {
	cases := errorCases()
	var wg sync.WaitGroup
	errs := make(chan error, 64*len(cases))
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range cases {
				c := cases[(i+g)%len(cases)]
				var kerr *kairos.Error
				if err := c.call(); !errors.As(err, &kerr) || kerr.Status != c.status ||
					!strings.Contains(kerr.Message, c.words) {
					errs <- fmt.Errorf("%s: got %v", c.name, err)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSharedModelForecastsIdenticallyFrom16Goroutines(t *testing.T) {
	history := loadSample(t, sample)
	m, err := kairos.Fit(history, kairos.FitOptions{Horizon: 48})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want, err := m.Forecast(48, 0.1, 0.5, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	wantPlan, _, err := m.Plan(48, kairos.DefaultPlanOptions(100))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				got, err := m.Forecast(48, 0.1, 0.5, 0.9)
				if err != nil {
					errs <- err
					return
				}
				if fmt.Sprint(got.Mean, got.Quantiles) != fmt.Sprint(want.Mean, want.Quantiles) {
					errs <- errors.New("forecasts differ between goroutines")
					return
				}
				p, _, err := m.Plan(48, kairos.DefaultPlanOptions(100))
				if err != nil || fmt.Sprint(p.Replicas) != fmt.Sprint(wantPlan.Replicas) {
					errs <- fmt.Errorf("plans differ between goroutines: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestCloseIsSafeWithConcurrentForecasts(t *testing.T) {
	m, err := kairos.Fit(&kairos.Series{Values: []float64{1, 2, 3, 4, 5}}, kairos.FitOptions{Model: "naive"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if _, err := m.Forecast(4, 0.5); err != nil && !errors.Is(err, kairos.ErrInvalid) {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(time.Millisecond)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := m.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := m.Forecast(1); !errors.Is(err, kairos.ErrInvalid) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("forecast after Close: %v", err)
	}
}

func TestModelInfoAndReport(t *testing.T) {
	m, err := kairos.Fit(loadSample(t, sample), kairos.FitOptions{Model: "snaive"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	info, err := m.Info()
	if err != nil || info.Name != "snaive" || info.Period != 24 {
		t.Fatalf("info %+v, %v", info, err)
	}
	rep, err := m.ReportJSON()
	if err != nil || !json.Valid([]byte(rep)) || !strings.Contains(rep, `"name":"snaive"`) {
		t.Fatalf("report %s, %v", rep, err)
	}
}

func TestParsePrometheusAndInferPeriods(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"api","__name__":"rps"},"values":[`)
	for i := 0; i < 24*3; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `[%d,"%d"]`, 1714521600+3600*i, i%24)
	}
	b.WriteString(`]}]}}`)
	list, err := kairos.ParsePrometheus([]byte(b.String()))
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	s := list[0]
	if s.Name != `rps{job="api"}` || len(s.Values) != 72 || s.Values[5] != 5 {
		t.Fatalf("series %q %d", s.Name, len(s.Values))
	}
	periods, err := kairos.InferPeriods(&s)
	if err != nil || fmt.Sprint(periods) != "[24]" {
		t.Fatalf("periods %v %v", periods, err)
	}
}

func TestVersion(t *testing.T) {
	if v := kairos.Version(); !strings.Contains(v, ".") {
		t.Fatalf("version %q", v)
	}
}

func commandOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}

// Models dropped without Close are freed by their cleanup; this exercises that path under
// the race detector (and cgocheck).
func TestUnclosedModelsAreReleasedByTheCleanup(t *testing.T) {
	for i := 0; i < 200; i++ {
		m, err := kairos.Fit(&kairos.Series{Values: []float64{1, 2, 3, 4, 5, 6}}, kairos.FitOptions{Model: "mean"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Forecast(2, 0.5); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
