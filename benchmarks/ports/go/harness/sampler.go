// The RSS timeline (as the Java port's Sampler): a goroutine reads
// /proc/self/statm every period into arrays made before it starts, on a
// fixed schedule from its start. Made before the warm-up, so warm-up and
// measured runs see the same goroutines. Each tick also reads the memory the
// runtime's limit governs (memWatch), for its peak.
package harness

import (
	"os"
	"sync/atomic"
	"time"
)

const samplerCapacity = 1 << 17

type sampler struct {
	periodNs int64
	t, rss   []int64
	overflow int64
	startNs  int64 // atomic: <0 until started
	stop     int32 // atomic
	started  chan struct{}
	done     chan struct{}
	watch    *memWatch
}

func newSampler(periodMs int64, watch *memWatch) *sampler {
	s := &sampler{periodNs: periodMs * 1000000, t: make([]int64, 0, samplerCapacity),
		rss: make([]int64, 0, samplerCapacity), startNs: -1,
		started: make(chan struct{}), done: make(chan struct{}), watch: watch}
	go s.loop()
	return s
}

func (s *sampler) start(now int64) {
	atomic.StoreInt64(&s.startNs, now)
	close(s.started)
}

func (s *sampler) stopAndWait() {
	atomic.StoreInt32(&s.stop, 1)
	if atomic.LoadInt64(&s.startNs) < 0 {
		close(s.started)
	}
	<-s.done
}

func (s *sampler) loop() {
	defer close(s.done)
	<-s.started
	origin := atomic.LoadInt64(&s.startNs)
	if origin < 0 {
		return
	}
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return // no /proc: no timeline, as the C++ sampler without a timer
	}
	defer f.Close()
	buf := make([]byte, 128)
	for tick := int64(1); ; tick++ {
		n, _ := f.ReadAt(buf, 0)
		if len(s.t) < samplerCapacity {
			s.t = append(s.t, nanotime()-origin)
			s.rss = append(s.rss, residentPages(buf[:n])*pageBytes)
		} else {
			s.overflow++
		}
		s.watch.sample(false)
		due := origin + tick*s.periodNs
		for {
			if atomic.LoadInt32(&s.stop) != 0 {
				return
			}
			wait := due - nanotime()
			if wait <= 0 {
				break
			}
			time.Sleep(time.Duration(wait))
		}
	}
}

func (s *sampler) maxRss() int64 {
	var m int64
	for _, v := range s.rss {
		if v > m {
			m = v
		}
	}
	return m
}

func (s *sampler) tMs() []float64 {
	out := make([]float64, len(s.t))
	for i, v := range s.t {
		out[i] = float64(v) / 1e6
	}
	return out
}
