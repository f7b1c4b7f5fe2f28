package scaler

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"time"

	kairos "github.com/libkairos/kairos-go"
	"go.yaml.in/yaml/v3"
)

// Config is the scaler's configuration file (docs/scaler.md).
type Config struct {
	Listen          string     `yaml:"listen"`           // gRPC address; default ":9443"
	HTTPListen      string     `yaml:"http_listen"`      // /metrics and /healthz; default ":9464"; "off" disables
	TLS             *TLSConfig `yaml:"tls"`              // nil = plaintext gRPC
	RefreshInterval Duration   `yaml:"refresh_interval"` // default for workloads; default 1m
	Workloads       []Workload `yaml:"workloads"`
}

// TLSConfig enables TLS on the gRPC listener; ClientCAFile turns on mutual TLS.
type TLSConfig struct {
	CertFile     string `yaml:"cert_file"`
	KeyFile      string `yaml:"key_file"`
	ClientCAFile string `yaml:"client_ca_file"` // set: clients must present a certificate it signed
	MinVersion   string `yaml:"min_version"`    // "1.2" (default) or "1.3"
}

// Workload is one scaled workload: where its load comes from, how to forecast it and how
// to plan replicas.
type Workload struct {
	Name      string `yaml:"name"`      // unique; what ScaledObjects refer to (metadata "workload")
	Namespace string `yaml:"namespace"` // optional: match ScaledObjectRef.namespace too

	Prometheus PrometheusSource `yaml:"prometheus"`
	Step       Duration         `yaml:"step"`    // query_range step and forecast step (required)
	History    Duration         `yaml:"history"` // window fetched each refresh (required)
	Refresh    Duration         `yaml:"refresh"` // default: Config.RefreshInterval
	Fill       string           `yaml:"fill"`    // none (default) | linear | previous
	Agg        string           `yaml:"agg"`     // mean (default) | max | last | sum

	Forecast ForecastConfig `yaml:"forecast"`
	Plan     PlanConfig     `yaml:"plan"`

	// LeadTime: the scaler reports the planned replicas of the step containing
	// now + LeadTime (replicas asked for now are ready then). Default 0.
	LeadTime Duration `yaml:"lead_time"`
	// MaxStaleness: when the last good plan is older than this, IsActive and GetMetrics fail
	// (so KEDA's fallback applies). 0 (default) serves the last good plan however old.
	MaxStaleness Duration `yaml:"max_staleness"`
}

// PrometheusSource is a PromQL query against a Prometheus HTTP API.
type PrometheusSource struct {
	URL             string            `yaml:"url"`   // e.g. http://prometheus:9090
	Query           string            `yaml:"query"` // must return one series
	Timeout         Duration          `yaml:"timeout"`
	Headers         map[string]string `yaml:"headers"`
	BearerTokenFile string            `yaml:"bearer_token_file"`
	CAFile          string            `yaml:"ca_file"`
}

// ForecastConfig is kairos.FitOptions in YAML.
type ForecastConfig struct {
	Model          string `yaml:"model"`   // default auto
	Seasons        []int  `yaml:"seasons"` // periods in steps; default inferred
	Horizon        int    `yaml:"horizon"` // steps; default: enough to cover lead time + 1 day, at least 12
	ProfileSeasons int    `yaml:"profile_seasons"`
	Order          []int  `yaml:"order"`          // arima p,d,q
	SeasonalOrder  []int  `yaml:"seasonal_order"` // arima P,D,Q
	Mean           *bool  `yaml:"mean"`
	Drift          *bool  `yaml:"drift"`
	// seasonal models
	ETSModel       string `yaml:"ets_model"`
	AdjustedModel  string `yaml:"adjusted_model"`
	STLRobust      bool   `yaml:"stl_robust"`
	STLPeriodic    bool   `yaml:"stl_periodic"`
	STLSWindow     int    `yaml:"stl_s_window"`
	DHRMaxK        int    `yaml:"dhr_max_k"`
	AdjustedWindow int    `yaml:"adjusted_window"`
	// split-conformal calibration of the quantiles (kairos --calibrate)
	Calibrate        bool `yaml:"calibrate"`
	CalibrateWindows int  `yaml:"calibrate_windows"` // backtest windows of horizon steps; 0 = 5
}

// PlanConfig is kairos.PlanOptions in YAML; omitted fields take the library's defaults.
type PlanConfig struct {
	TargetPerReplica float64  `yaml:"target_per_replica"` // required
	Headroom         *float64 `yaml:"headroom"`
	Quantile         float64  `yaml:"quantile"`
	Risk             float64  `yaml:"risk"`
	MinReplicas      *int     `yaml:"min_replicas"`
	MaxReplicas      *int     `yaml:"max_replicas"`
	MaxUpFactor      *float64 `yaml:"max_up_factor"`
	MaxDownFraction  *float64 `yaml:"max_down_fraction"`
	Stabilization    Duration `yaml:"stabilization"`
	LeadTime         Duration `yaml:"lead_time"` // the planner's lead time (kairos plan --lead-time)
	CurrentReplicas  int      `yaml:"current_replicas"`
}

var namePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (*Config, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := ParseConfig(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig reads and checks configuration text; unknown keys are errors.
func ParseConfig(text []byte) (*Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	if cfg.Listen == "" {
		cfg.Listen = ":9443"
	}
	if cfg.HTTPListen == "" {
		cfg.HTTPListen = ":9464"
	}
	if cfg.RefreshInterval == 0 {
		cfg.RefreshInterval = Duration(time.Minute)
	}
	if len(cfg.Workloads) == 0 {
		return nil, fmt.Errorf("no workloads")
	}
	if t := cfg.TLS; t != nil {
		if t.CertFile == "" || t.KeyFile == "" {
			return nil, fmt.Errorf("tls: cert_file and key_file are required")
		}
		if t.MinVersion != "" && t.MinVersion != "1.2" && t.MinVersion != "1.3" {
			return nil, fmt.Errorf("tls: min_version must be 1.2 or 1.3")
		}
	}
	seen := map[string]bool{}
	for i := range cfg.Workloads {
		w := &cfg.Workloads[i]
		if err := w.check(&cfg); err != nil {
			return nil, fmt.Errorf("workload %d (%s): %w", i+1, w.Name, err)
		}
		if seen[w.Name] {
			return nil, fmt.Errorf("workload %q is defined twice", w.Name)
		}
		seen[w.Name] = true
	}
	return &cfg, nil
}

func (w *Workload) check(cfg *Config) error {
	switch {
	case !namePattern.MatchString(w.Name):
		return fmt.Errorf("name must be letters, digits, '_', '.' or '-'")
	case w.Prometheus.URL == "" || w.Prometheus.Query == "":
		return fmt.Errorf("prometheus.url and prometheus.query are required")
	case w.Step <= 0 || w.Step.D()%time.Second != 0:
		return fmt.Errorf("step is required (whole seconds)")
	case w.History < 2*w.Step:
		return fmt.Errorf("history must cover at least two steps")
	case w.History.D()/w.Step.D() > 11000:
		return fmt.Errorf("history/step is %d points; Prometheus returns at most 11000",
			w.History.D()/w.Step.D())
	case w.Plan.TargetPerReplica <= 0:
		return fmt.Errorf("plan.target_per_replica is required and must be > 0")
	case len(w.Forecast.Order) != 0 && len(w.Forecast.Order) != 3,
		len(w.Forecast.SeasonalOrder) != 0 && len(w.Forecast.SeasonalOrder) != 3:
		return fmt.Errorf("forecast.order and seasonal_order take three numbers")
	}
	if _, ok := fills[w.Fill]; !ok {
		return fmt.Errorf("fill must be none, linear or previous")
	}
	if _, ok := aggs[w.Agg]; !ok {
		return fmt.Errorf("agg must be mean, max, last or sum")
	}
	if w.Refresh == 0 {
		w.Refresh = cfg.RefreshInterval
	}
	if w.Prometheus.Timeout == 0 {
		w.Prometheus.Timeout = Duration(30 * time.Second)
	}
	if w.Forecast.Horizon == 0 {
		steps := int((w.LeadTime.D()+w.Plan.LeadTime.D()+24*time.Hour)/w.Step.D()) + 1
		w.Forecast.Horizon = min(max(steps, 12), 10000)
	}
	if w.Forecast.CalibrateWindows < 0 || (w.Forecast.CalibrateWindows > 0 && !w.Forecast.Calibrate) {
		return fmt.Errorf("forecast.calibrate_windows needs forecast.calibrate: true")
	}
	if w.Forecast.Horizon < 1 {
		return fmt.Errorf("forecast.horizon must be at least 1")
	}
	if w.Forecast.Horizon*int(w.Step.D()/time.Second) < int((w.LeadTime.D())/time.Second) {
		return fmt.Errorf("forecast.horizon does not reach lead_time")
	}
	return nil
}

var fills = map[string]kairos.Fill{"": kairos.FillNone, "none": kairos.FillNone,
	"linear": kairos.FillLinear, "previous": kairos.FillPrevious}
var aggs = map[string]kairos.Aggregation{"": kairos.AggMean, "mean": kairos.AggMean,
	"max": kairos.AggMax, "last": kairos.AggLast, "sum": kairos.AggSum}

// FitOptions are the workload's forecast settings for kairos.Fit.
func (w *Workload) FitOptions() kairos.FitOptions {
	f := w.Forecast
	o := kairos.FitOptions{Model: f.Model, Periods: f.Seasons, Horizon: f.Horizon,
		ProfileSeasons: f.ProfileSeasons}
	copy(o.Order[:], f.Order)
	copy(o.SeasonalOrder[:], f.SeasonalOrder)
	o.Mean, o.Drift = toggle(f.Mean), toggle(f.Drift)
	o.ETSModel, o.AdjustedModel = f.ETSModel, f.AdjustedModel
	o.STLRobust, o.STLPeriodic, o.STLSWindow = f.STLRobust, f.STLPeriodic, f.STLSWindow
	o.DHRMaxK, o.AdjustedWindow = f.DHRMaxK, f.AdjustedWindow
	return o
}

func toggle(b *bool) kairos.Toggle {
	switch {
	case b == nil:
		return kairos.Default
	case *b:
		return kairos.On
	}
	return kairos.Off
}

// PlanOptions are the workload's plan settings for kairos.Plan.
func (w *Workload) PlanOptions() kairos.PlanOptions {
	p := w.Plan
	o := kairos.DefaultPlanOptions(p.TargetPerReplica)
	setF(&o.Headroom, p.Headroom)
	setF(&o.MaxUpFactor, p.MaxUpFactor)
	setF(&o.MaxDownFraction, p.MaxDownFraction)
	if p.MinReplicas != nil {
		o.MinReplicas = *p.MinReplicas
	}
	if p.MaxReplicas != nil {
		o.MaxReplicas = *p.MaxReplicas
	}
	o.Quantile, o.Risk = p.Quantile, p.Risk
	o.Stabilization, o.LeadTime = p.Stabilization.D(), p.LeadTime.D()
	o.CurrentReplicas = p.CurrentReplicas
	return o
}

func setF(dst *float64, v *float64) {
	if v != nil {
		*dst = *v
	}
}
