package kairos

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// Toggle is a three-way switch: the model's default, on or off. The zero value is the default.
type Toggle int

// Toggle values.
const (
	Default Toggle = 0
	On      Toggle = 1
	Off     Toggle = 2
)

func (t Toggle) c() C.int {
	switch t {
	case On:
		return 1
	case Off:
		return 0
	}
	return -1
}

// FitOptions says what to fit (kairos_fit_opts). The zero value fits "auto" with periods
// inferred from the timestamps.
type FitOptions struct {
	Model          string // "auto" (or ""), "naive", "snaive", "drift", "mean", "profile", "arima", "autoarima", ...
	Periods        []int  // seasonal periods in steps; nil = infer from regular timestamps
	Horizon        int    // the horizon that will be asked (guides "auto"); 0 = unknown
	ProfileSeasons int    // seasons averaged by "profile"; 0 = 4

	// ARIMA ("arima" uses the orders; "autoarima" searches them).
	Order         [3]int // p, d, q
	SeasonalOrder [3]int // P, D, Q on Periods[0]
	Mean          Toggle // constant term; Default = R's (a mean when d+D = 0)
	Drift         Toggle // drift term; Default = none for "arima"
	Exhaustive    bool   // "autoarima": search every order instead of stepwise

	// Seasonal models ("ets", "stl", "mstl", "dhr"; docs/models.md).
	ETSModel       string // "ets": "ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA"; "" = best AICc
	AdjustedModel  string // "stl"/"mstl": "arima" (default) or "ets" for the adjusted series
	STLRobust      bool   // "stl"/"mstl": robust loess
	STLPeriodic    bool   // "stl"/"mstl": s.window "periodic"
	STLSWindow     int    // "stl"/"mstl": seasonal window (odd, >= 7); 0 = 7 + 4i
	DHRMaxK        int    // "dhr": most Fourier pairs per period; 0 = min(m/2, 12)
	AdjustedWindow int    // "stl"/"mstl"/"dhr": last points the non-seasonal model sees; 0 = 1024, -1 = all
}

// ForecastOptions are the options of the one-call [Forecast]: what to fit, then how far
// ahead and which predictive quantiles. Horizon (from FitOptions) is required.
type ForecastOptions struct {
	FitOptions
	Quantiles []float64 // levels in (0,1), e.g. 0.1, 0.5, 0.9; nil = none
}

// ModelInfo summarises a fitted model (kairos_model_info); undefined statistics are NaN.
type ModelInfo struct {
	Name   string // the model actually fitted, e.g. "snaive" when "auto" chose it
	Period int    // seasonal period used, in steps; 0 when none
	NObs   int
	Sigma2 float64
	LogLik float64
	AIC    float64
	AICc   float64
	BIC    float64
	Coef   []Coef // estimated coefficients, R's names ("ar1", "sma1", "drift", ...)
}

// Coef is one estimated coefficient.
type Coef struct {
	Name  string
	Value float64
}

// ForecastResult is a point forecast with predictive quantiles, all in Go memory.
type ForecastResult struct {
	Mean       []float64   // Horizon values
	Levels     []float64   // quantile levels, in the order asked
	Quantiles  [][]float64 // Quantiles[i][t] is the quantile at Levels[i] for step t
	Timestamps []int64     // Unix seconds of each step; nil when the history had none
	Step       int64       // step in seconds; 0 when the history had no fixed step
	Model      ModelInfo   // the model that produced it
}

// Horizon is the number of steps forecast.
func (f *ForecastResult) Horizon() int { return len(f.Mean) }

// Quantile returns the row of the quantile at level (nil when it was not asked).
func (f *ForecastResult) Quantile(level float64) []float64 {
	for i, l := range f.Levels {
		if math.Abs(l-level) <= 1e-12 {
			return f.Quantiles[i]
		}
	}
	return nil
}

// Model is a fitted model held by the library. It is immutable: any number of goroutines
// may call Forecast (and the other methods) on one Model at once. Close releases it; a
// finalizer releases a Model that becomes unreachable without Close, but the garbage
// collector does not see the C memory behind it, so close models you are done with.
type Model struct {
	mu      sync.RWMutex // readers: calls into the model; writer: Close
	ptr     *C.kairos_model
	step    int64
	cleanup runtime.Cleanup
}

// Fit fits a model to a history (kairos_model_fit). The series is validated first; missing
// values are skipped, never interpolated. The model copies what it needs.
// Errors: ErrInvalid (unknown model name, zero period, no period for a seasonal model),
// ErrData (series unusable or too short for the model), ErrModel (the fit failed).
func Fit(history *Series, opts FitOptions) (*Model, error) {
	const op = "Fit"
	if err := history.check(op); err != nil {
		return nil, err
	}
	o, periods, strs, err := opts.c(op)
	defer freeAll(strs...)
	if err != nil {
		return nil, err
	}
	var msg msgBuf
	var m *C.kairos_model
	v, t, n := history.arrays()
	st := C.kgo_model_fit(&m, v, t, n, &o, ptrOrNilSize(periods), msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	return newModel(m, history), nil
}

func newModel(m *C.kairos_model, history *Series) *Model {
	model := &Model{ptr: m, step: seriesStep(history)}
	model.cleanup = runtime.AddCleanup(model, func(p *C.kairos_model) { C.kairos_model_free(p) }, m)
	return model
}

// c converts the options; the strings are C memory the caller frees with freeAll (also on
// error), the periods Go memory to pass as a direct argument.
func (opts *FitOptions) c(op string) (C.kairos_fit_opts, []C.size_t, []*C.char, error) {
	var o C.kairos_fit_opts
	if st := C.kairos_fit_opts_init(&o, C.KAIROS_FIT_OPTS_VERSION); st != 0 {
		return o, nil, nil, newError(Status(st), op, "")
	}
	for _, v := range [][]int{opts.Periods, opts.Order[:], opts.SeasonalOrder[:],
		{opts.Horizon, opts.ProfileSeasons, opts.STLSWindow, opts.DHRMaxK}} {
		for _, x := range v {
			if x < 0 {
				return o, nil, nil, invalid(op, "negative option value %d", x)
			}
		}
	}
	strs := []*C.char{cString(opts.Model, true), cString(opts.ETSModel, true),
		cString(opts.AdjustedModel, true)}
	o.model, o.ets_model, o.adjusted_model = strs[0], strs[1], strs[2]
	o.n_periods = C.size_t(len(opts.Periods))
	o.horizon = C.size_t(opts.Horizon)
	o.profile_seasons = C.size_t(opts.ProfileSeasons)
	o.arima_p, o.arima_d, o.arima_q = C.int(opts.Order[0]), C.int(opts.Order[1]), C.int(opts.Order[2])
	o.arima_P, o.arima_D, o.arima_Q = C.int(opts.SeasonalOrder[0]), C.int(opts.SeasonalOrder[1]),
		C.int(opts.SeasonalOrder[2])
	o.include_mean = opts.Mean.c()
	o.include_drift = opts.Drift.c()
	o.arima_exhaustive = cBool(opts.Exhaustive)
	o.stl_robust, o.stl_periodic = cBool(opts.STLRobust), cBool(opts.STLPeriodic)
	o.stl_s_window, o.dhr_max_k = C.size_t(opts.STLSWindow), C.size_t(opts.DHRMaxK)
	switch {
	case opts.AdjustedWindow < 0:
		o.adjusted_window = ^C.size_t(0) // SIZE_MAX: every point, as R
	default:
		o.adjusted_window = C.size_t(opts.AdjustedWindow)
	}
	periods := make([]C.size_t, len(opts.Periods))
	for i, p := range opts.Periods {
		periods[i] = C.size_t(p)
	}
	return o, periods, strs, nil
}

func ptrOrNilSize(v []C.size_t) *C.size_t {
	if len(v) == 0 {
		return nil
	}
	return &v[0]
}

// Close releases the model. It waits for forecasts in progress on other goroutines; calls
// after Close fail with ErrInvalid. Closing twice is fine.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr != nil {
		m.cleanup.Stop()
		C.kairos_model_free(m.ptr)
		m.ptr = nil
	}
	return nil
}

// acquire read-locks a live model; release with m.mu.RUnlock.
func (m *Model) acquire(op string) error {
	if m == nil {
		return invalid(op, "the model is nil")
	}
	m.mu.RLock()
	if m.ptr == nil {
		m.mu.RUnlock()
		return invalid(op, "the model is closed")
	}
	return nil
}

// Forecast forecasts horizon steps ahead with the predictive quantiles at levels (each in
// (0,1); none is fine). Safe on a shared model.
// Errors: ErrInvalid (horizon < 1, a level outside (0,1), a closed model), ErrModel (a value
// would not be finite).
func (m *Model) Forecast(horizon int, levels ...float64) (*ForecastResult, error) {
	const op = "Model.Forecast"
	if horizon < 1 {
		return nil, invalid(op, "horizon must be at least 1, got %d", horizon)
	}
	if err := m.acquire(op); err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	f := &ForecastResult{Mean: make([]float64, horizon), Levels: append([]float64(nil), levels...)}
	flat := make([]float64, horizon*max(len(levels), 1))
	times := make([]int64, horizon)
	var lp *C.double
	if len(levels) > 0 {
		lp = (*C.double)(unsafe.Pointer(&f.Levels[0]))
	}
	var msg msgBuf
	var hasTimes C.int
	st := C.kgo_model_forecast(m.ptr, C.size_t(horizon), lp, C.size_t(len(levels)),
		(*C.double)(unsafe.Pointer(&f.Mean[0])), (*C.double)(unsafe.Pointer(&flat[0])),
		(*C.int64_t)(unsafe.Pointer(&times[0])), &hasTimes, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	f.Quantiles = make([][]float64, len(levels))
	for i := range levels {
		f.Quantiles[i] = flat[i*horizon : (i+1)*horizon : (i+1)*horizon]
	}
	if hasTimes != 0 {
		f.Timestamps = times
		f.Step = m.step
	}
	info, err := m.infoLocked(op)
	if err != nil {
		return nil, err
	}
	f.Model = info
	return f, nil
}

// Info describes the fitted model.
func (m *Model) Info() (ModelInfo, error) {
	const op = "Model.Info"
	if err := m.acquire(op); err != nil {
		return ModelInfo{}, err
	}
	defer m.mu.RUnlock()
	return m.infoLocked(op)
}

func (m *Model) infoLocked(op string) (ModelInfo, error) {
	var msg msgBuf
	info := C.kairos_model_info{version: C.KAIROS_MODEL_INFO_VERSION}
	if err := check(C.kgo_model_describe(m.ptr, &info, msg.ptr()), op, &msg); err != nil {
		return ModelInfo{}, err
	}
	out := ModelInfo{
		Name: C.GoString(info.name), Period: int(info.period), NObs: int(info.nobs),
		Sigma2: float64(info.sigma2), LogLik: float64(info.loglik), AIC: float64(info.aic),
		AICc: float64(info.aicc), BIC: float64(info.bic),
	}
	n := int(C.kairos_model_coef_count(m.ptr))
	for i := 0; i < n; i++ {
		var name *C.char
		var value C.double
		if err := check(C.kgo_model_coef(m.ptr, C.size_t(i), &name, &value, msg.ptr()), op,
			&msg); err != nil {
			return ModelInfo{}, err
		}
		out.Coef = append(out.Coef, Coef{Name: C.GoString(name), Value: float64(value)})
	}
	return out, nil
}

// ReportJSON is the model as the JSON object `kairos forecast --report` prints (name,
// order, seasonal_order, period, coef, loglik, sigma2, aic, aicc, bic, nobs, ...).
func (m *Model) ReportJSON() (string, error) {
	const op = "Model.ReportJSON"
	if err := m.acquire(op); err != nil {
		return "", err
	}
	defer m.mu.RUnlock()
	var msg msgBuf
	var buf C.kairos_buf
	defer C.kairos_buf_dispose(&buf)
	if err := check(C.kgo_model_report_json(m.ptr, &buf, msg.ptr()), op, &msg); err != nil {
		return "", err
	}
	return C.GoStringN(buf.data, C.int(buf.len)), nil
}

// Forecast fits a model to values (one per step, no timestamps) and forecasts
// opts.Horizon steps ahead: Fit, then Model.Forecast, then Close. Untimed values have no
// season unless opts.Periods gives one. See [ForecastSeries] for timestamped history.
func Forecast(values []float64, opts ForecastOptions) (*ForecastResult, error) {
	return ForecastSeries(&Series{Values: values}, opts)
}

// ForecastSeries is [Forecast] for a Series (with timestamps, periods are inferred and the
// forecast carries the timestamps of its steps).
func ForecastSeries(history *Series, opts ForecastOptions) (*ForecastResult, error) {
	if opts.Horizon < 1 {
		return nil, invalid("Forecast", "horizon must be at least 1, got %d", opts.Horizon)
	}
	m, err := Fit(history, opts.FitOptions)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	return m.Forecast(opts.Horizon, opts.Quantiles...)
}

// seriesStep is the fixed step the library sees in a series: its own, else the spacing of
// strictly increasing, evenly spaced timestamps; 0 when there is none.
func seriesStep(s *Series) int64 {
	if s.Timestamps == nil {
		return 0
	}
	if s.Step > 0 {
		return s.Step
	}
	t := s.Timestamps
	if len(t) < 2 || t[1] <= t[0] {
		return 0
	}
	step := t[1] - t[0]
	for i := 2; i < len(t); i++ {
		if t[i]-t[i-1] != step {
			return 0
		}
	}
	return step
}
