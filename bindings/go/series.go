package kairos

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// Series is a metric history: values (NaN marks a missing value) with optional Unix-second
// timestamps, one per value. It is plain Go data; the library copies what it needs.
type Series struct {
	Name       string    // a CSV column name or a Prometheus label set; may be ""
	Values     []float64 // NaN = missing
	Timestamps []int64   // nil for an untimed series; else len(Values) entries
	Step       int64     // fixed step in seconds once regularized; 0 when unknown
}

func (s *Series) check(op string) error {
	if s == nil {
		return invalid(op, "the series is nil")
	}
	if s.Timestamps != nil && len(s.Timestamps) != len(s.Values) {
		return invalid(op, "%d timestamps for %d values", len(s.Timestamps), len(s.Values))
	}
	return nil
}

// arrays gives C views of the series' slices (nil pointers for empty ones).
func (s *Series) arrays() (*C.double, *C.int64_t, C.size_t) {
	var v *C.double
	var t *C.int64_t
	if len(s.Values) > 0 {
		v = (*C.double)(unsafe.Pointer(&s.Values[0]))
		if s.Timestamps != nil {
			t = (*C.int64_t)(unsafe.Pointer(&s.Timestamps[0]))
		}
	}
	return v, t, C.size_t(len(s.Values))
}

// copySeries copies a library-owned series into Go memory.
func copySeries(cs *C.kairos_series) Series {
	n := int(C.kairos_series_length(cs))
	out := Series{
		Name:   C.GoString(C.kairos_series_name(cs)),
		Values: make([]float64, n),
		Step:   int64(C.kairos_series_step(cs)),
	}
	if n > 0 {
		copy(out.Values, unsafe.Slice((*float64)(unsafe.Pointer(C.kairos_series_values(cs))), n))
	}
	if ts := C.kairos_series_timestamps(cs); ts != nil {
		out.Timestamps = make([]int64, n)
		if n > 0 {
			copy(out.Timestamps, unsafe.Slice((*int64)(unsafe.Pointer(ts)), n))
		}
	}
	return out
}

// CSVOptions says how to read CSV (kairos_csv_opts). The zero value reads the defaults:
// the `value` column (else the first non-timestamp column), comma-separated.
type CSVOptions struct {
	Column    string // value column name, or a 1-based number for header-less input
	Delimiter byte   // 0 means ','
}

// ParseCSV reads a metric history from CSV text (the format of `kairos forecast`; see
// docs/series.md). Points keep their input order; call [Regularize] to put a timestamped
// series on a fixed step as the CLI does.
// Errors: ErrParse (malformed text, naming line and column), ErrData (no data lines, no such
// column), ErrInvalid.
func ParseCSV(text []byte, opts CSVOptions) (*Series, error) {
	var msg msgBuf
	var cs *C.kairos_series
	var p *C.char
	if len(text) > 0 {
		p = (*C.char)(unsafe.Pointer(&text[0]))
	}
	col := cString(opts.Column, true)
	defer freeAll(col)
	st := C.kgo_series_parse_csv(&cs, p, C.size_t(len(text)), col, C.char(opts.Delimiter),
		msg.ptr())
	if err := check(st, "ParseCSV", &msg); err != nil {
		return nil, err
	}
	defer C.kairos_series_free(cs)
	s := copySeries(cs)
	return &s, nil
}

// ParsePrometheus parses the body of a Prometheus HTTP API query_range response: one
// Series per result, in response order, named by its sorted label set. Sample values
// "NaN" are missing values.
// Errors: ErrParse (not JSON, not a matrix response), ErrData (Prometheus reported an
// error; the message carries it).
func ParsePrometheus(body []byte) ([]Series, error) {
	var msg msgBuf
	var list *C.kairos_series_list
	var p *C.char
	if len(body) > 0 {
		p = (*C.char)(unsafe.Pointer(&body[0]))
	}
	st := C.kgo_series_parse_prometheus(&list, p, C.size_t(len(body)), msg.ptr())
	if err := check(st, "ParsePrometheus", &msg); err != nil {
		return nil, err
	}
	defer C.kairos_series_list_free(list)
	n := int(C.kairos_series_list_count(list))
	out := make([]Series, n)
	for i := range out {
		out[i] = copySeries(C.kairos_series_list_get(list, C.size_t(i)))
	}
	return out, nil
}

// Aggregation says how points falling into the same step are combined.
type Aggregation int

// Aggregations (kairos_agg).
const (
	AggMean Aggregation = C.KAIROS_AGG_MEAN
	AggMax  Aggregation = C.KAIROS_AGG_MAX
	AggLast Aggregation = C.KAIROS_AGG_LAST
	AggSum  Aggregation = C.KAIROS_AGG_SUM
)

// Fill says how steps without data are filled.
type Fill int

// Fills (kairos_fill).
const (
	FillNone     Fill = C.KAIROS_FILL_NONE
	FillLinear   Fill = C.KAIROS_FILL_LINEAR
	FillPrevious Fill = C.KAIROS_FILL_PREVIOUS
)

// RegularizeOptions (kairos_regularize_opts). The zero value is the CLI's default: the
// median spacing, mean aggregation, gaps left missing.
type RegularizeOptions struct {
	StepSeconds int64 // 0 = the median spacing of the timestamps
	Agg         Aggregation
	Fill        Fill
}

// RegularizeReport says what [Regularize] changed (kairos_regularize_report).
type RegularizeReport struct {
	PointsIn, PointsOut, Reordered, Merged, Gaps, Filled, LargestGap int
	StepSeconds                                                      int64
}

// Regularize puts a timestamped series on a fixed step, exactly as `kairos forecast` does
// with timestamped input: sorted, points of one step aggregated, gaps missing or filled.
// Errors: ErrData (no timestamps, too few points), ErrInvalid (bad options).
func Regularize(s *Series, opts RegularizeOptions) (*Series, RegularizeReport, error) {
	if err := s.check("Regularize"); err != nil {
		return nil, RegularizeReport{}, err
	}
	var msg msgBuf
	var out *C.kairos_series
	var rep C.kairos_regularize_report
	o := C.kairos_regularize_opts{version: C.KAIROS_REGULARIZE_OPTS_VERSION,
		step_s: C.int64_t(opts.StepSeconds), agg: C.kairos_agg(opts.Agg),
		fill: C.kairos_fill(opts.Fill)}
	v, t, n := s.arrays()
	st := C.kgo_series_regularize(&out, v, t, n, &o, &rep, msg.ptr())
	if err := check(st, "Regularize", &msg); err != nil {
		return nil, RegularizeReport{}, err
	}
	defer C.kairos_series_free(out)
	r := copySeries(out)
	r.Name = s.Name
	return &r, RegularizeReport{
		PointsIn: int(rep.points_in), PointsOut: int(rep.points_out),
		Reordered: int(rep.reordered), Merged: int(rep.merged), Gaps: int(rep.gaps),
		Filled: int(rep.filled), LargestGap: int(rep.largest_gap),
		StepSeconds: int64(rep.step_s),
	}, nil
}

// InferPeriods gives the seasonal periods (in steps) the library infers from a timestamped
// series: one day when the step divides a day and the data span two days, also one week
// when they span three weeks. The series is put on its grid first (step 0 = median spacing).
func InferPeriods(s *Series) ([]int, error) {
	if err := s.check("InferPeriods"); err != nil {
		return nil, err
	}
	var msg msgBuf
	var periods [8]C.size_t
	var n C.size_t
	v, t, ln := s.arrays()
	st := C.kgo_series_infer_periods(v, t, ln, C.int64_t(s.Step), &periods[0], 8, &n, msg.ptr())
	if err := check(st, "InferPeriods", &msg); err != nil {
		return nil, err
	}
	out := make([]int, int(n))
	for i := range out {
		out[i] = int(periods[i])
	}
	return out, nil
}
