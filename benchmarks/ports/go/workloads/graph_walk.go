// graph_walk: four random directed graphs, each built as adjacency lists,
// searched breadth first from vertex 0 and dropped: pointer-rich structures
// whose search order is unrelated to allocation order. Every vertex is its
// own object holding a slice of pointers to others; the slices grow one
// edge at a time, all vertices in lock step, as the C++'s vectors do (by
// append: each growth is counted as a buffer, the workload sees cap change).
package workloads

import "memstrat/work"

// GraphWalk is docs/workloads.md's graph_walk.
var GraphWalk work.Workload = &spec{
	name:       "graph_walk",
	unit:       "vertex",
	paramNames: []string{"vertices", "degree"},
	small:      []int64{1000, 4},
	defaults:   []int64{100000, 8},
	run:        runGraphWalk,
}

const (
	gwSeed            = 0x67726170
	gwGraphs          = 4
	gwVerticesPerUnit = 256
)

type gwVertex struct {
	edges    []*gwVertex
	id       uint64
	distance int32 // -1: not reached yet
}

func gwAddEdge(v, to *gwVertex, counts *work.Counts) {
	if len(v.edges) == cap(v.edges) {
		counts.Buffers++ // append makes a new backing array
	}
	v.edges = append(v.edges, to)
}

func gwTick(i int, obs work.Observer) {
	if (i+1)%gwVerticesPerUnit == 0 {
		obs.UnitDone()
	}
}

func gwSearch(n int, degree int64, rng *work.Rng, sum *work.Checksum, obs work.Observer, counts *work.Counts) {
	vertices := make([]*gwVertex, n)
	counts.Buffers++
	for i := range vertices {
		vertices[i] = &gwVertex{id: uint64(i), distance: -1}
		counts.Objects++
		gwTick(i, obs)
	}
	for i := 0; i+1 < n; i++ {
		gwAddEdge(vertices[i], vertices[i+1], counts)
	}
	for round := int64(0); round < degree; round++ {
		for i := 0; i < n; i++ {
			gwAddEdge(vertices[i], vertices[rng.Below(uint32(n))], counts)
			gwTick(i, obs)
		}
	}

	// The C++'s queue: a vector reserved for every vertex, read by index.
	queue := make([]*gwVertex, 0, n)
	counts.Buffers++
	start := vertices[0]
	start.distance = 0
	queue = append(queue, start)
	var edgesSeen uint64
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		sum.Add32(uint32(v.id))
		sum.Add32(uint32(v.distance))
		edgesSeen += uint64(len(v.edges))
		for _, w := range v.edges {
			if w.distance < 0 {
				w.distance = v.distance + 1
				queue = append(queue, w)
			}
		}
		gwTick(head, obs)
	}
	sum.Add(uint64(len(queue)))
	sum.Add(edgesSeen)
	// The graph dies on return, with the vertex slice: the collector's part.
}

func runGraphWalk(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("graph_walk", params,
		work.Param{Name: "vertices", Min: 2, Max: 100000000},
		work.Param{Name: "degree", Min: 0, Max: 1000}); err != nil {
		return 0, err
	}
	sum := work.NewChecksum()
	for g := uint64(0); g < gwGraphs; g++ {
		rng := work.NewRng(gwSeed + g)
		gwSearch(int(params[0]), params[1], &rng, &sum, obs, counts)
	}
	return sum.Value(), nil
}
