// deep_structure: one very long singly linked list, built, walked and torn
// down: an append-only log or a chain of versions dropped at once. Under the
// C++'s explicit strategies the teardown is millions of frees in one pause;
// here the collector finds the whole list dead at once, and what it costs is
// marking an ever longer list while it grows. Every traversal is a loop.
package workloads

import "memstrat/work"

// DeepStructure is docs/workloads.md's deep_structure.
var DeepStructure work.Workload = &spec{
	name:       "deep_structure",
	unit:       "node",
	paramNames: []string{"length"},
	small:      []int64{20000},
	defaults:   []int64{3000000},
	run:        runDeepStructure,
}

const (
	dsSeed = 0xdee957470c700001
	// A node is a few nanoseconds: report every 256th built and walked.
	dsNodesPerUnit = 256
)

type dsNode struct {
	next *dsNode
	// One 32-bit draw in a 64-bit word, as the C++'s node holds it.
	value uint64
}

func runDeepStructure(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("deep_structure", params,
		work.Param{Name: "length", Min: 1, Max: 20000000}); err != nil {
		return 0, err
	}
	length := params[0]
	sum := work.NewChecksum()
	rng := work.NewRng(dsSeed)
	var head, tail *dsNode
	for i := int64(0); i < length; i++ {
		n := &dsNode{value: uint64(rng.Next())}
		counts.Objects++
		if tail == nil {
			head = n
		} else {
			tail.next = n
		}
		tail = n
		if (i+1)%dsNodesPerUnit == 0 {
			obs.UnitDone()
		}
	}
	tail = nil

	var walked uint32
	var nodes uint64
	for n := head; n != nil; n = n.next {
		walked = work.Fnv1a32Word(walked, uint32(n.value))
		nodes++
		if nodes%dsNodesPerUnit == 0 {
			obs.UnitDone()
		}
	}
	sum.Add32(walked)
	sum.Add(nodes)

	// The C++'s teardown loop: unlink the next node, read the value, drop
	// the head. Dropping is the collector's, later; the unlinking stores are
	// kept as the C++ does them.
	var released uint32
	for head != nil {
		next := head.next
		head.next = nil
		released += uint32(head.value)
		head = next
	}
	sum.Add32(released)
	return sum.Value(), nil
}
