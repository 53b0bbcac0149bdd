// Package gctrace parses the Go runtime's per-cycle trace (GODEBUG=gctrace=1)
// as Go 1.19 prints it (runtime/mgc.go, gcMarkTermination), one line per
// collection on the process's stderr:
//
//	gc 4 @0.062s 12%: 0.045+15+0.003 ms clock, 0.090+8.4/4.6/0.072+0.006 ms cpu,
//	   14->17->12 MB, 17 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
//
// (one line). @0.062s is the cycle's start (the sweep-termination
// stop-the-world) in seconds since the runtime started, truncated to the
// millisecond; the clock triple is the wall time of the sweep-termination
// stop-the-world, the concurrent mark, and the mark-termination
// stop-the-world; the cpu figures are sweep termination + mark assists /
// background marking / idle marking + mark termination, each CPU summed over
// every P. Durations are printed with two significant digits (whole
// milliseconds from 10 ms); the heap sizes are whole MB, truncated. The
// testdata files are real lines of go1.19.8.
package gctrace

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Cycle is one collection as its line says.
type Cycle struct {
	N       int64
	AtNs    int64 // the cycle's start, ns since the runtime started (ms resolution)
	Percent int64
	// The wall clock of the phases: sweep termination (stop-the-world),
	// concurrent mark, mark termination (stop-the-world).
	SweepTermNs, MarkNs, MarkTermNs int64
	// CPU, summed over every P.
	SweepTermCPUNs, AssistCPUNs, BackgroundCPUNs, IdleCPUNs, MarkTermCPUNs int64
	HeapStartMB, HeapEndMB, LiveMB, GoalMB, StacksMB, GlobalsMB            int64
	Procs                                                                  int64
	Forced                                                                 bool
}

// CPUNs is all of the cycle's collector CPU (its stop-the-world phases and
// every kind of marking, assists included).
func (c Cycle) CPUNs() int64 {
	return c.SweepTermCPUNs + c.AssistCPUNs + c.BackgroundCPUNs + c.IdleCPUNs + c.MarkTermCPUNs
}

// StopWorldNs is the wall time of the cycle's two stop-the-world phases.
func (c Cycle) StopWorldNs() int64 { return c.SweepTermNs + c.MarkTermNs }

var line = regexp.MustCompile(`^gc (\d+) @(\d+\.\d+)s (\d+)%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, ` +
	`([0-9.]+)\+([0-9.]+)/([0-9.]+)/([0-9.]+)\+([0-9.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, ` +
	`(\d+) MB stacks, (\d+) MB globals, (\d+) P( \(forced\))?$`)

// Decimal parses a non-negative decimal ("0.045", "15", "0") exactly, scaled
// by 10^digits of its unit: Decimal("0.045", 6) is 45000 (ms to ns).
func Decimal(s string, digits int) (int64, error) {
	whole, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	}
	if whole == "" || len(frac) > digits {
		return 0, fmt.Errorf("%q is not a decimal with at most %d places", s, digits)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a decimal", s)
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, fmt.Errorf("%q is not a decimal", s)
		}
	}
	for i := len(frac); i < digits; i++ {
		f *= 10
	}
	scale := int64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	return w*scale + f, nil
}

// ParseLine reads one line; ok is false for a line that is not a cycle's.
func ParseLine(s string) (c Cycle, ok bool) {
	m := line.FindStringSubmatch(strings.TrimRight(s, "\r\n"))
	if m == nil {
		return c, false
	}
	ints := make([]int64, 0, 8)
	for _, i := range []int{1, 3, 12, 13, 14, 15, 16, 17, 18} {
		v, err := strconv.ParseInt(m[i], 10, 64)
		if err != nil {
			return c, false
		}
		ints = append(ints, v)
	}
	ms := make([]int64, 0, 8)
	for i := 4; i <= 11; i++ {
		v, err := Decimal(m[i], 6)
		if err != nil {
			return c, false
		}
		ms = append(ms, v)
	}
	at, err := Decimal(m[2], 9)
	if err != nil {
		return c, false
	}
	c = Cycle{
		N: ints[0], AtNs: at, Percent: ints[1],
		SweepTermNs: ms[0], MarkNs: ms[1], MarkTermNs: ms[2],
		SweepTermCPUNs: ms[3], AssistCPUNs: ms[4], BackgroundCPUNs: ms[5], IdleCPUNs: ms[6],
		MarkTermCPUNs: ms[7],
		HeapStartMB:   ints[2], HeapEndMB: ints[3], LiveMB: ints[4], GoalMB: ints[5],
		StacksMB: ints[6], GlobalsMB: ints[7], Procs: ints[8], Forced: m[19] != "",
	}
	return c, true
}

// Parse reads every cycle line of a stream, in order, skipping other lines
// (anything else the process printed).
func Parse(text string) []Cycle {
	var out []Cycle
	for _, l := range strings.Split(text, "\n") {
		if c, ok := ParseLine(l); ok {
			out = append(out, c)
		}
	}
	return out
}

// The pause kinds of a cycle (the probe's pause kinds for Go).
const (
	SweepTermination = "sweep_termination"
	MarkTermination  = "mark_termination"
	MarkAssist       = "mark_assist"
)

// Event is one pause (or assist) on the program's clock.
type Event struct {
	Kind       string
	StartNs    int64
	DurationNs int64
	Cycle      int64
}

// StartOf is the program-clock time of a cycle's start from its @ alone:
// initNs is the runtime's start on that clock (runtime.runtimeInitTime,
// the value the runtime subtracts before printing @). The print truncates
// to the millisecond, so the true start lies in [@, @ + 1 ms): StartOf is
// its middle, within 0.5 ms.
func StartOf(c Cycle, initNs int64) int64 { return initNs + c.AtNs + AtResolutionNs/2 }

// AtResolutionNs is the resolution of @.
const AtResolutionNs = 1000000

// Events are a cycle's two stop-the-world phases and, when it had any, its
// mark assists: sweep termination at the cycle's start, mark termination
// after the concurrent mark's wall time, the assists (CPU summed over Ps, not
// one wait) placed at the start of the mark they happened in. endNs, when
// known (> 0), is the end of the cycle's mark termination on the program's
// clock (runtime.MemStats.PauseEnd: exact), which places mark termination
// exactly and the cycle's start within the two-digit precision of the clock
// triple, kept inside the millisecond @ allows.
func Events(c Cycle, initNs, endNs int64) []Event {
	t := StartOf(c, initNs)
	markTerm := t + c.SweepTermNs + c.MarkNs
	if endNs > 0 {
		markTerm = endNs - c.MarkTermNs
		t = markTerm - c.MarkNs - c.SweepTermNs
		if lo := initNs + c.AtNs; t < lo {
			t = lo
		} else if hi := lo + AtResolutionNs - 1; t > hi {
			t = hi
		}
	}
	ev := []Event{
		{SweepTermination, t, c.SweepTermNs, c.N},
		{MarkTermination, markTerm, c.MarkTermNs, c.N},
	}
	if c.AssistCPUNs > 0 {
		ev = append(ev, Event{MarkAssist, t + c.SweepTermNs, c.AssistCPUNs, c.N})
	}
	return ev
}
