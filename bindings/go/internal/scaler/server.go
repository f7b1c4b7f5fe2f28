package scaler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pb "github.com/libkairos/kairos-go/externalscaler"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// MetadataWorkload is the ScaledObject trigger metadata key naming the workload.
const MetadataWorkload = "workload"

// Service implements KEDA's External Scaler gRPC service over the workloads' plans.
// The metric reported is the planned replicas with a target of 1 per replica, so the HPA
// KEDA drives (AverageValue: desired = ceil(value / target)) converges on the plan.
type Service struct {
	pb.UnimplementedExternalScalerServer
	runners []*runner
	byName  map[string]*runner
	now     func() time.Time
	calls   [numMethods]atomic.Int64
	fails   [numMethods]atomic.Int64
	// streamPoll bounds how long a stream waits before re-checking the clock (the plan
	// step in force changes with time, not only on refresh).
	streamPoll time.Duration
	// done is closed at shutdown so open streams end.
	done     chan struct{}
	doneOnce sync.Once
}

// Shutdown ends the open streams.
func (s *Service) Shutdown() { s.doneOnce.Do(func() { close(s.done) }) }

const (
	mIsActive = iota
	mStreamIsActive
	mGetMetricSpec
	mGetMetrics
	mStreamMetricSpec
	numMethods
)

var methodNames = [numMethods]string{"IsActive", "StreamIsActive", "GetMetricSpec",
	"GetMetrics", "StreamMetricSpec"}

// MetricName is the metric a workload's ScaledObject reports: "kairos-<workload>".
func MetricName(workload string) string {
	return "kairos-" + strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(workload))
}

// find maps a ScaledObjectRef to a workload: the trigger metadata "workload" when given
// (a workload name, or "namespace/name" as `kairos keda --mode external` writes it), else
// the metadata "metric", else the ScaledObject's name. A workload configured with a
// namespace only matches ScaledObjects of that namespace.
func (s *Service) find(ref *pb.ScaledObjectRef) (*runner, error) {
	if ref == nil {
		return nil, status.Error(codes.InvalidArgument, "no ScaledObjectRef")
	}
	md := ref.GetScalerMetadata()
	name, ns := md[MetadataWorkload], ref.GetNamespace()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		ns, name = name[:i], name[i+1:]
	}
	if name == "" {
		name = md["metric"]
	}
	if name == "" {
		name = ref.GetName()
	}
	r, ok := s.byName[name]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "no workload %q is configured (set trigger "+
			"metadata %q to one of the workloads of the scaler's config)", name, MetadataWorkload)
	}
	if r.w.Namespace != "" && ns != "" && ns != r.w.Namespace {
		return nil, status.Errorf(codes.PermissionDenied, "workload %q belongs to namespace %q, "+
			"not %q", name, r.w.Namespace, ns)
	}
	return r, nil
}

func (s *Service) desired(m int, ref *pb.ScaledObjectRef) (*runner, Desired, error) {
	s.calls[m].Add(1)
	r, err := s.find(ref)
	if err != nil {
		s.fails[m].Add(1)
		return nil, Desired{}, err
	}
	d, err := r.desired(s.now())
	if err != nil {
		s.fails[m].Add(1)
		if errors.Is(err, ErrNoPlan) {
			return r, d, status.Error(codes.Unavailable, err.Error())
		}
		return r, d, status.Error(codes.Internal, err.Error())
	}
	return r, d, nil
}

// IsActive: the plan asks for at least one replica at now + lead time.
func (s *Service) IsActive(_ context.Context, ref *pb.ScaledObjectRef) (*pb.IsActiveResponse, error) {
	_, d, err := s.desired(mIsActive, ref)
	if err != nil {
		return nil, err
	}
	return &pb.IsActiveResponse{Result: d.Replicas > 0}, nil
}

// StreamIsActive sends the current state at once, then again whenever the planned replicas
// for now + lead time change (a new plan, or time moving into another plan step), so KEDA
// scales without waiting for its polling interval.
func (s *Service) StreamIsActive(ref *pb.ScaledObjectRef, stream pb.ExternalScaler_StreamIsActiveServer) error {
	r, d, err := s.desired(mStreamIsActive, ref)
	if err != nil {
		return err
	}
	last := -1
	ctx := stream.Context()
	for {
		if d.Replicas != last {
			if err := stream.Send(&pb.IsActiveResponse{Result: d.Replicas > 0}); err != nil {
				return err
			}
			last = d.Replicas
		}
		changed := r.snapshot().changed
		timer := time.NewTimer(s.untilNextStep(d))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-s.done:
			timer.Stop()
			return status.Error(codes.Unavailable, "the scaler is shutting down")
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
		nd, err := r.desired(s.now())
		if err != nil {
			return status.Error(codes.Unavailable, err.Error())
		}
		d = nd
	}
}

// untilNextStep is how long until the plan step in force may change (at most streamPoll,
// so a stream also notices a plan growing stale).
func (s *Service) untilNextStep(d Desired) time.Duration {
	wait := s.streamPoll
	if !d.NextChange.IsZero() {
		if w := time.Until(d.NextChange); w < wait {
			wait = w
		}
	}
	return max(wait, 10*time.Millisecond)
}

// GetMetricSpec: one metric per workload with target 1 (targetSize and targetSizeFloat).
func (s *Service) GetMetricSpec(_ context.Context, ref *pb.ScaledObjectRef) (*pb.GetMetricSpecResponse, error) {
	s.calls[mGetMetricSpec].Add(1)
	r, err := s.find(ref)
	if err != nil {
		s.fails[mGetMetricSpec].Add(1)
		return nil, err
	}
	return specFor(r), nil
}

func specFor(r *runner) *pb.GetMetricSpecResponse {
	return &pb.GetMetricSpecResponse{MetricSpecs: []*pb.MetricSpec{{
		MetricName: MetricName(r.w.Name), TargetSize: 1, TargetSizeFloat: 1}}}
}

// StreamMetricSpec sends the (constant) spec once and keeps the stream open.
func (s *Service) StreamMetricSpec(ref *pb.ScaledObjectRef, stream pb.ExternalScaler_StreamMetricSpecServer) error {
	s.calls[mStreamMetricSpec].Add(1)
	r, err := s.find(ref)
	if err != nil {
		s.fails[mStreamMetricSpec].Add(1)
		return err
	}
	if err := stream.Send(specFor(r)); err != nil {
		return err
	}
	select {
	case <-stream.Context().Done():
		return nil
	case <-s.done:
		return status.Error(codes.Unavailable, "the scaler is shutting down")
	}
}

// GetMetrics: the planned replicas for now + lead time (metricValue and metricValueFloat).
func (s *Service) GetMetrics(_ context.Context, req *pb.GetMetricsRequest) (*pb.GetMetricsResponse, error) {
	r, d, err := s.desired(mGetMetrics, req.GetScaledObjectRef())
	if err != nil {
		return nil, err
	}
	name := req.GetMetricName()
	if name == "" {
		name = MetricName(r.w.Name)
	}
	return &pb.GetMetricsResponse{MetricValues: []*pb.MetricValue{{
		MetricName: name, MetricValue: int64(d.Replicas), MetricValueFloat: float64(d.Replicas)}}}, nil
}

func (s *Service) String() string { return fmt.Sprintf("kairos scaler (%d workloads)", len(s.runners)) }
