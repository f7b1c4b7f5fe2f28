package kairos_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kairos "github.com/libkairos/kairos-go"
)

// The ScaledObject of the binding is the one `kairos keda` writes for the same plan.
func TestScaledObjectYAMLEqualsCLI(t *testing.T) {
	m, err := kairos.Fit(loadSample(t, sample), kairos.FitOptions{Horizon: 24})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	opts := kairos.DefaultPlanOptions(100)
	opts.Risk, opts.MinReplicas, opts.MaxReplicas = 0.05, 2, 40
	opts.Stabilization = 15 * time.Minute
	plan, _, err := m.Plan(24, opts)
	if err != nil {
		t.Fatal(err)
	}
	common := []string{"keda", sample, "--horizon", "24", "--target-per-replica", "100", "--risk",
		"0.05", "--min", "2", "--max", "40", "--stabilization", "15m", "--name", "api",
		"--namespace", "shop"}
	for _, mode := range []struct {
		name string
		args []string
		set  func(*kairos.ScaledObjectOptions)
	}{
		{"external", []string{"--mode", "external", "--scaler-address", "kairos-scaler:9443"},
			func(o *kairos.ScaledObjectOptions) { o.ScalerAddress = "kairos-scaler:9443" }},
		{"cron", []string{"--mode", "cron", "--timezone", "+02:00"},
			func(o *kairos.ScaledObjectOptions) { o.Timezone = "+02:00" }},
	} {
		t.Run(mode.name, func(t *testing.T) {
			want := string(runCLI(t, append(common, mode.args...)...))
			modes := map[string]kairos.KedaMode{"external": kairos.ModeExternal, "cron": kairos.ModeCron}
			so := kairos.DefaultScaledObjectOptions("api", modes[mode.name])
			so.Namespace = "shop"
			so.TargetPerReplica, so.Headroom = 100, 1
			so.MinReplicas, so.MaxReplicas = 2, 40
			so.MaxUpFactor, so.MaxDownFraction, so.StabilizationSeconds = 2, 0.5, 900
			mode.set(&so)
			got, rep, err := kairos.ScaledObjectYAML(plan, so)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("binding:\n%s\nCLI:\n%s", got, want)
			}
			if rep.PeakReplicas != plan.Totals.PeakReplicas {
				t.Fatalf("report %+v", rep)
			}
			lint, err := kairos.Lint([]byte(got))
			if err != nil || lint.Errors != 0 {
				t.Fatalf("lint of the generated manifest: %+v %v", lint, err)
			}
		})
	}
}

func TestScaledObjectYAMLErrors(t *testing.T) {
	plan := &kairos.ReplicaPlan{Replicas: []int{1, 2}, Timestamps: []int64{0, 3600}, Step: 3600}
	_, _, err := kairos.ScaledObjectYAML(plan, kairos.DefaultScaledObjectOptions("Bad_Name", kairos.ModeCron))
	var kerr *kairos.Error
	if !errors.As(err, &kerr) || !errors.Is(err, kairos.ErrInvalid) || !strings.Contains(kerr.Message, "Bad_Name") {
		t.Fatalf("bad name: %v", err)
	}
	_, _, err = kairos.ScaledObjectYAML(plan, kairos.DefaultScaledObjectOptions("api", kairos.ModeExternal))
	if !errors.Is(err, kairos.ErrInvalid) {
		t.Fatalf("external without an address: %v", err)
	}
}

func TestLintEqualsCLI(t *testing.T) {
	bad := `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: api
spec:
  scaleTargetRef:
    name: api
  minReplicaCount: 5
  maxReplicaCount: 2
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      threshold: "100"
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      query: up
      threshold: "100"
`
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := kairos.Lint([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors == 0 || len(r.Findings) == 0 || r.Findings[0].Rule == "" || r.Findings[0].Message == "" {
		t.Fatalf("findings %+v", r)
	}
	// `kairos lint` heads each file's findings with its name
	cmd := strings.TrimPrefix(lintCLI(t, path), path+":\n")
	if strings.TrimSpace(cmd) != strings.TrimSpace(r.Text) {
		t.Fatalf("binding text:\n%s\nkairos lint:\n%s", r.Text, cmd)
	}
	if _, err := kairos.Lint([]byte("a: [1, 2\n")); !errors.Is(err, kairos.ErrParse) {
		t.Fatalf("not YAML: %v", err)
	}
}

// lintCLI runs `kairos lint` (exit 1 when it finds errors) and returns its stdout.
func lintCLI(t *testing.T, path string) string {
	t.Helper()
	out, _ := commandOutput(cli(t), "lint", path)
	return out
}
