// The workloads' only random source: xoshiro128** 1.1 seeded through
// MurmurHash3's fmix32, with Lemire's unbiased Below and the derived draws
// of docs/workloads.md ("The generator"), on uint32 words so Go draws
// exactly the C++'s numbers.
package work

import "math/bits"

// Golden is the seeding constant G.
const Golden uint32 = 0x9e3779b9

// Rng is a value type: a workload keeps it on its stack, as the C++ does.
type Rng struct {
	s0, s1, s2, s3 uint32
}

// Fmix32 is MurmurHash3's finaliser.
func Fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// MulHigh32 is the high word of the 64-bit product a*b.
func MulHigh32(a, b uint32) uint32 {
	return uint32((uint64(a) * uint64(b)) >> 32)
}

// NewRng seeds a generator from a 64-bit seed.
func NewRng(seed uint64) Rng {
	var r Rng
	r.Reseed(seed)
	return r
}

// Reseed starts over as NewRng(seed) would.
func (r *Rng) Reseed(seed uint64) {
	lo, hi := uint32(seed), uint32(seed>>32)
	word := func(i uint32) uint32 {
		return Fmix32(lo+(2*i+1)*Golden) ^ Fmix32(hi+(2*i+2)*Golden)
	}
	r.s0, r.s1, r.s2, r.s3 = word(0), word(1), word(2), word(3)
	// xoshiro's only bad state; no workload seed reaches it.
	if r.s0|r.s1|r.s2|r.s3 == 0 {
		r.s0 = Golden
	}
}

// State is the four state words, for the generator's test vector.
func (r *Rng) State() [4]uint32 {
	return [4]uint32{r.s0, r.s1, r.s2, r.s3}
}

// Next is the next 32-bit word.
func (r *Rng) Next() uint32 {
	result := bits.RotateLeft32(r.s1*5, 7) * 9
	t := r.s1 << 9
	r.s2 ^= r.s0
	r.s3 ^= r.s1
	r.s1 ^= r.s2
	r.s0 ^= r.s3
	r.s2 ^= t
	r.s3 = bits.RotateLeft32(r.s3, 11)
	return result
}

// Below is uniform in [0, n) for 1 <= n <= 2^32 - 1 (Lemire's
// multiply-shift with rejection): one draw, more only on a rejection.
func (r *Rng) Below(n uint32) uint32 {
	m := uint64(r.Next()) * uint64(n)
	if uint32(m) < n {
		threshold := -n % n // (2^32 - n) mod n
		for uint32(m) < threshold {
			m = uint64(r.Next()) * uint64(n)
		}
	}
	return uint32(m >> 32)
}

// Between is uniform in [lo, hi]; hi - lo + 1 must be in [1, 2^32 - 1].
func (r *Rng) Between(lo, hi int64) int64 {
	return lo + int64(r.Below(uint32(hi-lo+1)))
}

// Chance is true with probability num / den: one Below(den).
func (r *Rng) Chance(num, den uint32) bool {
	return r.Below(den) < num
}

// Skewed is floor(n u^power) for u = Next() / 2^32, in [0, n).
func (r *Rng) Skewed(n uint32, power int) uint32 {
	u := r.Next()
	x := u
	for i := 1; i < power; i++ {
		x = MulHigh32(x, u)
	}
	return MulHigh32(x, n)
}

// CountrZero is the trailing zero bits of x, 32 for 0: a geometric draw.
func CountrZero(x uint32) uint32 {
	return uint32(bits.TrailingZeros32(x))
}
