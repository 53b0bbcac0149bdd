// The memory Go's limit governs, watched, and the rule that makes
// GOMEMLIMIT a cap the runner can bisect (docs/measurements.md, "Go").
//
// The runtime's measure for GOMEMLIMIT is runtime/metrics'
// /memory/classes/total:bytes minus /memory/classes/heap/released:bytes
// (everything mapped and not returned to the OS). With GOGC=off the limit
// is the only trigger: the runtime sets each cycle's heap goal to the limit
// minus its non-heap memory (mappedReady - heapFree - heapAlloc, mgcpacer.go
// memoryLimitHeapGoal). It is a soft limit: measured here with go1.19.8, the
// governed memory passes it at almost every collection, by a little
// (binary_trees at 64 MiB: 64.05 MiB) or by much while the heap grows
// during the concurrent mark (lifetime_mix at 20 MiB: 46.8 MiB), so "it
// went over" fails nearly every run that collects at all and finds no
// minimum. What cannot fit is the live data: a run FAILS when a cycle's live
// heap (gctrace's marked heap, whole MB) plus the non-heap memory of that
// moment exceeds the limit; that is, the limit cannot hold what the program
// keeps plus what the runtime needs beside it, however often it collects
// (a capped heap's out-of-memory). The non-heap memory is sampled after
// every collection (a finalizer re-armed each cycle runs once the cycle has
// found it unreachable), the live heap is the cycle's gctrace line. A miss
// would be a cycle whose live heap was up to 1 MiB larger than its line's
// truncated figure, or non-heap memory that grew and shrank between two
// samples; the governed memory's peak is reported beside (gc.governed_max_bytes).
package harness

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

const nonHeapCapacity = 1 << 16

type memWatch struct {
	max     int64 // atomic: the most governed bytes seen
	mu      sync.Mutex
	samples []metrics.Sample
	// The non-heap memory after each collection, by cycle number.
	cycle, nonHeap []int64
	stopped        int32 // atomic
}

func newMemWatch() *memWatch {
	return &memWatch{samples: []metrics.Sample{
		{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"}},
		cycle: make([]int64, 0, nonHeapCapacity), nonHeap: make([]int64, 0, nonHeapCapacity)}
}

// sample reads the governed bytes now and keeps the most; afterCycle also
// keeps the non-heap memory for the cycle that just ended.
func (w *memWatch) sample(afterCycle bool) int64 {
	w.mu.Lock()
	metrics.Read(w.samples)
	total, released := w.samples[0].Value.Uint64(), w.samples[1].Value.Uint64()
	free, objects := w.samples[2].Value.Uint64(), w.samples[3].Value.Uint64()
	v := int64(total - released)
	if afterCycle && len(w.cycle) < nonHeapCapacity && total-released >= free+objects {
		w.cycle = append(w.cycle, int64(w.samples[4].Value.Uint64()))
		w.nonHeap = append(w.nonHeap, int64(total-released-free-objects))
	}
	w.mu.Unlock()
	for {
		m := atomic.LoadInt64(&w.max)
		if v <= m || atomic.CompareAndSwapInt64(&w.max, m, v) {
			break
		}
	}
	return v
}

func (w *memWatch) most() int64 { return atomic.LoadInt64(&w.max) }

// sentinel has a pointer so it is never a tiny allocation (a finalizer on
// a tiny block may never run).
type sentinel struct {
	p   *sentinel
	pad [2]int64
}

// everyCycle samples after each collection until stop.
func (w *memWatch) everyCycle() {
	s := &sentinel{}
	runtime.SetFinalizer(s, func(*sentinel) {
		if atomic.LoadInt32(&w.stopped) == 0 {
			w.sample(true)
			w.everyCycle()
		}
	})
}

func (w *memWatch) stop() { atomic.StoreInt32(&w.stopped, 1) }

// nonHeapPairs are the samples as [cycle, bytes] (the child's result).
func (w *memWatch) nonHeapPairs() [][2]int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([][2]int64, len(w.cycle))
	for i := range w.cycle {
		out[i] = [2]int64{w.cycle[i], w.nonHeap[i]}
	}
	return out
}

// overLimit applies the rule to a finished child: the largest live heap +
// non-heap memory of any cycle, and whether it exceeds limit. A cycle's
// non-heap memory is the first sample taken after it (samples are in cycle
// order), else the largest seen (a cycle no sample follows).
func overLimit(live map[int64]int64, pairs [][2]int64, limit int64) (most, liveAt, nonHeapAt int64, over bool) {
	var largest int64
	for _, p := range pairs {
		if p[1] > largest {
			largest = p[1]
		}
	}
	for n, l := range live {
		nh := int64(-1)
		for _, p := range pairs {
			if p[0] >= n {
				nh = p[1]
				break
			}
		}
		if nh < 0 {
			nh = largest
		}
		if l+nh > most {
			most, liveAt, nonHeapAt = l+nh, l, nh
		}
	}
	return most, liveAt, nonHeapAt, limit > 0 && most > limit
}

// counters reads the runtime's allocation counts (the main goroutine only).
type counters struct {
	samples []metrics.Sample
}

func newCounters() *counters {
	return &counters{samples: []metrics.Sample{
		{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/heap/frees:objects"}, {Name: "/gc/heap/tiny/allocs:objects"},
		{Name: "/gc/cycles/total:gc-cycles"}}}
}

// read is allocations, bytes, frees, tiny allocations and collections so far.
func (c *counters) read() [5]int64 {
	metrics.Read(c.samples)
	var out [5]int64
	for i := range out {
		out[i] = int64(c.samples[i].Value.Uint64())
	}
	return out
}
