// string_dict: word counting, the core of a symbol table or an interner: a
// stream of words from a skewed vocabulary counted in a hash map keyed by
// strings. Many small keys, the map's table it outgrows, and the lookups
// among them.
//
// Where Go differs from the C++'s std::unordered_map<String, uint64_t>: a Go
// map keeps its keys and values inline in its buckets (no node per entry),
// so the map is map[string]int32, an index into a slice of counts, and an
// entry costs its key string's bytes (one allocation, a buffer) plus its
// share of the buckets. The lookup converts the spelling buffer to a string
// in the index expression, which Go does without allocating: only a miss
// makes a key, as the C++'s transparent find. Objects: 0, as the C++.
package workloads

import "memstrat/work"

// StringDict is docs/workloads.md's string_dict.
var StringDict work.Workload = &spec{
	name:       "string_dict",
	unit:       "word",
	paramNames: []string{"words", "vocabulary"},
	small:      []int64{20000, 2000},
	defaults:   []int64{400000, 40000},
	run:        runStringDict,
}

const (
	sdSeed         = 0x737472696e675f64
	sdSpellingSeed = 0x776f72645f746578
	sdMinLength    = 3
	sdMaxLength    = 24
	sdSkew         = 3
	// A word is about a hundred nanoseconds: report every 32nd.
	sdWordsPerUnit = 32
)

// sdDigits is the number of base-26 digits of vocabulary - 1, at least one.
func sdDigits(vocabulary int64) int {
	d := 1
	for v := (vocabulary - 1) / 26; v > 0; v /= 26 {
		d++
	}
	return d
}

// sdSpell spells word index into out (random letters, then the index's
// digits, least significant first) and returns its length: no allocation.
func sdSpell(index uint64, digits int, out *[sdMaxLength]byte) int {
	letters := work.NewRng(sdSpellingSeed + index)
	lo := int64(sdMinLength)
	if int64(digits) > lo {
		lo = int64(digits)
	}
	length := int(letters.Between(lo, sdMaxLength))
	// 26^6 < 2^32: one draw spells 6 letters.
	var bits uint32
	for i := 0; i < length-digits; i++ {
		if i%6 == 0 {
			bits = letters.Next()
		}
		out[i] = byte('a' + bits%26)
		bits /= 26
	}
	for i := length - digits; i < length; i++ {
		out[i] = byte('a' + index%26)
		index /= 26
	}
	return length
}

func runStringDict(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("string_dict", params,
		work.Param{Name: "words", Min: 1, Max: 1000000000},
		work.Param{Name: "vocabulary", Min: 1, Max: 11881376}); err != nil {
		return 0, err
	}
	words, vocabulary := params[0], params[1]
	sum := work.NewChecksum()
	rng := work.NewRng(sdSeed)
	digits := sdDigits(vocabulary)
	var spelling [sdMaxLength]byte
	dict := make(map[string]int32)
	var wordCounts []uint64
	counts.Buffers += 2
	for n := int64(0); n < words; n++ {
		length := sdSpell(uint64(rng.Skewed(uint32(vocabulary), sdSkew)), digits, &spelling)
		if i, ok := dict[string(spelling[:length])]; ok {
			wordCounts[i]++
		} else {
			dict[string(spelling[:length])] = int32(len(wordCounts))
			wordCounts = append(wordCounts, 1)
			counts.Buffers++
		}
		if (n+1)%sdWordsPerUnit == 0 {
			obs.UnitDone()
		}
	}
	// A sum of per-entry digests: the map's iteration order reaches nothing.
	var low, high uint32
	for key, i := range dict {
		e := work.NewChecksum()
		e.Add32(work.Fnv1a32(key))
		e.Add(wordCounts[i])
		v := e.Value()
		low += uint32(v)
		high += uint32(v >> 32)
	}
	sum.Add(uint64(len(dict)))
	sum.Add32(low)
	sum.Add32(high)
	return sum.Value(), nil
}
