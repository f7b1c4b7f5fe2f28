package kairos_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	kairos "github.com/libkairos/kairos-go"
)

func TestCalibratedForecastEqualsCLI(t *testing.T) {
	var want struct {
		Forecast struct {
			Mean      []float64            `json:"mean"`
			Quantiles map[string][]float64 `json:"quantiles"`
		} `json:"forecast"`
	}
	if err := json.Unmarshal(runCLI(t, "forecast", sample, "--horizon", "24", "--calibrate",
		"--calibrate-windows", "4", "--format", "json"), &want); err != nil {
		t.Fatal(err)
	}
	m, err := kairos.Calibrate(loadSample(t, sample), kairos.FitOptions{Horizon: 24},
		kairos.BacktestOptions{Horizon: 24, Windows: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	fc, err := m.Forecast(24, 0.1, 0.5, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	sameFloats(t, "mean", fc.Mean, want.Forecast.Mean)
	sameFloats(t, "q0.1", fc.Quantile(0.1), want.Forecast.Quantiles["0.1"])
	sameFloats(t, "q0.9", fc.Quantile(0.9), want.Forecast.Quantiles["0.9"])
}

func TestBacktestEqualsCLI(t *testing.T) {
	var want, got any
	if err := json.Unmarshal(runCLI(t, "backtest", sample, "--horizon", "24", "--windows", "3",
		"--model", "snaive"), &want); err != nil {
		t.Fatal(err)
	}
	r, err := kairos.Backtest(loadSample(t, sample), kairos.FitOptions{Model: "snaive"},
		kairos.BacktestOptions{Horizon: 24, Windows: 3, Quantiles: []float64{0.1, 0.5, 0.9},
			Levels: []float64{80, 95}})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(r.JSON), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("binding:\n%s\nCLI differs", r.JSON)
	}
	if len(r.Windows) != 3 || r.Windows[2].Model != "snaive" || len(r.Windows[0].Actual) != 24 ||
		r.Overall.N != 72 || len(r.Pinball) != 3 || len(r.Coverage) != 2 {
		t.Fatalf("result %+v", r)
	}
	agg := want.(map[string]any)["aggregate"].(map[string]any)
	if agg["mae"].(float64) != r.Overall.MAE {
		t.Fatalf("overall MAE %v, CLI %v", r.Overall.MAE, agg["mae"])
	}
}

func TestBacktestTooShort(t *testing.T) {
	_, err := kairos.Backtest(&kairos.Series{Values: []float64{1, 2, 3, 4, 5}},
		kairos.FitOptions{Model: "naive"}, kairos.BacktestOptions{Horizon: 3, Windows: 5})
	var kerr *kairos.Error
	if !errors.As(err, &kerr) || !errors.Is(err, kairos.ErrData) || kerr.Message == "" {
		t.Fatalf("%v", err)
	}
}
