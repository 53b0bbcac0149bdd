// memstrat_go's harness: --list_strategies, timing and probes (the port
// protocol, docs/extending.md "Adding a language", as the Java port runs
// them). Listing is done here; every timing or probe runs in a child
// process, this program re-executed (child.go) with the run's GOGC,
// GOMEMLIMIT, GOMAXPROCS and GODEBUG=gctrace=1; its stderr (the gctrace
// lines) is kept in a temporary directory, cut to the measured runs' window
// and turned into the protocol's JSON here.
//
// Exit codes: 0 done, 1 a run failed (over the memory limit, a runtime
// fatal error, a panic, a crash), 2 bad flags. 4 (not applicable) is never
// returned: Go's runtime refuses no setting these flags make. Errors are one
// line on stderr; the child's trace never reaches the user.
package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"memstrat/harness/gctrace"
	"memstrat/harness/histogram"
	"memstrat/workloads"
)

// Main runs the harness's actions and returns the exit code.
func Main(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			// A bug of the harness: still one line, never a trace.
			fmt.Fprintf(os.Stderr, "%s: error: internal: %v\n", Prog, r)
			code = 1
		}
	}()
	err := run(args)
	if err == nil {
		return 0
	}
	var e *exit
	if errors.As(err, &e) {
		if e.code == 0 {
			fmt.Println(e.line)
		} else {
			fmt.Fprintln(os.Stderr, e.line)
		}
		return e.code
	}
	fmt.Fprintf(os.Stderr, "%s: error: %v\n", Prog, err)
	return 1
}

func run(args []string) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	if o.child != "" {
		code := childMain(o)
		if code == 0 {
			return nil
		}
		os.Exit(code)
	}
	switch {
	case o.listStrategies:
		return printJSON(os.Stdout, declarations())
	case o.filterSet:
		return timing(o)
	default:
		return probe(o)
	}
}

func printJSON(f *os.File, v interface{}) error {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return failuref("internal: %v", err)
	}
	_, err = fmt.Fprintf(f, "%s\n", out)
	return err
}

func findBench(name, size string) (workloads.Bench, error) {
	b, ok, err := workloads.FindBench(name, size, Names)
	if err != nil {
		return b, usagef("%v", err)
	}
	if !ok {
		return b, usagef("no benchmark %s at --size=%s (see --list_benchmarks)", name, size)
	}
	return b, nil
}

// childRun is a finished child: its figures and its collections.
type childRun struct {
	dir    string
	res    childResult
	cycles []gctrace.Cycle
}

// firstLine is the first line of text starting with prefix, or "".
func firstLine(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// explain turns a child that died without its own error line into one line
// (from the runtime's message on stderr; never its trace).
func explain(what string, o options, status error, stderr string) *exit {
	under := settingsWords(o)
	if l := firstLine(stderr, "fatal error: "); l != "" {
		if strings.Contains(l, "out of memory") {
			return failuref("%s: out of memory (the runtime could not get memory from the OS: %s, %s)",
				what, l, under)
		}
		return failuref("%s: the Go runtime failed (%s, %s)", what, l, under)
	}
	if l := firstLine(stderr, "panic: "); l != "" {
		return failuref("%s: a goroutine panicked (%s, %s)", what, strings.TrimPrefix(l, "panic: "), under)
	}
	cause := status.Error()
	var ee *exec.ExitError
	if errors.As(status, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			cause = "killed by signal " + ws.Signal().String()
		}
	}
	last := ""
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if _, ok := gctrace.ParseLine(l); ok || l == "" || strings.HasPrefix(l, "goroutine ") ||
			strings.HasPrefix(l, "/") || strings.HasSuffix(l, ")") && strings.Contains(l, "(") {
			continue
		}
		last = l
	}
	if last != "" {
		cause += ": " + last
	}
	return failuref("%s: the child process failed (%s, %s)", what, cause, under)
}

func runChild(o options, what string, args []string) (*childRun, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, failuref("cannot find this program to run it again (%v)", err)
	}
	dir, err := os.MkdirTemp("", "memstrat_go.")
	if err != nil {
		return nil, failuref("cannot make a temporary directory (%v)", err)
	}
	errFile, err := os.Create(filepath.Join(dir, "stderr.txt"))
	if err == nil {
		defer errFile.Close()
	}
	outFile, err2 := os.Create(filepath.Join(dir, "stdout.txt"))
	if err != nil || err2 != nil {
		os.RemoveAll(dir)
		return nil, failuref("cannot write in %s", dir)
	}
	defer outFile.Close()
	cmd := exec.Command(exe, append([]string{"--go_child=" + dir}, args...)...)
	cmd.Dir = dir
	cmd.Env = childEnv(o, os.Environ())
	cmd.Stdout, cmd.Stderr = outFile, errFile
	// A parent killed on a timeout takes its child with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	status := cmd.Run()
	stderr := readText(filepath.Join(dir, "stderr.txt"))
	if status == nil {
		r := &childRun{dir: dir, cycles: gctrace.Parse(stderr)}
		b, err := os.ReadFile(filepath.Join(dir, "result.json"))
		if err == nil {
			err = json.Unmarshal(b, &r.res)
		}
		os.RemoveAll(dir)
		if err != nil {
			return nil, failuref("%s: the child's result is unreadable (%v)", what, err)
		}
		if o.memLimitMiB > 0 {
			live := map[int64]int64{}
			for _, c := range r.cycles {
				live[c.N] = c.LiveMB * mib
			}
			most, l, nh, over := overLimit(live, r.res.NonHeap, o.memLimitMiB*mib)
			if over {
				return nil, failuref("out of memory (%s: Go's memory reached %.1f MiB over GOMEMLIMIT=%d MiB with"+
					" GOGC=off: a collection's live heap, %d MiB, plus the runtime's non-heap memory, %.1f MiB)",
					what, float64(most)/float64(mib), o.memLimitMiB, l/mib, float64(nh)/float64(mib))
			}
		}
		return r, nil
	}
	defer os.RemoveAll(dir)
	if line := strings.TrimSpace(readText(filepath.Join(dir, "error.txt"))); line != "" {
		return nil, failuref("%s", line)
	}
	var ee *exec.ExitError
	if !errors.As(status, &ee) {
		return nil, failuref("cannot run %s (%v)", exe, status)
	}
	return nil, explain(what, o, status, stderr)
}

// window is the cycles whose pauses start in [from, to) on the program's
// clock, and their events.
type window struct {
	cycles []gctrace.Cycle
	events []gctrace.Event
}

func cut(cycles []gctrace.Cycle, initNs int64, ends map[int64]int64, from, to int64) window {
	var w window
	for _, c := range cycles {
		ev := gctrace.Events(c, initNs, ends[c.N])
		if s := ev[0].StartNs; s >= from && s < to {
			w.cycles = append(w.cycles, c)
		}
		for _, e := range ev {
			if e.StartNs >= from && e.StartNs < to {
				w.events = append(w.events, e)
			}
		}
	}
	sort.SliceStable(w.events, func(i, j int) bool { return w.events[i].StartNs < w.events[j].StartNs })
	return w
}

func (w window) stopWorldNs() int64 {
	var s int64
	for _, e := range w.events {
		if e.Kind != gctrace.MarkAssist {
			s += e.DurationNs
		}
	}
	return s
}

func (w window) cpuNs() int64 {
	var s int64
	for _, c := range w.cycles {
		s += c.CPUNs()
	}
	return s
}

func (w window) assistNs() int64 {
	var s int64
	for _, c := range w.cycles {
		s += c.AssistCPUNs
	}
	return s
}

// Pause events this long or longer are also listed raw (as the C++ and Java).
const rawThresholdNs = 10000
const rawCapacity = 1 << 16

func (w window) pausesJSON(from int64) map[string]interface{} {
	kinds := map[string]*histogram.Histogram{
		gctrace.SweepTermination: histogram.New(), gctrace.MarkTermination: histogram.New(),
		gctrace.MarkAssist: histogram.New(),
	}
	raw := []interface{}{}
	var overflow int64
	for _, e := range w.events {
		kinds[e.Kind].Record(e.DurationNs)
		if e.DurationNs >= rawThresholdNs {
			if len(raw) < rawCapacity {
				raw = append(raw, map[string]interface{}{"kind": e.Kind, "start_ns": e.StartNs - from,
					"duration_ns": e.DurationNs})
			} else {
				overflow++
			}
		}
	}
	summaries := map[string]interface{}{}
	for k, h := range kinds {
		summaries[k] = h.Summary()
	}
	return map[string]interface{}{"kinds": summaries, "events": raw,
		"events_threshold_ns": int64(rawThresholdNs), "events_overflow": overflow}
}

// childArgs are the flags the child needs (it parses them as the parent).
func childArgs(o options) []string {
	a := []string{"--size=" + o.size}
	if o.filterSet {
		a = append(a, "--benchmark_filter="+o.filter, fmt.Sprintf("--benchmark_repetitions=%d", o.repetitions),
			fmt.Sprintf("--benchmark_min_time=%g", o.minTime))
	} else {
		a = append(a, "--probe="+o.probe, fmt.Sprintf("--probe_iterations=%d", o.probeIterations),
			fmt.Sprintf("--sample_period_ms=%d", o.samplePeriodMs))
	}
	a = append(a, fmt.Sprintf("--benchmark_min_warmup_time=%g", o.minWarmupTime))
	if o.gogc > 0 {
		a = append(a, fmt.Sprintf("--go_gogc=%d", o.gogc))
	}
	if o.memLimitMiB > 0 {
		a = append(a, fmt.Sprintf("--go_memory_limit_mib=%d", o.memLimitMiB))
	}
	if o.maxprocs > 0 {
		a = append(a, fmt.Sprintf("--go_maxprocs=%d", o.maxprocs))
	}
	return a
}

func goEnvWords(o options) []string {
	return childEnv(o, nil)
}

// calibration says where the child's forced cycle was placed (its
// sweep_termination and the end of its mark_termination) against the bounds
// of the runtime.GC() call on the child's clock: both inside the call when
// the clocks agree.
func calibration(r *childRun) map[string]interface{} {
	out := map[string]interface{}{"runtime_init_ns": r.res.InitNs, "at_resolution_ns": int64(gctrace.AtResolutionNs),
		"exact_ends": len(r.res.PauseEnds)}
	for _, c := range r.cycles {
		if !c.Forced {
			continue
		}
		ev := gctrace.Events(c, r.res.InitNs, r.res.PauseEnds[c.N])
		if s := ev[0].StartNs; s >= r.res.CalStartNs-gctrace.AtResolutionNs && s <= r.res.CalEndNs {
			out["forced_call_ns"] = r.res.CalEndNs - r.res.CalStartNs
			out["forced_start_after_call_ns"] = s - r.res.CalStartNs
			out["forced_end_after_call_ns"] = ev[1].StartNs + ev[1].DurationNs - r.res.CalStartNs
			break
		}
	}
	return out
}

func timing(o options) error {
	name, err := exactName(o.filter)
	if err != nil {
		return err
	}
	if _, err := findBench(name, o.size); err != nil {
		return err
	}
	r, err := runChild(o, name, childArgs(o))
	if err != nil {
		return err
	}
	var entries []interface{}
	for i, p := range r.res.Repetitions {
		n := float64(p.Iterations)
		w := cut(r.cycles, r.res.InitNs, r.res.PauseEnds, p.StartNs, p.EndNs)
		e := map[string]interface{}{
			"name":                      name,
			"family_index":              0,
			"per_family_instance_index": 0,
			"run_name":                  name,
			"run_type":                  "iteration",
			"repetitions":               o.repetitions,
			"repetition_index":          i,
			"threads":                   1,
			"iterations":                p.Iterations,
			"real_time":                 float64(p.EndNs-p.StartNs) / 1e6 / n,
			"cpu_time":                  float64(p.ProcessCPUNs) / 1e6 / n,
			"time_unit":                 "ms",
			// The C++ keeps the low 53 bits: a double holds them exactly.
			"checksum":           float64(p.Checksum & (1<<53 - 1)),
			"units":              float64(p.Units),
			"objects":            float64(p.Objects) / n,
			"buffers":            float64(p.Buffers) / n,
			"allocations":        float64(p.Allocs) / n,
			"bytes_requested":    float64(p.Bytes) / n,
			"frees":              float64(p.Frees) / n,
			"first_iteration_ns": float64(r.res.Warmup.FirstNs),
			"warmup_iterations":  float64(r.res.Warmup.Iterations),
			"warmup_ns":          float64(r.res.Warmup.Ns),
			"steady":             float64(r.res.Warmup.Steady),
			"process_cpu_ns":     float64(p.ProcessCPUNs) / n,
			"gc_cpu_ns":          float64(w.cpuNs()) / n,
			"gc_assist_cpu_ns":   float64(w.assistNs()) / n,
			"process_cpu_time":   float64(p.ProcessCPUNs) / 1e9 / n,
			"gc_stop_world_time": float64(w.stopWorldNs()) / 1e9 / n,
			"gc_collections":     float64(len(w.cycles)) / n,
		}
		if r.res.LimitBytes > 0 {
			e["heap_max_bytes"] = float64(r.res.LimitBytes)
		}
		entries = append(entries, e)
	}
	doc := map[string]interface{}{"context": context(o, r), "benchmarks": entries}
	text, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return failuref("internal: %v", err)
	}
	text = append(text, '\n')
	if o.benchmarkOut == "" {
		_, err = os.Stdout.Write(text)
		return err
	}
	if err := writeOut(o.benchmarkOut, text, "--benchmark_out"); err != nil {
		return err
	}
	fmt.Printf("%s: written to %s\n", name, o.benchmarkOut)
	return nil
}

func context(o options, r *childRun) map[string]interface{} {
	return map[string]interface{}{
		"executable":     Prog,
		"num_cpus":       runtime.NumCPU(),
		"memstrat_port":  "go",
		"memstrat_sizes": o.size,
		"memstrat_time": "compare real_time (wall clock); cpu_time is the whole process's CPU per" +
			" iteration (the collector's workers included)",
		"memstrat_warmup": "steady rule: the median of the last W runs within 5% of the W before," +
			" W = clamp(100 ms / run, 3, 1000), after --benchmark_min_warmup_time; capped at" +
			" min_warmup + clamp(30 x first run, 1 s, 10 s)",
		"go": map[string]interface{}{"version": runtime.Version(), "env": goEnvWords(o),
			"gomaxprocs": r.res.GOMAXPROCS},
	}
}

func writeOut(path string, text []byte, flag string) error {
	tmp := fmt.Sprintf("%s.tmp.%d", path, os.Getpid())
	if err := os.WriteFile(tmp, text, 0o644); err != nil {
		os.Remove(tmp)
		return failuref("cannot write %s=%s (%v)", flag, path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return failuref("cannot write %s=%s (%v)", flag, path, err)
	}
	return nil
}

func probe(o options) error {
	b, err := findBench(o.probe, o.size)
	if err != nil {
		return err
	}
	r, err := runChild(o, o.probe, childArgs(o))
	if err != nil {
		return err
	}
	from, to := r.res.StartNs, r.res.EndNs
	w := cut(r.cycles, r.res.InitNs, r.res.PauseEnds, from, to)
	p := r.res.Probe
	cpu := p["process_cpu_ns"]
	delete(p, "process_cpu_ns")
	p["pauses"] = w.pausesJSON(from)
	n := float64(o.probeIterations)
	gc := map[string]interface{}{
		"collections":         len(w.cycles),
		"cpu_ns":              w.cpuNs(),
		"assist_cpu_ns":       w.assistNs(),
		"stop_world_total_ns": w.stopWorldNs(),
		"process_cpu_ns":      cpu,
		"wall_ns":             to - from,
		"heap_bytes":          r.res.HeapBytes,
		"governed_max_bytes":  r.res.MostGoverned,
		"first_iteration_ns":  r.res.Warmup.FirstNs,
		"warmup_iterations":   r.res.Warmup.Iterations,
		"warmup_ns":           r.res.Warmup.Ns,
		"steady":              r.res.Warmup.Steady,
		"gomaxprocs":          r.res.GOMAXPROCS,
		"env":                 goEnvWords(o),
		"calibration":         calibration(r),
	}
	stats := map[string]interface{}{
		"gc_collections":     float64(len(w.cycles)) / n,
		"gc_stop_world_time": float64(w.stopWorldNs()) / 1e9 / n,
		"gc_cpu_time":        float64(w.cpuNs()) / 1e9 / n,
		"gc_assist_cpu_time": float64(w.assistNs()) / 1e9 / n,
		"process_cpu_time":   toFloat(cpu) / 1e9 / n,
	}
	if r.res.LimitBytes > 0 {
		gc["heap_max_bytes"] = r.res.LimitBytes
		stats["heap_max_bytes"] = float64(r.res.LimitBytes)
	}
	p["gc"] = gc
	p["strategy_stats"] = stats
	doc := map[string]interface{}{"name": b.Name, "workload": b.Workload.Name(), "strategy": b.Strategy,
		"params": b.ParamsMap(), "probe": p}
	text, err := json.Marshal(doc)
	if err != nil {
		return failuref("internal: %v", err)
	}
	text = append(text, '\n')
	if o.probeOut == "" {
		_, err = os.Stdout.Write(text)
		return err
	}
	return writeOut(o.probeOut, text, "--probe_out")
}

func toFloat(v interface{}) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}
