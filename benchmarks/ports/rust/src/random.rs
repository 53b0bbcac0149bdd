//! The workloads' only random source: xoshiro128** 1.1 seeded through
//! MurmurHash3's fmix32, with Lemire's unbiased below() and the derived
//! draws of docs/workloads.md ("The generator"). 32-bit words throughout, so
//! every port draws the same numbers.

/// MurmurHash3's finaliser.
pub fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// The high word of a 32x32-bit product.
pub fn mul_high32(a: u32, b: u32) -> u32 {
    ((a as u64 * b as u64) >> 32) as u32
}

#[derive(Clone, Debug)]
pub struct Rng {
    s: [u32; 4],
}

impl Rng {
    /// The golden-ratio constant that spreads the seed's halves apart.
    pub const GOLDEN: u32 = 0x9e37_79b9;

    pub fn new(seed: u64) -> Rng {
        let lo = seed as u32;
        let hi = (seed >> 32) as u32;
        let mut s = [0u32; 4];
        for (i, w) in s.iter_mut().enumerate() {
            let i = i as u32;
            *w = fmix32(lo.wrapping_add((2 * i + 1).wrapping_mul(Self::GOLDEN)))
                ^ fmix32(hi.wrapping_add((2 * i + 2).wrapping_mul(Self::GOLDEN)));
        }
        // xoshiro's only bad state; no workload seed reaches it.
        if s == [0; 4] {
            s[0] = Self::GOLDEN;
        }
        Rng { s }
    }

    pub fn state(&self) -> [u32; 4] {
        self.s
    }

    pub fn next(&mut self) -> u32 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 9;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(11);
        result
    }

    /// Uniform in [0, n), 1 <= n <= 2^32 - 1 (Lemire's multiply-shift with
    /// rejection): one draw, more only on a rejection.
    pub fn below(&mut self, n: u32) -> u32 {
        let mut m = self.next() as u64 * n as u64;
        let mut low = m as u32;
        if low < n {
            let threshold = 0u32.wrapping_sub(n) % n;
            while low < threshold {
                m = self.next() as u64 * n as u64;
                low = m as u32;
            }
        }
        (m >> 32) as u32
    }

    /// Uniform in [lo, hi]; hi - lo + 1 must be in [1, 2^32 - 1].
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u32) as i64
    }

    /// True with probability num / den: one below(den).
    pub fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den) < num
    }

    /// floor(n u^power) for u = next() / 2^32, in [0, n): a skewed index.
    pub fn skewed(&mut self, n: u32, power: u32) -> u32 {
        let u = self.next();
        let mut x = u;
        for _ in 1..power {
            x = mul_high32(x, u);
        }
        mul_high32(x, n)
    }
}
