// The registered workloads, in the C++ catalogue's order, and the benchmarks
// they make under the harness's strategies. The harness, the CLI and the
// tests walk this list and name no workload themselves. A workload joins it
// once its small-size checksum, units and objects equal the C++ test vectors.
package workloads

import (
	"fmt"
	"strings"

	"memstrat/work"
)

// spec is a workload's declaration plus its run function: every workload
// is one of these, so the registry holds pointers to structs and the run is
// a direct function call behind one interface call.
type spec struct {
	name       string
	unit       string
	paramNames []string
	small      []int64
	defaults   []int64
	run        func(params []int64, obs work.Observer, counts *work.Counts) (uint64, error)
}

func (s *spec) Name() string         { return s.name }
func (s *spec) Unit() string         { return s.unit }
func (s *spec) ParamNames() []string { return append([]string(nil), s.paramNames...) }
func (s *spec) Small() []int64       { return append([]int64(nil), s.small...) }
func (s *spec) Defaults() []int64    { return append([]int64(nil), s.defaults...) }
func (s *spec) All() [][]int64       { return [][]int64{s.Small(), s.Defaults()} }
func (s *spec) Run(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	return s.run(params, obs, counts)
}

// Registry is every workload, in the C++ catalogue's order.
var Registry = []work.Workload{
	BinaryTrees,
	ListChurn,
	LifetimeMix,
	StringDict,
	RequestServer,
	DeepStructure,
	ProducerConsumer,
	DocTree,
	GraphWalk,
	LruCache,
}

// Find is the workload named name, or nil.
func Find(name string) work.Workload {
	for _, w := range Registry {
		if w.Name() == name {
			return w
		}
	}
	return nil
}

// Bench is one benchmark: a workload at one size under one strategy, named
// as memstrat_bench names its own (binary_trees/go/depth:16).
type Bench struct {
	Workload work.Workload
	Params   []int64
	Strategy string
	Name     string
}

// NewBench names the benchmark of w at params under strategy.
func NewBench(w work.Workload, params []int64, strategy string) Bench {
	var b strings.Builder
	b.WriteString(w.Name() + "/" + strategy)
	for i, n := range w.ParamNames() {
		fmt.Fprintf(&b, "/%s:%d", n, params[i])
	}
	return Bench{Workload: w, Params: params, Strategy: strategy, Name: b.String()}
}

// ParamsMap is the params as the protocol's object (encoding/json sorts it).
func (b Bench) ParamsMap() map[string]int64 {
	m := make(map[string]int64)
	for i, n := range b.Workload.ParamNames() {
		m[n] = b.Params[i]
	}
	return m
}

// Benchmarks lists every benchmark of strategies at size small, default or
// all (per strategy, each workload's small then default size).
func Benchmarks(size string, strategies []string) ([]Bench, error) {
	if size != "small" && size != "default" && size != "all" {
		return nil, work.Usagef("--size takes small, default or all, not %q", size)
	}
	var out []Bench
	for _, s := range strategies {
		for _, w := range Registry {
			if size != "default" {
				out = append(out, NewBench(w, w.Small(), s))
			}
			if size != "small" {
				out = append(out, NewBench(w, w.Defaults(), s))
			}
		}
	}
	return out, nil
}

// FindBench is the benchmark named name at size, or false.
func FindBench(name, size string, strategies []string) (Bench, bool, error) {
	all, err := Benchmarks(size, strategies)
	if err != nil {
		return Bench{}, false, err
	}
	for _, b := range all {
		if b.Name == name {
			return b, true, nil
		}
	}
	return Bench{}, false, nil
}
