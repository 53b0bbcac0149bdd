// The program-side stall measure, the port of benchmarks/harness/stalls.cc
// (as the Java port's Stalls): the gaps between the units of work a workload
// reports, within a run and from its last unit to its end, never before its
// first unit. A stall is a gap longer than max(1 ms, 10 x the median gap);
// gaps of 1 ms or more are kept raw in arrays made before the measured runs,
// so recording never allocates.
package harness

import "memstrat/harness/histogram"

const (
	stallFloorNs      = 1000000
	stallMedianFactor = 10
	stallRawCapacity  = 1 << 16
)

type stalls struct {
	last        int64
	gaps        histogram.Histogram
	rawStart    []int64
	rawDuration []int64
	overflow    int64
}

func newStalls() *stalls {
	return &stalls{last: -1, rawStart: make([]int64, 0, stallRawCapacity),
		rawDuration: make([]int64, 0, stallRawCapacity)}
}

func (s *stalls) unitAt(t int64) {
	if s.last >= 0 {
		gap := t - s.last
		s.gaps.Record(gap)
		if gap >= stallFloorNs {
			if len(s.rawStart) < stallRawCapacity {
				s.rawStart = append(s.rawStart, s.last)
				s.rawDuration = append(s.rawDuration, gap)
			} else {
				s.overflow++
			}
		}
	}
	s.last = t
}

func (s *stalls) beginRun() { s.last = -1 }

func (s *stalls) endRunAt(t int64) {
	s.unitAt(t)
	s.last = -1
}

func (s *stalls) reset() {
	s.last = -1
	s.gaps.Reset()
	s.rawStart = s.rawStart[:0]
	s.rawDuration = s.rawDuration[:0]
	s.overflow = 0
}

func (s *stalls) thresholdNs() int64 {
	t := stallMedianFactor * s.gaps.Quantile(0.5)
	if t < stallFloorNs {
		return stallFloorNs
	}
	return t
}

// toJSON is the probe's "stalls", starts relative to origin.
func (s *stalls) toJSON(unit string, origin int64) map[string]interface{} {
	threshold := s.thresholdNs()
	events := []interface{}{}
	for i, d := range s.rawDuration {
		if d > threshold {
			events = append(events, map[string]interface{}{"start_ns": s.rawStart[i] - origin, "duration_ns": d})
		}
	}
	return map[string]interface{}{
		"unit":                    unit,
		"gaps":                    s.gaps.Summary(),
		"threshold_ns":            threshold,
		"threshold_floor_ns":      int64(stallFloorNs),
		"threshold_median_factor": int64(stallMedianFactor),
		"events":                  events,
		"events_overflow":         s.overflow,
	}
}
