package kairos

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import "unsafe"

// CostModel holds the prices of one environment (kairos_cost_model; formulas in
// docs/cost.md). Start from [DefaultCostModel].
type CostModel struct {
	CPUPrice        float64 // per vCPU-hour, on demand; default 0.04
	MemoryPrice     float64 // per GiB-hour, on demand; default 0.005
	HoursPerMonth   float64 // default 730
	SpotShare       float64 // share of replicas on spot, [0,1]
	SpotDiscount    float64 // spot price = on-demand × (1 − discount), [0,1]
	SpotCPUPrice    float64 // explicit spot $/vCPU-hour; 0 = use the discount
	SpotMemoryPrice float64 // explicit spot $/GiB-hour; 0 = use the discount
	Currency        string  // label; "" = "USD"
	Environment     string  // label; may be ""
}

// DefaultCostModel is KAIROS_COST_MODEL_INIT.
func DefaultCostModel() CostModel {
	return CostModel{CPUPrice: 0.04, MemoryPrice: 0.005, HoursPerMonth: 730}
}

// c converts the model; the strings are C memory the caller frees with freeAll.
func (m *CostModel) c(op string) (C.kairos_cost_model, []*C.char, error) {
	var cm C.kairos_cost_model
	if st := C.kairos_cost_model_init(&cm, C.KAIROS_COST_MODEL_VERSION); st != 0 {
		return cm, nil, newError(Status(st), op, "")
	}
	cm.cpu_price = C.double(m.CPUPrice)
	cm.memory_price = C.double(m.MemoryPrice)
	cm.hours_per_month = C.double(m.HoursPerMonth)
	cm.spot_share = C.double(m.SpotShare)
	cm.spot_discount = C.double(m.SpotDiscount)
	cm.spot_cpu_price = C.double(m.SpotCPUPrice)
	cm.spot_memory_price = C.double(m.SpotMemoryPrice)
	cm.currency = cString(m.Currency, true)
	cm.environment = cString(m.Environment, true)
	return cm, []*C.char{cm.currency, cm.environment}, nil
}

// CostOptions are the sizes and prices a plan is priced with.
type CostOptions struct {
	Model           CostModel
	CPUCores        float64 // per-replica CPU request
	MemoryBytes     float64 // per-replica memory request
	CurrentReplicas int     // replicas running now; 0 = unknown
}

// CostReport is what a plan costs and saves (kairos_cost_report); "current" figures are
// NaN when the current replicas are unknown.
type CostReport struct {
	Currency         string
	ReplicaHourly    float64
	HorizonHours     float64
	ReplicaHours     float64
	MeanReplicas     float64
	PeakReplicas     int
	PlanHorizon      float64 // the plan's cost over its own horizon
	PlanMonth        float64
	PeakMonth        float64 // a static allocation at the plan's peak
	CurrentMonth     float64
	DeltaVsCurrent   float64 // PlanMonth − CurrentMonth (negative saves)
	DeltaVsPeak      float64
	SavingsVsCurrent float64
	SavingsVsPeak    float64
}

// Cost prices a replica plan per month against a static allocation at its peak and the
// current allocation (kairos_cost_plan).
// Errors: ErrInvalid (empty plan, bad prices or sizes).
func Cost(p *ReplicaPlan, opts CostOptions) (*CostReport, error) {
	const op = "Cost"
	if p == nil || len(p.Replicas) == 0 {
		return nil, invalid(op, "the plan is empty")
	}
	if opts.CurrentReplicas < 0 {
		return nil, invalid(op, "negative current replicas %d", opts.CurrentReplicas)
	}
	cm, strs, err := opts.Model.c(op)
	defer freeAll(strs...)
	if err != nil {
		return nil, err
	}
	reps := make([]C.size_t, len(p.Replicas))
	for i, r := range p.Replicas {
		if r < 0 {
			return nil, invalid(op, "negative replicas at step %d", i+1)
		}
		reps[i] = C.size_t(r)
	}
	step := p.Step
	if step <= 0 {
		step = DefaultStep
	}
	rep := C.kairos_cost_report{version: C.KAIROS_COST_REPORT_VERSION}
	var msg msgBuf
	st := C.kgo_cost_plan(&rep, &cm, C.double(opts.CPUCores), C.double(opts.MemoryBytes),
		&reps[0], C.size_t(len(reps)), C.int64_t(step), C.size_t(opts.CurrentReplicas), msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	cur := opts.Model.Currency
	if cur == "" {
		cur = "USD"
	}
	return &CostReport{
		Currency: cur, ReplicaHourly: float64(rep.replica_hourly),
		HorizonHours: float64(rep.horizon_hours), ReplicaHours: float64(rep.replica_hours),
		MeanReplicas: float64(rep.mean_replicas), PeakReplicas: int(rep.peak_replicas),
		PlanHorizon: float64(rep.plan_horizon), PlanMonth: float64(rep.plan_month),
		PeakMonth: float64(rep.peak_month), CurrentMonth: float64(rep.current_month),
		DeltaVsCurrent: float64(rep.delta_vs_current), DeltaVsPeak: float64(rep.delta_vs_peak),
		SavingsVsCurrent: float64(rep.savings_vs_current), SavingsVsPeak: float64(rep.savings_vs_peak),
	}, nil
}

// MonthlyCost is the price of running replicas (may be fractional) of the given size all
// month (kairos_cost_monthly): 3 × (0.5 vCPU, 1 GiB) at the default prices is 54.75.
func MonthlyCost(m CostModel, cpuCores, memoryBytes, replicas float64) (float64, error) {
	const op = "MonthlyCost"
	cm, strs, err := m.c(op)
	defer freeAll(strs...)
	if err != nil {
		return 0, err
	}
	var out C.double
	var msg msgBuf
	st := C.kgo_cost_monthly(&cm, C.double(cpuCores), C.double(memoryBytes), C.double(replicas),
		&out, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return 0, err
	}
	return float64(out), nil
}

// CostRiskRow is one row of [CostRiskTable] (kairos_cost_risk_row).
type CostRiskRow struct {
	Level                   float64
	PeakReplicas            int
	ReplicaHours            float64
	Month                   float64
	DeltaMonth              float64 // Month − the previous row's Month
	MaxPShortfall           float64
	MeanPShortfall          float64
	ShortfallReplicaMinutes float64
}

// CostRiskTable re-plans the forecast at each level (nil = 0.5, 0.8, 0.9, 0.95, 0.99) and
// prices each plan, so users see what each extra nine costs. Every plan option applies
// except Quantile and Risk, which each row sets.
func CostRiskTable(fc *ForecastResult, levels []float64, plan PlanOptions, opts CostOptions) ([]CostRiskRow, error) {
	const op = "CostRiskTable"
	if fc == nil || len(fc.Mean) == 0 {
		return nil, invalid(op, "the forecast is empty")
	}
	co, err := plan.c(op)
	if err != nil {
		return nil, err
	}
	cm, strs, err := opts.Model.c(op)
	defer freeAll(strs...)
	if err != nil {
		return nil, err
	}
	fl, flat, err := flatten(op, fc)
	if err != nil {
		return nil, err
	}
	n := len(levels)
	if levels == nil {
		n = C.KAIROS_COST_RISK_DEFAULT_ROWS
	}
	if n == 0 {
		return nil, invalid(op, "no levels")
	}
	step := fc.Step
	if step <= 0 {
		step = DefaultStep
	}
	rows := make([]C.kairos_cost_risk_row, n)
	var msg msgBuf
	st := C.kgo_cost_risk_table(&rows[0], ptrOrNil(levels), C.size_t(n), C.size_t(len(fc.Mean)),
		C.int64_t(step), (*C.double)(unsafe.Pointer(&fc.Mean[0])), ptrOrNil(fl),
		C.size_t(len(fl)), ptrOrNil(flat), &co, &cm, C.double(opts.CPUCores),
		C.double(opts.MemoryBytes), msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return nil, err
	}
	out := make([]CostRiskRow, n)
	for i, r := range rows {
		out[i] = CostRiskRow{Level: float64(r.level), PeakReplicas: int(r.peak_replicas),
			ReplicaHours: float64(r.replica_hours), Month: float64(r.month),
			DeltaMonth: float64(r.delta_month), MaxPShortfall: float64(r.max_p_shortfall),
			MeanPShortfall:          float64(r.mean_p_shortfall),
			ShortfallReplicaMinutes: float64(r.shortfall_replica_minutes)}
	}
	return out, nil
}

// ParseQuantity reads a Kubernetes quantity ("500m" → 0.5, "512Mi" → 536870912).
// Errors: ErrParse, ErrRange.
func ParseQuantity(text string) (float64, error) {
	cs := C.CString(text)
	defer freeAll(cs)
	var out C.double
	var msg msgBuf
	if err := check(C.kgo_quantity_parse(cs, &out, msg.ptr()), "ParseQuantity", &msg); err != nil {
		return 0, err
	}
	return float64(out), nil
}

// FormatCPU writes cores as a Kubernetes quantity, rounded up to a millicore ("250m", "2").
func FormatCPU(cores float64) (string, error) { return formatQuantity(0, cores, "FormatCPU") }

// FormatMemory writes bytes as a Kubernetes quantity, rounded up to a Mi ("512Mi", "2Gi").
func FormatMemory(bytes float64) (string, error) { return formatQuantity(1, bytes, "FormatMemory") }

func formatQuantity(memory C.int, amount float64, op string) (string, error) {
	var buf [C.KAIROS_QUANTITY_SIZE]C.char
	var msg msgBuf
	st := C.kgo_quantity_format(memory, C.double(amount), &buf[0], C.size_t(len(buf)), msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return "", err
	}
	return C.GoString(&buf[0]), nil
}
