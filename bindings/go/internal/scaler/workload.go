package scaler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	kairos "github.com/libkairos/kairos-go"
)

// PlanState is one good refresh: the plan and what it was made from.
type PlanState struct {
	Window    Window
	MadeAt    time.Time // when the refresh that made it finished
	Points    int       // history points after regularization
	Model     string    // the model fitted
	Plan      *kairos.ReplicaPlan
	Forecast  *kairos.ForecastResult
	FetchTime time.Duration
	FitTime   time.Duration // fit + forecast + plan
}

// Desired is what the scaler reports for a workload at one instant.
type Desired struct {
	Replicas      int
	Predicted     float64 // forecast mean of the step
	Demand        float64 // load the step was planned for
	Step          int     // 0-based plan step used
	StepTime      time.Time
	Age           time.Duration // since the plan was made
	Stale         bool          // the latest refresh failed: an older plan is served
	BeyondHorizon bool          // now + lead time lies past the plan: its last step is used
	NextChange    time.Time     // when the step in force changes (zero: never, past the plan)
}

// ErrNoPlan means a workload has no good plan yet (or it is older than max_staleness).
var ErrNoPlan = errors.New("no plan")

// runner refreshes one workload's plan in the background and answers lookups.
type runner struct {
	w    *Workload
	prom *promClient
	log  *slog.Logger
	now  func() time.Time

	mu        sync.RWMutex
	state     *PlanState
	lastErr   error
	lastErrAt time.Time
	stats     stats
	changed   chan struct{} // closed (and replaced) whenever a new plan is stored
}

// stats feeds /metrics.
type stats struct {
	refreshes, fetchErrors, fitErrors int64
	lastFetch, lastFit                time.Duration
}

func newRunner(w *Workload, log *slog.Logger, now func() time.Time) (*runner, error) {
	pc, err := newPromClient(w.Prometheus)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", w.Name, err)
	}
	return &runner{w: w, prom: pc, log: log.With("workload", w.Name), now: now,
		changed: make(chan struct{})}, nil
}

// run refreshes now and then every refresh interval until ctx ends.
func (r *runner) run(ctx context.Context) {
	t := time.NewTicker(r.w.Refresh.D())
	defer t.Stop()
	for {
		if err := r.refresh(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("refresh failed; serving the last good plan", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refresh fetches the history, fits, forecasts and plans; on success the new plan replaces
// the old one, on failure the old one stays and the failure is recorded.
func (r *runner) refresh(ctx context.Context) error {
	win := r.w.WindowAt(r.now())
	start := time.Now()
	fctx, cancel := context.WithTimeout(ctx, r.w.Prometheus.Timeout.D())
	raw, err := r.prom.fetch(fctx, win)
	cancel()
	fetchTime := time.Since(start)
	if err != nil {
		return r.fail(err, true, fetchTime, 0)
	}
	start = time.Now()
	state, err := r.plan(raw, win)
	fitTime := time.Since(start)
	if err != nil {
		return r.fail(err, false, fetchTime, fitTime)
	}
	state.FetchTime, state.FitTime, state.MadeAt = fetchTime, fitTime, r.now()
	r.mu.Lock()
	r.state = state
	r.lastErr = nil
	r.stats.refreshes++
	r.stats.lastFetch, r.stats.lastFit = fetchTime, fitTime
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	r.log.Debug("plan refreshed", "model", state.Model, "points", state.Points,
		"peak", state.Plan.Totals.PeakReplicas)
	return nil
}

func (r *runner) fail(err error, fetch bool, fetchTime, fitTime time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr, r.lastErrAt = err, r.now()
	r.stats.lastFetch = fetchTime
	if fetch {
		r.stats.fetchErrors++
	} else {
		r.stats.fitErrors++
		r.stats.lastFit = fitTime
	}
	return err
}

// plan runs the library on a fetched history, as `kairos plan` does on a CSV: regularize
// on the workload's step, fit, forecast on the CLI's level grid, plan.
func (r *runner) plan(raw *kairos.Series, win Window) (*PlanState, error) {
	hist, _, err := kairos.Regularize(raw, kairos.RegularizeOptions{
		StepSeconds: int64(win.Step / time.Second), Agg: aggs[r.w.Agg], Fill: fills[r.w.Fill]})
	if err != nil {
		return nil, err
	}
	var model *kairos.Model
	if f := r.w.Forecast; f.Calibrate {
		model, err = kairos.Calibrate(hist, r.w.FitOptions(), kairos.BacktestOptions{
			Horizon: f.Horizon, Windows: f.CalibrateWindows})
	} else {
		model, err = kairos.Fit(hist, r.w.FitOptions())
	}
	if err != nil {
		return nil, err
	}
	defer model.Close()
	plan, fc, err := model.Plan(r.w.Forecast.Horizon, r.w.PlanOptions())
	if err != nil {
		return nil, err
	}
	return &PlanState{Window: win, Points: len(hist.Values), Model: fc.Model.Name,
		Plan: plan, Forecast: fc}, nil
}

// snapshot is a consistent view of a runner.
type snapshot struct {
	state   *PlanState // the last good plan, nil before the first
	lastErr error      // the latest refresh's failure, nil when it succeeded
	errAt   time.Time  // when it failed
	stats   stats
	changed <-chan struct{} // closed when a newer plan is stored
}

func (r *runner) snapshot() snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return snapshot{state: r.state, lastErr: r.lastErr, errAt: r.lastErrAt, stats: r.stats,
		changed: r.changed}
}

// desired is the planned replicas for now + lead time.
func (r *runner) desired(now time.Time) (Desired, error) {
	sn := r.snapshot()
	st, lastErr := sn.state, sn.lastErr
	if st == nil {
		if lastErr != nil {
			return Desired{}, fmt.Errorf("%w for workload %s yet: %v", ErrNoPlan, r.w.Name, lastErr)
		}
		return Desired{}, fmt.Errorf("%w for workload %s yet", ErrNoPlan, r.w.Name)
	}
	d := LookupStep(st, now.Add(r.w.LeadTime.D()))
	if k := d.Step + 1; k < len(st.Plan.Timestamps) {
		d.NextChange = time.Unix(st.Plan.Timestamps[k], 0).Add(-r.w.LeadTime.D())
	}
	d.Age = now.Sub(st.MadeAt)
	d.Stale = lastErr != nil
	if r.w.MaxStaleness > 0 && d.Age > r.w.MaxStaleness.D() {
		return d, fmt.Errorf("%w: the plan of workload %s is %s old (max_staleness %s): %v",
			ErrNoPlan, r.w.Name, d.Age.Round(time.Second), r.w.MaxStaleness.D(), lastErr)
	}
	return d, nil
}

// LookupStep picks the plan step in force at t: the last step starting at or before t (the
// first step when t precedes the plan, the last one when t lies past it).
func LookupStep(st *PlanState, t time.Time) Desired {
	p := st.Plan
	k := 0
	for i, ts := range p.Timestamps {
		if ts <= t.Unix() {
			k = i
		}
	}
	d := Desired{Replicas: p.Replicas[k], Predicted: st.Forecast.Mean[k], Demand: p.Demand[k],
		Step: k}
	if len(p.Timestamps) > 0 {
		d.StepTime = time.Unix(p.Timestamps[k], 0).UTC()
		last := p.Timestamps[len(p.Timestamps)-1]
		d.BeyondHorizon = t.Unix() >= last+p.Step
	}
	return d
}
