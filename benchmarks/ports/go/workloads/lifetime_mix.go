// lifetime_mix: a synthetic allocation trace, sizes skewed towards small
// (16 B to 4 KiB) with rare large objects (64 KiB to 1 MiB) and
// near-exponential lifetimes, each object dropped off a timing wheel at its
// drawn death step: fragmentation under mixed lifetimes. For a collector it
// is a heap of byte slices of every size dying in no order.
package workloads

import (
	"encoding/binary"
	"math/bits"

	"memstrat/work"
)

// LifetimeMix is docs/workloads.md's lifetime_mix.
var LifetimeMix work.Workload = &spec{
	name:       "lifetime_mix",
	unit:       "step",
	paramNames: []string{"steps", "mean_life"},
	small:      []int64{10000, 100},
	defaults:   []int64{200000, 10000},
	run:        runLifetimeMix,
}

const (
	lmSeed        = 0x6c69666574696d65
	lmMinSize     = 16
	lmSizeClasses = 8
	lmLargeOneIn  = 1000
	lmLargeMin    = 64 * 1024
	lmLargeMax    = 1024 * 1024
	// The wheel holds at least this many mean lifetimes.
	lmWheelMeans = 16
	// A step is about a hundred nanoseconds: report every 32nd.
	lmStepsPerUnit = 32
)

// A blob and its bytes are two allocations, as the C++'s node and its
// vector's buffer: the byte slice is the variable-size allocation under
// study. A bucket is a LIFO list linked through next.
type lmBlob struct {
	data []byte
	next *lmBlob
}

// lmFreeBucket folds a bucket's blobs into the checksum, from its front,
// and drops them.
func lmFreeBucket(wheel []*lmBlob, slot uint64, sum *work.Checksum) {
	blob := wheel[slot]
	wheel[slot] = nil
	for blob != nil {
		next := blob.next
		blob.next = nil
		d := blob.data
		sum.Add(binary.LittleEndian.Uint64(d))
		sum.Add(binary.LittleEndian.Uint64(d[len(d)-8:]) ^ uint64(len(d))<<32)
		blob = next
	}
}

// Three draws whatever the outcome, as the C++'s draw_size.
func lmDrawSize(rng *work.Rng) int {
	large := rng.Chance(1, lmLargeOneIn)
	classBits := rng.Next()
	offset := uint64(rng.Next())
	if large {
		return int(lmLargeMin + offset%(lmLargeMax-lmLargeMin+1))
	}
	k := work.CountrZero(classBits)
	if k > lmSizeClasses-1 {
		k = lmSizeClasses - 1
	}
	lo := uint64(lmMinSize) << k
	width := lo
	if k == lmSizeClasses-1 {
		width = lo + 1
	}
	return int(lo + offset%width)
}

// k blocks of h steps (k geometric), plus a uniform offset in the block,
// capped at the wheel size minus one, as the C++'s draw_life.
func lmDrawLife(rng *work.Rng, mean, wheelSlots uint64) uint64 {
	block := (2*mean + 1) / 3
	if block < 1 {
		block = 1
	}
	k := uint64(work.CountrZero(rng.Next()))
	drawn := k*block + uint64(rng.Below(uint32(block)))
	if drawn > wheelSlots-2 {
		drawn = wheelSlots - 2
	}
	return 1 + drawn
}

func runLifetimeMix(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("lifetime_mix", params,
		work.Param{Name: "steps", Min: 1, Max: 10000000},
		work.Param{Name: "mean_life", Min: 1, Max: 100000}); err != nil {
		return 0, err
	}
	steps, meanLife := uint64(params[0]), uint64(params[1])
	sum := work.NewChecksum()
	rng := work.NewRng(lmSeed)
	// bit_ceil(16 mean_life + 1): the smallest power of two above 16 mean_life.
	wheelSlots := uint64(1) << bits.Len64(lmWheelMeans*meanLife)
	mask := wheelSlots - 1
	wheel := make([]*lmBlob, wheelSlots)
	counts.Buffers++
	for t := uint64(0); t < steps; t++ {
		lmFreeBucket(wheel, t&mask, &sum)
		size := lmDrawSize(&rng)
		life := lmDrawLife(&rng, meanLife, wheelSlots)
		blob := &lmBlob{data: make([]byte, size)}
		counts.Objects++
		counts.Buffers++
		binary.LittleEndian.PutUint64(blob.data, t)
		binary.LittleEndian.PutUint64(blob.data[size-8:], life)
		slot := (t + life) & mask
		blob.next = wheel[slot]
		wheel[slot] = blob
		if (t+1)%lmStepsPerUnit == 0 {
			obs.UnitDone()
		}
	}
	for i := uint64(0); i < wheelSlots; i++ {
		lmFreeBucket(wheel, (steps+i)&mask, &sum)
	}
	return sum.Value(), nil
}
