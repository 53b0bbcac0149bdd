// The histogram against the C++ LogLinearHistogram's own answers: the
// vector of benchmarks/ports/rust/tests/histogram_vector.cc (built with
// Debian's g++ 12.2 against benchmarks/harness/histogram.cc; its header has
// the command), the same values the Rust port's test holds.
package histogram

import "testing"

var fixed = [][4]int64{
	{0, 0, 0, 0}, {1, 1, 1, 1}, {5, 5, 5, 5}, {127, 127, 127, 127}, {128, 128, 128, 128},
	{129, 129, 129, 129}, {130, 130, 130, 130}, {255, 255, 255, 255}, {256, 256, 256, 257},
	{257, 256, 256, 257}, {383, 319, 382, 383}, {384, 320, 384, 385}, {1000, 506, 1000, 1003},
	{4095, 767, 4080, 4095}, {4096, 768, 4096, 4127}, {12345, 960, 12288, 12351},
	{99999, 1347, 99840, 100351}, {1048576, 1792, 1048576, 1056767},
	{1048577, 1792, 1048576, 1056767}, {123456789, 2667, 123207680, 123731967},
	{1099511627776, 4352, 1099511627776, 1108101562367},
	{2199023255557, 4479, 2190433320960, 2199023255551}, {-5, 0, 0, 0},
}

var quantiles = []struct {
	q    float64
	want int64
}{
	{0.0, 0}, {0.001, 1}, {0.1, 3}, {0.25, 55}, {0.5, 10783}, {0.9, 63307775},
	{0.99, 740294655}, {0.999, 1042284543}, {0.9999, 1103806595071}, {1.0, 2199023255557},
}

func TestMatchesTheCppVector(t *testing.T) {
	h := New()
	for _, f := range fixed {
		b := BucketOf(f[0])
		if int64(b) != f[1] || BucketLow(b) != f[2] || BucketHigh(b) != f[3] {
			t.Errorf("value %d: bucket %d [%d, %d], the C++ says %d [%d, %d]",
				f[0], b, BucketLow(b), BucketHigh(b), f[1], f[2], f[3])
		}
		h.Record(f[0])
	}
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < 10000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		shift := x % 31
		h.Record(int64((x>>20)&((uint64(1)<<shift)-1)) + 1)
	}
	if h.Count() != 10023 || h.Total() != 3623523215067 || h.Min() != 0 || h.Max() != 2199023255557 {
		t.Fatalf("count %d total %d min %d max %d, the C++ says 10023 3623523215067 0 2199023255557",
			h.Count(), h.Total(), h.Min(), h.Max())
	}
	for _, c := range quantiles {
		if got := h.Quantile(c.q); got != c.want {
			t.Errorf("quantile %g = %d, the C++ says %d", c.q, got, c.want)
		}
	}
}

func TestBucketsTileTheRange(t *testing.T) {
	for b := 0; b < Buckets-1; b++ {
		if BucketHigh(b)+1 != BucketLow(b+1) || BucketOf(BucketLow(b)) != b || BucketOf(BucketHigh(b)) != b {
			t.Fatalf("bucket %d [%d, %d] does not tile", b, BucketLow(b), BucketHigh(b))
		}
		if low := float64(BucketLow(b)); low > 0 && (float64(BucketHigh(b))-low)/low > 1.0/128 {
			t.Fatalf("bucket %d is wider than 1/128 of its low end", b)
		}
	}
}

func TestEmptyAndHuge(t *testing.T) {
	h := New()
	if h.Quantile(0.5) != 0 || h.Min() != 0 {
		t.Fatal("an empty histogram is not all zeros")
	}
	h.Record(1 << 50)
	h.Record(-5)
	if h.Count() != 2 || h.Max() != 1<<50 || h.Quantile(1) != 1<<50 || h.Quantile(0.5) != 0 {
		t.Fatalf("count %d max %d q1 %d q.5 %d", h.Count(), h.Max(), h.Quantile(1), h.Quantile(0.5))
	}
	h.Reset()
	if h.Count() != 0 || h.Quantile(0.9) != 0 {
		t.Fatal("reset left values")
	}
}
