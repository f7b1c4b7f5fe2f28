package kairos

/*
#include "shim.h"
*/
import "C"

import (
	"math"
	"time"
	"unsafe"
)

// MaxReplicas is the largest replica bound the planner accepts (KAIROS_PLAN_MAX_REPLICAS).
const MaxReplicas = C.KAIROS_PLAN_MAX_REPLICAS

// PlanOptions says how to plan replicas (kairos_plan_opts; formulas in docs/planning.md).
// Start from [DefaultPlanOptions]: fields are passed to the library as they are, and a zero
// is a real value for several of them (MinReplicas 0 allows scale to zero).
type PlanOptions struct {
	TargetPerReplica float64       // load one replica serves, > 0 (required)
	Headroom         float64       // multiplier on demand, > 0; default 1
	Quantile         float64       // plan on this predictive quantile in (0,1); 0 = not set
	Risk             float64       // plan on quantile 1-Risk; 0 = not set (not with Quantile)
	MinReplicas      int           // default 1; 0 allows scale to zero
	MaxReplicas      int           // default 100, at most MaxReplicas
	MaxUpFactor      float64       // per step, replicas <= ceil(prev*factor); >= 1; default 2
	MaxDownFraction  float64       // per step, replicas >= floor(prev*(1-f)); [0,1]; default 0.5
	Stabilization    time.Duration // scale-down window; default 0
	LeadTime         time.Duration // time replicas need to be ready; default 0
	CurrentReplicas  int           // running now; 0 = unknown
}

// DefaultPlanOptions are the library's defaults (KAIROS_PLAN_OPTS_INIT) with the given
// target per replica.
func DefaultPlanOptions(targetPerReplica float64) PlanOptions {
	return PlanOptions{TargetPerReplica: targetPerReplica, Headroom: 1, MinReplicas: 1,
		MaxReplicas: 100, MaxUpFactor: 2, MaxDownFraction: 0.5}
}

func (o *PlanOptions) c(op string) (C.kairos_plan_opts, error) {
	var co C.kairos_plan_opts
	if st := C.kairos_plan_opts_init(&co, C.KAIROS_PLAN_OPTS_VERSION); st != 0 {
		return co, newError(Status(st), op, "")
	}
	if o.MinReplicas < 0 || o.MaxReplicas < 0 || o.CurrentReplicas < 0 ||
		o.Stabilization < 0 || o.LeadTime < 0 {
		return co, invalid(op, "replica counts and durations must not be negative")
	}
	co.target_per_replica = C.double(o.TargetPerReplica)
	co.headroom = C.double(o.Headroom)
	co.quantile = C.double(o.Quantile)
	co.risk = C.double(o.Risk)
	co.min_replicas = C.size_t(o.MinReplicas)
	co.max_replicas = C.size_t(o.MaxReplicas)
	co.max_up_factor = C.double(o.MaxUpFactor)
	co.max_down_fraction = C.double(o.MaxDownFraction)
	co.stabilization_s = C.int64_t(seconds(o.Stabilization))
	co.lead_time_s = C.int64_t(seconds(o.LeadTime))
	co.current_replicas = C.size_t(o.CurrentReplicas)
	return co, nil
}

// seconds rounds a duration up to whole seconds.
func seconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

// PlannedLevel is the quantile level the options plan on, or 0 when they plan on the mean.
func (o *PlanOptions) PlannedLevel() float64 {
	switch {
	case o.Quantile > 0:
		return o.Quantile
	case o.Risk > 0:
		return 1 - o.Risk
	}
	return 0
}

// planGrid is the level grid `kairos plan` forecasts: the planner builds each step's
// distribution from it, so a fine grid gives a sharper risk.
var planGrid = []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}

// PlanLevels is the list of quantile levels `kairos plan` asks the forecast for with these
// options: a fixed grid (0.01 … 0.99) with the planned level put in order, so it is used
// exactly. Forecasting with these levels gives the CLI's plan number for number.
func PlanLevels(o PlanOptions) []float64 {
	want := o.PlannedLevel()
	placed := want == 0
	out := make([]float64, 0, len(planGrid)+1)
	for _, l := range planGrid {
		if !placed && want <= l {
			if math.Abs(want-l) > 1e-9 {
				out = append(out, want)
			}
			placed = true
		}
		out = append(out, l)
	}
	if !placed {
		out = append(out, want)
	}
	return out
}

// PlanTotals summarises a plan (kairos_plan_totals).
type PlanTotals struct {
	ReplicaHours            float64
	PeakReplicas            int
	PeakStep                int // first step (0-based) at the peak
	ShortfallReplicaMinutes float64
	MaxPShortfall           float64
	MeanPShortfall          float64
	PlannedLevel            float64 // NaN when planned on the mean
	LevelExtrapolated       bool
	LeadSteps               int
	StabilizationSteps      int
	Hours                   float64
}

// ReplicaPlan is the replicas of each forecast step with the demand planned for and the
// probability that demand exceeds capacity.
type ReplicaPlan struct {
	Replicas   []int
	Demand     []float64 // the load planned for at each step
	PShortfall []float64 // P(demand > replicas × target) per step
	Timestamps []int64   // from the forecast; nil when it had none
	Step       int64     // seconds
	Totals     PlanTotals
}

// DefaultStep is the step a forecast without one is planned in (as `kairos plan` does with
// untimed input): each step counts as an hour.
const DefaultStep = 3600

// Plan plans replicas for every step of a forecast (kairos_plan_replicas). The forecast's
// quantiles are the planner's predictive distribution; with no step (untimed history) each
// step counts as an hour.
// Errors: ErrInvalid (bad options, e.g. TargetPerReplica <= 0, Quantile and Risk both set),
// ErrData (non-finite forecast values, a quantile asked of a forecast without quantiles).
func Plan(fc *ForecastResult, opts PlanOptions) (*ReplicaPlan, error) {
	const op = "Plan"
	if fc == nil || len(fc.Mean) == 0 {
		return nil, invalid(op, "the forecast is empty")
	}
	co, err := opts.c(op)
	if err != nil {
		return nil, err
	}
	h := len(fc.Mean)
	levels, flat, err := flatten(op, fc)
	if err != nil {
		return nil, err
	}
	step := fc.Step
	if step <= 0 {
		step = DefaultStep
	}
	reps := make([]C.size_t, h)
	p := &ReplicaPlan{Demand: make([]float64, h), PShortfall: make([]float64, h),
		Timestamps: fc.Timestamps, Step: step}
	totals := C.kairos_plan_totals{version: C.KAIROS_PLAN_TOTALS_VERSION}
	var msg msgBuf
	st := C.kgo_plan_replicas(C.size_t(h), C.int64_t(step),
		(*C.double)(unsafe.Pointer(&fc.Mean[0])), ptrOrNil(levels), C.size_t(len(levels)),
		ptrOrNil(flat), &co, &reps[0], (*C.double)(unsafe.Pointer(&p.Demand[0])),
		(*C.double)(unsafe.Pointer(&p.PShortfall[0])), &totals, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	p.Replicas = make([]int, h)
	for i, r := range reps {
		p.Replicas[i] = int(r)
	}
	p.Totals = PlanTotals{
		ReplicaHours: float64(totals.replica_hours), PeakReplicas: int(totals.peak_replicas),
		PeakStep: int(totals.peak_step), ShortfallReplicaMinutes: float64(totals.shortfall_replica_minutes),
		MaxPShortfall: float64(totals.max_p_shortfall), MeanPShortfall: float64(totals.mean_p_shortfall),
		PlannedLevel: float64(totals.planned_level), LevelExtrapolated: totals.level_extrapolated != 0,
		LeadSteps: int(totals.lead_steps), StabilizationSteps: int(totals.stabilization_steps),
		Hours: float64(totals.hours),
	}
	return p, nil
}

// Plan forecasts horizon steps with the levels `kairos plan` uses ([PlanLevels]) and plans
// them: the same numbers as `kairos plan` on the same history. Safe on a shared model.
func (m *Model) Plan(horizon int, opts PlanOptions) (*ReplicaPlan, *ForecastResult, error) {
	fc, err := m.Forecast(horizon, PlanLevels(opts)...)
	if err != nil {
		return nil, nil, err
	}
	p, err := Plan(fc, opts)
	if err != nil {
		return nil, nil, err
	}
	return p, fc, nil
}

// flatten lays the quantile rows out as the library reads them (n_levels × horizon).
func flatten(op string, fc *ForecastResult) ([]float64, []float64, error) {
	h := len(fc.Mean)
	if len(fc.Quantiles) != len(fc.Levels) {
		return nil, nil, invalid(op, "%d quantile rows for %d levels", len(fc.Quantiles),
			len(fc.Levels))
	}
	flat := make([]float64, 0, h*len(fc.Levels))
	for i, row := range fc.Quantiles {
		if len(row) != h {
			return nil, nil, invalid(op, "quantile row %d has %d values, the mean %d", i,
				len(row), h)
		}
		flat = append(flat, row...)
	}
	return fc.Levels, flat, nil
}

func ptrOrNil(v []float64) *C.double {
	if len(v) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&v[0]))
}
