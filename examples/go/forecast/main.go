// Command forecast is the smallest useful libkairos program in Go: read a metric history
// from CSV, forecast it with quantiles, plan replicas and price the plan.
//
//	go run ./forecast ../data/web-requests.csv
package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	kairos "github.com/libkairos/kairos-go"
)

func main() {
	path := "../data/web-requests.csv"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := run(path); err != nil {
		// Every library failure is a *kairos.Error with the C status and its detail.
		var kerr *kairos.Error
		if errors.As(err, &kerr) && errors.Is(err, kairos.ErrParse) {
			fmt.Fprintf(os.Stderr, "forecast: %s is not valid CSV: %s\n", path, kerr.Message)
		} else {
			fmt.Fprintf(os.Stderr, "forecast: %v\n", err)
		}
		os.Exit(1)
	}
}

func run(path string) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	raw, err := kairos.ParseCSV(text, kairos.CSVOptions{})
	if err != nil {
		return err
	}
	// Put the history on a regular step, as `kairos forecast` does.
	history, _, err := kairos.Regularize(raw, kairos.RegularizeOptions{})
	if err != nil {
		return err
	}
	model, err := kairos.Fit(history, kairos.FitOptions{Horizon: 24})
	if err != nil {
		return err
	}
	defer model.Close() // the model lives in C memory: release it when done

	fc, err := model.Forecast(6, 0.1, 0.5, 0.9)
	if err != nil {
		return err
	}
	fmt.Printf("model %s (period %d)\n", fc.Model.Name, fc.Model.Period)
	fmt.Println("time                  mean      q0.1      q0.9")
	for i, m := range fc.Mean {
		at := time.Unix(fc.Timestamps[i], 0).UTC().Format(time.RFC3339)
		fmt.Printf("%s  %8.1f  %8.1f  %8.1f\n", at, m, fc.Quantile(0.1)[i], fc.Quantile(0.9)[i])
	}

	opts := kairos.DefaultPlanOptions(100) // 100 requests/s per replica
	opts.Risk = 0.05
	opts.LeadTime = time.Hour
	plan, _, err := model.Plan(24, opts)
	if err != nil {
		return err
	}
	cost, err := kairos.Cost(plan, kairos.CostOptions{Model: kairos.DefaultCostModel(),
		CPUCores: 0.5, MemoryBytes: 1 << 30, CurrentReplicas: 4})
	if err != nil {
		return err
	}
	fmt.Printf("plan: %v\n", plan.Replicas)
	fmt.Printf("peak %d replicas; %.2f %s/month (%+.2f vs the 4 running now)\n",
		plan.Totals.PeakReplicas, cost.PlanMonth, cost.Currency, cost.DeltaVsCurrent)
	return nil
}
