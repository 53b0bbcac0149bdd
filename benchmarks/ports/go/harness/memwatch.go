// The memory Go's limit governs, watched: runtime/metrics'
// /memory/classes/total:bytes minus /memory/classes/heap/released:bytes (the
// runtime's own measure for GOMEMLIMIT: everything it has mapped and not
// returned to the OS, heap, stacks and metadata alike), sampled after every
// collection (a finalizer re-armed each cycle runs once the cycle has found
// it unreachable), at every timeline tick and after every run. GOMEMLIMIT is
// a soft limit: past it the runtime collects back to back and goes on; the
// harness makes it a cap (docs/measurements.md, "Go"): under
// --go_memory_limit_mib the run fails as soon as a sample exceeds the limit.
// A miss would be an excursion above the limit that the scavenger returned
// between two samples (at most a timeline period and one cycle long).
package harness

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

type memWatch struct {
	limit    int64 // bytes; 0: none
	max      int64 // atomic: the most seen
	mu       sync.Mutex
	samples  []metrics.Sample
	stopped  int32 // atomic
	onExceed func(seen int64)
}

func newMemWatch(limit int64, onExceed func(int64)) *memWatch {
	return &memWatch{limit: limit, onExceed: onExceed, samples: []metrics.Sample{
		{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}}
}

// sample reads the governed bytes now, keeps the most, and calls onExceed
// when they are over the limit.
func (w *memWatch) sample() int64 {
	w.mu.Lock()
	metrics.Read(w.samples)
	v := int64(w.samples[0].Value.Uint64() - w.samples[1].Value.Uint64())
	w.mu.Unlock()
	for {
		m := atomic.LoadInt64(&w.max)
		if v <= m || atomic.CompareAndSwapInt64(&w.max, m, v) {
			break
		}
	}
	if w.limit > 0 && v > w.limit && w.onExceed != nil {
		w.onExceed(v)
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
			w.sample()
			w.everyCycle()
		}
	})
}

func (w *memWatch) stop() { atomic.StoreInt32(&w.stopped, 1) }

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
