// The measured child: the same program, re-executed by the parent (main.go)
// with --go_child=DIR and the run's environment (GOGC, GOMEMLIMIT,
// GOMAXPROCS, GODEBUG=gctrace=1). It warms up and runs one benchmark and
// writes what it measured, raw, to DIR/result.json; the gctrace lines go to
// its stderr, which the parent keeps in DIR and cuts to the windows written
// here (nanotime bounds of the measured runs). DIR/started says the child
// came up; a failure writes DIR/error.txt (one line) and exits 1. Whether a
// capped run stayed within its limit the parent decides (memwatch.go).
package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"memstrat/work"
	"memstrat/workloads"
)

// The child's raw figures (the parent reads them back into the same types).
type warmup struct {
	FirstNs    int64 `json:"first_iteration_ns"`
	Iterations int64 `json:"warmup_iterations"`
	Ns         int64 `json:"warmup_ns"`
	Steady     int64 `json:"steady"`
}

type repetition struct {
	Iterations   int64  `json:"iterations"`
	StartNs      int64  `json:"start_ns"`
	EndNs        int64  `json:"end_ns"`
	ProcessCPUNs int64  `json:"process_cpu_ns"`
	Checksum     uint64 `json:"checksum"`
	Units        int64  `json:"units"`
	Objects      int64  `json:"objects"`
	Buffers      int64  `json:"buffers"`
	Allocs       int64  `json:"allocs"`
	Bytes        int64  `json:"bytes"`
	Frees        int64  `json:"frees"`
}

type childResult struct {
	InitNs       int64                  `json:"init_ns"`
	CalStartNs   int64                  `json:"calibration_start_ns"`
	CalEndNs     int64                  `json:"calibration_end_ns"`
	Warmup       warmup                 `json:"warmup"`
	Repetitions  []repetition           `json:"repetitions,omitempty"`
	Probe        map[string]interface{} `json:"probe,omitempty"`
	StartNs      int64                  `json:"start_ns"`
	EndNs        int64                  `json:"end_ns"`
	MostGoverned int64                  `json:"most_governed_bytes"`
	LimitBytes   int64                  `json:"limit_bytes"`
	GOMAXPROCS   int                    `json:"gomaxprocs"`
	HeapBytes    int64                  `json:"heap_bytes"`
	// The end of each recent cycle's mark termination on the program's
	// clock, by cycle number (runtime.MemStats.PauseEnd: the last 256).
	PauseEnds map[int64]int64 `json:"pause_ends"`
	// [cycle, non-heap bytes] after each collection (memwatch.go).
	NonHeap [][2]int64 `json:"non_heap"`
}

// readPauseEnds keeps the exact end of the last 256 cycles' stop-the-world
// (ReadMemStats stops the world itself: called between runs only). The
// wall-clock PauseEnd goes onto the program's clock through one pair of
// readings of both.
func (res *childResult) readPauseEnds() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w0 := time.Now().UnixNano()
	m := nanotime()
	w1 := time.Now().UnixNano()
	offset := m - (w0+w1)/2
	if res.PauseEnds == nil {
		res.PauseEnds = map[int64]int64{}
	}
	n := int64(ms.NumGC)
	for i := n; i >= 1 && i > n-int64(len(ms.PauseEnd)); i-- {
		res.PauseEnds[i] = int64(ms.PauseEnd[(i-1)%int64(len(ms.PauseEnd))]) + offset
	}
	return n
}

// pauseEndsDue says whether so many cycles ran since the last read that the
// next 56 would overwrite ends not yet read.
func pauseEndsDue(cycles, lastRead int64) bool { return cycles-lastRead >= 200 }

// failure is a run's one-line failure (error.txt, exit 1).
type failure struct{ line string }

func (f *failure) Error() string { return f.line }

// probeObserver sends units to the stall recorder, requests to latency.
type probeObserver struct {
	units   int64
	stalls  *stalls
	latency *latency
}

func (p *probeObserver) UnitDone() {
	p.units++
	p.stalls.unitAt(nanotime())
}
func (p *probeObserver) RequestBegin() { p.latency.requestBeginAt(nanotime()) }
func (p *probeObserver) RequestEnd()   { p.latency.requestEndAt(nanotime()) }

type oneRun struct {
	checksum                      uint64
	wallNs                        int64
	objects, buffers              int64
	allocs, bytes, frees, tinyCnt int64
	cycles                        int64 // collections so far (after the run)
}

type runner struct {
	b       workloads.Bench
	count   *counters
	watch   *memWatch
	fromDir string
}

// once runs the benchmark once; a panic in its goroutine is a failure line
// (one in a goroutine the workload starts ends the process: the parent
// reads it from stderr).
func (r *runner) once(obs work.Observer) (out oneRun, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &failure{fmt.Sprintf("%s: the workload panicked: %v", r.b.Name, p)}
		}
	}()
	var counts work.Counts
	c0 := r.count.read()
	t0 := nanotime()
	sum, e := r.b.Workload.Run(r.b.Params, obs, &counts)
	out.wallNs = nanotime() - t0
	c1 := r.count.read()
	if e != nil {
		return out, &failure{fmt.Sprintf("%s: %v", r.b.Name, e)}
	}
	r.watch.sample(false)
	out.checksum = sum
	out.objects, out.buffers = counts.Objects, counts.Buffers
	out.allocs, out.bytes, out.frees, out.tinyCnt = c1[0]-c0[0], c1[1]-c0[1], c1[2]-c0[2], c1[3]-c0[3]
	out.cycles = c1[4]
	return out, nil
}

func (r *runner) warmUp(obs func() work.Observer, minWarmupNs int64) (warmup, error) {
	rule := newSteady(minWarmupNs)
	start := nanotime()
	var w warmup
	for {
		run, err := r.once(obs())
		if err != nil {
			return w, err
		}
		if rule.n == 0 {
			w.FirstNs = run.wallNs
		}
		if rule.add(run.wallNs) {
			break
		}
	}
	w.Iterations = int64(rule.n)
	w.Ns = nanotime() - start
	if rule.steady {
		w.Steady = 1
	}
	return w, nil
}

func (r *runner) timing(o options, res *childResult) error {
	w, err := r.warmUp(func() work.Observer { return &work.UnitCounter{} }, int64(o.minWarmupTime*1e9))
	if err != nil {
		return err
	}
	res.Warmup = w
	minNs := int64(o.minTime * 1e9)
	lastRead := res.readPauseEnds()
	for rep := int64(0); rep < o.repetitions; rep++ {
		var p repetition
		cpu0 := processCPUNs()
		p.StartNs = nanotime()
		for {
			var units work.UnitCounter
			run, err := r.once(&units)
			if err != nil {
				return err
			}
			p.Iterations++
			p.Objects += run.objects
			p.Buffers += run.buffers
			p.Allocs += run.allocs
			p.Bytes += run.bytes
			p.Frees += run.frees
			p.Units, p.Checksum = units.Units, run.checksum
			if pauseEndsDue(run.cycles, lastRead) {
				lastRead = res.readPauseEnds()
			}
			if nanotime()-p.StartNs >= minNs {
				break
			}
		}
		p.EndNs = nanotime()
		p.ProcessCPUNs = processCPUNs() - cpu0
		res.Repetitions = append(res.Repetitions, p)
		res.readPauseEnds()
	}
	res.StartNs, res.EndNs = res.Repetitions[0].StartNs, res.Repetitions[len(res.Repetitions)-1].EndNs
	return nil
}

func (r *runner) probe(o options, res *childResult, restingRss, restingPss int64) error {
	obs := &probeObserver{stalls: newStalls(), latency: &latency{}}
	samp := newSampler(o.samplePeriodMs, r.watch)
	w, err := r.warmUp(func() work.Observer { return obs }, int64(o.minWarmupTime*1e9))
	if err != nil {
		samp.stopAndWait()
		return err
	}
	res.Warmup = w
	// The warm-up's requests size the latency buffer (all of them were
	// dropped: it was empty).
	requests := obs.latency.requests() > 0
	perRun := obs.latency.requests() / w.Iterations
	obs.latency.reserve(int(perRun * o.probeIterations))
	obs.stalls.reset()
	lastRead := res.readPauseEnds()
	peakReset := resetPeakRss()
	var objects, buffers, allocs, bytes, frees, tiny int64
	var checksum uint64
	cpu0 := processCPUNs()
	start := nanotime()
	samp.start(start)
	for i := int64(0); i < o.probeIterations; i++ {
		obs.latency.beginRun()
		obs.stalls.beginRun()
		run, err := r.once(obs)
		if err != nil {
			samp.stopAndWait()
			return err
		}
		obs.stalls.endRunAt(nanotime())
		objects += run.objects
		buffers += run.buffers
		allocs += run.allocs
		bytes += run.bytes
		frees += run.frees
		tiny += run.tinyCnt
		checksum = run.checksum
		if pauseEndsDue(run.cycles, lastRead) {
			lastRead = res.readPauseEnds()
		}
	}
	end := nanotime()
	cpu := processCPUNs() - cpu0
	samp.stopAndWait()
	res.readPauseEnds()
	finalRss := rssBytes()
	// The kernel's RSS counters are per-thread caches synced now and then:
	// the peak is at least every figure seen.
	peak := peakRssBytes()
	if finalRss > peak {
		peak = finalRss
	}
	if m := samp.maxRss(); m > peak {
		peak = m
	}
	if !peakReset {
		peak = 0
	}
	finalPss := pssBytes()
	if requests {
		obs.latency.analyse()
	}
	n := float64(o.probeIterations)
	nullable := func(v int64) interface{} {
		if v < 0 {
			return nil
		}
		return v
	}
	var lat interface{}
	if requests {
		lat = obs.latency.toJSON()
	}
	res.StartNs, res.EndNs = start, end
	res.Probe = map[string]interface{}{
		"iterations":   o.probeIterations,
		"reclaim_kind": "gc_stop_world",
		"wall_ns":      end - start,
		"checksum":     fmt.Sprintf("0x%016x", checksum),
		"counts": map[string]interface{}{
			// The runtime's own counts (runtime/metrics), every allocation of
			// the process while the runs ran: a bound on the workload's, not
			// its exact count (per-P caches are counted a span at a time).
			"allocations_per_iteration":      float64(allocs) / n,
			"bytes_requested_per_iteration":  float64(bytes) / n,
			"frees_per_iteration":            float64(frees) / n,
			"tiny_allocations_per_iteration": float64(tiny) / n,
			"objects_per_iteration":          float64(objects) / n,
			"buffers_per_iteration":          float64(buffers) / n,
		},
		"latency": lat,
		"stalls":  obs.stalls.toJSON(r.b.Workload.Unit(), start),
		"memory": map[string]interface{}{
			"baseline_rss_bytes": restingRss,
			"baseline_pss_bytes": nullable(restingPss),
			"peak_rss_bytes":     peak,
			"peak_rss_isolated":  peakReset,
			"final_rss_bytes":    finalRss,
			"final_pss_bytes":    nullable(finalPss),
			"timeline": map[string]interface{}{
				"period_ms":            o.samplePeriodMs,
				"t_ms":                 samp.tMs(),
				"rss_bytes":            samp.rss,
				"strategy_bytes_label": nil,
				"strategy_bytes":       nil,
				"overflow":             samp.overflow,
			},
		},
		"process_cpu_ns": cpu,
	}
	return nil
}

func writeFileAtomically(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// childMain is the child's whole life; its exit code is 0 or 1.
func childMain(o options) int {
	restingRss, restingPss := rssBytes(), pssBytes()
	dir := o.child
	fail := func(line string) int {
		_ = writeFileAtomically(filepath.Join(dir, "error.txt"), []byte(strings.ReplaceAll(line, "\n", " ")+"\n"))
		return 1
	}
	if err := os.WriteFile(filepath.Join(dir, "started"), nil, 0o644); err != nil {
		return fail("cannot write in " + dir + ": " + err.Error())
	}
	name := o.probe
	if !o.probeSet {
		name, _ = exactName(o.filter)
	}
	b, ok, err := workloads.FindBench(name, o.size, Names)
	if err != nil || !ok {
		return fail("no benchmark " + name + " at --size=" + o.size)
	}
	limit := o.memLimitMiB * mib
	watch := newMemWatch()
	res := childResult{InitNs: runtimeInitTime, LimitBytes: limit, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	// The calibration check: a forced cycle whose bounds this clock knows
	// (the parent finds its gctrace line and says how far @ put it).
	res.CalStartNs = nanotime()
	runtime.GC()
	res.CalEndNs = nanotime()
	watch.everyCycle()
	r := &runner{b: b, count: newCounters(), watch: watch}
	if o.probeSet {
		err = r.probe(o, &res, restingRss, restingPss)
	} else {
		err = r.timing(o, &res)
	}
	if err != nil {
		return fail(err.Error())
	}
	watch.stop()
	res.HeapBytes = watch.sample(false)
	res.MostGoverned = watch.most()
	res.NonHeap = watch.nonHeapPairs()
	out, err := json.Marshal(res)
	if err != nil {
		return fail("internal: " + err.Error())
	}
	if err := writeFileAtomically(filepath.Join(dir, "result.json"), out); err != nil {
		return fail("cannot write the result in " + dir + ": " + err.Error())
	}
	return 0
}
