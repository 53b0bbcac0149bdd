// The program end to end: memstrat_go's timing and probe children on a real
// workload. The program is $MEMSTRAT_GO_BINARY (ctest sets it) or, without
// it, built here with the go that runs the tests. The probe is validated
// against the results schema by scripts/memstrat/schema.py (skipped, saying
// so, without python3).
package harness

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// TestMain removes the program this package built, if it built one.
func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

func program(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MEMSTRAT_GO_BINARY"); p != "" {
		return p
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "memstrat_go_test.")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "memstrat_go")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", built, "../cmd/memstrat_go")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOPROXY=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = &exitErr{string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("cannot build memstrat_go: %v", buildErr)
	}
	return built
}

type exitErr struct{ s string }

func (e *exitErr) Error() string { return e.s }

// runProgram runs the program; its exit code, stdout and stderr.
func runProgram(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(program(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func repoRoot() string { return filepath.Join("..", "..", "..", "..") }

// validate runs scripts/memstrat/schema.py on doc against $defs/<def>.
func validate(t *testing.T, doc []byte, def string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the schema check is skipped (apt-get install python3)")
	}
	f := filepath.Join(t.TempDir(), "doc.json")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import json, sys
sys.path.insert(0, sys.argv[1] + "/scripts")
from memstrat import schema
root = json.load(open(sys.argv[1] + "/results/schema/results-v3.schema.json"))
schema.validate(json.load(open(sys.argv[2])), {"$ref": "#/$defs/" + sys.argv[3], "$defs": root["$defs"]})
`
	cmd := exec.Command(py, "-c", script, repoRoot(), f, def)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the %s does not match the results schema: %s", def, out)
	}
}

func TestProbeMatchesTheSchemaAndItsPausesAreInTheWindow(t *testing.T) {
	out := filepath.Join(t.TempDir(), "probe.json")
	// depth 10: about 0.5 MB a run, so a 4 MB heap goal collects every few runs.
	code, stdout, stderr := runProgram(t, "--size=small", "--probe=binary_trees/go/depth:10",
		"--probe_iterations=40", "--sample_period_ms=5", "--probe_out="+out)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Name  string
		Probe map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var probe struct {
		WallNs int64 `json:"wall_ns"`
		Pauses struct {
			Kinds  map[string]struct{ Count int64 }
			Events []struct {
				Kind       string
				StartNs    int64 `json:"start_ns"`
				DurationNs int64 `json:"duration_ns"`
			}
		}
		GC struct {
			Collections int64
			Calibration map[string]int64
		}
		Counts map[string]float64
	}
	raw, _ := json.Marshal(doc.Probe)
	if err := json.Unmarshal(raw, &probe); err != nil {
		t.Fatal(err)
	}
	// A cycle is the window's when its start is; its mark termination may
	// fall after the window's end (or, for one that started before, in it).
	if d := probe.Pauses.Kinds["mark_termination"].Count - probe.GC.Collections; probe.GC.Collections == 0 ||
		probe.Pauses.Kinds["sweep_termination"].Count != probe.GC.Collections || d < -1 || d > 1 {
		t.Errorf("collections %d, pause kinds %v", probe.GC.Collections, probe.Pauses.Kinds)
	}
	for _, e := range probe.Pauses.Events {
		if e.StartNs < 0 || e.StartNs >= probe.WallNs {
			t.Errorf("event %+v outside the window [0, %d)", e, probe.WallNs)
		}
	}
	if probe.Counts["allocations_per_iteration"] < probe.Counts["objects_per_iteration"]*0.9 {
		t.Errorf("the runtime counted fewer allocations than the workload's objects: %v", probe.Counts)
	}
	// The forced cycle before the warm-up, placed from gctrace and PauseEnd,
	// lies inside the runtime.GC() call that made it.
	cal := probe.GC.Calibration
	if _, ok := cal["forced_start_after_call_ns"]; !ok || cal["forced_start_after_call_ns"] < 0 ||
		cal["forced_end_after_call_ns"] > cal["forced_call_ns"] ||
		cal["forced_end_after_call_ns"] < cal["forced_start_after_call_ns"] {
		t.Errorf("the forced cycle is not inside its call: %v", cal)
	}
	validate(t, raw, "probe")
}

func TestTimingEntries(t *testing.T) {
	code, stdout, stderr := runProgram(t, "--size=small", `--benchmark_filter=^binary_trees/go/depth:10$`,
		"--benchmark_repetitions=2", "--benchmark_min_time=0.05", "--go_gogc=50", "--go_maxprocs=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Context    map[string]interface{}
		Benchmarks []map[string]interface{}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Benchmarks) != 2 {
		t.Fatalf("%d entries", len(doc.Benchmarks))
	}
	for _, e := range doc.Benchmarks {
		for _, k := range []string{"checksum", "units", "objects", "buffers", "allocations", "bytes_requested",
			"frees", "first_iteration_ns", "warmup_iterations", "warmup_ns", "steady", "process_cpu_ns",
			"gc_cpu_ns", "gc_stop_world_time", "gc_collections", "process_cpu_time"} {
			if _, ok := e[k].(float64); !ok {
				t.Errorf("counter %s: %v", k, e[k])
			}
		}
		if _, ok := e["heap_max_bytes"]; ok {
			t.Error("heap_max_bytes without a limit")
		}
		raw, _ := json.Marshal(e)
		validate(t, raw, "gbench_entry")
	}
	env := doc.Context["go"].(map[string]interface{})["env"].([]interface{})
	if len(env) != 3 || env[0] != "GOGC=50" || env[1] != "GOMAXPROCS=1" {
		t.Errorf("env %v", env)
	}
}

func TestATinyMemoryLimitFailsInOneLine(t *testing.T) {
	code, stdout, stderr := runProgram(t, "--size=small", "--probe=binary_trees/go/depth:10",
		"--probe_iterations=2", "--go_memory_limit_mib=2")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 1 || len(lines) != 1 || stdout != "" ||
		!strings.HasPrefix(lines[0], "memstrat_go: error: out of memory (binary_trees/go/depth:10: Go's memory reached ") ||
		!strings.Contains(lines[0], " MiB over GOMEMLIMIT=2 MiB with GOGC=off: ") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runProgram(t, "--size=small", `--benchmark_filter=^binary_trees/go/depth:10$`,
		"--go_memory_limit_mib=2")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "out of memory") {
		t.Errorf("timing: exit %d, stderr %q", code, stderr)
	}
	// A roomy limit completes, and says so in its counters.
	code, stdout, stderr = runProgram(t, "--size=small", `--benchmark_filter=^binary_trees/go/depth:10$`,
		"--benchmark_min_time=0.05", "--go_memory_limit_mib=256")
	if code != 0 || !strings.Contains(stdout, `"heap_max_bytes": 268435456`) {
		t.Errorf("at 256 MiB: exit %d, %s", code, stderr)
	}
}

func TestProgramFlagErrors(t *testing.T) {
	for _, args := range [][]string{{"--go_gogc=0", "--probe=binary_trees/go/depth:10"}, {"--bogus"},
		{"--probe=binary_trees/go/depth:99"}} {
		code, stdout, stderr := runProgram(t, args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "memstrat_go: error: ") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
	code, stdout, _ := runProgram(t, "--list_strategies")
	if code != 0 {
		t.Fatal("--list_strategies failed")
	}
	validate(t, []byte(strings.TrimSpace(stdout))[1:len(strings.TrimSpace(stdout))-1], "strategy_declaration")
}
