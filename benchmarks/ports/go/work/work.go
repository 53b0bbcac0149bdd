// What the harness knows of a workload, and what a workload reports while it
// runs: the Workload interface, the Observer (units of work, request bounds),
// the Counts of objects and buffers, and UsageError for bad parameters.
// Nothing here knows the harness or the collector.
package work

import "fmt"

// Observer is what a workload reports while it runs, as the C++
// WorkObserver. Go's reclaim events are the collector's own (the harness
// reads them from gctrace): the workloads bracket no release.
type Observer interface {
	UnitDone()
	RequestBegin()
	RequestEnd()
}

// UnitCounter is an Observer that only counts units (--check, tests).
type UnitCounter struct {
	Units int64
}

func (c *UnitCounter) UnitDone()     { c.Units++ }
func (c *UnitCounter) RequestBegin() {}
func (c *UnitCounter) RequestEnd()   {}

// Counts is what a run made: Objects, one per C++ make<T> call; Buffers,
// one per slice, map or string buffer the workload makes itself where the
// C++ allocates a container buffer. Go's own regrowth of a slice or map is
// invisible here (append and map inserts reallocate without telling), so
// Buffers counts the buffers the workload asks for, not every reallocation.
// A goroutine the workload starts counts into its own Counts, added in when
// it has finished: plain fields, one increment on the timed path.
type Counts struct {
	Objects, Buffers int64
}

// Add adds other's counts into c.
func (c *Counts) Add(other *Counts) {
	c.Objects += other.Objects
	c.Buffers += other.Buffers
}

// Workload is one of the ten workloads, written once from docs/workloads.md.
type Workload interface {
	Name() string
	// Unit is what one unit of work is (test_vectors.json's `unit`).
	Unit() string
	ParamNames() []string
	Small() []int64
	Defaults() []int64
	// All is every registered size: Small then Defaults, as the C++.
	All() [][]int64
	// Run does the work once and returns its checksum; bad parameters give
	// a *UsageError naming the range.
	Run(params []int64, obs Observer, counts *Counts) (uint64, error)
}

// UsageError is bad input from the user (exit 2): one line, no trace.
type UsageError struct {
	Msg string
}

func (e *UsageError) Error() string { return e.Msg }

// Usagef makes a *UsageError.
func Usagef(format string, args ...interface{}) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Param is one parameter's name and closed range, for CheckParams.
type Param struct {
	Name     string
	Min, Max int64
}

// CheckParams validates params against ranges, in the C++'s words
// ("<workload>: <name> must be in [min, max]"); the first failure wins.
func CheckParams(workload string, params []int64, ranges ...Param) error {
	if len(params) != len(ranges) {
		return Usagef("%s: takes %d parameters, not %d", workload, len(ranges), len(params))
	}
	for i, p := range ranges {
		if params[i] < p.Min || params[i] > p.Max {
			return Usagef("%s: %s must be in [%d, %d]", workload, p.Name, p.Min, p.Max)
		}
	}
	return nil
}
