// The workloads' result digest (docs/workloads.md, "The checksum"): two
// MurmurHash3_x86_32 lanes, the second fed the first's new value, and a
// count, finalised with fmix32. Order-sensitive, so a port that does the
// work in another order disagrees.
package work

import "math/bits"

// Checksum is a value type (a stack value in C++ too).
type Checksum struct {
	a, b, n uint32
}

// NewChecksum is the empty digest.
func NewChecksum() Checksum {
	return Checksum{a: 0x6d656d73, b: 0x74726174}
}

func block(h, k uint32) uint32 {
	k *= 0xcc9e2d51
	k = bits.RotateLeft32(k, 15)
	k *= 0x1b873593
	h ^= k
	h = bits.RotateLeft32(h, 13)
	return h*5 + 0xe6546b64
}

// Add32 feeds one word.
func (c *Checksum) Add32(k uint32) {
	c.a = block(c.a, k)
	c.b = block(c.b, k^c.a)
	c.n++
}

// Add feeds a 64-bit value, low word first.
func (c *Checksum) Add(v uint64) {
	c.Add32(uint32(v))
	c.Add32(uint32(v >> 32))
}

// Value is the digest; it does not change the state.
func (c *Checksum) Value() uint64 {
	return uint64(Fmix32(c.b^c.n))<<32 | uint64(Fmix32(c.a^c.n))
}
