// Command kairos-scaler is a KEDA External Scaler that serves predictive replica plans:
// for each workload of its configuration it fetches the metric history from Prometheus
// (/api/v1/query_range), forecasts it and plans replicas with libkairos, refreshes in the
// background, and reports the planned replicas for now + lead time to KEDA over gRPC.
//
// Usage:
//
//	kairos-scaler -config scaler.yaml [-log-level debug|info|warn|error] [-check]
//
// See docs/scaler.md for the configuration, the metrics and TLS.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	kairos "github.com/libkairos/kairos-go"
	"github.com/libkairos/kairos-go/internal/scaler"
)

func main() {
	config := flag.String("config", "", "configuration file (YAML, required)")
	level := flag.String("log-level", "info", "debug, info, warn or error")
	checkOnly := flag.Bool("check", false, "check the configuration and exit")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Printf("kairos-scaler (libkairos %s)\n", kairos.Version())
		return
	}
	if *config == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: kairos-scaler -config FILE [-log-level LEVEL] [-check]")
		os.Exit(2)
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "kairos-scaler: -log-level: %v\n", err)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))
	cfg, err := scaler.LoadConfig(*config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kairos-scaler: %v\n", err)
		os.Exit(2)
	}
	if *checkOnly {
		fmt.Printf("%s: %d workloads, ok\n", *config, len(cfg.Workloads))
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := scaler.Run(ctx, cfg, log); err != nil {
		fmt.Fprintf(os.Stderr, "kairos-scaler: %v\n", err)
		os.Exit(1)
	}
}
