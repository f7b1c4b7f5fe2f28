package kairos

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"math"
	"unsafe"
)

// KedaMode says how a ScaledObject carries the forecast to KEDA (kairos_keda_mode).
type KedaMode int

// Modes.
const (
	ModeCron       KedaMode = C.KAIROS_KEDA_MODE_CRON       // predictive cron windows
	ModeExternal   KedaMode = C.KAIROS_KEDA_MODE_EXTERNAL   // an external scaler (kairos-scaler)
	ModePrometheus KedaMode = C.KAIROS_KEDA_MODE_PROMETHEUS // reactive prometheus trigger
	ModeCPU        KedaMode = C.KAIROS_KEDA_MODE_CPU        // reactive cpu trigger
	ModeMemory     KedaMode = C.KAIROS_KEDA_MODE_MEMORY     // reactive memory trigger
)

// ScaledObjectOptions (kairos_keda_so_opts; see docs/keda.md). Start from
// [DefaultScaledObjectOptions]: -1 in an integer field leaves it out of the manifest.
type ScaledObjectOptions struct {
	Name, Namespace                               string
	Mode                                          KedaMode
	TargetKind, TargetAPIVersion, TargetName      string // "" = Deployment, apps/v1, Name
	PollingIntervalSeconds, CooldownPeriodSeconds int    // -1 = omit
	InitialCooldownPeriodSeconds                  int    // -1 = omit
	MinReplicas, MaxReplicas                      int    // MaxReplicas is raised to the plan's peak
	IdleReplicas                                  int    // -1 = omit
	FallbackReplicas, FallbackFailureThreshold    int    // -1 = no fallback
	MaxUpFactor, MaxDownFraction                  float64
	StabilizationSeconds, PolicyPeriodSeconds     int // -1 = omit; 0 = the plan's step
	MetricType                                    string
	AuthName                                      string
	AuthCluster                                   bool
	Timezone                                      string // cron mode
	MaxWindows                                    int    // cron mode; 0 = 24
	ScalerAddress                                 string // external mode: host:port
	ExternalPush                                  bool
	ExternalMetric                                string
	PrometheusServer, Query                       string  // prometheus mode
	Threshold, TargetPerReplica, Headroom         float64 // Threshold NaN or <= 0 = derived
	ActivationThreshold                           float64
	CPURequestCores, MemoryRequestBytes           float64
	ExtraMetadata                                 map[string]string // appended to the trigger metadata
	ScalingFormula, ScalingTarget                 string
}

// DefaultScaledObjectOptions is KAIROS_KEDA_SO_OPTS_INIT with a name and mode.
func DefaultScaledObjectOptions(name string, mode KedaMode) ScaledObjectOptions {
	return ScaledObjectOptions{Name: name, Mode: mode, PollingIntervalSeconds: -1,
		CooldownPeriodSeconds: -1, InitialCooldownPeriodSeconds: -1, MinReplicas: 1,
		MaxReplicas: 100, IdleReplicas: -1, FallbackReplicas: -1, FallbackFailureThreshold: 3,
		StabilizationSeconds: -1, Headroom: 1, Threshold: math.NaN(), ActivationThreshold: math.NaN()}
}

// KedaReport says what the generator decided (kairos_keda_report).
type KedaReport struct {
	Windows, WindowsUnmerged int
	ExtraReplicaHours        float64
	PeakReplicas             int
	MaxReplicas              int
	Threshold                float64
	Timezone                 string
}

// ScaledObjectYAML writes a KEDA ScaledObject for a plan (kairos_keda_scaled_object).
// Errors: ErrInvalid (bad name, missing scaler address or query, bad plan), ErrRange (a
// plan too long for yearly cron).
func ScaledObjectYAML(p *ReplicaPlan, opts ScaledObjectOptions) (string, *KedaReport, error) {
	const op = "ScaledObjectYAML"
	if p == nil || len(p.Replicas) == 0 {
		return "", nil, invalid(op, "the plan is empty")
	}
	var o C.kairos_keda_so_opts
	if st := C.kairos_keda_so_opts_init(&o, C.KAIROS_KEDA_SO_OPTS_VERSION); st != 0 {
		return "", nil, newError(Status(st), op, "")
	}
	var strs []*C.char
	str := func(s string) *C.char {
		c := cString(s, true)
		strs = append(strs, c)
		return c
	}
	defer func() { freeAll(strs...) }()
	o.name, o.ns, o.mode = str(opts.Name), str(opts.Namespace), C.kairos_keda_mode(opts.Mode)
	o.target_kind, o.target_api_version = str(opts.TargetKind), str(opts.TargetAPIVersion)
	o.target_name = str(opts.TargetName)
	o.polling_interval_s = C.int32_t(opts.PollingIntervalSeconds)
	o.cooldown_period_s = C.int32_t(opts.CooldownPeriodSeconds)
	o.initial_cooldown_period_s = C.int32_t(opts.InitialCooldownPeriodSeconds)
	o.min_replicas, o.max_replicas = C.int32_t(opts.MinReplicas), C.int32_t(opts.MaxReplicas)
	o.idle_replicas = C.int32_t(opts.IdleReplicas)
	o.fallback_replicas = C.int32_t(opts.FallbackReplicas)
	o.fallback_failure_threshold = C.int32_t(opts.FallbackFailureThreshold)
	o.max_up_factor, o.max_down_fraction = C.double(opts.MaxUpFactor), C.double(opts.MaxDownFraction)
	o.stabilization_s = C.int32_t(opts.StabilizationSeconds)
	o.policy_period_s = C.int32_t(opts.PolicyPeriodSeconds)
	o.metric_type, o.auth_name = str(opts.MetricType), str(opts.AuthName)
	o.auth_cluster = cBool(opts.AuthCluster)
	o.timezone, o.max_windows = str(opts.Timezone), C.size_t(max(opts.MaxWindows, 0))
	o.scaler_address, o.external_push = str(opts.ScalerAddress), cBool(opts.ExternalPush)
	o.external_metric = str(opts.ExternalMetric)
	o.prometheus_server, o.query = str(opts.PrometheusServer), str(opts.Query)
	o.threshold, o.target_per_replica = C.double(opts.Threshold), C.double(opts.TargetPerReplica)
	o.headroom, o.activation_threshold = C.double(opts.Headroom), C.double(opts.ActivationThreshold)
	o.cpu_request_cores = C.double(opts.CPURequestCores)
	o.memory_request_bytes = C.double(opts.MemoryRequestBytes)
	o.scaling_formula, o.scaling_target = str(opts.ScalingFormula), str(opts.ScalingTarget)
	// Extra metadata in sorted key order, so the same options give the same bytes.
	kv := make([]C.kairos_keda_kv, 0, len(opts.ExtraMetadata))
	for _, k := range sortedKeys(opts.ExtraMetadata) {
		kv = append(kv, C.kairos_keda_kv{key: str(k), value: str(opts.ExtraMetadata[k])})
	}
	var kvp *C.kairos_keda_kv
	if len(kv) > 0 {
		kvp = &kv[0]
	}
	reps := make([]C.size_t, len(p.Replicas))
	for i, r := range p.Replicas {
		reps[i] = C.size_t(max(r, 0))
	}
	step := p.Step
	if step <= 0 {
		step = DefaultStep
	}
	var times *C.int64_t
	if len(p.Timestamps) == len(p.Replicas) {
		times = (*C.int64_t)(unsafe.Pointer(&p.Timestamps[0]))
	}
	var buf C.kairos_buf
	defer C.kairos_buf_dispose(&buf)
	var rep C.kairos_keda_report
	var msg msgBuf
	st := C.kgo_keda_scaled_object(times, C.size_t(len(reps)), C.int64_t(step), &reps[0], &o,
		kvp, C.size_t(len(kv)), &buf, &rep, msg.ptr())
	if err := check(st, op, &msg); err != nil {
		return "", nil, err
	}
	return C.GoStringN(buf.data, C.int(buf.len)), &KedaReport{
		Windows: int(rep.n_windows), WindowsUnmerged: int(rep.n_windows_unmerged),
		ExtraReplicaHours: float64(rep.extra_replica_hours), PeakReplicas: int(rep.peak_replicas),
		MaxReplicas: int(rep.max_replicas), Threshold: float64(rep.threshold),
		Timezone: C.GoString(&rep.timezone[0]),
	}, nil
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Severity of a lint finding.
type Severity int

// Severities (kairos_keda_severity).
const (
	SeverityInfo    Severity = C.KAIROS_KEDA_INFO
	SeverityWarning Severity = C.KAIROS_KEDA_WARNING
	SeverityError   Severity = C.KAIROS_KEDA_ERROR
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	}
	return "error"
}

// Finding is one lint finding (kairos_keda_finding), copied into Go memory.
type Finding struct {
	Rule     string // stable rule id, e.g. "webhook-duplicate-trigger-name"
	Severity Severity
	Document int // 0-based YAML document
	Line     int // 1-based, 0 when unknown
	Kind     string
	Name     string
	Path     string // e.g. "spec.triggers[1].metadata.threshold"
	Message  string
	Hint     string
}

// LintReport is the result of [Lint]: the findings, the error count and the library's text
// and JSON renderings (the output of `kairos lint`).
type LintReport struct {
	Findings []Finding
	Errors   int
	Text     string
	JSON     string
}

// Lint checks KEDA manifests (ScaledObject, ScaledJob, TriggerAuthentication,
// ClusterTriggerAuthentication, HTTPScaledObject; several YAML documents allowed).
// Findings are not errors: err is non-nil only when the text cannot be linted.
// Errors: ErrParse (not YAML; the message has the line), ErrData (too deep or too large).
func Lint(yaml []byte) (*LintReport, error) {
	const op = "Lint"
	var p *C.char
	if len(yaml) > 0 {
		p = (*C.char)(unsafe.Pointer(&yaml[0]))
	}
	var lint *C.kairos_keda_lint
	var msg msgBuf
	if err := check(C.kgo_keda_lint_text(p, C.size_t(len(yaml)), &lint, msg.ptr()), op, &msg); err != nil {
		return nil, err
	}
	defer C.kairos_keda_lint_free(lint)
	n := int(C.kairos_keda_lint_count(lint))
	r := &LintReport{Findings: make([]Finding, n), Errors: int(C.kairos_keda_lint_errors(lint))}
	for i := range r.Findings {
		f := C.kairos_keda_lint_get(lint, C.size_t(i))
		r.Findings[i] = Finding{Rule: C.GoString(f.rule), Severity: Severity(f.severity),
			Document: int(f.document), Line: int(f.line), Kind: C.GoString(f.kind),
			Name: C.GoString(f.name), Path: C.GoString(f.path), Message: C.GoString(f.message),
			Hint: C.GoString(f.hint)}
	}
	for _, json := range []bool{false, true} {
		var buf C.kairos_buf
		st := C.kgo_keda_lint_format(lint, cBool(json), &buf, msg.ptr())
		s := C.GoStringN(buf.data, C.int(buf.len))
		C.kairos_buf_dispose(&buf)
		if err := check(st, op, &msg); err != nil {
			return nil, err
		}
		if json {
			r.JSON = s
		} else {
			r.Text = s
		}
	}
	return r, nil
}
