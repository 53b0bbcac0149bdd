// The request latency recorder, the port of benchmarks/harness/latency.cc
// (as the Java port's Latency): each request's begin and end into arrays
// sized from the warm-up (requests beyond them are counted as dropped), and
// after the runs, per run, simple latency and DaCapo Chopin's metered latency
// (evenly spaced synthetic starts over a window centred on each begin) over
// 100 ms windows and over the full run.
package harness

import "memstrat/harness/histogram"

const latencyWindowNs = 100000000

type latency struct {
	begin         int64
	begins, ends  []int64
	size          int
	dropped       int64
	runStarts     []int
	simple        histogram.Histogram
	meteredWindow histogram.Histogram
	meteredFull   histogram.Histogram
}

// addMetered adds the metered latency of each request of one run, sorted by
// begin, over a smoothing window of windowNs.
func addMetered(b, e []int64, from, to int, windowNs int64, out *histogram.Histogram) {
	if to == from {
		return
	}
	half := float64(windowNs) / 2
	lo, hi := from, from
	for i := from; i < to; i++ {
		bi := float64(b[i])
		for float64(b[lo]) < bi-half && lo < to-1 {
			lo++
		}
		for float64(b[hi]) < bi+half && hi < to-1 {
			hi++
		}
		interval := 0.0
		if hi > lo {
			interval = float64(b[hi]-b[lo]) / float64(hi-lo)
		}
		synthetic := float64(b[lo]) + float64(i-lo)*interval
		simple := float64(e[i] - b[i])
		metered := float64(e[i]) - synthetic
		if simple > metered {
			metered = simple
		}
		out.Record(int64(metered))
	}
}

func (l *latency) requestBeginAt(t int64) { l.begin = t }
func (l *latency) requestEndAt(t int64)   { l.record(l.begin, t) }

func (l *latency) record(b, e int64) {
	if l.size < len(l.begins) {
		l.begins[l.size] = b
		l.ends[l.size] = e
		l.size++
	} else {
		l.dropped++
	}
}

// reserve makes room for n requests, written now so the measured runs
// fault nothing in.
func (l *latency) reserve(n int) {
	l.begins = make([]int64, n)
	l.ends = make([]int64, n)
	for i := range l.begins {
		l.begins[i], l.ends[i] = -1, -1
	}
	l.clear()
}

func (l *latency) beginRun() { l.runStarts = append(l.runStarts, l.size) }

func (l *latency) clear() {
	l.size, l.dropped = 0, 0
	l.runStarts = l.runStarts[:0]
	l.simple.Reset()
	l.meteredWindow.Reset()
	l.meteredFull.Reset()
}

func (l *latency) requests() int64 { return int64(l.size) + l.dropped }

func (l *latency) analyse() {
	l.simple.Reset()
	l.meteredWindow.Reset()
	l.meteredFull.Reset()
	if l.size == 0 {
		return
	}
	starts := append([]int(nil), l.runStarts...)
	if len(starts) == 0 || starts[0] != 0 {
		starts = append([]int{0}, starts...)
	}
	starts = append(starts, l.size)
	for r := 0; r+1 < len(starts); r++ {
		from, to := starts[r], starts[r+1]
		if from == to {
			continue
		}
		l.sortByBegin(from, to)
		for i := from; i < to; i++ {
			l.simple.Record(l.ends[i] - l.begins[i])
		}
		addMetered(l.begins, l.ends, from, to, latencyWindowNs, &l.meteredWindow)
		span := l.ends[to-1] - l.begins[from]
		addMetered(l.begins, l.ends, from, to, 10*span+1, &l.meteredFull)
	}
}

// sortByBegin: one goroutine issues the requests, so they are in begin
// order already; DaCapo sorts (many threads), so do we, with an insertion
// sort, linear on sorted input.
func (l *latency) sortByBegin(from, to int) {
	for i := from + 1; i < to; i++ {
		b, e := l.begins[i], l.ends[i]
		j := i - 1
		for j >= from && l.begins[j] > b {
			l.begins[j+1], l.ends[j+1] = l.begins[j], l.ends[j]
			j--
		}
		l.begins[j+1], l.ends[j+1] = b, e
	}
}

func (l *latency) toJSON() map[string]interface{} {
	return map[string]interface{}{
		"requests":            l.requests(),
		"requests_dropped":    l.dropped,
		"simple":              l.simple.Summary(),
		"metered_100ms":       l.meteredWindow.Summary(),
		"metered_full":        l.meteredFull.Summary(),
		"smoothing_window_ns": int64(latencyWindowNs),
	}
}
