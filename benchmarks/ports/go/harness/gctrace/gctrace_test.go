// The parser against real go1.19.8 lines (testdata/, made as its README says).
package gctrace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParsesARealLine(t *testing.T) {
	c, ok := ParseLine("gc 4 @0.062s 12%: 0.045+15+0.003 ms clock, 0.090+8.4/4.6/0.072+0.006 ms cpu, " +
		"14->17->12 MB, 17 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)")
	if !ok {
		t.Fatal("a real line did not parse")
	}
	want := Cycle{N: 4, AtNs: 62000000, Percent: 12, SweepTermNs: 45000, MarkNs: 15000000, MarkTermNs: 3000,
		SweepTermCPUNs: 90000, AssistCPUNs: 8400000, BackgroundCPUNs: 4600000, IdleCPUNs: 72000,
		MarkTermCPUNs: 6000, HeapStartMB: 14, HeapEndMB: 17, LiveMB: 12, GoalMB: 17, Procs: 2, Forced: true}
	if c != want {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
	if c.CPUNs() != 90000+8400000+4600000+72000+6000 || c.StopWorldNs() != 48000 {
		t.Fatalf("cpu %d stw %d", c.CPUNs(), c.StopWorldNs())
	}
	// From @ alone: the middle of its millisecond.
	ev := Events(c, 1000, 0)
	if len(ev) != 3 || ev[0].Kind != SweepTermination || ev[0].StartNs != 62501000 || ev[0].DurationNs != 45000 ||
		ev[1].Kind != MarkTermination || ev[1].StartNs != 62501000+45000+15000000 || ev[1].DurationNs != 3000 ||
		ev[2].Kind != MarkAssist || ev[2].StartNs != 62501000+45000 || ev[2].DurationNs != 8400000 {
		t.Fatalf("events %+v", ev)
	}
	// With the exact end of mark termination: placed from it, the start
	// kept inside @'s millisecond.
	end := int64(1000 + 62000000 + 200000 + 45000 + 15000000 + 3000)
	ev = Events(c, 1000, end)
	if ev[1].StartNs != end-3000 || ev[0].StartNs != 62201000 {
		t.Fatalf("events from the end %+v", ev)
	}
	if ev = Events(c, 1000, end+5000000); ev[0].StartNs != 62001000+999999 {
		t.Fatalf("a start past @'s millisecond is not clamped: %+v", ev)
	}
}

func TestZeroFieldsAndNoAssist(t *testing.T) {
	c, ok := ParseLine("gc 508 @0.826s 11%: 0.056+0.076+0 ms clock, 0.11+0.056/0/0+0 ms cpu, 0->0->0 MB, " +
		"0 MB goal, 0 MB stacks, 0 MB globals, 2 P")
	if !ok || c.MarkTermNs != 0 || c.Forced || c.AssistCPUNs != 56000 || c.IdleCPUNs != 0 {
		t.Fatalf("%v %+v", ok, c)
	}
	c.AssistCPUNs = 0
	if len(Events(c, 0, 0)) != 2 {
		t.Fatal("a cycle without assists has an assist event")
	}
}

func TestEveryFixtureLineParses(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) < 3 {
		t.Fatalf("fixtures missing: %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, l := range splitLines(string(b)) {
			lines++
			if _, ok := ParseLine(l); !ok {
				t.Errorf("%s: %q does not parse", f, l)
			}
		}
		cycles := Parse(string(b) + "\nsome other output\n")
		if len(cycles) != lines || lines == 0 {
			t.Errorf("%s: %d cycles of %d lines", f, len(cycles), lines)
		}
		for i := 1; i < len(cycles); i++ {
			if cycles[i].N <= cycles[i-1].N || cycles[i].AtNs < cycles[i-1].AtNs {
				t.Errorf("%s: cycles out of order at %d", f, i)
			}
		}
	}
}

func TestRejectsOtherLines(t *testing.T) {
	for _, l := range []string{"", "panic: boom", "gc 1 @0.004s 1%: 0.021+14 ms clock",
		"scvg: 0 MB released", "gc x @0.004s"} {
		if _, ok := ParseLine(l); ok {
			t.Errorf("%q parsed", l)
		}
	}
	if _, err := Decimal("1.0001", 3); err == nil {
		t.Error("too many places accepted")
	}
	if v, _ := Decimal("0.004", 9); v != 4000000 {
		t.Errorf("0.004 s = %d ns", v)
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
