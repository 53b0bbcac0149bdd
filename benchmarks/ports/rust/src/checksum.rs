//! The workloads' result digest (docs/workloads.md, "The checksum"): two
//! MurmurHash3_x86_32 lanes, the second fed the first's new value, and a
//! count, finalised with fmix32. Order-sensitive, so a port that does the
//! work in another order disagrees.

use crate::random::fmix32;

#[derive(Clone, Debug)]
pub struct Checksum {
    a: u32,
    b: u32,
    n: u32,
}

fn block(mut h: u32, mut k: u32) -> u32 {
    k = k.wrapping_mul(0xcc9e_2d51);
    k = k.rotate_left(15);
    k = k.wrapping_mul(0x1b87_3593);
    h ^= k;
    h = h.rotate_left(13);
    h.wrapping_mul(5).wrapping_add(0xe654_6b64)
}

impl Default for Checksum {
    fn default() -> Self {
        Self::new()
    }
}

impl Checksum {
    pub fn new() -> Checksum {
        Checksum {
            a: 0x6d65_6d73,
            b: 0x7472_6174,
            n: 0,
        }
    }

    pub fn add32(&mut self, k: u32) {
        self.a = block(self.a, k);
        self.b = block(self.b, k ^ self.a);
        self.n = self.n.wrapping_add(1);
    }

    pub fn add(&mut self, v: u64) {
        self.add32(v as u32);
        self.add32((v >> 32) as u32);
    }

    pub fn value(&self) -> u64 {
        ((fmix32(self.b ^ self.n) as u64) << 32) | fmix32(self.a ^ self.n) as u64
    }
}
