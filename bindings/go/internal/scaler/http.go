package scaler

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Handler serves /metrics (Prometheus text format), /healthz and /plans (JSON).
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", s.serveMetrics)
	mux.HandleFunc("/healthz", s.serveHealth)
	mux.HandleFunc("/plans", s.servePlans)
	return mux
}

// serveHealth: 200 when every workload has a plan it may serve, else 503 naming those
// that have none. A stale plan (last refresh failed) is healthy but named.
func (s *Service) serveHealth(w http.ResponseWriter, _ *http.Request) {
	var bad, stale []string
	now := s.now()
	for _, r := range s.runners {
		d, err := r.desired(now)
		switch {
		case err != nil:
			bad = append(bad, err.Error())
		case d.Stale:
			stale = append(stale, r.w.Name)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(bad) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "unavailable: %s\n", strings.Join(bad, "; "))
		return
	}
	if len(stale) > 0 {
		fmt.Fprintf(w, "ok (serving stale plans for: %s)\n", strings.Join(stale, ", "))
		return
	}
	fmt.Fprintln(w, "ok")
}

// PlanView is one workload in /plans.
type PlanView struct {
	Workload     string    `json:"workload"`
	MetricName   string    `json:"metric_name"`
	HistoryStart int64     `json:"history_start"`
	HistoryEnd   int64     `json:"history_end"`
	StepSeconds  int64     `json:"step_s"`
	Points       int       `json:"points"`
	Model        string    `json:"model"`
	MadeAt       int64     `json:"made_at"`
	AgeSeconds   float64   `json:"age_seconds"`
	Stale        bool      `json:"stale"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  int64     `json:"last_error_at,omitempty"`
	Desired      *int      `json:"desired_replicas"`
	DesiredStep  int       `json:"desired_step"`
	Timestamps   []int64   `json:"timestamp"`
	Replicas     []int     `json:"replicas"`
	Demand       []float64 `json:"demand"`
	Mean         []float64 `json:"mean"`
	PeakReplicas int       `json:"peak_replicas"`
}

func (s *Service) servePlans(w http.ResponseWriter, _ *http.Request) {
	now := s.now()
	out := []PlanView{}
	for _, r := range s.runners {
		sn := r.snapshot()
		st, lastErr := sn.state, sn.lastErr
		v := PlanView{Workload: r.w.Name, MetricName: MetricName(r.w.Name)}
		if lastErr != nil {
			v.LastError, v.LastErrorAt, v.Stale = lastErr.Error(), sn.errAt.Unix(), st != nil
		}
		if st != nil {
			d, err := r.desired(now)
			if err == nil {
				v.Desired, v.DesiredStep = &d.Replicas, d.Step
			}
			v.HistoryStart, v.HistoryEnd = st.Window.Start.Unix(), st.Window.End.Unix()
			v.StepSeconds, v.Points, v.Model = int64(st.Window.Step/time.Second), st.Points, st.Model
			v.MadeAt, v.AgeSeconds = st.MadeAt.Unix(), now.Sub(st.MadeAt).Seconds()
			v.Timestamps, v.Replicas, v.Demand = st.Plan.Timestamps, st.Plan.Replicas, st.Plan.Demand
			v.Mean, v.PeakReplicas = st.Forecast.Mean, st.Plan.Totals.PeakReplicas
		}
		out = append(out, v)
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(map[string]any{"workloads": out})
}

// metricsWriter writes the Prometheus text exposition format.
type metricsWriter struct {
	b strings.Builder
}

func (m *metricsWriter) family(name, typ, help string) {
	fmt.Fprintf(&m.b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (m *metricsWriter) sample(name string, labels [][2]string, v float64) {
	m.b.WriteString(name)
	if len(labels) > 0 {
		m.b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				m.b.WriteByte(',')
			}
			m.b.WriteString(l[0] + `="` + escapeLabel(l[1]) + `"`)
		}
		m.b.WriteByte('}')
	}
	m.b.WriteByte(' ')
	m.b.WriteString(formatValue(v))
	m.b.WriteByte('\n')
}

func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(s)
}

func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

type workloadSample struct {
	name  string
	d     Desired
	ok    bool
	st    *PlanState
	stats stats
	stale bool
}

func (s *Service) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	now := s.now()
	var ws []workloadSample
	for _, r := range s.runners {
		sn := r.snapshot()
		st := sn.state
		x := workloadSample{name: r.w.Name, st: st, stats: sn.stats, stale: sn.lastErr != nil}
		if st != nil {
			x.d = LookupStep(st, now.Add(r.w.LeadTime.D()))
			x.ok = true
		}
		ws = append(ws, x)
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].name < ws[j].name })
	var m metricsWriter
	perWorkload := func(name, typ, help string, value func(x workloadSample) (float64, bool)) {
		m.family(name, typ, help)
		for _, x := range ws {
			if v, ok := value(x); ok {
				m.sample(name, [][2]string{{"workload", x.name}}, v)
			}
		}
	}
	perWorkload("kairos_scaler_forecast_age_seconds", "gauge",
		"Seconds since the plan being served was made.", func(x workloadSample) (float64, bool) {
			if !x.ok {
				return 0, false
			}
			return now.Sub(x.st.MadeAt).Seconds(), true
		})
	perWorkload("kairos_scaler_plan_stale", "gauge",
		"1 when the latest refresh failed and an older plan is served (or none exists).",
		func(x workloadSample) (float64, bool) { return b2f(x.stale || !x.ok), true })
	perWorkload("kairos_scaler_desired_replicas", "gauge",
		"Planned replicas for now + lead time: the value reported to KEDA.",
		func(x workloadSample) (float64, bool) { return float64(x.d.Replicas), x.ok })
	perWorkload("kairos_scaler_predicted_value", "gauge",
		"Forecast mean of the metric for the plan step reported.",
		func(x workloadSample) (float64, bool) { return x.d.Predicted, x.ok })
	perWorkload("kairos_scaler_planned_demand", "gauge",
		"Load the reported plan step was sized for (mean or quantile, over the planner's lead time).",
		func(x workloadSample) (float64, bool) { return x.d.Demand, x.ok })
	perWorkload("kairos_scaler_plan_peak_replicas", "gauge", "Peak replicas of the plan.",
		func(x workloadSample) (float64, bool) {
			if !x.ok {
				return 0, false
			}
			return float64(x.st.Plan.Totals.PeakReplicas), true
		})
	perWorkload("kairos_scaler_beyond_horizon", "gauge",
		"1 when now + lead time lies past the plan (its last step is reported).",
		func(x workloadSample) (float64, bool) { return b2f(x.d.BeyondHorizon), x.ok })
	perWorkload("kairos_scaler_fetch_duration_seconds", "gauge",
		"Duration of the latest Prometheus query_range fetch.",
		func(x workloadSample) (float64, bool) { return x.stats.lastFetch.Seconds(), true })
	perWorkload("kairos_scaler_fit_duration_seconds", "gauge",
		"Duration of the latest fit + forecast + plan.",
		func(x workloadSample) (float64, bool) { return x.stats.lastFit.Seconds(), true })
	perWorkload("kairos_scaler_refreshes_total", "counter", "Successful refreshes.",
		func(x workloadSample) (float64, bool) { return float64(x.stats.refreshes), true })
	m.family("kairos_scaler_errors_total", "counter",
		"Failed refreshes by stage: fetch (Prometheus) or fit (parse, fit, forecast, plan).")
	for _, x := range ws {
		m.sample("kairos_scaler_errors_total", [][2]string{{"workload", x.name}, {"stage", "fetch"}},
			float64(x.stats.fetchErrors))
		m.sample("kairos_scaler_errors_total", [][2]string{{"workload", x.name}, {"stage", "fit"}},
			float64(x.stats.fitErrors))
	}
	m.family("kairos_scaler_grpc_requests_total", "counter", "External Scaler calls by method.")
	for i, name := range methodNames {
		m.sample("kairos_scaler_grpc_requests_total", [][2]string{{"method", name}}, float64(s.calls[i].Load()))
	}
	m.family("kairos_scaler_grpc_errors_total", "counter", "External Scaler calls that failed, by method.")
	for i, name := range methodNames {
		m.sample("kairos_scaler_grpc_errors_total", [][2]string{{"method", name}}, float64(s.fails[i].Load()))
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write([]byte(m.b.String()))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
