// FNV-1a 32-bit (docs/workloads.md, "The hash"): the string hash and the
// per-object word digest every port computes alike. Go's own map hash never
// decides anything a checksum sees.
package work

const (
	// FnvOffsetBasis is FNV-1a's starting value, 2166136261.
	FnvOffsetBasis uint32 = 0x811c9dc5
	// FnvPrime is FNV's 32-bit prime.
	FnvPrime uint32 = 16777619
)

// Fnv1a32 hashes the bytes of s (the workloads' text is ASCII).
func Fnv1a32(s string) uint32 {
	h := FnvOffsetBasis
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * FnvPrime
	}
	return h
}

// Fnv1a32Bytes hashes a byte slice as Fnv1a32 hashes a string.
func Fnv1a32Bytes(b []byte) uint32 {
	h := FnvOffsetBasis
	for _, c := range b {
		h = (h ^ uint32(c)) * FnvPrime
	}
	return h
}

// Fnv1a32Word is one FNV step over a whole word: the cheap per-object digest.
func Fnv1a32Word(h, w uint32) uint32 {
	return (h ^ w) * FnvPrime
}
