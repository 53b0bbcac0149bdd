// The CLI through the built program ($MEMSTRAT_GO_BINARY): the listing's
// shape, --check's fields, --run's line and the exit codes of bad input.
package cli

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"memstrat/workloads"
)

func binary(t *testing.T) string {
	b := os.Getenv("MEMSTRAT_GO_BINARY")
	if b == "" {
		t.Skip("MEMSTRAT_GO_BINARY is unset: set it to the built memstrat_go")
	}
	return b
}

func run(t *testing.T, args ...string) (string, string, int) {
	cmd := exec.Command(binary(t), args...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func TestListBenchmarks(t *testing.T) {
	out, _, code := run(t, "--list_benchmarks", "--size=all")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []map[string]interface{}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(list) != 2*len(workloads.Registry) {
		t.Errorf("%d benchmarks at --size=all, want %d", len(list), 2*len(workloads.Registry))
	}
	if len(list) > 0 {
		b := list[0]
		if b["name"] != "binary_trees/go/depth:10" || b["workload"] != "binary_trees" ||
			b["strategy"] != "go" {
			t.Errorf("first benchmark %v", b)
		}
		if p, ok := b["params"].(map[string]interface{}); !ok || p["depth"] != 10.0 {
			t.Errorf("first benchmark's params %v", b["params"])
		}
	}
}

func TestCheckAndRun(t *testing.T) {
	out, _, code := run(t, "--check")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var list []map[string]interface{}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != len(workloads.Registry) {
		t.Fatalf("--check: %d entries (%v)", len(list), err)
	}
	first := list[0]
	for _, k := range []string{"name", "workload", "strategy", "params", "checksum", "units", "objects"} {
		if _, ok := first[k]; !ok {
			t.Errorf("--check lacks %s", k)
		}
	}
	sum, _ := first["checksum"].(string)
	if len(sum) != 18 || !strings.HasPrefix(sum, "0x") {
		t.Errorf("checksum %q is not 0x%%016x", sum)
	}
	line, _, code := run(t, "--run", first["name"].(string))
	if code != 0 || !strings.HasPrefix(line, first["name"].(string)+" checksum="+sum+" ") {
		t.Errorf("--run: exit %d, %q", code, line)
	}
}

func TestBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"--check", "--size=huge"},
		{"--check", "--list_benchmarks"},
		{"--run", "nonesuch/go"},
		{"--check", "--bogus"},
		{"--run"},
	} {
		out, errOut, code := run(t, args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 2 || out != "" || len(lines) != 1 || !strings.HasPrefix(lines[0], "memstrat_go: error: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q: want exit 2 and one error line",
				args, code, out, errOut)
		}
	}
}
