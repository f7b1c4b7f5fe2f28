package scaler

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	pb "github.com/libkairos/kairos-go/externalscaler"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// NewService builds the service and its workload runners (not started).
func NewService(cfg *Config, log *slog.Logger) (*Service, error) {
	s := &Service{byName: map[string]*runner{}, now: time.Now, streamPoll: 30 * time.Second,
		done: make(chan struct{})}
	for i := range cfg.Workloads {
		r, err := newRunner(&cfg.Workloads[i], log, time.Now)
		if err != nil {
			return nil, err
		}
		s.runners = append(s.runners, r)
		s.byName[r.w.Name] = r
	}
	return s, nil
}

// Start runs every workload's background refresh until ctx ends; the returned function
// waits for them to stop.
func (s *Service) Start(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	for _, r := range s.runners {
		wg.Add(1)
		go func(r *runner) {
			defer wg.Done()
			r.run(ctx)
		}(r)
	}
	return wg.Wait
}

// Run serves the configuration until ctx ends: the refreshers, the gRPC External Scaler
// (with the standard gRPC health service) and the HTTP endpoints.
func Run(ctx context.Context, cfg *Config, log *slog.Logger) error {
	svc, err := NewService(cfg, log)
	if err != nil {
		return err
	}
	tlsConf, err := ServerTLS(cfg.TLS, log)
	if err != nil {
		return err
	}
	var opts []grpc.ServerOption
	if tlsConf != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(tlsConf)))
	}
	lis, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	gs := grpc.NewServer(opts...)
	pb.RegisterExternalScalerServer(gs, svc)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(gs, hs)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wait := svc.Start(ctx)
	errc := make(chan error, 2)
	go func() { errc <- gs.Serve(lis) }()
	log.Info("gRPC External Scaler listening", "addr", lis.Addr().String(), "tls",
		tlsConf != nil, "mtls", tlsConf != nil && tlsConf.ClientCAs != nil,
		"workloads", len(svc.runners))

	var hsrv *http.Server
	if cfg.HTTPListen != "off" {
		hl, err := net.Listen("tcp", cfg.HTTPListen)
		if err != nil {
			gs.Stop()
			return err
		}
		hsrv = &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- hsrv.Serve(hl) }()
		log.Info("HTTP /metrics /healthz /plans listening", "addr", hl.Addr().String())
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	cancel()
	hs.Shutdown()
	svc.Shutdown()
	stopped := make(chan struct{})
	go func() { gs.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		gs.Stop() // open streams (StreamIsActive) end here
	}
	if hsrv != nil {
		sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
		_ = hsrv.Shutdown(sctx)
		c()
	}
	wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}
