// binary_trees (GCBench / Benchmarks Game): many short-lived complete binary
// trees beside one long-lived tree. No random draws. A tree is dropped by
// letting go of its root: what the collector does with it is the measure.
package workloads

import "memstrat/work"

// BinaryTrees is docs/workloads.md's binary_trees.
var BinaryTrees work.Workload = &spec{
	name:       "binary_trees",
	unit:       "tree",
	paramNames: []string{"depth"},
	small:      []int64{10},
	defaults:   []int64{16},
	run:        runBinaryTrees,
}

type btNode struct {
	item        int64
	left, right *btNode
}

// btTree makes the children before their parent, left subtree first. The
// nodes are heap objects: a recursive function's result always escapes.
func btTree(counts *work.Counts, item int64, depth int) *btNode {
	counts.Objects++
	if depth == 0 {
		return &btNode{item: item}
	}
	left := btTree(counts, 2*item-1, depth-1)
	right := btTree(counts, 2*item, depth-1)
	return &btNode{item: item, left: left, right: right}
}

func btNodes(t *btNode) int64 {
	if t.left == nil {
		return 1
	}
	return 1 + btNodes(t.left) + btNodes(t.right)
}

func btItems(t *btNode) int64 {
	if t.left == nil {
		return t.item
	}
	return t.item + btItems(t.left) - btItems(t.right)
}

func btCheck(sum *work.Checksum, t *btNode) {
	sum.Add32(uint32(btNodes(t)))
	sum.Add32(uint32(btItems(t)))
}

func runBinaryTrees(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("binary_trees", params, work.Param{Name: "depth", Min: 4, Max: 24}); err != nil {
		return 0, err
	}
	depth := int(params[0])
	sum := work.NewChecksum()
	stretch := btTree(counts, 0, depth+1)
	btCheck(&sum, stretch)
	obs.UnitDone()
	// Dropped: Go's liveness is precise, so a local past its last use is no
	// root (the C++'s release of the stretch tree).
	longLived := btTree(counts, 0, depth)
	for d := 4; d <= depth; d += 2 {
		iterations := 2 * ((int64(1) << (depth + 1)) - 1) / ((int64(1) << (d + 1)) - 1)
		for i := int64(0); i < iterations; i++ {
			t := btTree(counts, i, d)
			btCheck(&sum, t)
			obs.UnitDone()
		}
	}
	btCheck(&sum, longLived)
	obs.UnitDone()
	return sum.Value(), nil
}
