// The building blocks against the committed C++ test vectors
// (benchmarks/workloads/test_vectors.json): generator, draws, checksum, FNV.
package work

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

type vectors struct {
	Generator []struct {
		Seed  string
		State []uint32
		Next  []uint32
	}
	DrawSeed string `json:"draw_seed"`
	Below    []struct {
		N   uint32
		Out []uint32
	}
	Between []struct {
		Lo, Hi int64
		Out    []int64
	}
	Chance []struct {
		Num, Den uint32
		Out      []bool
	}
	Skewed []struct {
		N     uint32
		Power int
		Out   []uint32
	}
	Fmix32 []struct {
		In, Out uint32
	}
	MulHigh32 []struct {
		A, B, Out uint32
	} `json:"mul_high32"`
	Checksum []struct {
		Add32 []uint32
		Add   []string
		Value string
	}
	Fnv1a32 []struct {
		In  string
		Out uint32
	}
	Fnv1a32Word []struct {
		H, Word, Out uint32
	} `json:"fnv1a32_word"`
}

func hex64(t *testing.T, s string) uint64 {
	v, err := strconv.ParseUint(s[2:], 16, 64)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return v
}

func load(t *testing.T) vectors {
	raw, err := os.ReadFile("../../../workloads/test_vectors.json")
	if err != nil {
		t.Fatalf("cannot read the test vectors: %v", err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("cannot parse the test vectors: %v", err)
	}
	if len(v.Generator) == 0 || len(v.Below) == 0 || len(v.Checksum) == 0 {
		t.Fatalf("the test vectors lack generator, below or checksum cases")
	}
	return v
}

func TestGenerator(t *testing.T) {
	v := load(t)
	for _, g := range v.Generator {
		r := NewRng(hex64(t, g.Seed))
		st := r.State()
		for i := range st {
			if st[i] != g.State[i] {
				t.Errorf("seed %s: state %v, want %v", g.Seed, st, g.State)
				break
			}
		}
		for i, want := range g.Next {
			if got := r.Next(); got != want {
				t.Errorf("seed %s: next #%d = %d, want %d", g.Seed, i, got, want)
			}
		}
	}
}

func TestDraws(t *testing.T) {
	v := load(t)
	seed := hex64(t, v.DrawSeed)
	for _, c := range v.Below {
		r := NewRng(seed)
		for i, want := range c.Out {
			if got := r.Below(c.N); got != want {
				t.Errorf("below(%d) #%d = %d, want %d", c.N, i, got, want)
			}
		}
	}
	for _, c := range v.Between {
		r := NewRng(seed)
		for i, want := range c.Out {
			if got := r.Between(c.Lo, c.Hi); got != want {
				t.Errorf("between(%d, %d) #%d = %d, want %d", c.Lo, c.Hi, i, got, want)
			}
		}
	}
	for _, c := range v.Chance {
		r := NewRng(seed)
		for i, want := range c.Out {
			if got := r.Chance(c.Num, c.Den); got != want {
				t.Errorf("chance(%d, %d) #%d = %v, want %v", c.Num, c.Den, i, got, want)
			}
		}
	}
	for _, c := range v.Skewed {
		r := NewRng(seed)
		for i, want := range c.Out {
			if got := r.Skewed(c.N, c.Power); got != want {
				t.Errorf("skewed(%d, %d) #%d = %d, want %d", c.N, c.Power, i, got, want)
			}
		}
	}
	for _, c := range v.Fmix32 {
		if got := Fmix32(c.In); got != c.Out {
			t.Errorf("fmix32(%d) = %d, want %d", c.In, got, c.Out)
		}
	}
	for _, c := range v.MulHigh32 {
		if got := MulHigh32(c.A, c.B); got != c.Out {
			t.Errorf("mul_high32(%d, %d) = %d, want %d", c.A, c.B, got, c.Out)
		}
	}
}

func TestChecksumAndFnv(t *testing.T) {
	v := load(t)
	for _, c := range v.Checksum {
		s := NewChecksum()
		for _, w := range c.Add32 {
			s.Add32(w)
		}
		for _, h := range c.Add {
			s.Add(hex64(t, h))
		}
		if got, want := s.Value(), hex64(t, c.Value); got != want {
			t.Errorf("checksum %v %v = 0x%016x, want 0x%016x", c.Add32, c.Add, got, want)
		}
	}
	for _, c := range v.Fnv1a32 {
		if got := Fnv1a32(c.In); got != c.Out {
			t.Errorf("fnv1a32(%q) = %d, want %d", c.In, got, c.Out)
		}
		if got := Fnv1a32Bytes([]byte(c.In)); got != c.Out {
			t.Errorf("fnv1a32 bytes (%q) = %d, want %d", c.In, got, c.Out)
		}
	}
	for _, c := range v.Fnv1a32Word {
		if got := Fnv1a32Word(c.H, c.Word); got != c.Out {
			t.Errorf("fnv1a32_word(%d, %d) = %d, want %d", c.H, c.Word, got, c.Out)
		}
	}
}

func TestCountrZero(t *testing.T) {
	for _, c := range []struct{ in, out uint32 }{{0, 32}, {1, 0}, {8, 3}, {0x80000000, 31}} {
		if got := CountrZero(c.in); got != c.out {
			t.Errorf("countr_zero(%d) = %d, want %d", c.in, got, c.out)
		}
	}
}

func TestCheckParams(t *testing.T) {
	if err := CheckParams("w", []int64{3}, Param{"depth", 4, 24}); err == nil ||
		err.Error() != "w: depth must be in [4, 24]" {
		t.Errorf("CheckParams out of range: %v", err)
	}
	if err := CheckParams("w", []int64{4, 1}, Param{"depth", 4, 24}); err == nil {
		t.Errorf("CheckParams took two parameters for one")
	}
	if _, ok := CheckParams("w", nil).(*UsageError); ok {
		t.Errorf("CheckParams of no parameters failed")
	}
}
