// The harness's own parts, without a child process: flags and their
// one-line errors, the child's environment, the declaration, the warm-up
// rule, stalls, latency, and the parent's reading of a dead child's stderr
// (testdata/crash_*.txt, real go1.19.8 output).
package harness

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestFlagErrorsAreOneLineAndExit2(t *testing.T) {
	cases := map[string][]string{
		"unknown argument --frobnicate":               {"--frobnicate"},
		"nothing to do":                               {"--size=small"},
		"--size takes small, default or all, not big": {"--size=big", "--list_strategies"},
		"--benchmark_repetitions=0 is not a whole":    {"--benchmark_filter=^x$", "--benchmark_repetitions=0"},
		"--benchmark_min_time=abc is not a number":    {"--benchmark_filter=^x$", "--benchmark_min_time=abc"},
		"only json is written":                        {"--benchmark_filter=^x$", "--benchmark_out_format=csv"},
		"--probe_out needs --probe=NAME":              {"--list_strategies", "--probe_out=/tmp/x"},
		"exclude each other":                          {"--list_strategies", "--probe=x"},
		"--go_gogc=0 is not a whole number":           {"--probe=x", "--go_gogc=0"},
		"--go_memory_limit_mib=-1 is not a whole":     {"--probe=x", "--go_memory_limit_mib=-1"},
		"--go_maxprocs=x is not a whole":              {"--probe=x", "--go_maxprocs=x"},
		"--go_gogc and --go_memory_limit_mib exclude": {"--probe=x", "--go_gogc=50", "--go_memory_limit_mib=64"},
		"--list_strategies=1 takes no value":          {"--list_strategies=1"},
		"--probe needs a value":                       {"--probe="},
	}
	for want, args := range cases {
		_, err := parse(args)
		var e *exit
		if !errors.As(err, &e) || e.code != 2 {
			t.Errorf("%v: %v, want exit 2", args, err)
			continue
		}
		if !strings.HasPrefix(e.line, "memstrat_go: error: ") || !strings.Contains(e.line, want) ||
			strings.Contains(e.line, "\n") {
			t.Errorf("%v: %q, want one line saying %q", args, e.line, want)
		}
	}
	if _, err := parse([]string{"--help"}); err == nil || err.(*exit).code != 0 {
		t.Error("--help is not exit 0")
	}
}

func TestNoBenchmarkIsExit2(t *testing.T) {
	for _, args := range [][]string{{"--probe=nope/go"}, {"--benchmark_filter=^nope$"}, {"--benchmark_filter=nope"}} {
		err := run(args)
		var e *exit
		if !errors.As(err, &e) || e.code != 2 {
			t.Errorf("%v: %v, want exit 2", args, err)
		}
	}
}

func TestFlagsTheRunnerWrites(t *testing.T) {
	o, err := parse([]string{"--size=small", "--benchmark_filter=^binary_trees/go/depth:10$",
		"--benchmark_repetitions=3", "--benchmark_min_time=0.5s", "--benchmark_min_warmup_time=0",
		"--benchmark_out=/tmp/x.json", "--benchmark_out_format=json", "--go_memory_limit_mib=64",
		"--go_maxprocs=1"})
	if err != nil || o.repetitions != 3 || o.minTime != 0.5 || o.memLimitMiB != 64 || o.maxprocs != 1 {
		t.Fatalf("%+v %v", o, err)
	}
	if n, _ := exactName(`^binary_trees/go/depth:10$`); n != "binary_trees/go/depth:10" {
		t.Errorf("exactName: %q", n)
	}
	if n, _ := exactName(`^lru_cache/go/ops:2000/capacity:64$`); n != "lru_cache/go/ops:2000/capacity:64" {
		t.Errorf("exactName: %q", n)
	}
	if n, _ := exactName(`^a\-b$`); n != "a-b" {
		t.Errorf("exactName of re.escape: %q", n)
	}
	// The child parses what the parent hands it.
	back, err := parse(append([]string{"--go_child=/tmp"}, childArgs(o)...))
	if err != nil || back.filter != o.filter || back.memLimitMiB != 64 || back.maxprocs != 1 || back.repetitions != 3 {
		t.Fatalf("the child's flags %+v %v", back, err)
	}
}

func TestChildEnvironmentReplacesTheUsers(t *testing.T) {
	inherited := []string{"HOME=/root", "GOGC=5", "GOMEMLIMIT=1MiB", "GOMAXPROCS=7", "GODEBUG=madvdontneed=1"}
	env := strings.Join(childEnv(options{}, inherited), " ")
	if env != "HOME=/root GOGC=100 GODEBUG=gctrace=1" {
		t.Errorf("default: %s", env)
	}
	env = strings.Join(childEnv(options{memLimitMiB: 64, maxprocs: 1}, inherited), " ")
	if env != "HOME=/root GOGC=off GOMEMLIMIT=64MiB GOMAXPROCS=1 GODEBUG=gctrace=1" {
		t.Errorf("capped: %s", env)
	}
	if env = strings.Join(childEnv(options{gogc: 400}, nil), " "); env != "GOGC=400 GODEBUG=gctrace=1" {
		t.Errorf("gogc: %s", env)
	}
}

func TestDeclaration(t *testing.T) {
	d := declarations()
	if len(d) != 1 || len(Names) != 1 || d[0]["name"] != Names[0] || d[0]["family"] != "Go" {
		t.Fatalf("%v", d)
	}
	s := d[0]
	for _, k := range []string{"name", "family", "language", "toolchain", "counterpart", "summary",
		"reclaim_kind", "frees", "collects", "release_order", "owner_bytes", "allocator_bytes",
		"owner_overhead", "sanitizer_safe", "threads_process", "object_per_new", "colour", "baseline",
		"settings", "sweeps", "heap", "variants", "default_selected"} {
		if _, ok := s[k]; !ok {
			t.Errorf("no %s", k)
		}
	}
	if !strings.HasPrefix(s["toolchain"].(string), "go1.") {
		t.Errorf("toolchain %v", s["toolchain"])
	}
	// Every C++, Rust and Java colour (their --list_strategies), and js-v8's.
	for _, c := range []string{"#0072B2", "#009E73", "#CC79A7", "#882255", "#D55E00", "#E69F00", "#56B4E9",
		"#332288", "#AA4499", "#44AA99", "#117733", "#999933", "#EE7733", "#0077BB", "#EE3377", "#BBBBBB", "#CC6677"} {
		if strings.EqualFold(c, goColour) {
			t.Errorf("colour %s is taken", c)
		}
	}
	sw := s["sweeps"].([]map[string]interface{})[0]
	if sw["flag"] != "--go_gogc" || sw["default"] != 100 || sw["min"] != 1 || sw["max"] != 10000 {
		t.Errorf("sweep %v", sw)
	}
	h := s["heap"].(map[string]interface{})
	if h["cap_flag"] != "--go_memory_limit_mib" || h["presize_flag"] != nil || h["flag_unit_bytes"] != mib {
		t.Errorf("heap %v", h)
	}
	v := s["variants"].([]map[string]interface{})[0]
	if v["name"] != "procs_1" || v["flags"].([]string)[0] != "--go_maxprocs=1" {
		t.Errorf("variant %v", v)
	}
	// Every flag the declaration names is one the harness takes.
	for _, f := range []string{"--go_gogc=25", "--go_memory_limit_mib=8", "--go_maxprocs=1"} {
		if _, err := parse([]string{"--probe=x", f}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestSteadyRule(t *testing.T) {
	r := newSteady(0)
	runs := 0
	for !r.add(1000000) {
		runs++
	}
	// First run, then two blocks of 100 runs of 1 ms with equal medians.
	if !r.steady || r.n != 201 {
		t.Errorf("flat runs: steady %v after %d", r.steady, r.n)
	}
	r = newSteady(0)
	ns := int64(1000000)
	for !r.add(ns) {
		ns = ns * 11 / 10 // always 10% slower: never steady
	}
	if r.steady || r.elapsed < 1000000000 {
		t.Errorf("drifting runs ended steady %v after %d ns", r.steady, r.elapsed)
	}
	if steadyWindow(1) != 1000 || steadyWindow(1e9) != 3 || steadyWindow(1e6) != 100 {
		t.Error("window")
	}
}

func TestStalls(t *testing.T) {
	s := newStalls()
	s.beginRun()
	tm := int64(0)
	for i := 0; i < 1000; i++ {
		tm += 10000
		s.unitAt(tm)
	}
	tm += 5000000 // one 5 ms gap
	s.unitAt(tm)
	s.endRunAt(tm + 10000)
	j := s.toJSON("tree", 0)
	ev := j["events"].([]interface{})
	if s.thresholdNs() != stallFloorNs || len(ev) != 1 || ev[0].(map[string]interface{})["duration_ns"] != int64(5000000) {
		t.Errorf("threshold %d events %v", s.thresholdNs(), ev)
	}
	if s.gaps.Count() != 1001 {
		t.Errorf("gaps %d", s.gaps.Count())
	}
}

func TestLatencyMeteredCountsTheQueue(t *testing.T) {
	var l latency
	l.reserve(200)
	l.beginRun()
	// 100 requests every 1 ms taking 0.1 ms; the 50th waits 20 ms first
	// and the ones after it start late (a pause in the middle).
	late := int64(0)
	for i := int64(0); i < 100; i++ {
		if i == 50 {
			late = 20000000
		}
		b := i*1000000 + late
		l.record(b, b+100000)
	}
	l.analyse()
	if l.simple.Max() != 100000 || l.meteredFull.Max() < 5000000 || l.requests() != 100 {
		t.Errorf("simple max %d metered max %d", l.simple.Max(), l.meteredFull.Max())
	}
	l.record(0, 1)
	for i := 0; i < 200; i++ {
		l.record(0, 1)
	}
	if l.dropped == 0 {
		t.Error("a full buffer dropped nothing")
	}
}

func TestADeadChildIsOneLine(t *testing.T) {
	cases := map[string]string{
		"crash_panic.txt": "a goroutine panicked (boom in a worker, GOGC=100)",
		"crash_oom.txt":   "out of memory (the runtime could not get memory from the OS: fatal error: runtime: out of memory",
		"crash_stack.txt": "the Go runtime failed (fatal error: stack overflow",
	}
	for file, want := range cases {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		e := explain("list_churn/go/steps:100", options{}, errors.New("exit status 2"), string(b))
		if e.code != 1 || strings.Contains(e.line, "\n") || strings.Contains(e.line, "goroutine 6") ||
			!strings.Contains(e.line, want) || !strings.HasPrefix(e.line, "memstrat_go: error: list_churn/go/steps:100: ") {
			t.Errorf("%s: %q (code %d)", file, e.line, e.code)
		}
	}
	e := explain("x", options{memLimitMiB: 8}, errors.New("exit status 3"), "gc 1 @0.001s 1%: x\nsomething went wrong\n")
	if !strings.Contains(e.line, "exit status 3: something went wrong, GOMEMLIMIT=8 MiB with GOGC=off") {
		t.Errorf("%q", e.line)
	}
}

func TestTheMemoryLimitRule(t *testing.T) {
	live := map[int64]int64{1: 2 * mib, 2: 6 * mib, 3: 1 * mib}
	pairs := [][2]int64{{1, 9 * mib}, {2, 9 * mib}, {4, 11 * mib}}
	most, l, nh, over := overLimit(live, pairs, 16*mib)
	if most != 15*mib || l != 6*mib || nh != 9*mib || over {
		t.Errorf("most %d live %d non-heap %d over %v", most, l, nh, over)
	}
	// Cycle 3 has no sample of its own: the next one's (11 MiB) counts.
	if most, _, _, over = overLimit(live, pairs, 14*mib); most != 15*mib || !over {
		t.Errorf("14 MiB: most %d over %v", most, over)
	}
	if _, _, _, over = overLimit(map[int64]int64{9: 4 * mib}, pairs, 14*mib); !over {
		t.Error("a cycle after every sample is not held to the largest non-heap memory")
	}
	if _, _, _, over = overLimit(live, pairs, 0); over {
		t.Error("no limit, yet over it")
	}
}
