//! FNV-1a 32-bit (docs/workloads.md, "The hash"), and a BuildHasher so the
//! port's HashMaps hash with it as the C++ unordered_maps do: std's default
//! SipHash is randomly keyed, and nothing may depend on it.

use std::hash::{BuildHasher, Hasher};

pub const FNV_OFFSET_BASIS: u32 = 2_166_136_261;
pub const FNV_PRIME: u32 = 16_777_619;

pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(FNV_OFFSET_BASIS, |h, &c| {
        (h ^ c as u32).wrapping_mul(FNV_PRIME)
    })
}

/// One FNV step over a whole word: the workloads' cheap per-object digest.
pub fn fnv1a32_word(h: u32, w: u32) -> u32 {
    (h ^ w).wrapping_mul(FNV_PRIME)
}

/// FNV-1a over every byte written. `str`'s Hash impl also writes a 0xff
/// terminator; keys that must hash as exactly fnv1a32(text) wrap the text
/// (see string_dict's `Word`).
#[derive(Clone, Debug)]
pub struct FnvHasher(u32);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(FNV_OFFSET_BASIS)
    }
}

impl Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &c in bytes {
            self.0 = (self.0 ^ c as u32).wrapping_mul(FNV_PRIME);
        }
    }
    fn finish(&self) -> u64 {
        self.0 as u64
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct FnvBuildHasher;

impl BuildHasher for FnvBuildHasher {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher::default()
    }
}

pub type FnvHashMap<K, V> = std::collections::HashMap<K, V, FnvBuildHasher>;
