package kairos

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// BacktestOptions (kairos_backtest_opts). Window k = 1..K trains on the points before its
// origin and scores the next Horizon; the last window ends with the history.
type BacktestOptions struct {
	Horizon   int       // H, steps scored per window (required)
	Windows   int       // K; 0 = 5
	Step      int       // steps between origins; 0 = Horizon
	Quantiles []float64 // levels scored by the pinball loss
	Levels    []float64 // central intervals in percent scored by coverage
	MSISLevel float64   // percent of the interval MSIS scores; 0 = 95
	Season    int       // m of the MASE/MSIS scale; 0 = the fit's or the inferred period
	MinTrain  int       // fewest training points of the first window; 0 = 1
}

func (b *BacktestOptions) c(op string) (C.kairos_backtest_opts, error) {
	var o C.kairos_backtest_opts
	if st := C.kairos_backtest_opts_init(&o, C.KAIROS_BACKTEST_OPTS_VERSION); st != 0 {
		return o, newError(Status(st), op, "")
	}
	if b.Horizon < 1 {
		return o, invalid(op, "horizon must be at least 1, got %d", b.Horizon)
	}
	if b.Windows < 0 || b.Step < 0 || b.Season < 0 || b.MinTrain < 0 {
		return o, invalid(op, "negative option value")
	}
	o.horizon, o.windows, o.step = C.size_t(b.Horizon), C.size_t(b.Windows), C.size_t(b.Step)
	o.msis_level, o.season = C.double(b.MSISLevel), C.size_t(b.Season)
	o.min_train = C.size_t(b.MinTrain)
	return o, nil
}

// Calibrate fits a model whose quantiles are calibrated by split-conformal prediction on a
// backtest of the history (kairos_model_calibrate; `kairos forecast --calibrate`). Only
// Horizon, Windows, Step, Season and MinTrain of bt are used. Release the model with Close.
// Errors: as [Fit] and [Backtest].
func Calibrate(history *Series, fit FitOptions, bt BacktestOptions) (*Model, error) {
	const op = "Calibrate"
	if err := history.check(op); err != nil {
		return nil, err
	}
	o, periods, strs, err := fit.c(op)
	defer freeAll(strs...)
	if err != nil {
		return nil, err
	}
	b, err := bt.c(op)
	if err != nil {
		return nil, err
	}
	var msg msgBuf
	var m *C.kairos_model
	v, t, n := history.arrays()
	st := C.kgo_model_calibrate(&m, v, t, n, &o, ptrOrNilSize(periods), &b, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	return newModel(m, history), nil
}

// Metrics are point and interval accuracy metrics (kairos_metrics); NaN where undefined.
type Metrics struct {
	N                            int
	MAE, RMSE, MAPE, SMAPE, MASE float64
	MSIS                         float64
}

// BacktestWindow is one window of a backtest.
type BacktestWindow struct {
	Origin    int    // training points
	StartTime int64  // timestamp of the first scored point; 0 for an untimed history
	Model     string // the model fitted ("auto": the one it chose)
	Period    int
	Scale     float64 // in-sample seasonal-naive MAE of the training part
	Metrics   Metrics
	Pinball   []float64 // per BacktestResult.Quantiles
	Coverage  []float64 // per BacktestResult.Levels, 0 to 1
	Actual    []float64 // Horizon actual values (NaN = missing)
	Mean      []float64
	Lower     []float64 // bounds of the MSISLevel interval
	Upper     []float64
	Spread    []float64 // predictive scales
}

// BacktestResult is a rolling-origin evaluation, copied into Go memory.
type BacktestResult struct {
	Horizon, Step, Season int
	MSISLevel             float64
	Quantiles, Levels     []float64
	Windows               []BacktestWindow // oldest origin first
	Overall               Metrics
	Pinball, Coverage     []float64 // pooled over every window
	JSON                  string    // kairos_backtest_result_json(): `kairos backtest`'s output
}

// Backtest runs a rolling-origin evaluation of the model fit names (kairos_backtest).
// Deterministic: the same inputs give the same numbers, bit for bit.
// Errors: ErrData (history too short for the windows, a window that cannot be fitted),
// ErrInvalid (bad options, unknown model), ErrModel.
func Backtest(history *Series, fit FitOptions, bt BacktestOptions) (*BacktestResult, error) {
	const op = "Backtest"
	if err := history.check(op); err != nil {
		return nil, err
	}
	o, periods, strs, err := fit.c(op)
	defer freeAll(strs...)
	if err != nil {
		return nil, err
	}
	b, err := bt.c(op)
	if err != nil {
		return nil, err
	}
	res := C.kairos_backtest_result{version: C.KAIROS_BACKTEST_RESULT_VERSION}
	defer C.kairos_backtest_result_dispose(&res)
	var buf C.kairos_buf
	defer C.kairos_buf_dispose(&buf)
	var msg msgBuf
	v, t, n := history.arrays()
	st := C.kgo_backtest(&res, v, t, n, &o, ptrOrNilSize(periods), &b, ptrOrNil(bt.Quantiles),
		C.size_t(len(bt.Quantiles)), ptrOrNil(bt.Levels), C.size_t(len(bt.Levels)), &buf, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	nq, nl, h := int(res.n_quantiles), int(res.n_levels), int(res.horizon)
	out := &BacktestResult{Horizon: h, Step: int(res.step), Season: int(res.season),
		MSISLevel: float64(res.msis_level), Quantiles: doubles(res.quantiles, nq),
		Levels: doubles(res.levels, nl), Overall: metrics(&res.overall),
		Pinball: doubles(res.pinball, nq), Coverage: doubles(res.coverage, nl),
		JSON: C.GoStringN(buf.data, C.int(buf.len))}
	wins := unsafe.Slice(res.windows, int(res.n_windows))
	for i := range wins {
		w := &wins[i]
		out.Windows = append(out.Windows, BacktestWindow{Origin: int(w.origin),
			StartTime: int64(w.start_time), Model: C.GoString(&w.model[0]), Period: int(w.period),
			Scale: float64(w.scale), Metrics: metrics(&w.metrics), Pinball: doubles(w.pinball, nq),
			Coverage: doubles(w.coverage, nl), Actual: doubles(w.actual, h), Mean: doubles(w.mean, h),
			Lower: doubles(w.lower, h), Upper: doubles(w.upper, h), Spread: doubles(w.spread, h)})
	}
	return out, nil
}

// doubles copies n doubles owned by the library.
func doubles(p *C.double, n int) []float64 {
	out := make([]float64, n)
	if n > 0 && p != nil {
		copy(out, unsafe.Slice((*float64)(unsafe.Pointer(p)), n))
	}
	return out
}

func metrics(m *C.kairos_metrics) Metrics {
	return Metrics{N: int(m.n), MAE: float64(m.mae), RMSE: float64(m.rmse), MAPE: float64(m.mape),
		SMAPE: float64(m.smape), MASE: float64(m.mase), MSIS: float64(m.msis)}
}
