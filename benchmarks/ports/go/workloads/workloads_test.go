// Every registered workload at its small size against the C++ test vectors
// as this build's memstrat_test_vectors prints them ($MEMSTRAT_TEST_VECTORS),
// and the escape test: every object the C++ heap-allocates is a Go heap
// allocation (runtime/metrics' allocation count over a run is at least the
// workload's object count: a bound, since tiny allocations are combined).
package workloads

import (
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"

	"memstrat/work"
)

type vector struct {
	Params   map[string]int64
	Checksum string
	Unit     string
	Units    int64
	Objects  *int64
}

func cppVectors(t *testing.T) map[string]vector {
	prog := os.Getenv("MEMSTRAT_TEST_VECTORS")
	if prog == "" {
		t.Skip("MEMSTRAT_TEST_VECTORS is unset: set it to the C++ build's " +
			"benchmarks/memstrat_test_vectors to compare with the C++ workloads")
	}
	out, err := exec.Command(prog).Output()
	if err != nil {
		t.Fatalf("%s: %v", prog, err)
	}
	var doc struct {
		WorkloadChecksums map[string]vector `json:"workload_checksums"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.WorkloadChecksums) == 0 {
		t.Fatalf("%s printed no workload_checksums (%v)", prog, err)
	}
	return doc.WorkloadChecksums
}

func TestSmallSizesMatchCpp(t *testing.T) {
	vectors := cppVectors(t)
	for _, w := range Registry {
		w := w
		t.Run(w.Name(), func(t *testing.T) {
			v, ok := vectors[w.Name()]
			if !ok {
				t.Fatalf("no C++ test vector for %s", w.Name())
			}
			params := w.Small()
			for i, n := range w.ParamNames() {
				if v.Params[n] != params[i] {
					t.Fatalf("small %s = %d, the C++'s is %d", n, params[i], v.Params[n])
				}
			}
			if w.Unit() != v.Unit {
				t.Errorf("unit %q, the C++'s is %q", w.Unit(), v.Unit)
			}
			var units work.UnitCounter
			var counts work.Counts
			sum, err := w.Run(params, &units, &counts)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			want, err := strconv.ParseUint(v.Checksum[2:], 16, 64)
			if err != nil {
				t.Fatalf("bad C++ checksum %q", v.Checksum)
			}
			if sum != want {
				t.Errorf("checksum 0x%016x, the C++'s is %s", sum, v.Checksum)
			}
			if units.Units != v.Units {
				t.Errorf("units %d, the C++'s are %d", units.Units, v.Units)
			}
			if v.Objects == nil {
				t.Errorf("the C++ test vectors record no objects")
			} else if counts.Objects != *v.Objects {
				t.Errorf("objects %d, the C++'s are %d", counts.Objects, *v.Objects)
			}
		})
	}
}

func TestRegistryOrder(t *testing.T) {
	want := []string{"binary_trees", "list_churn", "lifetime_mix", "string_dict",
		"request_server", "deep_structure", "producer_consumer", "doc_tree",
		"graph_walk", "lru_cache"}
	i := 0
	for _, w := range Registry {
		for i < len(want) && want[i] != w.Name() {
			i++
		}
		if i == len(want) {
			t.Fatalf("%s is out of the C++ catalogue's order or not in it", w.Name())
		}
		if Find(w.Name()) != w {
			t.Errorf("Find(%q) is not the registered workload", w.Name())
		}
	}
	if Find("nonesuch") != nil {
		t.Errorf("Find(nonesuch) found something")
	}
}

func TestBadParams(t *testing.T) {
	for _, w := range Registry {
		bad := w.Small()
		bad[0] = -1
		var units work.UnitCounter
		var counts work.Counts
		_, err := w.Run(bad, &units, &counts)
		if _, ok := err.(*work.UsageError); !ok {
			t.Errorf("%s with %s=-1: %v, want a UsageError", w.Name(), w.ParamNames()[0], err)
		}
		if _, err := w.Run(bad[:0], &units, &counts); err == nil {
			t.Errorf("%s with no parameters ran", w.Name())
		}
	}
}

func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func TestObjectsAreHeapAllocations(t *testing.T) {
	for _, w := range Registry {
		var units work.UnitCounter
		var counts work.Counts
		// Flushing the per-P caches' counts: a GC before and after.
		runtime.GC()
		before := heapAllocs()
		if _, err := w.Run(w.Small(), &units, &counts); err != nil {
			t.Fatalf("%s: %v", w.Name(), err)
		}
		runtime.GC()
		allocs := int64(heapAllocs() - before)
		if allocs < counts.Objects {
			t.Errorf("%s: %d heap allocations for %d objects: some objects are not on the heap",
				w.Name(), allocs, counts.Objects)
		}
		t.Logf("%s: %d heap allocations, %d objects, %d buffers", w.Name(), allocs,
			counts.Objects, counts.Buffers)
	}
}

func TestParamsAboveAnother(t *testing.T) {
	var units work.UnitCounter
	var counts work.Counts
	for _, c := range []struct {
		w      work.Workload
		params []int64
		msg    string
	}{
		{ListChurn, []int64{10, 11}, "list_churn: queue must be in [0, messages]"},
		{ProducerConsumer, []int64{10, 11}, "producer_consumer: batch must be in [1, messages]"},
		{GraphWalk, []int64{1, 4}, "graph_walk: vertices must be in [2, 100000000]"},
	} {
		_, err := c.w.Run(c.params, &units, &counts)
		if err == nil || err.Error() != c.msg {
			t.Errorf("%s %v: %v, want %q", c.w.Name(), c.params, err, c.msg)
		}
	}
}

// The checksum is the work's, not the scheduling's: the same under the
// tightest handshake (batch 1), a batch above the queue's 256 slots, and
// one batch for the whole run, run after run.
func TestProducerConsumerHandshakes(t *testing.T) {
	var want uint64
	for i, batch := range []int64{1, 7, 300, 1000, 1000} {
		var units work.UnitCounter
		var counts work.Counts
		sum, err := ProducerConsumer.Run([]int64{1000, batch}, &units, &counts)
		if err != nil {
			t.Fatalf("batch %d: %v", batch, err)
		}
		if i == 0 {
			want = sum
		} else if sum != want {
			t.Errorf("batch %d: checksum 0x%016x, batch 1's 0x%016x", batch, sum, want)
		}
		if counts.Objects != 1000 || units.Units != 1000/32 {
			t.Errorf("batch %d: %d objects, %d units", batch, counts.Objects, units.Units)
		}
	}
}

// BenchmarkDefaults times each workload at its default size in this process
// (`go test -bench . -benchtime 5x ./workloads/`): a profiling aid, never a
// measurement the suite reports (the harness's timing is).
func BenchmarkDefaults(b *testing.B) {
	for _, w := range Registry {
		w := w
		b.Run(w.Name(), func(b *testing.B) {
			var units work.UnitCounter
			var counts work.Counts
			for i := 0; i < b.N; i++ {
				if _, err := w.Run(w.Defaults(), &units, &counts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
