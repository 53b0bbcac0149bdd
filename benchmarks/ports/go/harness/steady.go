// The warm-up rule, the Java port's (benchmarks/ports/java: Steady.java):
// warm-up runs are discarded until the run time is steady.
//
//	blocks:  after the first run, runs are taken in blocks of
//	         W = clamp(ceil(100 ms / the latest run's time), 3, 1000)
//	steady:  at least --benchmark_min_warmup_time has passed and a block's
//	         median run time is within 5% of the block before it
//	cap:     the warm-up ends unsteady (steady 0, "no steady state") once it
//	         has taken min_warmup + clamp(30 x the first run, 1 s, 10 s)
//
// The JVM's third condition (its JIT threads quiet in the block) holds
// always here: Go compiles ahead of time. So the rule usually stops at its
// minimum, two blocks after the first run (about 0.2 s for short runs),
// which still lets the heap grow to its working size before the measured
// runs.
package harness

import "sort"

const (
	steadySpread    = 0.05
	steadyWindowNs  = 100000000
	steadyMinWindow = 3
	steadyMaxWindow = 1000
	steadyCapMinNs  = 1000000000
	steadyCapMaxNs  = 10000000000
	steadyCapFirsts = 30
)

type steadyRule struct {
	minWarmupNs    int64
	n              int
	first, elapsed int64
	capNs          int64
	block          []int64
	blockSize      int
	previousMedian int64
	steady         bool
}

func newSteady(minWarmupNs int64) *steadyRule {
	return &steadyRule{minWarmupNs: minWarmupNs, previousMedian: -1,
		block: make([]int64, 0, steadyMaxWindow)}
}

func steadyWindow(latestNs int64) int {
	if latestNs < 1 {
		latestNs = 1
	}
	w := (steadyWindowNs + latestNs - 1) / latestNs
	if w < steadyMinWindow {
		w = steadyMinWindow
	}
	if w > steadyMaxWindow {
		w = steadyMaxWindow
	}
	return int(w)
}

func medianOf(a []int64) int64 {
	c := append([]int64(nil), a...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	m := len(c) / 2
	if len(c)%2 == 1 {
		return c[m]
	}
	return (c[m-1] + c[m]) / 2
}

// add takes one warm-up run's wall time; true once the warm-up is over.
func (s *steadyRule) add(ns int64) bool {
	s.n++
	s.elapsed += ns
	if s.n == 1 {
		s.first = ns
		c := steadyCapFirsts * ns
		if c < steadyCapMinNs {
			c = steadyCapMinNs
		}
		if c > steadyCapMaxNs {
			c = steadyCapMaxNs
		}
		s.capNs = s.minWarmupNs + c
		s.startBlock(ns)
		return s.elapsed >= s.capNs
	}
	s.block = append(s.block, ns)
	if len(s.block) == s.blockSize {
		m := medianOf(s.block)
		if s.previousMedian > 0 && s.elapsed >= s.minWarmupNs {
			d := m - s.previousMedian
			if d < 0 {
				d = -d
			}
			if float64(d) <= steadySpread*float64(s.previousMedian) {
				s.steady = true
				return true
			}
		}
		s.previousMedian = m
		s.startBlock(ns)
	}
	return s.elapsed >= s.capNs
}

func (s *steadyRule) startBlock(latest int64) {
	s.blockSize = steadyWindow(latest)
	s.block = s.block[:0]
}
